/**
 * One function's execution environments: a warm idle one is reused, else a new one starts, up to
 * a bound; requests beyond wait for one to be free (Lambda would scale out). Environments a burst
 * started end once they have been idle a while; the last one stays warm.
 */
import { randomUUID } from "node:crypto";
import type { LocalFunction } from "../interpret/model";
import {
  ExecutionEnvironment,
  type FunctionLineListener,
  type InvokeResult,
} from "./executionEnvironment";
import { handlerStacks } from "./handlerStacks";
import { writeArchive } from "./taskRoot";

export type { InvokeResult } from "./executionEnvironment";

export interface FunctionPoolOptions {
  /** The functions root (`functionsRoot`), outside the project, as Lambda's `/var/task` is. */
  functionsRoot: string;
  region: string;
  /** Receives each line the function prints, already prefixed with its name. */
  log: (line: string) => void;
  /** Also receives each line with its request (the console's live requests). */
  onLine?: FunctionLineListener;
  /** Environments kept at most. Default 8. */
  maxEnvironments?: number;
  /** How long an environment beyond the last one is kept idle. Default `IDLE_ENVIRONMENT_MS`. */
  idleMs?: number;
  /**
   * `--inspect`: no timeout, the function's or the API's, ends an invocation a debugger holds at
   * a breakpoint (as LocalStack's Lambda Debug Mode lifts them: DEBUG-TIMEOUTS).
   */
  untimed?: boolean;
  /**
   * The program's folder: stacks read at the developer's lines, relative to it (`handlerStacks`).
   * Without it, records read as written.
   */
  projectDir?: string;
}

/**
 * Lambda reclaims idle environments on a schedule of its own (undocumented; minutes). Locally,
 * the ones a burst of concurrent requests started go after 5 s without an invocation, so that the
 * memory they hold (about 10 MB each) comes back; the most recently used one is never ended for
 * being idle, so one request after another always finds it warm, as on Lambda.
 */
export const IDLE_ENVIRONMENT_MS = 5_000;

