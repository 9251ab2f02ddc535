// Test files run in parallel worker processes: most tests wait on sockets and child processes,
// so one worker more than the cores keeps them busy. On this 2-core machine, warm caches, the
// whole run: 83 s with two workers (the cores 1.6 busy on average), 69-71 s with three, 70 s
// with four.
const { availableParallelism } = require("node:os");

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: ["tests/**/*.test.ts"],
  timeout: 60000,
  recursive: true,
  parallel: true,
  jobs: availableParallelism() + 1,
};
