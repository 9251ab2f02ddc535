import type { EvaluatedResource } from "../../local/evaluate/snapshot";
import { withResource, type PolicyInput, type Violation } from "../support/policyHarness";

/** The programs cases break: both stacks, and prod with a custom domain on a hosted zone. */
export interface PolicyStacks {
  dev: PolicyInput;
  prod: PolicyInput;
  withDomain: PolicyInput;
}

/**
 * One rule of the pack fed one deliberately broken program: what it must report, exactly. A case
 * with no expected violation shows where the rule must stay quiet.
 */
export interface PolicyCase {
  rule: string;
  does: string;
  broken: (stacks: PolicyStacks) => PolicyInput;
  config?: object;
  expected: Violation[];
  /**
   * What the rule reports at a first `pulumi preview` (nothing exists yet), where that differs
   * from `expected`: `[]` when the broken value is one only the cloud computes. "Can't run"
   * advisories for what is unknown are not counted here.
   */
  atFirstPreview?: Violation[];
}

export const FN = "aws:lambda/function:Function";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const ROUTE = "aws:apigatewayv2/route:Route";
export const STAGE = "aws:apigatewayv2/stage:Stage";
export const APP = "auth0:index/client:Client";
export const PERMISSION = "aws:lambda/permission:Permission";
/** The private route's function, role and log group share this name in stack dev. */
export const PRIVATE = "api-auth-jwt-auth0-dev-get-private";

/** One mandatory violation of `policy`, reported on a resource or on the stack. */
export const mandatory = (policy: string, message: string, resource?: string): Violation => ({
  policy,
  level: "mandatory",
  message,
  ...(resource ? { resource } : {}),
});

/** The same change to a resource's inputs (what resource rules see) and outputs (stack rules). */
export function changed(
  input: PolicyInput,
  type: string,
  name: string,
  change: (props: Record<string, unknown>) => void,
): PolicyInput {
  return withResource(input, type, name, (r: EvaluatedResource) => {
    change(r.inputs);
    change(r.state);
  });
}

/** An IAM policy document granting `action` on `resource`. */
export const grant = (resource: string, action: string | string[] = "logs:PutLogEvents") =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
  });
