/** Pure checks the config validator applies to single values. */
import { isLoopbackHost } from "../facts/loopback";

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isBareHostName(value: string): boolean {
  const labels = value.split(".");
  return labels.length >= 2 && labels.every((label) => HOST_LABEL.test(label));
}

/** For `https://tenant.auth0.com/`, suggests `tenant.auth0.com` in the how-to-set line. */
export function suggestHost(value: string): string | undefined {
  const host = value.replace(/^[a-z]+:\/\//i, "").split(/[/?#]/)[0];
  return host !== undefined && isBareHostName(host) ? host.toLowerCase() : undefined;
}

export function parseStringArray(raw: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
  } catch {
    // Not JSON: fall through.
  }
  return undefined;
}

export function checkUrl(s: string, check: (u: URL, s: string) => boolean): boolean {
  try {
    return check(new URL(s), s);
  } catch {
    return false;
  }
}

/** https anywhere; plain http only on loopback, as Auth0 allows for development. */
export function isWebUrl(u: URL): boolean {
  return u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname));
}

export function isOrigin(u: URL, s: string): boolean {
  return isWebUrl(u) && s === u.origin;
}

/** Levenshtein distance, case-insensitive: how far a typo is from a known name. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
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

/**
 * One warning per key of the project's namespace the program does not read (a typo such as
 * `throttlingRatelimit` would otherwise be ignored without a word), naming the closest key it
 * does read when there is one within three edits.
 */
/** Namespaces whose keys the program or its providers read. */
const KNOWN_NAMESPACES = ["aws", "auth0", "pulumi", "random"];

/**
 * Keys in another project's namespace: after `pulumi new` renames the project, the stack files'
 * `api-auth-jwt-auth0:*` keys are ignored without a word (dev would lose its CORS, its throttling
 * and its retention). Each gets a warning naming the project it belongs to and the key to use.
 */
export function foreignKeyWarnings(project: string, keys: readonly string[]): string[] {
  return keys
    .filter((key) => key.includes(":"))
    .map((key) => [key, key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)] as const)
    .filter(([, namespace]) => namespace !== project && !KNOWN_NAMESPACES.includes(namespace))
    .map(
      ([key, namespace, name]) =>
        `Configuration key '${key}' belongs to project '${namespace}', not this one ('${project}'), so it has no effect: rename it to '${project}:${name}'`,
    );
}

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
      const hint =
        closest !== undefined && distance(name, closest) <= 3
          ? `; did you mean '${project}:${closest}'?`
          : "";
      return `Configuration key '${key}' is not one this program reads, so it has no effect${hint}`;
    });
}
