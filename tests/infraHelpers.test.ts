import * as assert from "node:assert/strict";
import { accessLogFormat } from "../infra/accessLog";
import { assertPreflightPasses } from "../infra/lambdaRoute";
import { issuerFor } from "../facts/auth0";
import { loginUrl } from "../infra/loginUrl";
import { accessLogGroupName, lambdaLogGroupName, physicalName } from "../infra/names";
import * as pulumi from "@pulumi/pulumi";
import { grantsPolicy, lambdaAssumeRolePolicy, logWritePolicy } from "../infra/policies";
import { apiScopes, corsAllowMethods, route } from "../infra/routes";
import { parseRouteKey, permissionSourceArn, routeSlug } from "../facts/routeKeys";

const EXECUTION_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123";

describe("infrastructure helpers", () => {
  describe("names", () => {
    it("carry project and stack so two stacks can share an account", () => {
      assert.equal(physicalName("proj", "dev", "get-private"), "proj-dev-get-private");
      assert.equal(physicalName("proj", "prod"), "proj-prod");
      assert.equal(lambdaLogGroupName("proj-dev-get-private"), "/aws/lambda/proj-dev-get-private");
      assert.equal(accessLogGroupName("proj", "dev"), "/aws/vendedlogs/apis/proj-dev");
    });

    it("refuse a name longer than Lambda and IAM allow", () => {
      assert.throws(() => physicalName("p".repeat(40), "stack", "get-something-long"), {
        name: "TypeError",
        message: `physical name '${"p".repeat(40)}-stack-get-something-long' is 65 characters; the limit is 64 (Lambda, IAM): shorten the route's path (17 characters are left for 'get-something-long')`,
      });
    });
  });

  describe("route keys", () => {
    it("parse method and path", () => {
      assert.deepEqual(parseRouteKey("GET /private"), { method: "GET", path: "/private" });
      assert.deepEqual(parseRouteKey("$default"), { method: "*", path: "$default" });
    });

    it("reject a key that is not '<METHOD> /path'", () => {
      assert.throws(() => parseRouteKey("GET private"), /route key 'GET private' is not/);
      assert.throws(() => parseRouteKey("FETCH /x"), /route key 'FETCH \/x' is not/);
    });

    it("scope the invoke permission to the API and the route, never /*/*", () => {
      assert.equal(
        permissionSourceArn(EXECUTION_ARN, "GET /private"),
        `${EXECUTION_ARN}/*/GET/private`,
      );
      assert.equal(
        permissionSourceArn(EXECUTION_ARN, "ANY /items/{id}"),
        `${EXECUTION_ARN}/*/*/items/{id}`,
      );
      assert.equal(permissionSourceArn(EXECUTION_ARN, "$default"), `${EXECUTION_ARN}/*/$default`);
    });

    it("give readable slugs", () => {
      assert.equal(routeSlug("GET /private"), "get-private");
      assert.equal(routeSlug("POST /users/{id}/Notes"), "post-users-id-notes");
      assert.equal(routeSlug("$default"), "default");
    });
  });

  describe("protected routes and CORS preflights", () => {
    it("refuses a protected ANY, OPTIONS or $default route when the API answers CORS", () => {
      for (const routeKey of ["ANY /messages", "OPTIONS /messages", "$default"]) {
        assert.throws(() => assertPreflightPasses(routeKey, true), {
          name: "TypeError",
          message:
            `route '${routeKey}' needs a JWT but would also catch browsers' CORS preflight (OPTIONS), ` +
            "which carries no token and would be refused with 401: name the route's method " +
            "(GET, POST, ...) or make it public",
        });
      }
    });

    it("lets a protected route with a named method pass, and any route without CORS", () => {
      assert.doesNotThrow(() => assertPreflightPasses("GET /private", true));
      assert.doesNotThrow(() => assertPreflightPasses("ANY /{proxy+}", false));
    });
  });

  describe("policies", () => {
    it("let only Lambda assume a function's role", () => {
      assert.deepEqual(lambdaAssumeRolePolicy(), {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      });
    });

    it("allow writing to one log group's streams and nothing else", () => {
      assert.deepEqual(logWritePolicy("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f"), {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:log-stream:*",
          },
        ],
      });
    });
  });

  describe("login URL", () => {
    it("is the tenant's /authorize URL with the exact redirect URI", () => {
      assert.equal(issuerFor("tenant.us.auth0.com"), "https://tenant.us.auth0.com/");
      assert.equal(
        loginUrl({
          issuer: "https://tenant.us.auth0.com/",
          clientId: "abc",
          redirectUri: "http://localhost:5678",
          connection: "proj-dev-users",
        }),
        "https://tenant.us.auth0.com/authorize?response_type=code&client_id=abc" +
          "&redirect_uri=http%3A%2F%2Flocalhost%3A5678&scope=openid%20profile" +
          "&connection=proj-dev-users",
      );
    });
  });

  describe("access log format", () => {
    it("is JSON with request ID, source IP, route, status, latency and why a request failed", () => {
      assert.deepEqual(JSON.parse(accessLogFormat()), {
        requestId: "$context.requestId",
        requestTime: "$context.requestTime",
        sourceIp: "$context.identity.sourceIp",
        httpMethod: "$context.httpMethod",
        path: "$context.path",
        routeKey: "$context.routeKey",
        protocol: "$context.protocol",
        status: "$context.status",
        responseLength: "$context.responseLength",
        responseLatency: "$context.responseLatency",
        errorMessage: "$context.error.message",
        errorResponseType: "$context.error.responseType",
        authorizerError: "$context.authorizer.error",
        integrationLatency: "$context.integrationLatency",
        functionStatus: "$context.integration.status",
        lambdaInvokeStatus: "$context.integrationStatus",
        integrationError: "$context.integrationErrorMessage",
        integrationRequestId: "$context.integration.requestId",
      });
    });
  });
});

