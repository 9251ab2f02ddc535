/**
 * Stack configuration: one table of key specifications (what a valid value is, an example for
 * `pulumi config set`, the default, how to parse), checked in one loop. `StackConfig` is derived
 * from the table.
 */
import { DEFAULT_CALLBACK_URL, isScopeToken } from "../facts/auth0";
import { isBareHostName, isOrigin, isWebUrl, parseStringArray, suggestHost } from "./configChecks";
import { ConfigError } from "./configError";
import { customDomainProblems } from "./customDomainConfig";
import { nameProblems } from "./names";
import {
  booleanKey,
  emailKey,
  wholeNumberKey,
  invalid,
  LOG_RETENTION_DAYS,
  numberKey,
  urlList,
  valid,
  type KeySpec,
  type Parsed,
} from "./configKeySpec";

/** The project keys, in the order the README documents them. */
const PROJECT_SPECS = {
  callbackUrls: urlList(
    "absolute URLs (https, or http on localhost) with no fragment",
    (u, s) => isWebUrl(u) && !s.includes("#"),
    "https://app.example.com/callback",
    [DEFAULT_CALLBACK_URL],
    1,
  ),
  logoutUrls: urlList(
    "absolute URLs (https, or http on localhost)",
    isWebUrl,
    "https://app.example.com/",
    [DEFAULT_CALLBACK_URL],
  ),
  webOrigins: urlList(
    "origins such as https://app.example.com (no path)",
    isOrigin,
    "https://app.example.com",
    [],
  ),
  corsAllowOrigins: urlList(
    "explicit origins such as https://app.example.com (no path, never '*')",
    isOrigin,
    "https://app.example.com",
    [],
  ),
  apiIdentifier: {
    expected: "an absolute URI with no spaces (Auth0's API identifier)",
    example: "https://api.example.com",
    list: false,
    /** Empty: derived from the project and the stack, see {@link defaultApiIdentifier}. */
    default: "",
    parse: (raw: string): Parsed<string> =>
      raw === "" || (/^[a-z][a-z0-9+.-]*:\S+$/i.test(raw) && raw.length <= 600)
        ? valid(raw)
        : invalid(),
  },
  apiScopes: {
    expected: "a list of distinct scope names without spaces or quotes",
    example: "read:reports",
    list: true,
    // The scopes routes require are the API's by themselves (infra/routes.ts apiScopes).
    default: [],
    parse(raw: string): Parsed<string[]> {
      const list = parseStringArray(raw);
      return list !== undefined && list.every(isScopeToken) && new Set(list).size === list.length
        ? valid(list)
        : invalid();
    },
  },
  signUp: booleanKey(false),
  protectData: booleanKey(true),
  smokeClient: booleanKey(false),
  testUser: booleanKey(false),
  testUserEmail: emailKey(
    "an email address (the test user's, which signs in with it)",
    "test-user@example.com",
    "test-user@example.com",
  ),
  throttlingRateLimit: numberKey(
    "a number of requests per second greater than 0 and at most 10000",
    (n) => n > 0 && n <= 10000,
    50,
  ),
  throttlingBurstLimit: numberKey(
    "a whole number of requests from 1 to 5000",
    (n) => Number.isInteger(n) && n >= 1 && n <= 5000,
    100,
  ),
  logRetentionDays: numberKey(
    `one of CloudWatch's retention periods in days (${LOG_RETENTION_DAYS.join(", ")})`,
    (n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n),
    14,
  ),
  lambdaMemoryMb: numberKey(
    "a whole number of megabytes from 128 to 10240",
    (n) => Number.isInteger(n) && n >= 128 && n <= 10240,
    128,
  ),
  lambdaTimeoutSeconds: numberKey(
    "a whole number of seconds from 1 to 29 (API Gateway gives up on an integration after 30 s)",
    (n) => Number.isInteger(n) && n >= 1 && n <= 29,
    10,
  ),
  customDomain: {
    expected: "a host name such as api.example.com (no scheme, no path), or empty for none",
    example: "api.example.com",
    list: false,
    default: "",
    parse: (raw: string): Parsed<string> =>
      raw === "" || (isBareHostName(raw) && raw.length <= 253)
        ? valid(raw.toLowerCase())
        : invalid(),
  },
  hostedZoneId: {
    expected: "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ, or empty",
    example: "Z0123456789ABCDEFGHIJ",
    list: false,
    default: "",
    parse: (raw: string): Parsed<string> =>
      raw === "" || /^Z[A-Z0-9]{1,31}$/.test(raw) ? valid(raw) : invalid(),
  },
  certificateArn: {
    expected:
      "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>, or empty",
    example: "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    list: false,
    default: "",
    parse: (raw: string): Parsed<string> =>
      raw === "" || /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/.test(raw)
        ? valid(raw)
        : invalid(),
  },
  disableExecuteApiEndpoint: booleanKey(false),
  monitoring: booleanKey(false),
  alarmEmail: emailKey("an email address for alarm notifications", "oncall@example.com", "", true),
  alarm5xxRatePercent: wholeNumberKey("percentage of requests", 1, 100, 1),
  alarm4xxRatePercent: wholeNumberKey("percentage of requests", 1, 100, 25),
  alarmLatencyP99Ms: wholeNumberKey(
    "number of milliseconds",
    100,
    30000,
    3000,
    " (API Gateway's integration limit)",
  ),
} satisfies Record<string, KeySpec<unknown>>;

export type ProjectKey = keyof typeof PROJECT_SPECS;
export const PROJECT_KEYS = Object.keys(PROJECT_SPECS) as ProjectKey[];

