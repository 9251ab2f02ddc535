import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { mapLambdaResult } from "../../local/gateway/responseMapper";
import type { LocalFunction } from "../../local/interpret/model";
import { localFunction as supportFunction } from "../support/functions";
import { FunctionPool } from "../../local/lambda/functionPool";
import { TEST_STATE_DIR } from "../support/program";

const localFunction = (
  name: string,
  source: string,
  runtime = "nodejs22.x",
  format: "Text" | "JSON" = "Text",
) => supportFunction(name, source, { runtime, format });

describe("the runtime client's and the platform's details, as Lambda has them", function () {
  const workDir = join(TEST_STATE_DIR, `runtime-clauses-${process.pid}`);
  const pools: FunctionPool[] = [];
  const run = async (fn: LocalFunction) => {
    const lines: string[] = [];
    const records: string[] = [];
    const pool = new FunctionPool(fn, {
      functionsRoot: workDir,
      region: "us-east-1",
      log: (line) => lines.push(line.slice(fn.name.length + 3)),
      onLine: (_fn, _requestId, record) => records.push(record.text),
    });
    pools.push(pool);
    const result = await pool.invoke("{}");
    return { result, lines, records };
  };
  after(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
    rmSync(workDir, { recursive: true, force: true });
  });

  it("refuses on nodejs24.x a handler of three parameters even when it is async (4.x reads the count alone)", async () => {
    const { result } = await run(
      localFunction(
        "async-three-24",
        "exports.handler = async (event, context, callback) => 1;",
        "nodejs24.x",
      ),
    );
    assert.equal(result.kind === "error" && result.errorType, "Runtime.CallbackHandlerDeprecated");
  });

  it("writes console.log() with no argument as the runtime client does: 'undefined' in text", async () => {
    const { lines } = await run(
      localFunction("log-nothing", "exports.handler = async () => { console.log(); return 1; };"),
    );
    const logged = lines.find((l) => /\tINFO\t/.test(l))!;
    assert.equal(logged.split("\t").slice(2).join("\t"), "INFO\tundefined");
  });

  it("writes console.log() with no argument in JSON as a record without a message", async () => {
    const { records } = await run(
      localFunction(
        "log-nothing-json",
        "exports.handler = async () => { console.log(); return 1; };",
        "nodejs22.x",
        "JSON",
      ),
    );
    const record = records
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((r) => r.level === "INFO")!;
    assert.deepEqual(Object.keys(record).sort(), ["level", "requestId", "timestamp"]);
  });

  it("keeps a set-cookie of headers beside the cookies a response returns", () => {
    const mapped = mapLambdaResult({
      statusCode: 200,
      headers: { "Set-Cookie": "h=1" },
      cookies: ["c=2", "d=3"],
      body: "",
    });
    assert.deepEqual(mapped && mapped.headers["set-cookie"], ["h=1", "c=2", "d=3"]);
  });

  it("answers a response over Lambda's 6,291,556 bytes with its error, and says so in the log stream", async () => {
    // JSON text of exactly the limit passes; one byte more does not.
    const source = (bytes: number) => `exports.handler = async () => "x".repeat(${bytes - 2});`;
    const atLimit = await run(localFunction("response-at-limit", source(6_291_556)));
    assert.equal(atLimit.result.kind, "ok");
    const over = await run(localFunction("response-over-limit", source(6_291_557)));
    assert.deepEqual(over.result, {
      kind: "error",
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    });
    const said = over.lines.filter((l) =>
      l.endsWith("\tERROR\tExceeded maximum allowed payload size (6291556 bytes)."),
    );
    assert.equal(said.length, 1);
  });

  it("reports a function out of memory as Lambda does: Runtime.OutOfMemory, memory used at its size", async () => {
    const { result, lines } = await run(
      localFunction(
        "out-of-memory",
        "const kept = [];\nexports.handler = async () => { for (;;) kept.push(new Array(1e6).fill(1)); };",
      ),
    );
    assert.equal(result.kind === "crash" && result.errorType, "Runtime.OutOfMemory");
    const report = lines.find((l) => l.startsWith("REPORT"))!;
    assert.match(report, /\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t/);
    assert.match(report, /\tStatus: error\tError Type: Runtime\.OutOfMemory\t$/);
  });

  it("begins a cold start with INIT_START in text and platform.initStart in JSON", async () => {
    const text = await run(localFunction("init-start-text", "exports.handler = async () => 1;"));
    assert.equal(
      text.lines[0],
      "INIT_START Runtime Version: nodejs:22.local\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:local-nodejs22",
    );
    assert.match(text.lines[1]!, /^START RequestId: \S+ Version: \$LATEST$/);
    const json = await run(
      localFunction("init-start-json", "exports.handler = async () => 1;", "nodejs24.x", "JSON"),
    );
    const first = JSON.parse(json.records[0]!) as { type: string; record: unknown };
    assert.deepEqual(
      [first.type, first.record],
      [
        "platform.initStart",
        {
          initializationType: "on-demand",
          phase: "init",
          runtimeVersion: "nodejs:24.local",
          runtimeVersionArn: "arn:aws:lambda:us-east-1::runtime:local-nodejs24",
          functionName: "init-start-json",
          functionVersion: "$LATEST",
        },
      ],
    );
  });

  it("fails the next invocation with a failure the one before left behind, never re-running it quietly", async () => {
    const lines: string[] = [];
    const pool = new FunctionPool(
      localFunction(
        "throws-after-answer",
        'exports.handler = async () => { setTimeout(() => { throw new Error("left behind"); }, 50); return 1; };',
      ),
      { functionsRoot: workDir, region: "us-east-1", log: (line) => lines.push(line) },
    );
    pools.push(pool);
    assert.equal((await pool.invoke("{}")).kind, "ok");
    // The environment is frozen with the timer pending; the next event thaws it.
    await new Promise((r) => setTimeout(r, 200));
    const next = await pool.invoke("{}");
    assert.notEqual(next.kind, "ok");
    assert.equal(lines.filter((l) => l.includes("left behind")).length >= 1, true);
  });

  it("writes a timeout as Lambda does now: REPORT's Status: timeout, with the memory held, no other line", async () => {
    const fn = {
      ...localFunction("spins-past-timeout", "exports.handler = async () => { for (;;) {} };"),
      timeoutSeconds: 1,
    };
    const { result, lines } = await run(fn);
    assert.equal(result.kind, "timeout");
    const used = Number(
      /\tMax Memory Used: (\d+) MB\t/.exec(lines.find((l) => l.startsWith("REPORT"))!)![1],
    );
    assert.ok(used > 0, `Max Memory Used: ${used} MB`);
    assert.match(
      lines.find((l) => l.startsWith("REPORT"))!,
      /\tStatus: timeout\t$/,
    );
    // Its duration is its timeout, as Lambda's REPORT of a timeout says.
    assert.match(
      lines.find((l) => l.startsWith("REPORT"))!,
      /\tDuration: 1000\.00 ms\t/,
    );
    assert.deepEqual(
      lines.filter((l) => l.includes("Task timed out")),
      [],
    );
  });

  it("takes what a function writes to descriptors 1 and 2 into its log stream, prefixed like the rest", async () => {
    const { lines } = await run(
      localFunction(
        "writes-to-fd",
        'const fs = require("node:fs");\nexports.handler = async () => { fs.writeSync(1, "to fd 1\\n"); fs.writeSync(2, Buffer.from("to fd 2\\n")); return 1; };',
      ),
    );
    assert.deepEqual(
      lines.filter((l) => l.startsWith("to fd")),
      ["to fd 1", "to fd 2"],
    );
  });

  it("keeps a worker a function starts within the function's own memory limits", async () => {
    const { result } = await run(
      localFunction(
        "nested-worker",
        `const { Worker } = require("node:worker_threads");
exports.handler = () => new Promise((resolve) => {
  // 600 MB of heap in a thread of its own: past a 128 MB function's limits.
  const w = new Worker("const kept = []; for (let i = 0; i < 75; i++) kept.push(new Array(1e6).fill(i + 0.5)); require('node:worker_threads').parentPort.postMessage('allocated');", { eval: true });
  w.on("message", (m) => resolve(m));
  w.on("error", (e) => resolve(e.code));
});`,
      ),
    );
    assert.deepEqual(result, { kind: "ok", payload: "ERR_WORKER_OUT_OF_MEMORY", payloadBytes: 26 });
  });
});
