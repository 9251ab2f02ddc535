/**
 * `npm start` as a user runs it, defaults on (hot reload and the type checker), in a clone of a
 * commit with its own packages (`cloneOf`): the memory of its whole process tree 20 s after
 * Ready; how long a save's type error takes to reach the terminal, the first save after the start
 * and saves at editing's pace; how long a save takes to be served, saves far apart and at
 * editing's pace, and the tree's peak meanwhile.
 *
 * Alone, commits beside each other in one run: `node --require tsx/cjs bench/userStart.ts
 * [COMMIT…]` (default HEAD).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { treeResidentBytes } from "./footprint";
import { waitFor } from "../tests/support/waitFor";
import { cloneOf, npmStart, stopNpmStart, type NpmStart } from "./servers";

/** When the memory is read: the start's own type check is over well before. */
export const IDLE_AFTER_READY_MS = 20_000;
/** Each measure is taken this many times. */
const SAVES = 5;
/** Type errors at editing's pace: each save this long after the last one's errors were said. */
const TYPE_ERROR_PAUSE_MS = 2_000;
/** How each measure waits: polled every 10 ms, given up after a minute. */
const PATIENCE = { timeoutMs: 60_000, everyMs: 10 };
/** How long after the previous change was served each save comes: a pause, or editing's pace. */
export const SAVE_PACES = { spaced: 3000, editing: 300 } as const;

export interface UserStart {
  commit: string;
  /** The tree's resident bytes, 20 s after Ready. */
  idleBytes: number;
  /** The highest reading from Ready until then (the start's evaluation and type check). */
  startPeakBytes: number;
  /** Save → its type error said: the first save after the start, then at editing's pace. */
  typeErrors: { firstMs: number; editingMs: number[] };
  /** Save → its change served, at each pace. */
  served: Record<keyof typeof SAVE_PACES, number[]>;
  /** The highest reading while saves were served. */
  savePeakBytes: number;
}

export async function userStart(commit: string): Promise<UserStart> {
  const clone = cloneOf(commit, "bench-user");
  const started = await npmStart(join(clone.dir, ".local"), clone.dir);
  const root = started.running.child.pid!;
  const peak = peakOf(root);
  try {
    await new Promise((r) => setTimeout(r, IDLE_AFTER_READY_MS));
    const idleBytes = treeResidentBytes(root);
    const startPeakBytes = peak.reset();
    const handler = editable(join(clone.dir, "handlers", "public.ts"));
    const typeErrors = await typeErrorTimes(started, handler);
    peak.reset();
    const served = { spaced: [] as number[], editing: [] as number[] };
    let run = 0;
    for (const pace of ["spaced", "editing"] as const) {
      for (let i = 0; i < SAVES; i++) {
        await new Promise((r) => setTimeout(r, SAVE_PACES[pace]));
        const answer = `Hello reloaded ${++run}!`;
        const saved = Date.now();
        handler.write(handler.original.replace("Hello stranger!", answer));
        await waitFor(
          `${answer} served`,
          async () => (await (await fetch(`${started.apiEndpoint}/public`)).text()) === answer,
          PATIENCE,
        );
        served[pace].push(Date.now() - saved);
      }
    }
    return { commit, idleBytes, startPeakBytes, typeErrors, served, savePeakBytes: peak.reset() };
  } finally {
    peak.stop();
    await stopNpmStart(started.running);
    clone.remove();
  }
}

/** A handler to save into, and its text as committed. */
function editable(file: string) {
  const original = readFileSync(file, "utf8");
  return { original, write: (text: string) => writeFileSync(file, text) };
}

/** Save → `1 type error` said, the first time after the start and then at editing's pace. */
async function typeErrorTimes(started: NpmStart, handler: ReturnType<typeof editable>) {
  const said = async (text: string, save: string) => {
    const before = started.running.stdout().length;
    const saved = Date.now();
    handler.write(save);
    await waitFor(
      `"${text}" said`,
      () => started.running.stdout().slice(before).includes(text),
      PATIENCE,
    );
    return Date.now() - saved;
  };
  const typeError = (n: number) => `export const n: number = "${n}";\n${handler.original}`;
  const firstMs = await said("1 type error", typeError(0));
  await said("type check: no errors", handler.original);
  const editingMs: number[] = [];
  for (let i = 1; i <= SAVES; i++) {
    await new Promise((r) => setTimeout(r, TYPE_ERROR_PAUSE_MS));
    editingMs.push(await said("1 type error", typeError(i)));
    await said("type check: no errors", handler.original);
  }
  return { firstMs, editingMs };
}

/** The tree's highest resident memory, read every 100 ms; `reset` gives it and starts anew. */
function peakOf(root: number) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeResidentBytes(root))), 100);
  return {
    reset: () => {
      const seen = Math.max(peak, treeResidentBytes(root));
      peak = 0;
      return seen;
    },
    stop: () => clearInterval(timer),
  };
}

/** One line per commit, as the bench prints it. */
export function userStartLine(u: UserStart): string {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  const s = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(2)).join(", ");
  return [
    `${u.commit}: npm start's tree ${mb(u.idleBytes)} 20 s after Ready (peak ${mb(u.startPeakBytes)} while starting, ${mb(u.savePeakBytes)} while saves were served)`,
    `  a save's type error said in ${s([u.typeErrors.firstMs])} s the first time, ${s(u.typeErrors.editingMs)} s while editing`,
    `  a save served in ${s(u.served.spaced)} s far apart, ${s(u.served.editing)} s at editing's pace`,
  ].join("\n");
}

if (require.main === module) {
  void (async () => {
    const commits = process.argv.slice(2);
    for (const commit of commits.length > 0 ? commits : ["HEAD"]) {
      console.log(userStartLine(await userStart(commit)));
    }
  })();
}
