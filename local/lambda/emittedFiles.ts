/**
 * The program's TypeScript files as the evaluation ran them: the evaluator emits each file with
 * TypeScript's `transpileModule` and the project's tsconfig.json (evaluate/transpiler.js), as the
 * Pulumi language host's ts-node does. The same call here gives the same JavaScript, and its
 * source map, which `composeSourceMap` follows back from an archive.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type * as TypeScript from "typescript";
import type { EmittedFile } from "./sourceMaps";

/** Each file's emitted JavaScript and source map; a file that cannot be read is left out. */
export function emitProgramFiles(projectDir: string, files: readonly string[]): EmittedFile[] {
  // Loaded here, under --inspect only: a start without it never loads the compiler (about 0.3 s).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof TypeScript;
  const compilerOptions: TypeScript.CompilerOptions = {
    ...projectCompilerOptions(ts, projectDir),
    // ts-node's own settings for what it emits (its source map beside the code, no declarations).
    sourceMap: true,
    inlineSourceMap: false,
    inlineSources: false,
    declaration: false,
  };
  const emitted: EmittedFile[] = [];
  for (const fileName of files) {
    let sourceText: string;
    try {
      sourceText = readFileSync(fileName, "utf8");
    } catch {
      continue;
    }
    const out = ts.transpileModule(sourceText, { compilerOptions, fileName });
    if (out.sourceMapText === undefined) continue;
    emitted.push({
      source: pathToFileURL(fileName).href,
      sourceText,
      js: out.outputText,
      mappings: (JSON.parse(out.sourceMapText) as { mappings: string }).mappings,
    });
  }
  return emitted;
}

/** The compiler options of the project's tsconfig.json, or none when it has none. */
function projectCompilerOptions(
  ts: typeof TypeScript,
  projectDir: string,
): TypeScript.CompilerOptions {
  const path = ts.findConfigFile(projectDir, ts.sys.fileExists, "tsconfig.json");
  if (path === undefined) return {};
  const { config } = ts.readConfigFile(path, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config ?? {}, ts.sys, projectDir).options;
}
