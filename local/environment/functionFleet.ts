/**
 * The function pools for the program as it is now: a reload keeps the pool (and its warm
 * environments) of every function whose code and settings are unchanged, and ends the others.
 */
import type { LocalFunction, LocalModel } from "../interpret/model";
import { emitProgramFiles } from "../lambda/emittedFiles";
import { closeDebugger, debuggerNotice, openDebugger } from "./debugger";
import { FunctionPool, type FunctionPoolOptions } from "../lambda/functionPool";
import { withSourceMaps } from "../lambda/sourceMaps";
import { functionsRoot, provideRuntimeSdk, removeFunctionsRoot } from "../lambda/taskRoot";

export interface FleetSettings extends Pick<FunctionPoolOptions, "region" | "log" | "onLine"> {
  /** Where the AWS SDK the runtime provides is installed (the project: `provideRuntimeSdk`). */
  sdkFrom?: string;
  /**
   * `--inspect`: a debugger on `at`; each archive carries a source map back to the program's files
   * in `projectDir`, and no timeout ends an invocation a debugger holds.
   */
  debug?: { projectDir: string; at: { host: string; port: number } };
}

export class FunctionFleet {
  private pools = new Map<string, FunctionPool>();
  /** Where the archives are written, outside the project (see `functionsRoot`). */
  readonly root: string;

  constructor(
    stateDir: string,
    private readonly settings: FleetSettings,
  ) {
    if (settings.debug) settings.log(debuggerNotice(openDebugger(settings.debug.at)));
    this.root = functionsRoot(stateDir);
    if (settings.sdkFrom !== undefined) provideRuntimeSdk(this.root, settings.sdkFrom);
  }

  /** The pools for this model's functions, by name. */
  reconcile(model: LocalModel): ReadonlyMap<string, FunctionPool> {
    const next = new Map<string, FunctionPool>();
    const { debug } = this.settings;
    const emitted = debug && emitProgramFiles(debug.projectDir, model.programFiles);
    for (const declared of Object.values(model.functions)) {
      const fn = emitted ? withSourceMaps(declared, emitted) : declared;
      const old = this.pools.get(fn.name);
      next.set(fn.name, old !== undefined && sameFunction(old.fn, fn) ? old : this.pool(fn));
    }
    // A replaced pool finishes what it is running (see `retire`).
    for (const [name, pool] of this.pools) if (next.get(name) !== pool) pool.retire();
    this.pools = next;
    return next;
  }

  /** Ends every environment and removes the archives. */
  async dispose(): Promise<void> {
    // A debugger lets go first: a thread it holds at a breakpoint could not be ended.
    if (this.settings.debug) await closeDebugger();
    await Promise.all([...this.pools.values()].map((p) => p.dispose()));
    removeFunctionsRoot(this.root);
  }

  private pool(fn: LocalFunction): FunctionPool {
    const { debug, sdkFrom: _sdkFrom, ...settings } = this.settings;
    const pool = new FunctionPool(fn, {
      ...{ functionsRoot: this.root, ...settings },
      ...(debug !== undefined ? { untimed: true } : {}),
    });
    if (debug !== undefined) pool.warm();
    return pool;
  }
}

function sameFunction(a: LocalFunction, b: LocalFunction): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
