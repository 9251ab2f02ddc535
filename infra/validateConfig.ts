import {
  checkUrl,
  isBareHostName,
  isOrigin,
  isWebUrl,
  parseStringArray,
  suggestHost,
} from "./configChecks";
import { ConfigError } from "./configError";

/** Everything the program needs from stack configuration, validated and with defaults applied. */
export interface StackConfig {
  /** The Auth0 tenant's host name, e.g. `dev-abc123.us.auth0.com`. */
  auth0Domain: string;
  callbackUrls: string[];
  logoutUrls: string[];
  webOrigins: string[];
  corsAllowOrigins: string[];
  apiIdentifier: string;
  apiScopes: string[];
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  logRetentionDays: number;
  lambdaMemoryMb: number;
  lambdaTimeoutSeconds: number;
}

/** Raw configuration as Pulumi hands it over: every value a string (arrays as JSON text). */
export interface RawConfigInput {
  project: string;
  stack: string;
  /** Values by full key (`auth0:domain`, `<project>:callbackUrls`); absent keys are undefined. */
  values: Readonly<Record<string, string | undefined>>;
  /** Full keys whose values are secrets: their values never appear in an error message. */
  secretKeys?: ReadonlySet<string>;
}

/** The project keys, in the order the README documents them. */
export const PROJECT_KEYS = [
  "callbackUrls",
  "logoutUrls",
  "webOrigins",
  "corsAllowOrigins",
  "apiIdentifier",
  "apiScopes",
  "throttlingRateLimit",
  "throttlingBurstLimit",
  "logRetentionDays",
  "lambdaMemoryMb",
  "lambdaTimeoutSeconds",
] as const;
export type ProjectKey = (typeof PROJECT_KEYS)[number];

/** The values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** The redirect URI the login tool listens on; OAuth servers compare it byte for byte. */
export const DEFAULT_CALLBACK_URL = "http://localhost:5678";

/**
 * The defaults, the same values `Pulumi.yaml` declares for each key (a test holds the two
 * together). The CLI applies `Pulumi.yaml`'s; Pulumi mocks (tests, the local environment) apply
 * none, so the program carries its own. They are the strict choices: a stack file may loosen them.
 */
export const CONFIG_DEFAULTS = {
  callbackUrls: [DEFAULT_CALLBACK_URL],
  logoutUrls: [DEFAULT_CALLBACK_URL],
  webOrigins: [] as string[],
  corsAllowOrigins: [] as string[],
  /** Empty: derived from the project and the stack, see {@link defaultApiIdentifier}. */
  apiIdentifier: "",
  apiScopes: ["read:messages"],
  throttlingRateLimit: 50,
  throttlingBurstLimit: 100,
  logRetentionDays: 14,
  lambdaMemoryMb: 128,
  lambdaTimeoutSeconds: 10,
} as const satisfies Record<ProjectKey, unknown>;

/**
 * The API identifier of a stack that sets none. It carries the stack because an Auth0 identifier
 * is unique in a tenant and can never change: `dev` and `prod` sharing a tenant need two, and a
 * new stack works without setting one. `Pulumi.yaml` cannot compute it, so it declares `""`.
 */
export function defaultApiIdentifier(project: string, stack: string): string {
  return `https://${project}/${stack}`;
}

/**
 * Validates raw stack configuration and applies defaults. Throws one {@link ConfigError} listing
 * every bad key, so a user fixes them all in one round.
 */
