// `npm start` once its options are checked (start.ts): the local environment started, its
// banner printed, and stopped when asked. Loaded only then, so that a usage error is answered
// before any of this (the SDK's helpers, the environment's modules) is loaded.
import { probePath } from "../console/stackView";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { LocalEnvironment, LocalEnvironmentOptions } from "../environment";
import { prepareBuiltInIssuer } from "../environment/builtInIssuer";
import { programSource } from "../environment/lastEvaluation";
import { admittedUsers } from "../issuer/signInRule";
import { isWildcardAddress } from "../../facts/loopback";
import { lineWriter } from "./args";
import { isRunning, statePaths } from "../state";
import { localStateDir } from "./instanceChoice";
import { environmentUser, type Values } from "./startOptions";

/** Starts the environment the checked `options` describe, and serves until asked to stop. */
export async function runStart(
  values: Values,
  options: Omit<LocalEnvironmentOptions, "log">,
  projectDir: string,
): Promise<void> {
  // Each step once, in this order:
  // 1. The program's source: a restart of an unchanged program serves its kept evaluation at
  //    once (read here, the one time), confirmed by a fresh one behind it.
  const program = programSource(projectDir, options, true);
  // 2. The evaluation process loads the Pulumi SDKs while this one loads the environment, unless
  //    the kept evaluation is served: then it starts once the rest has, to confirm it, and leaves
  //    this start a core to itself (2.4 s to Ready, 1.9 s without it, measured on 2 cores).
  if (program.kept === undefined) program.prepare();
  // 3. The built-in issuer's thread loads oidc-provider (0.8 s) while this one loads the rest.
  const log = lineWriter(process.stdout);
  const issuerThread = options.externalIssuer === undefined ? prepareBuiltInIssuer(log) : undefined;
  // 4. The environment, which evaluates (or serves the kept model) and starts the issuer on it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocalEnvironment } = require("../environment") as typeof import("../environment");
  const env = await startLocalEnvironment({
    ...options,
    log,
    program,
    ...(issuerThread && { issuerThread }),
  });
  printBanner(env, values, log);
  printTables(env, values, log);
  // Function code shares this process's working directory (worker threads cannot have their
  // own): from here on it is the functions' folder, outside the project, so a relative path in a
  // handler finds what it would find on Lambda, not the project's files or its secrets. Every
  // path this process still uses is absolute.
  process.chdir(env.functionsDir);
  log("Ready");
  stopWhenAsked(env);
}

/** One fact per line: what runs where, and how to get a token. */
function printBanner(env: LocalEnvironment, values: Values, log: (line: string) => void): void {
  const loginUrl = env.model().outputs.loginUrl;
  log(`Stack: ${values.stack}`);
  log(`ApiEndpoint: ${env.apiEndpoint}`);
  if (env.consoleUrl !== undefined) log(`Console: ${env.consoleUrl}`);
  const consoleHost = values["console-host"] ?? process.env.CONSOLE_HOST;
  if (env.consoleUrl !== undefined && consoleHost !== undefined && isWildcardAddress(consoleHost)) {
    log(
      `Warning: the console listens on every interface (--console-host ${consoleHost}): anyone who reaches this machine can read the requests it keeps and call the routes with any claims`,
    );
  }
  const port = new URL(env.apiEndpoint).port;
  for (const domain of env.model().customDomains) {
    log(
      `CustomDomain: https://${domain} once deployed; here: curl --resolve ${domain}:${port}:127.0.0.1 http://${domain}:${port}${probePath(env.model().api.routes)}`,
    );
  }
  if (env.issuerUrl === undefined) {
    log(`Issuer: ${env.issuer} (external)`);
    return;
  }
  log(`Issuer: ${env.issuer} (served at ${env.issuerUrl})`);
  // The program's own loginUrl output, pointed at where its issuer is served.
  if (typeof loginUrl === "string") log(`LoginUrl: ${env.reachable(loginUrl)}`);
  log(
    `Token: TOKEN=$(npm run --silent token) && curl -H "Authorization: Bearer $TOKEN" ${env.apiEndpoint}/private`,
  );
  const passwordSet = values.password !== undefined || process.env.LOCAL_PASSWORD !== undefined;
  const password = passwordSet ? "(as set)" : "'local-password'";
  const connection = env.model().clients[0]?.connection;
  if (connection === undefined || connection.signUp) {
    log(`User: any username with password ${password}; the username becomes the token's sub`);
  } else {
    const admitted = admittedUsers(connection, environmentUser(values));
    const who = admitted.length > 0 ? `only ${admitted.join(", ")}` : "no user yet";
    log(
      `User: sign-up is off on ${connection.name}: ${who}, with password ${password} (add one with --user NAME)`,
    );
  }
  const keys = relative(process.cwd(), statePaths(localStateDir()).issuerKeys);
  log(`Keys: ${keys} signs tokens for local use only`);
}

/** The program's tables, where their data is kept, and how to start it afresh. */
function printTables(env: LocalEnvironment, values: Values, log: (line: string) => void): void {
  const tables = env.model().tables.map((t) => t.name);
  if (tables.length === 0) return;
  const kept = relative(process.cwd(), join(localStateDir(), "dynamodb", values.stack));
  log(
    `Tables: ${tables.join(", ")} on a local DynamoDB-compatible engine, kept in ${kept} (--reset-data starts them empty)`,
  );
}

/**
 * Ctrl-C, SIGTERM, a closed terminal (SIGHUP), or the end of the npm that started this one: close,
 * then exit. The npm scripts `exec` node, so a signal npm passes on reaches this process, not a
 * shell that would swallow it.
 */
function stopWhenAsked(env: LocalEnvironment): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("Shutting down\n");
    void env.close().then(() => process.exit(0));
  };
  // Every signal, not the first alone: npm passes a second Ctrl-C on, and with no handler left
  // it would end this process before its cleanup (its instance record left behind).
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  // `npm start` is npm running this process through a shell: when npm itself is stopped (kill, a
  // closed terminal) it does not pass the signal on, and this process would keep the ports.
  const wrapper = wrapperPid();
  setInterval(() => !isRunning(wrapper) && stop(), 500).unref();
}

/**
 * The process whose end must end this one: npm when `npm start` started it (npm runs a script
 * through `sh -c`, so npm is the shell's parent), else the parent. Linux tells through /proc;
 * elsewhere the parent is watched.
 */
function wrapperPid(): number {
  const parent = process.ppid;
  if (process.env.npm_lifecycle_event === undefined) return parent;
  try {
    const comm = readFileSync(`/proc/${parent}/comm`, "utf8").trim();
    if (!["sh", "bash", "dash", "zsh"].includes(comm)) return parent;
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after ")".
    const stat = readFileSync(`/proc/${parent}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return parent;
  }
}
