// The console of a function, as Lambda's Node.js runtime patches it: ported from
// aws/aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js (see docs/sources.md, RIC).
// - AWS_LAMBDA_LOG_FORMAT picks the record: text (`<time>\t<request ID>\t<LEVEL>\t<message>`) or
//   JSON (`{"timestamp","level","requestId","message"}`, with an error's fields);
// - AWS_LAMBDA_LOG_LEVEL drops the methods below it (TRACE when unset); `console.log` is INFO,
//   `console.trace` TRACE, and `console.fatal` (FATAL) always writes;
// - each call is one record, handed to `write` as Lambda's managed runtimes hand it to the
//   telemetry log descriptor (`logTextToFd`, `logJsonToFd`): a multi-line message stays one record.
"use strict";
const util = require("node:util");
const Errors = require("./errors");

const LEVELS = Object.freeze({
  TRACE: { name: "TRACE", priority: 1 },
  DEBUG: { name: "DEBUG", priority: 2 },
  INFO: { name: "INFO", priority: 3 },
  WARN: { name: "WARN", priority: 4 },
  ERROR: { name: "ERROR", priority: 5 },
  FATAL: { name: "FATAL", priority: 6 },
});

/** LogPatch.js `jsonErrorReplacer`: an Error as `errorType`, `errorMessage`, `stackTrace`. */
function jsonErrorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign(
    {
      errorType: value?.constructor?.name ?? "UnknownError",
      errorMessage: value.message,
      stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
    },
    value,
  );
}

/**
 * LogPatch.js `formatJsonMessage(requestId, timestamp, level, message, ...params)`: a message
 * alone is kept as JSON (none, as `console.log()` gives, leaves the record without one); with
 * more, they are formatted as text. Returns the record, and `message` as a reader wants it.
 */
function formatJsonMessage(requestId, timestamp, level, message, ...params) {
  const result = { timestamp, level: level.name, requestId };
  if (params.length === 0) {
    result.message = message;
    try {
      return { text: JSON.stringify(result, jsonErrorReplacer), message: readable(message) };
    } catch {
      result.message = util.format(result.message);
      return { text: JSON.stringify(result), message: result.message };
    }
  }
  result.message = util.format(message, ...params);
  for (const param of [message, ...params]) {
    if (param instanceof Error) {
      result.errorType = param?.constructor?.name ?? "UnknownError";
      result.errorMessage = param.message;
      result.stackTrace = typeof param.stack === "string" ? param.stack.split("\n") : [];
      break;
    }
  }
  return { text: JSON.stringify(result), message: result.message };
}

/** A JSON record's message as its text record would show it: an error as its stack. */
function readable(message) {
  if (typeof message === "string") return message;
  if (message === undefined) return "undefined";
  if (message instanceof Error && typeof message.stack === "string") return message.stack;
  return JSON.stringify(message, jsonErrorReplacer);
}

/**
 * Patches `console` and returns the runtime's error logger (`structuredConsole.logError`).
 * `write(text, requestId, readable)` receives each record as written and as a reader wants it:
 * a JSON record as its text record would be (time, request ID, level, message), written here,
 * from the same values, so nothing reads the record back; `requestId()` names the invocation
 * ("undefined" outside one, as during init).
 */
function patchConsole({ write, requestId }) {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === "JSON";
  const textRecord = (time, id, level, message) => `${time}\t${id}\t${level.name}\t${message}`;
  const log = json
    ? (level, ...params) => {
        const id = requestId();
        const time = new Date().toISOString();
        const { text, message } = formatJsonMessage(id, time, level, ...params);
        write(text, id, textRecord(time, id, level, message));
      }
    : (level, message, ...params) => {
        // LogPatch.js formats `message` and the rest: `console.log()` writes "undefined".
        const id = requestId();
        const text = textRecord(
          new Date().toISOString(),
          id,
          level,
          util.format(message, ...params),
        );
        write(text, id, text);
      };
  const threshold = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const method = (level) =>
    level.priority >= threshold.priority ? (...params) => log(level, ...params) : () => {};
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.log = console.info;
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  console.fatal = (...params) => log(LEVELS.FATAL, ...params);
  return json
    ? (_message, err) => console.error(Errors.intoError(err))
    : (message, err) => console.error(message, Errors.toFormatted(Errors.intoError(err)));
}

module.exports = { patchConsole };
