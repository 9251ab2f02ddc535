import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { assertFetchable, type IssuerKeysOptions } from "./authorizer/issuerKeys";
import { trustedIssuers, warnIfUnreachable } from "./authorizer/trust";
import { keepSpareEvaluators } from "./evaluate/evaluateProgram";
import { readStackSettings } from "./evaluate/stackFiles";
import type { LocalModel } from "./interpret/model";
import { evaluateModel as evaluate, withIssuer } from "./programModel";
import { createLocalIssuer, loadOidcProvider, type LocalUserSettings } from "./issuer/localIssuer";
import { loadOrCreateIssuerSecrets } from "./issuer/signingKeys";
import { IssuerMap } from "./issuerMap";
import { FunctionHost } from "./lambda/functionHost";
import { functionsRoot, removeFunctionsRoot } from "./lambda/taskRoot";
import { removeInstanceRecord, writeInstanceRecord } from "./instances";
import { Gateway } from "./server/gateway";
import { createGatewayServer } from "./server/httpServer";
import { close, listenOn, loopbackFor, urlHost } from "./server/listening";
import { watchProgram } from "./watch";

export interface LocalEnvironmentOptions {
  projectDir: string;
  stack: string;
  /** The program's entry file, relative to the project. Default `index.ts`. */
  entry?: string;
  /** Where the HTTP API listens. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  issuerPort: number;
  /**
   * Where the built-in issuer listens; loopback unless asked (`--issuer-host`), whatever `host`
   * says: it signs tokens for any username. Default 127.0.0.1.
   */
  issuerHost?: string;
  /** Trust this issuer (a real Auth0 tenant) instead of starting the built-in one. */
  externalIssuer?: string;
  /**
   * Where the external issuer is really served, when that is not its issuer string (another
   * instance's built-in issuer: its tokens say `https://<domain>/`, it answers on loopback).
   */
  externalIssuerUrl?: string;
  /** Replace the program's audiences (with an external issuer: the real client ID). */
  audiences?: string[];
  throttle?: boolean;
  user: LocalUserSettings;
  /** Reload when the program or its handlers change. */
  watch?: boolean;
  log: (line: string) => void;
  clock?: () => number;
  /** Where keys, the function code and environment.json live. Default `<project>/.local`. */
  stateDir?: string;
  /** Tuning of the authorizer's key cache (tests shorten the cooldown). */
  keyOptions?: Partial<IssuerKeysOptions>;
}

/** What `.local/environment.json` records for the token and login tools. */
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
  clients: { clientId: string; clientSecret?: string; name: string; callbacks: string[] }[];
  apiIdentifiers: string[];
  user: LocalUserSettings;
}

export interface LocalEnvironment {
  apiEndpoint: string;
  issuer: string;
  issuerUrl?: string;
  model(): LocalModel;
  /** A URL under the issuer, rewritten to where the issuer is served (the issuer map). */
  reachable(url: string): string;
  /** Re-evaluates the program; keeps the running version when the new one fails. */
  reload(): Promise<boolean>;
  /**
   * A full garbage collection in every idle function environment; the heap each still uses, in
   * bytes. For memory readings: this process's own heap is collected by its caller.
   */
  collectFunctionGarbage(): Promise<number[]>;
  /** Where the functions' archives are written, outside the project (see `functionsRoot`). */
  functionsDir: string;
  close(): Promise<void>;
}

