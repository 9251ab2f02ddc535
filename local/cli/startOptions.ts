/**
 * `npm start`'s options: the table parseArgs reads and `--help` prints, and the pure check that
 * turns them (and their environment variables) into the environment's options, or a usage error,
 * before any process is started.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { LocalEnvironmentOptions } from "../environment";
import {
  DEFAULT_LOCAL_PASSWORD,
  DEFAULT_LOCAL_USER,
  type LocalUserSettings,
} from "../issuer/localUser";
import { isLoopbackHost, isLoopbackOrWildcard } from "../../facts/loopback";
import { parseCliOptions, parsePort, UsageError } from "./args";
import { localStateDir } from "./instanceChoice";

export const USAGE = `Usage: npm start -- [--stack NAME] [--port N] [--issuer-port N] [--host H] [--issuer-host H] [--console-host H]
                    [--issuer URL [--issuer-url URL] --audience ID[,ID…]] [--throttle] [--entry FILE]
                    [--user NAME] [--password SECRET] [--reset-data] [--no-watch] [--no-typecheck]
                    [--console-port N | --no-console] [--inspect[=[HOST:]PORT]]`;

export const OPTIONS = {
  stack: {
    type: "string",
    default: "dev",
    value: "NAME",
    help: "the stack whose config runs, any Pulumi.<NAME>.yaml (default dev)",
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
    help: "where the API listens (default 127.0.0.1, or HOST)",
  },
  "console-host": {
    type: "string",
    value: "H",
    help: "where the console listens: loopback, or 0.0.0.0/:: (default 127.0.0.1, or CONSOLE_HOST)",
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
  "reset-data": {
    type: "boolean",
    default: false,
    help: "start the program's tables empty (default: keep their data, under .local/)",
  },
  "no-typecheck": {
    type: "boolean",
    default: false,
    help: "no type checker, about 390 MB less while editing (default: check after each save)",
  },
  "console-port": {
    type: "string",
    value: "N",
    help: "the console's port (default 3001, or CONSOLE_PORT; 0 picks a free one)",
  },
  "no-console": { type: "boolean", default: false, help: "no console (default: serve one)" },
  inspect: {
    type: "string",
    value: "[HOST:]PORT",
    bare: "127.0.0.1:9229",
    help: "a debugger for the functions, on loopback; their timeouts are off (default none; bare: 127.0.0.1:9229)",
  },
} as const;

export type Values = ReturnType<typeof parseCliOptions<typeof OPTIONS>>;

/** The built-in issuer's users, from `--user`, `--password` and their variables. */
export function environmentUser(values: Values): LocalUserSettings {
  const named = values.user ?? process.env.LOCAL_USER;
  return {
    username: named ?? DEFAULT_LOCAL_USER,
    password: values.password ?? process.env.LOCAL_PASSWORD ?? DEFAULT_LOCAL_PASSWORD,
    // A user asked for by name is admitted where the stack's sign-up is off.
    added: named !== undefined ? [named] : [],
  };
}

/** The command line and the environment variables, checked, as the environment's options. */
export function environmentOptions(
  values: Values,
  projectDir: string,
): Omit<LocalEnvironmentOptions, "log"> {
  assertStackExists(projectDir, values.stack);
  if (values["issuer-url"] !== undefined && values.issuer === undefined) {
    throw new UsageError("--issuer-url goes with --issuer (where that issuer is served)");
  }
  if (values.audience !== undefined && values.issuer === undefined) {
    throw new UsageError(
      "--audience goes with --issuer (the audiences an external issuer's tokens carry)",
    );
  }
  const { host, issuerHost, consoleHost } = hostsOf(values);
  if (values["no-console"] && values["console-port"] !== undefined) {
    throw new UsageError("--console-port and --no-console: choose one");
  }
  if (values["no-console"] && values["console-host"] !== undefined) {
    throw new UsageError("--console-host and --no-console: choose one");
  }
  const audiences = listOf(values.audience);
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
    resetData: values["reset-data"],
    user: environmentUser(values),
    // --no-watch: the program as it is, no hot reload, and no spare evaluator kept warm for one.
    watch: !values["no-watch"],
    // Type errors said after each save, as `pulumi up` would refuse them (--no-typecheck: not).
    typecheck: !values["no-watch"] && !values["no-typecheck"],
    // The console: on loopback unless --console-host says otherwise, its own port.
    ...(values["no-console"]
      ? {}
      : {
          console: {
            host: consoleHost,
            port: parsePort(
              "--console-port",
              values["console-port"] ?? process.env.CONSOLE_PORT,
              3001,
            ),
          },
        }),
    stateDir: localStateDir(),
    ...(values.inspect !== undefined ? { inspect: inspectAddress(values.inspect) } : {}),
  };
  assertDistinctPorts(options);
  return options;
}

