/**
 * One token from the built-in issuer, through its own sign-in (`scriptedSignIn`): what
 * `npm run token` prints and the console's "Get a token" shows. An ID token, or an access token
 * for an API with the scopes asked for, as Auth0 issues them.
 */
import { decodeJwt } from "jose";
import type { EnvironmentRecord } from "../state";
import type { LocalConnection } from "../interpret/model";
import type { LocalUserSettings } from "../issuer/localUser";
import { defaultUsername, refusal } from "../issuer/signInRule";
import { scriptedSignIn } from "./scriptedSignIn";

/** Whom to sign in as when no username is given, or why there is no one. */
function defaultUser(connection: LocalConnection | undefined, user: LocalUserSettings): string {
  const username = defaultUsername(connection, user);
  if (username === undefined) throw new Error(refusal(connection!, []));
  return username;
}

/** What a running environment says of its issuer (its instance record has it all). */
export type TokenSource = Pick<
  EnvironmentRecord,
  "issuer" | "issuerUrl" | "clients" | "apiIdentifiers" | "user"
>;

export interface WantedToken {
  /** The token's `sub`; default: the environment's user. */
  username?: string;
  access: boolean;
  /** For an access token; default: the first API the program declares. */
  audience?: string;
  scopes?: string[];
  /** Seconds. */
  expiresIn?: number;
}

export interface IssuedToken {
  token: string;
  audience?: string;
  /** Scopes asked for that the issuer did not grant (the API does not define them for the app). */
  dropped: string[];
}

export async function requestToken(source: TokenSource, wanted: WantedToken): Promise<IssuedToken> {
  if (source.issuerUrl === undefined) {
    throw new Error(
      `The local environment trusts an external issuer (${source.issuer}); get tokens from it instead.`,
    );
  }
  const client = source.clients[0];
  if (client === undefined) {
    throw new Error("The program declares no Auth0 application to sign in with.");
  }
  const audience = wanted.access ? (wanted.audience ?? source.apiIdentifiers[0]) : undefined;
  const tokens = await scriptedSignIn(
    {
      issuer: source.issuer,
      discoveryBaseUrl: new URL(source.issuerUrl).origin,
      clientId: client.clientId,
      ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
      redirectUri: client.callbacks[0]!,
      ...(audience !== undefined ? { audience } : {}),
    },
    {
      username: wanted.username ?? defaultUser(client.connection, source.user),
      password: source.user.password,
      ...(wanted.scopes !== undefined ? { scopes: wanted.scopes } : {}),
      ...(wanted.expiresIn !== undefined ? { expiresIn: wanted.expiresIn } : {}),
    },
  );
  const asked = wanted.scopes ?? [];
  const granted = wanted.access ? String(decodeJwt(tokens.accessToken).scope ?? "").split(" ") : [];
  return {
    token: wanted.access ? tokens.accessToken : tokens.idToken,
    ...(audience !== undefined ? { audience } : {}),
    dropped: wanted.access ? asked.filter((s) => !granted.includes(s)) : [],
  };
}
