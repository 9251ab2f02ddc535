/**
 * The local environment: the program evaluated and interpreted into a model, served by an
 * emulated HTTP API whose JWT authorizer trusts the built-in issuer (or an external one), with
 * hot reload. `startLocalEnvironment` composes the pieces; each lives in its own module.
 */
import { resolve } from "node:path";
import { trustedIssuers, warnIfUnreachable } from "../authorizer/trust";
import { readStackSettings } from "../evaluate/stackFiles";
import { Gateway, type GatewayDeps } from "../gateway/gateway";
import type { LocalModel } from "../interpret/model";
import { loadOrCreateIssuerSecrets, type IssuerSecrets } from "../issuer/signingKeys";
import { createGatewayServer } from "../server/httpServer";
import {
  stateFolder,
  removeInstanceRecord,
  statePaths,
  writeInstanceRecord,
  type EnvironmentRecord,
} from "../state";
import { prepareBuiltInIssuer, type BuiltInIssuer, type PreparedIssuer } from "./builtInIssuer";
import { FunctionFleet } from "./functionFleet";
import { programSource, type ProgramSource } from "./lastEvaluation";
import { chooseIssuer, type IssuerChoice } from "./issuerChoice";
import { IssuerMap } from "../authorizer/issuerMap";
import { withIssuer } from "./programModel";
import { LocalTables, withTables } from "../tables/localTables";
import { reloadLog } from "./reloads";
import { follow, listenApi, stop } from "./lifecycle";
import { ConsoleSide } from "./consoleSide";
import type { LocalEnvironment, LocalEnvironmentOptions } from "./options";

export type { LocalEnvironment, LocalEnvironmentOptions } from "./options";

export async function startLocalEnvironment(
  options: LocalEnvironmentOptions,
): Promise<LocalEnvironment> {
  const projectDir = resolve(options.projectDir);
  const stateDir = stateFolder(projectDir, options.stateDir);
  const settings = readStackSettings(projectDir, options.stack);
  const choice = chooseIssuer({ ...options, domain: settings.config["auth0:domain"] });
  const program = options.program ?? programSource(projectDir, options, false);
  const first = await firstEvaluation(program, stateDir, choice, options);

  const { builtIn, issuerMap, keysFor } = await startIssuerSide(choice, first, options);

  const consoleSide = options.console && new ConsoleSide(options.console, options.log);
  const { fleet, tables } = functionsSide(stateDir, settings, options, consoleSide);
  let served: ServedVersion;
  const server = createGatewayServer({
    current: () => served.gateway,
    log: options.log,
    ...(consoleSide !== undefined ? { observe: consoleSide.observe } : {}),
  });
  // Nothing of a start that failed stays behind: the sockets, the functions' folder, the tables.
  const undo = () => stop([program], [server, builtIn, undefined], [fleet, tables]);
  const apiEndpoint = await listenApi(server, options, undo, () =>
    tables.serve(first.model.tables),
  );

  const issuerAt = { issuer: choice.issuer, issuerMap, issuerUrl: builtIn?.url };
  const at = { options, startedAt: Date.now(), apiEndpoint, ...issuerAt };
  const versionOf = servedVersions(at, keysFor, fleet, () => tables.endpoint);
  served = versionOf(first.model);
  const live = liveView(at, keysFor, () => served, tables);
  await consoleSide?.start(live, undo);
  writeInstanceRecord(stateDir, served.record);

  let closing = false;
  const logReloaded = reloadLog(served.model, options.log);
  const { reload, followers } = follow(program, options, consoleSide, async (next) => {
    await tables.serve(next.tables);
    // A reload that ends after the stop began serves nothing: its record would outlive the stop.
    if (closing) return;
    builtIn?.update(next);
    served = versionOf(next);
    writeInstanceRecord(stateDir, served.record);
    consoleSide?.reloaded(served.gateway);
    logReloaded(served.model);
  });

  return {
    apiEndpoint,
    issuer: choice.issuer,
    ...(builtIn !== undefined ? { issuerUrl: builtIn.url } : {}),
    model: () => served.model,
    reachable: (url) => issuerMap.toReachable(url),
    reload,
    functionsDir: fleet.root,
    ...(consoleSide !== undefined ? { consoleUrl: consoleSide.url } : {}),
    close: async () => {
      closing = true;
      await stop([...followers, program], [server, builtIn, consoleSide], [fleet, tables]);
      removeInstanceRecord(stateDir, served.record);
    },
  };
}

/**
 * What the environment serves, swapped whole on a reload: the program's model as served (with
 * `--issuer`, its authorizers trust that issuer), the gateway over it, and the record that says
 * so in the state folder.
 */
interface ServedVersion {
  model: LocalModel;
  gateway: Gateway;
  record: EnvironmentRecord;
}

