// `npm run token`: prints one token from the running built-in issuer, alone on stdout, so that
// `TOKEN=$(npm run --silent token)` works. An ID token by default; an access token with
// --audience or --scope, as Auth0 issues them.
import { MAX_TOKEN_LIFETIME_SECONDS } from "../issuer/providerConfig";
import { requestToken } from "../login/tokenRequest";
import { parseCliOptions, runCli, UsageError } from "./args";
import type { EnvironmentRecord } from "../state";
import { INSTANCE_OPTIONS, runningInstance, wantedInstance } from "./instanceChoice";

const USAGE = `Usage: npm run token -- [--port N | --issuer-port N] [--sub S] [--audience A] [--scope "a b"]
                        [--expires-in SECONDS]`;

const OPTIONS = {
  ...INSTANCE_OPTIONS,
  sub: {
    type: "string",
    value: "S",
    help: "the username, the token's sub (default: the environment's, local-user)",
  },
  audience: {
    type: "string",
    value: "A",
    help: "an access token for this API (default: an ID token; with --scope, the first API)",
  },
  scope: {
    type: "string",
    value: '"a b"',
    help: "an access token with these scopes (default: none, an ID token)",
  },
  "expires-in": {
    type: "string",
    value: "SECONDS",
    help: "the token's lifetime, 1 to 2592000 (default: the application's)",
  },
} as const;

type Values = ReturnType<typeof parseCliOptions<typeof OPTIONS>>;

runCli(async () => {
  const values = parseCliOptions(OPTIONS, USAGE);
  const expiresIn = values["expires-in"] === undefined ? undefined : Number(values["expires-in"]);
  if (
    expiresIn !== undefined &&
    (!Number.isInteger(expiresIn) || expiresIn <= 0 || expiresIn > MAX_TOKEN_LIFETIME_SECONDS)
  ) {
    throw new UsageError(
      `--expires-in '${values["expires-in"]}': expected a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS} (30 days, Auth0's longest)`,
    );
  }
  const record = builtInIssuerInstance(values);
  const scopes = values.scope?.split(" ").filter((s) => s !== "");
  const issued = await requestToken(record, {
    ...(values.sub !== undefined ? { username: values.sub } : {}),
    access: values.audience !== undefined || scopes !== undefined,
    ...(values.audience !== undefined ? { audience: values.audience } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(expiresIn !== undefined ? { expiresIn } : {}),
  }).catch((err: Error) => {
    throw inUsersWords(err, new URL(record.issuerUrl!).origin);
  });
  // The issuer grants only the scopes the API defines; say which asked-for ones were dropped.
  for (const scope of issued.dropped) {
    process.stderr.write(
      `npm run token: scope '${scope}' is not one the API ${issued.audience} grants this application; the token does not carry it\n`,
    );
  }
  process.stdout.write(`${issued.token}\n`);
});

/**
 * The running `npm start` to ask, which must run the built-in issuer. stdout holds the token
 * alone, so the line naming the instance goes to stderr.
 */
function builtInIssuerInstance(values: Values): EnvironmentRecord {
  const record = runningInstance(wantedInstance(values), (line) =>
    process.stderr.write(`npm run token: ${line}\n`),
  );
  if (record === undefined) {
    throw new Error(
      "No local environment is running here: start one with `npm start` in another terminal.",
    );
  }
  if (record.issuerUrl === undefined) {
    throw new Error(
      `The local environment trusts an external issuer (${record.issuer}); get tokens from it instead.`,
    );
  }
  return record;
}

/** A sign-in that could not reach the issuer, said as what to do about it. */
function inUsersWords(err: Error, issuerUrl: string): Error {
  const cause = (err as { cause?: { code?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") {
    return new Error(
      `No issuer is running at ${issuerUrl}: start the local environment with \`npm start\`.`,
    );
  }
  return err;
}
