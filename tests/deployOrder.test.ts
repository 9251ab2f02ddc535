import * as assert from "node:assert/strict";
import { DEPLOY_ORDER, UNORDERED, type OrderSide } from "../facts/deployOrder";
import { TYPES } from "../facts/resourceTypes";
import type { EvaluatedResource } from "../local/evaluate/snapshot";
import { readStackSettings } from "../local/evaluate/stackFiles";
import { evaluateStack, expectOk, PROJECT_DIR, type Evaluated } from "./support/program";
import { FILLED_IN_PROD, PROJECT } from "./support/stacks";

/**
 * Everything `r` waits for, as the engine orders it: its recorded dependencies, theirs in turn,
 * and a component's children where a dependency is a component.
 */
function waitsFor(program: Evaluated, r: EvaluatedResource): Set<string> {
  const byUrn = new Map(program.resources.map((x) => [x.recorded.urn, x]));
  const children = (urn: string) =>
    program.resources.filter((x) => x.recorded.parent === urn).map((x) => x.recorded.urn);
  const seen = new Set<string>();
  const pending = [...r.recorded.dependencies];
  while (pending.length > 0) {
    const urn = pending.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    pending.push(...(byUrn.get(urn)?.recorded.dependencies ?? []), ...children(urn));
  }
  return seen;
}

const matches = (s: OrderSide) => (r: EvaluatedResource) =>
  r.type === s.type && (s.where === undefined || s.where(r.inputs));

/** Every pair a rule orders in a program: (first, then) resources, within a component if asked. */
function pairs(program: Evaluated, fact: (typeof DEPLOY_ORDER)[number]) {
  const firsts = program.resources.filter(matches(fact.first));
  return program.resources
    .filter(matches(fact.then))
    .flatMap((then) =>
      firsts
        .filter((f) => fact.within === "stack" || f.recorded.parent === then.recorded.parent)
        .map((first) => ({ first, then })),
    );
}

describe("deploy order (facts/deployOrder.ts) on the dependencies the engine records", function () {
  const programs: Record<string, Evaluated> = {};
  before(async () => {
    const prod = { ...readStackSettings(PROJECT_DIR, "prod").config, ...FILLED_IN_PROD };
    const domain = { [`${PROJECT}:customDomain`]: "api.acme.io" };
    programs.dev = expectOk(await evaluateStack("dev"));
    programs.prod = expectOk(await evaluateStack("prod"));
    programs["prod with a hosted zone"] = expectOk(
      await evaluateStack("prod", {
        config: { ...prod, ...domain, [`${PROJECT}:hostedZoneId`]: "Z0123456789ABCDEFGHIJ" },
      }),
    );
    programs["prod with its own certificate"] = expectOk(
      await evaluateStack("prod", {
        config: {
          ...prod,
          ...domain,
          [`${PROJECT}:certificateArn`]:
            "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
      }),
    );
  });

  for (const fact of DEPLOY_ORDER) {
    const name = (s: OrderSide) => s.type.split(":").pop();
    it(`${name(fact.first)} before ${name(fact.then)} (${fact.within}): ${fact.why.slice(0, 60)}…`, () => {
      let checked = 0;
      for (const [label, program] of Object.entries(programs)) {
        for (const { first, then } of pairs(program, fact)) {
          checked++;
          assert.ok(
            waitsFor(program, then).has(first.recorded.urn),
            `${label}: ${then.name} does not wait for ${first.name}`,
          );
        }
      }
      // A rule that orders nothing in any graph guards nothing.
      assert.ok(checked > 0, "no graph has a pair this rule orders");
    });
  }

  it("orders, or says why not, every resource type of every graph, and the list of types is whole", () => {
    const ordered = new Set(DEPLOY_ORDER.flatMap((f) => [f.first.type, f.then.type]));
    const created = new Set(
      Object.values(programs).flatMap((p) =>
        p.resources.filter((r) => r.custom).map((r) => r.type),
      ),
    );
    assert.deepEqual(
      [...created].filter((t) => !ordered.has(t) && !(t in UNORDERED)),
      [],
    );
    assert.deepEqual(
      [...created].filter((t) => !(Object.values(TYPES) as string[]).includes(t)),
      [],
    );
  });

  it("creates the API mapping only after the $default stage, which the engine deleted in parallel before", () => {
    const program = programs["prod with its own certificate"]!;
    const mapping = program.resources.find((r) => r.type === TYPES.apiMapping)!;
    const stage = program.resources.find((r) => r.type === TYPES.stage)!;
    assert.deepEqual(mapping.recorded.propertyDependencies.stage, [stage.recorded.urn]);
  });

  it("creates dev's test user only once its connection has enabled clients", () => {
    const program = programs.dev!;
    const user = program.resources.find((r) => r.type === TYPES.user)!;
    const enabled = program.resources.find((r) => r.type === TYPES.connectionClients)!;
    assert.ok(user.recorded.dependencies.includes(enabled.recorded.urn));
  });
});
