import { existsSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join, relative } from "node:path";
import { STATE_FOLDER } from "./state";

/** Folders that are never the program: dependencies, state, tests, build output. */
const IGNORED = new Set([
  "node_modules",
  STATE_FOLDER,
  // The tests' own state (their environments, the projects they edit).
  ".test-state",
  ".git",
  "bin",
  "tests",
  "test-artifacts",
  "bench",
  ".ci",
  "policy",
]);

/**
 * How long a removed file's reload waits for a file to take its place. Deleting and recreating a
 * handler 0.15 s apart reloaded twice (the first reload failing on the missing file, about 6 s
 * in all); a save's own events come within a few milliseconds.
 */
const REMOVAL_GRACE_MS = 400;

/**
 * A file whose change can change the program: TypeScript, JavaScript, JSON (a file the program
 * imports, `tsconfig.json`, `package.json`), a stack file.
 */
const PROGRAM_FILE = /\.(ts|js|json|ya?ml)$/;

/**
 * Calls `onChange` (debounced) when the program changes: a TypeScript, JavaScript or JSON file,
 * or a Pulumi stack file, in the project folder or one of its source folders, however it was saved.
 *
 * Each folder is watched on its own, never a file: an editor that saves by writing a temporary
 * file and renaming it over the original (vim, "safe write") replaces the file, and a watch on the
 * old file (which Node 20's recursive `fs.watch` keeps on Linux) sees nothing after the first such
 * save. A folder's watch sees every entry that is written, renamed in, deleted or created, and a
 * folder that appears (or is replaced, as by `git checkout`) is watched as soon as its parent
 * reports it. An editor's save is a burst of events within a few milliseconds; 50 ms covers it,
 * and a longer burst (a checkout) costs one more reload at most, since reloads are serialized.
 */
export function watchProgram(
  projectDir: string,
  onChange: () => void,
  debounceMs = 50,
): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watchers = new Map<string, FSWatcher>();

  // A file that went away waits longer for its successor: a delete then a create (an editor, a
  // tool regenerating a file) is one change and one reload, not a failed one and a second.
  const fire = (removed = false) => {
    clearTimeout(timer);
    timer = setTimeout(onChange, removed ? Math.max(debounceMs, REMOVAL_GRACE_MS) : debounceMs);
  };

  const unwatch = (dir: string) => closeUnder(watchers, dir);

  /** Watches `dir` and, below the project folder itself, every source folder in it. */
  const watchFolder = (dir: string) => {
    if (closed || watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => onEntry(dir, name));
    } catch {
      return; // gone already: its parent's next event says so
    }
    watcher.on("error", () => unwatch(dir));
    watchers.set(dir, watcher);
    for (const entry of safeReaddir(dir)) {
      if (entry.isDirectory() && isSourceFolder(projectDir, join(dir, entry.name))) {
        watchFolder(join(dir, entry.name));
      }
    }
  };

  const onEntry = (dir: string, name: string | Buffer | null) => {
    if (name === null) return fire();
    const path = join(dir, String(name));
    if (PROGRAM_FILE.test(path)) fire(!existsSync(path));
    // A folder renamed in, created or replaced: watch it (again); one removed: stop.
    if (!isSourceFolder(projectDir, path)) return;
    const isDir = isDirectory(path);
    if (isDir && !watchers.has(path)) {
      watchFolder(path);
      fire();
    } else if (!isDir && watchers.has(path)) {
      unwatch(path);
      fire();
    } else if (isDir) {
      // Replaced under the same name (`git checkout`, a rename over it): a new folder.
      unwatch(path);
      watchFolder(path);
    }
  };

  watchFolder(projectDir);
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** Closes the watches of `dir` and of every folder below it. */
function closeUnder(watchers: Map<string, FSWatcher>, dir: string): void {
  for (const [watched, watcher] of watchers) {
    if (watched === dir || watched.startsWith(`${dir}/`)) {
      watcher.close();
      watchers.delete(watched);
    }
  }
}

function isSourceFolder(projectDir: string, path: string): boolean {
  const parts = relative(projectDir, path).split("/");
  return parts.every((p) => p !== "" && !IGNORED.has(p) && !p.startsWith("."));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeReaddir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
