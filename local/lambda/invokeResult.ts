/** An invocation's outcome read as Lambda reads it: the response, and how REPORT names it. */
import type { InvokeResult } from "./environmentTypes";
import type { InvocationReport } from "./platformRecords";

/** How the REPORT record names an invocation's outcome. */
export function reportStatus(result: InvokeResult): Pick<InvocationReport, "status" | "errorType"> {
  switch (result.kind) {
    case "ok":
      return { status: "success" };
    case "error":
      return { status: "error", errorType: result.errorType };
    case "timeout":
      return { status: "timeout" };
    case "crash":
      return { status: "failure", errorType: result.errorType ?? "Runtime.ExitError" };
  }
}

/**
 * Lambda's limit on a synchronous invocation's response, in bytes: 6 MB and 100 bytes, as its
 * error names it (LAMBDA-RESPONSE-LIMIT).
 */
export const RESPONSE_LIMIT_BYTES = 6_291_556;

/** What Lambda answers for a response over the limit (Invoke's `Function.ResponseSizeTooLarge`). */
export const TOO_LARGE = {
  errorType: "Function.ResponseSizeTooLarge",
  errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
};

/**
 * A function's response as Lambda hands it on: JSON, an error when it is not JSON at all, or when
 * it is over the limit.
 */
export function parsePayload(text: string): InvokeResult {
  if (Buffer.byteLength(text) > RESPONSE_LIMIT_BYTES) return { kind: "error", ...TOO_LARGE };
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

/**
 * The record Lambda's log stream gets for a response over the limit. Its text is the capture's;
 * its frame (time, request ID, ERROR) is the runtime's text format (UNCONFIRMED: the capture
 * quoted the message alone).
 */
export function tooLargeRecord(requestId: string): string {
  return `${new Date().toISOString()}\t${requestId}\tERROR\tExceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`;
}
