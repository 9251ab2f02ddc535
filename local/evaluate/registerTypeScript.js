// How the evaluator loads TypeScript: every `.ts` file required (the program's, and the
// evaluator's own) goes through transpiler.js, by a require hook that `pirates` installs (the
// library @babel/register and others use for it), with the compiler options of the tsconfig.json
// EVALUATE_TSCONFIG names: the project's, as the Pulumi language host uses it. Plain JavaScript,
// passed to node with `-r`.
"use strict";
const { addHook } = require("pirates");
const { configure, transpile } = require("./transpiler.js");

configure(process.env.EVALUATE_TSCONFIG);
addHook((code, fileName) => transpile(code, fileName), { exts: [".ts"], ignoreNodeModules: true });
