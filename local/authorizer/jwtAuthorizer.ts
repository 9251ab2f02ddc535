import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import type { JwtAuthorizerConfig } from "../interpret/model";
import { formatClaims, tokenScopes } from "./claims";

export type { JwtAuthorizerConfig } from "../interpret/model";

/** A public key as jose verifies with it (an imported key, never a key-finding function). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type VerifyKey = Exclude<Parameters<typeof compactVerify>[1], Function>;

export type KeyLookup =
  { kind: "found"; key: VerifyKey } | { kind: "unknown" } | { kind: "unavailable" };

/** Finds the issuer's public key for a `kid` (discovery → `jwks_uri`, cached). */
export interface KeyResolver {
  /** The key under `kid`, ready to verify `alg` (default RS256). */
  getKey(kid: string, alg?: string): Promise<KeyLookup>;
}

export type Verdict =
  | {
      kind: "allow";
      claims: JWTPayload;
      /** The claims as the integration receives them (see `formatClaims`). */
      formattedClaims: Record<string, string>;
      scopes: string[];
    }
  | { kind: "deny"; status: 401; description?: string }
  | { kind: "deny"; status: 403; description: string };

/**
 * "Currently, only RSA-based algorithms are supported" (JWT-DOC). Which ones exactly is
 * UNCONFIRMED. We accept the PKCS#1 v1.5 family (RS256, RS384, RS512), each verified with its own
 * hash, and refuse everything else: `none`, HS*, ES*, EdDSA, and PS256/384/512 too. PSS is RSA as
 * well, but no source shows AWS accepting it, and a token that passes here must never fail on
 * AWS (the same reading as the `Bearer` prefix below): Auth0 signs RS256 by default.
 */
export const ACCEPTED_ALGORITHMS = ["RS256", "RS384", "RS512"];

/**
 * API Gateway's JWT authorizer (JWT-DOC, "Validating JWTs"): take the token from the identity
 * source (a `Bearer ` prefix is optional), decode it, check algorithm and signature with the key
 * whose `kid` the issuer's `jwks_uri` lists, then `iss`, `aud` (or `client_id` when there is no
 * `aud`), `exp`, `nbf`, `iat`, and the route's scopes. Zero clock skew (UNCONFIRMED; the safe
 * default). Descriptions AWS has been seen to send are copied; the others are our wording,
 * marked as such below.
 */
export async function authorize(args: {
  /** The identity source's value; undefined when absent. */
  identity: string | undefined;
  config: JwtAuthorizerConfig;
  routeScopes: readonly string[];
  keys: KeyResolver;
  /** Seconds since the epoch. */
  now: number;
}): Promise<Verdict> {
  const { identity, config, routeScopes, keys, now } = args;
  if (identity === undefined || identity.trim() === "") return { kind: "deny", status: 401 };
  // Case of "Bearer" is UNCONFIRMED: we strip only the exact prefix, so a token that works here
  // never fails on AWS for its spelling.
  const token = identity.startsWith("Bearer ") ? identity.slice("Bearer ".length) : identity;

  const checked = await checkSignature(token, keys);
  if (checked.kind === "reject") return reject(checked.description);
  const { payload } = checked;

  if (payload.iss !== config.issuer) return reject("the token does not have a valid issuer"); // ours
  if (!hasValidAudience(payload, config.audiences)) {
    return reject("the token does not have a valid audience"); // DOC (JWT-TS)
  }
  if (payload.exp === undefined) return reject("the token has no exp claim"); // ours
  // RFC 7519 §2 NumericDate is a JSON number. A time claim of another type is refused rather
  // than ignored (UNCONFIRMED on AWS; golang-jwt refuses it as "invalid type for claim").
  for (const claim of ["exp", "nbf", "iat"] as const) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) {
      return reject(`the token's ${claim} claim is not a number`); // ours
    }
  }
  if (now >= payload.exp!) return reject("the token has expired"); // seen on AWS
  if (payload.nbf !== undefined && now < payload.nbf) {
    return reject("the token is not valid yet"); // ours
  }
  if (payload.iat !== undefined && now < payload.iat) {
    return reject("the token was issued in the future"); // ours
  }

  const scopes = tokenScopes(payload);
  if (routeScopes.length > 0 && !routeScopes.some((s) => scopes.includes(s))) {
    return {
      kind: "deny",
      status: 403,
      description: "the token does not have the required scopes",
    };
  }
  return { kind: "allow", claims: payload, formattedClaims: formatClaims(payload), scopes };
}

/** A 401 with the reason in `www-authenticate`. */
function reject(description: string): Verdict {
  return { kind: "deny", status: 401, description };
}

/**
 * `aud` decides when present (a string or an array, one match is enough); `client_id` is
 * consulted only when there is no `aud` (JWT-TS: "validates client_id only if aud is not present").
 */
export function hasValidAudience(payload: JWTPayload, audiences: readonly string[]): boolean {
  if (payload.aud !== undefined) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return aud.some((a) => audiences.includes(a));
  }
  const clientId = (payload as { client_id?: unknown }).client_id;
  return typeof clientId === "string" && audiences.includes(clientId);
}

/** Keeps attacker-chosen text from breaking out of a quoted header parameter. */
function safe(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "?").slice(0, 64);
}

/**
 * Canonical base64url: only its alphabet, and decoding then encoding gives the same text. An
 * empty segment (an unsigned token's signature) passes here and is refused for its `alg`.
 */
export function isStrictBase64url(segment: string): boolean {
  return (
    /^[A-Za-z0-9_-]*$/.test(segment) &&
    Buffer.from(segment, "base64url").toString("base64url") === segment
  );
}

type SignatureCheck =
  { kind: "verified"; payload: JWTPayload } | { kind: "reject"; description: string };

function refuse(description: string): SignatureCheck {
  return { kind: "reject", description };
}

/**
 * Decoding, algorithm, `kid` and signature: everything about a token that depends only on its
 * bytes and the issuer's key set.
 */
async function checkSignature(token: string, keys: KeyResolver): Promise<SignatureCheck> {
  // Seen on AWS (golang-jwt's wording): "token contains an invalid number of segments".
  const segments = token.split(".");
  if (segments.length !== 3) return refuse("token contains an invalid number of segments");
  // Each segment strictly base64url (RFC 7515 §2: no padding, no white space, no other alphabet,
  // unused bits zero). A lenient decoder would let `==`, a space, or other trailing bits spell
  // the same token many ways; a verifier decoding strictly, as Go's does with Strict(), refuses
  // them.
  if (!segments.every(isStrictBase64url)) return refuse("token is malformed"); // our wording
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    return refuse("token is malformed"); // our wording
  }
  if (typeof header.alg !== "string" || !ACCEPTED_ALGORITHMS.includes(header.alg)) {
    return refuse(`signing method ${safe(String(header.alg))} is invalid`); // golang-jwt's wording
  }
  if (typeof header.kid !== "string" || header.kid === "") {
    return refuse("the token has no kid header"); // our wording
  }
  const lookup = await keys.getKey(header.kid, header.alg);
  if (lookup.kind === "unavailable") return refuse("unable to fetch the issuer's signing keys"); // ours
  if (lookup.kind === "unknown") return refuse(`no signing key matches kid '${safe(header.kid)}'`); // ours
  try {
    await compactVerify(token, lookup.key, { algorithms: [header.alg] });
  } catch {
    return refuse("crypto/rsa: verification error"); // Go's rsa.VerifyPKCS1v15 wording
  }
  return { kind: "verified", payload };
}
