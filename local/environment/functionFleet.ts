/**
 * The function pools for the program as it is now: a reload keeps the pool (and its warm
 * environments) of every function whose code and settings are unchanged, and ends the others.
 */
import type { LocalFunction, LocalModel } from "../interpret/model";
import { closeDebugger, debuggerNotice, openDebugger } from "./debugger";
import { FunctionPool, type FunctionPoolOptions } from "../lambda/functionPool";
import { withSourceMaps } from "../lambda/sourceMaps";
import { functionsRoot, provideRuntimeSdk, removeFunctionsRoot } from "../lambda/taskRoot";

export interface FleetSettings extends Pick<FunctionPoolOptions, "region" | "log" | "onLine"> {
  /**
   * The program's folder: stacks read at its lines (`handlerStacks`), and the AWS SDK the runtime
   * provides installed there (`provideRuntimeSdk`).
   */
  projectDir: string;
  /**
   * `--inspect`: a debugger on `at`; each archive carries a source map back to the program's files,
   * and no timeout ends an invocation a debugger holds.
   */
  inspect?: { host: string; port: number };
}

export class FunctionFleet {
  private pools = new Map<string, FunctionPool>();

  /** Where the archives are written, outside the project (see `functionsRoot`). */
  readonly root: string;

  constructor(
    stateDir: string,
    private readonly settings: FleetSettings,
  ) {
    if (settings.inspect) settings.log(debuggerNotice(openDebugger(settings.inspect)));
    this.root = functionsRoot(stateDir);
    provideRuntimeSdk(this.root, settings.projectDir);
  }

  /** The pools for this model's functions, by name. */
  reconcile(model: LocalModel): ReadonlyMap<string, FunctionPool> {
    const next = new Map<string, FunctionPool>();
    for (const declared of Object.values(model.functions)) {
      const fn = this.settings.inspect ? withSourceMaps(declared) : declared;
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
    if (this.settings.inspect) await closeDebugger();
    await Promise.all([...this.pools.values()].map((p) => p.dispose()));
    removeFunctionsRoot(this.root);
  }

  private pool(fn: LocalFunction): FunctionPool {
    const { region, log, onLine, inspect, projectDir } = this.settings;
    const pool = new FunctionPool(fn, {
      functionsRoot: this.root,
      region,
      log,
      projectDir,
      ...(onLine !== undefined ? { onLine } : {}),
      ...(inspect !== undefined ? { untimed: true } : {}),
    });
    if (inspect !== undefined) pool.warm();
    return pool;
  }
}

function sameFunction(a: LocalFunction, b: LocalFunction): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
