import * as assert from "node:assert/strict";
import { configProblems } from "./support/stacks";

const P = "proj";
const DOMAIN = { "auth0:domain": "dev-abc123.us.auth0.com" };

describe("validateConfig: what would fail only once resources exist", () => {
  const rejected = (project: string, stack: string, values: Record<string, string>) =>
    configProblems(project, stack, { ...DOMAIN, ...values });

  it("refuses a stack name an Auth0 connection refuses (qa_1), naming the stack and a name that works", () => {
    assert.deepEqual(rejected(P, "qa_1", {}), [
      "Stack name 'qa_1' is not letters, digits and single hyphens inside: it names the Auth0 connection, Lambda functions, IAM roles, log groups and alarms. Rename it with: pulumi stack rename qa-1 (before anything is deployed; a deployed stack's user store and data are replaced by a rename)",
    ]);
  });

  it("refuses a dot, which Lambda function names refuse, in the project name", () => {
    assert.deepEqual(rejected("my.api", "dev", {}), [
      "Project name 'my.api' (Pulumi.yaml 'name') of stack 'dev' is not letters, digits and single hyphens inside: it names the Auth0 connection, Lambda functions, IAM roles, log groups and alarms. Rename it to 'my-api' in Pulumi.yaml (and the keys 'my.api:…' in the stack files)",
    ]);
  });

  it("refuses names too long to leave room for a route's function, and takes one at the limit", () => {
    assert.deepEqual(rejected("api-auth-jwt-auth0", "staging-eu-west-one-x", {}), []);
    assert.deepEqual(rejected("api-auth-jwt-auth0", "staging-eu-west-one-xy", {}), [
      "Stack 'staging-eu-west-one-xy' of project 'api-auth-jwt-auth0' makes names of 41 characters ('api-auth-jwt-auth0-staging-eu-west-one-xy'): at most 40, which leaves room for a route's name in Lambda's and IAM's 64. Choose a shorter stack name (pulumi stack rename) or project name (Pulumi.yaml)",
    ]);
  });

  it("refuses a certificate from another region than the stack's", () => {
    assert.deepEqual(
      rejected(P, "prod", {
        "aws:region": "us-east-1",
        [`${P}:customDomain`]: "api.example.com",
        [`${P}:certificateArn`]:
          "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
      [
        "Configuration key 'proj:certificateArn' names a certificate in eu-west-1, but the stack deploys to us-east-1 ('aws:region'): a regional custom domain needs an ACM certificate in the API's own region. Request or import one in us-east-1 and set it with: pulumi config set proj:certificateArn arn:aws:acm:us-east-1:<account>:certificate/<id>",
      ],
    );
  });

  it("refuses a test user where the provider signs in with an API token alone (no client to enable)", () => {
    assert.deepEqual(rejected(P, "dev", { [`${P}:testUser`]: "true", "auth0:apiToken": "token" }), [
      "Configuration key 'proj:testUser' is true, and the Auth0 provider signs in with an API token alone: Auth0 creates the test user only through an application enabled on the stack's connection, which the stack enables by its client ID. Set it with: pulumi config set auth0:clientId <client ID of the application the token was issued to>, or turn the test user off with: pulumi config set proj:testUser false",
    ]);
    assert.deepEqual(
      rejected(P, "dev", {
        [`${P}:testUser`]: "true",
        "auth0:apiToken": "token",
        "auth0:clientId": "Deployer0123",
      }),
      [],
    );
  });
});
