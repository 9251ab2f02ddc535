import * as assert from "node:assert/strict";
import { ConfigError, PROJECT_KEYS, validateConfig } from "../infra/validateConfig";
import { configProblems, withProjectDefaults } from "./support/stacks";

const P = "proj";
const DOMAIN = { "auth0:domain": "dev-abc123.us.auth0.com" };

/** What the program refuses in `values` (it must refuse something). */
function problemsOf(values: Record<string, string | undefined>, secretKeys?: string[]): string[] {
  const problems = configProblems(P, "dev", values, secretKeys);
  assert.notEqual(problems.length, 0, "expected the configuration to be rejected");
  return problems;
}

describe("validateConfig", () => {
  it("reads Pulumi.yaml's defaults, as the CLI hands them over, when only auth0:domain is set", () => {
    const values = withProjectDefaults(P, DOMAIN);
    assert.deepEqual(validateConfig({ project: P, stack: "dev", values }), {
      auth0Domain: "dev-abc123.us.auth0.com",
      deployerClientId: "",
      callbackUrls: ["http://localhost:5678"],
      logoutUrls: ["http://localhost:5678"],
      webOrigins: [],
      corsAllowOrigins: [],
      apiIdentifier: "https://proj/dev",
      apiScopes: [],
      signUp: false,
      protectData: true,
      smokeClient: false,
      testUser: false,
      testUserEmail: "test-user@example.com",
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
      logRetentionDays: 14,
      lambdaMemoryMb: 128,
      lambdaTimeoutSeconds: 10,
      customDomain: "",
      hostedZoneId: "",
      certificateArn: "",
      disableExecuteApiEndpoint: false,
      monitoring: false,
      alarmEmail: "",
      alarm5xxRatePercent: 1,
      alarm4xxRatePercent: 25,
      alarmLatencyP99Ms: 3000,
    });
  });

  it("names every key a program run without Pulumi.yaml's defaults misses (bare mocks)", () => {
    const problems: string[] = [];
    try {
      validateConfig({ project: P, stack: "dev", values: DOMAIN });
    } catch (err) {
      problems.push(...(err as ConfigError).problems);
    }
    assert.equal(problems.length, PROJECT_KEYS.length);
    assert.deepEqual(problems.slice(0, 2), [
      "Configuration key 'proj:callbackUrls' is missing: expected a list of absolute URLs (https, or http on localhost) with no fragment (at least 1). " +
        "Set it with: pulumi config set --path 'callbackUrls[0]' https://app.example.com/callback",
      "Configuration key 'proj:logoutUrls' is missing: expected a list of absolute URLs (https, or http on localhost). " +
        "Set it with: pulumi config set --path 'logoutUrls[0]' https://app.example.com/",
    ]);
  });

  it("keeps callback URLs exactly as given", () => {
    const config = validateConfig({
      project: P,
      stack: "dev",
      values: withProjectDefaults(P, {
        ...DOMAIN,
        "proj:callbackUrls": '["http://localhost:5678/","https://a.example.com/cb"]',
      }),
    });
    assert.deepEqual(config.callbackUrls, ["http://localhost:5678/", "https://a.example.com/cb"]);
  });

  describe("auth0:domain", () => {
    it("is required", () => {
      assert.deepEqual(problemsOf({}), [
        "Configuration key 'auth0:domain' is missing: expected your Auth0 tenant's domain. " +
          "Set it with: pulumi config set auth0:domain dev-abc123.us.auth0.com",
      ]);
    });

    for (const [value, suggestion] of [
      ["https://dev-abc123.us.auth0.com", "dev-abc123.us.auth0.com"],
      ["dev-abc123.us.auth0.com/", "dev-abc123.us.auth0.com"],
      ["dev-abc123.us.auth0.com/api/v2", "dev-abc123.us.auth0.com"],
      ["localhost", "dev-abc123.us.auth0.com"],
    ]) {
      it(`rejects '${value}' and suggests the bare host`, () => {
        assert.deepEqual(problemsOf({ "auth0:domain": value }), [
          `Configuration key 'auth0:domain' has value '${value}': expected a bare host name ` +
            `(no scheme, no path, no trailing slash). Set it with: pulumi config set auth0:domain ${suggestion}`,
        ]);
      });
    }

    it("redacts a secret value", () => {
      assert.deepEqual(problemsOf({ "auth0:domain": "https://x.auth0.com/" }, ["auth0:domain"]), [
        "Configuration key 'auth0:domain' has value [secret]: expected a bare host name " +
          "(no scheme, no path, no trailing slash). Set it with: pulumi config set auth0:domain dev-abc123.us.auth0.com",
      ]);
    });
  });

  const cases: [string, string, string][] = [
    [
      "callbackUrls",
      '["ftp://x.example.com"]',
      "expected a list of absolute URLs (https, or http on localhost) with no fragment (at least 1); " +
        "'ftp://x.example.com' is not one. Set it with: pulumi config set --path 'callbackUrls[0]' https://app.example.com/callback",
    ],
    [
      "callbackUrls",
      "[]",
      "expected a list of absolute URLs (https, or http on localhost) with no fragment (at least 1). " +
        "Set it with: pulumi config set --path 'callbackUrls[0]' https://app.example.com/callback",
    ],
    [
      "logoutUrls",
      '["http://app.example.com/"]',
      "expected a list of absolute URLs (https, or http on localhost); 'http://app.example.com/' is not one. " +
        "Set it with: pulumi config set --path 'logoutUrls[0]' https://app.example.com/",
    ],
    [
      "webOrigins",
      '["https://app.example.com/path"]',
      "expected a list of origins such as https://app.example.com (no path); 'https://app.example.com/path' is not one. " +
        "Set it with: pulumi config set --path 'webOrigins[0]' https://app.example.com",
    ],
    [
      "corsAllowOrigins",
      '["*"]',
      "expected a list of explicit origins such as https://app.example.com (no path, never '*'); '*' is not one. " +
        "Set it with: pulumi config set --path 'corsAllowOrigins[0]' https://app.example.com",
    ],
    [
      "apiIdentifier",
      "my api",
      "expected an absolute URI with no spaces (Auth0's API identifier). " +
        "Set it with: pulumi config set proj:apiIdentifier https://api.example.com",
    ],
    [
      "apiScopes",
      '["read messages"]',
      "expected a list of distinct scope names without spaces or quotes. " +
        "Set it with: pulumi config set --path 'apiScopes[0]' read:reports",
    ],
    ["signUp", "yes", "expected true or false. Set it with: pulumi config set proj:signUp true"],
    ["testUser", "1", "expected true or false. Set it with: pulumi config set proj:testUser true"],
    [
      "testUserEmail",
      "test-user",
      "expected an email address (the test user's, which signs in with it). " +
        "Set it with: pulumi config set proj:testUserEmail test-user@example.com",
    ],
    [
      "throttlingRateLimit",
      "0",
      "expected a number of requests per second greater than 0 and at most 10000. " +
        "Set it with: pulumi config set proj:throttlingRateLimit 50",
    ],
    [
      "throttlingBurstLimit",
      "2.5",
      "expected a whole number of requests from 1 to 5000. " +
        "Set it with: pulumi config set proj:throttlingBurstLimit 100",
    ],
    [
      "logRetentionDays",
      "10",
      "expected one of CloudWatch's retention periods in days (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653). " +
        "Set it with: pulumi config set proj:logRetentionDays 14",
    ],
    [
      "lambdaMemoryMb",
      "64",
      "expected a whole number of megabytes from 128 to 10240. Set it with: pulumi config set proj:lambdaMemoryMb 128",
    ],
    [
      "lambdaTimeoutSeconds",
      "30",
      "expected a whole number of seconds from 1 to 29 (API Gateway gives up on an integration after 30 s). " +
        "Set it with: pulumi config set proj:lambdaTimeoutSeconds 10",
    ],
    [
      "customDomain",
      "https://api.example.com/",
      "expected a host name such as api.example.com (no scheme, no path), or empty for none. " +
        "Set it with: pulumi config set proj:customDomain api.example.com",
    ],
    [
      "hostedZoneId",
      "example.com",
      "expected a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ, or empty. " +
        "Set it with: pulumi config set proj:hostedZoneId Z0123456789ABCDEFGHIJ",
    ],
    [
      "certificateArn",
      "arn:aws:acm:us-east-1:123:certificate/x",
      "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<id>, or empty. " +
        "Set it with: pulumi config set proj:certificateArn arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    ],
    [
      "monitoring",
      "on",
      "expected true or false. Set it with: pulumi config set proj:monitoring true",
    ],
    [
      "alarmEmail",
      "oncall",
      "expected an email address for alarm notifications, or empty for none. " +
        "Set it with: pulumi config set proj:alarmEmail oncall@example.com",
    ],
    [
      "alarm5xxRatePercent",
      "0.5",
      "expected a whole percentage of requests from 1 to 100. " +
        "Set it with: pulumi config set proj:alarm5xxRatePercent 1",
    ],
    [
      "alarmLatencyP99Ms",
      "50",
      "expected a whole number of milliseconds from 100 to 30000 (API Gateway's integration limit). " +
        "Set it with: pulumi config set proj:alarmLatencyP99Ms 3000",
    ],
  ];
  for (const [key, value, expected] of cases) {
    describe(`proj:${key}`, () => {
      it(`rejects ${value}, naming the key, the value and what is expected`, () => {
        assert.deepEqual(problemsOf({ ...DOMAIN, [`proj:${key}`]: value }), [
          `Configuration key 'proj:${key}' has value '${value}': ${expected}`,
        ]);
      });
    });
  }

  it("rejects a list that is not JSON text of strings", () => {
    assert.equal(problemsOf({ ...DOMAIN, "proj:apiScopes": "read:messages" }).length, 1);
    assert.equal(problemsOf({ ...DOMAIN, "proj:callbackUrls": "[1]" }).length, 1);
  });

  it("reports every bad key at once", () => {
    const problems = problemsOf({ "proj:lambdaMemoryMb": "1", "proj:lambdaTimeoutSeconds": "abc" });
    assert.deepEqual(
      problems.map((p) => /^Configuration key '([^']+)'/.exec(p)?.[1]),
      ["auth0:domain", "proj:lambdaMemoryMb", "proj:lambdaTimeoutSeconds"],
    );
  });
});
