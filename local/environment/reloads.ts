import { SUPERSEDED } from "../evaluate/evaluateProgram";
import type { LocalModel } from "../interpret/model";
import { CHECKER_IDLE_MS, watchTypes } from "../typecheck/typeChecker";
import { watchProgram } from "../watch";
import type { ConsoleSide } from "./consoleSide";
import { sameModel, type ProgramSource } from "./lastEvaluation";
import { describeChange } from "./modelChange";
import type { LocalEnvironmentOptions } from "./options";

/**
 * Past this, an evaluation still running when the program changes again is abandoned for the
 * newer one: a program that hangs held its fix back for the evaluator's full 60 s. A reload takes
 * 0.2-0.6 s; one far shorter than this finishes, and the change after it is evaluated next.
 */
export const SUPERSEDE_AFTER_MS = 1500;

/**
 * Serializes reloads: one runs at a time, and changes that arrive during one trigger exactly one
 * more, so the last change is always served; one running longer than `SUPERSEDE_AFTER_MS` when a
 * change arrives is abandoned for it.
 */
export function serialized(reload: (signal: AbortSignal) => Promise<unknown>): () => void {
  let running: { abandon: AbortController; since: number } | undefined;
  let again = false;
  const run = () => {
    if (running !== undefined) {
      again = true;
      if (Date.now() - running.since > SUPERSEDE_AFTER_MS) running.abandon.abort();
      return;
    }
    const current = { abandon: new AbortController(), since: Date.now() };
    running = current;
    void reload(current.abandon.signal).finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}

/**
 * What a failed reload said of the program's compile errors (`file(line,col): error TS…`), which
 * the type checker does not say again; none once a reload succeeds.
 */
export interface ReloadNews {
  compileErrors: readonly string[];
}

/** The compile errors in a failed reload's message (ts-node's `⨯ Unable to compile TypeScript`). */
export function compileErrorLines(message: string): string[] {
  return message.split("\n").filter((l) => /^\S.*\(\d+,\d+\): error TS\d+: /.test(l));
}

/**
 * Hot reload, and the type checker, both following the program's files, as asked: reloads in
 * turn (`serialized`), the checker stopped while one evaluates. A change takes the last check's
 * errors off the console at once: they were the previous version's. `reloadInTurn` runs one more.
 */
export function followProgram(
  projectDir: string,
  options: LocalEnvironmentOptions,
  reload: (signal: AbortSignal) => Promise<unknown>,
  consoleSide: ConsoleSide | undefined,
  news: ReloadNews,
): { followers: ({ close(): void } | undefined)[]; reloadInTurn: () => void } {
  // Without hot reload nothing says the program changed: the checker then stays.
  const types = options.typecheck
    ? watchTypes(
        projectDir,
        options.log,
        consoleSide?.typeChecked,
        () => news.compileErrors,
        options.watch ? CHECKER_IDLE_MS : undefined,
      )
    : undefined;
  const reloadInTurn = serialized(async (signal) => {
    types?.pause();
    try {
      return await reload(signal);
    } finally {
      types?.resume();
    }
  });
  const changed = () => {
    consoleSide?.programChanged();
    types?.changed();
    reloadInTurn();
  };
  const followers = [options.watch ? watchProgram(projectDir, changed) : undefined, types];
  return { followers, reloadInTurn };
}

/**
 * A reload: a fresh evaluation, served unless it fails (the last good version keeps serving). The
 * first one after a start from the kept evaluation confirms it, and is served only if it differs.
 */
export function reloader(
  program: ProgramSource,
  log: (line: string) => void,
  consoleSide: ConsoleSide | undefined,
  serve: (next: LocalModel) => void | Promise<void>,
  news: ReloadNews = { compileErrors: [] },
): (signal?: AbortSignal) => Promise<boolean> {
  let unconfirmed = program.kept;
  return async (signal?: AbortSignal) => {
    const next = await program.evaluate(signal).catch((err: Error) => {
      // Abandoned for a newer save, which is evaluated next: nothing to say.
      if (err.message === SUPERSEDED) return;
      news.compileErrors = compileErrorLines(err.message);
      log(`reload failed, still serving the last good version:\n${err.message}`);
      consoleSide?.reloadFailed(err.message);
    });
    if (next === undefined) return false;
    news.compileErrors = [];
    const kept = unconfirmed;
    unconfirmed = undefined;
    if (kept !== undefined && sameModel(kept, next)) return true;
    if (kept !== undefined)
      log("the program's kept evaluation was out of date: serving a fresh one");
    try {
      await serve(next);
    } catch (err) {
      // A model the environment cannot serve (the tables' engine refused a table) keeps the last.
      const message = `the local environment could not serve it: ${(err as Error).message}`;
      log(`reload failed, still serving the last good version:\n${message}`);
      consoleSide?.reloadFailed(message);
      return false;
    }
    return true;
  };
}

/**
 * Says each reload in one line, what it changed since the model served before it; and a warning
 * only the first time it is said in this run (the start said the first model's), not again
 * before every reload.
 */
export function reloadLog(
  first: LocalModel,
  log: (line: string) => void,
): (served: LocalModel) => void {
  const warned = new Set(first.warnings);
  let last = first;
  return (served) => {
    for (const warning of served.warnings.filter((w) => !warned.has(w))) {
      warned.add(warning);
      log(`warning: ${warning}`);
    }
    log(`reloaded: ${describeChange(last, served)}`);
    last = served;
  };
}
