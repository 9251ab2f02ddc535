/**
 * A route as `index.ts` declares it, before anything is created: its key, its handler and what it
 * needs. Declared first, so that the scopes routes require become the Auth0 API's and the methods
 * they take become CORS's, with nothing repeated in a stack file.
 */
import type * as lambda from "@pulumi/aws/lambda";
import type * as pulumi from "@pulumi/pulumi";
import { isScopeToken } from "../facts/auth0";
import { parseRouteKey } from "../facts/routeKeys";

/** Who may call a route. Routes are protected unless they say `public`. */
export type RouteAccess = { public: true } | { public?: false; scopes?: string[] };

/**
 * An IAM grant of a route's function: actions on resources of this stack, named by their
 * outputs (`table.arn`), never a literal ARN and never `*`.
 */
export interface Grant {
  actions: string[];
  resources: pulumi.Output<string>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = lambda.Callback<any, any>;

export interface RouteOptions {
  /** The handler; its code is serialized into the function's archive. */
  handler: Handler;
  /** Default: protected by the API's JWT authorizer, no scopes required. */
  access?: RouteAccess;
  /** The function's environment variables; values may be outputs of other resources. */
  environment?: Record<string, pulumi.Input<string>>;
  /** What the function may do beyond writing its logs. */
  permissions?: Grant[];
  /** Default: the stack's `lambdaMemoryMb`. */
  memoryMb?: number;
  /** Default: the stack's `lambdaTimeoutSeconds`. */
  timeoutSeconds?: number;
}

export interface RouteDeclaration extends RouteOptions {
  /** `GET /items`, `DELETE /items/{id}`, `ANY /{proxy+}`. */
  routeKey: string;
}

/** A route to serve: `route("POST /items", { handler, access: { scopes: ["write:items"] } })`. */
export function route(routeKey: string, options: RouteOptions): RouteDeclaration {
  parseRouteKey(routeKey);
  const scopes = scopesOf(options.access);
  // AWS allows at most 10 authorization scopes per route.
  if (scopes.length > 10)
    throw new TypeError(`route '${routeKey}' requires ${scopes.length} scopes; the limit is 10`);
  const bad = scopes.filter((s) => !isScopeToken(s));
  if (bad.length > 0) {
    throw new TypeError(
      `route '${routeKey}' requires scope(s) ${bad.map((s) => JSON.stringify(s)).join(", ")}: a scope is printable ASCII without spaces, quotes or backslashes (RFC 6749, 3.3)`,
    );
  }
  for (const grant of options.permissions ?? []) checkGrant(routeKey, grant);
  return { routeKey, ...options };
}

/** The scopes a route requires: none for a public one. */
export function scopesOf(access: RouteAccess | undefined): string[] {
  return access === undefined || access.public ? [] : (access.scopes ?? []);
}

/** The scopes the routes require, each once. */
export function routeScopes(routes: RouteDeclaration[]): string[] {
  return [...new Set(routes.flatMap((r) => scopesOf(r.access)))];
}

/** The scopes the API defines: those configured, then those routes require, each once. */
export function apiScopes(configured: string[], routes: RouteDeclaration[]): string[] {
  return [...new Set([...configured, ...routeScopes(routes)])];
}

/** The methods CORS allows: the routes' own, sorted (`ANY` or `$default` allows every one). */
export function corsAllowMethods(routes: RouteDeclaration[]): string[] {
  const methods = routes.map((r) => parseRouteKey(r.routeKey).method);
  if (methods.some((m) => m === "ANY" || m === "*")) return ["*"];
  return [...new Set(methods)].sort();
}

/** A grant's actions name one service's actions, never every action of one (`s3:*`) or all. */
function checkGrant(routeKey: string, grant: Grant): void {
  if (grant.actions.length === 0 || grant.resources.length === 0) {
    throw new TypeError(`route '${routeKey}': a permission names at least one action and resource`);
  }
  const wide = grant.actions.filter((a) => !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(a));
  if (wide.length > 0) {
    throw new TypeError(
      `route '${routeKey}' may not be granted ${wide.map((a) => `'${a}'`).join(", ")}: name each action ('dynamodb:GetItem'), no wildcard`,
    );
  }
}
