import * as assert from "node:assert/strict";
import { accessLogFormat } from "../infra/accessLog";
import { httpEvent, jwtEvent } from "./support/events";
import {
  archiveFiles,
  evaluateStack,
  Evaluated,
  expectOk,
  loadSerializedHandler,
  one,
  ofType,
} from "./support/program";

const PROJECT = "api-auth-jwt-auth0";
const ACCOUNT = "123456789012";

/** What each stack file declares; the graph must carry exactly these values. */
const STACKS = {
  dev: {
    domain: "dev-example.us.auth0.com",
    callbackUrls: ["http://localhost:5678"],
    logoutUrls: ["http://localhost:5678"],
    webOrigins: [],
    corsAllowOrigins: ["http://localhost:5173"],
    apiIdentifier: "https://api-auth-jwt-auth0/dev",
    throttling: { rate: 100, burst: 200 },
    retentionDays: 7,
  },
  prod: {
    domain: "prod-example.us.auth0.com",
    callbackUrls: ["https://app.example.com/callback"],
    logoutUrls: ["https://app.example.com/"],
    webOrigins: ["https://app.example.com"],
    corsAllowOrigins: ["https://app.example.com"],
    apiIdentifier: "https://api-auth-jwt-auth0/prod",
    throttling: { rate: 20, burst: 40 },
    retentionDays: 90,
  },
} as const;

const ROUTES = [
  { slug: "get-public", routeKey: "GET /public", path: "/public", public: true },
  { slug: "get-private", routeKey: "GET /private", path: "/private", public: false },
] as const;

