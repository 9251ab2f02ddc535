/**
 * One Lambda execution environment: a worker thread with the function's environment variables
 * and memory limit, its handler loaded once, serving one invocation at a time and frozen between
 * them. A crash, a `process.exit` or the function's timeout ends it, and only it. This side plays
 * the Lambda platform: it writes the START, END and REPORT records (platformRecords.ts) around
 * the records the runtime (runtimeWorker.js) hands over.
 */
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { LocalFunction } from "../interpret/model";
import { freezeWord, registerFreezeWord, wakeWorker } from "./freezing";
import { LineSplitter, MAX_RECORD_CHARS } from "./lineSplitter";
import { lambdaEnvironment, lambdaHeapLimits, logStreamName, nodeMajorOf } from "./lambdaRuntime";
import {
  endRecords,
  initReportRecord,
  initStartRecord,
  startRecord,
  type InvocationReport,
} from "./platformRecords";
import { parsePayload, reportStatus, tooLargeRecord, TOO_LARGE } from "./invokeResult";
import type {
  FunctionLineListener,
  FunctionRecord,
  InvokeResult,
  Pending,
  WorkerMessage,
} from "./environmentTypes";

export type { FunctionLineListener, FunctionRecord, InvokeResult } from "./environmentTypes";

export interface EnvironmentSpec {
  fn: LocalFunction;
  /** The function's unpacked archive (`writeArchive`). */
  taskRoot: string;
  region: string;
  /** Receives each record's readable lines, already prefixed with the function's name. */
  log: (line: string) => void;
  /** Also receives each record, as written, with its invocation's (Lambda's) request ID. */
  onLine?: FunctionLineListener;
  /** No timeout: a debugger may hold an invocation at a breakpoint for as long as it likes. */
  untimed?: boolean;
  /** It replaces an environment that crashed or timed out: its init is a suppressed one. */
  afterFailure?: boolean;
  /** How a record reads in the terminal and the console (`handlerStacks`); as written otherwise. */
  readable?: (text: string) => string;
}

const WORKER_SCRIPT = resolve(__dirname, "runtimeWorker.js");

/** Lambda's limit on an environment's first init (LAMBDA-LIFECYCLE): "limited to 10 seconds". */
const INIT_LIMIT_MS = 10_000;

export class ExecutionEnvironment {
  private readonly worker: Worker;
  private readonly output: LineSplitter;
  private pending: Pending | undefined;
  private invocations = 0;
  /** The request of the invocation in flight, or of the last one. */
  private requestId: string | undefined;
  private readonly createdAt = performance.now();
  private initDurationMs: number | undefined;
  private maxMemoryUsedMb = 0;
  private ended = false;
  /** Its module failed to load: the type of that error. */
  private initErrorType: string | undefined;
  /** Ended by a crash or a timeout, not by the pool (idle, retired, stopped). */
  failed = false;

