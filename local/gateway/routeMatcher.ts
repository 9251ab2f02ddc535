/**
 * Route selection as API Gateway HTTP APIs document it (Working with routes for HTTP APIs):
 * 1) a full match of method and path (path variables `{name}` match one segment each),
 * 2) a match with a greedy path variable `{proxy+}`, 3) the `$default` route.
 *
 * Choices where AWS is silent (UNCONFIRMED), each the stricter reading:
 * - among full matches, a literal segment beats a variable, compared left to right, so
 *   `GET /pets/dog/1` beats `GET /pets/dog/{id}` (the doc's worked example);
 * - among greedy matches, the longer literal prefix wins (`/pets/{proxy+}` beats `/{proxy+}`);
 * - for equally specific paths a named method beats `ANY` ("ANY matches every method not
 *   otherwise defined");
 * - a greedy variable needs at least one segment: `/pets/{proxy+}` does not match `/pets`;
 * - paths compare exactly: `/public/` is not `/public`, and case matters.
 */
import { parseRouteKey, type RouteKey } from "../../facts/routeKeys";

export interface RouteLike {
  routeKey: string;
}

type Segment = { kind: "literal"; value: string } | { kind: "param"; name: string };

interface CompiledRoute<R> {
  route: R;
  method: string;
  segments: Segment[];
  greedy?: string;
}

export interface RouteTable<R> {
  routes: CompiledRoute<R>[];
  defaultRoute?: R;
}

export type MatchResult<R> =
  | { kind: "match"; route: R; pathParameters: Record<string, string> }
  | { kind: "none" }
  /** A path variable's value has malformed percent-encoding. */
  | { kind: "bad-encoding" };

export function compileRoutes<R extends RouteLike>(routes: readonly R[]): RouteTable<R> {
  const table: RouteTable<R> = { routes: [] };
  for (const route of routes) {
    if (route.routeKey === "$default") {
      table.defaultRoute = route;
      continue;
    }
    let key: RouteKey;
    try {
      key = parseRouteKey(route.routeKey);
    } catch {
      continue; // API Gateway refuses such a route key: no request can reach it.
    }
    const { method } = key;
    const parts = key.path.split("/").slice(1);
    const compiled: CompiledRoute<R> = { route, method, segments: [] };
    parts.forEach((part, i) => {
      const variable = /^\{([^}]+)\}$/.exec(part);
      if (variable && variable[1]!.endsWith("+") && i === parts.length - 1) {
        compiled.greedy = variable[1]!.slice(0, -1);
      } else if (variable) {
        compiled.segments.push({ kind: "param", name: variable[1]! });
      } else {
        compiled.segments.push({ kind: "literal", value: part });
      }
    });
    table.routes.push(compiled);
  }
  return table;
}

export function matchRoute<R>(
  table: RouteTable<R>,
  method: string,
  rawPath: string,
): MatchResult<R> {
  // One trailing slash is dropped before routing: API Gateway "routes /my/path/ exactly as if
  // /my/path had been called" (aws-powertools/powertools-lambda-python#1552 and PR #1609); the
  // event's `rawPath` keeps the slash (floci-io/floci#2136).
  const routed = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
  const parts = routed.split("/").slice(1);
  const best = bestMatch(table, method, parts);
  if (best === undefined) {
    return table.defaultRoute !== undefined
      ? { kind: "match", route: table.defaultRoute, pathParameters: {} }
      : { kind: "none" };
  }
  const pathParameters: Record<string, string> = {};
  try {
    best.compiled.segments.forEach((segment, i) => {
      if (segment.kind === "param") pathParameters[segment.name] = decodeURIComponent(parts[i]!);
    });
    if (best.compiled.greedy !== undefined) {
      pathParameters[best.compiled.greedy] = decodeURIComponent(
        parts.slice(best.compiled.segments.length).join("/"),
      );
    }
  } catch {
    return { kind: "bad-encoding" };
  }
  return { kind: "match", route: best.compiled.route, pathParameters };
}

function bestMatch<R>(
  table: RouteTable<R>,
  method: string,
  parts: string[],
): { compiled: CompiledRoute<R>; rank: number[] } | undefined {
  let best: { compiled: CompiledRoute<R>; rank: number[] } | undefined;
  for (const compiled of table.routes) {
    // Methods compare exactly (RFC 9110 §9.1: case-sensitive); HEAD is a method of its own and
    // does not reach a GET route. AWS documents neither: our choice, listed in the README.
    if (compiled.method !== method && compiled.method !== "ANY") continue;
    const rank = rankMatch(compiled, parts);
    if (rank === undefined) continue;
    if (best === undefined || compareRanks(rank, best.rank) < 0) best = { compiled, rank };
  }
  return best;
}

/** Lower ranks win: [greedy?, -prefix length, variable-ness per segment…, ANY?]. */
function rankMatch<R>(compiled: CompiledRoute<R>, parts: string[]): number[] | undefined {
  const { segments, greedy } = compiled;
  if (greedy === undefined ? parts.length !== segments.length : parts.length <= segments.length) {
    return undefined;
  }
  if (greedy !== undefined && parts.slice(segments.length).join("/") === "") return undefined;
  const perSegment: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "literal") {
      if (segment.value !== parts[i]) return undefined;
      perSegment.push(0);
    } else {
      if (parts[i] === "") return undefined;
      perSegment.push(1);
    }
  }
  return [
    greedy === undefined ? 0 : 1,
    -segments.length,
    ...perSegment,
    compiled.method === "ANY" ? 1 : 0,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
