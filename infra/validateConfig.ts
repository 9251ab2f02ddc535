/**
 * Stack configuration checked in one pass: the names, `auth0:domain`, each project key against its
 * specification (`configKeys.ts`), then the keys that only make sense together. Every bad key is
 * reported at once, so that a user fixes them all in one round.
 */
import { nameProblems } from "./names";
import {
  isBareHostName,
  PROJECT_KEYS,
  PROJECT_SPECS,
  readAs,
  type ProjectConfig,
} from "./configKeys";

export { PROJECT_KEYS } from "./configKeys";

/** A user mistake in stack configuration: one line per bad key, saying how to set it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Everything the program needs from stack configuration, checked. */
export type StackConfig = ProjectConfig & {
  /** The Auth0 tenant's host name, e.g. `dev-abc123.us.auth0.com`. */
  auth0Domain: string;
  /** The deploying application's client ID (`auth0:clientId`), or "" when the provider has none. */
  deployerClientId: string;
};

/** Configuration as the language host hands it over, by full key; absent keys are undefined. */
export interface RawConfigInput {
  project: string;
  stack: string;
  values: Readonly<Record<string, string | undefined>>;
  /** Full keys whose values are secrets: their values never appear in an error message. */
  secretKeys?: ReadonlySet<string>;
}

/**
 * The API identifier of a stack that sets none. It carries the stack because an Auth0 identifier
 * is unique in a tenant and can never change: `dev` and `prod` sharing a tenant need two, and a
 * new stack works without setting one. `Pulumi.yaml` cannot compute it, so it declares `""`.
 */
export function defaultApiIdentifier(project: string, stack: string): string {
  return `https://${project}/${stack}`;
}

const DOMAIN = "auth0:domain";

export function validateConfig(input: RawConfigInput): StackConfig {
  const { project, stack, values } = input;
  const secret = (key: string) => input.secretKeys?.has(key) ?? false;
  const problem = (key: string, expected: string, example: string, setKey = key) => {
    const raw = values[key];
    const missing = raw === undefined || (key === DOMAIN && raw.trim() === "");
    const shown = missing ? "is missing" : `has value ${show(key, raw)}`;
    return `Configuration key '${key}' ${shown}: expected ${expected}. Set it with: pulumi config set ${setKey} ${example}`;
  };
  const show = (key: string, raw: string) =>
    secret(key) ? "[secret]" : `'${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}'`;
  const problems = nameProblems(project, stack);
  const domain = values[DOMAIN] ?? "";
  if (domain.trim() === "") {
    problems.push(problem(DOMAIN, "your Auth0 tenant's domain", "dev-abc123.us.auth0.com"));
  } else if (!isBareHostName(domain)) {
    // For `https://tenant.auth0.com/`, `tenant.auth0.com`; never derived from a secret value.
    const host = domain.replace(/^[a-z]+:\/\//i, "").split(/[/?#]/)[0]!;
    const example = !secret(DOMAIN) && isBareHostName(host) ? host : "dev-abc123.us.auth0.com";
    const expected = "a bare host name (no scheme, no path, no trailing slash)";
    problems.push(problem(DOMAIN, expected, example.toLowerCase()));
  }
  const config: Record<string, unknown> = {};
  for (const name of PROJECT_KEYS) {
    const { kind, expected, example, accepts } = PROJECT_SPECS[name];
    const full = `${project}:${name}`;
    const value = values[full] === undefined ? undefined : readAs(kind, values[full]);
    const verdict = value !== undefined && accepts(value as never);
    if (verdict === true) config[name] = value;
    else {
      const setIt = kind === "list" ? `--path '${name}[0]'` : full;
      problems.push(problem(full, `${expected}${verdict || ""}`, example, setIt));
    }
  }
  const valid = config as ProjectConfig;
  if (problems.length === 0) problems.push(...togetherProblems(valid, project, values));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    auth0Domain: domain.toLowerCase(),
    deployerClientId: values["auth0:clientId"] ?? "",
    ...valid,
    apiIdentifier: valid.apiIdentifier || defaultApiIdentifier(project, stack),
    customDomain: valid.customDomain.toLowerCase(),
  };
}

/**
 * The keys that only make sense together. With `customDomain`, exactly one of `hostedZoneId` (the
 * stack writes the DNS records and validates a certificate itself) and `certificateArn` (one that
 * exists, in the API's region, DNS kept elsewhere); without it, neither, nor a disabled
 * execute-api endpoint, which would leave the API unreachable. And Auth0 creates a user through
 * the Management API only for an application enabled on its connection ("Connection must be
 * enabled for this client to perform single user creation", terraform-provider-auth0 #854): the
 * stack enables the deployer's, known by `auth0:clientId`; a provider that signs in with
 * `auth0:apiToken` alone names none.
 */
function togetherProblems(
  config: ProjectConfig,
  project: string,
  values: Readonly<Record<string, string | undefined>>,
): string[] {
  const key = (name: string) => `'${project}:${name}'`;
  const set = (name: string, example: string) => `pulumi config set ${project}:${name} ${example}`;
  const { customDomain, hostedZoneId, certificateArn } = config;
  const region = values["aws:region"];
  const certificateRegion = certificateArn.split(":")[3];
  const problems: string[] = [];
  if (customDomain === "") {
    const stray = [
      hostedZoneId !== "" && "hostedZoneId",
      certificateArn !== "" && "certificateArn",
      config.disableExecuteApiEndpoint && "disableExecuteApiEndpoint",
    ].filter((k): k is string => k !== false);
    for (const name of stray) {
      problems.push(
        `Configuration key ${key(name)} is set, but ${key("customDomain")} is not: set the domain (${set("customDomain", "api.example.com")}) or remove it (pulumi config rm ${project}:${name})`,
      );
    }
  } else if (hostedZoneId !== "" && certificateArn !== "") {
    problems.push(
      `Configuration keys ${key("hostedZoneId")} and ${key("certificateArn")} are both set: choose one, the zone (the stack requests and validates a certificate and writes the records) or the certificate (DNS kept elsewhere). Remove the other with: pulumi config rm ${project}:certificateArn`,
    );
  } else if (hostedZoneId === "" && certificateArn === "") {
    problems.push(
      `Configuration key ${key("customDomain")} is '${customDomain}', but neither ${key("hostedZoneId")} nor ${key("certificateArn")} is set: set one with: ${set("hostedZoneId", "Z0123456789ABCDEFGHIJ")}, or ${set("certificateArn", "<ACM certificate ARN in the stack's region>")}`,
    );
  } else if (certificateArn !== "" && region !== undefined && certificateRegion !== region) {
    // AWS: a regional custom domain's certificate "must be in the same Region as your API".
    problems.push(
      `Configuration key ${key("certificateArn")} names a certificate in ${certificateRegion}, but the stack deploys to ${region} ('aws:region'): a regional custom domain needs an ACM certificate in the API's own region. Request or import one in ${region} and set it with: ${set("certificateArn", `arn:aws:acm:${region}:<account>:certificate/<id>`)}`,
    );
  }
  if (config.testUser && !values["auth0:clientId"] && values["auth0:apiToken"]) {
    problems.push(
      `Configuration key ${key("testUser")} is true, and the Auth0 provider signs in with an API token alone: Auth0 creates the test user only through an application enabled on the stack's connection, which the stack enables by its client ID. Set it with: pulumi config set auth0:clientId <client ID of the application the token was issued to>, or turn the test user off with: ${set("testUser", "false")}`,
    );
  }
  return problems;
}
