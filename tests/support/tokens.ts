import {
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  UnsecuredJWT,
  type JWK,
  type JWTPayload,
} from "jose";
import { readFileSync } from "node:fs";
import type { KeyLookup, KeyResolver, VerifyKey } from "../../local/authorizer/jwtAuthorizer";
import { latestRecord, statePaths } from "../../local/state";

/** The one token factory every test uses: keys, and tokens with any header and claims. */
export const ISSUER = "https://dev-example.us.auth0.com/";
export const CLIENT_ID = "UsGRQJJz5sDfPQDs6bhQ9Oc3hNISuVie";
export const API_ID = "https://api-auth-jwt-auth0/dev";
/** The program's authorizer, as the authorizer tests configure it. */
export const AUTHORIZER_CONFIG = {
  issuer: ISSUER,
  audiences: [CLIENT_ID, API_ID],
  identitySource: "$request.header.Authorization",
};
/** 2026-11-28T12:00:00Z, the frozen "now" of time-claim tests, in seconds. */
export const NOW = 1795867200;

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export interface TestKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

export async function rsaKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
  };
}

/** A private JWK (such as the local issuer's stored key) as a signing key. */
export async function keyFromJwk(jwk: JWK): Promise<TestKey> {
  const privateKey = (await importJWK({ ...jwk, ext: true }, "RS256")) as PrivateKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return { kid: jwk.kid!, privateKey, publicJwk };
}

/** Claims of a valid Auth0 ID token (shapes from shared/fixtures/auth0-id-token-sample.json). */
export function idTokenClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    nickname: "jane.doe",
    name: "jane.doe@example.com",
    updated_at: "2021-02-24T04:12:18.472Z",
    iss: ISSUER,
    sub: "auth0|60357a6d98e3e5006a9d74a3",
    aud: CLIENT_ID,
    iat: NOW - 60,
    exp: NOW + 3600,
    ...overrides,
  };
}

/** The same claims, valid at the real current time: for environments that run on the real clock. */
export function liveIdTokenClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return idTokenClaims({ iat: now - 60, exp: now + 3600, ...overrides });
}

export async function signRs256(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid, ...header } as { alg: string })
    .sign(key.privateKey);
}

/** Signs with the same RSA key under another RSA algorithm (RS384, RS512, PS256...). */
export async function signRsa(key: TestKey, claims: JWTPayload, alg: string): Promise<string> {
  const privateJwk = await exportJWK(key.privateKey);
  const signer = await importJWK({ ...privateJwk, alg }, alg);
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", kid: key.kid }).sign(signer);
}

export async function signHs256(secret: string, claims: JWTPayload, kid: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", kid })
    .sign(new TextEncoder().encode(secret));
}

export async function signEs256(claims: JWTPayload, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair("ES256");
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
}

export function unsigned(claims: JWTPayload): string {
  return new UnsecuredJWT(claims).encode();
}

/** Keys known by kid, as an issuer's JWKS would serve them. */
export class StaticKeys implements KeyResolver {
  lookups = 0;
  constructor(private keys: Record<string, TestKey>) {}
  static async of(...keys: TestKey[]): Promise<StaticKeys> {
    return new StaticKeys(Object.fromEntries(keys.map((k) => [k.kid, k])));
  }
  async getKey(kid: string, alg = "RS256"): Promise<KeyLookup> {
    this.lookups++;
    // Own keys only: a token's kid `toString` must not find Object.prototype's.
    const key = Object.hasOwn(this.keys, kid) ? this.keys[kid] : undefined;
    if (key === undefined) return { kind: "unknown" };
    return { kind: "found", key: (await importJWK({ ...key.publicJwk, alg }, alg)) as VerifyKey };
  }
}

/**
 * Signs tokens as a running local environment's built-in issuer would, from the key and the
 * client it recorded in its state folder (the load test and the benchmark use it).
 */
export async function localIssuerSigner(stateDir: string) {
  const record = latestRecord(stateDir);
  if (record === undefined) throw new Error(`no local environment is recorded in ${stateDir}`);
  const secrets = JSON.parse(readFileSync(statePaths(stateDir).issuerKeys, "utf8")) as {
    signingKey: JWK;
  };
  const key = await keyFromJwk(secrets.signingKey);
  const now = Math.floor(Date.now() / 1000);
  return {
    key,
    /** An ID token for `sub`, expiring `expiresIn` seconds from now (negative: already expired). */
    sign: (sub: string, expiresIn = 3600, signer: TestKey = key) =>
      signRs256(signer, {
        iss: record.issuer,
        aud: record.clients[0]!.clientId,
        sub,
        iat: now - 10,
        exp: now + expiresIn,
      }),
  };
}
