/**
 * What the Lambda platform writes in a function's log stream around each invocation, in the
 * function's log format: START, END and REPORT lines in text (LAMBDA-LOGS), `platform.start` and
 * `platform.report` records in JSON (LAMBDA-TELEMETRY), kept or dropped by the system log level
 * (LAMBDA-LOG-LEVELS). Also the one readable rendering of any record, for the terminal and the
 * console.
 */

import type { LoggingSettings } from "../interpret/model";

export interface InvocationReport {
  requestId: string;
  durationMs: number;
  /** On the first invocation of an environment (a cold start) only. */
  initDurationMs?: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** `error`: the handler failed; `failure`: the runtime died; `timeout`: it ran out of time. */
  status: "success" | "error" | "failure" | "timeout";
  errorType?: string;
  /** The function's configured timeout, which a timeout's line names. */
  timeoutSeconds: number;
}

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** `platform.start` and `platform.report` are INFO records: a system level of WARN drops them. */
function platformKept(logging: LoggingSettings): boolean {
  return logging.format === "Text" || LEVELS.indexOf(logging.systemLevel) <= LEVELS.indexOf("INFO");
}

export function startRecord(logging: LoggingSettings, requestId: string, at: Date): string[] {
  if (!platformKept(logging)) return [];
  if (logging.format === "Text") return [startLine(requestId)];
  const record = { requestId, version: "$LATEST" };
  return [JSON.stringify({ time: at.toISOString(), type: "platform.start", record })];
}

/**
 * The records that close an invocation: in text, a timeout's line, END and REPORT; in JSON, the
 * `platform.report` record, whose status says a timeout (there is no END record in JSON).
 */
export function endRecords(logging: LoggingSettings, report: InvocationReport, at: Date): string[] {
  if (!platformKept(logging)) return [];
  if (logging.format === "JSON") {
    const record = {
      requestId: report.requestId,
      metrics: {
        durationMs: round(report.durationMs),
        billedDurationMs: billedMs(report),
        memorySizeMB: report.memorySizeMb,
        maxMemoryUsedMB: report.maxMemoryUsedMb,
        ...(report.initDurationMs !== undefined
          ? { initDurationMs: round(report.initDurationMs) }
          : {}),
      },
      status: report.status,
      ...(report.errorType !== undefined ? { errorType: report.errorType } : {}),
    };
    return [JSON.stringify({ time: at.toISOString(), type: "platform.report", record })];
  }
  const timedOut =
    report.status === "timeout"
      ? [
          `${at.toISOString()} ${report.requestId} Task timed out after ${report.timeoutSeconds.toFixed(2)} seconds`,
        ]
      : [];
  return [...timedOut, `END RequestId: ${report.requestId}`, reportLine(report)];
}

function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

/**
 * A record as a reader wants it: a JSON record of the function as its text line would be (time,
 * request ID, level, message), a JSON platform record as its START or REPORT line; a text record
 * as written. Several lines when the message has several.
 */
export function readableRecord(text: string): string {
  if (!text.startsWith("{")) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== "object" || parsed === null) return text;
  const r = parsed as Record<string, unknown>;
  if (r.type === "platform.start" && isRecord(r.record))
    return startLine(String(r.record.requestId));
  if (r.type === "platform.report" && isRecord(r.record)) return readableReport(r.record);
  if (typeof r.timestamp === "string" && typeof r.level === "string") {
    const message = typeof r.message === "string" ? r.message : readableValue(r.message);
    return `${r.timestamp}\t${String(r.requestId)}\t${r.level}\t${message}`;
  }
  return text;
}

function readableReport(record: Record<string, unknown>): string {
  const m = (isRecord(record.metrics) ? record.metrics : {}) as Record<string, number | undefined>;
  const status = String(record.status) as InvocationReport["status"];
  return reportLine(
    {
      requestId: String(record.requestId),
      durationMs: m.durationMs ?? 0,
      ...(m.initDurationMs !== undefined ? { initDurationMs: m.initDurationMs } : {}),
      memorySizeMb: m.memorySizeMB ?? 0,
      maxMemoryUsedMb: m.maxMemoryUsedMB ?? 0,
      status,
      ...(typeof record.errorType === "string" ? { errorType: record.errorType } : {}),
      timeoutSeconds: 0,
    },
    m.billedDurationMs ?? 0,
  );
}

/** An error as its stack trace; any other value as one line of JSON. */
function readableValue(value: unknown): string {
  if (isRecord(value) && Array.isArray(value.stackTrace) && value.stackTrace.length > 0) {
    return value.stackTrace.map(String).join("\n");
  }
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** `REPORT RequestId: … Duration: … ms …`, each field followed by a tab, as Lambda writes it. */
function reportLine(report: InvocationReport, billed = billedMs(report)): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined) {
    fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  }
  if (report.status === "timeout" || report.status === "failure") {
    fields.push(`Status: ${report.status === "timeout" ? "timeout" : "error"}`);
    if (report.errorType !== undefined) fields.push(`Error Type: ${report.errorType}`);
  }
  return `${fields.join("\t")}\t`;
}

/**
 * Whole milliseconds, rounded up (LAMBDA-PRICING); since August 2025 a cold start's init phase is
 * billed too (LAMBDA-INIT-BILLING).
 */
function billedMs(report: InvocationReport): number {
  return Math.ceil(report.durationMs + (report.initDurationMs ?? 0));
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
