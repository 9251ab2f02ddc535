import { readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import type { JWK } from "jose";
import {
  startLocalEnvironment,
  type LocalEnvironment,
  type LocalEnvironmentOptions,
} from "../../local/environment";
import { statePaths } from "../../local/state";
import { PROJECT_DIR } from "./program";
import { runCommand, type Finished } from "./processes";
import { keyFromJwk, type TestKey } from "./tokens";

export interface RunningEnv {
  env: LocalEnvironment;
  stateDir: string;
  logs: string[];
  /** The built-in issuer's own signing key, to sign test tokens it would sign. */
  issuerKey: () => Promise<TestKey>;
  stop: () => Promise<void>;
}

/** Starts the local environment on free ports with its own state folder. */
export async function startTestEnvironment(
  name: string,
  options: Partial<LocalEnvironmentOptions> = {},
): Promise<RunningEnv> {
  const stateDir = join(PROJECT_DIR, ".local", `test-${name}-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  const logs: string[] = [];
  const env = await startLocalEnvironment({
    projectDir: PROJECT_DIR,
    stack: "dev",
    host: "127.0.0.1",
    port: 0,
    issuerPort: 0,
    user: { username: "local-user", password: "local-password" },
    stateDir,
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    env,
    stateDir,
    logs,
    issuerKey: async () => {
      const secrets = JSON.parse(readFileSync(statePaths(stateDir).issuerKeys, "utf8")) as {
        signingKey: JWK;
      };
      return keyFromJwk(secrets.signingKey);
    },
    stop: async () => {
      await env.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would add its own). */
export function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: Buffer | string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const {
          date: _date,
          connection: _c,
          "keep-alive": _k,
          ...rest
        } = res.headers as Record<string, string | string[]>;
        resolve({ status: res.statusCode!, headers: rest, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** `npm run --silent token -- <args>` against the environment recorded in `stateDir`. */
export async function npmToken(stateDir: string, args: string[] = []): Promise<Finished> {
  const finished = await runCommand(
    "npm",
    ["run", "--silent", "token", ...(args.length > 0 ? ["--", ...args] : [])],
    { stateDir },
  );
  // Like execFile: a failure rejects, with the exit code and the output.
  if (finished.code !== 0) throw Object.assign(new Error(finished.stderr), finished);
  return finished;
}

/** The apigw-requestid header's shape: 16 characters of base64 ending in "=". */
export const REQUEST_ID = /^[A-Za-z0-9+/]{15}=$/;
