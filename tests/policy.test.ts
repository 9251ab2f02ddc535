import * as assert from "node:assert/strict";
import { policies } from "../policy/policies";
import { apiCases } from "./policyCases/apiCases";
import { auth0Cases } from "./policyCases/auth0Cases";
import { iamCases } from "./policyCases/iamCases";
import { policyInput, runPolicies, type PolicyInput } from "./support/policyHarness";
import { evaluateStack, expectOk } from "./support/program";

const CASES = [...iamCases, ...apiCases, ...auth0Cases];

describe("the policy pack (policy/)", function () {
  let stacks: { dev: PolicyInput; prod: PolicyInput };
  before(async () => {
    stacks = {
      dev: policyInput(expectOk(await evaluateStack("dev"))),
      prod: policyInput(expectOk(await evaluateStack("prod"))),
    };
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`passes stack ${stack} with no violation, mandatory or advisory`, async () => {
      assert.deepEqual(await runPolicies(policies, stacks[stack]), []);
    });
  }

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
      assert.deepEqual(await runPolicies([rule], c.broken(stacks), c.config), c.expected);
    });
  }
});
