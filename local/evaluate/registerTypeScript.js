// How the evaluator loads TypeScript: ts-node, registered as the Pulumi Node.js language host
// registers it for `pulumi up` (transpile-only here, with the project's tsconfig.json), through
// ts-node's public `register`, with the evaluator's transpiler (transpiler.js) given through
// ts-node's `transpiler` option. Plain JavaScript, passed to node with `-r`.
"use strict";
require("ts-node").register({
  transpileOnly: true,
  project: process.env.TS_NODE_PROJECT,
  transpiler: require.resolve("./transpiler.js"),
});
