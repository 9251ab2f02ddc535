// The project's configuration keys: what each one's value must be beyond its type. `Pulumi.yaml`
// declares every key's type and default; the CLI applies both before the program runs (so does
// the local environment's evaluation, local/evaluate/projectConfig.ts), and the program reads
// the values as the language host hands them over: strings, lists as JSON text.
import { isScopeToken } from "../facts/auth0";
import { isLoopbackHost } from "../facts/loopback";

type Kinds = { text: string; number: number; flag: boolean; list: string[] };
type Kind = keyof Kinds;

/** `accepts` says true, false, or what is wrong (said after `expected`). */
export interface KeySpec<K extends Kind = Kind> {
  kind: K;
  expected: string;
  /** A value for `pulumi config set`. */
  example: string;
  accepts(value: Kinds[K]): boolean | string;
}

/** A value as the language host hands it over, read as its kind; undefined when it is not one. */
export function readAs(kind: Kind, raw: string): Kinds[Kind] | undefined {
  if (kind === "text") return raw;
  if (kind === "flag") return raw === "true" ? true : raw === "false" ? false : undefined;
  if (kind === "number") return raw.trim() === "" || !Number.isFinite(+raw) ? undefined : +raw;
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) && list.every((s) => typeof s === "string") ? list : undefined;
  } catch {
    return undefined;
  }
}

const spec = <K extends Kind>(
  kind: K,
  expected: string,
  example: string | number | boolean,
  accepts: (value: Kinds[K]) => boolean | string = () => true,
): KeySpec<K> => ({ kind, expected, example: String(example), accepts });

const flag = (example = true) => spec("flag", "true or false", example);
const whole = (what: string, [min, max]: [number, number], example: number, why = "") =>
  spec(
    "number",
    `a whole ${what} from ${min} to ${max}${why}`,
    example,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );
const urls = (what: string, ok: (u: URL, s: string) => boolean, example: string, min = 0) =>
  spec("list", `a list of ${what}${min ? ` (at least ${min})` : ""}`, example, (list) => {
    const wrong = list.find((s) => !URL.canParse(s) || !ok(new URL(s), s));
    return list.length < min ? false : wrong === undefined || `; '${wrong}' is not one`;
  });
/** Empty for none, or what `pattern` matches. */
const optional = (expected: string, example: string, pattern: RegExp) =>
  spec("text", expected, example, (s) => s === "" || pattern.test(s));

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
const WEB_URLS = "absolute URLs (https, or http on localhost)";
const ORIGINS = "origins such as https://app.example.com (no path";
const APP = "https://app.example.com";
const ARN = "arn:aws:acm:us-east-1:123456789012:certificate/";

/** The project keys, in the order the README documents them. */
export const PROJECT_SPECS = {
  callbackUrls: urls(
    `${WEB_URLS} with no fragment`,
    (u, s) => isWebUrl(u) && !s.includes("#"),
    `${APP}/callback`,
    1,
  ),
  logoutUrls: urls(WEB_URLS, isWebUrl, `${APP}/`),
  webOrigins: urls(`${ORIGINS})`, isOrigin, APP),
  corsAllowOrigins: urls(`explicit ${ORIGINS}, never '*')`, isOrigin, APP),
  // Empty: derived from the project and the stack (`defaultApiIdentifier`).
  apiIdentifier: optional(
    "an absolute URI with no spaces (Auth0's API identifier)",
    "https://api.example.com",
    /^(?=.{1,600}$)[a-z][a-z0-9+.-]*:\S+$/i,
  ),
  // The scopes routes require are the API's by themselves (infra/routes.ts apiScopes).
  apiScopes: spec(
    "list",
    "a list of distinct scope names without spaces or quotes",
    "read:reports",
    (list) => list.every(isScopeToken) && new Set(list).size === list.length,
  ),
  signUp: flag(),
  protectData: flag(false),
  smokeClient: flag(),
  testUser: flag(),
  testUserEmail: spec(
    "text",
    "an email address (the test user's, which signs in with it)",
    "test-user@example.com",
    (s) => EMAIL.test(s),
  ),
  throttlingRateLimit: spec(
    "number",
    "a number of requests per second greater than 0 and at most 10000",
    50,
    (n) => n > 0 && n <= 10000,
  ),
  throttlingBurstLimit: whole("number of requests", [1, 5000], 100),
  logRetentionDays: spec(
    "number",
    `one of CloudWatch's retention periods in days (${RETENTION_DAYS.join(", ")})`,
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
  customDomain: spec(
    "text",
    "a host name such as api.example.com (no scheme, no path), or empty for none",
    "api.example.com",
    (s) => s === "" || (isBareHostName(s) && s.length <= 253),
  ),
  hostedZoneId: optional(
    "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ, or empty",
    "Z0123456789ABCDEFGHIJ",
    /^Z[A-Z0-9]{1,31}$/,
  ),
  certificateArn: optional(
    `an ACM certificate ARN such as ${ARN}<id>, or empty`,
    `${ARN}1234abcd-12ab-34cd-56ef-1234567890ab`,
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
  ),
  disableExecuteApiEndpoint: flag(),
  monitoring: flag(),
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
export type ProjectConfig = { [K in ProjectKey]: Kinds[(typeof PROJECT_SPECS)[K]["kind"]] };
