/**
 * The local environment: the program evaluated and interpreted into a model, served by an
 * emulated HTTP API whose JWT authorizer trusts the built-in issuer (or an external one), with
 * hot reload. `startLocalEnvironment` composes the pieces; each lives in its own module.
 */
import { join, resolve } from "node:path";
import type { IssuerKeysOptions } from "../authorizer/issuerKeys";
import { trustedIssuers, warnIfUnreachable } from "../authorizer/trust";
import { keepSpareEvaluators } from "../evaluate/evaluateProgram";
import { readStackSettings } from "../evaluate/stackFiles";
import { Gateway } from "../gateway/gateway";
import type { LocalModel } from "../interpret/model";
import { loadOidcProvider } from "../issuer/localIssuer";
import type { LocalUserSettings } from "../issuer/localUser";
import { loadOrCreateIssuerSecrets } from "../issuer/signingKeys";
import { createGatewayServer } from "../server/httpServer";
import { close, listenOn, urlHost } from "../server/listening";
import {
  removeInstanceRecord,
  statePaths,
  writeInstanceRecord,
  type EnvironmentRecord,
} from "../state";
import { watchProgram } from "../watch";
import { startBuiltInIssuer, type BuiltInIssuer } from "./builtInIssuer";
import { FunctionFleet } from "./functionFleet";
import { chooseIssuer } from "./issuerChoice";
import { IssuerMap } from "../authorizer/issuerMap";
import { evaluateModel, withIssuer } from "./programModel";
import { serialized } from "./reloads";

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

export interface LocalEnvironment {
  apiEndpoint: string;
  issuer: string;
  issuerUrl?: string;
  model(): LocalModel;
  /** A URL under the issuer, rewritten to where the issuer is served (the issuer map). */
  reachable(url: string): string;
  /** Re-evaluates the program; keeps the running version when the new one fails. */
  reload(): Promise<boolean>;
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
  const choice = chooseIssuer({ ...options, domain: settings.config["auth0:domain"] });
  const { issuer } = choice;

  // A warmed-up spare evaluator makes the next evaluation (a hot reload) fast. While the program
  // evaluates in its own process, this one readies the built-in issuer: its keys, and its
  // library, which takes about half a second to load.
  keepSpareEvaluators(options.watch ?? false);
  const evaluation = evaluateModel(projectDir, options);
  if (choice.builtIn) loadOidcProvider();
  const [first, secrets] = await Promise.all([
    evaluation,
    loadOrCreateIssuerSecrets(statePaths(stateDir).issuerKeys),
  ]);
  let model = first;
  for (const warning of model.warnings) options.log(`warning: ${warning}`);

  const builtIn: BuiltInIssuer | undefined = choice.builtIn
    ? await startBuiltInIssuer({
        issuer,
        model,
        secrets,
        user: options.user,
        host: options.issuerHost ?? "127.0.0.1",
        port: options.issuerPort,
      })
    : undefined;
  const servedAt = builtIn?.url ?? choice.servedAt;
  const issuerMap = new IssuerMap(servedAt !== undefined ? { [issuer]: servedAt } : {});
  const trustFor = trustedIssuers(issuerMap, {
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...options.keyOptions,
  });
  // An external issuer that cannot be reached is said at once, not on the first request.
  if (!choice.builtIn) warnIfUnreachable(trustFor(issuer).keys, options.log);

  const fleet = new FunctionFleet(stateDir, {
    region: settings.config["aws:region"] ?? "us-east-1",
    log: options.log,
  });
  const gatewayFor = (m: LocalModel) =>
    new Gateway(withIssuer(m, options), {
      trustFor,
      functions: fleet.reconcile(m),
      throttle: options.throttle ?? false,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
  let gateway = gatewayFor(model);
  const server = createGatewayServer({ current: () => gateway, log: options.log });
  let apiPort: number;
  try {
    apiPort = await listenOn(server, options.port, options.host, "--port");
  } catch (err) {
    // Nothing of a start that failed stays behind: the issuer's socket, the functions' folder.
    await Promise.all([builtIn?.close(), fleet.dispose()]);
    throw err;
  }
  const apiEndpoint = `http://${urlHost(options.host)}:${apiPort}`;

  const startedAt = Date.now();
  const recordFor = (m: LocalModel): EnvironmentRecord =>
    instanceRecord(m, {
      options,
      startedAt,
      apiEndpoint,
      issuer,
      issuerMap,
      issuerUrl: builtIn?.url,
    });
  let record = recordFor(model);
  writeInstanceRecord(stateDir, record);

  const reload = async (): Promise<boolean> => {
    let next: LocalModel;
    try {
      next = await evaluateModel(projectDir, options);
    } catch (err) {
      options.log(`reload failed, still serving the last good version:\n${(err as Error).message}`);
      return false;
    }
    builtIn?.update(next);
    model = next;
    gateway = gatewayFor(next);
    record = recordFor(next);
    writeInstanceRecord(stateDir, record);
    for (const warning of next.warnings) options.log(`warning: ${warning}`);
    options.log("reloaded");
    return true;
  };
  const watcher = options.watch ? watchProgram(projectDir, serialized(reload)) : undefined;

  return {
    apiEndpoint,
    issuer,
    ...(builtIn !== undefined ? { issuerUrl: builtIn.url } : {}),
    model: () => model,
    reachable: (url) => issuerMap.toReachable(url),
    reload,
    functionsDir: fleet.root,
    close: async () => {
      watcher?.close();
      keepSpareEvaluators(false);
      await Promise.all([close(server), builtIn?.close()]);
      await fleet.dispose();
      removeInstanceRecord(stateDir, record);
    },
  };
}

/** What the instance's record says of it, for the token and login tools. */
function instanceRecord(
  model: LocalModel,
  at: {
    options: LocalEnvironmentOptions;
    startedAt: number;
    apiEndpoint: string;
    issuer: string;
    issuerMap: IssuerMap;
    issuerUrl: string | undefined;
  },
): EnvironmentRecord {
  const { options } = at;
  return {
    pid: process.pid,
    startedAt: at.startedAt,
    stack: options.stack,
    apiEndpoint: at.apiEndpoint,
    issuer: at.issuer,
    ...(at.issuerUrl !== undefined ? { issuerUrl: at.issuerUrl } : {}),
    issuerMap: at.issuerMap.toJSON(),
    audiences: Object.values(withIssuer(model, options).api.authorizers).flatMap(
      (a) => a.audiences,
    ),
    clients: model.clients.map((c) => ({
      clientId: c.clientId,
      ...(c.clientSecret !== undefined ? { clientSecret: c.clientSecret } : {}),
      name: c.name,
      callbacks: c.callbacks,
    })),
    apiIdentifiers: model.resourceServers.map((rs) => rs.identifier),
    user: options.user,
  };
}
