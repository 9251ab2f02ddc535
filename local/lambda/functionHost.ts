import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import type { LocalFunction } from "../interpret/model";

export type InvokeResult =
  | { kind: "ok"; payload: unknown; payloadBytes: number }
  /** The handler threw or rejected, or its module failed to load. */
  | { kind: "error"; errorType: string; errorMessage: string }
  /** The function ran past its configured timeout and its environment was ended. */
  | { kind: "timeout" }
  /** The environment died: `process.exit`, out of memory, an uncaught error. */
  | { kind: "crash"; reason: string };

export interface FunctionHostOptions {
  /**
   * Where the archive is written: outside the project (`functionsRoot`), as on Lambda, so the
   * function finds only what its archive holds.
   */
  workDir: string;
  region: string;
  accountId: string;
  /** Receives each line the function prints, already prefixed with its name. */
  log: (line: string) => void;
  /** Environments kept per function; requests beyond wait for one (Lambda would scale out). */
  maxInstances?: number;
}

const WORKER_SCRIPT = resolve(__dirname, "runtimeWorker.js");

// Lambda's Node.js bootstrap starts node with --expose-gc, so `gc` is a global in every function.
// V8's flags are the process's, and this one applies to the isolates created after it is set: each
// worker below gets `gc` as its handler would on Lambda. This process's own context is left as is.
setFlagsFromString("--expose-gc");

interface Instance {
  worker: Worker;
  pending?: { id: number; settle: (result: InvokeResult) => void };
  /**
   * A garbage collection asked of this environment while it was idle: the heap it reports, or
   * nothing when the environment ends first.
   */
  collecting?: (heapUsed: number | undefined) => void;
}

/**
 * Runs one function's uploaded code like Lambda does: each execution environment is a worker
 * thread with the function's environment variables and memory limit, reused while warm; a crash
 * or `process.exit` ends that environment only; the configured timeout is enforced by ending it.
 */
export class FunctionHost {
  private readonly instances: Instance[] = [];
  /** Warm environments with nothing to do, most recently used last. */
  private readonly idle: Instance[] = [];
  private readonly waiting: (() => void)[] = [];
  private invocations = 0;
  private readonly codeDir: string;
  private disposed = false;

  constructor(
    readonly fn: LocalFunction,
    private readonly options: FunctionHostOptions,
  ) {
    this.codeDir = writeArchive(fn, options.workDir);
  }

  /**
   * Runs one invocation. The event arrives as its JSON text, as Lambda's runtime receives it (the
   * gateway has it already, from the payload size check); the result comes back as JSON text too,
   * so each crossing between threads copies one string.
   */
  async invoke(eventJson: string, requestId: string = randomUUID()): Promise<InvokeResult> {
    const instance = await this.acquire();
    const deadlineMs = Date.now() + this.fn.timeoutSeconds * 1000;
    const id = ++this.invocations;
    return new Promise<InvokeResult>((settle) => {
      const timer = setTimeout(() => {
        // Lambda ends a function at its timeout; API Gateway then sees a function error.
        instance.pending = undefined;
        this.retire(instance);
        settle({ kind: "timeout" });
      }, this.fn.timeoutSeconds * 1000);
      instance.pending = {
        id,
        settle: (result) => {
          clearTimeout(timer);
          instance.pending = undefined;
          if (result.kind === "crash") this.retire(instance);
          else this.release(instance);
          settle(result);
        },
      };
      instance.worker.postMessage({ id, eventJson, requestId, deadlineMs });
    });
  }

  /**
   * Runs a full garbage collection in every idle environment and returns the heap each still uses,
   * in bytes. For memory readings (the load test): without it, a worker's heap holds whatever
   * garbage V8 has not yet had a reason to collect. Environments busy with an invocation, or
   * ended meanwhile, are left out. Nothing an invocation can observe changes.
   */
  async collectGarbage(): Promise<number[]> {
    const idle = this.idle.filter((i) => i.collecting === undefined);
    const heaps = await Promise.all(
      idle.map(
        (instance) =>
          new Promise<number | undefined>((resolve) => {
            instance.collecting = (heapUsed) => {
              instance.collecting = undefined;
              resolve(heapUsed);
            };
            instance.worker.postMessage({ gc: true });
          }),
      ),
    );
    return heaps.filter((heap) => heap !== undefined);
  }

