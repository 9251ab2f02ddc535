/** An HTTP API route key: `GET /private`, `ANY /{proxy+}` or `$default`. */
export interface RouteKey {
  method: string;
  path: string;
}

const METHODS = new Set(["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** Parses a route key; `$default` has method `*` and path `$default`. */
export function parseRouteKey(routeKey: string): RouteKey {
  if (routeKey === "$default") return { method: "*", path: "$default" };
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  if (!match || !METHODS.has(match[1]!)) {
    throw new TypeError(
      `route key '${routeKey}' is not '<METHOD> /<path>' (METHOD one of ${[...METHODS].join(", ")}) or '$default'`,
    );
  }
  return { method: match[1]!, path: match[2]! };
}

/**
 * The `SourceArn` that lets API Gateway invoke a route's function, scoped to this API and this
 * route in every stage: `<executionArn>/*\/GET/private`. `ANY` becomes `*`; `$default` is
 * `<executionArn>/*\/$default` (the form in AWS's HTTP API troubleshooting guide).
 */
export function permissionSourceArn(executionArn: string, routeKey: string): string {
  const { method, path } = parseRouteKey(routeKey);
  if (path === "$default") return `${executionArn}/*/$default`;
  return `${executionArn}/*/${method === "ANY" ? "*" : method}${path}`;
}

/** A readable, stable slug for logical and physical names: `GET /users/{id}` → `get-users-id`. */
export function routeSlug(routeKey: string): string {
  const { method, path } = parseRouteKey(routeKey);
  if (path === "$default") return "default";
  const parts = path
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== "");
  return [method.toLowerCase(), ...parts].join("-");
}
