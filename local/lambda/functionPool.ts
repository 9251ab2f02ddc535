/**
 * One function's execution environments: a warm idle one is reused, else a new one starts, up to
 * a bound; requests beyond wait for one to be free (Lambda would scale out).
 */
import { randomUUID } from "node:crypto";
import type { LocalFunction } from "../interpret/model";
import { ExecutionEnvironment, type InvokeResult } from "./executionEnvironment";
import { writeArchive } from "./taskRoot";

export type { InvokeResult } from "./executionEnvironment";

export interface FunctionPoolOptions {
  /** The functions root (`functionsRoot`), outside the project, as Lambda's `/var/task` is. */
  functionsRoot: string;
  region: string;
  /** Receives each line the function prints, already prefixed with its name. */
  log: (line: string) => void;
  /** Environments kept at most. Default 8. */
  maxEnvironments?: number;
}

export class FunctionPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  /** Warm environments with nothing to do, most recently used last. */
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly taskRoot: string;
  private disposed = false;

  constructor(
    readonly fn: LocalFunction,
    private readonly options: FunctionPoolOptions,
  ) {
    this.taskRoot = writeArchive(fn.name, fn.files, options.functionsRoot);
  }

  async invoke(eventJson: string, requestId: string = randomUUID()): Promise<InvokeResult> {
    const environment = await this.acquire();
    const result = await environment.invoke(eventJson, requestId);
    if (!environment.isEnded) {
      this.idle.push(environment);
      this.waiting.shift()?.();
    }
    return result;
  }

  /** Ends every environment. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.environments].map((e) => e.end()));
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      if (this.disposed) throw new Error(`function ${this.fn.name} is shut down`);
      const idle = this.idle.pop();
      if (idle !== undefined) return idle;
      if (this.environments.size < (this.options.maxEnvironments ?? 8)) return this.start();
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
  }

  private start(): ExecutionEnvironment {
    const { fn, options } = this;
    const environment = new ExecutionEnvironment(
      { fn, taskRoot: this.taskRoot, region: options.region, log: options.log },
      (ended) => this.remove(ended),
    );
    this.environments.add(environment);
    return environment;
  }

  /** The one way out of the pool, whatever ended the environment; its place goes to a waiter. */
  private remove(environment: ExecutionEnvironment): void {
    this.environments.delete(environment);
    const idleAt = this.idle.indexOf(environment);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    this.waiting.shift()?.();
  }
}
