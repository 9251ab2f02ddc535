import * as assert from "node:assert/strict";
import { accessLogFormat } from "../infra/accessLog";
import { one, ofType, type Evaluated } from "./support/program";
import { ACCOUNT, STACKS, stackFacts, type StackName } from "./support/stacks";

for (const [stack, expected] of Object.entries(STACKS)) {
  describe(`the program, stack ${stack}`, function () {
    let program: Evaluated;
    let name: string;
    let issuer: string;
    let clientId: string;
    let api: { id: string; executionArn: string; apiEndpoint: string };

    before(async function () {
      ({ program, name, issuer, clientId, api } = await stackFacts(stack as StackName));
    });

    describe("Auth0", () => {
      it("creates a regular web application named after the stack, RS256, code grant", () => {
        assert.deepEqual(one(program, "auth0:index/client:Client", "identity-app").inputs, {
          name,
          description: "Signs users in to the HTTP API; managed by Pulumi.",
          appType: "regular_web",
          oidcConformant: true,
          grantTypes: ["authorization_code", "refresh_token"],
          callbacks: expected.callbackUrls,
          allowedLogoutUrls: expected.logoutUrls,
          webOrigins: expected.webOrigins,
          jwtConfiguration: { alg: "RS256", lifetimeInSeconds: 36000 },
          refreshToken: {
            rotationType: "rotating",
            expirationType: "expiring",
            leeway: 0,
            tokenLifetime: 2592000,
            idleTokenLifetime: 1296000,
            infiniteTokenLifetime: false,
            infiniteIdleTokenLifetime: false,
          },
        });
      });

      it("authenticates the application at the token endpoint with client_secret_post", () => {
        assert.deepEqual(
          one(
            program,
            "auth0:index/clientCredentials:ClientCredentials",
            "identity-app-credentials",
          ).inputs,
          { clientId, authenticationMethod: "client_secret_post" },
        );
      });

      it("creates the API (resource server) and its scopes", () => {
        assert.deepEqual(
          one(program, "auth0:index/resourceServer:ResourceServer", "identity-api").inputs,
          {
            name,
            identifier: expected.apiIdentifier,
            signingAlg: "RS256",
            tokenDialect: "access_token",
            allowOfflineAccess: true,
            skipConsentForVerifiableFirstPartyClients: true,
            tokenLifetime: 86400,
            subjectTypeAuthorization: {
              user: { policy: "require_client_grant" },
              client: { policy: "require_client_grant" },
            },
          },
        );
        assert.deepEqual(
          one(
            program,
            "auth0:index/resourceServerScopes:ResourceServerScopes",
            "identity-api-scopes",
          ).inputs,
          {
            resourceServerIdentifier: expected.apiIdentifier,
            // The one scope a route requires (POST /items, DELETE /items/{id}).
            scopes: [{ name: "write:items", description: "Grants write:items" }],
          },
        );
      });

      it("lets only this stack's application get user access tokens for the API", () => {
        assert.deepEqual(
          ofType(program, "auth0:index/clientGrant:ClientGrant")
            .map((grant) => grant.inputs)
            .filter((inputs) => inputs.subjectType === "user"),
          [
            {
              clientId,
              audience: expected.apiIdentifier,
              subjectType: "user",
              scopes: ["write:items"],
            },
          ],
        );
      });
    });

    describe("HTTP API", () => {
      it("is an HTTP API with CORS for the configured origins only", () => {
        assert.deepEqual(one(program, "aws:apigatewayv2/api:Api", "api").inputs, {
          name,
          protocolType: "HTTP",
          corsConfiguration: {
            allowOrigins: expected.corsAllowOrigins,
            // The routes' methods, so that a browser's preflight for each passes.
            allowMethods: ["DELETE", "GET", "POST"],
            allowHeaders: ["authorization", "content-type"],
            allowCredentials: false,
            maxAge: 600,
          },
        });
      });

      it("has an auto-deployed $default stage with throttling and JSON access logs", () => {
        const logGroup = one(program, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs");
        assert.deepEqual(logGroup.inputs, {
          name: `/aws/vendedlogs/apis/${name}`,
          retentionInDays: expected.retentionDays,
        });
        assert.deepEqual(one(program, "aws:apigatewayv2/stage:Stage", "api-stage").inputs, {
          apiId: api.id,
          name: "$default",
          autoDeploy: true,
          defaultRouteSettings: {
            throttlingRateLimit: expected.throttling.rate,
            throttlingBurstLimit: expected.throttling.burst,
          },
          accessLogSettings: {
            destinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/vendedlogs/apis/${name}`,
            format: accessLogFormat(),
          },
        });
      });

      it("has a JWT authorizer: Auth0 issuer with its trailing slash, client ID and API identifier as audiences", () => {
        assert.deepEqual(one(program, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt").inputs, {
          apiId: api.id,
          name: `${name}-jwt`,
          authorizerType: "JWT",
          identitySources: ["$request.header.Authorization"],
          jwtConfiguration: { issuer, audiences: [clientId, expected.apiIdentifier] },
        });
        assert.match(clientId, /^[A-Za-z0-9]{32}$/);
      });

      it("declares the sample's routes, and protects every route not declared public", () => {
        const authorizerId = one(program, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt").id;
        const routes = ofType(program, "aws:apigatewayv2/route:Route")
          .map((r) => r.inputs)
          .sort((a, b) => String(a.routeKey).localeCompare(String(b.routeKey)));
        const target = (slug: string) =>
          `integrations/${one(program, "aws:apigatewayv2/integration:Integration", `${slug}-integration`).id}`;
        const jwt = { authorizationType: "JWT", authorizerId };
        const writeItems = { ...jwt, authorizationScopes: ["write:items"] };
        assert.deepEqual(routes, [
          {
            apiId: api.id,
            routeKey: "DELETE /items/{id}",
            ...writeItems,
            target: target("delete-items-id"),
          },
          { apiId: api.id, routeKey: "GET /items", ...jwt, target: target("get-items") },
          { apiId: api.id, routeKey: "GET /private", ...jwt, target: target("get-private") },
          {
            apiId: api.id,
            routeKey: "GET /public",
            authorizationType: "NONE",
            target: target("get-public"),
          },
          { apiId: api.id, routeKey: "POST /items", ...writeItems, target: target("post-items") },
        ]);
      });
    });

    it("uses no broad managed policy anywhere", () => {
      assert.deepEqual(ofType(program, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
      // One role per route's function.
      assert.equal(ofType(program, "aws:iam/role:Role").length, 5);
    });

    it("exports the endpoint, issuer, audiences, client, API identifier, secret, login URL and connection", () => {
      // The test user's outputs (dev's) are tests/stackUsers.test.ts's; the monitoring's (prod's),
      // tests/stackMonitoring.test.ts's.
      const {
        testUserEmail: _email,
        testUserPassword: _password,
        alarmTopicArn: _topic,
        dashboardName: _dashboard,
        smokeClientId: _smokeClient,
        smokeClientSecret: _smokeSecret,
        ...outputs
      } = program.outputs;
      assert.deepEqual(outputs, {
        apiEndpoint: {
          value: `https://${api.id}.execute-api.us-east-1.amazonaws.com`,
          secret: false,
        },
        issuer: { value: issuer, secret: false },
        itemsTableName: { value: `${name}-items`, secret: false },
        audiences: { value: [clientId, expected.apiIdentifier], secret: false },
        clientId: { value: clientId, secret: false },
        apiIdentifier: { value: expected.apiIdentifier, secret: false },
        clientSecret: { value: program.outputs.clientSecret!.value, secret: true },
        loginUrl: {
          value:
            `${issuer}authorize?response_type=code&client_id=${clientId}` +
            `&redirect_uri=${encodeURIComponent(expected.callbackUrls[0])}&scope=openid%20profile` +
            `&connection=${name}-users`,
          secret: false,
        },
        connectionName: { value: `${name}-users`, secret: false },
        corsAllowOrigins: { value: expected.corsAllowOrigins, secret: false },
      });
      assert.equal(api.apiEndpoint, `https://${api.id}.execute-api.us-east-1.amazonaws.com`);
    });
  });
}
