import { readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join, resolve } from "node:path";
import type { JWK } from "jose";
import {
  startLocalEnvironment,
  type LocalEnvironment,
  type LocalEnvironmentOptions,
} from "../../local/environment";
import { evaluateModel } from "../../local/environment/programModel";
import { Evaluator } from "../../local/evaluate/evaluateProgram";
import type { LocalModel } from "../../local/interpret/model";
import { interpretProgram } from "../../local/interpret/program";
import { statePaths } from "../../local/state";
import { cachedEvaluation } from "./evaluationCache";
import { PROJECT_DIR, TEST_STATE_DIR } from "./program";
import { runCli, runCommand, type Finished } from "./processes";
import { keyFromJwk, type TestKey } from "./tokens";

export interface RunningEnv {
  env: LocalEnvironment;
  stateDir: string;
  logs: string[];
  /** The built-in issuer's own signing key, to sign test tokens it would sign. */
  issuerKey: () => Promise<TestKey>;
  stop: () => Promise<void>;
}

/**
 * One evaluation per program (folder, stack, entry) for the whole run: the project's files do not
 * change while the tests run, so environments started for the same program share its model.
 */
const models = new Map<string, Promise<LocalModel>>();
export const sharedEvaluation: NonNullable<LocalEnvironmentOptions["evaluate"]> = (
  projectDir,
  options,
) => {
  const key = `${projectDir}|${options.stack}|${options.entry ?? "index.ts"}`;
  if (!models.has(key)) {
    // The project's own programs: the cached evaluation the mock tests read too, interpreted.
    const own = resolve(projectDir) === PROJECT_DIR;
    models.set(
      key,
      own
        ? cachedEvaluation(PROJECT_DIR, options.stack, options.entry).then((e) =>
            e.kind === "evaluated" ? interpretProgram(e) : evaluateOnce(projectDir, options),
          )
        : evaluateOnce(projectDir, options),
    );
  }
  return models.get(key)!;
};

/** The program's model from one evaluation in a process of its own (no spare: nothing to close). */
const evaluateOnce = (projectDir: string, options: { stack: string; entry?: string }) =>
  evaluateModel(new Evaluator(projectDir, { keepSpare: false }), options);

/** The local environment of `projectDir`'s dev stack, on free loopback ports, with a test user. */
export function onFreePorts(projectDir: string) {
  return {
    projectDir,
    stack: "dev",
    host: "127.0.0.1",
    port: 0,
    issuerPort: 0,
    user: { username: "u", password: "p" },
  };
}

/** Starts the local environment on free ports with its own state folder. */
export async function startTestEnvironment(
  name: string,
  options: Partial<LocalEnvironmentOptions> = {},
): Promise<RunningEnv> {
  const stateDir = join(TEST_STATE_DIR, `test-${name}-${process.pid}`);
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
    ...(options.watch ? {} : { evaluate: sharedEvaluation }),
    ...options,
  }).catch((err: Error) => {
    // A start that fails (a test of a taken port) leaves no state folder behind.
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
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
  return succeeded(
    await runCommand(
      "npm",
      ["run", "--silent", "token", ...(args.length > 0 ? ["--", ...args] : [])],
      { stateDir },
    ),
  );
}

/** The token tool run directly, as npm runs it, without npm's own start-up. */
export async function tokenTool(stateDir: string, args: string[] = []): Promise<Finished> {
  return succeeded(await runCli("token", args, { stateDir }));
}

/** Like execFile: a failure rejects, with the exit code and the output. */
function succeeded(finished: Finished): Finished {
  if (finished.code !== 0) throw Object.assign(new Error(finished.stderr), finished);
  return finished;
}

/** The apigw-requestid header's shape: 16 characters of URL-safe base64 ending in "=". */
export const REQUEST_ID = /^[A-Za-z0-9_-]{15}=$/;
