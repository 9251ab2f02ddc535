import * as assert from "node:assert/strict";
import { evaluateStack } from "./support/program";

describe("the program with bad configuration", () => {
  it("stops before any resource, with a RunError naming auth0:domain, when the domain is missing", async () => {
    const result = await evaluateStack("dev", { config: { "aws:region": "us-east-1" } });
    assert.deepEqual(result, {
      ok: false,
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
    const result = await evaluateStack("prod", {
      config: { "auth0:domain": "https://prod-example.us.auth0.com/" },
      secretKeys: ["auth0:domain"],
    });
    assert.deepEqual(result, {
      ok: false,
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
