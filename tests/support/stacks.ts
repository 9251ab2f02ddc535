import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ConfigError, validateConfig } from "../../infra/validateConfig";
import { configDeclarations, renderConfigValue } from "../../local/evaluate/projectConfig";
import { evaluateStack, expectOk, one, PROJECT_DIR, type Evaluated } from "./program";

export const PROJECT = "api-auth-jwt-auth0";
export { FAKE_ACCOUNT_ID as ACCOUNT } from "../../local/evaluate/fakeCloud";

/** What each stack file declares; the graph must carry exactly these values. */
export const STACKS = {
  dev: {
    domain: "dev-example.us.auth0.com",
    callbackUrls: ["http://localhost:5678"],
    logoutUrls: ["http://localhost:5678"],
    webOrigins: [],
    corsAllowOrigins: ["http://localhost:5173"],
    apiIdentifier: "https://api-auth-jwt-auth0/dev",
    throttling: { rate: 100, burst: 200 },
    retentionDays: 7,
  },
  prod: {
    domain: "prod-example.us.auth0.com",
    callbackUrls: ["https://app.example.com/callback"],
    logoutUrls: ["https://app.example.com/"],
    webOrigins: ["https://app.example.com"],
    corsAllowOrigins: ["https://app.example.com"],
    apiIdentifier: "https://api-auth-jwt-auth0/prod",
    throttling: { rate: 20, burst: 40 },
    retentionDays: 90,
  },
} as const;

export const ROUTES = [
  { slug: "get-public", routeKey: "GET /public", path: "/public", public: true },
  { slug: "get-private", routeKey: "GET /private", path: "/private", public: false },
] as const;

export type StackName = keyof typeof STACKS;

/** One stack's evaluated program and the values the fake cloud computed that tests compare with. */
export interface StackFacts {
  program: Evaluated;
  /** `api-auth-jwt-auth0-<stack>`. */
  name: string;
  issuer: string;
  clientId: string;
  api: { id: string; executionArn: string; apiEndpoint: string };
}

export async function stackFacts(stack: StackName): Promise<StackFacts> {
  const program = expectOk(await evaluateStack(stack));
  const apiResource = one(program, "aws:apigatewayv2/api:Api", "api");
  return {
    program,
    name: `${PROJECT}-${stack}`,
    issuer: `https://${STACKS[stack].domain}/`,
    clientId: one(program, "auth0:index/client:Client", "identity-app").state.clientId as string,
    api: {
      id: apiResource.id,
      executionArn: apiResource.state.executionArn as string,
      apiEndpoint: apiResource.state.apiEndpoint as string,
    },
  };
}

/**
 * What a team sets in `Pulumi.prod.yaml` before its first deploy (docs/deploy.md, the prod
 * checklist): the stack file's placeholders replaced, every other key as the file has it.
 */
export const FILLED_IN_PROD: Record<string, string> = {
  "auth0:domain": "acme.us.auth0.com",
  [`${PROJECT}:callbackUrls`]: JSON.stringify(["https://app.acme.io/callback"]),
  [`${PROJECT}:logoutUrls`]: JSON.stringify(["https://app.acme.io/"]),
  [`${PROJECT}:webOrigins`]: JSON.stringify(["https://app.acme.io"]),
  [`${PROJECT}:corsAllowOrigins`]: JSON.stringify(["https://app.acme.io"]),
  [`${PROJECT}:alarmEmail`]: "oncall@acme.io",
};

/**
 * What the CLI hands the program for a stack file holding `values`: `Pulumi.yaml`'s defaults for
 * the project keys under `project`, then `values`. Their types go unchecked, so that a test
 * reaches the program's own checks.
 */
export function withProjectDefaults(
  project: string,
  values: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const doc = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, unknown>;
  };
  const defaults = Object.entries(configDeclarations(doc.name, doc.config))
    .filter(([key, declared]) => !key.includes(":") && declared.default !== undefined)
    .map(([key, declared]) => [`${project}:${key}`, renderConfigValue(declared.default)]);
  return { ...Object.fromEntries(defaults), ...values };
}

/** What `validateConfig` refuses in `values`, with `Pulumi.yaml`'s defaults beneath them: none when it takes them. */
export function configProblems(
  project: string,
  stack: string,
  values: Record<string, string | undefined>,
  secretKeys?: string[],
): string[] {
  try {
    const withDefaults = withProjectDefaults(project, values);
    validateConfig({ project, stack, values: withDefaults, secretKeys: new Set(secretKeys) });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  return [];
}
