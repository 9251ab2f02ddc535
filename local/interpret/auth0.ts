/** The Auth0 side the program declares: its applications and its APIs. */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedProgram, LocalClient, LocalConnection, LocalResourceServer } from "./model";

/**
 * The program's applications; those users sign in to (an authorization-code grant) first, so that
 * the tools' and the console's default application is one, whatever order they registered in.
 */
export function interpretClients(evaluation: EvaluatedProgram): LocalClient[] {
  const signsUsersIn = (c: LocalClient) => c.grantTypes.includes("authorization_code");
  return readClients(evaluation).sort((a, b) => Number(signsUsersIn(b)) - Number(signsUsersIn(a)));
}

function readClients(evaluation: EvaluatedProgram): LocalClient[] {
  const credentials = evaluation.resources.filter((r) => r.type === TYPES.clientCredentials);
  const connectionOf = connectionsByClient(evaluation);
  return evaluation.resources
    .filter((r) => r.type === TYPES.client)
    .map((c) => {
      const clientId = String(c.state.clientId);
      const creds = credentials.find((cr) => cr.inputs.clientId === clientId);
      const jwt = c.inputs.jwtConfiguration as { lifetimeInSeconds?: number } | undefined;
      return {
        clientId,
        ...(creds?.state.clientSecret !== undefined
          ? { clientSecret: String(creds.state.clientSecret) }
          : {}),
        name: String(c.inputs.name ?? c.name),
        appType: String(c.inputs.appType ?? "regular_web"),
        callbacks: (c.inputs.callbacks as string[] | undefined) ?? [],
        logoutUrls: (c.inputs.allowedLogoutUrls as string[] | undefined) ?? [],
        webOrigins: (c.inputs.webOrigins as string[] | undefined) ?? [],
        grantTypes: (c.inputs.grantTypes as string[] | undefined) ?? ["authorization_code"],
        tokenEndpointAuthMethod: String(creds?.inputs.authenticationMethod ?? "client_secret_post"),
        ...(jwt?.lifetimeInSeconds !== undefined
          ? { idTokenLifetimeSeconds: jwt.lifetimeInSeconds }
          : {}),
        ...(connectionOf.has(clientId) ? { connection: connectionOf.get(clientId)! } : {}),
      };
    });
}

/**
 * Each application's database connection: the program's `auth0` connections, the applications
 * `ConnectionClients` (or `ConnectionClient`) enable on them, and the users it creates there.
 */
function connectionsByClient(evaluation: EvaluatedProgram): Map<string, LocalConnection> {
  const of = (type: string) => evaluation.resources.filter((r) => r.type === type);
  const byClient = new Map<string, LocalConnection>();
  for (const c of of(TYPES.connection).filter((r) => r.inputs.strategy === "auth0")) {
    const name = String(c.inputs.name ?? c.name);
    const options = (c.inputs.options ?? {}) as { disableSignup?: boolean };
    const connection: LocalConnection = {
      name,
      signUp: options.disableSignup !== true,
      users: of(TYPES.user)
        .filter((u) => u.inputs.connectionName === name)
        .map((u) => String(u.inputs.email ?? u.inputs.username)),
    };
    const enabled = [
      ...of(TYPES.connectionClients)
        .filter((e) => e.inputs.connectionId === c.id)
        .flatMap((e) => (e.inputs.enabledClients as string[] | undefined) ?? []),
      ...of(TYPES.connectionClient)
        .filter((e) => e.inputs.connectionId === c.id)
        .map((e) => String(e.inputs.clientId)),
    ];
    for (const clientId of enabled) if (!byClient.has(clientId)) byClient.set(clientId, connection);
  }
  return byClient;
}

export function interpretResourceServers(evaluation: EvaluatedProgram): LocalResourceServer[] {
  const scopeSets = evaluation.resources.filter((r) => r.type === TYPES.resourceServerScopes);
  const grants = (subjectType: string) =>
    evaluation.resources.filter(
      (r) => r.type === TYPES.clientGrant && (r.inputs.subjectType ?? "client") === subjectType,
    );
  const scopesByClient = (identifier: string, subjectType: string) =>
    Object.fromEntries(
      grants(subjectType)
        .filter((g) => g.inputs.audience === identifier)
        .map((g) => [String(g.inputs.clientId), (g.inputs.scopes as string[] | undefined) ?? []]),
    );
  return evaluation.resources
    .filter((r) => r.type === TYPES.resourceServer)
    .map((rs) => {
      const identifier = String(rs.inputs.identifier);
      const scopes = scopeSets
        .filter((s) => s.inputs.resourceServerIdentifier === identifier)
        .flatMap((s) => (s.inputs.scopes as { name: string }[]).map((x) => x.name));
      const access = rs.inputs.subjectTypeAuthorization as
        { user?: { policy?: string } } | undefined;
      return {
        userAccessPolicy: access?.user?.policy ?? "allow_all",
        userGrants: scopesByClient(identifier, "user"),
        clientGrants: scopesByClient(identifier, "client"),
        identifier,
        name: String(rs.inputs.name ?? rs.name),
        scopes,
        signingAlg: String(rs.inputs.signingAlg ?? "RS256"),
        ...(rs.inputs.tokenLifetime !== undefined
          ? { tokenLifetimeSeconds: Number(rs.inputs.tokenLifetime) }
          : {}),
      };
    });
}