type ProjectConfig = {
  [K in ProjectKey]: (typeof PROJECT_SPECS)[K] extends KeySpec<infer T> ? T : never;
};

/** Everything the program needs from stack configuration, validated and with defaults applied. */
export type StackConfig = ProjectConfig & {
  /** The Auth0 tenant's host name, e.g. `dev-abc123.us.auth0.com`. */
  auth0Domain: string;
  /** The deploying application's client ID (`auth0:clientId`), or "" when the provider has none. */
  deployerClientId: string;
};

/** Raw configuration as Pulumi hands it over: every value a string (arrays as JSON text). */
export interface RawConfigInput {
  project: string;
  stack: string;
  /** Values by full key (`auth0:domain`, `<project>:callbackUrls`); absent keys are undefined. */
  values: Readonly<Record<string, string | undefined>>;
  /** Full keys whose values are secrets: their values never appear in an error message. */
  secretKeys?: ReadonlySet<string>;
}

/** The defaults of every project key. */
export const CONFIG_DEFAULTS = Object.fromEntries(
  PROJECT_KEYS.map((key) => [key, PROJECT_SPECS[key].default]),
) as ProjectConfig;

/**
 * The API identifier of a stack that sets none. It carries the stack because an Auth0 identifier
 * is unique in a tenant and can never change: `dev` and `prod` sharing a tenant need two, and a
 * new stack works without setting one. `Pulumi.yaml` cannot compute it, so it declares `""`.
 */
export function defaultApiIdentifier(project: string, stack: string): string {
  return `https://${project}/${stack}`;
}

const DOMAIN_KEY = "auth0:domain";
/** The stack's AWS region, when the stack file says it (the provider may take it from AWS_REGION). */
export const REGION_KEY = "aws:region";
const DOMAIN_EXAMPLE = "dev-abc123.us.auth0.com";

/**
 * Validates raw stack configuration and applies defaults. Throws one {@link ConfigError} listing
 * every bad key, so a user fixes them all in one round.
 */
export function validateConfig(input: RawConfigInput): StackConfig {
  const { project, stack, values } = input;
  const secretKeys = input.secretKeys ?? new Set<string>();
  const problems: string[] = nameProblems(project, stack);
  const show = (key: string, raw: string) =>
    secretKeys.has(key) ? "[secret]" : `'${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}'`;

  const auth0Domain = readDomain(values[DOMAIN_KEY], secretKeys.has(DOMAIN_KEY), show, problems);
  const config: Record<string, unknown> = {};
  for (const key of PROJECT_KEYS) {
    const spec: KeySpec<unknown> = PROJECT_SPECS[key];
    const full = `${project}:${key}`;
    const raw = values[full];
    const parsed = raw === undefined ? valid(spec.default) : spec.parse(raw);
    if (parsed.kind === "valid") {
      config[key] = parsed.value;
      continue;
    }
    const setIt = spec.list
      ? `pulumi config set --path '${key}[0]' ${spec.example}`
      : `pulumi config set ${full} ${spec.example}`;
    problems.push(
      `Configuration key '${full}' has value ${show(full, raw!)}: expected ${spec.expected}${parsed.detail}. Set it with: ${setIt}`,
    );
  }
  if (problems.length === 0) {
    problems.push(...customDomainProblems(config as ProjectConfig, project, values[REGION_KEY]));
    problems.push(...testUserProblems(config as ProjectConfig, project, values));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const projectConfig = config as ProjectConfig;
  return {
    auth0Domain,
    deployerClientId: values[CLIENT_ID_KEY] ?? "",
    ...projectConfig,
    apiIdentifier: projectConfig.apiIdentifier || defaultApiIdentifier(project, stack),
  };
}

const CLIENT_ID_KEY = "auth0:clientId";

/**
 * Auth0 creates a user through the Management API only for an application enabled on its
 * connection ("Connection must be enabled for this client to perform single user creation",
 * terraform-provider-auth0 #854): the stack enables the deployer's, which it knows by
 * `auth0:clientId`. A provider that signs in with `auth0:apiToken` alone names no client.
 */
function testUserProblems(
  config: ProjectConfig,
  project: string,
  values: Readonly<Record<string, string | undefined>>,
): string[] {
  if (!config.testUser || values[CLIENT_ID_KEY] || !values["auth0:apiToken"]) return [];
  return [
    `Configuration key '${project}:testUser' is true, and the Auth0 provider signs in with an API token alone: Auth0 creates the test user only through an application enabled on the stack's connection, which the stack enables by its client ID. Set it with: pulumi config set ${CLIENT_ID_KEY} <client ID of the application the token was issued to>, or turn the test user off with: pulumi config set ${project}:testUser false`,
  ];
}

/** `auth0:domain`, the one required key: a bare host name, lowercased. */
function readDomain(
  raw: string | undefined,
  secret: boolean,
  show: (key: string, raw: string) => string,
  problems: string[],
): string {
  const setIt = (example: string) => `Set it with: pulumi config set ${DOMAIN_KEY} ${example}`;
  if (raw === undefined || raw.trim() === "") {
    problems.push(
      `Configuration key '${DOMAIN_KEY}' is missing: expected your Auth0 tenant's domain. ${setIt(DOMAIN_EXAMPLE)}`,
    );
    return "";
  }
  if (!isBareHostName(raw)) {
    // A suggestion derived from a secret value would reveal it.
    const example = (!secret && suggestHost(raw)) || DOMAIN_EXAMPLE;
    problems.push(
      `Configuration key '${DOMAIN_KEY}' has value ${show(DOMAIN_KEY, raw)}: expected a bare host name (no scheme, no path, no trailing slash). ${setIt(example)}`,
    );
    return "";
  }
  return raw.toLowerCase();
}
