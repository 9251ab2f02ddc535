// `npm run login`: signs in through the browser (authorization code flow with PKCE) and prints an
// ID token, an access token for the API and a ready curl line. Against the running local
// environment by default; against a deployed stack with --issuer/--client-id or the stack's outputs.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { DEFAULT_CALLBACK_URL, loginCallback } from "../../facts/auth0";
import { login, type LoginTarget } from "../login/loginFlow";
import { parseCliOptions, runCli, UsageError } from "./args";
import { INSTANCE_OPTIONS, runningInstance, wantedInstance } from "./instanceChoice";

const USAGE = `Usage: npm run login -- [--port N | --issuer-port N] [--stack NAME] [--issuer <url> --client-id <id>] [--api <endpoint>]
                        [--audience <api identifier>] [--redirect-uri <url>] [--client-secret <s>]
                        [--no-open] [--json] [--timeout SECONDS]`;

const run = promisify(execFile);

const OPTIONS = {
  stack: {
    type: "string",
    default: "dev",
    value: "NAME",
    help: "with no environment running: the deployed stack to sign in to, any Pulumi.<NAME>.yaml (default dev)",
  },
  ...INSTANCE_OPTIONS,
  issuer: {
    type: "string",
    value: "URL",
    help: "sign in to this issuer instead, with --client-id (default: the environment's)",
  },
  "client-id": {
    type: "string",
    value: "ID",
    help: "with --issuer: the application's client ID (default none)",
  },
  "client-secret": {
    type: "string",
    value: "S",
    help: "a deployed application's secret (default APP_CLIENT_SECRET)",
  },
  api: {
    type: "string",
    value: "ENDPOINT",
    help: "call GET /private here with the token (default: the environment's or stack's API)",
  },
  audience: {
    type: "string",
    value: "IDENTIFIER",
    help: "ask for an access token for this API too (default none)",
  },
  "redirect-uri": {
    type: "string",
    value: "URL",
    help: "the callback the browser returns to (default http://localhost:5678)",
  },
  "no-open": {
    type: "boolean",
    default: false,
    help: "print the sign-in URL instead of opening a browser (default: open one)",
  },
  json: { type: "boolean", default: false, help: "print the tokens as JSON (default: lines)" },
  timeout: {
    type: "string",
    default: "300",
    value: "SECONDS",
    help: "how long to wait for the sign-in (default 300)",
  },
} as const;

type Values = ReturnType<typeof parseCliOptions<typeof OPTIONS>>;

runCli(async () => {
  const values = parseCliOptions(OPTIONS, USAGE);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(
      `--timeout '${values.timeout}': expected a whole number of seconds above 0`,
    );
  }
  const { target, apiEndpoint } = await chooseTarget(values);
  // With --json, stdout holds the JSON object alone; everything else goes to stderr.
  const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
  const result = await login(target, {
    timeoutMs: timeoutSeconds * 1000,
    onUrl: (url) => {
      say(`Open: ${url}`);
      if (!values["no-open"]) openBrowser(url);
    },
  });
  const curl =
    apiEndpoint !== undefined
      ? `curl -H "Authorization: Bearer ${result.accessToken}" ${apiEndpoint.replace(/\/$/, "")}/private`
      : undefined;
  if (values.json) {
    const { idToken, accessToken, expiresIn } = result;
    const printed = { idToken, accessToken, expiresIn, ...(curl ? { curl } : {}) };
    process.stdout.write(`${JSON.stringify(printed)}\n`);
    return;
  }
  say(`IdToken: ${result.idToken}`);
  say(`AccessToken: ${result.accessToken}`);
  say(`ExpiresIn: ${result.expiresIn ?? "unknown"}`);
  if (curl !== undefined) say(`Curl: ${curl}`);
});

/**
 * What to sign in to: the issuer and application given, else the running local environment,
 * else the deployed stack's outputs.
 */
