/**
 * Type errors seen at once: `pulumi up` type-checks the program (the Node.js language host runs
 * ts-node with the project's tsconfig.json) and refuses one that does not compile, while the
 * local environment only transpiles. A resident checker (checkerProcess.js, TypeScript's watch
 * program) checks again after each save, in its own process, stopped while a reload evaluates
 * (`pause`), so that a reload never waits for it; the current version keeps serving whatever it
 * finds.
 *
 * Not at a lower CPU priority: on a busy machine (four busy loops on two cores) a checker at the
 * lowest one never got the CPU, and no type error was ever said; stopped only while a reload runs,
 * it takes its share of the cores otherwise.
 */
import { fork, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export interface TypeCheckResult {
  /** Each error as tsc prints it (`index.ts(3,7): error TS2322: …`); none when the check passed. */
  errors: string[];
}

export interface TypeChecker {
  close(): void;
  /** Stops the checker's process (SIGSTOP) until `resume`: a reload has the cores. */
  pause(): void;
  resume(): void;
}

/**
 * Starts checking `projectDir`; `onResult` receives each check's outcome, the first included;
 * `onExit` how the checker ended, when it ended by itself (a crash, a signal, out of memory).
 */
export function startTypeChecker(
  projectDir: string,
  onResult: (result: TypeCheckResult) => void,
  onExit?: (how: string) => void,
): TypeChecker {
  let closed = false;
  const child: ChildProcess = fork(resolve(__dirname, "checkerProcess.js"), [projectDir], {
    execArgv: [],
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  child.on("message", (message: TypeCheckResult) => onResult({ errors: message.errors }));
  child.on("error", () => undefined);
  child.on("exit", (code, signal) => {
    if (!closed) onExit?.(signal ?? `exit code ${code}`);
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  return {
    close: () => {
      closed = true;
      signal("SIGTERM");
      // A stopped process takes its SIGTERM once continued.
      signal("SIGCONT");
    },
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
  };
}

/** How often a checker that ended by itself is started again, per environment. */
const CHECKER_RESTARTS = 3;

/**
 * What the terminal says about a check, or nothing when there is no news: its errors but those
 * `said` already (a failed reload's compile errors), once; "no errors" once none are left.
 * `shown`: the errors said before, which the next check is compared with.
 */
export function typeCheckNews(
  shown: readonly string[],
  errors: readonly string[],
  said: readonly string[] = [],
): { news?: string; shown: readonly string[] } {
  const fresh = errors.filter((e) => !said.includes(e));
  if (fresh.length > 0) {
    if (shown.join("\n") === fresh.join("\n")) return { shown };
    const count = fresh.length === 1 ? "1 type error" : `${fresh.length} type errors`;
    const news = `${count}: pulumi up would refuse this program (the current version keeps serving):\n${fresh.join("\n")}`;
    return { news, shown: fresh };
  }
  // Only what a failed reload said: nothing new, and nothing gone until those are fixed too.
  if (errors.length > 0) return { shown };
  return shown.length > 0 ? { news: "type check: no errors", shown: [] } : { shown };
}

/**
 * How long the checker stays after the check of a save. While a developer edits, each save is
 * checked again by the resident watch program in about a second; once the program has been quiet
 * this long it ends, giving back its memory (about 390 MB), and the next save starts it again: a
 * first check, about 5 s beside that save's reload. The start's own check ends it at once: until a
 * save, nothing is being edited. (docs/performance.md has the figures.)
 */
export const CHECKER_IDLE_MS = 120_000;

/**
 * The checker as the environment runs it: `changed()` after each save brings a parked one back;
 * `pause()` and `resume()` around a reload, for whichever checker runs meanwhile.
 */
export interface WatchedTypes extends TypeChecker {
  changed(): void;
}

/**
 * The checker as the environment runs it: each check's news to `log` and its errors to
 * `onErrors` (the console), both without the errors `said()` already (a failed reload's). With
 * `idleMs`, it ends after the start's check, and once a save's check is that long quiet; the
 * next `changed()` starts it again.
 */
export function watchTypes(
  projectDir: string,
  log: (line: string) => void,
  onErrors?: (errors: string[]) => void,
  said: () => readonly string[] = () => [],
  idleMs?: number,
): WatchedTypes {
  let shown: readonly string[] = [];
  let restarts = 0;
  let current: TypeChecker | undefined;
  let idle: NodeJS.Timeout | undefined;
  /** A save came since the checker started: it is being edited, and the checker stays a while. */
  let saved = false;
  let paused = false;
  const park = () => {
    current?.close();
    current = undefined;
  };
  const onResult = ({ errors }: TypeCheckResult) => {
    const already = said();
    const check = typeCheckNews(shown, errors, already);
    if (check.news !== undefined) log(check.news);
    shown = check.shown;
    onErrors?.(errors.filter((e) => !already.includes(e)));
    if (idleMs !== undefined) {
      clearTimeout(idle);
      idle = setTimeout(park, saved ? idleMs : 0);
      idle.unref();
    }
  };
  // A checker that ends by itself is said, and started again, a bounded number of times.
  const start = () => {
    current = startTypeChecker(projectDir, onResult, (how) => {
      current = undefined;
      restarts++;
      log(endedLine(how, restarts));
      if (restarts <= CHECKER_RESTARTS) start();
    });
    if (paused) current.pause();
  };
  start();
  return {
    changed: () => {
      clearTimeout(idle);
      saved = true;
      if (current === undefined && restarts <= CHECKER_RESTARTS) start();
    },
    pause: () => {
      paused = true;
      current?.pause();
    },
    resume: () => {
      paused = false;
      current?.resume();
    },
    close: () => {
      clearTimeout(idle);
      park();
    },
  };
}

/** What the terminal says when the checker ended by itself for the `ended`th time. */
function endedLine(how: string, ended: number): string {
  return ended > CHECKER_RESTARTS
    ? `type checking stopped: the checker ended (${how}) ${ended} times; restart npm start to check types again`
    : `the type checker ended (${how}); checking again`;
}
