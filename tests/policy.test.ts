import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { policies } from "../policy/policies";
import { apiCases } from "./policyCases/apiCases";
import { auth0Cases } from "./policyCases/auth0Cases";
import { iamCases } from "./policyCases/iamCases";
import { monitoringCases } from "./policyCases/monitoringCases";
import { policyInput, runPolicies, type Violation } from "./support/policyHarness";
import { readStackSettings } from "../local/evaluate/stackFiles";
import type { PolicyStacks } from "./policyCases/case";
import { domainCases } from "./policyCases/domainCases";
import { placeholderCases } from "./policyCases/placeholderCases";
import { packProgram, packProject } from "./support/packProgram";
import type { ProjectCopy } from "./support/projectCopy";
import { evaluateStack, expectOk, PROJECT_DIR } from "./support/program";
import { FILLED_IN_PROD, PROJECT } from "./support/stacks";

const CASES = [
  ...iamCases,
  ...apiCases,
  ...auth0Cases,
  ...monitoringCases,
  ...domainCases,
  ...placeholderCases,
];

/**
 * The rules that read, on a correct stack, a value only the cloud computes (an ARN in a policy
 * document, a log group's ARN, an execution ARN, the client secret): at a first preview the
 * engine reports each as "can't run … during preview", an advisory, and they judge at the next
 * preview or `pulumi up`. Every other rule judges at the first preview.
 */
const NEEDS_THE_CLOUD = [
  "iam-no-wildcard-grants",
  "function-roles-own-resources-only",
  "invoke-permissions-one-route",
  "no-plain-client-secret",
];

/**
 * Violations in one order: the engine reports resources in the order they registered, which
 * follows how fast each one's inputs resolved, not the program's text.
 */
const inOrder = (violations: Violation[]) =>
  [...violations].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** What the pack program declares public, as a team's policy/config.json would. */
const PACK_CONFIG = { publicRoutes: ["GET /open"] };

/** policy/config.json as `--policy-pack-config` hands it to each rule: one object per rule. */
const SHIPPED = JSON.parse(readFileSync(join(PROJECT_DIR, "policy/config.json"), "utf8")) as Record<
  string,
  Record<string, unknown>
>;