export async function startLocalEnvironment(
  options: LocalEnvironmentOptions,
): Promise<LocalEnvironment> {
  const projectDir = resolve(options.projectDir);
  const stateDir = resolve(options.stateDir ?? join(projectDir, ".local"));
  const settings = readStackSettings(projectDir, options.stack);
  const domain = settings.config["auth0:domain"];
  const builtInIssuer = domain !== undefined ? `https://${domain}/` : undefined;
  const issuer = options.externalIssuer ?? builtInIssuer;
  if (issuer === undefined)
    throw new Error(`stack '${options.stack}' sets no auth0:domain and no --issuer was given`);
  if (options.externalIssuer !== undefined) {
    const [option, url] =
      options.externalIssuerUrl !== undefined
        ? ["--issuer-url", options.externalIssuerUrl]
        : ["--issuer", options.externalIssuer];
    try {
      assertFetchable(url);
    } catch {
      throw new Error(
        `${option} ${url}: expected an https URL (plain http only for loopback hosts)`,
      );
    }
  }

  // A warmed-up spare evaluator makes the next evaluation (a hot reload) fast.
  keepSpareEvaluators(options.watch ?? false);
  const evaluation = evaluate(projectDir, options);
  // While the program evaluates in its own process, this one readies the built-in issuer: its
  // keys, and its library, which takes about half a second to load.
  const ready = Promise.all([
    evaluation,
    loadOrCreateIssuerSecrets(join(stateDir, "issuer-keys.json")),
  ]);
  if (options.externalIssuer === undefined) loadOidcProvider();
  const [evaluated, secrets] = await ready;
  let model = evaluated;
  for (const warning of model.warnings) options.log(`warning: ${warning}`);

  // The built-in issuer, unless an external one is trusted.
  let issuerServer: Server | undefined;
  let issuerUrl: string | undefined;
  let issuerHandler: ReturnType<typeof createLocalIssuer>["handle"] | undefined;
  const buildIssuer = (m: LocalModel) =>
    createLocalIssuer({
      issuer,
      clients: m.clients,
      resourceServers: m.resourceServers,
      secrets,
      user: options.user,
      servedUrl: () => issuerUrl,
    }).handle;
  if (options.externalIssuer === undefined) {
    issuerHandler = buildIssuer(model);
    issuerServer = createServer((req, res) => issuerHandler!(req, res));
    const issuerHost = options.issuerHost ?? "127.0.0.1";
    const issuerPort = await listenOn(
      issuerServer,
      options.issuerPort,
      issuerHost,
      "--issuer-port",
    );
    // The authorizer and the tools reach it on loopback, also when it listens on every interface.
    issuerUrl = `http://${urlHost(loopbackFor(issuerHost))}:${issuerPort}`;
  }
  const servedAt = issuerUrl ?? options.externalIssuerUrl;
  const issuerMap = new IssuerMap(servedAt !== undefined ? { [issuer]: servedAt } : {});

  const trustFor = trustedIssuers(issuerMap, {
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...options.keyOptions,
  });

  const functions = functionsRoot(stateDir);
  // An external issuer that cannot be reached is said at once, not on the first request.
  if (options.externalIssuer !== undefined) warnIfUnreachable(trustFor(issuer).keys, options.log);
  let hosts = new Map<string, FunctionHost>();
  const buildGateway = (m: LocalModel): Gateway => {
    const next = new Map<string, FunctionHost>();
    for (const fn of Object.values(m.functions)) {
      const old = hosts.get(fn.name);
      next.set(
        fn.name,
        old !== undefined && sameFunction(old.fn, fn)
          ? old
          : new FunctionHost(fn, {
              workDir: functions,
              region: settings.config["aws:region"] ?? "us-east-1",
              accountId: "123456789012",
              log: options.log,
            }),
      );
    }
    for (const [name, host] of hosts) if (next.get(name) !== host) void host.dispose();
    hosts = next;
    return new Gateway(withIssuer(m, options), {
      trustFor,
      functions: next,
      throttle: options.throttle ?? false,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
  };
  let gateway = buildGateway(model);
  const server = createGatewayServer({ current: () => gateway, log: options.log });
  let apiPort: number;
  try {
    apiPort = await listenOn(server, options.port, options.host, "--port");
  } catch (err) {
    // Nothing of a start that failed stays behind: the issuer's socket, the functions' folder.
    if (issuerServer !== undefined) await close(issuerServer);
    await Promise.all([...hosts.values()].map((h) => h.dispose()));
    removeFunctionsRoot(functions);
    throw err;
  }
  const apiEndpoint = `http://${urlHost(options.host)}:${apiPort}`;

  const startedAt = Date.now();
  let record: EnvironmentRecord | undefined;
  const writeRecord = (m: LocalModel) => {
    record = {
      pid: process.pid,
      startedAt,
      stack: options.stack,
      apiEndpoint,
      issuer,
      ...(issuerUrl !== undefined ? { issuerUrl } : {}),
      issuerMap: issuerMap.toJSON(),
      audiences: Object.values(withIssuer(m, options).api.authorizers).flatMap((a) => a.audiences),
      clients: m.clients.map((c) => ({
        clientId: c.clientId,
        ...(c.clientSecret !== undefined ? { clientSecret: c.clientSecret } : {}),
        name: c.name,
        callbacks: c.callbacks,
      })),
      apiIdentifiers: m.resourceServers.map((rs) => rs.identifier),
      user: options.user,
    };
    writeInstanceRecord(stateDir, record);
  };
  writeRecord(model);

  const reload = async (): Promise<boolean> => {
    let next: LocalModel;
    try {
      next = await evaluate(projectDir, options);
    } catch (err) {
      options.log(`reload failed, still serving the last good version:\n${(err as Error).message}`);
      return false;
    }
    if (
      issuerHandler !== undefined &&
      JSON.stringify([next.clients, next.resourceServers]) !==
        JSON.stringify([model.clients, model.resourceServers])
    ) {
      issuerHandler = buildIssuer(next);
    }
    model = next;
    gateway = buildGateway(next);
    writeRecord(next);
    for (const warning of next.warnings) options.log(`warning: ${warning}`);
    options.log("reloaded");
    return true;
  };
  // Reloads are serialized; a change during a reload triggers one more.
  let reloading: Promise<unknown> | undefined;
  let again = false;
  const onChange = () => {
    if (reloading !== undefined) {
      again = true;
      return;
    }
    reloading = reload().finally(() => {
      reloading = undefined;
      if (again) {
        again = false;
        onChange();
      }
    });
  };
  const watcher = options.watch ? watchProgram(projectDir, onChange) : undefined;

  return {
    apiEndpoint,
    issuer,
    ...(issuerUrl !== undefined ? { issuerUrl } : {}),
    model: () => model,
    reachable: (url) => issuerMap.toReachable(url),
    reload,
    collectFunctionGarbage: async () =>
      (await Promise.all([...hosts.values()].map((h) => h.collectGarbage()))).flat(),
    functionsDir: functions,
    close: async () => {
      watcher?.close();
      keepSpareEvaluators(false);
      await Promise.all([
        close(server),
        issuerServer !== undefined ? close(issuerServer) : undefined,
      ]);
      await Promise.all([...hosts.values()].map((h) => h.dispose()));
      removeFunctionsRoot(functions);
      if (record !== undefined) removeInstanceRecord(stateDir, record);
    },
  };
}

function sameFunction(a: FunctionHost["fn"], b: FunctionHost["fn"]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