describe("a route's declaration (infra/routes.ts)", () => {
  const handler = async () => ({ statusCode: 200 });
  const arn = pulumi.output("arn:aws:dynamodb:us-east-1:123456789012:table/t");

  it("makes the scopes routes require the API's, after the configured ones, each once", () => {
    const routes = [
      route("GET /a", { handler, access: { scopes: ["read:a", "write:a"] } }),
      route("POST /a", { handler, access: { scopes: ["write:a"] } }),
      route("GET /b", { handler, access: { public: true } }),
    ];
    assert.deepEqual(apiScopes(["admin"], routes), ["admin", "read:a", "write:a"]);
  });

  it("allows CORS the routes' methods, sorted; every method for an ANY route", () => {
    const get = route("GET /a", { handler });
    const del = route("DELETE /a/{id}", { handler });
    assert.deepEqual(corsAllowMethods([get, del, route("GET /b", { handler })]), ["DELETE", "GET"]);
    assert.deepEqual(corsAllowMethods([get, route("ANY /{proxy+}", { handler })]), ["*"]);
  });

  it("refuses a wildcard action, and a grant with no action or resource", () => {
    assert.throws(
      () =>
        route("GET /a", { handler, permissions: [{ actions: ["dynamodb:*"], resources: [arn] }] }),
      {
        message:
          "route 'GET /a' may not be granted 'dynamodb:*': name each action ('dynamodb:GetItem'), no wildcard",
      },
    );
    assert.throws(
      () => route("GET /a", { handler, permissions: [{ actions: [], resources: [arn] }] }),
      {
        message: "route 'GET /a': a permission names at least one action and resource",
      },
    );
  });

  it("refuses, once ARNs are known, a resource that is no ARN or holds a wildcard", () => {
    for (const resource of ["*", "arn:aws:dynamodb:us-east-1:123456789012:table/*", "my-table"]) {
      assert.throws(
        () => grantsPolicy("GET /a", [{ actions: ["dynamodb:GetItem"], resources: [resource] }]),
        {
          message: `route 'GET /a' is granted '${resource}': name a resource of this stack by its ARN (table.arn), never a wildcard`,
        },
      );
    }
  });

  it("refuses more than AWS's 10 scopes a route, and a scope with a space", () => {
    const scopes = Array.from({ length: 11 }, (_, i) => `s${i}`);
    assert.throws(() => route("GET /a", { handler, access: { scopes } }), {
      message: "route 'GET /a' requires 11 scopes; the limit is 10",
    });
    assert.throws(
      () => route("GET /a", { handler, access: { scopes: ["read items"] } }),
      /printable ASCII without spaces/,
    );
  });
});
