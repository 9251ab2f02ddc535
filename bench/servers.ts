// The local environments `npm run bench` starts: `npm start` in this checkout, or in a copy of a
// commit of it as a user has it (`cloneOf`), so that commits are measured beside each other.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRunning } from "../local/state";
import { PROJECT_DIR } from "../tests/support/program";
import { processTree, startCommand, type Running } from "../tests/support/processes";

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
 * `commit` as a user has it after `git clone` and `npm ci`: a worktree of its own (`name` in the
 * temporary folder) with a node_modules of its own, this checkout's packages hard-linked (a copy
 * in under a second, no install). A real folder, as `npm ci` leaves it: the closure serializer
 * reads the package tree of the project it runs in (Arborist, once per function), and a copy of
 * the program without its packages served a save in 0.18 s where the project takes about 0.9 s.
 */
export function cloneOf(commit: string, name: string): { dir: string; remove(): void } {
  const dir = join(tmpdir(), `${name}-${process.pid}`);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_DIR, stdio: "pipe" });
  git("worktree", "add", "--detach", "--force", dir, commit);
  execFileSync("cp", ["-al", join(PROJECT_DIR, "node_modules"), join(dir, "node_modules")]);
  return {
    dir,
    remove: () => {
      git("worktree", "remove", "--force", dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
