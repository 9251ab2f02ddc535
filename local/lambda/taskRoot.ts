import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * Where a local environment writes its functions' archives: outside the project and outside its
 * state folder, as Lambda's `/var/task` is outside everything else. A function that walks up
 * from `LAMBDA_TASK_ROOT` finds other archives of the same environment, never the issuer's keys,
 * `environment.json` or the project's sources. One folder per state folder, readable by this
 * user only, so two environments never share one.
 */
export function functionsRoot(stateDir: string): string {
  const id = createHash("sha256").update(stateDir).digest("hex").slice(0, 12);
  const root = join(tmpdir(), `api-auth-jwt-auth0-${userInfo().uid}`, id);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return root;
}

/** Removes a functions root once its environment has ended. */
export function removeFunctionsRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * Writes a function's archive under a folder named by its content, so a new version never
 * overwrites a running one. Returns that folder: the function's task root.
 */
export function writeArchive(
  name: string,
  files: Readonly<Record<string, string>>,
  root: string,
): string {
  const hash = createHash("sha256");
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(path).update("\0").update(text).update("\0");
  }
  const dir = resolve(root, name, hash.digest("hex").slice(0, 16));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    if (!file.startsWith(dir)) throw new Error(`archive path ${path} escapes its folder`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}
