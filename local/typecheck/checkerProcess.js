// The resident type checker: TypeScript's own watch program over the project's tsconfig.json,
// which is what the Pulumi Node.js language host type-checks with ts-node on `pulumi up`. It runs
// in a process of its own (typeChecker.ts starts it at a low priority), checks again on every save,
// and sends each check's errors, formatted as tsc prints them. Plain JavaScript: it needs no
// TypeScript loader of its own, only the compiler's API.
"use strict";
const ts = require("typescript");

const projectDir = process.argv[2];
const configPath = ts.findConfigFile(projectDir, ts.sys.fileExists, "tsconfig.json");
const formatHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => projectDir,
  getNewLine: () => "\n",
};

if (configPath === undefined) {
  process.send({ errors: [], skipped: `no tsconfig.json in ${projectDir}` });
} else {
  let errors = [];
  const host = ts.createWatchCompilerHost(
    configPath,
    { noEmit: true },
    ts.sys,
    ts.createSemanticDiagnosticsBuilderProgram,
    (diagnostic) => errors.push(ts.formatDiagnostic(diagnostic, formatHost).trimEnd()),
    // A check ends with "Found N errors" (and its count): the errors gathered since are sent.
    (_diagnostic, _newLine, _options, errorCount) => {
      if (errorCount === undefined) return;
      process.send({ errors });
      errors = [];
    },
  );
  ts.createWatchProgram(host);
}
// The environment that started this process ends it; if it dies first, so does this one.
process.on("disconnect", () => process.exit(0));
