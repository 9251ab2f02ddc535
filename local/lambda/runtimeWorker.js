// The bootstrap of one local Lambda execution environment, run in its own worker thread: own
// globals, module cache and environment variables. Like Lambda's Node.js runtime it loads the
// handler module once (the init phase), then serves one invocation at a time. Plain JavaScript on
// purpose: a worker starts in milliseconds without a TypeScript compiler.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const path = require("node:path");

const { codeDir, handler: handlerSetting, context: staticContext } = workerData;
// `gc`, as Lambda exposes it (lambdaRuntime.ts sets --expose-gc), kept before the handler loads so
// that a memory reading's collection (local/diagnostics.ts) runs V8's, whatever the handler does.
const collectGarbage = globalThis.gc;
const { getHeapStatistics } = require("node:v8");
// What Lambda gives a function and a worker thread would not, installed before the handler loads:
// - the working directory is the task root (Lambda's /var/task); a worker shares its process's,
//   so `process.cwd()` answers the task root (the environment's own process runs from outside
//   the project too, see local/cli/start.ts);
// - a signal to its own process, or `process.abort()`, ends the function's execution environment,
//   as on Lambda, and never the local environment that hosts every function. Signals to other
//   processes (the function's own children) go through.
process.cwd = () => codeDir;
const SIGNALS = require("node:os").constants.signals;
const realKill = process.kill.bind(process);
process.kill = (pid, signal = "SIGTERM") => {
  if (pid === process.pid || pid === 0 || pid === -process.pid) {
    process.exit(128 + (typeof signal === "number" ? signal : (SIGNALS[signal] ?? 15)));
  }
  return realKill(pid, signal);
};
process.abort = () => process.exit(134);
// Lambda's Node.js runtime writes each console call as one line of its text log format: the
// time, the invocation's request ID ("undefined" outside an invocation, as during init), the
// level, the message (LAMBDA-LOGS). The host reads the request ID back to tie a line to its
// request. `process.stdout.write` stays raw, as on Lambda.
const { format } = require("node:util");
let currentRequestId = "undefined";
for (const [method, level] of [
  ["log", "INFO"],
  ["info", "INFO"],
  ["warn", "WARN"],
  ["error", "ERROR"],
  ["debug", "DEBUG"],
]) {
  console[method] = (...args) => {
    process.stdout.write(
      `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`,
    );
  };
}
// A line a function leaves unfinished (`process.stdout.write` with no line break) ends where its
// invocation ends: the next invocation starts on a line of its own. It is ended here, in the
// stream's own order; the host cannot tell, as the output arrives after the answer.
const lineEnders = [process.stdout, process.stderr].map((stream) => {
  const write = stream.write.bind(stream);
  let midLine = false;
  stream.write = (chunk, ...rest) => {
    const length = chunk == null ? 0 : chunk.length;
    if (length > 0) {
      const last = typeof chunk === "string" ? chunk.charCodeAt(length - 1) : chunk[length - 1];
      midLine = last !== 10;
    }
    return write(chunk, ...rest);
  };
  return () => {
    if (midLine) write("\n");
    midLine = false;
  };
});

const dot = handlerSetting.lastIndexOf(".");
const modulePath = path.join(codeDir, handlerSetting.slice(0, dot));
const exportName = handlerSetting.slice(dot + 1);

let handler;
let initError;
try {
  const loaded = require(modulePath);
  handler = loaded[exportName];
  if (typeof handler !== "function") {
    initError = {
      errorType: "Runtime.HandlerNotFound",
      errorMessage: `${handlerSetting} is undefined or not exported`,
    };
  }
} catch (err) {
  initError = { errorType: "Runtime.ImportModuleError", errorMessage: String(err && err.message) };
}

function toError(err) {
  if (err instanceof Error) return { errorType: err.name || "Error", errorMessage: err.message };
  return { errorType: "Error", errorMessage: String(err) };
}

parentPort.on("message", (message) => {
  // The diagnostics protocol (local/diagnostics.ts): collect, then report the heap in use.
  if (message.gc === true) {
    if (typeof collectGarbage === "function") collectGarbage();
    parentPort.postMessage({ gc: true, heapUsed: getHeapStatistics().used_heap_size });
    return;
  }
  const { id, eventJson, requestId, deadlineMs } = message;
  if (initError !== undefined) {
    parentPort.postMessage({ id, kind: "error", ...initError });
    return;
  }
  let settled = false;
  const finish = (ok, value) => {
    if (settled) return;
    settled = true;
    if (!ok) {
      parentPort.postMessage({ id, kind: "error", ...toError(value) });
      return;
    }
    let payload;
    try {
      // The runtime answers with the JSON text of the result; `undefined` becomes null. A value
      // JSON has no text for (a function, a Symbol, a `toJSON` that returns nothing) leaves the
      // body empty, which is not JSON: the host reports it as a response it cannot map.
      payload = JSON.stringify(value === undefined ? null : value) ?? "";
    } catch (err) {
      parentPort.postMessage({ id, kind: "error", ...toError(err) });
      return;
    }
    parentPort.postMessage({ id, kind: "ok", payload });
  };
  for (const endLine of lineEnders) endLine();
  currentRequestId = requestId;
  const context = {
    ...staticContext,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  try {
    const event = JSON.parse(eventJson);
    // Lambda sets the invocation's trace header as _X_AMZN_TRACE_ID for the time it runs.
    const trace = event && event.headers && event.headers["x-amzn-trace-id"];
    if (typeof trace === "string") process.env._X_AMZN_TRACE_ID = trace;
    else delete process.env._X_AMZN_TRACE_ID;
    // A handler with three parameters is callback-style (still supported on nodejs22.x).
    const result =
      handler.length >= 3
        ? new Promise((resolve, reject) =>
            handler(event, context, (err, value) => (err ? reject(err) : resolve(value))),
          )
        : handler(event, context);
    Promise.resolve(result).then(
      (value) => finish(true, value),
      (err) => finish(false, err),
    );
  } catch (err) {
    finish(false, err);
  }
});