export function validateConfig(input: RawConfigInput): StackConfig {
  const { project, stack, values } = input;
  const secretKeys = input.secretKeys ?? new Set<string>();
  const problems: string[] = [];

  const show = (key: string, raw: string) =>
    secretKeys.has(key) ? "[secret]" : `'${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}'`;
  const howToSet = (key: string, example: string) =>
    `Set it with: pulumi config set ${key} ${example}`;
  /** Lists are set item by item: `pulumi config set --path 'callbackUrls[0]' <url>`. */
  const howToSetList = (key: string, example: string) =>
    `Set it with: pulumi config set --path '${key.slice(project.length + 1)}[0]' ${example}`;
  const bad = (key: string, raw: string, expected: string, setIt: string) => {
    problems.push(
      `Configuration key '${key}' has value ${show(key, raw)}: expected ${expected}. ${setIt}`,
    );
  };

  // --- auth0:domain (provider key, required) ---
  const domainKey = "auth0:domain";
  const domainExample = "dev-abc123.us.auth0.com";
  const rawDomain = values[domainKey];
  let auth0Domain = "";
  if (rawDomain === undefined || rawDomain.trim() === "") {
    problems.push(
      `Configuration key '${domainKey}' is missing: expected your Auth0 tenant's domain. ${howToSet(domainKey, domainExample)}`,
    );
  } else if (!isBareHostName(rawDomain)) {
    bad(
      domainKey,
      rawDomain,
      "a bare host name (no scheme, no path, no trailing slash)",
      // A suggestion derived from a secret value would reveal it.
      howToSet(domainKey, (!secretKeys.has(domainKey) && suggestHost(rawDomain)) || domainExample),
    );
  } else {
    auth0Domain = rawDomain.toLowerCase();
  }

  const projectKey = (key: ProjectKey) => `${project}:${key}`;
  const read = <T>(key: ProjectKey, parse: (raw: string, full: string) => T | undefined): T => {
    const full = projectKey(key);
    const raw = values[full];
    const fallback = CONFIG_DEFAULTS[key] as T;
    if (raw === undefined) return fallback;
    const parsed = parse(raw, full);
    return parsed === undefined ? fallback : parsed;
  };

  const urlList =
    (what: string, check: (u: URL, s: string) => boolean, example: string, min = 0) =>
    (raw: string, full: string): string[] | undefined => {
      const list = parseStringArray(raw);
      const expected = `a list of ${what}${min > 0 ? ` (at least ${min})` : ""}`;
      const cliExample = howToSetList(full, example);
      if (list === undefined) return (bad(full, raw, expected, cliExample), undefined);
      if (list.length < min) return (bad(full, raw, expected, cliExample), undefined);
      const wrong = list.find((s) => !checkUrl(s, check));
      if (wrong !== undefined) {
        bad(full, raw, `${expected}; '${wrong}' is not one`, cliExample);
        return undefined;
      }
      return list;
    };

  const callbackUrls = read(
    "callbackUrls",
    urlList(
      "absolute URLs (https, or http on localhost) with no fragment",
      (u, s) => isWebUrl(u) && !s.includes("#"),
      "https://app.example.com/callback",
      1,
    ),
  );
  const logoutUrls = read(
    "logoutUrls",
    urlList("absolute URLs (https, or http on localhost)", isWebUrl, "https://app.example.com/"),
  );
  const webOrigins = read(
    "webOrigins",
    urlList(
      "origins such as https://app.example.com (no path)",
      isOrigin,
      "https://app.example.com",
    ),
  );
  const corsAllowOrigins = read(
    "corsAllowOrigins",
    urlList(
      "explicit origins such as https://app.example.com (no path, never '*')",
      isOrigin,
      "https://app.example.com",
    ),
  );

  const apiIdentifier = read("apiIdentifier", (raw, full) => {
    if (raw === "") return "";
    if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(raw) && raw.length <= 600) return raw;
    bad(
      full,
      raw,
      "an absolute URI with no spaces (Auth0's API identifier)",
      howToSet(full, "https://api.example.com"),
    );
    return undefined;
  });

  const apiScopes = read("apiScopes", (raw, full) => {
    const list = parseStringArray(raw);
    // RFC 6749 §3.3 scope-token: printable ASCII except space, '"' and '\'.
    const valid =
      list !== undefined &&
      list.every((s) => /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s)) &&
      new Set(list).size === list.length;
    if (valid) return list;
    bad(
      full,
      raw,
      "a list of distinct scope names without spaces or quotes",
      howToSetList(full, "read:messages"),
    );
    return undefined;
  });

  const number =
    (expected: string, ok: (n: number) => boolean, example: string) =>
    (raw: string, full: string): number | undefined => {
      const n = raw.trim() === "" ? NaN : Number(raw);
      if (Number.isFinite(n) && ok(n)) return n;
      bad(full, raw, expected, howToSet(full, example));
      return undefined;
    };
  const throttlingRateLimit = read(
    "throttlingRateLimit",
    number(
      "a number of requests per second greater than 0 and at most 10000",
      (n) => n > 0 && n <= 10000,
      "50",
    ),
  );
  const throttlingBurstLimit = read(
    "throttlingBurstLimit",
    number(
      "a whole number of requests from 1 to 5000",
      (n) => Number.isInteger(n) && n >= 1 && n <= 5000,
      "100",
    ),
  );
  const logRetentionDays = read(
    "logRetentionDays",
    number(
      `one of CloudWatch's retention periods in days (${LOG_RETENTION_DAYS.join(", ")})`,
      (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
      "14",
    ),
  );
  const lambdaMemoryMb = read(
    "lambdaMemoryMb",
    number(
      "a whole number of megabytes from 128 to 10240",
      (n) => Number.isInteger(n) && n >= 128 && n <= 10240,
      "128",
    ),
  );
  const lambdaTimeoutSeconds = read(
    "lambdaTimeoutSeconds",
    number(
      "a whole number of seconds from 1 to 29 (API Gateway gives up on an integration after 30 s)",
      (n) => Number.isInteger(n) && n >= 1 && n <= 29,
      "10",
    ),
  );

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    auth0Domain,
    callbackUrls,
    logoutUrls,
    webOrigins,
    corsAllowOrigins,
    apiIdentifier: apiIdentifier === "" ? defaultApiIdentifier(project, stack) : apiIdentifier,
    apiScopes,
    throttlingRateLimit,
    throttlingBurstLimit,
    logRetentionDays,
    lambdaMemoryMb,
    lambdaTimeoutSeconds,
  };
}
