import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { Evaluation, EvaluateRequest } from "./snapshot";
import { readStackSettings } from "./stackFiles";

export interface EvaluateOptions {
  /** The folder with `Pulumi.yaml`, the stack files and `package.json`. */
  projectDir: string;
  stack: string;
  /** The program's entry file, relative to `projectDir`. Default `index.ts`. */
  entry?: string;
  /** Replaces the stack file's config entirely (tests); `Pulumi.yaml` applies to it as ever. */
  config?: Record<string, string>;
  /** Config keys to treat as secrets. */
  secretKeys?: string[];
  /** Give up after this long. Default 60 s. */
  timeoutMs?: number;
  /** A newer save makes this evaluation pointless: its process is ended, and it fails at once. */
  signal?: AbortSignal;
}

/** The message of an evaluation a newer one replaced. */
export const SUPERSEDED = "superseded by a newer save";

const WORKER = resolve(__dirname, "evaluateWorker.ts");

/**
 * Runs a Pulumi program under mocks in a fresh child process, with the stack's own config, and
 * returns every resource it declares. No Pulumi CLI, no cloud: the same evaluation backs the
 * mock tests and the local environment (which keeps an {@link Evaluator} warm instead).
 */
export function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
  // An evaluator that keeps no spare leaves no process behind: there is nothing to close.
  return new Evaluator(options.projectDir, { keepSpare: false }).evaluate(options);
}

function requestFor(
  projectDir: string,
  options: Omit<EvaluateOptions, "projectDir">,
): EvaluateRequest {
  const { project, stack, config } = readStackSettings(projectDir, options.stack, options.config);
  return {
    projectDir,
    entry: resolve(projectDir, options.entry ?? "index.ts"),
    project,
    stack,
    region: config["aws:region"] ?? "us-east-1",
    config,
    secretKeys: options.secretKeys ?? [],
  };
}

/** The process ended without answering. */
class Died extends Error {}

/**
 * What a process's stderr keeps: its last 64 KiB, where the reason it failed is. A program that
 * writes on and on after its evaluation (a timer logging) grew the environment without bound.
 */
const STDERR_KEPT = 64 * 1024;

/** Whether a kept process can take the next evaluation: not exited, not signalled, still listening. */
function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

interface Worker {
  child: ChildProcess;
  /** Taken from the spares: it waited there, and may have died since. */
  kept?: boolean;
  /** What the process wrote to stderr since it started, or since its last evaluation. */
  stderr: string;
}

/** What the last evaluation used, for the next process to load ahead (`warmUp.ts`). */
interface Used {
  /** Provider submodules (`aws:lambda`). */
  modules: string[];
  /** The program's own files. */
  files: string[];
  /** The packages' modules the program required. */
  packages: string[];
}

/**
 * One project's evaluations, each in a child process. With `keepSpare` (hot reload), a process
 * whose evaluation succeeded waits as the next one's spare, its SDKs loaded and its code warm,
 * and a new spare starts after one that failed. Its owner closes it: the spare ends.
 */
export class Evaluator {
  readonly projectDir: string;
  private keepSpare: boolean;
  private spare: Worker | undefined;
  /**
   * Evaluations running. No spare is started beside one: the process running it becomes the
   * spare when it finishes, and a second one would only be spawned to be ended.
   */
  private busy = 0;
  private used: Used = { modules: [], files: [], packages: [] };

  constructor(projectDir: string, options: { keepSpare: boolean }) {
    this.projectDir = resolve(projectDir);
    this.keepSpare = options.keepSpare;
  }

  /** Evaluates the program as `options` say, on the spare when one waits. */
  evaluate(options: Omit<EvaluateOptions, "projectDir">): Promise<Evaluation> {
    const request = requestFor(this.projectDir, options);
    const worker = this.take();
    return this.evaluateOn(worker, request, options).catch((err: unknown) => {
      // A kept process that died before it answered (killed by a signal, the OOM killer, maybe
      // before it read the request): the evaluation runs once more, on a fresh process.
      if (!(err instanceof Died) || !worker.kept) throw err;
      return this.evaluateOn(this.take(), request, options);
    });
  }

  /**
   * Starts the next evaluation's process now, so that it loads the SDKs while the caller loads
   * everything else: `npm start` calls it before it loads the local environment.
   */
  prepare(): void {
    this.spare ??= spawnWorker(this.projectDir, this.used);
  }

  /** Ends the spare; evaluations still running end as they finish. */
  close(): void {
    this.keepSpare = false;
    this.spare?.child.kill();
    this.spare = undefined;
  }

