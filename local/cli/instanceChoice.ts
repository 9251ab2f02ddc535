/** Which running local environment a tool (`token`, `login`) talks to. */
import { resolve } from "node:path";
import { liveInstances, stateDirFor, type EnvironmentRecord } from "../state";
import { parsePort } from "./args";

/** `--port` and `--issuer-port`, as every tool that talks to a running environment takes them. */
export const INSTANCE_OPTIONS = {
  port: {
    type: "string",
    value: "N",
    help: "the environment on this API port (default: the only one running, or the latest)",
  },
  "issuer-port": {
    type: "string",
    value: "N",
    help: "the environment whose issuer has this port (default: as --port)",
  },
} as const;

/** `--port` and `--issuer-port` as `runningInstance` takes them (each checked as a port). */
export function wantedInstance(values: { port?: string; "issuer-port"?: string }): {
  port?: number;
  issuerPort?: number;
} {
  return {
    ...(values.port !== undefined ? { port: parsePort("--port", values.port, 0) } : {}),
    ...(values["issuer-port"] !== undefined
      ? { issuerPort: parsePort("--issuer-port", values["issuer-port"], 0) }
      : {}),
  };
}

/** This project's state folder. */
export function localStateDir(): string {
  return stateDirFor(resolve(__dirname, "../.."));
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
  // How to choose another, unless the user chose this one.
  const others = instances.length - 1;
  const chose = wanted.port !== undefined || wanted.issuerPort !== undefined;
  const note =
    `using the local environment ${describe(chosen)}` +
    (others > 0 && !chose ? `; ${others} more running, choose with --port or --issuer-port` : "");
  return { record: chosen, note };
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

function describe(record: EnvironmentRecord): string {
  const issuer = record.issuerUrl !== undefined ? `, issuer ${record.issuerUrl}` : "";
  return `at ${record.apiEndpoint}${issuer} (stack ${record.stack}, pid ${record.pid})`;
}
