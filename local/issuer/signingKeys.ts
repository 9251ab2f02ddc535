import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface IssuerSecrets {
  /** RS256 private signing key (JWK with `kid`, `alg`, `use`). */
  signingKey: JWK;
  /** Keys for the issuer's signed cookies. */
  cookieKeys: string[];
}

/**
 * The built-in issuer's keys, kept in a git-ignored file so tokens survive a restart. They
 * exist only on this machine and sign tokens for local use only.
 */
export async function loadOrCreateIssuerSecrets(file: string): Promise<IssuerSecrets> {
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as IssuerSecrets;
    if (stored.signingKey?.kty === "RSA" && typeof stored.signingKey.kid === "string")
      return stored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(
        `cannot read the local issuer's keys in ${file}: ${(err as Error).message}; delete the file to start afresh`,
      );
    }
  }
  const secrets = await createIssuerSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function createIssuerSecrets(): Promise<IssuerSecrets> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = (await calculateJwkThumbprint(jwk)).slice(0, 22);
  return {
    signingKey: { ...jwk, kid, alg: "RS256", use: "sig" },
    cookieKeys: [randomBytes(32).toString("base64url")],
  };
}
