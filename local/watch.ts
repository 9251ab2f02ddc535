import { watch, type FSWatcher } from "node:fs";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Folders that are never the program: dependencies, state, tests, build output. */
const IGNORED = new Set([
  "node_modules",
  ".local",
  ".git",
  "bin",
  "tests",
  "test-artifacts",
  "bench",
  ".ci",
]);

/**
 * Calls `onChange` (debounced) when the program changes: a TypeScript or JavaScript file, or a
 * Pulumi stack file, in the project folder or one of its source folders. An editor's save is a
 * burst of events within a few milliseconds; 50 ms covers it, and a longer burst (a checkout)
 * costs one more reload at most, since reloads are serialized.
 */
export function watchProgram(
  projectDir: string,
  onChange: () => void,
  debounceMs = 50,
): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const fire = (file: string | null) => {
    if (file !== null && !/\.(ts|js|ya?ml)$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = [watch(projectDir, (_event, file) => fire(file))];
  for (const entry of readdirSync(projectDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !IGNORED.has(entry.name) && !entry.name.startsWith(".")) {
      watchers.push(
        watch(join(projectDir, entry.name), { recursive: true }, (_event, file) => fire(file)),
      );
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
