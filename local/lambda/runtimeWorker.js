// The bootstrap of one local Lambda execution environment, run in its own worker thread: own
// globals, module cache and environment variables. As Lambda's Node.js runtime does, it loads the
// handler once (the init phase), then serves one invocation at a time by the rules of the
// declared runtime's runtime client (runtime/invocation.js), logging through the patched console
// (runtime/logPatch.js), and is frozen between invocations. Plain JavaScript on purpose: a worker
// starts in milliseconds without a TypeScript compiler.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { getHeapStatistics } = require("node:v8");
const Errors = require("./runtime/errors");
const { patchConsole } = require("./runtime/logPatch");
const { invokeCallbackRuntime, invokeAwaitingRuntime } = require("./runtime/invocation");
const { isolateFromHost, loadHandler } = require("./runtime/sandbox");

const { codeDir, handler: handlerSetting, context: staticContext, wake, major } = workerData;
const endLines = isolateFromHost(codeDir, (text) => parentPort.postMessage({ output: text }));

// The invocation's request ID, "undefined" outside one (LogPatch.js keeps it in a global too).
let currentRequestId = "undefined";
const logError = patchConsole({
  requestId: () => currentRequestId,
  write: (text, requestId, readable) =>
    parentPort.postMessage({ record: text, requestId, readable }),
});

/**
 * Frozen: the thread waits, running nothing (no timer, no callback), until the host wakes it to
 * deliver a message (executionEnvironment.ts), as Lambda freezes an environment between
 * invocations (LAMBDA-LIFECYCLE). Work left pending resumes then.
 */
const wakeFlag = new Int32Array(wake);
let invoking = false;
function freeze() {
  // The next invocation may have arrived first (its message is read before this immediate
  // runs): then there is nothing to freeze for, and waiting would hold it until its timeout.
  if (invoking) return;
  parentPort.ref();
  // Only work left pending (a timer, a socket, a file read) could run between invocations: with
  // none, nothing needs stopping, and the host need not wake this thread for the next one (a
  // wake on every request took 8.7% of the API's CPU, profiled). UNCONFIRMED gap: an unref'd
  // timer or handle is not listed, and may run while no invocation is in flight.
  if (!hasPendingWork()) return;
  // The word (lambda/freezing.ts): RUNNING 0, WAKE 1, FROZEN 2. Frozen only if no wake came first.
  if (Atomics.compareExchange(wakeFlag, 0, 0, 2) === 0) Atomics.wait(wakeFlag, 0, 2);
}

/** Anything active but this thread's own message ports. */
function hasPendingWork() {
  return process.getActiveResourcesInfo().some((resource) => resource !== "MessagePort");
}
const next = () => {
  invoking = false;
  setImmediate(freeze);
};

const { handler, initError, isAsync } = loadHandler(codeDir, handlerSetting, major);
// How each line reports a handler that fails to load: 3.x's bootstrap lets the error escape
// (index.mjs, "Uncaught Exception"); nodejs24.x's logs show "Init Error".
if (initError !== undefined) logError(major >= 24 ? "Init Error" : "Uncaught Exception", initError);
else if (major < 24 && handler.length === 3 && !isAsync) warnOfCallbackHandler();
// A module that failed to load says which error: the host writes INIT_REPORT, answers the
// waiting event with it, and ends the environment, so that the next request initialises again.
parentPort.postMessage({
  initDone: true,
  // The memory the environment holds once its module has loaded: what REPORT says at least,
  // even for an invocation that ends without an answer (a timeout, an exit).
  memoryUsedMb: Math.ceil(
    (getHeapStatistics().total_physical_size + getHeapStatistics().external_memory) / 2 ** 20,
  ),
  ...(initError !== undefined
    ? { initErrorType: Errors.toRapidResponse(initError).errorType }
    : {}),
});

/** WarningForCallbackHandlers.js: the 3.x line's notice, unless the variable turns it off. */
function warnOfCallbackHandler() {
  if (process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING !== undefined) return;
  console.warn(
    `AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.`,
  );
}

/** The Runtime API's side: answers go to the host with the environment's peak memory. */
let peakBytes = 0;
function memoryUsedMb() {
  const heap = getHeapStatistics();
  peakBytes = Math.max(peakBytes, heap.total_physical_size + heap.external_memory);
  return Math.ceil(peakBytes / (1024 * 1024));
}
const client = {
  // RAPIDClient.js `_trySerializeResponse`: `undefined` is null; what JSON cannot write is an error.
  respond(result, id, then) {
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? "";
    } catch {
      throw new Error("Unable to stringify response body");
    }
    parentPort.postMessage({ id, kind: "ok", payload, memoryUsedMb: memoryUsedMb() });
    then();
  },
  fail(error, id, then) {
    const body = Errors.toRapidResponse(error);
    parentPort.postMessage({ id, kind: "error", ...body, memoryUsedMb: memoryUsedMb() });
    then();
  },
};

// index.mjs: an error no handler caught fails the invocation and ends the environment.
let invocationId;
const failAndExit = (label, code) => (error) => {
  logError(label, error);
  if (invoking) client.fail(error, invocationId, () => undefined);
  // The host ends the environment, and the event it sent answers with the exit, whether the
  // runtime read it or not (as Lambda's /next had handed it over): never run again elsewhere.
  parentPort.postMessage({ exiting: true, code });
  process.exit(code);
};
process.on("uncaughtException", failAndExit("Uncaught Exception", 129));
const onRejection = failAndExit("Unhandled Promise Rejection", 128);
process.on("unhandledRejection", (reason, promise) =>
  onRejection(new Errors.UnhandledPromiseRejection(reason, promise)),
);

parentPort.on("message", (message) => {
  Atomics.store(wakeFlag, 0, 0);
  invoke(message);
});

function invoke({ id, eventJson, requestId, deadlineMs, traceId }) {
  invoking = true;
  invocationId = id;
  endLines();
  currentRequestId = requestId;
  // InvokeContext.js `_forwardXRay`: the invocation's trace header, for the time it runs.
  if (traceId !== undefined) process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  if (initError !== undefined) {
    client.fail(initError, id, next);
    return;
  }
  // While an invocation runs, only its own work keeps the loop alive: when none is left, the
  // runtime's `beforeExit` rule applies (runtime/invocation.js).
  parentPort.unref();
  const data = {
    ...staticContext,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => deadlineMs - Date.now(),
  };
  const run = major >= 24 ? invokeAwaitingRuntime : invokeCallbackRuntime;
  run({ handler, isAsync, client, logError, id, eventJson, data, next });
}

freeze();
