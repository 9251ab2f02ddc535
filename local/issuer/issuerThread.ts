/**
 * The built-in issuer's own thread, started by `environment/builtInIssuer.ts`: it loads
 * oidc-provider, listens on the issuer's socket and rebuilds the issuer when the program's
 * applications or APIs change.
 *
 * Why a thread of its own: oidc-provider keeps each request's context in an AsyncLocalStorage,
 * and on Node 20 the first `run` turns promise hooks on for the whole thread, for good. On the
 * gateway's thread every promise of every request then paid for them: once the issuer had served
 * one request, forged-token requests ran 20% slower and `/public` 7% (docs/performance.md). Here
 * the hooks stay with the issuer, as Auth0 is a service of its own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parentPort } from "node:worker_threads";
import type { LocalClient, LocalResourceServer } from "../interpret/model";
import { close, listenOn, loopbackFor, urlHost } from "../server/listening";
import { isWildcardAddress } from "../../facts/loopback";
import { printable } from "../printable";
import { createLocalIssuer, loadOidcProvider, refuse } from "./localIssuer";
import type { LocalUserSettings } from "./localUser";
import type { IssuerSecrets } from "./signingKeys";

/** The applications and APIs the issuer knows: the program's. */
export interface IssuerParties {
  clients: LocalClient[];
  resourceServers: LocalResourceServer[];
}

export type IssuerThreadRequest =
  | ({
      kind: "start";
      issuer: string;
      secrets: IssuerSecrets;
      user: LocalUserSettings;
      host: string;
      port: number;
    } & IssuerParties)
  | ({ kind: "update" } & IssuerParties);

export type IssuerThreadReply =
  { kind: "listening"; url: string } | { kind: "failed"; message: string };

// The library loads as soon as the thread starts, while the program evaluates elsewhere.
loadOidcProvider();

const port = parentPort!;
let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
let rebuild: ((parties: IssuerParties) => void) | undefined;

port.on("message", (request: IssuerThreadRequest) => {
  if (request.kind === "update") rebuild?.(request);
  else void start(request).then((reply) => port.postMessage(reply));
});

/**
 * Hands a request to the issuer; whatever it throws is that request's 500, reported, never the
 * thread's end (an uncaught error here ended the issuer for good: every later sign-in failed).
 */
function serveSafely(req: IncomingMessage, res: ServerResponse): void {
  try {
    handle!(req, res);
  } catch (err) {
    console.error(printable(`the built-in issuer failed on a request: ${(err as Error).message}`));
    if (!res.headersSent) refuse(res, 500, "the issuer failed on this request");
    else res.destroy();
  }
}

async function start(
  request: Extract<IssuerThreadRequest, { kind: "start" }>,
): Promise<IssuerThreadReply> {
  // Known once the socket listens; the issuer's URLs are built on it.
  let servedUrl: string | undefined;
  rebuild = (parties) => {
    handle = createLocalIssuer({
      issuer: request.issuer,
      ...parties,
      secrets: request.secrets,
      user: request.user,
      servedUrl: () => servedUrl,
      anyHost: isWildcardAddress(request.host),
    }).handle;
  };
  rebuild(request);
  const server = createServer(serveSafely);
  try {
    const listening = await listenOn(server, request.port, request.host, "--issuer-port");
    servedUrl = `http://${urlHost(loopbackFor(request.host))}:${listening}`;
    return { kind: "listening", url: servedUrl };
  } catch (err) {
    await close(server);
    return { kind: "failed", message: (err as Error).message };
  }
}
