// How Lambda's Node.js runtime turns what a handler throws into a log record and a response:
// ported from aws/aws-lambda-nodejs-runtime-interface-client, src/Errors.js (3.x line, the one
// nodejs22.x runs; see docs/sources.md, RIC). Ported, not loaded: the package's bundle always
// loads its native HTTP client.
"use strict";
const util = require("node:util");

/** Errors.js `_isError`: an object shaped like an Error, from any realm. */
function isErrorLike(obj) {
  return (
    obj &&
    obj.name &&
    obj.message &&
    obj.stack &&
    typeof obj.name === "string" &&
    typeof obj.message === "string" &&
    typeof obj.stack === "string"
  );
}

/** Errors.js `intoError`: anything thrown, as an Error (`new Error(value)` for the rest). */
function intoError(err) {
  return err instanceof Error ? err : new Error(err);
}

/**
 * Errors.js `toRapidResponse`: the body of an invocation error. A value whose name, message or
 * stack cannot be read becomes the runtime's own "handled" error.
 */
function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name?.replaceAll("\x7F", "%7F"),
        errorMessage: error.message?.replaceAll("\x7F", "%7F"),
        trace: error.stack.replaceAll("\x7F", "%7F").split("\n"),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: "handled",
      errorMessage:
        "callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack",
    };
  }
}

/** Errors.js `_withEnumerableProperties`: an Error's own fields, made visible to JSON. */
function withEnumerableProperties(error) {
  if (!(error instanceof Error)) return error;
  const fields = Object.assign(
    { errorType: error.name, errorMessage: error.message, code: error.code },
    error,
  );
  if (typeof error.stack === "string") fields.stack = error.stack.split("\n");
  return fields;
}

/** Errors.js `toFormatted`: an error as the text log format writes it, after a tab. */
function toFormatted(error) {
  try {
    return "\t" + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch {
    return "\t" + JSON.stringify(toRapidResponse(error));
  }
}

/** The runtime's own error types, named `Runtime.<Class>` (Errors.js `errorClasses`). */
class ImportModuleError extends Error {}
class HandlerNotFound extends Error {}
class UserCodeSyntaxError extends Error {}
class NodeJsExit extends Error {
  constructor() {
    super(
      "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes",
    );
  }
}
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
/** The nodejs24.x runtime's refusal of a callback handler, as real logs show it (NODE24-CALLBACKS). */
class CallbackHandlerDeprecated extends Error {
  constructor() {
    super(
      "ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.",
    );
  }
}
const runtimeErrors = {
  ImportModuleError,
  HandlerNotFound,
  UserCodeSyntaxError,
  NodeJsExit,
  UnhandledPromiseRejection,
  CallbackHandlerDeprecated,
};
for (const [name, errorClass] of Object.entries(runtimeErrors)) {
  errorClass.prototype.name = `Runtime.${name}`;
}

module.exports = { intoError, toRapidResponse, toFormatted, ...runtimeErrors };
