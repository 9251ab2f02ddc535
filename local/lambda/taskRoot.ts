import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isRunning } from "../state";

/**
 * Where a local environment writes its functions' archives: outside the project and outside its
 * state folder, as Lambda's `/var/task` is outside everything else. A function that walks up
 * from `LAMBDA_TASK_ROOT` finds other archives of the same environment, never the issuer's keys,
 * `environment.json` or the project's sources. Readable by this user only.
 *
 * One folder per running instance (`<state folder's hash>/<pid>-<random>`): instances of one
 * project share the state folder's keys and records, never their task roots, so one that stops
 * removes its own archives and leaves another's running code alone (a shared folder, removed by
 * the instance that stopped, left the other answering 500). Folders of instances whose process
 * has gone (a crash, `kill -9`) are removed when the next instance starts.
 */
export function functionsRoot(stateDir: string): string {
  const id = createHash("sha256").update(stateDir).digest("hex").slice(0, 12);
  const project = join(tmpdir(), `api-auth-jwt-auth0-${userInfo().uid}`, id);
  mkdirSync(project, { recursive: true, mode: 0o700 });
  removeAbandonedRoots(project);
  return mkdtempSync(join(project, `${process.pid}-`));
}

/** Removes the instance folders under `project` whose process runs no more. */
function removeAbandonedRoots(project: string): void {
  for (const name of readdirSync(project)) {
    const pid = /^(\d+)-/.exec(name)?.[1];
    // A folder of the layout before instances had their own: no pid, shared, abandoned.
    if (pid === undefined || !isRunning(Number(pid))) {
      rmSync(join(project, name), { recursive: true, force: true });
    }
  }
}

/**
 * The AWS SDK for JavaScript v3 that Lambda's Node.js runtimes provide (in
 * `/var/runtime/node_modules`, on the module path of every function): locally, each `@aws-sdk/*`
 * package the project installs (a devDependency, never in an archive) is linked into a
 * `node_modules` above the task roots, where a function's `require` finds it. Only those: a package
 * a function needs but its archive lacks fails here as on Lambda. Returns the packages linked.
 */
export function provideRuntimeSdk(root: string, projectDir: string): string[] {
  // Where Node would find them from the project: its node_modules, or an enclosing folder's.
  let installed = join(resolve(projectDir), "node_modules", "@aws-sdk");
  while (!existsSync(installed)) {
    const up = resolve(installed, "../../..", "node_modules", "@aws-sdk");
    if (up === installed) return [];
    installed = up;
  }
  const linked = join(root, "node_modules", "@aws-sdk");
  mkdirSync(linked, { recursive: true });
  const packages = readdirSync(installed);
  for (const name of packages) symlinkSync(join(installed, name), join(linked, name), "dir");
  return packages.map((name) => `@aws-sdk/${name}`);
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
