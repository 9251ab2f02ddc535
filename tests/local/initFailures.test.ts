import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { FunctionPool } from "../../local/lambda/functionPool";
import { localFunction } from "../support/functions";
import { TEST_STATE_DIR } from "../support/program";

describe("a function whose module fails while it loads, after its handler is exported", function () {
  const workDir = join(TEST_STATE_DIR, `init-failures-${process.pid}`);
  let pool: FunctionPool | undefined;
  afterEach(async () => {
    await pool?.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("answers the request with the failure, on one environment, never restarting in a loop", async () => {
    const lines: string[] = [];
    pool = new FunctionPool(
      localFunction(
        "rejects-at-load",
        'exports.handler = async () => "never";\nPromise.reject(new Error("the database is down"));\n',
      ),
      { functionsRoot: workDir, region: "us-east-1", log: (line) => lines.push(line) },
    );
    const result = await pool.invoke("{}");
    assert.equal(result.kind, "crash");
    // One environment started, and failed once: the runtime client's "Unhandled Promise
    // Rejection" record, written by the one runtime that ran.
    const failures = lines.filter((l) => l.includes("Unhandled Promise Rejection"));
    assert.equal(failures.length, 1, lines.join("\n"));
    assert.match(failures[0]!, /the database is down/);
  });

  it("ends a module that never finishes loading at init's 10 s plus the function's timeout, freeing its route", async () => {
    const lines: string[] = [];
    const fn = {
      ...localFunction("spins-at-load", "exports.handler = async () => 1;\nfor (;;) {}\n"),
      timeoutSeconds: 1,
    };
    pool = new FunctionPool(fn, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: (line) => lines.push(line),
    });
    const started = performance.now();
    const result = await pool.invoke("{}");
    const waited = performance.now() - started;
    assert.equal(result.kind, "timeout");
    // Not before Lambda's budget: 10 s of init, then the function's 1 s. Node's timers count
    // whole milliseconds from the loop's cached clock, so one may fire up to a millisecond
    // before performance.now() says it is due: 2 ms of slack, far below any early end.
    assert.ok(waited >= 10_998, `answered after ${waited.toFixed(1)} ms`);
    assert.equal(pool.size, 0);
  });

  it("answers a module that throws at load with its error, says so in INIT_REPORT and REPORT, and initialises again on the next request", async () => {
    const lines: string[] = [];
    const flag = join(workDir, "loaded-once");
    // Fails its first load only: a transient failure (a dependency not up yet).
    const source = `const fs = require("node:fs");
if (!fs.existsSync(${JSON.stringify(flag)})) {
  fs.mkdirSync(${JSON.stringify(workDir)}, { recursive: true });
  fs.writeFileSync(${JSON.stringify(flag)}, "1");
  throw new Error("not up yet");
}
exports.handler = async () => "ready";
`;
    pool = new FunctionPool(localFunction("throws-once-at-load", source), {
      functionsRoot: workDir,
      region: "us-east-1",
      log: (line) => lines.push(line.slice("[throws-once-at-load] ".length)),
    });
    const first = await pool.invoke("{}");
    assert.deepEqual(first.kind === "error" && [first.errorType, first.errorMessage], [
      "Error",
      "not up yet",
    ]);
    assert.match(
      lines.find((l) => l.startsWith("INIT_REPORT"))!,
      /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Error$/,
    );
    assert.match(
      lines.find((l) => l.startsWith("REPORT"))!,
      /\tStatus: error\tError Type: Error\t$/,
    );
    const second = await pool.invoke("{}");
    assert.deepEqual(second, { kind: "ok", payload: "ready", payloadBytes: 7 });
  });
});
