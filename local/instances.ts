import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentRecord } from "./environment";
import { writePrivateFile } from "./privateFile";

/**
 * What each running `npm start` records in its state folder, for `npm run token` and
 * `npm run login`: one file per instance under `instances/`, removed when it stops; a record whose
 * process has gone (a crash, `kill -9`) is ignored and removed by the next reader.
 * `environment.json` holds the most recent instance's record too, for reading by hand, and goes
 * when that instance stops.
 */
export function writeInstanceRecord(stateDir: string, record: EnvironmentRecord): void {
  const text = JSON.stringify(record, null, 2);
  writePrivateFile(instanceFile(stateDir, record), text);
  writePrivateFile(join(stateDir, "environment.json"), text);
}

export function removeInstanceRecord(stateDir: string, record: EnvironmentRecord): void {
  rmSync(instanceFile(stateDir, record), { force: true });
  const latest = join(stateDir, "environment.json");
  const current = readRecord(latest);
  if (current?.pid === record.pid && current.apiEndpoint === record.apiEndpoint) {
    rmSync(latest, { force: true });
  }
}

/** The instances running now, the most recently started first. */
export function liveInstances(stateDir: string): EnvironmentRecord[] {
  const dir = join(stateDir, "instances");
  if (!existsSync(dir)) return [];
  const live: EnvironmentRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const record = readRecord(join(dir, name));
    if (record !== undefined && isRunning(record.pid)) live.push(record);
    else rmSync(join(dir, name), { force: true });
  }
  return live.sort((a, b) => b.startedAt - a.startedAt);
}

/**
 * The instance a tool talks to: the one on the given ports, or the only one running, or the most
 * recent of several, with a line that says which and how to choose another.
 */
export function chooseInstance(
  instances: EnvironmentRecord[],
  wanted: { port?: number; issuerPort?: number },
): { record: EnvironmentRecord; note: string } {
  const portOf = (url: string | undefined) => (url === undefined ? NaN : Number(new URL(url).port));
  const matching = instances.filter(
    (r) =>
      (wanted.port === undefined || portOf(r.apiEndpoint) === wanted.port) &&
      (wanted.issuerPort === undefined || portOf(r.issuerUrl) === wanted.issuerPort),
  );
  const chosen = matching[0];
  if (chosen === undefined) {
    const asked = [
      wanted.port !== undefined ? `--port ${wanted.port}` : "",
      wanted.issuerPort !== undefined ? `--issuer-port ${wanted.issuerPort}` : "",
    ]
      .filter((s) => s !== "")
      .join(" ");
    throw new Error(
      instances.length === 0
        ? "No local environment is running here: start one with `npm start` in another terminal."
        : `No running local environment matches ${asked}; running: ${instances.map(describe).join("; ")}.`,
    );
  }
  const others = instances.length - 1;
  const note =
    `using the local environment ${describe(chosen)}` +
    (others > 0 ? `; ${others} more running, choose with --port or --issuer-port` : "");
  return { record: chosen, note };
}

function describe(record: EnvironmentRecord): string {
  const issuer = record.issuerUrl !== undefined ? `, issuer ${record.issuerUrl}` : "";
  return `at ${record.apiEndpoint}${issuer} (stack ${record.stack}, pid ${record.pid})`;
}

function instanceFile(stateDir: string, record: EnvironmentRecord): string {
  return join(stateDir, "instances", `${record.pid}-${new URL(record.apiEndpoint).port}.json`);
}

function readRecord(file: string): EnvironmentRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as EnvironmentRecord;
  } catch {
    return undefined;
  }
}

/** Whether a process runs (EPERM: it does, as another user's). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
