import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { FunctionPool } from "../../local/lambda/functionPool";
import { lambdaHeapLimits, logStreamName } from "../../local/lambda/lambdaRuntime";
import { runtimeNotices } from "../../local/interpret/functions";
import type { LocalFunction } from "../../local/interpret/model";
import { localFunction as supportFunction } from "../support/functions";
import { TEST_STATE_DIR } from "../support/program";
import { runCommandSync } from "../support/processes";
import { waitFor } from "../support/waitFor";

/** A function whose archive is written here, as the interpreter hands one to the host. */
const localFunction = (name: string, source: string, memoryMb = 128, runtime = "nodejs22.x") =>
  supportFunction(name, source, { memoryMb, runtime });

/** What V8 reports as its heap limit for node started with the given flags. */
function heapLimitOfNode(flags: string[]): number {
  const { stdout } = runCommandSync(process.execPath, [
    ...flags,
    "-p",
    "require('v8').getHeapStatistics().heap_size_limit",
  ]);
  return Number(stdout.trim());
}

describe("a function's execution environment", () => {
  const workDir = join(TEST_STATE_DIR, `function-host-${process.pid}`);
  const hosts: FunctionPool[] = [];
  const host = (fn: LocalFunction) => {
    const created = new FunctionPool(fn, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: () => undefined,
    });
    hosts.push(created);
    return created;
  };
  after(async () => {
    await Promise.all(hosts.map((h) => h.dispose()));
    rmSync(workDir, { recursive: true, force: true });
  });

  it("lets an invocation run past its timeout under a debugger (untimed), and warms one environment ahead", async () => {
    const source = `exports.handler = () => new Promise((r) => setTimeout(() => r("late"), 1200));`;
    const slow = { ...localFunction("held-at-breakpoint", source), timeoutSeconds: 1 };
    const timed = host(slow);
    const untimed = new FunctionPool(slow, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: () => undefined,
      untimed: true,
    });
    hosts.push(untimed);
    untimed.warm();
    assert.equal(untimed.size, 1);
    const [cut, held] = await Promise.all([timed.invoke("{}"), untimed.invoke("{}")]);
    assert.deepEqual(
      [cut.kind, held],
      ["timeout", { kind: "ok", payload: "late", payloadBytes: 6 }],
    );
    assert.equal(untimed.size, 1);
  });

  it("names each environment's log stream as Lambda does: the UTC day, [$LATEST], 32 hex", () => {
    const day = new Date("2026-11-29T23:59:00Z");
    const [a, b] = [logStreamName(day), logStreamName(day)];
    assert.match(a, /^2026\/11\/29\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.notEqual(a, b);
  });

  it("takes Lambda's heap limits: semi-space memory/20, old space memory less a tenth", () => {
    assert.deepEqual(lambdaHeapLimits(128), {
      maxOldGenerationSizeMb: 116,
      maxYoungGenerationSizeMb: 18,
    });
    assert.deepEqual(lambdaHeapLimits(1024), {
      maxOldGenerationSizeMb: 922,
      maxYoungGenerationSizeMb: 153,
    });
  });

  for (const memoryMb of [128, 1024]) {
    it(`gives a ${memoryMb} MB function the heap node gets from Lambda's bootstrap flags, and gc`, async () => {
      const fn = localFunction(
        `runtime-${memoryMb}`,
        `exports.handler = async () => ({
          heapSizeLimit: require("v8").getHeapStatistics().heap_size_limit,
          gc: typeof gc,
        });`,
        memoryMb,
      );
      const newSpace = Math.floor(memoryMb / 10);
      const onLambda = heapLimitOfNode([
        "--expose-gc",
        `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
        `--max-old-space-size=${memoryMb - newSpace}`,
      ]);
      const result = await host(fn).invoke("{}");
      assert.deepEqual(result, {
        kind: "ok",
        payload: { heapSizeLimit: onLambda, gc: "function" },
        payloadBytes: JSON.stringify({ heapSizeLimit: onLambda, gc: "function" }).length,
      });
    });
  }

  it("follows each declared runtime's handler rules: nodejs22.x reads only promises, nodejs24.x awaits any result and refuses callbacks", async () => {
    const plain = "exports.handler = function () { return 7; };";
    const callback = "exports.handler = function (e, c, cb) { cb(null, 1); };";
    const results = await Promise.all(
      [
        localFunction("plain-22", plain),
        localFunction("plain-24", plain, 128, "nodejs24.x"),
        localFunction("callback-22", callback),
        localFunction("callback-24", callback, 128, "nodejs24.x"),
      ].map((fn) => host(fn).invoke("{}")),
    );
    assert.deepEqual(results.slice(0, 3), [
      { kind: "ok", payload: null, payloadBytes: 4 },
      { kind: "ok", payload: 7, payloadBytes: 1 },
      { kind: "ok", payload: 1, payloadBytes: 1 },
    ]);
    assert.deepEqual(
      results[3]!.kind === "error" && [
        results[3]!.errorType,
        results[3]!.errorMessage.slice(0, 83),
      ],
      [
        "Runtime.CallbackHandlerDeprecated",
        "ERROR: AWS Lambda has removed support for callback-based function handlers starting",
      ],
    );
  });

  it("ends the environments a burst started once they idle, and keeps the last one used warm", async () => {
    // Each environment names itself once, when its module loads; an invocation waits `ms`.
    const fn = localFunction(
      "burst",
      `const me = require("node:crypto").randomUUID();
      exports.handler = async (event) => {
        await new Promise((r) => setTimeout(r, event.ms));
        return me;
      };`,
    );
    const pool = new FunctionPool(fn, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: () => undefined,
      idleMs: 50,
    });
    hosts.push(pool);
    const burst = await Promise.all([20, 40, 300].map((ms) => pool.invoke(JSON.stringify({ ms }))));
    const names = burst.map((r) => (r.kind === "ok" ? r.payload : r.kind));
    assert.equal(new Set(names).size, 3, "three concurrent invocations, three environments");
    await waitFor("the idle environments to end", () => pool.size === 1);
    // The one left is the one that finished last: warm, its module not loaded again.
    const next = await pool.invoke(JSON.stringify({ ms: 0 }));
    assert.deepEqual(next, { kind: "ok", payload: names[2], payloadBytes: 38 });
    assert.equal(pool.size, 1);
  });
});

describe("the Node a function is declared for, against the Node that runs it here", () => {
  const fn = (name: string, runtime: string) => ({ name, runtime }) as LocalFunction;

  it("says so once per runtime whose major differs, naming its functions", () => {
    assert.deepEqual(
      runtimeNotices(
        [
          fn("a", "nodejs22.x"),
          fn("b", "nodejs22.x"),
          fn("c", "nodejs20.x"),
          fn("d", "python3.12"),
        ],
        "20.20.2",
      ),
      [
        "a, b are declared nodejs22.x, but runs here on Node 20.20.2: what Node 22 does differently shows only once deployed",
      ],
    );
    assert.deepEqual(runtimeNotices([fn("a", "nodejs22.x"), fn("b", "nodejs22.x")], "20.20.2"), [
      "every function is declared nodejs22.x, but runs here on Node 20.20.2: what Node 22 does differently shows only once deployed",
    ]);
    assert.deepEqual(runtimeNotices([fn("a", "nodejs22.x")], "22.12.0"), []);
  });
});
