// What a function's worker thread needs to behave as its own Lambda execution environment, and
// how its handler is loaded (UserFunction.js of aws/aws-lambda-nodejs-runtime-interface-client,
// see docs/sources.md, RIC).
"use strict";
const path = require("node:path");
const { constants } = require("node:os");
const Errors = require("./errors");

/**
 * What Lambda gives a function and a worker thread would not, installed before the handler loads:
 * - the working directory is the task root (Lambda's /var/task); a worker shares its process's,
 *   so `process.cwd()` answers the task root;
 * - a signal to its own process, or `process.abort()`, ends the function's execution environment,
 *   as on Lambda, and never the local environment that hosts every function;
 * - the `awslambda` global the runtime defines before loading a handler (UserFunction.js
 *   `_loadUserApp`); response streaming itself is not emulated (HTTP APIs do not stream).
 * - what it writes to stdout and stderr goes to `post`, in order with its console's records and
 *   its answers (one channel: a worker's own stdio waits for the host to take each chunk, and
 *   a frozen thread would hold the rest; 7 MB written at once was held until the next
 *   invocation).
 * Returns the way to end a line the function left unfinished: the next invocation starts on a
 * line of its own.
 */
function isolateFromHost(codeDir, post) {
  process.cwd = () => codeDir;
  const realKill = process.kill.bind(process);
  process.kill = (pid, signal = "SIGTERM") => {
    if (pid === process.pid || pid === 0 || pid === -process.pid) {
      process.exit(128 + (typeof signal === "number" ? signal : (constants.signals[signal] ?? 15)));
    }
    return realKill(pid, signal);
  };
  process.abort = () => process.exit(134);
  globalThis.awslambda = {
    streamifyResponse: (handler, options) => {
      handler[Symbol.for("aws.lambda.runtime.handler.streaming")] = "response";
      if (typeof options?.highWaterMark === "number") {
        handler[Symbol.for("aws.lambda.runtime.handler.highWaterMark")] = options.highWaterMark;
      }
      return handler;
    },
    HttpResponseStream: class HttpResponseStream {},
  };
  let midLine = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = (chunk, encoding, callback) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk ?? "").toString("utf8");
      if (text.length > 0) {
        midLine = text.charCodeAt(text.length - 1) !== 10;
        post(text);
      }
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done);
      return true;
    };
  }
  return () => {
    if (midLine) post("\n");
    midLine = false;
  };
}

/** UserFunction.js `_isAsync`. */
function isAsyncFunction(handler) {
  try {
    return handler.constructor.name === "AsyncFunction";
  } catch {
    return false;
  }
}

/**
 * UserFunction.js `load`: the module's syntax error is Runtime.UserCodeSyntaxError, a missing
 * module Runtime.ImportModuleError, a missing export Runtime.HandlerNotFound. On nodejs24.x a
 * handler of three parameters or more is refused at init (CallbackHandlerDeprecated), async or
 * not: the 4.x client reads the parameter count alone (`(metadata?.argsNum ?? 0) >= 3`).
 */
function loadHandler(codeDir, handlerSetting, major) {
  const dot = handlerSetting.lastIndexOf(".");
  const exportName = handlerSetting.slice(dot + 1);
  let loaded;
  try {
    loaded = require(path.join(codeDir, handlerSetting.slice(0, dot)));
  } catch (e) {
    if (e instanceof SyntaxError) return { initError: new Errors.UserCodeSyntaxError(e) };
    if (e && e.code === "MODULE_NOT_FOUND") return { initError: new Errors.ImportModuleError(e) };
    return { initError: e };
  }
  const handler = loaded == null ? undefined : loaded[exportName];
  if (!handler) {
    return {
      initError: new Errors.HandlerNotFound(`${handlerSetting} is undefined or not exported`),
    };
  }
  if (typeof handler !== "function") {
    return { initError: new Errors.HandlerNotFound(`${handlerSetting} is not a function`) };
  }
  const isAsync = isAsyncFunction(handler);
  if (major >= 24 && handler.length >= 3) {
    return { initError: new Errors.CallbackHandlerDeprecated() };
  }
  return { handler, isAsync };
}

module.exports = { isolateFromHost, loadHandler };
