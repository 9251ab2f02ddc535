/**
 * The console beside the API (`--console-port`): it reads what the environment serves and is
 * told of each request, each function line and each reload. Off (`--no-console`), none of this
 * exists and the request path carries no observer at all.
 */
import type { Server } from "node:http";
import { Activity } from "../console/activity";
import type { StackState } from "../console/consoleApi";
import { createConsoleServer, type ConsoleDeps } from "../console/consoleServer";
import type { EventStreams } from "../console/eventStream";
import type { IssuerMap } from "../authorizer/issuerMap";
import { stackView, type StackContext } from "../console/stackView";
import type { LocalUserSettings } from "../issuer/localUser";
import type { TableContents } from "../tables/localTables";
import type { Gateway } from "../gateway/gateway";
import { isWildcardAddress } from "../../facts/loopback";
import { close, listenOn, loopbackFor, urlHost } from "../server/listening";
import type { ServedRequest } from "../server/httpServer";
import type { RequestDetail } from "../server/servedRequest";
import type { FunctionLineListener } from "../lambda/executionEnvironment";
import type { EnvironmentRecord } from "../state";

export interface ConsoleOptions {
  /** Where the console listens: the API's host rule (loopback unless asked). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Tuning of the event streams (tests bound them lower). */
  streams?: ConsoleDeps["streams"];
}

export class ConsoleSide {
  readonly activity = new Activity();
  private state: StackState | undefined;
  private context: StackContext | undefined;
  private server: Server | undefined;
  private streams: EventStreams | undefined;
  url = "";

  constructor(
    private readonly options: ConsoleOptions,
    private readonly log: (line: string) => void,
  ) {}

  /** What the function fleet tells the console: each line, with its request. */
  readonly onLine: FunctionLineListener = (fn, requestId, record) =>
    this.activity.line(fn, requestId, record);

  /** What the API's server tells the console: each request once answered. */
  readonly observe = (served: ServedRequest, detail: () => RequestDetail): void =>
    this.activity.served(served, detail);

  /**
   * Listens, reading the environment through `live`. When it cannot, `undo` runs (the API's
   * socket, the issuer, the functions) before the error is thrown.
   */
  async start(
    live: {
      options: { clock?: () => number; issuerHost?: string; user: LocalUserSettings };
      apiEndpoint: string;
      issuer: string;
      issuerUrl?: string | undefined;
      issuerMap: IssuerMap;
      keysFor: ConsoleDeps["keysFor"];
      gateway: () => Gateway;
      /** The instance record: with the built-in issuer, what its sign-in needs. */
      record: () => EnvironmentRecord;
      /** The tables' first items, tokens masked. */
      tables: () => Promise<TableContents[]>;
    },
    undo: () => Promise<unknown>,
  ): Promise<void> {
    const { apiEndpoint, issuer, issuerUrl, gateway, issuerMap } = live;
    this.context = {
      apiEndpoint,
      issuer,
      reachable: (url: string) => issuerMap.toReachable(url),
      user: live.options.user,
      ...(issuerUrl !== undefined ? { issuerUrl } : {}),
    };
    this.state = { version: 1, view: stackView(gateway().model, this.context) };
    const created = createConsoleServer({
      activity: this.activity,
      apiEndpoint,
      keysFor: live.keysFor,
      stack: () => this.state!,
      served: () => gateway().model,
      gateway,
      apiReachable: reachable(apiEndpoint),
      clock: live.options.clock ?? Date.now,
      log: this.log,
      tables: live.tables,
      tokenSource: () => (issuerUrl !== undefined ? live.record() : undefined),
      // The issuer signs in on loopback unless --issuer-host opens it to every interface (a
      // wildcard address); tokens from the console follow it.
      tokensForRemoteClients: isWildcardAddress(live.options.issuerHost ?? "127.0.0.1"),
      ...(this.options.streams !== undefined ? { streams: this.options.streams } : {}),
    });
    [this.server, this.streams] = [created.server, created.streams];
    const { host, port: wanted } = this.options;
    const port = await listenOn(this.server, wanted, host, "--console-port").catch(
      async (err: unknown) => {
        this.streams?.close();
        await undo();
        throw err;
      },
    );
    this.url = `http://${urlHost(this.options.host)}:${port}`;
  }

  /** The program reloaded: the page shows the new version and forgets the last failure. */
  reloaded(gateway: Gateway): void {
    const version = (this.state?.version ?? 0) + 1;
    const typeErrors = this.state?.typeErrors;
    this.setState({
      version,
      view: stackView(gateway.model, this.context!),
      ...(typeErrors !== undefined ? { typeErrors } : {}),
    });
  }

  /** A reload failed: the page says why, and that the version before still serves. */
  reloadFailed(message: string): void {
    if (this.state === undefined) return;
    this.setState({ ...this.state, error: { message, at: Date.now() } });
  }

  /** The program changed: the last check's errors were the previous version's, and go. */
  programChanged(): void {
    if (this.state?.typeErrors !== undefined) this.typeChecked([]);
  }

  /** A type check ended: the page shows what `pulumi up` would refuse, or nothing. */
  readonly typeChecked = (errors: string[]): void => {
    if (this.state === undefined) return;
    const { typeErrors: _previous, ...state } = this.state;
    this.setState(errors.length > 0 ? { ...state, typeErrors: errors } : state);
  };

  async close(): Promise<void> {
    this.streams?.close();
    if (this.server?.listening) await close(this.server);
  }

  private setState(state: StackState): void {
    this.state = state;
    this.activity.publish({ kind: "stack", stack: state });
  }
}

/** An endpoint on a wildcard host, as this process reaches it. */
function reachable(endpoint: string): string {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return `${url.protocol}//${urlHost(loopbackFor(host))}:${url.port}`;
}
