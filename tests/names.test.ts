import * as assert from "node:assert/strict";
import fc from "fast-check";
import { connectionNameFor, MAX_STACK_NAME, nameProblems, physicalName } from "../infra/names";

/**
 * Where the stack's names land, and what each accepts (docs/sources.md): Auth0 connection names
 * (AUTH0-CONN-NAME), Lambda function names (letters, digits, `-`, `_`, at most 64), IAM role
 * names (`\w+=,.@-`, at most 64), SNS topic names, CloudWatch log group and alarm names.
 */
const ACCEPTS = {
  "Auth0 connection": (n: string) =>
    /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/.test(n) && n.length <= 128,
  "Lambda function": (n: string) => /^[a-zA-Z0-9_-]{1,64}$/.test(n),
  "IAM role": (n: string) => /^[\w+=,.@-]{1,64}$/.test(n),
  "SNS topic": (n: string) => /^[A-Za-z0-9_-]{1,256}$/.test(n),
  "log group": (n: string) => /^[.\-_/#A-Za-z0-9]{1,512}$/.test(`/aws/lambda/${n}`),
  "CloudWatch alarm": (n: string) => n.length <= 255,
};

/** A route's slug as `routeSlug` makes it: lower-case words joined by single hyphens. */
const slug = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 })
  .map((words) => words.join("-"))
  .filter((s) => s.length <= 64 - MAX_STACK_NAME - 1);

describe("one name rule for stacks and projects", () => {
  it("makes every physical name valid wherever it lands, whenever it accepts the names", () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,30}$/);
    fc.assert(
      fc.property(part, part, slug, (project, stack, route) => {
        fc.pre(nameProblems(project, stack).length === 0);
        const base = physicalName(project, stack);
        const fn = physicalName(project, stack, route);
        const lands: [keyof typeof ACCEPTS, string][] = [
          ["Auth0 connection", connectionNameFor(base)],
          ["Lambda function", fn],
          ["IAM role", fn],
          ["log group", fn],
          ["SNS topic", `${base}-alarms`],
          ["CloudWatch alarm", `${fn}-errors`],
        ];
        for (const [where, name] of lands) {
          assert.ok(ACCEPTS[where](name), `${where} refuses '${name}'`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses each character an Auth0 connection or a Lambda function refuses", () => {
    for (const stack of ["qa_1", "qa.1", "-qa", "qa-", "qa--1", "qa 1"]) {
      assert.equal(nameProblems("proj", stack).length, 1, stack);
    }
    assert.deepEqual(nameProblems("proj", "qa-1"), []);
  });
});
