import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./configError";
import { PROJECT_KEYS, StackConfig, validateConfig } from "./validateConfig";

/** Where the Pulumi language host passes the list of secret config keys. */
const SECRET_KEYS_ENTRY = "PULUMI_CONFIG_SECRET_KEYS";

/**
 * Reads the stack's configuration once. The only module that touches `pulumi.Config`. A bad value
 * stops the program before any resource exists, as a `RunError`: Pulumi prints the message without
 * a stack trace.
 */
export function loadConfig(): StackConfig & { project: string; stack: string } {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const projectConfig = new pulumi.Config();
  const values: Record<string, string | undefined> = {
    "auth0:domain": new pulumi.Config("auth0").get("domain"),
  };
  for (const key of PROJECT_KEYS) values[`${project}:${key}`] = projectConfig.get(key);
  try {
    return {
      project,
      stack,
      ...validateConfig({ project, stack, values, secretKeys: secretKeys() }),
    };
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new pulumi.RunError(
        `Invalid stack configuration for stack '${stack}':\n${err.message}`,
      );
    }
    throw err;
  }
}

function secretKeys(): Set<string> {
  const listed = pulumi.runtime.allConfig()[SECRET_KEYS_ENTRY];
  if (listed === undefined) return new Set();
  try {
    const keys: unknown = JSON.parse(listed);
    return new Set(Array.isArray(keys) ? keys.filter((k) => typeof k === "string") : []);
  } catch {
    return new Set();
  }
}
