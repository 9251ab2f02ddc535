// `npm start`: runs the Pulumi program locally, with its HTTP API, its JWT authorizer, its Lambda
// functions and a built-in OpenID Connect issuer standing in for the Auth0 tenant.
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { LocalEnvironment, LocalEnvironmentOptions } from "../environment";
import { prepareEvaluator } from "../evaluate/evaluateProgram";
import {
  DEFAULT_LOCAL_PASSWORD,
  DEFAULT_LOCAL_USER,
  type LocalUserSettings,
} from "../issuer/localUser";
import { admittedUsers } from "../issuer/signInRule";
import { lineWriter, parseCliOptions, parsePort, runCli, UsageError } from "./args";
import { isRunning, statePaths } from "../state";
import { isLoopbackOrWildcard } from "../../facts/loopback";
import { localStateDir } from "./instanceChoice";
import { serveMemoryReadings } from "../diagnostics";

const USAGE = `Usage: npm start -- [--stack dev|prod] [--port N] [--issuer-port N] [--host H] [--issuer-host H]
                    [--issuer URL [--issuer-url URL] --audience ID[,ID…]] [--throttle] [--entry FILE]
                    [--user NAME] [--password SECRET] [--no-watch] [--no-typecheck] [--console-port N | --no-console]`;

const OPTIONS = {
  stack: {
    type: "string",
    default: "dev",
    value: "dev|prod",
    help: "the stack whose config runs (default dev)",
  },
  port: {
    type: "string",
    value: "N",
    help: "the API's port (default 3000, or PORT; 0 picks a free one)",
  },
  "issuer-port": {
    type: "string",
    value: "N",
    help: "the built-in issuer's port (default 4000, or ISSUER_PORT; 0 picks a free one)",
  },
  host: {
    type: "string",
    value: "H",
    help: "where the API and the console listen (default 127.0.0.1, or HOST)",
  },
  "issuer-host": {
    type: "string",
    value: "H",
    help: "where the issuer listens: loopback, or 0.0.0.0/:: (default 127.0.0.1, or ISSUER_HOST)",
  },
  issuer: {
    type: "string",
    value: "URL",
    help: "trust an external issuer (your Auth0 tenant) instead of the built-in one (default none)",
  },
  "issuer-url": {
    type: "string",
    value: "URL",
    help: "with --issuer: where that issuer is served, when not at its own URL (default none)",
  },
  audience: {
    type: "string",
    value: "ID[,ID…]",
    help: "with --issuer: the audiences its tokens carry (default none)",
  },
  throttle: {
    type: "boolean",
    default: false,
    help: "answer 429 past the stage's rate and burst limits (default off)",
  },
  entry: {
    type: "string",
    value: "FILE",
    help: "the program's entry file (default the project's main, index.ts)",
  },
  user: {
    type: "string",
    value: "NAME",
    help: "the default username, and an admitted user when sign-up is off (default local-user, or LOCAL_USER)",
  },
  password: {
    type: "string",
    value: "SECRET",
    help: "the local users' password (default local-password, or LOCAL_PASSWORD)",
  },
  "no-watch": {
    type: "boolean",
    default: false,
    help: "serve the program as it is: no hot reload, no type checking (default: watch)",
  },
  "no-typecheck": {
    type: "boolean",
    default: false,
    help: "no resident type checker, about 650 MB less (default: check after each save)",
  },
  "console-port": {
    type: "string",
    value: "N",
    help: "the console's port (default 3001, or CONSOLE_PORT; 0 picks a free one)",
  },
  "no-console": { type: "boolean", default: false, help: "no console (default: serve one)" },
} as const;

type Values = ReturnType<typeof parseCliOptions<typeof OPTIONS>>;

runCli(async () => {
  const values = parseCliOptions(OPTIONS, USAGE);
  const projectDir = resolve(__dirname, "../..");
  // The program's evaluation process loads the Pulumi SDKs while this one loads the environment.
  prepareEvaluator(projectDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocalEnvironment } = require("../environment") as typeof import("../environment");
  const log = lineWriter(process.stdout);
  const env = await startLocalEnvironment({ ...environmentOptions(values, projectDir), log });
  printBanner(env, values, log);
  // Function code shares this process's working directory (worker threads cannot have their
  // own): from here on it is the functions' folder, outside the project, so a relative path in a
  // handler finds what it would find on Lambda, not the project's files or its secrets. Every
  // path this process still uses is absolute.
  process.chdir(env.functionsDir);
  log("Ready");
  // For the load test only (a parent with --expose-gc and an IPC channel); nothing otherwise.
  serveMemoryReadings();
  stopWhenAsked(env);
});

