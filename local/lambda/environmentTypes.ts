/** What an execution environment and its runtime say to each other, and what it answers. */

export type InvokeResult =
  | { kind: "ok"; payload: unknown; payloadBytes: number }
  /** The handler threw or rejected, or its module failed to load. */
  | { kind: "error"; errorType: string; errorMessage: string }
  /** The function ran past its configured timeout and its environment was ended. */
  | { kind: "timeout" }
  /**
   * The environment died: `process.exit`, out of memory, an uncaught error; `errorType` when
   * Lambda names it otherwise than `Runtime.ExitError` (out of memory).
   */
  | { kind: "crash"; reason: string; errorType?: string };

/** A record of a function's log stream, as written and as a reader wants it. */
export interface FunctionRecord {
  text: string;
  readable: string;
}

/** A record and the (Lambda) request ID of its invocation; undefined during init. */
export type FunctionLineListener = (
  fn: string,
  requestId: string | undefined,
  record: FunctionRecord,
) => void;

/** What the runtime bootstrap (runtimeWorker.js) sends. */
export type WorkerMessage =
  | { initDone: true; memoryUsedMb: number; initErrorType?: string }
  | { exiting: true; code: number }
  | { record: string; requestId: string; readable: string }
  | { output: string }
  | { id: number; kind: "ok"; payload: string; memoryUsedMb: number }
  | { id: number; kind: "error"; errorType: string; errorMessage: string; memoryUsedMb: number }
  | { gc: true };

export interface Pending {
  id: number;
  requestId: string;
  /** When the platform's START was written: at once, or once init is done. */
  startedAt: number | undefined;
  resolve: (result: InvokeResult) => void;
  eventJson: string;
  traceId: string | undefined;
  timer?: NodeJS.Timeout;
}
