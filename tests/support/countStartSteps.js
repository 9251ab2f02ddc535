// Preloaded (`node --require`) into a `start` process by tests/local/startSteps.test.ts: says on
// stderr, as it happens, each read of a kept evaluation and each built-in issuer thread started.
"use strict";
const fs = require("node:fs");
const threads = require("node:worker_threads");

const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (typeof path === "string" && /[/\\]evaluations[/\\][0-9a-f]+\.json$/.test(path)) {
    process.stderr.write("step: kept evaluation read\n");
  }
  return readFileSync.call(this, path, ...rest);
};

const Worker = threads.Worker;
threads.Worker = class extends Worker {
  constructor(file, options) {
    super(file, options);
    if (options?.name === "built-in issuer") process.stderr.write("step: issuer thread started\n");
  }
};