/** The built-in issuer's users, from `--user`, `--password` and their variables. */
function environmentUser(values: Values): LocalUserSettings {
  const named = values.user ?? process.env.LOCAL_USER;
  return {
    username: named ?? DEFAULT_LOCAL_USER,
    password: values.password ?? process.env.LOCAL_PASSWORD ?? DEFAULT_LOCAL_PASSWORD,
    // A user asked for by name is admitted where the stack's sign-up is off.
    added: named !== undefined ? [named] : [],
  };
}

/** The command line and the environment variables, checked, as the environment's options. */
function environmentOptions(
  values: Values,
  projectDir: string,
): Omit<LocalEnvironmentOptions, "log"> {
  if (values["issuer-url"] !== undefined && values.issuer === undefined) {
    throw new UsageError("--issuer-url goes with --issuer (where that issuer is served)");
  }
  if (values.audience !== undefined && values.issuer === undefined) {
    throw new UsageError(
      "--audience goes with --issuer (the audiences an external issuer's tokens carry)",
    );
  }
  const issuerHost = values["issuer-host"] ?? process.env.ISSUER_HOST ?? "127.0.0.1";
  if (!isLoopbackOrWildcard(issuerHost)) {
    throw new UsageError(
      `--issuer-host '${issuerHost}': expected a loopback address, or 0.0.0.0 or :: for every interface (the issuer signs tokens for any username)`,
    );
  }
  if (values["no-console"] && values["console-port"] !== undefined) {
    throw new UsageError("--console-port and --no-console: choose one");
  }
  const host = values.host ?? process.env.HOST ?? "127.0.0.1";
  const audiences = values.audience
    ?.split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const options: Omit<LocalEnvironmentOptions, "log"> = {
    projectDir,
    stack: values.stack,
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
    host,
    issuerHost,
    port: parsePort("--port", values.port ?? process.env.PORT, 3000),
    issuerPort: parsePort("--issuer-port", values["issuer-port"] ?? process.env.ISSUER_PORT, 4000),
    ...(values.issuer !== undefined ? { externalIssuer: values.issuer } : {}),
    ...(values["issuer-url"] !== undefined ? { externalIssuerUrl: values["issuer-url"] } : {}),
    ...(audiences !== undefined ? { audiences } : {}),
    throttle: values.throttle,
    user: environmentUser(values),
    // --no-watch: the program as it is, no hot reload, and no spare evaluator kept warm for one.
    watch: !values["no-watch"],
    // Type errors said after each save, as `pulumi up` would refuse them (--no-typecheck: not).
    typecheck: !values["no-watch"] && !values["no-typecheck"],
    // The console: the API's host rule, its own port.
    ...(values["no-console"]
      ? {}
      : {
          console: {
            host,
            port: parsePort(
              "--console-port",
              values["console-port"] ?? process.env.CONSOLE_PORT,
              3001,
            ),
          },
        }),
    stateDir: localStateDir(),
  };
  assertDistinctPorts(options);
  return options;
}

/** Two of the environment's servers on one fixed port: said as the user's choice, not a clash. */
function assertDistinctPorts(options: Omit<LocalEnvironmentOptions, "log">): void {
  const ports: [string, number | undefined][] = [
    ["--port", options.port],
    ["--issuer-port", options.externalIssuer === undefined ? options.issuerPort : undefined],
    ["--console-port", options.console?.port],
  ];
  for (const [i, [name, port]] of ports.entries()) {
    const same = ports.slice(i + 1).find(([, other]) => port !== 0 && port === other);
    if (port !== undefined && same !== undefined) {
      throw new UsageError(
        `${same[0]} ${port} is the port of ${name}: give each its own, or 0 for a free one`,
      );
    }
  }
}

/** One fact per line: what runs where, and how to get a token. */
function printBanner(env: LocalEnvironment, values: Values, log: (line: string) => void): void {
  const loginUrl = env.model().outputs.loginUrl;
  log(`Stack: ${values.stack}`);
  log(`ApiEndpoint: ${env.apiEndpoint}`);
  if (env.consoleUrl !== undefined) log(`Console: ${env.consoleUrl}`);
  const port = new URL(env.apiEndpoint).port;
  for (const domain of env.model().customDomains) {
    log(
      `CustomDomain: https://${domain} once deployed; here: curl --resolve ${domain}:${port}:127.0.0.1 http://${domain}:${port}/`,
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
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.once("SIGHUP", stop);
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
