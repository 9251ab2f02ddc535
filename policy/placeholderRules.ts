/**
 * What a stack file ships with until a team fills it in: the `*-example.*.auth0.com` tenant, URLs
 * on the domains RFC 2606 reserves for examples, an alarm address there. A dev stack may run on
 * them (its tenant is set by `pulumi config set` and its URLs are loopback); any other stack would
 * deploy an application no one can reach and alarms no one hears (an email subscription to a
 * reserved domain stays pending forever).
 */
import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { configSchema, packConfig, stackOf } from "./support";

/** `example.com`, `.net`, `.org` and the `.example` top-level domain (RFC 2606 §2, §3). */
export function isExampleHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return (
    ["example.com", "example.net", "example.org"].some(
      (d) => name === d || name.endsWith(`.${d}`),
    ) ||
    name === "example" ||
    name.endsWith(".example")
  );
}

/** The stack files' placeholder tenants: `dev-example.us.auth0.com`, `prod-example.eu.auth0.com`. */
export function isExampleTenant(host: string): boolean {
  return /^[a-z0-9-]*-?example\.([a-z0-9-]+\.)?auth0\.com$/i.test(host.replace(/\.$/, ""));
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/** The URLs among `urls` on a reserved example domain. */
function placeholders(urls: string[]): string[] {
  return urls.filter((u) => isExampleHost(hostOf(u)));
}

export const noPlaceholdersOutsideDev: ResourceValidationPolicy = {
  name: "no-placeholders-outside-dev",
  description:
    "Outside development stacks (devStacks), no stack file placeholder is deployed: not the *-example.*.auth0.com tenant, not an example.com URL or origin, not an example.com alarm address.",
  configSchema: configSchema("devStacks"),
  validateResource: [
    (args, report) => {
      const stack = stackOf(args.urn);
      if (packConfig(args).devStacks.includes(stack)) return;
      const say = (what: string, fix: string) =>
        report(`stack ${stack}: ${what}, a placeholder of the stack file: ${fix}`);
      const app = args.asType(auth0.Client);
      if (app !== undefined) {
        for (const url of placeholders([
          ...(app.callbacks ?? []),
          ...(app.allowedLogoutUrls ?? []),
          ...(app.webOrigins ?? []),
        ])) {
          say(
            `application ${app.name ?? ""} allows '${url}'`,
            "set your application's URLs (callbackUrls, logoutUrls, webOrigins)",
          );
        }
      }
      const authorizer = args.asType(aws.apigatewayv2.Authorizer);
      const issuer = authorizer?.jwtConfiguration?.issuer;
      if (issuer !== undefined && isExampleTenant(hostOf(issuer))) {
        say(
          `the Auth0 tenant ${hostOf(issuer)}`,
          `set your tenant with: pulumi config set auth0:domain <tenant>.<region>.auth0.com -s ${stack}`,
        );
      }
      const api = args.asType(aws.apigatewayv2.Api);
      for (const origin of placeholders(api?.corsConfiguration?.allowOrigins ?? [])) {
        say(`CORS origin '${origin}'`, "set your browser app's origins (corsAllowOrigins)");
      }
      const subscription = args.asType(aws.sns.TopicSubscription);
      const email = subscription?.protocol === "email" ? subscription.endpoint : undefined;
      if (email !== undefined && isExampleHost(email.split("@")[1] ?? "")) {
        say(
          `alarm address ${email}`,
          "set the address that should hear of alarms (alarmEmail); AWS waits for it to confirm",
        );
      }
    },
  ],
};
