// The type checker's thread (see checkerProcess.js): TypeScript's watch program over the
// project's tsconfig.json, each check's errors posted as tsc prints them.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const ts = require("typescript");

const { projectDir } = workerData;
const configPath = ts.findConfigFile(projectDir, ts.sys.fileExists, "tsconfig.json");
const formatHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => projectDir,
  getNewLine: () => "\n",
};

if (configPath === undefined) {
  parentPort.postMessage({ errors: [], skipped: `no tsconfig.json in ${projectDir}` });
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
      parentPort.postMessage({ errors });
      errors = [];
    },
  );
  ts.createWatchProgram(host);
}
