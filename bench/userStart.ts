/**
 * `npm start` as a user runs it, its defaults on (hot reload and the type checker): the memory of
 * its whole process tree 20 s after Ready, and how long a save's type error takes to reach the
 * terminal, for the first save after the start and for saves at editing's pace. Each commit runs
 * in a worktree of its own sharing this checkout's packages (a clean clone, without the install),
 * in turn in the same run.
 *
 * Alone: `node --require tsx/cjs bench/typeCheckFootprint.ts [COMMIT…]` (default HEAD).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { treeResidentBytes } from "./footprint";
import { npmStart, stopNpmStart, worktreeOf } from "./servers";

/** When the memory is read: the start's own type check is over well before. */
const IDLE_AFTER_READY_MS = 20_000;
/** Saves at editing's pace, each this long after the last one's errors were said. */
const EDITING_SAVES = 5;
const EDITING_PAUSE_MS = 2_000;

export interface TypeCheckFootprint {
  commit: string;
  /** The tree's resident bytes, 20 s after Ready. */
  idleBytes: number;
  /** The highest reading from Ready until then (the start's evaluation and type check). */
  startPeakBytes: number;
  /** Save → its type error said, the first save after the start. */
  firstSaveMs: number;
  /** The same, at editing's pace. */
  editingMs: number[];
}

export async function typeCheckFootprint(commit: string): Promise<TypeCheckFootprint> {
  const worktree = worktreeOf(commit, "bench-typecheck");
  const { dir } = worktree;
  const started = await npmStart(join(dir, ".local"), dir);
  try {
    const root = started.running.child.pid!;
    let startPeakBytes = 0;
    for (const until = Date.now() + IDLE_AFTER_READY_MS; Date.now() < until;) {
      startPeakBytes = Math.max(startPeakBytes, treeResidentBytes(root));
      await new Promise((r) => setTimeout(r, 250));
    }
    const idleBytes = treeResidentBytes(root);
    const file = join(dir, "handlers", "public.ts");
    const original = readFileSync(file, "utf8");
    const said = async (text: string, action: () => void) => {
      const before = started.running.stdout().length;
      const saved = Date.now();
      action();
      while (!started.running.stdout().slice(before).includes(text)) {
        if (Date.now() - saved > 60_000) throw new Error(`"${text}" not said within 60 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - saved;
    };
    const typeError = (n: number) => () =>
      writeFileSync(file, `export const n: number = "${n}";\n${original}`);
    const fixed = () => writeFileSync(file, original);
    const firstSaveMs = await said("1 type error", typeError(0));
    await said("type check: no errors", fixed);
    const editingMs: number[] = [];
    for (let i = 1; i <= EDITING_SAVES; i++) {
      await new Promise((r) => setTimeout(r, EDITING_PAUSE_MS));
      editingMs.push(await said("1 type error", typeError(i)));
      await said("type check: no errors", fixed);
    }
    return { commit, idleBytes, startPeakBytes, firstSaveMs, editingMs };
  } finally {
    await stopNpmStart(started.running);
    worktree.remove();
  }
}

/** One line per commit, as the bench prints it. */
export function footprintLine(f: TypeCheckFootprint): string {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${f.commit}: npm start's tree ${mb(f.idleBytes)} 20 s after Ready (peak ${mb(f.startPeakBytes)} while starting); a save's type error said in ${s(f.firstSaveMs)} s the first time, ${f.editingMs.map(s).join(", ")} s while editing`;
}

if (require.main === module) {
  void (async () => {
    const commits = process.argv.slice(2);
    for (const commit of commits.length > 0 ? commits : ["HEAD"]) {
      console.log(footprintLine(await typeCheckFootprint(commit)));
    }
  })();
}