describe("the policy pack (policy/)", function () {
  let stacks: PolicyStacks;
  let project: ProjectCopy;
  before(async () => {
    project = packProject();
    const config = { ...readStackSettings(PROJECT_DIR, "prod").config, ...FILLED_IN_PROD };
    const prod = (keys: Record<string, string> = {}) =>
      packProgram(project, "prod", { ...config, ...keys });
    stacks = {
      dev: await packProgram(project, "dev"),
      prod: await prod(),
      withDomain: await prod({
        [`${PROJECT}:customDomain`]: "api.example.com",
        [`${PROJECT}:hostedZoneId`]: "Z0123456789ABCDEFGHIJ",
      }),
      prodAsShipped: await packProgram(project, "prod"),
      withCertificate: await prod({
        [`${PROJECT}:customDomain`]: "api.example.com",
        [`${PROJECT}:certificateArn`]:
          "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
    };
  });

  after(() => project.remove());

  for (const stack of ["dev", "prod", "withDomain", "withCertificate"] as const) {
    it(`passes stack ${stack} with no violation, mandatory or advisory`, async () => {
      assert.deepEqual(await runPolicies(policies, stacks[stack], PACK_CONFIG), []);
    });
  }

  it("passes the project's own program (index.ts) on dev and prod with policy/config.json, as CI runs it", async () => {
    const config = Object.assign({}, ...Object.values(SHIPPED)) as object;
    const prod = { ...readStackSettings(PROJECT_DIR, "prod").config, ...FILLED_IN_PROD };
    for (const program of [
      await evaluateStack("dev"),
      await evaluateStack("prod", { config: prod }),
    ]) {
      assert.deepEqual(await runPolicies(policies, policyInput(expectOk(program)), config), []);
    }
  });

  it("ships policy/config.json (--policy-pack-config) with each configurable rule's keys and defaults", () => {
    // publicRoutes is the project's own declaration (no route is public by default).
    const shipped = structuredClone(SHIPPED);
    assert.deepEqual(shipped["routes-require-jwt"], { publicRoutes: ["GET /public"] });
    shipped["routes-require-jwt"] = { publicRoutes: [] };
    const expected: Record<string, Record<string, unknown>> = {};
    for (const policy of policies) {
      const properties = (policy.configSchema?.properties ?? {}) as Record<
        string,
        { default: unknown }
      >;
      if (Object.keys(properties).length === 0) continue;
      expected[policy.name] = Object.fromEntries(
        Object.entries(properties).map(([key, schema]) => [key, schema.default]),
      );
    }
    assert.deepEqual(shipped, expected);
  });

  it("has, for every rule, a broken program that makes it fire (a rule that cannot fail is a defect)", () => {
    const firing = new Set(CASES.filter((c) => c.expected.length > 0).map((c) => c.rule));
    assert.deepEqual(
      policies.map((p) => p.name).filter((name) => !firing.has(name)),
      [],
    );
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.does}`, async () => {
      const rule = policies.find((p) => p.name === c.rule);
      assert.ok(rule, `the pack has no rule ${c.rule}`);
      assert.deepEqual(
        inOrder(await runPolicies([rule], c.broken(stacks), { ...PACK_CONFIG, ...c.config })),
        inOrder(c.expected),
      );
    });
  }

  describe("at a first preview, when nothing exists yet", () => {
    /** What the pack cannot judge before the stack exists: the engine says "can't run". */
    const cantRun = (violations: Violation[]) =>
      violations.filter((v) => v.message.startsWith("can't run policy"));
    const judged = (violations: Violation[]) =>
      violations.filter((v) => !v.message.startsWith("can't run policy"));

    for (const stack of ["dev", "prod", "withDomain", "withCertificate"] as const) {
      it(`passes stack ${stack}, and names the rules that wait for values the cloud computes`, async () => {
        const found = await runPolicies(policies, stacks[stack], PACK_CONFIG, "preview");
        assert.deepEqual(judged(found), []);
        assert.deepEqual([...new Set(cantRun(found).map((v) => v.policy))], NEEDS_THE_CLOUD);
        assert.equal(
          cantRun(found).every((v) => v.level === "advisory"),
          true,
        );
      });
    }

    it("lists the broken cases a first preview cannot see (the list cannot grow unseen)", () => {
      assert.deepEqual(
        CASES.filter((c) => c.atFirstPreview?.length === 0 && c.expected.length > 0).map(
          (c) => `${c.rule}: ${c.does}`,
        ),
        [
          "function-roles-own-resources-only: refuses a grant on another function's log group",
          "function-roles-own-resources-only: refuses a grant on a resource this stack does not declare (another account's table)",
          "iam-no-wildcard-grants: refuses a route's grant widened to every action of a service on its table",
          "function-roles-own-resources-only: refuses any action but writing logs on its own log group",
          "invoke-permissions-one-route: refuses a permission for every route of the API ('/*/*')",
          "invoke-permissions-one-route: refuses a permission naming another route than the function's",
          "no-plain-client-secret: refuses the client secret in any stack output but secretOutputs",
          "custom-domain-certificate-in-region: refuses a certificate from another region than the stack's",
        ],
      );
    });

    for (const c of CASES) {
      it(`${c.rule}: ${c.does}`, async () => {
        const rule = policies.find((p) => p.name === c.rule)!;
        const found = await runPolicies(
          [rule],
          c.broken(stacks),
          { ...PACK_CONFIG, ...c.config },
          "preview",
        );
        assert.deepEqual(inOrder(judged(found)), inOrder(c.atFirstPreview ?? c.expected));
      });
    }
  });
});
