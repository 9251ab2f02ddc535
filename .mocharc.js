// Test files run in parallel worker processes: most tests wait on sockets and child processes,
// so two workers keep a two-core machine busy; more cores, more workers.
const { availableParallelism } = require("node:os");

module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: ["tests/**/*.test.ts"],
  timeout: 60000,
  recursive: true,
  parallel: true,
  jobs: Math.max(2, availableParallelism()),
};
