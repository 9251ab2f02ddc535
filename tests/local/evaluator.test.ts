import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Evaluator, evaluateProgram } from "../../local/evaluate/evaluateProgram";
import type { EvaluatedResource, Evaluation } from "../../local/evaluate/snapshot";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { archiveFiles, expectOk, one } from "../support/program";
import { childrenRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";

const EVALUATOR = "local/evaluate/evaluateWorker.ts";

/** The one evaluator process this test process runs, once the last one has ended. */
function evaluatorPid(): Promise<number> {
  return waitFor("one evaluator process", () => {
    const running = childrenRunning(process.pid, EVALUATOR);
    return running.length === 1 && running[0]!;
  });
}

const byTypeAndName = (a: EvaluatedResource, b: EvaluatedResource) =>
  `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`);

/** The resources of an evaluation in one order, whichever order the closures finished in. */
function resourcesOf(evaluation: Evaluation): EvaluatedResource[] {
  return [...expectOk(evaluation).resources].sort(byTypeAndName);
}

function publicCode(evaluation: Evaluation): string {
  return archiveFiles(one(expectOk(evaluation), "aws:lambda/function:Function", "get-public-fn"))[
    "__index.js"
  ]!;
}

describe("the evaluator, kept between evaluations (hot reload)", function () {
  // Each test has a copy of its own, evaluated until a kept process waits with the first answer.
  let project: ProjectCopy;
  let pid: number;
  let evaluator: Evaluator;
  const handler = (greeting: string) =>
    `export const handler = async () => ({ statusCode: 200, body: "${greeting}" });\n`;
  const evaluate = () => evaluator.evaluate({ stack: "dev" });

  beforeEach(async () => {
    project = copyProject("evaluator", { public: handler("Hello stranger!") });
    evaluator = new Evaluator(project.dir, { keepSpare: true });
    // The first process loads the handlers' AWS SDK, which defines a global (`awslambda`) as it
    // loads: that process ends, and the spare after it loads the SDK ahead and is kept.
    expectOk(await evaluate());
    assert.match(publicCode(await evaluate()), /body: "Hello stranger!"/);
    pid = await evaluatorPid();
  });
  afterEach(() => {
    evaluator.close();
    project.remove();
  });

  it("evaluates again in the same process, the program's files loaded as saved", async () => {
    project.write("handlers/public.ts", handler("Hello again!"));
    const again = await evaluate();
    assert.match(publicCode(again), /body: "Hello again!"/);
    assert.doesNotMatch(publicCode(again), /Hello stranger!/);
    assert.equal(await evaluatorPid(), pid);
  });

  it("reads the stack's config as it is now: a key changed, then removed, since the last evaluation", async () => {
    const stackFile = readFileSync(join(project.dir, "Pulumi.dev.yaml"), "utf8");
    const origins = (evaluation: Evaluation) =>
      one(expectOk(evaluation), "aws:apigatewayv2/api:Api", "api").inputs.corsConfiguration;
    const withOrigin = stackFile.replace("http://localhost:5173", "http://localhost:9999");
    assert.notEqual(withOrigin, stackFile);
    project.write("Pulumi.dev.yaml", withOrigin);
    assert.deepEqual((origins(await evaluate()) as { allowOrigins: string[] }).allowOrigins, [
      "http://localhost:9999",
    ]);
    const withoutKey = stackFile.replace(/ {2}api-auth-jwt-auth0:corsAllowOrigins:\n.*\n/, "");
    assert.notEqual(withoutKey, stackFile);
    project.write("Pulumi.dev.yaml", withoutKey);
    assert.equal(origins(await evaluate()), undefined);
    assert.equal(await evaluatorPid(), pid);
    project.write("Pulumi.dev.yaml", stackFile);
  });

  it("yields in a kept process what a fresh process yields", async () => {
    const kept = await evaluate();
    assert.equal(await evaluatorPid(), pid);
    const fresh = await evaluateProgram({ projectDir: project.dir, stack: "dev" });
    assert.deepEqual(resourcesOf(kept), resourcesOf(fresh));
    assert.deepEqual(expectOk(kept).outputs, expectOk(fresh).outputs);
  });

  it("ends a process whose program failed, and evaluates the fixed program in a new one", async () => {
    await evaluate();
    pid = await evaluatorPid();
    project.write("handlers/public.ts", 'throw new Error("half-saved");\n');
    const failed = await evaluate();
    assert.equal(failed.kind, "failed");
    assert.equal(failed.kind === "failed" && failed.error.message, "half-saved");

    project.write("handlers/public.ts", handler("Hello fixed!"));
    assert.match(publicCode(await evaluate()), /body: "Hello fixed!"/);
    assert.notEqual(await evaluatorPid(), pid);
  });
});
