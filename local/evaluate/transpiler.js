// The evaluator's TypeScript transpiler, given to ts-node through its `transpiler` option (its
// documented interface for third-party transpilers: `create` returns `{ transpile }`). It emits as
// ts-node's own transpile-only mode does, with TypeScript's `transpileModule` and the project's
// compiler options as ts-node resolved them, so the program, and every function the closure
// serializer captures from it, is the very JavaScript `pulumi up` runs. What it adds: outputs kept
// by file name and text, and `transpileAhead`, which a spare evaluator calls while it waits, for
// the files the last evaluation loaded. Transpiling was 235 of the 500 ms of CPU a hot reload's
// evaluation took (profiled); a file saved since is transpiled on its turn, as usual.
// Plain JavaScript: ts-node loads it before it can load TypeScript.
"use strict";
const { readFileSync } = require("node:fs");

/** The transpiler ts-node created last (one per process, for the project's compiler options). */
let current;

/** ts-node's `TranspilerModule.create`. */
exports.create = ({ service }) => {
  const ts = require("typescript");
  const compilerOptions = service.config.options;
  /** File name → the last text transpiled and its output. */
  const outputs = new Map();
  const transpile = (input, { fileName }) => {
    const kept = outputs.get(fileName);
    if (kept !== undefined && kept.input === input) return kept.output;
    const result = ts.transpileModule(input, {
      fileName,
      compilerOptions,
      reportDiagnostics: true,
    });
    const output = {
      outputText: result.outputText,
      sourceMapText: result.sourceMapText,
      diagnostics: result.diagnostics,
    };
    outputs.set(fileName, { input, output });
    return output;
  };
  current = { transpile };
  return current;
};

/** Transpiles `files` now, so that requiring them later finds their output ready. */
exports.transpileAhead = (files) => {
  if (current === undefined) return;
  for (const fileName of files) {
    try {
      current.transpile(readFileSync(fileName, "utf8"), { fileName });
    } catch {
      // Gone, or not valid TypeScript any more: the program's own require says so, as usual.
    }
  }
};
