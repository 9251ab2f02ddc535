import * as assert from "node:assert/strict";
import { Evaluator } from "../../local/evaluate/evaluateProgram";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { expectOk } from "../support/program";
import { childrenRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";

const EVALUATOR = "local/evaluate/evaluateWorker.ts";
const evaluators = () => childrenRunning(process.pid, EVALUATOR);

describe("the evaluator when its kept process dies, or its program writes on", function () {
  let project: ProjectCopy;
  let evaluator: Evaluator;
  const evaluate = () => evaluator.evaluate({ stack: "dev" });

  beforeEach(() => {
    project = copyProject("evaluator-faults");
    evaluator = new Evaluator(project.dir, { keepSpare: true });
  });
  afterEach(() => {
    evaluator.close();
    project.remove();
  });

  /** The kept evaluator, once the evaluation before has left exactly one. */
  const keptPid = () =>
    waitFor("one kept evaluator", () => evaluators().length === 1 && evaluators()[0]!);

  it("evaluates in a fresh process after the kept one was killed by a signal (kill -9, the OOM killer)", async () => {
    expectOk(await evaluate());
    const pid = await keptPid();
    process.kill(pid, "SIGKILL");
    await waitFor("the killed evaluator gone", () => !evaluators().includes(pid));
    expectOk(await evaluate());
    assert.notEqual(await keptPid(), pid);
  });

  it("evaluates in a fresh process when the kept one is killed an instant before the next save", async () => {
    expectOk(await evaluate());
    const pid = await keptPid();
    process.kill(pid, "SIGKILL");
    expectOk(await evaluate());
    assert.notEqual(await keptPid(), pid);
  });

  it("keeps only the last 64 KiB of what a program writes to stderr, which says why it ended", async () => {
    // Each write flushed before the next, and before the program ends its process; the export
    // the evaluation waits for never resolves, so the process ends before it answers.
    project.write(
      "index.ts",
      "export const never = new Promise(() =>\n" +
        '  process.stderr.write("x".repeat(3 * 1024 * 1024), () =>\n' +
        '    process.stderr.write("the end", () => process.exit(3))));\n',
    );
    const failure = await evaluate().then(
      () => assert.fail("the program ended its process: the evaluation must fail"),
      (err: Error) => err.message,
    );
    assert.match(failure, /ended with code 3: x+the end$/);
    const kept = failure.slice(failure.indexOf(": x") + 2);
    assert.equal(kept.length, 64 * 1024);
  });
});