for (const [stack, expected] of Object.entries(STACKS)) {
  describe(`the program, stack ${stack}`, function () {
    let program: Evaluated;
    const name = `${PROJECT}-${stack}`;
    const issuer = `https://${expected.domain}/`;
    let clientId: string;
    let api: { id: string; executionArn: string; apiEndpoint: string };

    before(async function () {
      program = expectOk(await evaluateStack(stack));
      clientId = one(program, "auth0:index/client:Client", "identity-app").state.clientId as string;
      const apiResource = one(program, "aws:apigatewayv2/api:Api", "api");
      api = {
        id: apiResource.id,
        executionArn: apiResource.state.executionArn as string,
        apiEndpoint: apiResource.state.apiEndpoint as string,
      };
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
            scopes: [{ name: "read:messages", description: "Grants read:messages" }],
          },
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
            allowMethods: ["GET", "OPTIONS"],
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

      it("declares exactly the two routes, and protects every route not declared public", () => {
        const authorizerId = one(program, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt").id;
        const routes = ofType(program, "aws:apigatewayv2/route:Route")
          .map((r) => r.inputs)
          .sort((a, b) => String(b.routeKey).localeCompare(String(a.routeKey)));
        assert.deepEqual(routes, [
          {
            apiId: api.id,
            routeKey: "GET /public",
            authorizationType: "NONE",
            target: `integrations/${one(program, "aws:apigatewayv2/integration:Integration", "get-public-integration").id}`,
          },
          {
            apiId: api.id,
            routeKey: "GET /private",
            authorizationType: "JWT",
            authorizerId,
            target: `integrations/${one(program, "aws:apigatewayv2/integration:Integration", "get-private-integration").id}`,
          },
        ]);
      });
    });

    for (const route of ROUTES) {
      describe(`${route.routeKey}'s function`, () => {
        const fnName = () => `${name}-${route.slug}`;

        it("is a small arm64 Node 22 function with a timeout well under 30 s, logging to its own group", () => {
          const fn = one(program, "aws:lambda/function:Function", `${route.slug}-fn`);
          const { code: _code, ...inputs } = fn.inputs;
          assert.deepEqual(inputs, {
            name: fnName(),
            handler: "__index.handler",
            role: `arn:aws:iam::${ACCOUNT}:role/${fnName()}`,
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            memorySize: 128,
            timeout: 10,
            loggingConfig: { logFormat: "JSON", logGroup: `/aws/lambda/${fnName()}` },
          });
        });

        it("owns its log group, with retention, so destroy leaves no logs behind", () => {
          assert.deepEqual(
            one(program, "aws:cloudwatch/logGroup:LogGroup", `${route.slug}-logs`).inputs,
            {
              name: `/aws/lambda/${fnName()}`,
              retentionInDays: expected.retentionDays,
            },
          );
        });

        it("has a role that may only write to its own log group", () => {
          const role = one(program, "aws:iam/role:Role", `${route.slug}-role`);
          assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            ],
          });
          const policy = one(program, "aws:iam/rolePolicy:RolePolicy", `${route.slug}-logs-write`);
          assert.equal(policy.inputs.role, fnName());
          assert.deepEqual(JSON.parse(policy.inputs.policy as string), {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${fnName()}:log-stream:*`,
              },
            ],
          });
        });

        it("is invoked through an AWS_PROXY integration with payload 2.0", () => {
          assert.deepEqual(
            one(program, "aws:apigatewayv2/integration:Integration", `${route.slug}-integration`)
              .inputs,
            {
              apiId: api.id,
              integrationType: "AWS_PROXY",
              integrationMethod: "POST",
              integrationUri: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fnName()}`,
              payloadFormatVersion: "2.0",
              timeoutMilliseconds: 30000,
            },
          );
        });

        it("may be invoked by API Gateway for this API and this route only", () => {
          const [method, path] = route.routeKey.split(" ");
          assert.deepEqual(
            one(program, "aws:lambda/permission:Permission", `${route.slug}-invoke`).inputs,
            {
              action: "lambda:InvokeFunction",
              function: fnName(),
              principal: "apigateway.amazonaws.com",
              sourceArn: `${api.executionArn}/*/${method}${path}`,
            },
          );
        });

        it("uploads only its handler: no package it does not require, under 8 KB", () => {
          const files = archiveFiles(
            one(program, "aws:lambda/function:Function", `${route.slug}-fn`),
          );
          assert.deepEqual(Object.keys(files), ["__index.js"]);
          assert.ok(Buffer.byteLength(files["__index.js"]!) < 8192);
        });
      });
    }

    describe("serialized handlers, as they would be uploaded", () => {
      it("GET /public answers Hello stranger!", async () => {
        const handler = loadSerializedHandler(
          one(program, "aws:lambda/function:Function", "get-public-fn"),
          `${stack}-get-public`,
        );
        assert.deepEqual(
          await handler(httpEvent({ routeKey: "GET /public", rawPath: "/public" })),
          {
            statusCode: 200,
            headers: { "content-type": "text/plain; charset=utf-8" },
            body: "Hello stranger!",
          },
        );
      });

      it("GET /private answers Hello <sub>! from the authorizer's claims", async () => {
        const handler = loadSerializedHandler(
          one(program, "aws:lambda/function:Function", "get-private-fn"),
          `${stack}-get-private`,
        );
        const event = jwtEvent({
          routeKey: "GET /private",
          rawPath: "/private",
          claims: { sub: "auth0|60357a6d98e3e5006a9d74a3", iss: issuer },
        });
        assert.deepEqual(await handler(event), {
          statusCode: 200,
          headers: { "content-type": "text/plain; charset=utf-8" },
          body: "Hello auth0|60357a6d98e3e5006a9d74a3!",
        });
      });
    });

    it("uses no broad managed policy anywhere", () => {
      assert.deepEqual(ofType(program, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
      assert.equal(ofType(program, "aws:iam/role:Role").length, 2);
    });

    it("exports the endpoint, issuer, audiences, client, API identifier, secret and login URL", () => {
      assert.deepEqual(program.outputs, {
        apiEndpoint: {
          value: `https://${api.id}.execute-api.us-east-1.amazonaws.com`,
          secret: false,
        },
        issuer: { value: issuer, secret: false },
        audiences: { value: [clientId, expected.apiIdentifier], secret: false },
        clientId: { value: clientId, secret: false },
        apiIdentifier: { value: expected.apiIdentifier, secret: false },
        clientSecret: { value: program.outputs.clientSecret!.value, secret: true },
        loginUrl: {
          value:
            `${issuer}authorize?response_type=code&client_id=${clientId}` +
            `&redirect_uri=${encodeURIComponent(expected.callbackUrls[0])}&scope=openid%20profile`,
          secret: false,
        },
      });
      assert.equal(api.apiEndpoint, `https://${api.id}.execute-api.us-east-1.amazonaws.com`);
    });
  });
}
