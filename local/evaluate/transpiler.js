// The evaluator's TypeScript: each `.ts` file is emitted with TypeScript's `transpileModule` and
// the project's compiler options, as the Pulumi Node.js language host's ts-node emits it in
// transpile-only mode, so that the program, and every function the closure serializer captures
// from it, is the very JavaScript `pulumi up` runs. Outputs are kept by file name and text, and a
// spare evaluator transpiles ahead, while it waits, the files the last evaluation loaded
// (`transpileAhead`): transpiling was 235 of the 500 ms of CPU a hot reload's evaluation took.
//
// Unlike ts-node, it installs no source-map support: V8 formats a stack trace as for any
// JavaScript, and the SDK asks for one per promise it creates (`new Error().stack`, for its leak
// report), which source-mapped cost 0.35 s of each evaluation. The one stack an evaluation
// reports, a failed program's, is mapped back to the TypeScript here (`originalStack`).
// Plain JavaScript: it is what loads TypeScript (registerTypeScript.js).
"use strict";
const { readFileSync } = require("node:fs");
const { dirname } = require("node:path");
const { pathToFileURL } = require("node:url");
const { TraceMap, originalPositionFor } = require("@jridgewell/trace-mapping");
const ts = require("typescript");

/** File name → the last text transpiled, its output and, once asked for, its map. */
const outputs = new Map();
let compilerOptions = {};

/**
 * The compiler options of `configPath` (a tsconfig.json; none when it is missing), as ts-node
 * applies them to what it emits: a source map beside the code, no declarations.
 */
function compilerOptionsOf(configPath) {
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config ?? {}, ts.sys, dirname(configPath));
  return { ...options, sourceMap: true, inlineSourceMap: false, declaration: false };
}

/**
 * Emits with the compiler options of `configPath`, read again before each evaluation: a changed
 * tsconfig.json serves what a fresh start would. Outputs emitted with other options are dropped.
 */
function configure(configPath) {
  const next = compilerOptionsOf(configPath);
  if (JSON.stringify(next) !== JSON.stringify(compilerOptions)) outputs.clear();
  compilerOptions = next;
}

/** The diagnostics ts-node leaves out whatever the project says (its `diagnosticsIgnored`). */
const IGNORED_DIAGNOSTICS = [6059, 18002, 18003];

/**
 * A file that does not parse fails as ts-node fails it in transpile-only mode, with the same
 * message (`⨯ Unable to compile TypeScript:` and tsc's lines, paths from the working directory),
 * which the local environment shows as the reason a reload failed.
 */
class TSError extends Error {
  constructor(diagnostics) {
    const text = ts.formatDiagnostics(diagnostics, {
      getNewLine: () => ts.sys.newLine,
      getCurrentDirectory: () => process.cwd(),
      getCanonicalFileName: (name) => name,
    });
    super(`⨯ Unable to compile TypeScript:\n${text}`);
    this.name = "TSError";
    this.diagnosticCodes = diagnostics.map((d) => d.code);
  }
}

/**
 * `input`, the text of `fileName`, as the program runs it: its JavaScript (the source map kept
 * apart, not in the code), the map, and the diagnostics that fail it. One emit for the evaluator
 * and for the archives' source maps (`emittedFiles`), so that both see the same code.
 */
function emit(input, fileName, options) {
  const result = ts.transpileModule(input, {
    fileName,
    compilerOptions: options,
    reportDiagnostics: true,
  });
  return {
    outputText: result.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n"),
    sourceMapText: result.sourceMapText,
    diagnostics: (result.diagnostics ?? []).filter((d) => !IGNORED_DIAGNOSTICS.includes(d.code)),
  };
}

/** The JavaScript for `input`, the text of `fileName`. */
function transpile(input, fileName) {
  const kept = outputs.get(fileName);
  if (kept !== undefined && kept.input === input) return kept.outputText;
  const { outputText, sourceMapText, diagnostics } = emit(input, fileName, compilerOptions);
  if (diagnostics.length > 0) throw new TSError(diagnostics);
  outputs.set(fileName, { input, outputText, sourceMapText });
  return outputText;
}

/** Transpiles `files` now, so that requiring them later finds their output ready. */
function transpileAhead(files) {
  for (const fileName of files) {
    try {
      transpile(readFileSync(fileName, "utf8"), fileName);
    } catch {
      // Gone, or not valid TypeScript any more: the program's own require says so, as usual.
    }
  }
}

/** A stack trace with each position in a transpiled file moved to its line in the TypeScript. */
function originalStack(stack) {
  return stack.replace(/([^\s(]+\.ts):(\d+):(\d+)/g, (whole, file, line, column) => {
    const kept = outputs.get(file);
    if (kept === undefined || kept.sourceMapText === undefined) return whole;
    kept.map ??= new TraceMap(kept.sourceMapText);
    const at = originalPositionFor(kept.map, { line: Number(line), column: Number(column) - 1 });
    return at.line === null ? whole : `${file}:${at.line}:${at.column + 1}`;
  });
}

/**
 * `files` as this process ran them: each one's TypeScript, emitted JavaScript and that JavaScript's
 * mappings (`EmittedFile` in local/lambda/sourceMaps.ts), for the archives' source maps.
 */
function emittedFiles(files) {
  return files.flatMap((fileName) => {
    const kept = outputs.get(fileName);
    if (kept === undefined || kept.sourceMapText === undefined) return [];
    return [
      {
        source: pathToFileURL(fileName).href,
        sourceText: kept.input,
        js: kept.outputText,
        mappings: JSON.parse(kept.sourceMapText).mappings,
      },
    ];
  });
}

module.exports = {
  compilerOptionsOf,
  configure,
  emit,
  emittedFiles,
  transpile,
  transpileAhead,
  originalStack,
};