async function chooseTarget(
  values: Values,
): Promise<{ target: LoginTarget; apiEndpoint: string | undefined }> {
  if ((values.issuer === undefined) !== (values["client-id"] === undefined)) {
    throw new UsageError(
      "--issuer and --client-id go together (the deployed stack's issuer and application)",
    );
  }
  if (values.issuer !== undefined) {
    const target: LoginTarget = {
      issuer: values.issuer,
      clientId: values["client-id"]!,
      ...secretFrom(values["client-secret"]),
      redirectUri: values["redirect-uri"] ?? DEFAULT_CALLBACK_URL,
      ...(values.audience !== undefined ? { audience: values.audience } : {}),
    };
    return { target, apiEndpoint: values.api };
  }
  const wanted = wantedInstance(values);
  const say = (line: string) => process.stderr.write(`npm run login: ${line}\n`);
  return (
    localTarget(wanted, values["redirect-uri"], say) ??
    (await stackTarget(values.stack, values["client-secret"]))
  );
}

/** The client secret from the flag or APP_CLIENT_SECRET (AUTH0_CLIENT_SECRET is the provider's). */
function secretFrom(flag: string | undefined): { clientSecret?: string } {
  const secret = flag ?? process.env.APP_CLIENT_SECRET;
  return secret !== undefined && secret !== "" ? { clientSecret: secret } : {};
}

/**
 * The running local environment, as `npm start` recorded it (see `runningInstance`), signed in to
 * through its application's loopback callback (`loginCallback`).
 */
function localTarget(
  wanted: { port?: number; issuerPort?: number },
  redirectUri: string | undefined,
  say: (line: string) => void,
): { target: LoginTarget; apiEndpoint: string } | undefined {
  const record = runningInstance(wanted, say);
  if (record === undefined) return undefined;
  const client = record.clients[0];
  if (client === undefined || record.issuerUrl === undefined) return undefined;
  const callback = loginCallback(client.callbacks);
  if (redirectUri === undefined && !callback.declared) {
    say(
      `${client.name} declares no loopback callback (${client.callbacks.join(", ") || "none"}); ` +
        `the built-in issuer accepts ${callback.url} for this tool locally, which Auth0 would not.`,
    );
  }
  return {
    target: {
      issuer: record.issuer,
      discoveryBaseUrl: record.issuerMap[record.issuer] ?? record.issuerUrl,
      clientId: client.clientId,
      ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
      redirectUri: redirectUri ?? callback.url,
      ...(record.apiIdentifiers[0] !== undefined ? { audience: record.apiIdentifiers[0] } : {}),
    },
    apiEndpoint: record.apiEndpoint,
  };
}

/** A deployed stack, from `pulumi stack output` (the Pulumi CLI must be installed). */
async function stackTarget(
  stack: string,
  secretFlag: string | undefined,
): Promise<{ target: LoginTarget; apiEndpoint: string }> {
  let outputs: Record<string, string>;
  try {
    outputs = JSON.parse(
      (await run("pulumi", ["stack", "output", "--json", "--stack", stack])).stdout,
    ) as Record<string, string>;
  } catch {
    throw new Error(
      "No local environment is running and no --issuer was given: start one with `npm start`, " +
        "or pass --issuer and --client-id (or install the Pulumi CLI to read the stack's outputs).",
    );
  }
  let secret = secretFrom(secretFlag);
  if (secret.clientSecret === undefined) {
    const shown = JSON.parse(
      (await run("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack]))
        .stdout,
    ) as Record<string, string>;
    secret = secretFrom(shown.clientSecret);
  }
  const redirectUri =
    new URL(outputs.loginUrl!).searchParams.get("redirect_uri") ?? DEFAULT_CALLBACK_URL;
  return {
    target: {
      issuer: outputs.issuer!,
      clientId: outputs.clientId!,
      ...secret,
      redirectUri,
      audience: outputs.apiIdentifier!,
    },
    apiEndpoint: outputs.apiEndpoint!,
  };
}

/** Opens the system browser where there is one; otherwise the printed Open: line is the way. */
function openBrowser(url: string): void {
  const command =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", "", url]
        : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
          ? ["xdg-open", url]
          : undefined;
  if (command === undefined) return;
  const child = spawn(command[0]!, command.slice(1), { stdio: "ignore", detached: true });
  child.on("error", () => undefined);
  child.unref();
}
