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
  /** Replaces the stack file's config entirely (tests of bad config). */
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
 * mock tests and the local environment.
 */
export async function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
  const projectDir = resolve(options.projectDir);
  const settings = readStackSettings(projectDir, options.stack);
  const config = options.config ?? settings.config;
  const request: EvaluateRequest = {
    projectDir,
    entry: resolve(projectDir, options.entry ?? "index.ts"),
    project: settings.project,
    stack: settings.stack,
    region: config["aws:region"] ?? "us-east-1",
    config,
    secretKeys: options.secretKeys ?? [],
  };
  const worker = takeWorker(projectDir);
  return evaluateOn(worker, request, options).catch((err: unknown) => {
    // A kept process that died before it answered (killed by a signal, the OOM killer, maybe
    // before it read the request): the evaluation runs once more, on a fresh process.
    if (!(err instanceof Died) || !worker.kept) throw err;
    return evaluateOn(takeWorker(projectDir), request, options);
  });
}

/** The process ended without answering. */
class Died extends Error {}

function evaluateOn(
  worker: Worker,
  request: EvaluateRequest,
  options: EvaluateOptions,
): Promise<Evaluation> {
  const { projectDir } = request;
  const { child } = worker;
  return new Promise<Evaluation>((resolvePromise, reject) => {
    // A process that died between its check and this send refuses the message: its exit, below,
    // then says so.
    child.send(request, () => undefined);
    const supersede = () => {
      child.kill("SIGKILL");
      reject(new Error(SUPERSEDED));
    };
    if (options.signal?.aborted) supersede();
    else options.signal?.addEventListener("abort", supersede, { once: true });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`evaluating ${request.entry} took longer than ${options.timeoutMs ?? 60000} ms`),
      );
    }, options.timeoutMs ?? 60000);
    child.once("message", (message: Evaluation & { processEnds?: true }) => {
      clearTimeout(timer);
      child.removeAllListeners("close");
      // A process whose program changed its environment or globals ends: the next evaluation
      // runs in a fresh one, as a fresh start would.
      const { processEnds, ...result } = message;
      release(projectDir, worker, result.kind === "evaluated" && processEnds === undefined);
      if (result.kind === "evaluated") {
        const modules = result.resources
          .map((r) => /^([a-z0-9-]+):([A-Za-z0-9]+)\//.exec(r.type))
          .filter((m) => m !== null);
        usedModules.set(projectDir, [...new Set(modules.map((m) => `${m[1]}:${m[2]}`))]);
        usedFiles.set(projectDir, result.programFiles);
        usedPackages.set(projectDir, result.packageFiles);
      }
      resolvePromise(result);
    });
    // `close`, not `exit`: what it wrote last to stderr (why it ended) has been read by then.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      release(projectDir, worker, false);
      const how = signal !== null ? `was ended by ${signal}` : `ended with code ${code}`;
      reject(new Died(`evaluating ${request.entry} ${how}: ${worker.stderr.trim()}`));
    });
  });
}

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

/** Provider submodules (`aws:lambda`) each project's last evaluation used, for the next spare. */
const usedModules = new Map<string, string[]>();
/** The program's own files each project's last evaluation loaded, for the next spare. */
const usedFiles = new Map<string, string[]>();
/** The packages' modules each project's program required, for the next spare. */
const usedPackages = new Map<string, string[]>();

function spawnWorker(projectDir: string): Worker {
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
      EVALUATE_WARM_MODULES: (usedModules.get(projectDir) ?? []).join(","),
      EVALUATE_WARM_FILES: JSON.stringify(usedFiles.get(projectDir) ?? []),
      EVALUATE_WARM_PACKAGES: JSON.stringify(usedPackages.get(projectDir) ?? []),
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

const spares = new Map<string, Worker>();
/**
 * Evaluations running, per project. No spare is started beside one: the process running it
 * becomes the spare when it finishes, and a second one would only be spawned to be ended.
 */
const busy = new Map<string, number>();

/**
 * Takes the warmed-up spare process for this project, if one is waiting, so that the evaluation
 * (a hot reload) skips loading the SDKs; a new one otherwise.
 */
function takeWorker(projectDir: string): Worker {
  const spare = spares.get(projectDir);
  spares.delete(projectDir);
  const alive = spare !== undefined && isAlive(spare.child);
  if (spare !== undefined && !alive) spare.child.kill("SIGKILL");
  const worker = alive ? spare : spawnWorker(projectDir);
  busy.set(projectDir, (busy.get(projectDir) ?? 0) + 1);
  worker.kept = worker === spare;
  worker.child.ref();
  worker.child.channel?.ref();
  return worker;
}

/**
 * After an evaluation: a process whose evaluation succeeded is the next spare (its SDKs loaded,
 * its code warm); one that failed ends, and a new spare starts once it has, so that the two do
 * not compete for the cores.
 */
function release(projectDir: string, worker: Worker, reusable: boolean): void {
  const { child } = worker;
  busy.set(projectDir, (busy.get(projectDir) ?? 1) - 1);
  if (reusable && keepSpares && !spares.has(projectDir)) {
    // Its next evaluation's failure says what that one wrote, not what earlier ones did.
    worker.stderr = "";
    child.unref();
    child.channel?.unref();
    spares.set(projectDir, worker);
    return;
  }
  const next = () => {
    if (keepSpares && !spares.has(projectDir) && !(busy.get(projectDir) ?? 0)) {
      spares.set(projectDir, spawnWorker(projectDir));
    }
  };
  if (reusable) child.disconnect();
  if (child.exitCode !== null || child.signalCode !== null) next();
  else child.once("exit", next);
}

let keepSpares = false;

/**
 * Starts this project's next evaluation process now, so that it loads the SDKs while the caller
 * loads everything else: `npm start` calls it before it loads the local environment.
 */
export function prepareEvaluator(projectDir: string): void {
  const dir = resolve(projectDir);
  if (!spares.has(dir)) spares.set(dir, spawnWorker(dir));
}

/** Keep one warmed-up evaluation process ready per project (the local environment's hot reload). */
export function keepSpareEvaluators(enabled: boolean): void {
  keepSpares = enabled;
  if (!enabled) {
    for (const spare of spares.values()) spare.child.kill();
    spares.clear();
  }
}
