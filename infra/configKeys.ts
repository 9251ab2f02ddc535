// The project's configuration keys, one table: the value's kind, what a valid one is (as an error
// says it), an example for `pulumi config set`, the default and what else it must meet. The
// defaults are `Pulumi.yaml`'s (tests/projectFile.test.ts holds the two together): the CLI
// applies that file's and type-checks its typed keys before the program runs; Pulumi mocks do
// neither, so the program carries them and reads every kind itself.
import { DEFAULT_CALLBACK_URL, isScopeToken } from "../facts/auth0";
import { isLoopbackHost } from "../facts/loopback";

type Kinds = { text: string; number: number; flag: boolean; list: string[] };
type Kind = keyof Kinds;

/** `accepts` says true, false, or what is wrong (said after `expected`). */
export interface KeySpec<K extends Kind = Kind> {
  kind: K;
  expected: string;
  example: string;
  default: Kinds[K];
  accepts(value: Kinds[K]): boolean | string;
}

/** A raw value (a string, lists as JSON text) read as its kind; undefined when it is not one. */
export function readAs(kind: Kind, raw: string): Kinds[Kind] | undefined {
  if (kind === "text") return raw;
  if (kind === "flag") return raw === "true" ? true : raw === "false" ? false : undefined;
  if (kind === "number") return raw.trim() === "" || !Number.isFinite(+raw) ? undefined : +raw;
  try {
    const list: unknown = JSON.parse(raw);
    const strings = Array.isArray(list) && list.every((s) => typeof s === "string");
    return strings ? list : undefined;
  } catch {
    return undefined;
  }
}

const key = <K extends Kind>(
  kind: K,
  expected: string,
  example: string,
  defaultValue: Kinds[K],
  accepts: (value: Kinds[K]) => boolean | string = () => true,
): KeySpec<K> => ({ kind, expected, example, default: defaultValue, accepts });

const flag = (defaultValue: boolean) =>
  key("flag", "true or false", String(!defaultValue), defaultValue);
const whole = (what: string, [min, max]: [number, number], defaultValue: number, why = "") =>
  key(
    "number",
    `a whole ${what} from ${min} to ${max}${why}`,
    String(defaultValue),
    defaultValue,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );
const urls = (
  what: string,
  ok: (u: URL, s: string) => boolean,
  example: string,
  defaultValue: string[],
  min = 0,
) =>
  key(
    "list",
    `a list of ${what}${min ? ` (at least ${min})` : ""}`,
    example,
    defaultValue,
    (list) => {
      const wrong = list.find((s) => !URL.canParse(s) || !ok(new URL(s), s));
      return list.length < min ? false : wrong === undefined || `; '${wrong}' is not one`;
    },
  );
/** "" for none, or what `pattern` matches. */
const optional = (expected: string, example: string, pattern: RegExp) =>
  key("text", expected, example, "", (s) => s === "" || pattern.test(s));

const EMAIL = /^(?=.{1,254}$)[^\s@]+@[^\s@]+\.[^\s@]+$/; // Auth0 and SNS check more.
/** https anywhere; plain http only on loopback, as Auth0 allows for development. */
const isWebUrl = (u: URL) =>
  u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname));
const isOrigin = (u: URL, s: string) => isWebUrl(u) && s === u.origin;
export const isBareHostName = (s: string) => {
  const labels = s.split(".");
  return labels.length >= 2 && labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i.test(l));
};
/** What CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** The project keys, in the order the README documents them. */
export const PROJECT_SPECS = {
  callbackUrls: urls(
    "absolute URLs (https, or http on localhost) with no fragment",
    (u, s) => isWebUrl(u) && !s.includes("#"),
    "https://app.example.com/callback",
    [DEFAULT_CALLBACK_URL],
    1,
  ),
  logoutUrls: urls(
    "absolute URLs (https, or http on localhost)",
    isWebUrl,
    "https://app.example.com/",
    [DEFAULT_CALLBACK_URL],
  ),
  webOrigins: urls(
    "origins such as https://app.example.com (no path)",
    isOrigin,
    "https://app.example.com",
    [],
  ),
  corsAllowOrigins: urls(
    "explicit origins such as https://app.example.com (no path, never '*')",
    isOrigin,
    "https://app.example.com",
    [],
  ),
  // "": derived from the project and the stack (`defaultApiIdentifier`).
  apiIdentifier: optional(
    "an absolute URI with no spaces (Auth0's API identifier)",
    "https://api.example.com",
    /^(?=.{1,600}$)[a-z][a-z0-9+.-]*:\S+$/i,
  ),
  // The scopes routes require are the API's by themselves (infra/routes.ts apiScopes).
  apiScopes: key(
    "list",
    "a list of distinct scope names without spaces or quotes",
    "read:reports",
    [],
    (list) => list.every(isScopeToken) && new Set(list).size === list.length,
  ),
  signUp: flag(false),
  protectData: flag(true),
  smokeClient: flag(false),
  testUser: flag(false),
  testUserEmail: key(
    "text",
    "an email address (the test user's, which signs in with it)",
    "test-user@example.com",
    "test-user@example.com",
    (s) => EMAIL.test(s),
  ),
  throttlingRateLimit: key(
    "number",
    "a number of requests per second greater than 0 and at most 10000",
    "50",
    50,
    (n) => n > 0 && n <= 10000,
  ),
  throttlingBurstLimit: whole("number of requests", [1, 5000], 100),
  logRetentionDays: key(
    "number",
    `one of CloudWatch's retention periods in days (${RETENTION_DAYS.join(", ")})`,
    "14",
    14,
    (n) => RETENTION_DAYS.includes(n),
  ),
  lambdaMemoryMb: whole("number of megabytes", [128, 10240], 128),
  lambdaTimeoutSeconds: whole(
    "number of seconds",
    [1, 29],
    10,
    " (API Gateway gives up on an integration after 30 s)",
  ),
  customDomain: key(
    "text",
    "a host name such as api.example.com (no scheme, no path), or empty for none",
    "api.example.com",
    "",
    (s) => s === "" || (isBareHostName(s) && s.length <= 253),
  ),
  hostedZoneId: optional(
    "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ, or empty",
    "Z0123456789ABCDEFGHIJ",
    /^Z[A-Z0-9]{1,31}$/,
  ),
  certificateArn: optional(
    "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>, or empty",
    "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
  ),
  disableExecuteApiEndpoint: flag(false),
  monitoring: flag(false),
  alarmEmail: optional(
    "an email address for alarm notifications, or empty for none",
    "oncall@example.com",
    EMAIL,
  ),
  alarm5xxRatePercent: whole("percentage of requests", [1, 100], 1),
  alarm4xxRatePercent: whole("percentage of requests", [1, 100], 25),
  alarmLatencyP99Ms: whole(
    "number of milliseconds",
    [100, 30000],
    3000,
    " (API Gateway's integration limit)",
  ),
};

export type ProjectKey = keyof typeof PROJECT_SPECS;
export const PROJECT_KEYS = Object.keys(PROJECT_SPECS) as ProjectKey[];
export type ProjectConfig = { [K in ProjectKey]: (typeof PROJECT_SPECS)[K]["default"] };
