/**
 * One Lambda execution environment: a worker thread with the function's environment variables
 * and memory limit, its handler loaded once, serving one invocation at a time. A crash, a
 * `process.exit` or the function's timeout ends it, and only it.
 */
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { LocalFunction } from "../interpret/model";
import { LineSplitter } from "./lineSplitter";
import { lambdaEnvironment, lambdaHeapLimits, logStreamName } from "./lambdaRuntime";

export type InvokeResult =
  | { kind: "ok"; payload: unknown; payloadBytes: number }
  /** The handler threw or rejected, or its module failed to load. */
  | { kind: "error"; errorType: string; errorMessage: string }
  /** The function ran past its configured timeout and its environment was ended. */
  | { kind: "timeout" }
  /** The environment died: `process.exit`, out of memory, an uncaught error. */
  | { kind: "crash"; reason: string };

export interface EnvironmentSpec {
  fn: LocalFunction;
  /** The function's unpacked archive (`writeArchive`). */
  taskRoot: string;
  region: string;
  /** Receives each line the function prints, already prefixed with its name. */
  log: (line: string) => void;
  /** Also receives each line, unprefixed, with the request it belongs to (see `requestIdOf`). */
  onLine?: FunctionLineListener;
}

/** A function's log line, as printed, and the request ID of the invocation it belongs to. */
export type FunctionLineListener = (
  fn: string,
  requestId: string | undefined,
  text: string,
) => void;

/** Lambda's text log format (LAMBDA-LOGS): time, request ID, level, message. */
const LOG_FORMAT = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([^\t]+)\t(?:INFO|WARN|ERROR|DEBUG)\t/;

/**
 * The request a line belongs to: the one the line names (a `console` line, LAMBDA-LOGS), else the
 * invocation in flight or, after it, the last one (a raw `process.stdout.write`, the rest of a
 * multi-line message, output that arrives once the answer has gone). A line written during init
 * names "undefined" and belongs to no request.
 */
export function requestIdOf(text: string, current: string | undefined): string | undefined {
  const named = LOG_FORMAT.exec(text)?.[1];
  if (named === undefined) return current;
  return named === "undefined" ? undefined : named;
}

const WORKER_SCRIPT = resolve(__dirname, "runtimeWorker.js");

/** What the runtime bootstrap (runtimeWorker.js) sends back for one invocation. */
type WorkerReply =
  | { id: number; kind: "ok"; payload: string }
  | { id: number; kind: "error"; errorType: string; errorMessage: string };

export class ExecutionEnvironment {
  private readonly worker: Worker;
  private pending:
    { id: number; resolve: (result: InvokeResult) => void; timer: NodeJS.Timeout } | undefined;
  private invocations = 0;
  /** The request of the invocation in flight, or of the last one. */
  private requestId: string | undefined;
  private ended = false;

  /** `onEnd` runs once, whatever ends the environment. */
  constructor(
    private readonly spec: EnvironmentSpec,
    private readonly onEnd: (environment: ExecutionEnvironment) => void,
  ) {
    const { fn, taskRoot, region } = spec;
    const logStream = logStreamName();
    this.worker = new Worker(WORKER_SCRIPT, {
      // Plain Node, as on Lambda: none of this process's flags (no TypeScript loader).
      execArgv: [],
      workerData: {
        codeDir: taskRoot,
        handler: fn.handler,
        context: {
          functionName: fn.name,
          functionVersion: "$LATEST",
          invokedFunctionArn: fn.arn,
          memoryLimitInMB: String(fn.memoryMb),
          logGroupName: fn.logGroup,
          logStreamName: logStream,
        },
      },
      env: lambdaEnvironment(fn, region, taskRoot, logStream),
      stdout: true,
      stderr: true,
      resourceLimits: lambdaHeapLimits(fn.memoryMb),
    });
    const onLine = spec.onLine;
    const forward = (line: string) => {
      spec.log(`[${fn.name}] ${line}`);
      onLine?.(fn.name, requestIdOf(line, this.requestId), line);
    };
    forwardLines(this.worker.stdout, forward);
    forwardLines(this.worker.stderr, forward);
    this.worker.on("message", (reply: WorkerReply) => {
      // Other messages (diagnostics' readings) and late replies are not this invocation's.
      if (this.pending === undefined || this.pending.id !== reply.id) return;
      this.settle(
        reply.kind === "ok"
          ? parsePayload(reply.payload)
          : { kind: "error", errorType: reply.errorType, errorMessage: reply.errorMessage },
      );
    });
    this.worker.on("error", (err) => this.end(`${err.name}: ${err.message}`));
    this.worker.on("exit", (code) => this.end(`the runtime exited with code ${code}`));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Runs one invocation. The event arrives as its JSON text, as Lambda's runtime receives it;
   * the result comes back as JSON text too, so each crossing between threads copies one string.
   */
  invoke(eventJson: string, requestId: string): Promise<InvokeResult> {
    if (this.ended) return Promise.resolve({ kind: "crash", reason: "the environment has ended" });
    const timeoutMs = this.spec.fn.timeoutSeconds * 1000;
    const id = ++this.invocations;
    this.requestId = requestId;
    return new Promise<InvokeResult>((resolve) => {
      // Lambda ends a function at its timeout; API Gateway then sees a function error.
      const timer = setTimeout(this.timedOut, timeoutMs);
      this.pending = { id, resolve, timer };
      this.worker.postMessage({ id, eventJson, requestId, deadlineMs: Date.now() + timeoutMs });
    });
  }

  /** Ends the invocation in flight with its result; nothing is created per invocation for it. */
  private settle(result: InvokeResult): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private readonly timedOut = () => {
    this.settle({ kind: "timeout" });
    void this.end("timeout");
  };

  /** Ends the environment; an invocation in flight ends as a crash with `reason`. */
  end(reason = "ended"): Promise<number> {
    if (!this.ended) {
      this.ended = true;
      this.settle({ kind: "crash", reason });
      this.onEnd(this);
    }
    return this.worker.terminate();
  }
}

/**
 * Passes a stream's text on record by record (`LineSplitter`). A line left unfinished by an
 * invocation is ended by the runtime (runtimeWorker.js) when the next one starts.
 */
function forwardLines(stream: NodeJS.ReadableStream, log: (line: string) => void): void {
  const splitter = new LineSplitter(log);
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => splitter.push(chunk));
  stream.on("end", () => splitter.flush());
}

/** A function's response as Lambda hands it on: JSON, or an error when it is not JSON at all. */
function parsePayload(text: string): InvokeResult {
  try {
    return { kind: "ok", payload: JSON.parse(text), payloadBytes: Buffer.byteLength(text) };
  } catch {
    return {
      kind: "error",
      errorType: "Runtime.InvalidResponse",
      errorMessage: "the function's response is not JSON",
    };
  }
}