/** The console's view of what is served now: the gateway, its record, the tables' items. */
function liveView<At extends object>(
  at: At,
  keysFor: GatewayDeps["keysFor"],
  now: () => ServedVersion,
  tables: LocalTables,
) {
  return {
    ...at,
    keysFor,
    gateway: () => now().gateway,
    record: () => now().record,
    tables: () => tables.contents(now().model.tables),
  };
}

/** The one way a program's model becomes what is served. */
function servedVersions(
  at: Parameters<typeof instanceRecord>[1],
  keysFor: GatewayDeps["keysFor"],
  fleet: FunctionFleet,
  tablesEndpoint: () => string | undefined,
): (program: LocalModel) => ServedVersion {
  const { options } = at;
  return (program) => {
    const model = withTables(withIssuer(program, options), tablesEndpoint());
    const gateway = new Gateway(model, {
      keysFor,
      functions: fleet.reconcile(model),
      throttle: options.throttle ?? false,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
    return { model, gateway, record: instanceRecord(model, at) };
  };
}

/**
 * What functions run on: their pools, with a debugger on them when asked (`--inspect`), and the
 * program's tables, on a local engine.
 */
function functionsSide(
  stateDir: string,
  settings: { config: Record<string, string> },
  options: LocalEnvironmentOptions,
  consoleSide: ConsoleSide | undefined,
): { fleet: FunctionFleet; tables: LocalTables } {
  const region = settings.config["aws:region"] ?? "us-east-1";
  const tables = new LocalTables({
    stateDir,
    stack: options.stack,
    region,
    reset: options.resetData ?? false,
    log: options.log,
  });
  return { fleet: functionFleet(stateDir, region, options, consoleSide), tables };
}

function functionFleet(
  stateDir: string,
  region: string,
  options: LocalEnvironmentOptions,
  consoleSide: ConsoleSide | undefined,
): FunctionFleet {
  return new FunctionFleet(stateDir, {
    region,
    log: options.log,
    ...(consoleSide !== undefined ? { onLine: consoleSide.onLine } : {}),
    projectDir: resolve(options.projectDir),
    ...(options.inspect !== undefined ? { inspect: options.inspect } : {}),
  });
}

interface FirstEvaluation {
  model: LocalModel;
  secrets: IssuerSecrets;
  /** The built-in issuer's thread, loading its library. */
  prepared?: PreparedIssuer;
}

/**
 * The program's first evaluation, and the built-in issuer's keys. A warmed-up spare evaluator
 * makes the next evaluation (a hot reload) fast. While the program evaluates in its own process,
 * this one readies the built-in issuer: its keys, and its thread, which loads its library (about
 * half a second).
 */
async function firstEvaluation(
  program: ProgramSource,
  stateDir: string,
  choice: IssuerChoice,
  options: LocalEnvironmentOptions,
): Promise<FirstEvaluation> {
  const evaluation =
    program.kept !== undefined ? Promise.resolve(program.kept) : program.evaluate();
  if (!choice.builtIn) void options.issuerThread?.discard();
  const prepared = choice.builtIn
    ? (options.issuerThread ?? prepareBuiltInIssuer(options.log))
    : undefined;
  try {
    const [model, secrets] = await Promise.all([
      evaluation,
      loadOrCreateIssuerSecrets(statePaths(stateDir).issuerKeys),
    ]);
    for (const warning of model.warnings) options.log(`warning: ${warning}`);
    return { model, secrets, ...(prepared !== undefined ? { prepared } : {}) };
  } catch (err) {
    program.close();
    await prepared?.discard();
    throw err;
  }
}

/**
 * The issuer side: the built-in issuer (unless an external one is trusted), where the issuer is
 * served, and the keys the authorizer checks its tokens with.
 */
async function startIssuerSide(
  choice: IssuerChoice,
  { model, secrets, prepared }: FirstEvaluation,
  options: LocalEnvironmentOptions,
) {
  const { issuer } = choice;
  const builtIn: BuiltInIssuer | undefined = prepared
    ? await prepared.start({
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
  const clock = options.clock !== undefined ? { clock: options.clock } : {};
  const keysFor = trustedIssuers(issuerMap, { ...clock, ...options.keyOptions });
  // An external issuer that cannot be reached is said at once, not on the first request.
  if (!choice.builtIn) warnIfUnreachable(keysFor(issuer), options.log);
  return { builtIn, issuerMap, keysFor };
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
    audiences: Object.values(model.api.authorizers).flatMap((a) => a.audiences),
    clients: model.clients.map((c) => ({
      clientId: c.clientId,
      ...(c.clientSecret !== undefined ? { clientSecret: c.clientSecret } : {}),
      name: c.name,
      callbacks: c.callbacks,
      ...(c.connection !== undefined ? { connection: c.connection } : {}),
    })),
    apiIdentifiers: model.resourceServers.map((rs) => rs.identifier),
    user: options.user,
    corsAllowOrigins: model.api.cors?.allowOrigins ?? [],
  };
}
