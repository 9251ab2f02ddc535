import { nameMap } from "../nameMap";

/**
 * How API Gateway hands JWT claims to a payload 2.0 integration
 * (`requestContext.authorizer.jwt.claims`): every value a string (OBS: `"exp": "1787996002"`);
 * arrays as `[a b]`, bracketed and space-separated, the way Go's `%v` prints a slice (OBS:
 * `cognito:groups` → `"[admin poweruser]"`); booleans `true`/`false`; null claims omitted (EMU).
 * Nested objects as Go's `%v` prints a map: `map[key:value other:value]`, keys sorted, not JSON
 * (OBS: aws/aws-lambda-go#570, a real HTTP API with a JWT authorizer), so a handler that
 * `JSON.parse`s such a claim fails locally as it would on AWS. Arrays of objects render their
 * elements the same way (UNCONFIRMED); a null inside prints Go's `<nil>`.
 */
export function formatClaims(claims: Record<string, unknown>): Record<string, string> {
  const out = nameMap();
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    out[name] = formatClaimValue(value);
  }
  return out;
}

export function formatClaimValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatClaimValue(v)).join(" ")}]`;
  if (value === null || value === undefined) return "<nil>";
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[${entries.map(([k, v]) => `${k}:${formatClaimValue(v)}`).join(" ")}]`;
}

/** Integers as plain decimals (`1787996002`, never `1.787996002e+09`), as AWS shows them. */
function formatNumber(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

/**
 * The token's scopes as the event carries them on a route that requires scopes: the full list,
 * `scp` first (a string or an array), else `scope` split on spaces (EMU, floci #2011).
 */
export function tokenScopes(claims: Record<string, unknown>): string[] {
  const source = claims.scp ?? claims.scope;
  if (Array.isArray(source)) return source.filter((s): s is string => typeof s === "string");
  if (typeof source === "string") return source.split(" ").filter((s) => s !== "");
  return [];
}
