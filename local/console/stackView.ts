/**
 * The stack as the console shows it, read off the model the environment serves (never a second
 * copy of the program): routes with their function and integration, the authorizers, the Auth0
 * side and the outputs. Secrets stay out: no client secret, no secret output's value.
 */
import { parseRouteKey } from "../../facts/routeKeys";
import type { LocalModel, LocalRoute } from "../interpret/model";
import { keySchemaText } from "../interpret/tables";
import { admittedUsers, defaultUsername } from "../issuer/signInRule";
import type { LocalUserSettings } from "../issuer/localUser";
import type { RouteView, StackView } from "./consoleApi";

export interface StackContext {
  apiEndpoint: string;
  issuer: string;
  /** Where the built-in issuer is served; none with an external issuer. */
  issuerUrl?: string;
  /** An issuer's URL as it is reached here (the built-in issuer's own address). */
  reachable?: (url: string) => string;
  /** The built-in issuer's user settings (`--user`, `--password`), when it runs. */
  user?: LocalUserSettings;
}

/** `model` is the one the gateway serves (audiences replaced with `--audience`, if given). */
export function stackView(model: LocalModel, context: StackContext): StackView {
  const secrets = new Set(model.clients.flatMap((c) => (c.clientSecret ? [c.clientSecret] : [])));
  return {
    project: model.project,
    stack: model.stack,
    apiEndpoint: context.apiEndpoint,
    issuer: {
      issuer: context.issuer,
      builtIn: context.issuerUrl !== undefined,
      ...(context.issuerUrl !== undefined ? { servedAt: context.issuerUrl } : {}),
    },
    routes: model.api.routes.map((route) => routeView(model, route)),
    authorizers: Object.values(model.api.authorizers).map((a) => ({
      name: a.name,
      issuer: a.issuer,
      audiences: a.audiences,
      identitySource: a.identitySource,
    })),
    applications: model.clients.map((c) => ({
      name: c.name,
      clientId: c.clientId,
      appType: c.appType,
      callbacks: c.callbacks,
      ...(c.connection !== undefined ? { connection: c.connection } : {}),
    })),
    apis: model.resourceServers.map((rs) => ({
      name: rs.name,
      identifier: rs.identifier,
      scopes: rs.scopes,
    })),
    alarms: model.alarms,
    customDomains: model.customDomains,
    probePath: probePath(model.api.routes),
    ...(context.issuerUrl !== undefined && context.user !== undefined
      ? { signIn: signIn(model, context.user) }
      : {}),
    outputs: Object.entries(model.outputs).map(([name, value]) => {
      const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
      // An output that holds a client secret without being marked secret is masked all the same.
      const secret =
        model.secretOutputs.includes(name) || [...secrets].some((s) => text.includes(s));
      if (secret) return { name, secret };
      const local = localEquivalent(text, model, context);
      return { name, secret, value: text, ...(local !== undefined ? { local } : {}) };
    }),
    warnings: model.warnings,
    tables: model.tables.map((t) => ({
      name: t.name,
      keySchema: keySchemaText(t),
    })),
    notEmulated: model.notEmulated.map((r) => ({
      type: r.type,
      name: r.name,
      inputs: JSON.stringify(r.inputs, null, 2),
    })),
  };
}

/** Who the built-in issuer signs in to the program's application, as its connection decides. */
function signIn(model: LocalModel, user: LocalUserSettings): NonNullable<StackView["signIn"]> {
  const connection = model.clients[0]?.connection;
  const username = defaultUsername(connection, user);
  return {
    anyUsername: connection === undefined || connection.signUp,
    ...(connection !== undefined ? { connection: connection.name } : {}),
    users: connection !== undefined ? admittedUsers(connection, user) : [],
    ...(username !== undefined ? { username } : {}),
  };
}

/**
 * A path worth calling to see the API answer (the custom domain's line): a public GET route's
 * without parameters, else any such GET route's, else the root (which answers only `$default`).
 */
export function probePath(routes: LocalRoute[]): string {
  const plain = routes
    .map((r) => ({ r, key: r.routeKey === "$default" ? undefined : parseRouteKey(r.routeKey) }))
    .filter(({ key }) => key?.method === "GET" && !key.path.includes("{"));
  const pick = plain.find(({ r }) => r.authorizationType === "NONE") ?? plain[0];
  return pick?.key?.path ?? "/";
}

/**
 * What an output's value stands for here: the API's execute-api URL is the local endpoint, a URL
 * on the issuer (the login URL) is where the built-in issuer serves it. Undefined for the rest,
 * which mean the same here as after a deploy (a client ID, an audience).
 */
function localEquivalent(
  text: string,
  model: LocalModel,
  context: StackContext,
): string | undefined {
  const api = /^https:\/\/([^/.]+)\.execute-api\.[^/]+(\/.*)?$/.exec(text);
  if (api !== null && api[1] === model.api.id) return context.apiEndpoint + (api[2] ?? "");
  const local = context.reachable?.(text);
  return local !== undefined && local !== text ? local : undefined;
}

function routeView(model: LocalModel, route: LocalRoute): RouteView {
  // The interpreter took the route only once its key parsed.
  const { method, path } = parseRouteKey(route.routeKey);
  const fn = route.functionName !== undefined ? model.functions[route.functionName] : undefined;
  const authorizer =
    route.authorizerId !== undefined ? model.api.authorizers[route.authorizerId] : undefined;
  return {
    routeKey: route.routeKey,
    method,
    path,
    authorizationType: route.authorizationType,
    ...(authorizer !== undefined ? { authorizer: authorizer.name } : {}),
    scopes: route.scopes,
    ...(fn !== undefined
      ? {
          function: {
            name: fn.name,
            runtime: fn.runtime,
            architecture: fn.architecture,
            memoryMb: fn.memoryMb,
            timeoutSeconds: fn.timeoutSeconds,
            handler: fn.handler,
          },
        }
      : {}),
    integration: {
      type: fn !== undefined ? "AWS_PROXY" : "none",
      payloadFormatVersion: route.payloadFormatVersion,
      timeoutMs: route.integrationTimeoutMs,
    },
  };
}
