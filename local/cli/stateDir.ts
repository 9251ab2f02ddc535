import { resolve } from "node:path";
import type { EnvironmentRecord } from "../environment";
import { chooseInstance, liveInstances } from "../instances";

/** Where the local environment keeps its keys and records: LOCAL_STATE_DIR or `.local`. */
export function localStateDir(): string {
  return process.env.LOCAL_STATE_DIR ?? resolve(__dirname, "../../.local");
}

/**
 * The running local environment a tool should use (see `chooseInstance`), or undefined when none
 * runs here; `say` receives the line that names it.
 */
export function runningInstance(
  wanted: { port?: number; issuerPort?: number },
  say: (line: string) => void,
): EnvironmentRecord | undefined {
  const instances = liveInstances(localStateDir());
  const asked = wanted.port !== undefined || wanted.issuerPort !== undefined;
  if (instances.length === 0 && !asked) return undefined;
  const { record, note } = chooseInstance(instances, wanted);
  say(note);
  return record;
}