  /** `onEnd` runs once, whatever ends the environment. */
  constructor(
    private readonly spec: EnvironmentSpec,
    private readonly onEnd: (environment: ExecutionEnvironment) => void,
  ) {
    const { fn, taskRoot, region } = spec;
    const logStream = logStreamName();
    const wake = freezeWord();
    this.worker = new Worker(WORKER_SCRIPT, {
      // Its function's name: what a debugger lists the thread as (`[worker 3] <function>`).
      name: fn.name,
      // Plain Node, as on Lambda: none of this process's flags (no TypeScript loader).
      execArgv: [],
      workerData: {
        codeDir: taskRoot,
        handler: fn.handler,
        major: nodeMajorOf(fn.runtime) ?? 22,
        wake: wake.buffer,
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
      resourceLimits: lambdaHeapLimits(fn.memoryMb),
    });
    registerFreezeWord(this.worker, wake);
    const init = { functionName: fn.name, major: nodeMajorOf(fn.runtime) ?? 22, region };
    for (const record of initStartRecord(fn.logging, init, new Date()))
      this.emit(record, undefined);
    // What a function writes to stdout or stderr itself is cut into records by line; it belongs
    // to the invocation in flight or, after it, to the last one.
    this.output = new LineSplitter((line) => this.record(line, this.requestId));
    this.worker.on("message", (message: WorkerMessage) => this.receive(message));
    this.worker.on("error", (err) => {
      // Past its heap the thread is stopped: Lambda reports the runtime out of memory, its
      // memory used at the function's size (the REPORT of an out-of-memory invocation).
      if ((err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY") {
        this.maxMemoryUsedMb = this.spec.fn.memoryMb;
        void this.end(`${err.name}: ${err.message}`, "Runtime.OutOfMemory");
      } else void this.end(`${err.name}: ${err.message}`);
    });
    this.worker.on("exit", (code) => this.end(`the runtime exited with code ${code}`));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** One invocation: the event in as JSON text, the result back as JSON text (one copy each). */
  invoke(eventJson: string, requestId: string, traceId?: string): Promise<InvokeResult> {
    if (this.ended) return Promise.resolve({ kind: "crash", reason: "the environment has ended" });
    const id = ++this.invocations;
    this.requestId = requestId;
    return new Promise<InvokeResult>((resolve) => {
      this.pending = { id, requestId, eventJson, traceId, startedAt: undefined, resolve };
      if (this.initDurationMs !== undefined) this.start();
      else this.limitInit(this.pending);
    });
  }

  /**
   * A module still loading when an event waits gets init's 10 s and the invocation's timeout
   * (LAMBDA-LIFECYCLE: tried again within it), from the environment's start; then it times out.
   */
  private limitInit(pending: Pending): void {
    if (this.spec.untimed === true) return;
    const budget = INIT_LIMIT_MS + this.spec.fn.timeoutSeconds * 1000;
    const left = budget - (performance.now() - this.createdAt);
    pending.timer = setTimeout(this.timedOut, Math.max(0, left));
  }

  /**
   * The invocation phase, once init is done (Lambda's timeout and duration count from here, not
   * from the cold start): its START record, its timeout, and the event to the runtime.
   */
  private start(): void {
    const pending = this.pending;
    if (pending === undefined || pending.startedAt !== undefined) return;
    this.writeStart(pending);
    // Lambda ends a function at its timeout; API Gateway then sees a function error.
    const timeoutMs = this.spec.fn.timeoutSeconds * 1000;
    clearTimeout(pending.timer);
    if (this.spec.untimed !== true) pending.timer = setTimeout(this.timedOut, timeoutMs);
    const { id, eventJson, requestId, traceId } = pending;
    this.worker.postMessage({
      id,
      eventJson,
      requestId,
      deadlineMs: Date.now() + timeoutMs,
      traceId,
    });
    wakeWorker(this.worker);
  }

  private writeStart(pending: Pending): void {
    pending.startedAt = performance.now();
    const { logging, arn } = this.spec.fn;
    for (const record of startRecord(logging, pending.requestId, new Date(), arn)) {
      this.emit(record, pending.requestId);
    }
  }

  private receive(message: WorkerMessage): void {
    if ("output" in message) {
      this.output.push(message.output);
    } else if ("record" in message) {
      const requestId = message.requestId === "undefined" ? undefined : message.requestId;
      this.record(message.record, requestId, message.readable);
    } else if ("initDone" in message) {
      // The init phase: the thread's start, the runtime's bootstrap, the handler's module.
      this.initDurationMs = performance.now() - this.createdAt;
      this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, message.memoryUsedMb);
      if (message.initErrorType !== undefined) {
        this.initErrorType = message.initErrorType;
        const report = { durationMs: this.initDurationMs, errorType: message.initErrorType };
        for (const record of initReportRecord(this.spec.fn.logging, report, new Date())) {
          this.emit(record, undefined);
        }
      }
      this.start();
    } else if ("exiting" in message) {
      void this.end(`the runtime exited with code ${message.code}`);
    } else if ("id" in message && this.pending?.id === message.id) {
      // A late reply (an invocation that timed out) is not this one's.
      this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, message.memoryUsedMb);
      if (message.kind === "ok") {
        const result = parsePayload(message.payload);
        // The log stream says why the invocation failed, as Lambda's does.
        if (result.kind === "error" && result.errorType === TOO_LARGE.errorType) {
          this.record(tooLargeRecord(this.pending.requestId), this.pending.requestId);
        }
        this.finish(result);
      } else {
        const { errorType, errorMessage } = message;
        this.finish({ kind: "error", errorType, errorMessage });
      }
    }
  }

  /**
   * A record of this environment's log stream, whole or, past CloudWatch's quota, in parts (each
   * read as written). `readable`: how the runtime rendered it for a reader; a line the function
   * wrote to stdout or stderr itself reads as written.
   */
  private record(text: string, requestId: string | undefined, readable = text): void {
    if (text.length <= MAX_RECORD_CHARS) {
      this.emit({ text, readable }, requestId);
      return;
    }
    for (let at = 0; at < text.length; at += MAX_RECORD_CHARS) {
      const part = text.slice(at, at + MAX_RECORD_CHARS);
      this.emit({ text: part, readable: part }, requestId);
    }
  }

  /** A record to the terminal, line by line with the function's name, and to the console. */
  private emit(record: FunctionRecord, requestId: string | undefined): void {
    const readable = this.spec.readable?.(record.readable) ?? record.readable;
    const prefix = `[${this.spec.fn.name}] `;
    if (!readable.includes("\n")) this.spec.log(prefix + readable);
    else for (const line of readable.split("\n")) this.spec.log(prefix + line);
    this.spec.onLine?.(this.spec.fn.name, requestId, { text: record.text, readable });
  }

  /** Ends the invocation in flight with its result and the platform's closing records. */
  private finish(result: InvokeResult): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    // An environment that died during init never started the invocation: its START goes now.
    if (pending.startedAt === undefined) this.writeStart(pending);
    const report: InvocationReport = {
      requestId: pending.requestId,
      // A timeout lasts its timeout exactly, as Lambda's REPORT says (LAMBDA-TIMEOUT-LINE); a
      // timer read against the loop's clock could otherwise make it a millisecond short.
      durationMs:
        result.kind === "timeout"
          ? this.spec.fn.timeoutSeconds * 1000
          : performance.now() - pending.startedAt!,
      // After a crash or a timeout Lambda initialises again within the next invocation, and its
      // REPORT names no Init Duration (a suppressed init).
      ...(this.initDurationMs !== undefined && pending.id === 1 && this.spec.afterFailure !== true
        ? { initDurationMs: this.initDurationMs }
        : {}),
      memorySizeMb: this.spec.fn.memoryMb,
      maxMemoryUsedMb: this.maxMemoryUsedMb,
      // An event answered with its environment's init error: Status: error, and the init's type.
      ...(this.initErrorType !== undefined
        ? { status: "failure" as const, errorType: this.initErrorType }
        : reportStatus(result)),
    };
    for (const record of endRecords(this.spec.fn.logging, report, new Date())) {
      this.emit(record, pending.requestId);
    }
    pending.resolve(result);
    // Lambda initialises again on the next request after an init error: this one ends.
    if (this.initErrorType !== undefined) void this.end("init error");
  }

  private readonly timedOut = () => {
    this.finish({ kind: "timeout" });
    void this.end("timeout");
  };

  /** Ends the environment; an invocation in flight ends as a crash with `reason`. */
  end(reason = "ended", errorType?: string): Promise<number> {
    if (!this.ended) {
      this.ended = true;
      this.failed = !["ended", "idle", "retired"].includes(reason);
      this.finish({ kind: "crash", reason, ...(errorType !== undefined ? { errorType } : {}) });
      this.onEnd(this);
    }
    return this.worker.terminate();
  }
}
