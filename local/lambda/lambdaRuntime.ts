/**
 * What Lambda's Node.js runtime gives every execution environment, as facts: its environment
 * variables, its V8 heap limits, its log stream's name, and `gc`.
 */
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { setFlagsFromString } from "node:v8";
import type { LocalFunction } from "../interpret/model";

// Lambda's Node.js bootstrap starts node with --expose-gc, so `gc` is a global in every function.
// V8's flags are the process's, and this one applies to the isolates created after it is set: each
// worker gets `gc` as its handler would on Lambda. This process's own context is left as is.
setFlagsFromString("--expose-gc");

/**
 * The variables Lambda sets in every Node.js execution environment (LAMBDA-ENV), then the
 * function's own. The log format and, with JSON only, the application log level reach the
 * runtime's console as `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL` (LAMBDA-LOG-LEVELS).
 */
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
    LAMBDA_RUNTIME_DIR: "/var/runtime",
    _HANDLER: fn.handler,
    // Where Lambda's runtime API listens; nothing does locally: the host hands invocations over
    // a worker's port instead.
    AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
    // Lambda's module path for Node.js, with the task root where /var/task stands.
    NODE_PATH: `/opt/nodejs/node${nodeMajorOf(fn.runtime) ?? ""}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:${taskRoot}`,
    AWS_LAMBDA_LOG_FORMAT: fn.logging.format,
    ...(fn.logging.format === "JSON" ? { AWS_LAMBDA_LOG_LEVEL: fn.logging.applicationLevel } : {}),
    AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
    AWS_XRAY_DAEMON_ADDRESS: "169.254.79.129:2000",
    // Credentials of the function's role, as Lambda sets them, so that AWS SDK clients construct;
    // fake ones: no call to AWS succeeds with them, and the developer's own never reach a
    // function (its environment is Lambda's, not the shell's).
    ...FAKE_CREDENTIALS,
    ...fn.environment,
  };
}

/** The role credentials a function sees locally: shaped like AWS's, valid nowhere. */
export const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "ASIALOCALFUNCTIONKEY",
  AWS_SECRET_ACCESS_KEY: "local/function/secret/key/that/signs/nothing/00",
  AWS_SESSION_TOKEN: "local-function-session-token",
};

/** `22` for `nodejs22.x`; undefined for a runtime that is not Node.js. */
export function nodeMajorOf(runtime: string): number | undefined {
  const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  return major === undefined ? undefined : Number(major);
}

/**
 * `2026/11/29/[$LATEST]0f1e…`: a Lambda log stream's name, one per execution environment: the
 * day (UTC), the version, and 32 random hex characters (LAMBDA-LOGS; the Node.js logging page's
 * examples show `YYYY/MM/DD/[$LATEST]<32 hex>`).
 */
export function logStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
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
