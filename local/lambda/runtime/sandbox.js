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
 *   invocation); so does what it writes to descriptors 1 and 2 with `fs.writeSync` or `fs.write`,
 *   which a thread shares with the process (on Lambda both go to the function's log stream);
 * - a worker thread it starts gets its own memory limits at most, as Lambda's limit holds the
 *   whole environment (without, one thread of a 128 MB function held 1.5 GB).
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
  const written = (text) => {
    if (text.length > 0) {
      midLine = text.charCodeAt(text.length - 1) !== 10;
      post(text);
    }
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = (chunk, encoding, callback) => {
      written(typeof chunk === "string" ? chunk : Buffer.from(chunk ?? "").toString("utf8"));
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done);
      return true;
    };
  }
  captureDescriptorWrites(written);
  limitNestedWorkers();
  return () => {
    if (midLine) post("\n");
    midLine = false;
  };
}

/** `fs.writeSync(1|2, …)` and `fs.write(1|2, …)` as writes to stdout and stderr. */
function captureDescriptorWrites(written) {
  const fs = require("node:fs");
  const textOf = (data, offset, length) => {
    if (typeof data === "string") return data;
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const from = typeof offset === "number" ? offset : 0;
    const to = typeof length === "number" ? from + length : bytes.length;
    return bytes.subarray(from, to).toString("utf8");
  };
  const realWriteSync = fs.writeSync;
  fs.writeSync = (fd, data, offset, length, ...rest) => {
    if (fd !== 1 && fd !== 2) return realWriteSync(fd, data, offset, length, ...rest);
    const text = textOf(data, offset, length);
    written(text);
    return Buffer.byteLength(text);
  };
  const realWrite = fs.write;
  fs.write = (fd, data, ...rest) => {
    if (fd !== 1 && fd !== 2) return realWrite(fd, data, ...rest);
    const callback = rest.findLast((a) => typeof a === "function");
    const text = textOf(data, rest[0], rest[1]);
    written(text);
    if (callback !== undefined) process.nextTick(callback, null, Buffer.byteLength(text), data);
  };
}

/** A nested worker's limits: those it asks for, never more than this thread's own. */
function limitNestedWorkers() {
  const threads = require("node:worker_threads");
  const own = threads.resourceLimits;
  const RealWorker = threads.Worker;
  threads.Worker = class Worker extends RealWorker {
    constructor(filename, options = {}) {
      const asked = options.resourceLimits ?? {};
      const limits = Object.fromEntries(
        Object.entries(own).map(([key, value]) => [
          key,
          typeof asked[key] === "number" && asked[key] > 0 ? Math.min(asked[key], value) : value,
        ]),
      );
      super(filename, { ...options, resourceLimits: limits });
    }
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
