import * as assert from "node:assert/strict";
import { accessLogFormat } from "../infra/accessLog";
import { readStackSettings } from "../local/evaluate/stackFiles";
import {
  evaluateStack,
  expectOk,
  ofType,
  one,
  PROJECT_DIR,
  type Evaluated,
} from "./support/program";

/** Every string inside a value, with where it was found. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  }
  return [];
}

for (const stack of ["dev", "prod"]) {
  describe(`the deployed stack's guarantees, stack ${stack}`, function () {
    let program: Evaluated;
    let secret: string;

    before(async () => {
      program = expectOk(await evaluateStack(stack));
      secret = String(
        one(program, "auth0:index/clientCredentials:ClientCredentials", "identity-app-credentials")
          .state.clientSecret,
      );
      assert.ok(secret.length >= 32, "the fake cloud computes a client secret to look for");
    });

    it("exports the client secret only as a secret output", () => {
      const plain = Object.entries(program.outputs).filter(
        ([, o]) => !o.secret && JSON.stringify(o.value).includes(secret),
      );
      assert.deepEqual(plain, []);
      assert.equal(program.outputs.clientSecret!.secret, true);
    });

    it("puts no secret in any resource's inputs: Lambda environments, names, policies", () => {
      const leaks = program.resources.flatMap((r) =>
        strings(r.inputs)
          .filter(([, v]) => v.includes(secret))
          .map(([path]) => `${r.type} ${r.name}${path}`),
      );
      assert.deepEqual(leaks, []);
      // A function's variables are what its route declares: the items table's name, no secret.
      for (const fn of ofType(program, "aws:lambda/function:Function")) {
        const variables = (fn.inputs.environment as { variables?: object } | undefined)?.variables;
        assert.deepEqual(
          variables,
          fn.name.includes("items")
            ? { ITEMS_TABLE: `${program.project}-${program.stack}-items` }
            : undefined,
          fn.name,
        );
      }
      assert.ok(program.resources.every((r) => !r.name.includes(secret)));
    });

    it("logs no token: the access-log format reads no header, query string or claim", () => {
      assert.doesNotMatch(
        accessLogFormat(),
        /\$request\.|\$context\.authorizer\.claims|userAgent|authorization/i,
      );
    });

    it("lets no role write to the access-log group, and no role use a wildcard resource", () => {
      const accessLogArn = String(
        one(program, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs").state.arn,
      );
      for (const policy of ofType(program, "aws:iam/rolePolicy:RolePolicy")) {
        const doc = JSON.parse(String(policy.inputs.policy)) as {
          Statement: { Resource: string | string[] }[];
        };
        for (const statement of doc.Statement) {
          for (const resource of [statement.Resource].flat()) {
            assert.ok(
              !resource.startsWith(accessLogArn),
              `${policy.name} can write to the access logs`,
            );
            // Streams are created as the function runs, so `:log-stream:*` is the narrowest there is;
            // a wildcard anywhere in the account, service or log group would not be.
            assert.ok(
              !resource.split(":log-stream:")[0]!.includes("*"),
              `${policy.name} uses a wildcard resource: ${resource}`,
            );
          }
        }
      }
      assert.deepEqual(ofType(program, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
    });

    it("allows explicit CORS origins only, never '*', and no credentials", () => {
      const cors = one(program, "aws:apigatewayv2/api:Api", "api").inputs.corsConfiguration as {
        allowOrigins: string[];
        allowCredentials: boolean;
      };
      assert.ok(cors.allowOrigins.length > 0);
      assert.ok(cors.allowOrigins.every((o) => o !== "*" && /^https?:\/\/[^/*]+$/.test(o)));
      assert.equal(cors.allowCredentials, false);
    });
  });
}

describe("throttling defaults", () => {
  it("are stricter in prod than in dev", () => {
    const rate = (stack: string) =>
      Number(
        readStackSettings(PROJECT_DIR, stack).config["api-auth-jwt-auth0:throttlingRateLimit"],
      );
    const burst = (stack: string) =>
      Number(
        readStackSettings(PROJECT_DIR, stack).config["api-auth-jwt-auth0:throttlingBurstLimit"],
      );
    assert.ok(rate("prod") < rate("dev"), `prod ${rate("prod")} < dev ${rate("dev")} requests/s`);
    assert.ok(burst("prod") < burst("dev"), `prod burst ${burst("prod")} < dev ${burst("dev")}`);
  });
});

describe("a project key of the wrong type", () => {
  it("stops the program before any resource, naming the key, the value and what is expected", async () => {
    // A string in Pulumi.yaml (AWS takes a fractional rate): the CLI lets any text through.
    const settings = readStackSettings(PROJECT_DIR, "dev");
    const result = await evaluateStack("dev", {
      config: { ...settings.config, "api-auth-jwt-auth0:throttlingRateLimit": "fast" },
    });
    assert.deepEqual(result, {
      kind: "failed",
      project: "api-auth-jwt-auth0",
      stack: "dev",
      error: {
        message:
          "Invalid stack configuration for stack 'dev':\n" +
          "Configuration key 'api-auth-jwt-auth0:throttlingRateLimit' has value 'fast': expected a number " +
          "of requests per second greater than 0 and at most 10000. " +
          "Set it with: pulumi config set api-auth-jwt-auth0:throttlingRateLimit 50",
        isRunError: true,
      },
      resourceCount: 0,
    });
  });

  it("of a type Pulumi.yaml declares, stops before the program runs, in the CLI's words", async () => {
    const settings = readStackSettings(PROJECT_DIR, "dev");
    await assert.rejects(
      evaluateStack("dev", {
        config: { ...settings.config, "api-auth-jwt-auth0:lambdaTimeoutSeconds": "thirty" },
      }),
      {
        message:
          "Stack 'dev' with configuration key 'lambdaTimeoutSeconds' must be of type 'integer'",
      },
    );
  });
});
