/**
 * Evaluations of this project's programs shared by every worker of a test run, and by the next
 * run, on disk under `.test-state/evaluations/`, each with the digest the kept evaluation of
 * `npm start` is judged by (`evaluationDigest`: every file the program loaded, the project and
 * stack files, the packages, Node's version, the evaluator's code): a change to any evaluates
 * afresh. One worker evaluates; the others wait for its file (a lock file says one is at it).
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { evaluationDigest } from "../../local/environment/lastEvaluation";
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

/** Where a program's evaluation is kept: one file per project folder, stack and entry. */
function keyOf(projectDir: string, stack: string, entry: string): string {
  return createHash("sha256")
    .update(`${projectDir}\0${stack}\0${entry}`)
    .digest("hex")
    .slice(0, 24);
}

/** A kept evaluation, if what it was made from has not changed since (`evaluationDigest`). */
function readKept(file: string, inputs: { projectDir: string; stack: string; entry: string }) {
  try {
    const kept = JSON.parse(readFileSync(file, "utf8")) as {
      digest: string;
      evaluation: Evaluation;
    };
    if (kept.evaluation.kind !== "evaluated") return undefined;
    return kept.digest === evaluationDigest(inputs, kept.evaluation.inputFiles)
      ? kept.evaluation
      : undefined;
  } catch {
    return undefined; // none yet, or one being replaced
  }
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
  const inputs = { projectDir, stack, entry };
  for (;;) {
    const kept = readKept(file, inputs);
    if (kept !== undefined) return kept;
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch {
      // Another worker evaluates: wait for its file, or for its lock to go (it failed). A lock
      // older than any evaluation takes was left by a run that was stopped: it is removed.
      await waitFor(`the evaluation ${key}`, () => {
        if (readKept(file, inputs) !== undefined || !existsSync(lock)) return true;
        if (Date.now() - lockTime(lock) > STALE_LOCK_MS) rmSync(lock, { force: true });
        return false;
      });
      continue;
    }
    try {
      const evaluation = await evaluateProgram({ projectDir, stack, entry });
      if (evaluation.kind === "evaluated") {
        const digest = evaluationDigest(inputs, evaluation.inputFiles);
        writeFileSync(`${file}.tmp`, JSON.stringify({ digest, evaluation }));
        renameSync(`${file}.tmp`, file);
      }
      return evaluation;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}
