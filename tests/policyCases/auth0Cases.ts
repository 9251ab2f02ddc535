import type { PolicyInput } from "../support/policyHarness";
import { APP, changed, FN, mandatory, movedTo, PROTECTED, type PolicyCase } from "./case";

const CONNECTION = "auth0:index/connection:Connection";
const USER = "auth0:index/user:User";

const RULE_APP = "auth0-app-rs256-exact-callbacks";
const RULE_LOOPBACK = "auth0-app-no-loopback-outside-dev";
const APP_DEV = "application api-auth-jwt-auth0-dev";
const exactCallback = (url: string) =>
  `${APP_DEV} allows callback '${url}': expected an exact https URL, or http on loopback, with no wildcard`;
const withLoopback = (input: PolicyInput) =>
  changed(input, APP, "identity-app", (p) => {
    p.callbacks = [...(p.callbacks as string[]), "http://localhost:5678"];
  });
const clientSecretOf = (input: PolicyInput) =>
  String(
    input.resources.find((r) => r.type === "auth0:index/clientCredentials:ClientCredentials")!.state
      .clientSecret,
  );

/** The Auth0 application and API, and where a client secret may appear. */
export const auth0Cases: PolicyCase[] = [
  {
    rule: RULE_APP,
    does: "refuses HS256 and a wildcard or plain-http callback",
    broken: ({ dev }) =>
      changed(dev, APP, "identity-app", (p) => {
        p.jwtConfiguration = { alg: "HS256" };
        p.callbacks = ["https://*.example.com/cb", "http://app.example.com/cb"];
      }),
    expected: [
      mandatory(RULE_APP, `${APP_DEV} signs with HS256: expected RS256`, `${APP}::identity-app`),
      mandatory(RULE_APP, exactCallback("https://*.example.com/cb"), `${APP}::identity-app`),
      mandatory(RULE_APP, exactCallback("http://app.example.com/cb"), `${APP}::identity-app`),
    ],
  },
  {
    rule: RULE_LOOPBACK,
    does: "advises against a loopback callback outside the dev stacks",
    broken: ({ prod }) => withLoopback(prod),
    expected: [
      {
        policy: RULE_LOOPBACK,
        level: "advisory",
        message:
          "stack prod: application api-auth-jwt-auth0-prod allows the loopback URL 'http://localhost:5678'",
        resource: `${APP}::identity-app`,
      },
    ],
  },
  {
    rule: RULE_LOOPBACK,
    does: "stays quiet about a loopback callback in dev",
    broken: ({ dev }) => withLoopback(dev),
    expected: [],
  },
  {
    rule: "auth0-api-requires-client-grant",
    does: "refuses an API every application of the tenant may get tokens for",
    broken: ({ dev }) =>
      changed(dev, "auth0:index/resourceServer:ResourceServer", "identity-api", (p) => {
        delete p.subjectTypeAuthorization;
      }),
    expected: [
      mandatory(
        "auth0-api-requires-client-grant",
        "API https://api-auth-jwt-auth0/dev lets every application get user access tokens (user policy allow_all): set subjectTypeAuthorization.user.policy to require_client_grant",
        "auth0:index/resourceServer:ResourceServer::identity-api",
      ),
    ],
  },
  {
    rule: "no-plain-client-secret",
    does: "refuses a client secret in a Lambda environment variable, or a secret-like name",
    broken: ({ dev }) =>
      changed(dev, FN, "get-mine-fn", (p) => {
        p.environment = { variables: { APP_KEY: clientSecretOf(dev), DB_PASSWORD: "x" } };
      }),
    expected: [
      mandatory(
        "no-plain-client-secret",
        `function ${PROTECTED} has the secret-like variable DB_PASSWORD: read secrets at run time instead`,
      ),
      mandatory("no-plain-client-secret", `function ${PROTECTED} holds a client secret in APP_KEY`),
    ],
    // The client secret exists only once the application does: the name is still judged.
    atFirstPreview: [
      mandatory(
        "no-plain-client-secret",
        `function ${PROTECTED} has the secret-like variable DB_PASSWORD: read secrets at run time instead`,
      ),
    ],
  },
  {
    rule: "no-plain-client-secret",
    does: "refuses the client secret in any stack output but secretOutputs",
    broken: ({ dev }) => {
      const input = structuredClone(dev);
      input.outputs.debug = { secret: clientSecretOf(dev) };
      return input;
    },
    // Not checkable at a first preview: the client secret exists only once the application does.
    atFirstPreview: [],
    expected: [
      mandatory(
        "no-plain-client-secret",
        "stack output debug holds a client secret; only clientSecret, smokeClientSecret may, as a Pulumi secret",
      ),
    ],
  },
  {
    rule: "auth0-connection-no-signup-outside-dev",
    does: "refuses a prod connection open to sign-up",
    broken: ({ prod }) =>
      changed(prod, CONNECTION, "users-connection", (p) => {
        p.options = { ...(p.options as object), disableSignup: false };
      }),
    expected: [
      mandatory(
        "auth0-connection-no-signup-outside-dev",
        "stack prod: connection api-auth-jwt-auth0-prod-users lets anyone sign up: set options.disableSignup (config signUp false)",
        `${CONNECTION}::users-connection`,
      ),
    ],
  },
  {
    rule: "auth0-connection-no-signup-outside-dev",
    does: "stays quiet about sign-up in dev",
    broken: ({ dev }) => dev,
    expected: [],
  },
  {
    rule: "auth0-connection-password-policy",
    does: "refuses a password policy weaker than good",
    broken: ({ prod }) =>
      changed(prod, CONNECTION, "users-connection", (p) => {
        p.options = { ...(p.options as object), passwordPolicy: "fair" };
      }),
    expected: [
      mandatory(
        "auth0-connection-password-policy",
        "connection api-auth-jwt-auth0-prod-users has password policy fair: expected good or excellent",
        `${CONNECTION}::users-connection`,
      ),
    ],
  },
  {
    rule: "auth0-no-user-outside-dev",
    does: "refuses a user created by the prod stack",
    broken: ({ dev, prod }) => ({
      ...prod,
      resources: [
        ...prod.resources,
        ...movedTo(
          prod,
          dev.resources.filter((r) => r.type === USER),
        ),
      ],
    }),
    expected: [
      mandatory(
        "auth0-no-user-outside-dev",
        "stack prod: creates the user test-user@example.com on api-auth-jwt-auth0-dev-users: set testUser false outside dev",
        `${USER}::users-test-user`,
      ),
    ],
  },
  {
    rule: "auth0-no-user-outside-dev",
    does: "stays quiet about dev's test user",
    broken: ({ dev }) => dev,
    expected: [],
  },
];
