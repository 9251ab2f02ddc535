import * as assert from "node:assert/strict";
import { ofType, one } from "./support/program";
import { stackFacts } from "./support/stacks";

const CLIENT = "auth0:index/client:Client";

describe("the smoke test's machine-to-machine application", function () {
  it("exists on dev: client credentials only, granted exactly the scopes the routes require", async () => {
    const { program, name } = await stackFacts("dev");
    const app = one(program, CLIENT, "smoke-app");
    assert.deepEqual(app.inputs, {
      name: `${name}-smoke`,
      description: "npm run smoke: access tokens for the stack's API; managed by Pulumi.",
      appType: "non_interactive",
      oidcConformant: true,
      grantTypes: ["client_credentials"],
      jwtConfiguration: { alg: "RS256" },
    });
    const clientId = app.state.clientId as string;
    assert.deepEqual(one(program, "auth0:index/clientGrant:ClientGrant", "smoke-grant").inputs, {
      clientId,
      audience: "https://api-auth-jwt-auth0/dev",
      subjectType: "client",
      // What the smoke test calls: the items routes' scope.
      scopes: ["write:items"],
    });
    assert.deepEqual(program.outputs.smokeClientId, { value: clientId, secret: false });
    assert.equal(program.outputs.smokeClientSecret!.secret, true);
    assert.equal(
      program.outputs.smokeClientSecret!.value,
      one(program, "auth0:index/clientCredentials:ClientCredentials", "smoke-credentials").state
        .clientSecret,
    );
  });

  it("does not exist on prod, where smokeClient is off by default", async () => {
    const { program } = await stackFacts("prod");
    assert.deepEqual(
      ofType(program, CLIENT).map((c) => c.name),
      ["identity-app"],
    );
    assert.equal("smokeClientSecret" in program.outputs, false);
  });
});
