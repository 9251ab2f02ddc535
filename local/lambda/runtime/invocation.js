// One invocation, run by the rules of the declared runtime's runtime client (see docs/sources.md,
// RIC). `client` stands for the Runtime API: `respond(result, id, next)`, `fail(error, id, next)`;
// `next` freezes the environment until the next invocation (runtimeWorker.js).
"use strict";
const Errors = require("./errors");

/**
 * BeforeExitListener.js: the one `beforeExit` listener. It runs when the function's event loop
 * has nothing left to do: a callback handler that waits for an empty loop answers then, and an
 * invocation no one answered ends then.
 */
const NO_OP = () => {};
let onEmptyLoop = NO_OP;
process.on("beforeExit", () => onEmptyLoop());

/** CallbackContext.js `_rawCallbackContext` and `_wrappedCallbackContext`. */
function callbackContext(client, id, next, logError) {
  const postError = (err) => {
    logError("Invoke Error", err);
    client.fail(err, id, next);
  };
  let completed = false;
  const complete = (result) => {
    if (completed) {
      console.error(
        "Invocation has already been reported as done. Cannot call complete more than once per invocation.",
      );
      return;
    }
    completed = true;
    client.respond(result, id, next);
  };
  let waitForEmptyEventLoop = true;
  const callback = (err, result) => {
    onEmptyLoop = NO_OP;
    if (err !== undefined && err !== null) postError(err);
    else if (!waitForEmptyEventLoop) complete(result);
    else onEmptyLoop = () => setImmediate(() => complete(result));
  };
  const done = (err, result) => {
    onEmptyLoop = NO_OP;
    if (err !== undefined && err !== null) postError(err);
    else complete(result);
  };
  // Only the first call of any of them counts; one that throws has not counted.
  let finished = false;
  const once =
    (fn) =>
    (...args) => {
      if (finished) return;
      fn(...args);
      finished = true;
    };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done("handled") : done(err, null))),
    done: once(done),
  };
  return { callback: once(callback), context, markCompleted: () => (completed = true) };
}

const isPromise = (value) => value && value.then && typeof value.then === "function";

/**
 * Runtime.js `handleOnceNonStreaming` and `_setDefaultExitListener` (the 3.x line: nodejs22.x and
 * earlier). Only a promise's result is read: a plain return answers nothing, and the invocation
 * ends when the event loop empties, with `null` (an async handler's, with Runtime.NodeJsExit).
 */
function invokeCallbackRuntime({ handler, isAsync, client, logError, id, eventJson, data, next }) {
  const { callback, context, markCompleted } = callbackContext(client, id, next, logError);
  onEmptyLoop = () => {
    markCompleted();
    onEmptyLoop = NO_OP;
    if (isAsync) {
      const error = new Errors.NodeJsExit();
      logError("Invoke Error", error);
      client.fail(error, id, next);
    } else {
      client.respond(null, id, next);
    }
  };
  try {
    const result = handler(JSON.parse(eventJson), Object.assign(context, data), callback);
    if (isPromise(result)) result.then(context.succeed, context.fail).catch(context.fail);
  } catch (err) {
    callback(err);
  }
}

/**
 * The 4.x line (nodejs24.x): the handler's result is awaited, whatever it is; there is no
 * callback, no `succeed`/`fail`/`done` and no `callbackWaitsForEmptyEventLoop`. An invocation
 * whose event loop empties unanswered ends with Runtime.NodeJsExit, as an async handler's does
 * on the 3.x line (UNCONFIRMED: a choice, see docs/local-environment.md).
 */
async function invokeAwaitingRuntime({ handler, client, logError, id, eventJson, data, next }) {
  let answered = false;
  const answer = (post, value) => {
    if (answered) return;
    onEmptyLoop = NO_OP;
    post(value, id, next);
    // Set once posted: a result that cannot be sent is answered as an error instead.
    answered = true;
  };
  const failed = (err) => {
    logError("Invoke Error", err);
    answer(client.fail, err);
  };
  onEmptyLoop = () => {
    onEmptyLoop = NO_OP;
    failed(new Errors.NodeJsExit());
  };
  try {
    answer(client.respond, await handler(JSON.parse(eventJson), data));
  } catch (err) {
    failed(err);
  }
}

module.exports = { invokeCallbackRuntime, invokeAwaitingRuntime };
