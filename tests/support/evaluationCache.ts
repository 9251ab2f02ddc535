/**
 * Evaluations of this project's programs shared by every worker of a test run, and by the next
 * run, on disk under `.test-state/evaluations/`. An evaluation is a pure function of the
 * program's sources, the stack's files, the evaluator and the installed packages, so the key is a
 * hash of all of them: a change to any evaluates afresh. One worker evaluates; the others wait
 * for its file (a lock file says one is at it).
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { evaluateProgram } from "../../local/evaluate/evaluateProgram";
import type { Evaluation } from "../../local/evaluate/snapshot";
import { TEST_STATE_DIR } from "./paths";
import { waitFor } from "./waitFor";

/** Longer than any evaluation takes (a few seconds). */
const STALE_LOCK_MS = 60_000;

/** When a lock file was made; 0 when it has gone meanwhile. */
function lockTime(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

/** What an evaluation depends on, relative to the project. */
const INPUTS = [
  "index.ts",
  "infra",
  "facts",
  "handlers",
  "tests/fixtures",
  "local/evaluate",
  "local/lambda/sourceMaps.ts",
  "Pulumi.yaml",
  "package-lock.json",
];

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, join(path, name)));
}

function keyOf(projectDir: string, stack: string, entry: string): string {
  const hash = createHash("sha256").update(`${projectDir}\0${stack}\0${entry}\0`);
  for (const file of [
    ...INPUTS.flatMap((p) => filesUnder(projectDir, p)),
    `Pulumi.${stack}.yaml`,
  ]) {
    hash.update(file).update("\0");
    if (existsSync(join(projectDir, file))) hash.update(readFileSync(join(projectDir, file)));
  }
  return hash.digest("hex").slice(0, 24);
}

/** The evaluation of `entry` for `stack`, from the cache when one is there. */
export async function cachedEvaluation(
  projectDir: string,
  stack: string,
  entry = "index.ts",
): Promise<Evaluation> {
  const dir = join(TEST_STATE_DIR, "evaluations");
  mkdirSync(dir, { recursive: true });
  const key = keyOf(projectDir, stack, entry);
  const file = join(dir, `${key}.json`);
  const lock = join(dir, `${key}.lock`);
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Evaluation;
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch {
      // Another worker evaluates: wait for its file, or for its lock to go (it failed). A lock
      // older than any evaluation takes was left by a run that was stopped: it is removed.
      await waitFor(`the evaluation ${key}`, () => {
        if (existsSync(file) || !existsSync(lock)) return true;
        if (Date.now() - lockTime(lock) > STALE_LOCK_MS) rmSync(lock, { force: true });
        return false;
      });
      continue;
    }
    try {
      const evaluation = await evaluateProgram({ projectDir, stack, entry });
      if (evaluation.kind === "evaluated") {
        writeFileSync(`${file}.tmp`, JSON.stringify(evaluation));
        renameSync(`${file}.tmp`, file);
      }
      return evaluation;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}
