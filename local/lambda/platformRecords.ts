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
}

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** `platform.start` and `platform.report` are INFO records: a system level of WARN drops them. */
function platformKept(logging: LoggingSettings): boolean {
  return logging.format === "Text" || LEVELS.indexOf(logging.systemLevel) <= LEVELS.indexOf("INFO");
}

/** A record as written, and as its text line reads (the same, in text format). */
export interface PlatformRecord {
  text: string;
  readable: string;
}

const asText = (line: string): PlatformRecord => ({ text: line, readable: line });

export function startRecord(
  logging: LoggingSettings,
  requestId: string,
  at: Date,
  functionArn: string,
): PlatformRecord[] {
  if (!platformKept(logging)) return [];
  const readable = startLine(requestId);
  if (logging.format === "Text") return [asText(readable)];
  const record = { requestId, functionArn, version: "$LATEST" };
  return [
    { text: JSON.stringify({ time: at.toISOString(), type: "platform.start", record }), readable },
  ];
}

/** What a cold start's first record names: the function and the runtime it runs on. */
export interface InitStart {
  functionName: string;
  /** The Node.js major of the function's runtime (`nodejs22.x` → 22). */
  major: number;
  region: string;
}

/**
 * The record a cold start begins with (LAMBDA-LOGS, LAMBDA-TELEMETRY): `INIT_START` in text,
 * `platform.initStart` in JSON. Lambda names the runtime build it runs (`nodejs:22.v35` and its
 * ARN); locally the build is this machine's Node, named `nodejs:<major>.local` (a choice: no build
 * of Lambda's runs here).
 */
export function initStartRecord(
  logging: LoggingSettings,
  init: InitStart,
  at: Date,
): PlatformRecord[] {
  if (!platformKept(logging)) return [];
  const runtimeVersion = `nodejs:${init.major}.local`;
  const runtimeVersionArn = `arn:aws:lambda:${init.region}::runtime:local-nodejs${init.major}`;
  const readable = `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${runtimeVersionArn}`;
  if (logging.format === "Text") return [asText(readable)];
  const record = {
    initializationType: "on-demand",
    phase: "init",
    runtimeVersion,
    runtimeVersionArn,
    functionName: init.functionName,
    functionVersion: "$LATEST",
  };
  const text = JSON.stringify({ time: at.toISOString(), type: "platform.initStart", record });
  return [{ text, readable }];
}

/**
 * A failed init's record (LAMBDA-LOGS, LAMBDA-TELEMETRY): `INIT_REPORT … Status: error` in text,
 * `platform.initReport` in JSON, with the init's duration and the error's type.
 */
export function initReportRecord(
  logging: LoggingSettings,
  report: { durationMs: number; errorType: string },
  at: Date,
): PlatformRecord[] {
  if (!platformKept(logging)) return [];
  const readable = [
    `INIT_REPORT Init Duration: ${report.durationMs.toFixed(2)} ms`,
    "Phase: init",
    "Status: error",
    `Error Type: ${report.errorType}`,
  ].join("\t");
  if (logging.format === "Text") return [asText(readable)];
  const record = {
    initializationType: "on-demand",
    phase: "init",
    status: "error",
    errorType: report.errorType,
    metrics: { durationMs: round(report.durationMs) },
  };
  const text = JSON.stringify({ time: at.toISOString(), type: "platform.initReport", record });
  return [{ text, readable }];
}

/**
 * The records that close an invocation: in text, a timeout's line, END and REPORT; in JSON, the
 * `platform.report` record, whose status says a timeout (there is no END record in JSON).
 */
export function endRecords(
  logging: LoggingSettings,
  report: InvocationReport,
  at: Date,
): PlatformRecord[] {
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
    const text = JSON.stringify({ time: at.toISOString(), type: "platform.report", record });
    return [{ text, readable: reportLine(report) }];
  }
  // A timeout is REPORT's `Status: timeout` alone: Lambda no longer writes the older
  // "Task timed out after N seconds" line (LAMBDA-TIMEOUT-LINE).
  return [`END RequestId: ${report.requestId}`, reportLine(report)].map(asText);
}

function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

/** `REPORT RequestId: … Duration: … ms …`, each field followed by a tab, as Lambda writes it. */
function reportLine(report: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedMs(report)} ms`,
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
