/**
 * The one way tests start processes: a command (`node`, `npm`, `git`), or one of the local
 * environment's CLIs as npm runs it (`node --require tsx/cjs local/cli/<name>.ts`), in the
 * project folder, with an optional state folder. Output is collected; waiting for a line is
 * driven by the output itself, not by polling.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "./program";
import { TEST_STATE_DIR } from "./paths";

export interface ProcessOptions {
  /** LOCAL_STATE_DIR for the process: which local environment its tools see. */
  stateDir?: string;
  /** Added to this process's environment; with `inheritEnv: false`, the whole environment. */
  env?: NodeJS.ProcessEnv;
  inheritEnv?: boolean;
  cwd?: string;
  /** Flags for node itself, before the script (`--inspect=127.0.0.1:0`). */
  nodeArgs?: string[];
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they came. */
  output(): string;
  exited: Promise<number | null>;
  /** The first match of `pattern` in the output; fails when the process ends without one. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const CLI = (name: string) => ["--require", "tsx/cjs", `local/cli/${name}.ts`];

function environment(options: ProcessOptions): NodeJS.ProcessEnv {
  return {
    ...(options.inheritEnv === false ? {} : process.env),
    ...options.env,
    // Never the user's .local/: a command a test runs sees the test's environments only.
    LOCAL_STATE_DIR: options.stateDir ?? join(TEST_STATE_DIR, `commands-${process.pid}`),
  };
}

/** Starts a command and keeps it running. */
export function startCommand(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Running {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_DIR,
    env: environment(options),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let output = "";
  const listeners = new Set<() => void>();
  const seen = () => listeners.forEach((listener) => listener());
  child.stdout!.on("data", (d: Buffer) => ((stdout += d), (output += d), seen()));
  child.stderr!.on("data", (d: Buffer) => ((stderr += d), (output += d), seen()));
  // "close", not "exit": every byte of output has arrived by then.
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => resolve(code)),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const done = (err?: Error, match?: RegExpExecArray) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(match!);
        };
        const check = () => {
          const match = pattern.exec(output);
          if (match) done(undefined, match);
        };
        const timer = setTimeout(
          () => done(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (listeners.has(check)) {
            check();
            if (listeners.has(check))
              done(new Error(`exited ${code} before ${pattern}:\n${output}`));
          }
        });
      });
    },
    stop: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts one of the local environment's CLIs (`start`, `token`, `login`) and keeps it running. */
export function startCli(name: string, args: string[], options: ProcessOptions = {}): Running {
  return startCommand(
    process.execPath,
    [...(options.nodeArgs ?? []), ...CLI(name), ...args],
    options,
  );
}

/** Runs a command to its end. */
export async function runCommand(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Promise<Finished> {
  const running = startCommand(command, args, options);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** Runs one of the CLIs to its end. */
export function runCli(
  name: string,
  args: string[],
  options: ProcessOptions = {},
): Promise<Finished> {
  return runCommand(
    process.execPath,
    [...(options.nodeArgs ?? []), ...CLI(name), ...args],
    options,
  );
}

/** Runs a command to its end, synchronously (for `describe`-time facts). */
export function runCommandSync(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Finished {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? PROJECT_DIR,
    env: environment(options),
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every running process's children, by parent (one read of Linux's /proc). */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  return children;
}

/** The processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return childrenByParent().get(pid) ?? [];
}

/**
 * The children of `pid` that run `script` (matched against their command line). Other children
 * come and go with the machine's state: tsx starts an esbuild service while its cache is cold.
 */
export function childrenRunning(pid: number, script: string): number[] {
  return childrenOf(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, "utf8")
        .split("\0")
        .some((arg) => arg.endsWith(script));
    } catch {
      return false; // it ended meanwhile
    }
  });
}

/** A process and every process below it. */
export function processTree(root: number): number[] {
  const children = childrenByParent();
  const tree: number[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}
