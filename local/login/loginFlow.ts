/**
 * `npm run login`'s flow: the authorization URL for the user's browser, a listener on the
 * loopback callback URL until the browser comes back, a small page there, then the code exchange.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import { isLoopbackHost } from "../../facts/loopback";
import { escapeHtml, page } from "../issuer/pages";
import { beginAuthorization, type LoginResult, type LoginTarget } from "./authorization";
import { readCallback } from "./callback";

export type { LoginResult, LoginTarget } from "./authorization";

export async function login(
  target: LoginTarget,
  options: { onUrl: (url: string) => void; timeoutMs: number },
): Promise<LoginResult> {
  const authorization = await beginAuthorization(target);
  const redirect = await waitForRedirect(
    target.redirectUri,
    authorization.state,
    authorization.url,
    options,
  );
  return authorization.finish(redirect);
}

/** Listens on the callback URL's port (loopback) until the browser comes back. */
export function waitForRedirect(
  redirectUri: string,
  state: string,
  authorizationUrl: string,
  options: { onUrl: (url: string) => void; timeoutMs: number },
): Promise<URL> {
  const redirect = new URL(redirectUri);
  if (redirect.protocol !== "http:" || !isLoopbackHost(redirect.hostname)) {
    throw new Error(
      `the callback URL ${redirectUri} is not a loopback http URL this tool can listen on`,
    );
  }
  return new Promise<URL>((resolve, reject) => {
    let servers: Server[] = [];
    const finish = (err: Error | undefined, url?: URL) => {
      clearTimeout(timer);
      for (const s of servers) s.close();
      for (const s of servers) s.closeAllConnections();
      if (err) reject(err);
      else resolve(url!);
    };
    const seconds = Math.round(options.timeoutMs / 1000);
    const timer = setTimeout(
      () => finish(new Error(`no sign-in within ${seconds} s; run the command again`)),
      options.timeoutMs,
    );
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const outcome = readCallback(req.url, { redirectUri, state });
      if (outcome.kind === "ignore") return void res.writeHead(404).end();
      if (outcome.kind === "stray") {
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(outcome.message);
        return;
      }
      answerBrowser(res, outcome.kind === "response" ? undefined : outcome.message);
      if (outcome.kind === "response") finish(undefined, outcome.url);
      else finish(new Error(`Sign-in failed: ${outcome.message}`));
    };
    servers = listenOnLoopback(redirect, handler, () => options.onUrl(authorizationUrl), finish);
  });
}

/** The page the browser lands on: signed in, or why not. */
function answerBrowser(res: ServerResponse, failure: string | undefined): void {
  res.writeHead(failure === undefined ? 200 : 400, {
    "content-type": "text/html; charset=utf-8",
    connection: "close",
  });
  res.end(
    failure === undefined
      ? page(
          "Signed in",
          "<h1>Signed in</h1><p>You may close this tab and return to the terminal.</p>",
          false,
        )
      : page(
          "Sign-in failed",
          `<h1>Sign-in failed</h1><p class="error" role="alert">${escapeHtml(failure)}</p>`,
          false,
        ),
  );
}

/**
 * Listens on the callback URL's port: on both loopback addresses for "localhost", which may
 * resolve to either. `listening` runs once the first socket listens; a socket that cannot
 * listen ends the wait, except where this machine has no IPv6.
 */
function listenOnLoopback(
  redirect: URL,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  listening: () => void,
  fail: (err: Error) => void,
): Server[] {
  const port = Number(redirect.port || 80);
  const literal = redirect.hostname.replace(/^\[|\]$/g, "");
  // A name (`localhost`, `*.localhost`) may resolve to either loopback address.
  const hosts = isIP(literal) !== 0 ? [literal] : ["127.0.0.1", "::1"];
  let first = true;
  return hosts.map((host) => {
    const server = createServer(handler);
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRNOTAVAIL" || err.code === "EAFNOSUPPORT") return; // no IPv6 here
      fail(
        new Error(
          err.code === "EADDRINUSE"
            ? `port ${port} is in use: another sign-in may be waiting there`
            : err.message,
        ),
      );
    });
    server.listen(port, host, () => {
      if (first) listening();
      first = false;
    });
    return server;
  });
}
