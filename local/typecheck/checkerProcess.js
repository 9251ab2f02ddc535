// The resident type checker: TypeScript's own watch program over the project's tsconfig.json,
// which is what the Pulumi Node.js language host type-checks with ts-node on `pulumi up`. It runs
// in a process of its own (typeChecker.ts starts it, and stops it while a reload evaluates), checks
// again on every save,
// and sends each check's errors, formatted as tsc prints them. Plain JavaScript: it needs no
// TypeScript loader of its own, only the compiler's API.
//
// The check itself runs in a worker thread (checkerThread.js): a check holds its thread for
// seconds, and this one stays free to notice that the environment that started it has gone
// (`kill -9` of npm start), and end at once rather than once the check is over.
"use strict";
const { resolve } = require("node:path");
const { Worker } = require("node:worker_threads");

const checker = new Worker(resolve(__dirname, "checkerThread.js"), {
  workerData: { projectDir: process.argv[2] },
});
checker.on("message", (result) => process.send(result));
// The environment that started this process ends it; if it dies first, so does this one.
process.on("disconnect", () => process.exit(0));
