import type { EvaluatedResource } from "../../local/evaluate/snapshot";
import { withResource, type PolicyInput, type Violation } from "../support/policyHarness";

/**
 * The programs cases break: both stacks (prod with its placeholders filled in, as a team deploys
 * it), and that prod with a custom domain on a hosted zone, or with a certificate of its own.
 */
export interface PolicyStacks {
  dev: PolicyInput;
  prod: PolicyInput;
  withDomain: PolicyInput;
  withCertificate: PolicyInput;
  /** prod exactly as `Pulumi.prod.yaml` ships, placeholders and all. */
  prodAsShipped: PolicyInput;
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
/** The pack program's protected route (GET /mine): its function, role and log group's name in dev. */
export const PROTECTED = "api-auth-jwt-auth0-dev-get-mine";

/** One mandatory violation of `policy`, reported on a resource or on the stack. */
export const mandatory = (policy: string, message: string, resource?: string): Violation => ({
  policy,
  level: "mandatory",
  message,
  ...(resource ? { resource } : {}),
});

/**
 * The same change to a resource's inputs (what resource rules see) and outputs (stack rules).
 * `literal`: properties the broken program writes as plain values (an ARN typed out, not another
 * resource's output), which then carry no dependency the engine would record.
 */
export function changed(
  input: PolicyInput,
  type: string,
  name: string,
  change: (props: Record<string, unknown>) => void,
  literal: string[] = [],
): PolicyInput {
  return withResource(input, type, name, (r: EvaluatedResource) => {
    change(r.inputs);
    change(r.state);
    for (const property of literal) delete r.recorded.propertyDependencies[property];
    const kept = new Set(Object.values(r.recorded.propertyDependencies).flat());
    r.recorded.dependencies = r.recorded.dependencies.filter((urn) => kept.has(urn));
  });
}

/**
 * A resource a broken program adds, registered as the engine records a top-level resource of
 * the stack: under the stack, waiting for nothing.
 */
export function added(
  input: PolicyInput,
  resource: Omit<EvaluatedResource, "recorded" | "id" | "custom">,
): PolicyInput {
  const copy = structuredClone(input);
  const stack = `urn:pulumi:${input.stack}::${input.project}::pulumi:pulumi:Stack::${input.project}-${input.stack}`;
  copy.resources.push({
    ...resource,
    custom: true,
    id: resource.name,
    recorded: {
      urn: `urn:pulumi:${input.stack}::${input.project}::${resource.type}::${resource.name}`,
      parent: stack,
      dependencies: [],
      propertyDependencies: {},
      secretInputs: [],
      emulated: true,
      protect: false,
      retainOnDelete: false,
    },
  });
  return copy;
}

/** Resources of another stack's program, as this stack would register them. */
export function movedTo(stack: PolicyInput, resources: EvaluatedResource[]): EvaluatedResource[] {
  const prefix = (r: EvaluatedResource) => r.recorded.urn.split("::")[0]!;
  return structuredClone(resources).map((r) => {
    const from = `${prefix(r)}::`;
    const to = `urn:pulumi:${stack.stack}::`;
    const move = (urn: string) => (urn.startsWith(from) ? to + urn.slice(from.length) : urn);
    r.recorded.urn = move(r.recorded.urn);
    r.recorded.parent = move(r.recorded.parent);
    r.recorded.dependencies = r.recorded.dependencies.map(move);
    return r;
  });
}

/** An IAM policy document granting `action` on `resource`. */
export const grant = (resource: string, action: string | string[] = "logs:PutLogEvents") =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
  });
