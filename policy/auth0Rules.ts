import * as auth0 from "@pulumi/auth0";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchema, isExactCallback, isLoopback, packConfig, stackOf } from "./support";

export const auth0AppSigning: ResourceValidationPolicy = {
  name: "auth0-app-rs256-exact-callbacks",
  description:
    "The Auth0 application signs with RS256 (API Gateway verifies RSA only) and lists exact callback URLs: https, or http on loopback.",
  validateResource: validateResourceOfType(auth0.Client, (app, _args, report) => {
    const alg = app.jwtConfiguration?.alg;
    if (alg !== "RS256")
      report(
        `application ${app.name ?? ""} signs with ${alg ?? "the tenant's default"}: expected RS256`,
      );
    for (const url of (app.callbacks ?? []).filter((u) => !isExactCallback(u))) {
      report(
        `application ${app.name ?? ""} allows callback '${url}': expected an exact https URL, or http on loopback, with no wildcard`,
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
    const stack = stackOf(args.urn);
    if (packConfig(args).devStacks.includes(stack)) return;
    const urls = [
      ...(app.callbacks ?? []),
      ...(app.allowedLogoutUrls ?? []),
      ...(app.webOrigins ?? []),
    ];
    for (const url of urls.filter(isLoopback)) {
      report(`stack ${stack}: application ${app.name ?? ""} allows the loopback URL '${url}'`);
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
