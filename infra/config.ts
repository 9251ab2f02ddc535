import * as pulumi from "@pulumi/pulumi";
import { foreignKeyWarnings, unknownKeyWarnings } from "./configChecks";
import { ConfigError } from "./configError";
import { PROJECT_KEYS, StackConfig, validateConfig } from "./validateConfig";

/**
 * Reads the stack's configuration once. The only module that touches `pulumi.Config`. A bad value
 * stops the program before any resource exists, as a `RunError`: Pulumi prints the message without
 * a stack trace.
 */
export function loadConfig(): StackConfig & { project: string; stack: string } {
  const project = pulumi.getProject();
  const stack = pulumi.getStack();
  const projectConfig = new pulumi.Config();
  const auth0 = new pulumi.Config("auth0");
  const values: Record<string, string | undefined> = {
    "auth0:domain": auth0.get("domain"),
    // The provider's credentials, as it reads them (config first, then its environment): only
    // whether they name a client matters here (the test user's, see validateConfig).
    "auth0:clientId": auth0.get("clientId") ?? process.env.AUTH0_CLIENT_ID,
    "auth0:apiToken": auth0.get("apiToken") ?? process.env.AUTH0_API_TOKEN,
    "aws:region": new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION,
  };
  for (const key of PROJECT_KEYS) values[`${project}:${key}`] = projectConfig.get(key);
  const keys = Object.keys(pulumi.runtime.allConfig());
  for (const warning of [
    ...unknownKeyWarnings(project, keys, PROJECT_KEYS),
    ...foreignKeyWarnings(project, keys),
  ]) {
    void pulumi.log.warn(warning);
  }
  try {
    return {
      project,
      stack,
      ...validateConfig({ project, stack, values, secretKeys: secretKeys(Object.keys(values)) }),
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

/**
 * Which keys hold secrets. The SDK's `isConfigSecret` reads the list the language host passes
 * (`PULUMI_CONFIG_SECRET_KEYS`) but is marked internal, so it is missing from the SDK's types.
 * Should a later SDK drop it, every value counts as secret: redacting too much is the safe side.
 */
function secretKeys(keys: string[]): Set<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
    isConfigSecret?: (key: string) => boolean;
  };
  const isSecret = runtimeConfig.isConfigSecret ?? (() => true);
  return new Set(keys.filter((key) => isSecret(key)));
}
