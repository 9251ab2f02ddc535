import * as assert from "node:assert/strict";
import { policies } from "../policy/policies";
import type { EvaluatedResource } from "../local/evaluate/snapshot";
import {
  policyInput,
  runPolicies,
  withResource,
  type PolicyInput,
  type Violation,
} from "./support/policyHarness";
import { evaluateStack, expectOk } from "./support/program";

const ruleNamed = (name: string) => {
  const rule = policies.find((p) => p.name === name);
  if (rule === undefined) throw new Error(`the pack has no rule ${name}`);
  return rule;
};
const run = (name: string, input: PolicyInput, config: object = {}) =>
  runPolicies([ruleNamed(name)], input, config);

/** One mandatory violation of `policy`, reported on a resource or on the stack. */
const mandatory = (policy: string, message: string, resource?: string): Violation => ({
  policy,
  level: "mandatory",
  message,
  ...(resource ? { resource } : {}),
});

describe("the policy pack (policy/)", function () {
  const stacks: Record<string, PolicyInput> = {};
  let dev: PolicyInput;
  before(async () => {
    for (const stack of ["dev", "prod"]) {
      stacks[stack] = policyInput(expectOk(await evaluateStack(stack)));
    }
    dev = stacks.dev!;
  });

  for (const stack of ["dev", "prod"]) {
    it(`passes stack ${stack} with no violation, mandatory or advisory`, async () => {
      assert.deepEqual(await runPolicies(policies, stacks[stack]!), []);
    });
  }

  /** Every rule below fires on a broken resource: a rule that cannot fail is a defect. */
  const fired = new Set<string>();
  after(() => {
    const untested = policies.map((p) => p.name).filter((n) => !fired.has(n));
    assert.deepEqual(untested, [], "rules with no test that makes them fire");
  });
  const expectFires = async (
    name: string,
    input: PolicyInput,
    expected: Violation[],
    config: object = {},
  ) => {
    assert.deepEqual(await run(name, input, config), expected);
    fired.add(name);
  };

  const FN = "aws:lambda/function:Function";
  const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
  const ROUTE = "aws:apigatewayv2/route:Route";
  const STAGE = "aws:apigatewayv2/stage:Stage";
  const PRIVATE_ROLE = "api-auth-jwt-auth0-dev-get-private";
  const logWrite = (resource: string, action: string | string[] = "logs:PutLogEvents") =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
    });
  const both = (r: EvaluatedResource, change: (props: Record<string, unknown>) => void) => {
    change(r.inputs);
    change(r.state);
  };

  describe("function roles", () => {
    it("refuses a managed policy attachment", async () => {
      const input = structuredClone(dev);
      input.resources.push({
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "basic",
        custom: true,
        id: "basic",
        inputs: {
          role: PRIVATE_ROLE,
          policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        },
        state: {},
      });
      await expectFires("function-roles-no-managed-policies", input, [
        mandatory(
          "function-roles-no-managed-policies",
          `managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is attached to role ${PRIVATE_ROLE}`,
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment::basic",
        ),
      ]);
    });

    it("refuses '*' actions and resources, and a service-wide wildcard", async () => {
      const broken = withResource(dev, ROLE_POLICY, "get-private-logs-write", (r) =>
        both(r, (p) => (p.policy = logWrite("*", ["logs:*", "logs:PutLogEvents"]))),
      );
      const on = `${ROLE_POLICY}::get-private-logs-write`;
      const where = `inline policy of role ${PRIVATE_ROLE}`;
      await expectFires("iam-no-wildcard-grants", broken, [
        mandatory("iam-no-wildcard-grants", `${where} allows the wildcard action 'logs:*'`, on),
        mandatory("iam-no-wildcard-grants", `${where} allows the wildcard resource '*'`, on),
      ]);
    });

    it("refuses a grant on another function's log group", async () => {
      const other =
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/api-auth-jwt-auth0-dev-get-public:log-stream:*";
      const broken = withResource(dev, ROLE_POLICY, "get-private-logs-write", (r) =>
        both(r, (p) => (p.policy = logWrite(other))),
      );
      await expectFires("function-roles-own-log-group-only", broken, [
        mandatory(
          "function-roles-own-log-group-only",
          `role of function ${PRIVATE_ROLE} reaches '${other}': only its own log group ` +
            `(arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${PRIVATE_ROLE}:log-stream:*)`,
        ),
      ]);
    });

    it("refuses a function running as a role the stack does not declare", async () => {
      const broken = withResource(dev, FN, "get-private-fn", (r) =>
        both(r, (p) => (p.role = "arn:aws:iam::123456789012:role/admin")),
      );
      assert.deepEqual(await run("function-roles-own-log-group-only", broken), [
        mandatory(
          "function-roles-own-log-group-only",
          `function ${PRIVATE_ROLE} runs as arn:aws:iam::123456789012:role/admin, a role this stack does not declare`,
        ),
      ]);
    });
  });

  describe("invoke permissions", () => {
    const PERMISSION = "aws:lambda/permission:Permission";
    const sourceArn = (input: PolicyInput) =>
      String(input.resources.find((r) => r.name === "get-private-invoke")!.inputs.sourceArn);

    it("refuses a permission for every route of the API ('/*/*')", async () => {
      const wide = sourceArn(dev).replace(/\/GET\/private$/, "/*/*");
      const broken = withResource(dev, PERMISSION, "get-private-invoke", (r) =>
        both(r, (p) => (p.sourceArn = wide)),
      );
      await expectFires("invoke-permissions-one-route", broken, [
        mandatory(
          "invoke-permissions-one-route",
          `permission for ${PRIVATE_ROLE} names '${wide}', which covers every route; name one route`,
        ),
      ]);
    });

    it("refuses a permission naming another route than the function's", async () => {
      const other = sourceArn(dev).replace(/\/private$/, "/public");
      const broken = withResource(dev, PERMISSION, "get-private-invoke", (r) =>
        both(r, (p) => (p.sourceArn = other)),
      );
      assert.deepEqual(await run("invoke-permissions-one-route", broken), [
        mandatory(
          "invoke-permissions-one-route",
          `permission for ${PRIVATE_ROLE} names route 'GET /public', whose integration does not invoke that function`,
        ),
      ]);
    });

    it("refuses a permission with no source ARN", async () => {
      const broken = withResource(dev, PERMISSION, "get-private-invoke", (r) =>
        both(r, (p) => delete p.sourceArn),
      );
      assert.deepEqual(await run("invoke-permissions-one-route", broken), [
        mandatory(
          "invoke-permissions-one-route",
          `permission for ${PRIVATE_ROLE} has no sourceArn: any API in any account could invoke the function`,
        ),
      ]);
    });
  });

  describe("routes and the authorizer", () => {
    it("refuses a route without the JWT authorizer that is not declared public", async () => {
      const broken = withResource(dev, ROUTE, "get-private-route", (r) =>
        both(r, (p) => {
          p.authorizationType = "NONE";
          delete p.authorizerId;
        }),
      );
      await expectFires("routes-require-jwt", broken, [
        mandatory(
          "routes-require-jwt",
          "route 'GET /private' has authorization NONE; it is not declared public (publicRoutes: GET /public) and needs the JWT authorizer",
          `${ROUTE}::get-private-route`,
        ),
      ]);
    });

    it("refuses GET /public too once the pack's publicRoutes no longer lists it", async () => {
      assert.deepEqual(await run("routes-require-jwt", dev, { publicRoutes: [] }), [
        mandatory(
          "routes-require-jwt",
          "route 'GET /public' has authorization NONE; it is not declared public (publicRoutes: none) and needs the JWT authorizer",
          `${ROUTE}::get-public-route`,
        ),
      ]);
    });

    it("refuses an issuer without its trailing slash, and no audience", async () => {
      const broken = withResource(dev, "aws:apigatewayv2/authorizer:Authorizer", "api-jwt", (r) =>
        both(
          r,
          (p) =>
            (p.jwtConfiguration = { issuer: "https://dev-example.us.auth0.com", audiences: [] }),
        ),
      );
      const on = "aws:apigatewayv2/authorizer:Authorizer::api-jwt";
      await expectFires("jwt-authorizer-issuer-and-audiences", broken, [
        mandatory(
          "jwt-authorizer-issuer-and-audiences",
          "authorizer api-auth-jwt-auth0-dev-jwt trusts issuer 'https://dev-example.us.auth0.com': expected an https URL ending in '/', compared exactly with a token's 'iss'",
          on,
        ),
        mandatory(
          "jwt-authorizer-issuer-and-audiences",
          "authorizer api-auth-jwt-auth0-dev-jwt has audiences []: expected at least one, none empty",
          on,
        ),
      ]);
    });

    it("refuses a function that may outlive its integration", async () => {
      const broken = withResource(dev, FN, "get-private-fn", (r) =>
        both(r, (p) => (p.timeout = 30)),
      );
      await expectFires("function-timeout-under-integration-timeout", broken, [
        mandatory(
          "function-timeout-under-integration-timeout",
          `function ${PRIVATE_ROLE} may run 30000 ms, not less than its integration's 30000 ms`,
        ),
      ]);
    });
  });

  describe("logs and the stage", () => {
    it("refuses a log group that keeps its events forever", async () => {
      const broken = withResource(
        dev,
        "aws:cloudwatch/logGroup:LogGroup",
        "get-private-logs",
        (r) => both(r, (p) => delete p.retentionInDays),
      );
      await expectFires("log-groups-have-retention", broken, [
        mandatory(
          "log-groups-have-retention",
          `log group /aws/lambda/${PRIVATE_ROLE} keeps its events forever: set retentionInDays`,
          "aws:cloudwatch/logGroup:LogGroup::get-private-logs",
        ),
      ]);
    });

    it("refuses a stage without throttling", async () => {
      const broken = withResource(dev, STAGE, "api-stage", (r) =>
        both(r, (p) => delete p.defaultRouteSettings),
      );
      await expectFires("stage-throttled", broken, [
        mandatory(
          "stage-throttled",
          "stage $default has no throttling: set defaultRouteSettings.throttlingRateLimit and throttlingBurstLimit",
          `${STAGE}::api-stage`,
        ),
      ]);
    });

    it("refuses an access-log format that reads a header or a claim", async () => {
      const broken = withResource(dev, STAGE, "api-stage", (r) =>
        both(r, (p) => {
          const settings = p.accessLogSettings as { format: string };
          settings.format = JSON.stringify({
            ...JSON.parse(settings.format),
            auth: "$request.header.Authorization",
            user: "$context.authorizer.claims.sub",
          });
        }),
      );
      await expectFires("stage-access-logs-without-headers-or-claims", broken, [
        mandatory(
          "stage-access-logs-without-headers-or-claims",
          "stage $default logs '$request.…', which carries request headers, query strings or claims",
          `${STAGE}::api-stage`,
        ),
        mandatory(
          "stage-access-logs-without-headers-or-claims",
          "stage $default logs '$context.authorizer.…', which carries request headers, query strings or claims",
          `${STAGE}::api-stage`,
        ),
      ]);
    });
  });

  describe("Auth0", () => {
    const APP = "auth0:index/client:Client";

    it("refuses HS256 and a wildcard or plain-http callback", async () => {
      const broken = withResource(dev, APP, "identity-app", (r) =>
        both(r, (p) => {
          p.jwtConfiguration = { alg: "HS256" };
          p.callbacks = ["https://*.example.com/cb", "http://app.example.com/cb"];
        }),
      );
      const rule = "auth0-app-rs256-exact-callbacks";
      const app = "application api-auth-jwt-auth0-dev";
      await expectFires(rule, broken, [
        mandatory(rule, `${app} signs with HS256: expected RS256`, `${APP}::identity-app`),
        mandatory(
          rule,
          `${app} allows callback 'https://*.example.com/cb': expected an exact https URL, or http on loopback, with no wildcard`,
          `${APP}::identity-app`,
        ),
        mandatory(
          rule,
          `${app} allows callback 'http://app.example.com/cb': expected an exact https URL, or http on loopback, with no wildcard`,
          `${APP}::identity-app`,
        ),
      ]);
    });

    it("advises against a loopback callback outside the dev stacks, and not in dev", async () => {
      const rule = "auth0-app-no-loopback-outside-dev";
      const addLoopback = (input: PolicyInput) =>
        withResource(input, APP, "identity-app", (r) =>
          both(r, (p) => (p.callbacks = [...(p.callbacks as string[]), "http://localhost:5678"])),
        );
      await expectFires(rule, addLoopback(stacks.prod!), [
        {
          policy: rule,
          level: "advisory",
          message:
            "stack prod: application api-auth-jwt-auth0-prod allows the loopback URL 'http://localhost:5678'",
          resource: `${APP}::identity-app`,
        },
      ]);
      assert.deepEqual(await run(rule, addLoopback(dev)), []);
    });

    it("refuses an API every application of the tenant may get tokens for", async () => {
      const broken = withResource(
        dev,
        "auth0:index/resourceServer:ResourceServer",
        "identity-api",
        (r) => both(r, (p) => delete p.subjectTypeAuthorization),
      );
      await expectFires("auth0-api-requires-client-grant", broken, [
        mandatory(
          "auth0-api-requires-client-grant",
          "API https://api-auth-jwt-auth0/dev lets every application get user access tokens (user policy allow_all): set subjectTypeAuthorization.user.policy to require_client_grant",
          "auth0:index/resourceServer:ResourceServer::identity-api",
        ),
      ]);
    });
  });

  describe("secrets", () => {
    const secretOf = (input: PolicyInput) =>
      String(
        input.resources.find((r) => r.type === "auth0:index/clientCredentials:ClientCredentials")!
          .state.clientSecret,
      );

    it("refuses a client secret in a Lambda environment variable, or a secret-like name", async () => {
      const broken = withResource(dev, FN, "get-private-fn", (r) =>
        both(
          r,
          (p) => (p.environment = { variables: { APP_KEY: secretOf(dev), DB_PASSWORD: "x" } }),
        ),
      );
      await expectFires("no-plain-client-secret", broken, [
        mandatory(
          "no-plain-client-secret",
          `function ${PRIVATE_ROLE} holds a client secret in APP_KEY`,
        ),
        mandatory(
          "no-plain-client-secret",
          `function ${PRIVATE_ROLE} has the secret-like variable DB_PASSWORD: read secrets at run time instead`,
        ),
      ]);
    });

    it("refuses the client secret in any stack output but secretOutputs", async () => {
      const broken = structuredClone(dev);
      broken.outputs.debug = { secret: secretOf(dev) };
      assert.deepEqual(await run("no-plain-client-secret", broken), [
        mandatory(
          "no-plain-client-secret",
          "stack output debug holds a client secret; only clientSecret may, as a Pulumi secret",
        ),
      ]);
    });
  });
});
