/**
 * The function pools for the program as it is now: a reload keeps the pool (and its warm
 * environments) of every function whose code and settings are unchanged, and ends the others.
 */
import type { LocalFunction, LocalModel } from "../interpret/model";
import { FunctionPool, type FunctionPoolOptions } from "../lambda/functionPool";
import { functionsRoot, removeFunctionsRoot } from "../lambda/taskRoot";

export class FunctionFleet {
  private pools = new Map<string, FunctionPool>();
  /** Where the archives are written, outside the project (see `functionsRoot`). */
  readonly root: string;

  constructor(
    stateDir: string,
    private readonly settings: Pick<FunctionPoolOptions, "region" | "log" | "onLine">,
  ) {
    this.root = functionsRoot(stateDir);
  }

  /** The pools for this model's functions, by name. */
  reconcile(model: LocalModel): ReadonlyMap<string, FunctionPool> {
    const next = new Map<string, FunctionPool>();
    for (const fn of Object.values(model.functions)) {
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
    await Promise.all([...this.pools.values()].map((p) => p.dispose()));
    removeFunctionsRoot(this.root);
  }

  private pool(fn: LocalFunction): FunctionPool {
    return new FunctionPool(fn, { functionsRoot: this.root, ...this.settings });
  }
}

function sameFunction(a: LocalFunction, b: LocalFunction): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
