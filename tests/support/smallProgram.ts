/**
 * A program whose type check is small, in a folder of its own: ES2022's declarations alone, not
 * the DOM's and every @types package's, so that a check takes a moment even on a busy machine.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function smallProgramDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const compilerOptions = { strict: true, noEmit: true, lib: ["es2022"], types: [] };
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions, files: ["index.ts"] }),
  );
  writeFileSync(join(dir, "index.ts"), "export const n: number = 1;\n");
  return dir;
}
