import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync } from "node:fs";
import { writePrivateFile } from "../state";

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
    if (stored.signingKey?.kty === "RSA" && typeof stored.signingKey.kid === "string") {
      chmodSync(file, 0o600); // a copied or restored file may have come with a wider mode
      return stored;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") {
      // Never the parser's own message: it quotes the file, and the file holds a private key.
      const why =
        err instanceof SyntaxError ? "it is not valid JSON" : (code ?? "it cannot be read");
      throw new Error(
        `cannot read the local issuer's keys in ${file}: ${why}; delete the file to start afresh`,
      );
    }
  }
  const secrets = await createIssuerSecrets();
  writePrivateFile(file, JSON.stringify(secrets, null, 2));
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
