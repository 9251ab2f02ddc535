import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnvironmentRecord } from "../environment";

/** Where the local environment keeps its keys, function code and record: LOCAL_STATE_DIR or `.local`. */
export function localStateDir(): string {
  return process.env.LOCAL_STATE_DIR ?? resolve(__dirname, "../../.local");
}

/** What the last `npm start` recorded (`environment.json`), or undefined if none ran here. */
export function readEnvironmentRecord(stateDir = localStateDir()): EnvironmentRecord | undefined {
  try {
    return JSON.parse(
      readFileSync(join(stateDir, "environment.json"), "utf8"),
    ) as EnvironmentRecord;
  } catch {
    return undefined;
  }
}
