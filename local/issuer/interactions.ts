/**
 * The built-in issuer's interaction steps (oidc-provider "interactions"), one handler each, as
 * oidc-provider's own example (`example/routes/express.js`) has them:
 *
 *   GET  /interaction/:uid          show the step the provider asks for (login or consent)
 *   POST /interaction/:uid/login    check the password; the username becomes the account
 *   POST /interaction/:uid/confirm  grant what was asked
 *   POST /interaction/:uid/abort    the user declined: `access_denied` back to the application
 *
 * Consent is shown on localhost callbacks only, as Auth0 does for first-party applications.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type * as OidcProvider from "oidc-provider";
import type { LocalClient, LocalConnection } from "../interpret/model";
import { isLoopbackUrl } from "../../facts/loopback";
import { DEFAULT_LOCAL_PASSWORD, type LocalUserSettings } from "./localUser";
import { consentPage, errorPage, loginPage } from "./pages";
import { admits, admittedUsers, defaultUsername } from "./signInRule";

type Provider = InstanceType<typeof OidcProvider.Provider>;
type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

interface MissingGrant {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

export interface InteractionDeps {
  provider: Provider;
  errors: typeof OidcProvider.errors;
  clientsById: ReadonlyMap<string, LocalClient>;
  user: LocalUserSettings;
}

/** What one step needs: the request, its interaction, and how to finish it. */
interface Step {
  req: IncomingMessage;
  res: ServerResponse;
  details: Details;
  base: string;
  applicationName: string;
  /** The application's database connection, which decides who may sign in. */
  connection: LocalConnection | undefined;
  deps: InteractionDeps;
}

type StepHandler = (step: Step) => Promise<unknown>;

/** The POST handlers by step; a GET of any step shows the current page. */
const STEPS: Record<string, StepHandler | undefined> = { login, confirm, abort };

/** Matches `/interaction/<uid>[/<step>]`; undefined for any other path. */
export function interactionPath(pathname: string): { uid: string; step: string } | undefined {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(pathname);
  return match ? { uid: match[1]!, step: match[2] ?? "" } : undefined;
}

/** Runs the step a request asks for; a failure is an error page, never a crash. */
export function handleInteraction(
  deps: InteractionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: { uid: string; step: string },
): void {
  const run = async () => {
    const handler =
      req.method === "GET" ? show : req.method === "POST" ? STEPS[path.step] : undefined;
    if (handler === undefined) return send(res, 405, errorPage("method not allowed"));
    const details = await deps.provider.interactionDetails(req, res);
    if (details.uid !== path.uid) throw new deps.errors.SessionNotFound("interaction mismatch");
    const clientId = String(details.params.client_id);
    const client = deps.clientsById.get(clientId);
    return handler({
      req,
      res,
      details,
      base: `/interaction/${details.uid}`,
      applicationName: client?.name ?? clientId,
      connection: client?.connection,
      deps,
    });
  };
  run().catch((err: Error) => {
    if (!res.headersSent) send(res, 400, errorPage(err.message));
  });
}

/** The page for the step the provider asks for; consent needing no page is granted at once. */
async function show(step: Step): Promise<unknown> {
  const { details, res, base, applicationName, deps } = step;
  if (details.prompt.name === "login") {
    return send(res, 200, loginForm(step, defaultUsername(step.connection, deps.user) ?? ""));
  }
  if (details.prompt.name !== "consent") {
    return send(res, 400, errorPage(`unexpected prompt ${details.prompt.name}`));
  }
  if (!needsConsent(details)) return confirm(step);
  const missing = details.prompt.details as MissingGrant;
  return send(
    res,
    200,
    consentPage({
      action: `${base}/confirm`,
      abortAction: `${base}/abort`,
      applicationName,
      username: String(details.session?.accountId),
      profileScopes: missing.missingOIDCScope ?? [],
      // The API the access token is for (Auth0's `audience`), with any scopes asked of it.
      apiScopes: {
        ...(typeof details.params.resource === "string" ? { [details.params.resource]: [] } : {}),
        ...missing.missingResourceScopes,
      },
    }),
  );
}

/**
 * A username the application's connection admits (any, with sign-up on), with the local
 * password, signs in and becomes the account (the `sub`).
 */
async function login(step: Step): Promise<unknown> {
  const { req, res, details, deps } = step;
  if (details.prompt.name !== "login") return show(step);
  const form = await readForm(req);
  const username = (form.get("username") ?? "").trim();
  if (username === "" || form.get("password") !== deps.user.password) {
    return send(res, 200, loginForm(step, username, "Wrong password."));
  }
  const admission = admits(step.connection, deps.user, username);
  if (!admission.ok) return send(res, 200, loginForm(step, username, admission.message));
  return deps.provider.interactionFinished(
    req,
    res,
    { login: { accountId: username } },
    { mergeWithLastSubmission: false },
  );
}

/** Grants the scopes and claims the provider found missing. */
async function confirm(step: Step): Promise<unknown> {
  const { req, res, details, deps } = step;
  if (details.prompt.name !== "consent") return show(step);
  const grantId = await saveGrant(deps.provider, details);
  return deps.provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** The user declined: the application gets Auth0's `access_denied`. */
async function abort(step: Step): Promise<unknown> {
  return step.deps.provider.interactionFinished(
    step.req,
    step.res,
    { error: "access_denied", error_description: "User did not authorize the request" },
    { mergeWithLastSubmission: false },
  );
}

/** Auth0 skips consent for first-party applications, except on localhost callbacks. */
function needsConsent(details: Details): boolean {
  return isLoopbackUrl(String(details.params.redirect_uri ?? ""));
}

async function saveGrant(provider: Provider, details: Details): Promise<string> {
  const accountId = String(details.session?.accountId);
  const clientId = String(details.params.client_id);
  const grant =
    details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined;
  const target = grant ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as MissingGrant;
  if (missing.missingOIDCScope) target.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) target.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    target.addResourceScope(indicator, scopes.join(" "));
  }
  return target.save();
}

function loginForm(step: Step, username: string, error?: string): string {
  return loginPage({
    action: `${step.base}/login`,
    applicationName: step.applicationName,
    username,
    ...(error !== undefined ? { error } : {}),
    hint: signInHint(step.connection, step.deps.user),
  });
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
 * The local issuer's rule in one line: who signs in (any username, which becomes the token's
 * `sub`, unless the connection's sign-up is off) and the local password, shown only while it is
 * the well-known default (one set by the user stays theirs).
 */
function signInHint(connection: LocalConnection | undefined, user: LocalUserSettings): string {
  const which =
    user.password === DEFAULT_LOCAL_PASSWORD
      ? `the local password, ${DEFAULT_LOCAL_PASSWORD}`
      : "the password set with --password or LOCAL_PASSWORD";
  if (connection === undefined || connection.signUp) {
    return `Local issuer: any username signs in and becomes the token's sub; use ${which}.`;
  }
  const admitted = admittedUsers(connection, user);
  const names = new Intl.ListFormat("en", { type: "conjunction" }).format(admitted);
  const who =
    admitted.length === 0
      ? "no user signs in"
      : `only ${names} ${admitted.length === 1 ? "signs" : "sign"} in`;
  return `Local issuer: sign-up is off on ${connection.name}, so ${who}; use ${which}.`;
}
