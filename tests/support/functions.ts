import type { LocalFunction } from "../../local/interpret/model";

/**
 * A function whose archive is the given `__index.js`, as the interpreter hands one to a pool:
 * 128 MB, 5 s, nodejs22.x, text logs at INFO, unless `with` says otherwise.
 */
export function localFunction(
  name: string,
  source: string,
  with_: Partial<Omit<LocalFunction, "logging">> & { format?: "Text" | "JSON" } = {},
): LocalFunction {
  const { format = "Text", ...rest } = with_;
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    files: { "__index.js": source },
    handler: "__index.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    timeoutSeconds: 5,
    memoryMb: 128,
    environment: {},
    logGroup: `/aws/lambda/${name}`,
    logging: { format, applicationLevel: "INFO", systemLevel: "INFO" },
    ...rest,
  };
}
