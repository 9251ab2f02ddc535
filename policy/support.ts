/**
 * Plain helpers the rules share: the pack's configuration with its defaults, the stack a resource
 * belongs to, IAM policy documents and URLs. No Pulumi types: each takes data and returns data.
 */
import { BlockList, isIP } from "node:net";
import { UnknownValueError } from "@pulumi/policy";

/** What a team may set per stack with `--policy-pack-config`; each key has a default. */
export interface PackConfig {
  /**
   * Route keys that may answer without a JWT: the program's `access: { public: true }`, each
   * declared again in policy/config.json, the one place. None by default.
   */
  publicRoutes: string[];
  /** Stacks where loopback callback URLs are expected (development). */
  devStacks: string[];
  /** Stack outputs allowed to carry a client secret: the program exports them with `pulumi.secret`. */
  secretOutputs: string[];
  /**
   * Stacks that must be monitored (alarms that reach someone); said here, never inferred from the
   * alarms a stack happens to declare.
   */
  monitoredStacks: string[];
}

export const PACK_DEFAULTS: PackConfig = {
  publicRoutes: [],
  devStacks: ["dev"],
  secretOutputs: ["clientSecret", "smokeClientSecret"],
  monitoredStacks: ["prod"],
};

/** The policy's configuration, defaults first (the engine may or may not apply the schema's). */
export function packConfig(args: { getConfig<T extends object>(): T }): PackConfig {
  return { ...PACK_DEFAULTS, ...args.getConfig<Partial<PackConfig>>() };
}

/** The config schema entry for some of {@link PACK_DEFAULTS}' keys. */
export function configSchema(...keys: (keyof PackConfig)[]) {
  return {
    properties: Object.fromEntries(
      keys.map((key) => [
        key,
        { type: "array" as const, items: { type: "string" as const }, default: PACK_DEFAULTS[key] },
      ]),
    ),
  };
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → `<stack>`. */
export function stackOf(urn: string): string {
  return urn.slice("urn:pulumi:".length).split("::")[0] ?? "";
}

export interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
}

/** A policy document as IAM resources carry it: JSON text or an object. */
export function statementsOf(policy: unknown): Statement[] {
  const doc = (typeof policy === "string" ? JSON.parse(policy) : policy) as {
    Statement?: Statement | Statement[];
  };
  return listOf(doc?.Statement);
}

export function listOf<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * A wildcard that widens a grant: `*`, `logs:*`, `logs:Put*`, an ARN with `*` in its service,
 * region, account or resource. The one wildcard allowed is a trailing `:log-stream:*` (every
 * stream of one log group), which a function needs because Lambda names its streams.
 */
export function isWideWildcard(value: string): boolean {
  return value.replace(/:log-stream:\*$/, "").includes("*");
}

/** The loopback addresses: 127.0.0.0/8 and ::1. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * The program's own rule (facts/loopback.ts `isLoopbackHost`), copied because the pack is
 * published alone; tests/loopback.test.ts runs both against the same cases. IP literals by their
 * parsed address, names only if `localhost` or `*.localhost` (RFC 6761), never by a prefix.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family !== 0) return LOOPBACK.check(bare, family === 4 ? "ipv4" : "ipv6");
  const name = bare.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

export function isLoopback(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** https anywhere, plain http on loopback only; never a wildcard (Auth0 would match it loosely). */
export function isExactCallback(url: string): boolean {
  if (url.includes("*")) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || (parsed.protocol === "http:" && isLoopback(url));
  } catch {
    return false;
  }
}

/** Every string in a JSON-like value, depth first. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * A value that may not be known yet (a first `pulumi preview`, where the engine hands unknowns
 * and reading one throws `UnknownValueError`), or `unknown` in its place. Rules read what they
 * judge with it only where an unknown value cannot hide a violation: a name in a message, a
 * property whose mere presence is what counts.
 */
export function known<T>(read: () => T, unknown: string): T | string {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return unknown;
    throw err;
  }
}

/**
 * A name for a message, read as `known` reads: a rule whose verdict is known reports it even
 * when the name is not yet (a first preview of an autonamed resource), never "can't run".
 */
export function shown(read: () => string | undefined): string {
  return known(() => read() ?? "", "(its name is known after deploy)");
}
