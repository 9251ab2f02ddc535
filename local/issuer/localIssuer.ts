import type { IncomingMessage, ServerResponse } from "node:http";
import type * as OidcProvider from "oidc-provider";
import { AUTH0_PATHS } from "../../facts/auth0";
import type { LocalClient, LocalResourceServer } from "../interpret/model";
import { isDirectHost, originForm, parseRequestTarget, targetUrl } from "../server/requestTarget";
import { handleInteraction, interactionPath } from "./interactions";
import { providerConfiguration } from "./providerConfig";
import type { IssuerSecrets } from "./signingKeys";
import type { LocalUserSettings } from "./localUser";

export interface LocalIssuerOptions {
  /** `https://<domain>/`: every token's `iss`, exactly as the authorizer expects it. */
  issuer: string;
  clients: LocalClient[];
  resourceServers: LocalResourceServer[];
  secrets: IssuerSecrets;
  user: LocalUserSettings;
  /**
   * Where the issuer is served (`http://127.0.0.1:4000`), once it listens. The URLs it publishes
   * (discovery, redirects) are built on it, never on a request's Host header, which any client
   * (or a DNS-rebinding page) chooses.
   */
  servedUrl?: () => string | undefined;
  /**
   * Answer any Host header: the issuer listens on every interface (`--issuer-host 0.0.0.0`), so
   * other machines reach it by names of their own. Default false: `isDirectHost` only.
   */
  anyHost?: boolean;
}

type ProviderModule = typeof OidcProvider;

/** A request the issuer does not hand on: its status and why, in words. */
export function refuse(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: "invalid_request", error_description: message });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

/**
 * Two notices oidc-provider prints that do not apply here: "Unsupported runtime" (version 9 wants
 * Node 22; it runs and is tested here on 20.19+, as the README says) and the in-memory adapter
 * warning (sessions are meant to end with the process; tokens are signed JWTs and outlive it).
 */
const EXPECTED_NOTICES = ["Unsupported runtime", "in-memory adapter"];

function withoutExpectedNotices<T>(load: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!EXPECTED_NOTICES.some((notice) => String(args[0]).includes(notice))) warn(...args);
  };
  try {
    return load();
  } finally {
    console.warn = warn;
  }
}

/**
 * Loads oidc-provider 9 (ESM, through require on Node 20.19+): about half a second, which the
 * local environment spends while the program evaluates in its own process.
 */
export function loadOidcProvider(): ProviderModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return withoutExpectedNotices(() => require("oidc-provider") as ProviderModule);
}

/**
 * The built-in OpenID Connect issuer standing in for the Auth0 tenant, on oidc-provider. It knows
 * the applications and APIs the program declares: their client IDs, secrets, callback URLs and
 * grant types; access tokens for an API (`audience`, as Auth0 calls the resource) are RS256 JWTs.
 */
export function createLocalIssuer(options: LocalIssuerOptions) {
  const { Provider, errors } = loadOidcProvider();
  const provider = withoutExpectedNotices(
    () => new Provider(options.issuer, providerConfiguration(options, options.secrets, errors)),
  );
  const providerCallback = provider.callback();
  const deps = {
    provider,
    errors,
    clientsById: new Map(options.clients.map((c) => [c.clientId, c])),
    user: options.user,
  };

  /**
   * The issuer's HTTP handler: what the client sent is read first (its Host, its target), then
   * the interaction steps, then everything else to oidc-provider.
   */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    // A name a page's DNS resolves here (DNS rebinding) would let that page sign in as a user of
    // its choosing and read the answer: only loopback names and IP literals, unless opened.
    if (!options.anyHost && !isDirectHost(req.headers.host)) {
      return refuse(res, 403, "the issuer answers on an IP address or localhost only");
    }
    const target = parseRequestTarget(req.url);
    const url = target && targetUrl(target);
    if (target === undefined || url === undefined) {
      return refuse(res, 400, "the request target does not parse");
    }
    // oidc-provider reads origin-form only.
    req.url = originForm(target);
    const served = options.servedUrl?.();
    if (served !== undefined) req.headers.host = new URL(served).host;
    const interaction = interactionPath(url.pathname);
    if (interaction !== undefined) return handleInteraction(deps, req, res, interaction);
    // Auth0 names the API an access token is for `audience`; oidc-provider, like RFC 8707, `resource`.
    if (
      url.pathname === AUTH0_PATHS.authorization &&
      url.searchParams.has("audience") &&
      !url.searchParams.has("resource")
    ) {
      url.searchParams.set("resource", url.searchParams.get("audience")!);
      url.searchParams.delete("audience");
      req.url = `${url.pathname}?${url.searchParams.toString()}`;
    }
    void providerCallback(req, res);
  }

  return { provider, handle };
}
