/**
 * What the bench measures besides throughput: the resident memory of a whole process tree, the
 * rate of RS256 verifications one core manages, and the start-up floor of any design that
 * evaluates the program (loading `@pulumi/aws`).
 */
import { execFileSync } from "node:child_process";
import { CompactSign, compactVerify, generateKeyPair } from "jose";
import { createSign, createVerify, generateKeyPairSync } from "node:crypto";
import { PROJECT_DIR } from "../tests/support/program";
import { processTree } from "../tests/support/processes";
import { residentBytes } from "../tests/support/startProcess";

/** The resident memory of a process tree, in bytes: every process's VmRSS, added up. */
export function treeResidentBytes(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      total += residentBytes(pid);
    } catch {
      // Ended meanwhile.
    }
  }
  return total;
}

/** How long `settledTreeBytes` reads. */
export const SETTLING_MS = 8000;

/**
 * A tree's memory once it has been quiet a while: V8 gives back its grown young generations
 * only after a few idle seconds, so the lowest of eight readings a second apart.
 */
export async function settledTreeBytes(root: number): Promise<number> {
  let lowest = Infinity;
  for (let i = 0; i < SETTLING_MS / 1000; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    lowest = Math.min(lowest, treeResidentBytes(root));
  }
  return lowest;
}

/** RS256 verifications per second on one core with node:crypto, as the authorizer's would be. */
export function rs256VerificationsPerSecond(): number {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0";
  const signature = createSign("RSA-SHA256").update(input).sign(privateKey);
  let count = 0;
  const started = process.hrtime.bigint();
  const budget = 2_000_000_000n;
  while (process.hrtime.bigint() - started < budget) {
    createVerify("RSA-SHA256").update(input).verify(publicKey, signature);
    count++;
  }
  return count / 2;
}

/**
 * RS256 verifications per second through jose's `compactVerify`, one after another, as the
 * authorizer verifies a token it has not seen: jose 6 verifies with WebCrypto, whose every
 * verification is a job on libuv's thread pool, answered through a promise.
 */
export async function joseVerificationsPerSecond(): Promise<number> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const token = await new CompactSign(new TextEncoder().encode('{"sub":"user"}'))
    .setProtectedHeader({ alg: "RS256" })
    .sign(privateKey);
  let count = 0;
  const started = process.hrtime.bigint();
  while (process.hrtime.bigint() - started < 2_000_000_000n) {
    await compactVerify(token, publicKey, { algorithms: ["RS256"] });
    count++;
  }
  return count / 2;
}

/** How long `node -e "require('@pulumi/aws')"` takes here: the floor of any evaluation. */
export function sdkLoadMs(): number {
  const started = Date.now();
  execFileSync(process.execPath, ["-e", "require('@pulumi/aws')"], { cwd: PROJECT_DIR });
  return Date.now() - started;
}
