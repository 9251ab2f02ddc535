import * as auth0 from "@pulumi/auth0";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchema, isExactCallback, isLoopback, packConfig, stackOf, shown } from "./support";

/** The resource's stack, unless the pack's `devStacks` lists it (then undefined). */
function outsideDev(args: { urn: string; getConfig<T extends object>(): T }): string | undefined {
  const stack = stackOf(args.urn);
  return packConfig(args).devStacks.includes(stack) ? undefined : stack;
}

export const auth0AppSigning: ResourceValidationPolicy = {
  name: "auth0-app-rs256-exact-callbacks",
  description:
    "The Auth0 application signs with RS256 (API Gateway verifies RSA only) and lists exact callback URLs: https, or http on loopback.",
  validateResource: validateResourceOfType(auth0.Client, (app, _args, report) => {
    const alg = app.jwtConfiguration?.alg;
    if (alg !== "RS256")
      report(
        `application ${shown(() => app.name)} signs with ${alg ?? "the tenant's default"}: expected RS256`,
      );
    for (const url of (app.callbacks ?? []).filter((u) => !isExactCallback(u))) {
      report(
        `application ${shown(() => app.name)} allows callback '${url}': expected an exact https URL, or http on loopback, with no wildcard`,
      );
    }
  }),
};

export const auth0AppNoLoopbackOutsideDev: ResourceValidationPolicy = {
  name: "auth0-app-no-loopback-outside-dev",
  description:
    "Outside development stacks (devStacks), the application sends no user to a loopback URL.",
  enforcementLevel: "advisory",
  configSchema: configSchema("devStacks"),
  validateResource: validateResourceOfType(auth0.Client, (app, args, report) => {
    const stack = outsideDev(args);
    if (stack === undefined) return;
    const urls = [
      ...(app.callbacks ?? []),
      ...(app.allowedLogoutUrls ?? []),
      ...(app.webOrigins ?? []),
    ];
    for (const url of urls.filter(isLoopback)) {
      report(
        `stack ${stack}: application ${shown(() => app.name)} allows the loopback URL '${url}'`,
      );
    }
  }),
};

export const auth0ApiRequiresClientGrant: ResourceValidationPolicy = {
  name: "auth0-api-requires-client-grant",
  description:
    "The Auth0 API lets only applications with a client grant get tokens for it, not every application in the tenant.",
  validateResource: validateResourceOfType(auth0.ResourceServer, (api, _args, report) => {
    const access = api.subjectTypeAuthorization;
    const user = access?.user?.policy ?? "allow_all";
    if (user !== "require_client_grant" && user !== "deny_all") {
      report(
        `API ${api.identifier} lets every application get user access tokens (user policy ${user}): set subjectTypeAuthorization.user.policy to require_client_grant`,
      );
    }
    const client = access?.client?.policy ?? "require_client_grant";
    if (client !== "require_client_grant" && client !== "deny_all") {
      report(
        `API ${api.identifier} has client policy ${client}: expected require_client_grant or deny_all`,
      );
    }
  }),
};

export const auth0ConnectionNoSignUpOutsideDev: ResourceValidationPolicy = {
  name: "auth0-connection-no-signup-outside-dev",
  description:
    "Outside development stacks (devStacks), the stack's database connection refuses sign-up: only the users it is given sign in.",
  configSchema: configSchema("devStacks"),
  validateResource: validateResourceOfType(auth0.Connection, (connection, args, report) => {
    const stack = outsideDev(args);
    if (stack === undefined || connection.strategy !== "auth0") return;
    if (connection.options?.disableSignup !== true) {
      report(
        `stack ${stack}: connection ${shown(() => connection.name)} lets anyone sign up: set options.disableSignup (config signUp false)`,
      );
    }
  }),
};

/** Auth0's password policies from weakest to strongest; "good" and up are accepted. */
const PASSWORD_POLICIES = ["none", "low", "fair", "good", "excellent"];

export const auth0ConnectionPasswordPolicy: ResourceValidationPolicy = {
  name: "auth0-connection-password-policy",
  description:
    "The stack's database connection asks for Auth0's 'good' password policy or stricter.",
  validateResource: validateResourceOfType(auth0.Connection, (connection, _args, report) => {
    if (connection.strategy !== "auth0") return;
    // Auth0 applies "good" when a connection names none.
    const policy = connection.options?.passwordPolicy ?? "good";
    if (PASSWORD_POLICIES.indexOf(policy) < PASSWORD_POLICIES.indexOf("good")) {
      report(
        `connection ${shown(() => connection.name)} has password policy ${policy}: expected good or excellent`,
      );
    }
  }),
};

export const auth0NoUserOutsideDev: ResourceValidationPolicy = {
  name: "auth0-no-user-outside-dev",
  description:
    "Outside development stacks (devStacks), the stack creates no user: test users with stack-made passwords belong in development.",
  configSchema: configSchema("devStacks"),
  validateResource: validateResourceOfType(auth0.User, (user, args, report) => {
    const stack = outsideDev(args);
    if (stack === undefined) return;
    report(
      `stack ${stack}: creates the user ${user.email ?? user.username ?? ""} on ${user.connectionName}: set testUser false outside ${packConfig(args).devStacks.join(", ")}`,
    );
  }),
};