export class FunctionPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  /** Warm environments with nothing to do, most recently used last, and since when. */
  private readonly idle: { environment: ExecutionEnvironment; since: number }[] = [];
  private readonly idleMs: number;
  private reclaimer: NodeJS.Timeout | undefined;
  private readonly waiting: (() => void)[] = [];
  private readonly taskRoot: string;
  private readonly readable: ((text: string) => string) | undefined;
  private disposed = false;
  private retired = false;
  /** The last environment to end crashed or timed out: the next one's init is a suppressed one. */
  private lastFailed = false;
  /** See `FunctionPoolOptions.untimed`. */
  readonly untimed: boolean;

  constructor(
    readonly fn: LocalFunction,
    private readonly options: FunctionPoolOptions,
  ) {
    this.taskRoot = writeArchive(fn.name, fn.files, options.functionsRoot);
    this.readable =
      options.projectDir !== undefined && fn.sourceMaps !== undefined
        ? handlerStacks(fn.sourceMaps, this.taskRoot, options.projectDir)
        : undefined;
    this.idleMs = options.idleMs ?? IDLE_ENVIRONMENT_MS;
    this.untimed = options.untimed === true;
  }

  /**
   * One invocation, named by Lambda's request ID, with the trace header it carries if any.
   * `abandoned`: nobody waits for its answer any more (the client left, API Gateway gave up):
   * while it still waits for an environment, it gives up its place and never runs.
   */
  async invoke(
    eventJson: string,
    requestId: string = randomUUID(),
    traceId?: string,
    abandoned?: AbortSignal,
  ): Promise<InvokeResult> {
    const environment = await this.acquire(abandoned);
    if (environment === undefined) return { kind: "crash", reason: "abandoned before it ran" };
    const result = await environment.invoke(eventJson, requestId, traceId);
    // A retired pool's environment ends once its invocation has: it is the old version's.
    if (this.retired && !environment.isEnded) void environment.end("retired");
    if (!environment.isEnded) {
      this.idle.push({ environment, since: Date.now() });
      this.waiting.shift()?.();
    }
    return result;
  }

  /** Ends the environments idle past `idleMs`, oldest first, keeping the most recently used. */
  private reclaim(): void {
    const cutoff = Date.now() - this.idleMs;
    while (this.environments.size > 1 && this.idle.length > 0 && this.idle[0]!.since <= cutoff) {
      void this.idle[0]!.environment.end("idle");
    }
    if (this.environments.size <= 1) this.stopReclaiming();
  }

  private stopReclaiming(): void {
    clearInterval(this.reclaimer);
    this.reclaimer = undefined;
  }

  /**
   * Starts an environment ahead of any request, its handler loaded (`--inspect`): a debugger then
   * has the archive's script, and binds the breakpoints set in its sources, before the first
   * request runs it. Node gives a debugger no stop before a CommonJS module's code runs (V8's
   * instrumentation breakpoint fires for scripts, not for the function the loader compiles a
   * module into; tried here), so a cold start would run the handler before its breakpoints bound.
   */
  warm(): void {
    if (this.environments.size === 0)
      this.idle.push({ environment: this.start(), since: Date.now() });
  }

  /** How many execution environments the function has now, busy or idle. */
  get size(): number {
    return this.environments.size;
  }

  /**
   * The pool of a version a reload replaced: its idle environments end now, a busy one once its
   * invocation has finished, so that an invocation always finishes on the version it started on
   * (disposing at once answered a request in flight during a reload with a 500). A request the
   * old version had already taken still runs on it.
   */
  retire(): void {
    this.retired = true;
    this.stopReclaiming();
    for (const { environment } of this.idle.splice(0)) void environment.end("retired");
  }

  /** Ends every environment. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopReclaiming();
    await Promise.all([...this.environments].map((e) => e.end()));
  }

  /** An environment for the next invocation, or none when it was abandoned while it waited. */
  private async acquire(abandoned?: AbortSignal): Promise<ExecutionEnvironment | undefined> {
    for (;;) {
      if (this.disposed) throw new Error(`function ${this.fn.name} is shut down`);
      if (abandoned?.aborted) return undefined;
      const idle = this.idle.pop();
      if (idle !== undefined) return idle.environment;
      if (this.environments.size < (this.options.maxEnvironments ?? 8)) return this.start();
      await new Promise<void>((wake) => {
        const waker = () => {
          abandoned?.removeEventListener("abort", leave);
          wake();
        };
        // Its place in the queue goes when its caller gives up.
        const leave = () => {
          const at = this.waiting.indexOf(waker);
          if (at !== -1) this.waiting.splice(at, 1);
          wake();
        };
        abandoned?.addEventListener("abort", leave, { once: true });
        this.waiting.push(waker);
      });
    }
  }

  private start(): ExecutionEnvironment {
    const { fn, options } = this;
    const environment = new ExecutionEnvironment(
      {
        fn,
        taskRoot: this.taskRoot,
        region: options.region,
        log: options.log,
        ...(options.onLine !== undefined ? { onLine: options.onLine } : {}),
        ...(options.untimed === true ? { untimed: true } : {}),
        ...(this.lastFailed ? { afterFailure: true } : {}),
        ...(this.readable !== undefined ? { readable: this.readable } : {}),
      },
      (ended) => this.remove(ended),
    );
    this.lastFailed = false;
    this.environments.add(environment);
    if (this.environments.size > 1 && this.reclaimer === undefined) {
      this.reclaimer = setInterval(() => this.reclaim(), Math.max(this.idleMs / 4, 10));
      this.reclaimer.unref();
    }
    return environment;
  }

  /** The one way out of the pool, whatever ended the environment; its place goes to a waiter. */
  private remove(environment: ExecutionEnvironment): void {
    this.environments.delete(environment);
    if (environment.failed) this.lastFailed = true;
    const idleAt = this.idle.findIndex((entry) => entry.environment === environment);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    this.waiting.shift()?.();
  }
}
