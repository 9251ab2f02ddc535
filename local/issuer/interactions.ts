import type { IncomingMessage, ServerResponse } from "node:http";
import type * as OidcProvider from "oidc-provider";
import type { LocalClient } from "../interpret/model";
import type { LocalUserSettings } from "./localIssuer";
import { isLoopbackUrl } from "../loopback";
import { DEFAULT_LOCAL_PASSWORD } from "./localUser";
import { consentPage, errorPage, loginPage } from "./pages";

type Provider = InstanceType<typeof OidcProvider.Provider>;
type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

/**
 * The built-in issuer's login and consent steps (oidc-provider "interactions"): a login form for
 * the local user, and a consent form on localhost callbacks, as Auth0 shows one there.
 */
export function interactionHandler(deps: {
  provider: Provider;
  errors: typeof OidcProvider.errors;
  clientsById: ReadonlyMap<string, LocalClient>;
  user: LocalUserSettings;
}) {
  const { provider, errors, clientsById, user } = deps;

  async function interaction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: string,
  ) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.SessionNotFound("interaction mismatch");
    const clientId = String(details.params.client_id);
    const client = clientsById.get(clientId);
    const applicationName = client?.name ?? clientId;
    const base = `/interaction/${details.uid}`;

    if (details.prompt.name === "login") {
      if (action === "login" && req.method === "POST") {
        const form = await readForm(req);
        const username = (form.get("username") ?? "").trim();
        if (username === "" || form.get("password") !== user.password) {
          return send(
            res,
            200,
            loginPage({
              action: `${base}/login`,
              applicationName,
              username,
              // Any username signs in: only the password can be wrong.
              error: "Wrong password.",
              hint: signInHint(user.password),
            }),
          );
        }
        return provider.interactionFinished(
          req,
          res,
          { login: { accountId: username } },
          { mergeWithLastSubmission: false },
        );
      }
      return send(
        res,
        200,
        loginPage({
          action: `${base}/login`,
          applicationName,
          username: user.username,
          hint: signInHint(user.password),
        }),
      );
    }

    if (details.prompt.name === "consent") {
      const redirectUri = String(details.params.redirect_uri ?? "");
      // Auth0 skips consent for first-party applications, except on localhost callbacks.
      const needsConsent = isLoopbackUrl(redirectUri);
      if (needsConsent && !(action === "confirm" && req.method === "POST")) {
        const missing = details.prompt.details as {
          missingOIDCScope?: string[];
          missingResourceScopes?: Record<string, string[]>;
        };
        return send(
          res,
          200,
          consentPage({
            action: `${base}/confirm`,
            applicationName,
            username: String(details.session?.accountId),
            profileScopes: missing.missingOIDCScope ?? [],
            // The API the access token is for (Auth0's `audience`), with any scopes asked of it.
            apiScopes: {
              ...(typeof details.params.resource === "string"
                ? { [details.params.resource]: [] }
                : {}),
              ...missing.missingResourceScopes,
            },
          }),
        );
      }
      if (needsConsent) {
        const form = await readForm(req);
        if (form.get("decision") !== "accept") {
          return provider.interactionFinished(
            req,
            res,
            { error: "access_denied", error_description: "User did not authorize the request" },
            { mergeWithLastSubmission: true },
          );
        }
      }
      const grantId = await grantFor(details);
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    }
    return send(res, 400, errorPage(`unexpected prompt ${details.prompt.name}`));
  }

  async function grantFor(details: Details): Promise<string> {
    const accountId = String(details.session?.accountId);
    const clientId = String(details.params.client_id);
    const grant =
      details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined;
    const target = grant ?? new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) target.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) target.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      target.addResourceScope(indicator, scopes.join(" "));
    }
    return target.save();
  }

  return interaction;
}

export function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline';",
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

/**
 * The local issuer's rule in one line: any username, which becomes the token's `sub`, and the
 * local password, shown only while it is the well-known default (one set by the user stays theirs).
 */
function signInHint(password: string): string {
  const which =
    password === DEFAULT_LOCAL_PASSWORD
      ? `the local password, ${DEFAULT_LOCAL_PASSWORD}`
      : "the password set with --password or LOCAL_PASSWORD";
  return `Local issuer: any username signs in and becomes the token's sub; use ${which}.`;
}
