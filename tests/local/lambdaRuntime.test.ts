import * as assert from "node:assert/strict";
import type { RequestEntry } from "../../local/console/consoleApi";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

const ENTRY = "tests/fixtures/runtimeProgram.ts";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("functions as Lambda's Node.js runtime runs them (runtime fixture program)", function () {
  let running: RunningEnv;
  let api: string;
  before(async () => {
    running = await startTestEnvironment("runtime", {
      entry: ENTRY,
      console: { host: "127.0.0.1", port: 0 },
    });
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  /** The request's Lambda request ID, from its terminal line. */
  const integrationIdOf = (apigwId: string) =>
    waitFor(`the request line of ${apigwId}`, () => {
      const line = running.logs.find((l) => l.includes(` requestId=${apigwId} `));
      return line !== undefined && /integrationRequestId=(\S+)$/.exec(line)![1]!;
    });
  /** The terminal lines of a function for one invocation, from START to its REPORT. */
  const terminalRecords = (fn: string, lambdaId: string) =>
    waitFor(`${fn}'s REPORT for ${lambdaId}`, () => {
      const mine = running.logs
        .filter((l) => l.startsWith(`[${fn}] `))
        .map((l) => l.slice(fn.length + 3));
      const start = mine.indexOf(`START RequestId: ${lambdaId} Version: $LATEST`);
      const end = mine.findIndex((l) => l.startsWith(`REPORT RequestId: ${lambdaId}\t`));
      return start !== -1 && end > start && mine.slice(start, end + 1);
    });
  const call = async (path: string) => {
    const reply = await send(api, "GET", path);
    const lambdaId = await integrationIdOf(String(reply.headers["apigw-requestid"]));
    return { reply, lambdaId };
  };
  const consoleEntry = async (apigwId: string) =>
    waitFor("the request in the console, with its REPORT", async () => {
      const listed = JSON.parse(
        (await send(running.env.consoleUrl!, "GET", "/api/requests")).body,
      ) as RequestEntry[];
      const entry = listed.find((e) => e.requestId === apigwId);
      return entry?.logs.some((l) => l.readable?.startsWith("REPORT")) === true && entry;
    });

  it("writes JSON records at INFO and above between platform.start and platform.report", async () => {
    const { reply, lambdaId } = await call("/levels");
    assert.deepEqual([reply.status, reply.body], [200, "logged"]);
    assert.match(lambdaId, UUID);
    assert.notEqual(lambdaId, reply.headers["apigw-requestid"]);
    const entry = await consoleEntry(String(reply.headers["apigw-requestid"]));
    assert.equal(entry.integrationRequestId, lambdaId);
    // As written: JSON records, the platform's and the function's.
    const written = entry.logs.map((l) => JSON.parse(l.text) as Record<string, unknown>);
    assert.deepEqual(
      written.map((r) => r.type ?? r.level),
      ["platform.start", "INFO", "INFO", "WARN", "ERROR", "FATAL", "platform.report"],
    );
    const { functionArn, ...start } = written[0]!.record as Record<string, string>;
    assert.deepEqual(start, { requestId: lambdaId, version: "$LATEST" });
    assert.equal(functionArn, "arn:aws:lambda:us-east-1:123456789012:function:levels-json");
    const { timestamp, ...info } = written[2]!;
    assert.match(String(timestamp), TIME);
    assert.deepEqual(info, {
      level: "INFO",
      requestId: lambdaId,
      message: "a log record { user: 'alice' }",
    });
    // Several values with an Error among them: its fields beside the formatted message.
    const error = written[4]!;
    assert.deepEqual(
      [error.errorType, error.errorMessage, (error.stackTrace as string[])[0]],
      ["TypeError", "bad input", "TypeError: bad input"],
    );
    const report = written[6]!.record as { metrics: Record<string, number>; status: string };
    assert.equal(report.status, "success");
    assert.equal(report.metrics.memorySizeMB, 128);
    assert.equal(report.metrics.billedDurationMs >= Math.ceil(report.metrics.durationMs), true);
    // Read in the terminal as Lambda's text lines would be.
    const lines = await terminalRecords("levels-json", lambdaId);
    assert.equal(lines[0], `START RequestId: ${lambdaId} Version: $LATEST`);
    assert.deepEqual(
      lines.slice(1, 4).map((l) => l.split("\t").slice(1)),
      [
        [lambdaId, "INFO", "an info record"],
        [lambdaId, "INFO", "a log record { user: 'alice' }"],
        [lambdaId, "WARN", "a warn record"],
      ],
    );
    assert.match(
      lines.at(-1)!,
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t/,
    );
  });

  it("writes text lines at every level, with START, END and REPORT, in text format", async () => {
    const { lambdaId } = await call("/levels-text");
    const lines = await terminalRecords("levels-text", lambdaId);
    const levels = lines
      .filter((l) => TIME.test(l.split("\t")[0]!))
      .map((l) => l.split("\t").slice(1, 3));
    assert.deepEqual(
      levels,
      ["TRACE", "DEBUG", "INFO", "INFO", "WARN", "ERROR", "FATAL"].map((lvl) => [lambdaId, lvl]),
    );
    assert.equal(lines.at(-2), `END RequestId: ${lambdaId}`);
  });

  it("follows a declared application level of DEBUG and a system level of WARN", async () => {
    const { reply } = await call("/levels-debug");
    const logs = await waitFor("the function's six records", async () => {
      const listed = JSON.parse(
        (await send(running.env.consoleUrl!, "GET", "/api/requests")).body,
      ) as RequestEntry[];
      const entry = listed.find((e) => e.requestId === reply.headers["apigw-requestid"]);
      return entry !== undefined && entry.logs.length >= 6 && entry.logs;
    });
    // DEBUG and above; no platform record, as they are INFO records.
    assert.deepEqual(
      logs.map((l) => (JSON.parse(l.text) as { level?: string; type?: string }).level),
      ["DEBUG", "INFO", "INFO", "WARN", "ERROR", "FATAL"],
    );
  });

  it("answers null for a plain return, and runs succeed, fail and a callback's answer", async () => {
    assert.deepEqual(
      await Promise.all(
        ["/plain-return", "/succeed", "/fail", "/callback-waits"].map(async (path) => {
          const { reply } = await call(path);
          return [path, reply.status, reply.body];
        }),
      ),
      [
        ["/plain-return", 200, "null"],
        ["/succeed", 200, "succeeded"],
        ["/fail", 500, '{"message":"Internal Server Error"}'],
        ["/callback-waits", 200, "waited"],
      ],
    );
  });

  it("waits for the event loop to empty before a callback's answer", async () => {
    const { lambdaId } = await call("/callback-waits");
    const lines = await terminalRecords("callback-waits", lambdaId);
    assert.deepEqual(
      lines.slice(1, -1).map((l) => l.split("\t").slice(2)),
      [["INFO", "ran before the answer"]],
    );
  });

  it("freezes the environment between invocations: a timer left pending runs on the next", async () => {
    const first = await call("/callback-no-wait");
    assert.equal(first.reply.body, first.lambdaId);
    const pending = `left pending by ${first.lambdaId}`;
    await terminalRecords("callback-no-wait", first.lambdaId);
    // Well past the timer's 50 ms, nothing of the function has run.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      running.logs.some((l) => l.endsWith(pending)),
      false,
    );
    const second = await call("/callback-no-wait");
    await terminalRecords("callback-no-wait", second.lambdaId);
    const line = await waitFor("the thawed timer's record", () =>
      running.logs.find((l) => l.endsWith(pending)),
    );
    // Written while the second invocation ran, under the first's request ID (not yet replaced).
    assert.equal(line.split("\t")[1], first.lambdaId);
  });

  /** The records of a request as written, parsed, once its REPORT is in. */
  const writtenRecords = async (reply: { headers: Record<string, unknown> }) =>
    (await consoleEntry(String(reply.headers["apigw-requestid"]))).logs.map(
      (l) => JSON.parse(l.text) as Record<string, unknown>,
    );
  const reportOf = (records: Record<string, unknown>[]) =>
    records.find((r) => r.type === "platform.report")!.record as Record<string, unknown>;

  it("logs what a handler throws as the runtime does: an Error made of a string", async () => {
    const { reply } = await call("/throws-string");
    assert.equal(reply.status, 500);
    const records = await writtenRecords(reply);
    const error = records.find((r) => r.level === "ERROR")!;
    const message = error.message as {
      errorType: string;
      errorMessage: string;
      stackTrace: string[];
    };
    assert.deepEqual(
      [message.errorType, message.errorMessage, message.stackTrace[0]],
      ["Error", "just a string", "Error: just a string"],
    );
    assert.deepEqual([reportOf(records).status, reportOf(records).errorType], ["error", "string"]);
  });

  it("logs a thrown null as the runtime's 'handled' error and a cyclic object by its text", async () => {
    const nullThrown = await call("/throws-null");
    const cyclic = await call("/throws-cyclic");
    assert.deepEqual([nullThrown.reply.status, cyclic.reply.status], [500, 500]);
    const messages = await Promise.all(
      [nullThrown.reply, cyclic.reply].map(async (reply) => {
        const error = (await writtenRecords(reply)).find((r) => r.level === "ERROR")!;
        return (error.message as { errorMessage: string }).errorMessage;
      }),
    );
    // `context.fail(null)` is `done("handled")`; an object becomes `new Error(String(object))`.
    assert.deepEqual(messages, ["handled", "[object Object]"]);
  });

  it("answers an error whose name and message cannot be read as the runtime's 'handled' error", async () => {
    const { reply } = await call("/rejects-getters");
    assert.equal(reply.status, 500);
    const records = await writtenRecords(reply);
    assert.equal(reportOf(records).errorType, "handled");
    assert.equal((await send(api, "GET", "/succeed")).status, 200);
  });

  it("logs an uncaught exception, fails the invocation, and starts a fresh environment", async () => {
    const { reply } = await call("/uncaught");
    assert.equal(reply.status, 500);
    const records = await writtenRecords(reply);
    const uncaught = records.find((r) => r.level === "ERROR")!;
    assert.deepEqual(
      [
        (uncaught.message as { errorType: string }).errorType,
        (uncaught.message as { errorMessage: string }).errorMessage,
      ],
      ["RangeError", "thrown from a timer"],
    );
    assert.equal(reportOf(records).errorType, "RangeError");
    const again = await call("/uncaught");
    assert.equal(again.reply.status, 500);
    // The next invocation initialises again within itself (a suppressed init, as Lambda's after
    // a crash): its report names no init duration.
    const metrics = reportOf(await writtenRecords(again.reply)).metrics as Record<string, number>;
    assert.equal(metrics.initDurationMs, undefined);
  });

  it("ends a function at its timeout with a platform.report of status timeout", async () => {
    const { reply } = await call("/times-out");
    assert.equal(reply.status, 500);
    const report = reportOf(await writtenRecords(reply));
    assert.equal(report.status, "timeout");
    assert.equal((report.metrics as Record<string, number>).durationMs >= 1000, true);
  });
});
