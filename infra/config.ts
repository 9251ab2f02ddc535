import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PROJECT_KEYS, validateConfig, type StackConfig } from "./validateConfig";

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

/** Namespaces whose keys the program or its providers read. */
const KNOWN_NAMESPACES = ["aws", "auth0", "pulumi", "random"];

/**
 * Keys in another project's namespace: after `pulumi new` renames the project, the stack files'
 * `api-auth-jwt-auth0:*` keys are ignored without a word (dev would lose its CORS, its throttling
 * and its retention). Each gets a warning naming the project it belongs to and the key to use.
 */
export function foreignKeyWarnings(project: string, keys: readonly string[]): string[] {
  return keys
    .map((key) => [key, key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)] as const)
    .filter(
      ([key, space]) => key.includes(":") && space !== project && !KNOWN_NAMESPACES.includes(space),
    )
    .map(
      ([key, space, name]) =>
        `Configuration key '${key}' belongs to project '${space}', not this one ('${project}'), so it has no effect: rename it to '${project}:${name}'`,
    );
}

/**
 * One warning per key of the project's namespace the program does not read (a typo such as
 * `throttlingRatelimit` would otherwise be ignored without a word), naming the closest key it
 * does read when there is one within three edits.
 */
export function unknownKeyWarnings(
  project: string,
  keys: readonly string[],
  known: readonly string[],
): string[] {
  return keys
    .filter(
      (key) => key.startsWith(`${project}:`) && !known.includes(key.slice(project.length + 1)),
    )
    .map((key) => {
      const name = key.slice(project.length + 1);
      const closest = [...known].sort((a, b) => distance(name, a) - distance(name, b))[0];
      const near = closest !== undefined && distance(name, closest) <= 3;
      const hint = near ? `; did you mean '${project}:${closest}'?` : "";
      return `Configuration key '${key}' is not one this program reads, so it has no effect${hint}`;
    });
}

/** Levenshtein distance, case-insensitive: how far a typo is from a known name. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[y.length]!;
}
