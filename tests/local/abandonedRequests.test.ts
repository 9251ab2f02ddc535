import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { localFunction } from "../support/functions";
import { FunctionPool } from "../../local/lambda/functionPool";
import { TEST_STATE_DIR } from "../support/program";

describe("a request nobody waits for any more, still queued for an environment", function () {
  const workDir = join(TEST_STATE_DIR, `abandoned-${process.pid}`);
  let pool: FunctionPool;
  const lines: string[] = [];
  before(() => {
    const fn = localFunction(
      "queued",
      'exports.handler = async (e) => { console.log("ran " + e.n); await new Promise((r) => setTimeout(r, e.ms)); return e.n; };',
    );
    // One environment: every other invocation waits for it.
    pool = new FunctionPool(fn, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: (line) => lines.push(line),
      maxEnvironments: 1,
    });
  });
  after(async () => {
    await pool.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("gives up its place and never runs, and the one queued after it runs next", async () => {
    const call = (n: number, ms: number, signal?: AbortSignal) =>
      pool.invoke(JSON.stringify({ n, ms }), undefined, undefined, signal);
    const first = call(1, 400);
    const gone = new AbortController();
    const abandoned = call(2, 400, gone.signal);
    const third = call(3, 0);
    setTimeout(() => gone.abort(), 50);
    assert.deepEqual(await abandoned, { kind: "crash", reason: "abandoned before it ran" });
    assert.equal((await first).kind, "ok");
    assert.deepEqual(await third, { kind: "ok", payload: 3, payloadBytes: 1 });
    const ran = lines.filter((l) => /\tINFO\tran \d$/.test(l)).map((l) => l.slice(-5));
    assert.deepEqual(ran, ["ran 1", "ran 3"]);
  });
});
