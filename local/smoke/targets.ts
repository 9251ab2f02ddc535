/**
 * What `npm run smoke` checks: the running local environment (as `npm run token` finds it), or a
 * deployed stack through its outputs (`pulumi stack output --json --show-secrets`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { decodeJwt } from "jose";
import { AUTH0_PATHS } from "../../facts/auth0";
import { requestToken } from "../login/tokenRequest";
import type { EnvironmentRecord } from "../state";
import type { SmokeTarget } from "./checks";

/** The local environment: ID tokens from its built-in issuer, an expired one among them. */
export function localTarget(record: EnvironmentRecord): SmokeTarget {
  if (record.issuerUrl === undefined) {
    throw new Error(
      `The local environment trusts an external issuer (${record.issuer}): the smoke test needs tokens from the built-in one.`,
    );
  }
  const origin = record.corsAllowOrigins?.[0];
  return {
    apiEndpoint: record.apiEndpoint,
    token: async () => (await requestToken(record, { access: false })).token,
    expiredToken: async () => {
      const { token } = await requestToken(record, { access: false, expiresIn: 1 });
      // Expired once its `exp` second has passed: the authorizer allows no clock skew.
      const exp = Number(decodeJwt(token).exp);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 + 1000 - Date.now())));
      return token;
    },
    ...(origin !== undefined ? { corsOrigin: origin } : {}),
    // An access token for the API with the scope, and the user's ID token without it.
    writerToken: async () =>
      (await requestToken(record, { access: true, scopes: ["write:items"] })).token,
    readerToken: async () => (await requestToken(record, { access: false })).token,
  };
}

/** A deployed stack's outputs, as `pulumi stack output --json --show-secrets` prints them. */
export interface StackOutputs {
  apiEndpoint?: string;
  customEndpoint?: string;
  issuer?: string;
  apiIdentifier?: string;
  corsAllowOrigins?: string[];
  smokeClientId?: string;
  smokeClientSecret?: string;
}

/**
 * A deployed stack: access tokens for its API from its smoke client, by the client-credentials
 * grant at its issuer's token endpoint; at its custom domain when it has one.
 */
export function outputsTarget(outputs: StackOutputs, stack: string): SmokeTarget {
  const missing = ["apiEndpoint", "issuer", "apiIdentifier"].filter(
    (key) => typeof outputs[key as keyof StackOutputs] !== "string",
  );
  if (missing.length > 0) {
    throw new Error(
      `The outputs of ${stack} lack ${missing.join(", ")}: is it this project's stack?`,
    );
  }
  const { smokeClientId, smokeClientSecret } = outputs;
  const token =
    smokeClientId !== undefined && smokeClientSecret !== undefined
      ? (scope?: string) =>
          clientCredentialsToken(outputs.issuer!, {
            client_id: smokeClientId,
            client_secret: smokeClientSecret,
            audience: outputs.apiIdentifier!,
            ...(scope !== undefined ? { scope } : {}),
          })
      : undefined;
  if (smokeClientSecret === "[secret]") {
    throw new Error(
      `The outputs of ${stack} hide smokeClientSecret: read them with --show-secrets.`,
    );
  }
  const origin = outputs.corsAllowOrigins?.[0];
  return {
    apiEndpoint: outputs.customEndpoint ?? outputs.apiEndpoint!,
    // Without a smoke client (prod's default) the checks that need a token are said, not run.
    // It asks for write:items by name (Auth0 grants what is asked of the client's grant); a token
    // without it is not at hand.
    ...(token !== undefined
      ? { token: () => token(), writerToken: () => token("write:items") }
      : {}),
    ...(origin !== undefined ? { corsOrigin: origin } : {}),
  };
}

/** Auth0's client-credentials grant (its token endpoint, `audience` naming the API). */
async function clientCredentialsToken(
  issuer: string,
  params: { client_id: string; client_secret: string; audience: string; scope?: string },
): Promise<string> {
  const url = new URL(AUTH0_PATHS.token.slice(1), issuer.endsWith("/") ? issuer : `${issuer}/`);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", ...params }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (body.access_token === undefined) {
    throw new Error(
      `${url.origin} refused the smoke client a token: ${response.status} ${body.error ?? ""} ${body.error_description ?? ""}`.trim(),
    );
  }
  return body.access_token;
}

/** A file of outputs (`--outputs`). */
export function readOutputsFile(path: string): StackOutputs {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StackOutputs;
  } catch (err) {
    throw new Error(`Cannot read the outputs in ${path}: ${(err as Error).message}`);
  }
}

/** A deployed stack's outputs, from the Pulumi CLI (`--stack`). */
export function pulumiStackOutputs(stack: string): StackOutputs {
  const run = spawnSync(
    "pulumi",
    ["stack", "output", "--json", "--show-secrets", "--stack", stack],
    {
      encoding: "utf8",
    },
  );
  if (run.error !== undefined) {
    throw new Error(
      `Cannot run the Pulumi CLI (${(run.error as NodeJS.ErrnoException).code}): install it, or save the outputs with pulumi stack output --json --show-secrets > outputs.json and pass --outputs outputs.json.`,
    );
  }
  if (run.status !== 0) {
    throw new Error(`pulumi stack output --stack ${stack} failed: ${run.stderr.trim()}`);
  }
  return JSON.parse(run.stdout) as StackOutputs;
}
