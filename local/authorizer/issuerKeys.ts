import { importJWK, type JWK } from "jose";
import { isLoopbackHost } from "../../facts/loopback";
import {
  ACCEPTED_ALGORITHMS,
  type KeyLookup,
  type KeyResolver,
  type VerifyKey,
} from "./jwtAuthorizer";

export interface IssuerKeysOptions {
  issuer: string;
  /** Where the issuer is reached: its own URL, or the local base URL the issuer map gives. */
  baseUrl: string;
  /** Rewrites a URL from discovery (`jwks_uri`) to where it is reached; identity by default. */
  toReachable?: (url: string) => string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** "API Gateway can cache the public key for two hours" (JWT-DOC). */
  cacheTtlMs?: number;
  /**
   * An unknown `kid` refetches the key set at most once per cooldown, so forged tokens cannot
   * cause a refetch storm. Whether AWS refetches on an unknown kid at all is UNCONFIRMED for
   * HTTP APIs; refetching lets key rotation work without waiting two hours.
   */
  refetchCooldownMs?: number;
  /**
   * While no key has ever been fetched, a failed fetch is retried after this instead of the
   * cooldown. Default `NO_KEYS_RETRY_MS`.
   */
  noKeysRetryMs?: number;
  /** AWS's quotas: 1,500 ms for discovery and for the JWKS; a JWKS of at most 150,000 bytes. */
  timeoutMs?: number;
  maxJwksBytes?: number;
}

export const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

/**
 * How soon a first fetch that failed is tried again: 1 s, not the 30-s cooldown meant for
 * unknown kids. With the cooldown, one slow first answer (the built-in issuer's first request
 * past the 1,500-ms quota on a loaded machine) refused every valid token for 30 s: a
 * clean-clone CI load test saw 11,046 of 20,528 answered 401 "unable to fetch the issuer's
 * signing keys". Concurrent requests still share one fetch. What API Gateway does after a failed
 * fetch is UNCONFIRMED.
 */
export const NO_KEYS_RETRY_MS = 1_000;

/**
 * The issuer's signing keys as API Gateway gets them: `GET {issuer}/.well-known/openid-configuration`
 * (the quota table lists a discovery timeout, so discovery is used rather than a fixed path), then
 * its `jwks_uri`. The trailing slash of an Auth0 issuer is dropped before appending the path
 * (UNCONFIRMED on AWS; Auth0 serves only the single-slash URL). Keys are imported once and cached;
 * when a refresh fails, the keys already cached stay in use.
 */
export class IssuerKeys implements KeyResolver {
  /** Each kid's key, imported once for each algorithm the authorizer accepts. */
  private keys = new Map<string, Record<string, VerifyKey>>();
  private fetchedAt = -Infinity;
  private lastAttempt = -Infinity;
  private inFlight: Promise<void> | undefined;
  private readonly options: Required<IssuerKeysOptions>;
  /** Why the last fetch of the keys failed; undefined after one that worked. */
  lastError: string | undefined;

  /** The issuer string these keys sign for. */
  get issuerName(): string {
    return this.options.issuer;
  }

  constructor(options: IssuerKeysOptions) {
    this.options = {
      toReachable: (url) => url,
      fetch: globalThis.fetch,
      clock: Date.now,
      cacheTtlMs: TWO_HOURS_MS,
      refetchCooldownMs: 30_000,
      noKeysRetryMs: NO_KEYS_RETRY_MS,
      timeoutMs: 1500,
      maxJwksBytes: 150_000,
      ...options,
    };
  }

  async getKey(kid: string, alg = "RS256"): Promise<KeyLookup> {
    // Requests that arrive while the keys are being fetched wait for that fetch.
    if (this.inFlight !== undefined) await this.inFlight;
    const now = this.options.clock();
    const stale = now - this.fetchedAt >= this.options.cacheTtlMs;
    const wait =
      this.fetchedAt === -Infinity ? this.options.noKeysRetryMs : this.options.refetchCooldownMs;
    const cooled = now - this.lastAttempt >= wait;
    if ((stale || !this.keys.has(kid)) && cooled) await this.refresh();
    const key = this.keys.get(kid)?.[alg];
    if (key !== undefined) return { kind: "found", key };
    return this.fetchedAt === -Infinity ? { kind: "unavailable" } : { kind: "unknown" };
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    this.lastAttempt = this.options.clock();
    try {
      const discoveryUrl = `${this.options.baseUrl.replace(/\/+$/, "")}/.well-known/openid-configuration`;
      const discovery = (await this.getJson(discoveryUrl)) as { jwks_uri?: unknown };
      if (typeof discovery.jwks_uri !== "string") throw new Error("discovery has no jwks_uri");
      const jwks = (await this.getJson(this.options.toReachable(discovery.jwks_uri))) as {
        keys?: unknown;
      };
      if (!Array.isArray(jwks.keys)) throw new Error("the JWKS has no keys array");
      const next = new Map<string, Record<string, VerifyKey>>();
      for (const jwk of jwks.keys as JWK[]) {
        if (jwk.kty !== "RSA" || typeof jwk.kid !== "string" || jwk.use === "enc") continue;
        try {
          // One RSA key verifies RS256, RS384 and RS512 alike: WebCrypto binds the hash to the
          // imported key, so it is imported once per algorithm. The JWK's own `alg` is not
          // consulted (AWS documents only "RSA-based algorithms").
          const byAlg: Record<string, VerifyKey> = {};
          for (const alg of ACCEPTED_ALGORITHMS) {
            byAlg[alg] = (await importJWK({ ...jwk, alg, ext: true }, alg)) as VerifyKey;
          }
          next.set(jwk.kid, byAlg);
        } catch {
          // A key jose cannot import verifies nothing; the others still count.
        }
      }
      this.keys = next;
      this.fetchedAt = this.options.clock();
      this.lastError = undefined;
    } catch (err) {
      // Keep what is cached: a JWKS outage must not revoke keys already known.
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      this.lastError = `${(err as Error).message}${cause !== undefined ? ` (${cause})` : ""}`;
    }
  }

  private async getJson(url: string): Promise<unknown> {
    assertFetchable(url);
    const response = await this.options.fetch(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs),
      redirect: "error",
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const text = await response.text();
    if (Buffer.byteLength(text) > this.options.maxJwksBytes) throw new Error(`${url} is too large`);
    return JSON.parse(text);
  }
}

/** https, or plain http to a loopback host only. */
export function assertFetchable(url: string): void {
  const u = new URL(url);
  if (u.protocol === "https:") return;
  if (u.protocol === "http:" && isLoopbackHost(u.hostname)) return;
  throw new Error(`refusing to fetch ${url}: only https, or http on a loopback host`);
}
