// The local environments `npm run bench` starts: this checkout's `npm start`, and the same
// command at the commit the current targets are measured against (BASELINE_COMMIT), checked out
// beside this one with the same installed packages, so both are loaded in the same run.
import { execFileSync } from "node:child_process";
import { rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRunning } from "../local/state";
import { PROJECT_DIR } from "../tests/support/program";
import { processTree, startCommand, type Running } from "../tests/support/processes";

/**
 * Where the lighter environment started (issue 24): its throughput is kept within 20% of this
 * commit's, measured beside it in every run.
 */
export const BASELINE_COMMIT = "b3fe9b0";

export interface NpmStart {
  running: Running;
  apiEndpoint: string;
  stateDir: string;
}

/** `npm start` on free ports in `cwd`, with its own state folder; resolves once Ready. */
export async function npmStart(
  stateDir: string,
  cwd = PROJECT_DIR,
  args: string[] = [],
): Promise<NpmStart> {
  const free = ["--port", "0", "--issuer-port", "0", "--console-port", "0"];
  const command = ["start", "--silent", "--", ...free, ...args];
  const running = startCommand("npm", command, { stateDir, cwd });
  const [, apiEndpoint] = await running.waitForOutput(/^ApiEndpoint: (\S+)$/m);
  await running.waitForOutput(/^Ready$/m);
  return { running, apiEndpoint: apiEndpoint!, stateDir };
}

/** Stops `npm start` as Ctrl-C does (SIGINT to every process of it), and waits for all of it. */
export async function stopNpmStart(running: Running): Promise<void> {
  const tree = processTree(running.child.pid!);
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
  while (tree.some(isRunning)) await new Promise((r) => setTimeout(r, 50));
}

/**
 * `commit` checked out in a worktree of its own (`name` in the temporary folder) that shares this
 * checkout's node_modules: a clean clone without the install.
 */
export function worktreeOf(commit: string, name: string): { dir: string; remove(): void } {
  const dir = join(tmpdir(), `${name}-${process.pid}`);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_DIR, stdio: "pipe" });
  git("worktree", "add", "--detach", "--force", dir, commit);
  symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"));
  return {
    dir,
    remove: () => {
      // The link first, on its own: nothing may walk into the shared node_modules.
      rmSync(join(dir, "node_modules"));
      git("worktree", "remove", "--force", dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The baseline commit's `npm start`, from its worktree. */
export async function startBaseline(stateDir: string): Promise<NpmStart & { remove(): void }> {
  const worktree = worktreeOf(BASELINE_COMMIT, "bench-baseline");
  const started = await npmStart(stateDir, worktree.dir);
  return { ...started, remove: worktree.remove };
}
