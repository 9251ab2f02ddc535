import type { LocalModel } from "../interpret/model";
import { watchTypes } from "../typecheck/typeChecker";
import { watchProgram } from "../watch";
import type { ConsoleSide } from "./consoleSide";
import { sameModel, type ProgramSource } from "./lastEvaluation";
import type { LocalEnvironmentOptions } from "./options";

/**
 * Serializes reloads: one runs at a time, and changes that arrive during one trigger exactly one
 * more, so the last change is always served.
 */
export function serialized(reload: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void reload().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}

/** Hot reload, and the type checker, both following the program's files, as asked. */
export function followProgram(
  projectDir: string,
  options: LocalEnvironmentOptions,
  reload: () => void,
  consoleSide: ConsoleSide | undefined,
): ({ close(): void } | undefined)[] {
  return [
    options.watch ? watchProgram(projectDir, reload) : undefined,
    options.typecheck ? watchTypes(projectDir, options.log, consoleSide?.typeChecked) : undefined,
  ];
}

/**
 * A reload: a fresh evaluation, served unless it fails (the last good version keeps serving). The
 * first one after a start from the kept evaluation confirms it, and is served only if it differs.
 */
export function reloader(
  program: ProgramSource,
  log: (line: string) => void,
  consoleSide: ConsoleSide | undefined,
  serve: (next: LocalModel) => void,
): () => Promise<boolean> {
  let unconfirmed = program.kept;
  return async () => {
    const next = await program.evaluate().catch((err: Error) => {
      log(`reload failed, still serving the last good version:\n${err.message}`);
      consoleSide?.reloadFailed(err.message);
    });
    if (next === undefined) return false;
    const kept = unconfirmed;
    unconfirmed = undefined;
    if (kept !== undefined && sameModel(kept, next)) return true;
    if (kept !== undefined)
      log("the program's kept evaluation was out of date: serving a fresh one");
    serve(next);
    return true;
  };
}

export function logReloaded(model: LocalModel, log: (line: string) => void): void {
  for (const warning of model.warnings) log(`warning: ${warning}`);
  log("reloaded");
}
