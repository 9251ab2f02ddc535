import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";

export interface SmokeClientArgs {
  /** Physical name of the stack; the application is `<name>-smoke`. */
  name: string;
  /** The stack's API (its identifier), and its scopes once defined. */
  apiIdentifier: pulumi.Input<string>;
  apiScopes: pulumi.Resource;
  /** Exactly the scopes `npm run smoke` needs on the API: those its checked routes require. */
  scopes: string[];
}

/**
 * A machine-to-machine application for `npm run smoke -- --stack <stack>`: it gets access tokens
 * for this stack's API by the client-credentials grant, with the scopes the smoke test needs and
 * no other, and signs no user in. Only stacks with `smokeClient` create it (dev does; prod does
 * not by default: whoever holds its secret can call every route those scopes open).
 */
export class SmokeClient extends pulumi.ComponentResource {
  readonly application: auth0.Client;
  readonly clientId: pulumi.Output<string>;
  /** A Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: SmokeClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:identity:SmokeClient", name, {}, opts);
    const parent = { parent: this };
    this.application = new auth0.Client(
      `${name}-app`,
      {
        name: `${args.name}-smoke`,
        description: "npm run smoke: access tokens for the stack's API; managed by Pulumi.",
        appType: "non_interactive",
        oidcConformant: true,
        grantTypes: ["client_credentials"],
        // API Gateway's JWT authorizer verifies RSA signatures only.
        jwtConfiguration: { alg: "RS256" },
      },
      parent,
    );
    const credentials = new auth0.ClientCredentials(
      `${name}-credentials`,
      { clientId: this.application.clientId, authenticationMethod: "client_secret_post" },
      parent,
    );
    // The API lets only applications with a grant get tokens (require_client_grant).
    new auth0.ClientGrant(
      `${name}-grant`,
      {
        clientId: this.application.clientId,
        audience: args.apiIdentifier,
        subjectType: "client",
        scopes: args.scopes,
      },
      { parent: this, dependsOn: [args.apiScopes] },
    );
    this.clientId = this.application.clientId;
    this.clientSecret = pulumi.secret(credentials.clientSecret);
    this.registerOutputs({ clientId: this.clientId });
  }
}
