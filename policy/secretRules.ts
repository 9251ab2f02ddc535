import * as auth0 from "@pulumi/auth0";
import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { resourcesOf } from "./stackResources";
import { configSchema, packConfig, stringsIn } from "./support";

const SECRET_NAME = /secret|password|private_?key/i;

/**
 * CrossGuard hands a policy secret values already unwrapped (`@pulumi/policy`'s deserializer),
 * so a policy cannot tell a secret output from a plain one. The rule therefore compares values:
 * a client secret may appear only in the outputs named in `secretOutputs`, which the program
 * exports with `pulumi.secret` (the mock tests check that it does).
 */
export const noPlainClientSecret: StackValidationPolicy = {
  name: "no-plain-client-secret",
  description:
    "No Lambda environment variable and no stack output other than secretOutputs holds a client secret.",
  configSchema: configSchema("secretOutputs"),
  validateStack: (args, report) => {
    const functions = resourcesOf(args.resources, aws.lambda.Function).map(({ p }) => p);
    // First what a first preview knows: the variables' names. Their values are compared with
    // the client secret, which exists only once the application does.
    for (const fn of functions) {
      for (const name of Object.keys(fn.environment?.variables ?? {})) {
        if (SECRET_NAME.test(name))
          report(
            `function ${fn.name} has the secret-like variable ${name}: read secrets at run time instead`,
          );
      }
    }
    const secrets = new Set(
      resourcesOf(args.resources, auth0.ClientCredentials)
        .map(({ p }) => p.clientSecret)
        .filter((s): s is string => typeof s === "string" && s !== ""),
    );
    for (const fn of functions) {
      for (const [name, value] of Object.entries(fn.environment?.variables ?? {})) {
        if (secrets.has(value)) report(`function ${fn.name} holds a client secret in ${name}`);
      }
    }
    const { secretOutputs } = packConfig(args);
    for (const stack of args.resources.filter((r) => r.type === "pulumi:pulumi:Stack")) {
      for (const [name, value] of Object.entries(stack.props)) {
        if (secretOutputs.includes(name)) continue;
        if (stringsIn(value).some((s) => secrets.has(s))) {
          report(
            `stack output ${name} holds a client secret; only ${secretOutputs.join(", ")} may, as a Pulumi secret`,
          );
        }
      }
    }
  },
};
