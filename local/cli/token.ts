// `npm run token`: prints one token from the running built-in issuer, alone on stdout, so that
// `TOKEN=$(npm run --silent token)` works. An ID token by default; an access token with
// --audience or --scope, as Auth0 issues them.
import { decodeJwt } from "jose";
import { scriptedSignIn } from "../login/scriptedSignIn";
import { parseCliOptions, parsePort, runCli, UsageError } from "./args";
import { runningInstance } from "./instanceChoice";

const USAGE = `Usage: npm run token -- [--port N | --issuer-port N] [--sub S] [--audience A] [--scope "a b"]
                        [--expires-in SECONDS]`;

runCli(async () => {
  const values = parseCliOptions(
    {
      port: { type: "string" },
      "issuer-port": { type: "string" },
      sub: { type: "string" },
      audience: { type: "string" },
      scope: { type: "string" },
      "expires-in": { type: "string" },
    },
    USAGE,
  );
  const expiresIn = values["expires-in"] === undefined ? undefined : Number(values["expires-in"]);
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn <= 0)) {
    throw new UsageError(
      `--expires-in '${values["expires-in"]}': expected a whole number of seconds above 0`,
    );
  }

  // Which running `npm start` to ask: stdout holds the token alone, so the note goes to stderr.
  const record = runningInstance(
    {
      ...(values.port !== undefined ? { port: parsePort("--port", values.port, 0) } : {}),
      ...(values["issuer-port"] !== undefined
        ? { issuerPort: parsePort("--issuer-port", values["issuer-port"], 0) }
        : {}),
    },
    (line) => process.stderr.write(`npm run token: ${line}\n`),
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
  const issuerUrl = new URL(record.issuerUrl);
  const client = record.clients[0];
  if (client === undefined)
    throw new Error("The program declares no Auth0 application to sign in with.");

  const wantsAccessToken = values.audience !== undefined || values.scope !== undefined;
  const audience = values.audience ?? (wantsAccessToken ? record.apiIdentifiers[0] : undefined);
  let tokens;
  try {
    tokens = await scriptedSignIn(
      {
        issuer: record.issuer,
        discoveryBaseUrl: issuerUrl.origin,
        clientId: client.clientId,
        ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
        redirectUri: client.callbacks[0]!,
        ...(audience !== undefined ? { audience } : {}),
      },
      {
        username: values.sub ?? record.user.username,
        password: record.user.password,
        ...(values.scope !== undefined
          ? { scopes: values.scope.split(" ").filter((s) => s !== "") }
          : {}),
        ...(expiresIn !== undefined ? { expiresIn } : {}),
      },
    );
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === "ECONNREFUSED") {
      throw new Error(
        `No issuer is running at ${issuerUrl.origin}: start the local environment with \`npm start\`.`,
      );
    }
    if (err instanceof TypeError && cause !== undefined) {
      throw new Error(
        `Cannot reach the issuer at ${issuerUrl.origin}: ${cause.message ?? cause.code}`,
      );
    }
    throw err;
  }
  if (values.scope !== undefined) {
    // The issuer grants only the scopes the API defines; say which asked-for ones were dropped.
    const granted = String(decodeJwt(tokens.accessToken).scope ?? "").split(" ");
    for (const scope of values.scope.split(" ").filter((s) => s !== "" && !granted.includes(s))) {
      process.stderr.write(
        `npm run token: scope '${scope}' is not one the API ${audience} grants this application; the token does not carry it\n`,
      );
    }
  }
  process.stdout.write(`${wantsAccessToken ? tokens.accessToken : tokens.idToken}\n`);
});
