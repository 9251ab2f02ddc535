/** The Lambda functions the program declares, with the code each would upload. */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedResource } from "../evaluate/snapshot";
import { isArchiveSnapshot } from "../evaluate/snapshot";
import type { EvaluatedProgram, LocalFunction, LoggingSettings } from "./model";

/** Every function with inline code, by name and by ARN (its own and its invoke ARN). */
export function interpretFunctions(
  evaluation: EvaluatedProgram,
  warnings: string[],
): { functions: Record<string, LocalFunction>; byArn: Map<string, LocalFunction> } {
  const functions: Record<string, LocalFunction> = {};
  const byArn = new Map<string, LocalFunction>();
  // By name: CallbackFunctions register once their closures are serialized, in whichever order
  // those finish; the model (and what is said of it) must not change with that race.
  const declared = evaluation.resources.filter((r) => r.type === TYPES.function);
  declared.sort((a, b) => String(a.state.name).localeCompare(String(b.state.name)));
  for (const fn of declared) {
    const local = toFunction(fn);
    if (local === undefined) {
      warnings.push(`function '${fn.name}' has no inline code archive; it cannot run locally`);
      continue;
    }
    functions[local.name] = local;
    byArn.set(local.arn, local);
    byArn.set(String(fn.state.invokeArn), local);
  }
  warnings.push(...runtimeNotices(Object.values(functions), process.versions.node));
  return { functions, byArn };
}

/**
 * One notice per declared Node.js runtime whose major is not the Node that runs the functions
 * here (worker threads of this process): what that Node lacks or does differently shows only
 * after a deploy.
 */
export function runtimeNotices(functions: LocalFunction[], nodeVersion: string): string[] {
  const here = Number(nodeVersion.split(".")[0]);
  const byRuntime = new Map<string, string[]>();
  for (const fn of functions) {
    const major = /^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1];
    if (major === undefined || Number(major) === here) continue;
    byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.name]);
  }
  return [...byRuntime].map(([runtime, names]) => {
    // A program's functions share one runtime as a rule: said once, not a list of every route's.
    const which =
      names.length > 1 && names.length === functions.length
        ? "every function is"
        : `${names.join(", ")} ${names.length === 1 ? "is" : "are"}`;
    return `${which} declared ${runtime}, but runs here on Node ${nodeVersion}: what Node ${runtime.replace(/^nodejs(\d+)\.x$/, "$1")} does differently shows only once deployed`;
  });
}

function toFunction(fn: EvaluatedResource): LocalFunction | undefined {
  const code = fn.inputs.code;
  if (!isArchiveSnapshot(code)) return undefined;
  const files: Record<string, string> = {};
  for (const [path, asset] of Object.entries(code.$archive)) {
    if (asset.text === undefined) return undefined;
    files[path] = asset.text;
  }
  const env = (fn.inputs.environment as { variables?: Record<string, string> } | undefined)
    ?.variables;
  const logging = fn.inputs.loggingConfig as LoggingConfig | undefined;
  const name = String(fn.state.name);
  return {
    name,
    arn: String(fn.state.arn),
    files,
    ...(fn.sourceMaps !== undefined ? { sourceMaps: fn.sourceMaps } : {}),
    handler: String(fn.inputs.handler ?? "index.handler"),
    runtime: String(fn.inputs.runtime ?? "nodejs22.x"),
    architecture: String((fn.inputs.architectures as string[] | undefined)?.[0] ?? "x86_64"),
    // Lambda's own defaults when a function does not say.
    timeoutSeconds: Number(fn.inputs.timeout ?? 3),
    memoryMb: Number(fn.inputs.memorySize ?? 128),
    environment: env ?? {},
    logGroup: logging?.logGroup ?? `/aws/lambda/${name}`,
    logging: loggingSettings(logging),
  };
}

type LoggingConfig = {
  logGroup?: string;
  logFormat?: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
};

/** Lambda's defaults: text records; with JSON, INFO for the function's and the platform's. */
export function loggingSettings(config: LoggingConfig | undefined): LoggingSettings {
  return {
    format: config?.logFormat?.toUpperCase() === "JSON" ? "JSON" : "Text",
    applicationLevel: config?.applicationLogLevel?.toUpperCase() ?? "INFO",
    systemLevel: config?.systemLogLevel?.toUpperCase() ?? "INFO",
  };
}
