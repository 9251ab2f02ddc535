/**
 * The program's TypeScript files as the evaluation ran them: the evaluator's own emit
 * (evaluate/transpiler.js: TypeScript's `transpileModule` with the project's tsconfig.json, as the
 * Pulumi language host's ts-node emits), called here for the same JavaScript and its source map,
 * which `composeSourceMap` follows back from an archive.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as TypeScript from "typescript";
import type { EmittedFile } from "./sourceMaps";

/** The evaluator's emit (plain JavaScript), as `--inspect` needs it. */
interface Emitter {
  compilerOptionsOf(configPath: string): TypeScript.CompilerOptions;
  emit(
    input: string,
    fileName: string,
    options: TypeScript.CompilerOptions,
  ): { outputText: string; sourceMapText?: string; diagnostics: unknown[] };
}

/** Each file's emitted JavaScript and source map; a file that cannot be read or parsed is left out. */
export function emitProgramFiles(projectDir: string, files: readonly string[]): EmittedFile[] {
  // Loaded here, under --inspect only: a start without it never loads the compiler (about 0.3 s).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compilerOptionsOf, emit } = require("../evaluate/transpiler.js") as Emitter;
  const options = compilerOptionsOf(join(projectDir, "tsconfig.json"));
  const emitted: EmittedFile[] = [];
  for (const fileName of files) {
    let sourceText: string;
    try {
      sourceText = readFileSync(fileName, "utf8");
    } catch {
      continue;
    }
    const out = emit(sourceText, fileName, options);
    if (out.sourceMapText === undefined || out.diagnostics.length > 0) continue;
    emitted.push({
      source: pathToFileURL(fileName).href,
      sourceText,
      js: out.outputText,
      mappings: (JSON.parse(out.sourceMapText) as { mappings: string }).mappings,
    });
  }
  return emitted;
}