  private evaluateOn(
    worker: Worker,
    request: EvaluateRequest,
    options: Omit<EvaluateOptions, "projectDir">,
  ): Promise<Evaluation> {
    const { child } = worker;
    return new Promise<Evaluation>((resolvePromise, reject) => {
      // A process that died between its check and this send refuses the message: its exit,
      // below, then says so.
      child.send(request, () => undefined);
      const supersede = () => {
        child.kill("SIGKILL");
        reject(new Error(SUPERSEDED));
      };
      if (options.signal?.aborted) supersede();
      else options.signal?.addEventListener("abort", supersede, { once: true });
      const timeoutMs = options.timeoutMs ?? 60000;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`evaluating ${request.entry} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      child.once("message", (message: Evaluation & { processEnds?: true }) => {
        clearTimeout(timer);
        child.removeAllListeners("close");
        // A process whose program changed its environment or globals ends: the next evaluation
        // runs in a fresh one, as a fresh start would.
        const { processEnds, ...result } = message;
        this.release(worker, result.kind === "evaluated" && processEnds === undefined);
        if (result.kind === "evaluated") this.used = usedBy(result);
        resolvePromise(result);
      });
      // `close`, not `exit`: what it wrote last to stderr (why it ended) has been read by then.
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        this.release(worker, false);
        const how = signal !== null ? `was ended by ${signal}` : `ended with code ${code}`;
        reject(new Died(`evaluating ${request.entry} ${how}: ${worker.stderr.trim()}`));
      });
    });
  }

  /** The spare, if one is waiting and alive (the hot reload skips loading the SDKs); else a new one. */
  private take(): Worker {
    const spare = this.spare;
    this.spare = undefined;
    const alive = spare !== undefined && isAlive(spare.child);
    if (spare !== undefined && !alive) spare.child.kill("SIGKILL");
    const worker = alive ? spare : spawnWorker(this.projectDir, this.used);
    this.busy++;
    worker.kept = worker === spare;
    worker.child.ref();
    worker.child.channel?.ref();
    return worker;
  }

  /**
   * After an evaluation: a process whose evaluation succeeded is the next spare; one that failed
   * ends, and a new spare starts once it has, so that the two do not compete for the cores.
   */
  private release(worker: Worker, reusable: boolean): void {
    const { child } = worker;
    this.busy--;
    if (reusable && this.keepSpare && this.spare === undefined) {
      // Its next evaluation's failure says what that one wrote, not what earlier ones did.
      worker.stderr = "";
      child.unref();
      child.channel?.unref();
      this.spare = worker;
      return;
    }
    const next = () => {
      if (this.keepSpare && this.spare === undefined && this.busy === 0) this.prepare();
    };
    if (reusable) child.disconnect();
    if (child.exitCode !== null || child.signalCode !== null) next();
    else child.once("exit", next);
  }
}

/** What an evaluation used: its provider submodules, its own files, its packages' modules. */
function usedBy(evaluation: Extract<Evaluation, { kind: "evaluated" }>): Used {
  const modules = evaluation.resources
    .map((r) => /^([a-z0-9-]+):([A-Za-z0-9]+)\//.exec(r.type))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}:${m[2]}`);
  return {
    modules: [...new Set(modules)],
    files: evaluation.programFiles,
    packages: evaluation.packageFiles,
  };
}

function spawnWorker(projectDir: string, used: Used): Worker {
  const child = fork(WORKER, [], {
    cwd: projectDir,
    execArgv: [
      "-r",
      resolve(__dirname, "registerTypeScript.js"),
      // EVALUATE_CPU_PROFILE_DIR=<dir>: a CPU profile of each evaluation, to find where its time goes.
      ...(process.env.EVALUATE_CPU_PROFILE_DIR !== undefined
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.EVALUATE_CPU_PROFILE_DIR}`]
        : []),
    ],
    env: {
      ...process.env,
      EVALUATE_TSCONFIG: resolve(projectDir, "tsconfig.json"),
      EVALUATE_WARM_UP: projectDir,
      EVALUATE_WARM_MODULES: used.modules.join(","),
      EVALUATE_WARM_FILES: JSON.stringify(used.files),
      EVALUATE_WARM_PACKAGES: JSON.stringify(used.packages),
    },
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  const worker: Worker = { child, stderr: "" };
  child.stderr!.on("data", (chunk: Buffer) => {
    worker.stderr = (worker.stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  // A process that cannot be messaged (it died) says so by its exit, never by a thrown event.
  child.on("error", () => undefined);
  // A spare must never keep the parent alive.
  child.unref();
  child.channel?.unref();
  return worker;
}