/**
 * Where each server listens. The API: anywhere asked. The issuer (it signs tokens for any
 * username) and the console (it shows requests and calls routes as anyone): this machine only,
 * whatever --host is, unless --issuer-host or --console-host opens them to every interface
 * (startRun says so at start).
 */
function hostsOf(values: Values): { host: string; issuerHost: string; consoleHost: string } {
  const issuerHost = values["issuer-host"] ?? process.env.ISSUER_HOST ?? "127.0.0.1";
  if (!isLoopbackOrWildcard(issuerHost)) {
    throw new UsageError(
      `--issuer-host '${issuerHost}': expected a loopback address, or 0.0.0.0 or :: for every interface (the issuer signs tokens for any username)`,
    );
  }
  const consoleHost = values["console-host"] ?? process.env.CONSOLE_HOST ?? "127.0.0.1";
  if (!isLoopbackOrWildcard(consoleHost)) {
    throw new UsageError(
      `--console-host '${consoleHost}': expected a loopback address, or 0.0.0.0 or :: for every interface (the console shows requests and calls routes)`,
    );
  }
  return { host: values.host ?? process.env.HOST ?? "127.0.0.1", issuerHost, consoleHost };
}

/** Two of the environment's servers on one fixed port: said as the user's choice, not a clash. */
function assertDistinctPorts(options: Omit<LocalEnvironmentOptions, "log">): void {
  const ports: [string, number | undefined][] = [
    ["--port", options.port],
    ["--issuer-port", options.externalIssuer === undefined ? options.issuerPort : undefined],
    ["--console-port", options.console?.port],
    ["--inspect", options.inspect?.port],
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

/** `a, b,,c` as `["a", "b", "c"]`; undefined stays undefined. */
function listOf(value: string | undefined): string[] | undefined {
  return value
    ?.split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
}

/**
 * `--inspect=[HOST:]PORT`, as node's own flag reads it. Loopback only: a debugger runs whatever
 * code it is sent, so one reachable from the network would run anyone's (forward its port over
 * SSH to debug from another machine).
 */
export function inspectAddress(value: string): { host: string; port: number } {
  const split = /^(?:(.*):)?([^:\]]*)$/.exec(value);
  const host = split?.[1] ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    throw new UsageError(
      `--inspect '${value}': the debugger listens on loopback only (it runs any code it is sent); forward its port over SSH to reach it from elsewhere`,
    );
  }
  const port = parsePort("--inspect", split?.[2] ?? value, 9229);
  return { host: host.replace(/^\[(.*)\]$/, "$1"), port };
}

/** A stack is one of the project's `Pulumi.<stack>.yaml` files: said before anything starts. */
function assertStackExists(projectDir: string, stack: string): void {
  if (existsSync(join(projectDir, `Pulumi.${stack}.yaml`))) return;
  const stacks = readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s) => s !== undefined);
  throw new UsageError(
    `--stack '${stack}': no stack file Pulumi.${stack}.yaml in this project (its stacks: ${stacks.join(", ")})`,
  );
}
