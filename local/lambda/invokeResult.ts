/** An invocation's outcome read as Lambda reads it: the response, and how REPORT names it. */
import type { InvokeResult } from "./executionEnvironment";
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
      return { status: "failure", errorType: "Runtime.ExitError" };
  }
}

/** A function's response as Lambda hands it on: JSON, or an error when it is not JSON at all. */
export function parsePayload(text: string): InvokeResult {
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