  /** Ends every environment. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.instances.map((i) => i.worker.terminate()));
    this.instances.length = 0;
  }

  /** An environment for the next invocation: a warm idle one, a new one, or the next one freed. */
  private async acquire(): Promise<Instance> {
    for (;;) {
      if (this.disposed) throw new Error(`function ${this.fn.name} is shut down`);
      const idle = this.idle.pop();
      if (idle !== undefined) return idle;
      if (this.instances.length < (this.options.maxInstances ?? 8)) return this.spawn();
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(instance: Instance): void {
    this.idle.push(instance);
    this.waiting.shift()?.();
  }

  private retire(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index !== -1) this.instances.splice(index, 1);
    const idleAt = this.idle.indexOf(instance);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    void instance.worker.terminate();
    this.waiting.shift()?.();
  }

  private spawn(): Instance {
    const { fn, options } = this;
    const logStreamName = this.logStreamName();
    const worker = new Worker(WORKER_SCRIPT, {
      // Plain Node, as on Lambda: none of this process's flags (no TypeScript loader).
      execArgv: [],
      workerData: {
        codeDir: this.codeDir,
        handler: fn.handler,
        context: {
          functionName: fn.name,
          functionVersion: "$LATEST",
          invokedFunctionArn: fn.arn,
          memoryLimitInMB: String(fn.memoryMb),
          logGroupName: fn.logGroup,
          logStreamName,
        },
      },
      env: lambdaEnvironment(fn, options.region, this.codeDir, logStreamName),
      stdout: true,
      stderr: true,
      resourceLimits: lambdaHeapLimits(fn.memoryMb),
    });
    const instance: Instance = { worker };
    const prefix = (stream: NodeJS.ReadableStream) => {
      let buffered = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) options.log(`[${fn.name}] ${line}`);
      });
      stream.on("end", () => buffered !== "" && options.log(`[${fn.name}] ${buffered}`));
    };
    prefix(worker.stdout);
    prefix(worker.stderr);
    worker.on("message", (message: WorkerReply) => {
      if ("gc" in message) return instance.collecting?.(message.heapUsed);
      if (instance.pending?.id !== message.id) return;
      instance.pending.settle(
        message.ok
          ? parsePayload(message.payload)
          : { kind: "error", errorType: message.errorType, errorMessage: message.errorMessage },
      );
    });
    const died = (reason: string) => {
      const index = this.instances.indexOf(instance);
      if (index !== -1) this.instances.splice(index, 1);
      const idleAt = this.idle.indexOf(instance);
      if (idleAt !== -1) this.idle.splice(idleAt, 1);
      instance.collecting?.(undefined);
      if (instance.pending !== undefined) instance.pending.settle({ kind: "crash", reason });
      else this.waiting.shift()?.();
    };
    worker.on("error", (err) => died(`${err.name}: ${err.message}`));
    worker.on("exit", (code) => died(`the runtime exited with code ${code}`));
    this.instances.push(instance);
    return instance;
  }

  private logStreamName(): string {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
    return `${day}/[$LATEST]local`;
  }
}

/** A function's response as Lambda hands it on: JSON, or an error when it is not JSON at all. */
function parsePayload(text: unknown): InvokeResult {
  if (typeof text === "string") {
    try {
      return { kind: "ok", payload: JSON.parse(text), payloadBytes: Buffer.byteLength(text) };
    } catch {
      // Falls through: an empty or non-JSON body.
    }
  }
  return {
    kind: "error",
    errorType: "Runtime.InvalidResponse",
    errorMessage: "the function's response is not JSON",
  };
}

/** What the runtime bootstrap (runtimeWorker.js) sends back for one invocation. */
type WorkerReply =
  | { gc: true; heapUsed: number }
  | { id: number; ok: true; payload: string }
  | { id: number; ok: false; errorType: string; errorMessage: string };

/** The variables Lambda sets in every Node.js execution environment, then the function's own. */
export function lambdaEnvironment(
  fn: LocalFunction,
  region: string,
  taskRoot: string,
  logStream: string,
): Record<string, string> {
  return {
    // Lambda's PATH, with this Node's folder in the place of /var/lang/bin: no variable of the
    // shell that started the environment reaches a function.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin:/opt/bin`,
    TZ: ":UTC",
    LANG: "en_US.UTF-8",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    LAMBDA_TASK_ROOT: taskRoot,
    ...fn.environment,
  };
}

/** Writes the archive under a folder named by its content, so a new version never overwrites a running one. */
function writeArchive(fn: LocalFunction, workDir: string): string {
  const hash = createHash("sha256");
  for (const [path, text] of Object.entries(fn.files).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(path).update("\0").update(text).update("\0");
  }
  const dir = resolve(workDir, fn.name, hash.digest("hex").slice(0, 16));
  for (const [path, text] of Object.entries(fn.files)) {
    const file = join(dir, path);
    if (!file.startsWith(dir)) throw new Error(`archive path ${path} escapes its folder`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

/**
 * The V8 heap limits Lambda's Node.js runtime gives a function of `memoryMb` megabytes: its
 * bootstrap starts node with `--max-semi-space-size=<memory/10/2>` and
 * `--max-old-space-size=<memory - memory/10>`. V8's young generation is three semi-spaces (two
 * semi-spaces and the new large-object space), which is the figure a worker's `resourceLimits` takes.
 */
export function lambdaHeapLimits(memoryMb: number): {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
} {
  const newSpace = Math.floor(memoryMb / 10);
  const semiSpace = Math.floor(newSpace / 2);
  return { maxOldGenerationSizeMb: memoryMb - newSpace, maxYoungGenerationSizeMb: 3 * semiSpace };
}
