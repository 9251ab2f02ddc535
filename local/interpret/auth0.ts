/** The Auth0 side the program declares: its applications and its APIs. */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedProgram, LocalClient, LocalResourceServer } from "./model";

export function interpretClients(evaluation: EvaluatedProgram): LocalClient[] {
  const credentials = evaluation.resources.filter((r) => r.type === TYPES.clientCredentials);
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
      };
    });
}

export function interpretResourceServers(evaluation: EvaluatedProgram): LocalResourceServer[] {
  const scopeSets = evaluation.resources.filter((r) => r.type === TYPES.resourceServerScopes);
  const userGrants = evaluation.resources.filter(
    (r) => r.type === TYPES.clientGrant && r.inputs.subjectType === "user",
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
        userGrants: Object.fromEntries(
          userGrants
            .filter((g) => g.inputs.audience === identifier)
            .map((g) => [
              String(g.inputs.clientId),
              (g.inputs.scopes as string[] | undefined) ?? [],
            ]),
        ),
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
