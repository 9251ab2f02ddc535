/**
 * The state folder (`.local/`, or `LOCAL_STATE_DIR`): the one module that knows its layout, the
 * instance record's shape, and how records are written, read and removed.
 *
 *   issuer-keys.json      the built-in issuer's signing and cookie keys (0600)
 *   instances/<pid>-<port>.json   one record per running `npm start`, removed when it stops
 *   environment.json      the most recent instance's record, for reading by hand
 *
 * The functions' archives live outside it, under the temp folder (`lambda/taskRoot.ts`).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { LocalConnection } from "./interpret/model";
import type { LocalUserSettings } from "./issuer/localUser";

/** What each running `npm start` records for the token and login tools (and the tests). */
export interface EnvironmentRecord {
  pid: number;
  /** Milliseconds since the epoch: the most recent instance is the default one. */
  startedAt: number;
  stack: string;
  apiEndpoint: string;
  issuer: string;
  /** Where the built-in issuer is served; absent with an external issuer. */
  issuerUrl?: string;
  issuerMap: Record<string, string>;
  audiences: string[];
  clients: {
    clientId: string;
    clientSecret?: string;
    name: string;
    callbacks: string[];
    /** Its database connection: who may sign in (`issuer/signInRule.ts`). */
    connection?: LocalConnection;
  }[];
  apiIdentifiers: string[];
  user: LocalUserSettings;
  /** The API's CORS origins, as the program declares them (`npm run smoke` preflights the first). */
  corsAllowOrigins?: string[];
}

/** The state folder's name inside the project. */
export const STATE_FOLDER = ".local";

/** The project's state folder: LOCAL_STATE_DIR when set, else `<project>/.local`. */
export function stateDirFor(projectDir: string): string {
  return stateFolder(projectDir, process.env.LOCAL_STATE_DIR);
}

/** The state folder given, else `<project>/.local`, as an absolute path. */
export function stateFolder(projectDir: string, given: string | undefined): string {
  return resolve(given ?? join(projectDir, STATE_FOLDER));
}

/** Where each piece of state lives in a state folder. */
export function statePaths(stateDir: string) {
  return {
    issuerKeys: join(stateDir, "issuer-keys.json"),
    latestRecord: join(stateDir, "environment.json"),
    instances: join(stateDir, "instances"),
  };
}

/**
 * Writes a file only its owner may read (0600), also when it already existed with a wider mode:
 * `writeFileSync`'s `mode` applies only to a file it creates.
 */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function writeInstanceRecord(stateDir: string, record: EnvironmentRecord): void {
  const text = JSON.stringify(record, null, 2);
  writePrivateFile(instanceFile(stateDir, record), text);
  writePrivateFile(statePaths(stateDir).latestRecord, text);
}

export function removeInstanceRecord(stateDir: string, record: EnvironmentRecord): void {
  rmSync(instanceFile(stateDir, record), { force: true });
  const latest = statePaths(stateDir).latestRecord;
  const current = readRecord(latest);
  if (current?.pid === record.pid && current.apiEndpoint === record.apiEndpoint) {
    rmSync(latest, { force: true });
  }
}

/** The most recent instance's record, as written; undefined when none. */
export function latestRecord(stateDir: string): EnvironmentRecord | undefined {
  return readRecord(statePaths(stateDir).latestRecord);
}

/**
 * The instances running now, the most recently started first. A record whose process has gone
 * (a crash, `kill -9`) is ignored and removed.
 */
export function liveInstances(stateDir: string): EnvironmentRecord[] {
  const dir = statePaths(stateDir).instances;
  if (!existsSync(dir)) return [];
  const live: EnvironmentRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const record = readRecord(join(dir, name));
    if (record !== undefined && isRunning(record.pid)) live.push(record);
    else rmSync(join(dir, name), { force: true });
  }
  return live.sort((a, b) => b.startedAt - a.startedAt);
}

/** Whether a process runs (EPERM: it does, as another user's). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function instanceFile(stateDir: string, record: EnvironmentRecord): string {
  const port = new URL(record.apiEndpoint).port;
  return join(statePaths(stateDir).instances, `${record.pid}-${port}.json`);
}

function readRecord(file: string): EnvironmentRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as EnvironmentRecord;
  } catch {
    return undefined;
  }
}
