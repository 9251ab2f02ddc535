import * as assert from "node:assert/strict";
import { foreignKeyWarnings, unknownKeyWarnings } from "../infra/config";
import { readStackSettings } from "../local/evaluate/stackFiles";
import { evaluateStack, expectOk, PROJECT_DIR } from "./support/program";

describe("the program's configuration, evaluated", () => {
  /**
   * The three evaluations start together, when this file's tests begin: each is a process that
   * loads the Pulumi SDKs.
   */
  const evaluations = {
    missingDomain: () => evaluateStack("dev", { config: { "aws:region": "us-east-1" } }),
    domainWithScheme: () =>
      evaluateStack("prod", {
        config: { "auth0:domain": "https://prod-example.us.auth0.com/" },
        secretKeys: ["auth0:domain"],
      }),
    mistypedKey: () =>
      evaluateStack("dev", {
        config: {
          ...readStackSettings(PROJECT_DIR, "dev").config,
          "api-auth-jwt-auth0:throttlingRatelimit": "5",
        },
      }),
  };
  type Started = { [K in keyof typeof evaluations]: ReturnType<(typeof evaluations)[K]> };
  let started: Started;
  before(() => {
    started = Object.fromEntries(
      Object.entries(evaluations).map(([name, evaluate]) => [name, evaluate()]),
    ) as Started;
  });

  describe("the program with bad configuration", () => {
    it("stops before any resource, with a RunError naming auth0:domain, when the domain is missing", async () => {
      const result = await started.missingDomain;
      assert.deepEqual(result, {
        kind: "failed",
        project: "api-auth-jwt-auth0",
        stack: "dev",
        error: {
          message:
            "Invalid stack configuration for stack 'dev':\n" +
            "Configuration key 'auth0:domain' is missing: expected your Auth0 tenant's domain. " +
            "Set it with: pulumi config set auth0:domain dev-abc123.us.auth0.com",
          isRunError: true,
        },
        resourceCount: 0,
      });
    });

    it("stops before any resource when the domain carries a scheme, and redacts it when secret", async () => {
      const result = await started.domainWithScheme;
      assert.deepEqual(result, {
        kind: "failed",
        project: "api-auth-jwt-auth0",
        stack: "prod",
        error: {
          message:
            "Invalid stack configuration for stack 'prod':\n" +
            "Configuration key 'auth0:domain' has value [secret]: expected a bare host name " +
            "(no scheme, no path, no trailing slash). " +
            "Set it with: pulumi config set auth0:domain dev-abc123.us.auth0.com",
          isRunError: true,
        },
        resourceCount: 0,
      });
    });
  });

  describe("the program with a mistyped project key", () => {
    it("warns, naming the closest key it reads, and otherwise runs", async () => {
      const result = expectOk(await started.mistypedKey);
      assert.deepEqual(result.warnings, [
        "Configuration key 'api-auth-jwt-auth0:throttlingRatelimit' is not one this program reads, " +
          "so it has no effect; did you mean 'api-auth-jwt-auth0:throttlingRateLimit'?",
      ]);
    });

    it("warns about a key of another project's namespace, as after pulumi new renamed the project", () => {
      assert.deepEqual(
        foreignKeyWarnings("my-api", [
          "api-auth-jwt-auth0:corsAllowOrigins",
          "my-api:signUp",
          "aws:region",
          "auth0:domain",
          "pulumi:template",
          "random:seed",
        ]),
        [
          "Configuration key 'api-auth-jwt-auth0:corsAllowOrigins' belongs to project 'api-auth-jwt-auth0', not this one ('my-api'), so it has no effect: rename it to 'my-api:corsAllowOrigins'",
        ],
      );
    });

    it("names no key when none is close", () => {
      assert.deepEqual(
        unknownKeyWarnings("p", ["p:somethingElse", "aws:region", "p:apiScopes"], ["apiScopes"]),
        ["Configuration key 'p:somethingElse' is not one this program reads, so it has no effect"],
      );
    });
  });
});
