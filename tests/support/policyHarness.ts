import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import type { EvaluatedResource } from "../../local/evaluate/snapshot";
import { computedOutputs, firstPreview } from "./firstPreview";
import type { Evaluated } from "./program";

/**
 * Runs the policy pack's own rules against a program evaluated under mocks, handing them what the
 * Pulumi engine would (`@pulumi/policy`'s `server.ts`): each resource's inputs to resource
 * rules, every resource's outputs (and the stack's outputs, on its root resource) to stack rules.
 * Secret values arrive unwrapped, as the engine's deserializer leaves them.
 */
export interface PolicyInput {
  project: string;
  stack: string;
  resources: EvaluatedResource[];
  outputs: Record<string, unknown>;
}

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  message: string;
  /** `<type>::<name>` of the resource a resource rule reported on. */
  resource?: string;
}

export function policyInput(program: Evaluated): PolicyInput {
  return {
    project: program.project,
    stack: program.stack,
    resources: program.resources,
    outputs: Object.fromEntries(Object.entries(program.outputs).map(([k, o]) => [k, o.value])),
  };
}

/** A copy of `input` with one resource changed, as a broken program would declare it. */
export function withResource(
  input: PolicyInput,
  type: string,
  name: string,
  change: (resource: EvaluatedResource) => void,
): PolicyInput {
  const copy = structuredClone(input);
  const target = copy.resources.find((r) => r.type === type && r.name === name);
  if (target === undefined) throw new Error(`no ${type} named ${name}`);
  change(target);
  return copy;
}

class NotApplicable extends Error {}

/** The resource options the engine reports; the program sets none that the rules read. */
const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/**
 * `mock`: every value known, as after `pulumi up`. `preview`: a first `pulumi preview`, where
 * nothing exists yet (see `firstPreview`).
 */
export type PolicyMode = "mock" | "preview";

export async function runPolicies(
  policies: Policies,
  given: PolicyInput,
  config: object = {},
  mode: PolicyMode = "mock",
): Promise<Violation[]> {
  const input = mode === "preview" ? firstPreview(given) : given;
  const props = (values: Record<string, unknown>) =>
    mode === "preview" ? (unknownCheckingProxy(values) as Record<string, unknown>) : values;
  const violations: Violation[] = [];
  const urn = (type: string, name: string) =>
    `urn:pulumi:${input.stack}::${input.project}::${type}::${name}`;
  const common = {
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };

  for (const policy of policies) {
    const level = policy.enforcementLevel ?? "mandatory";
    const report =
      (resource?: string) =>
      (message: string): void => {
        violations.push({ policy: policy.name, level, message, ...(resource ? { resource } : {}) });
      };
    /** What the engine's policy server does with a rule that touched an unknown: an advisory. */
    const cannotRun = (err: unknown, resource?: string): boolean => {
      if (!(err instanceof UnknownValueError)) return false;
      violations.push({
        policy: policy.name,
        level: "advisory",
        message: `can't run policy '${policy.name}' during preview: ${(err as Error).message}`,
        ...(resource ? { resource } : {}),
      });
      return true;
    };
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations = [policy.validateResource].flat();
      for (const r of input.resources.filter((r) => r.custom)) {
        const inputs = props(r.inputs);
        const args: ResourceValidationArgs = {
          ...common,
          type: r.type,
          props: inputs,
          urn: urn(r.type, r.name),
          name: r.name,
          opts: OPTIONS,
          ...typeChecks<ResourceValidationArgs["asType"]>(r.type, inputs),
        };
        const on = `${r.type}::${r.name}`;
        for (const validate of validations) {
          try {
            await validate(args, report(on));
          } catch (err) {
            if (!(err instanceof NotApplicable) && !cannotRun(err, on)) throw err;
          }
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack !== undefined) {
      // The engine knows what depends on what even before anything exists: from the program.
      const resources = stackResources(input, urn, props, given);
      const args: StackValidationArgs = { ...common, resources };
      try {
        await policy.validateStack(args, report());
      } catch (err) {
        if (!(err instanceof NotApplicable) && !cannotRun(err)) throw err;
      }
    }
  }
  return violations;
}

/**
 * Every resource with its outputs, the root stack resource with the stack's outputs, and the
 * property dependencies the engine would record: a property that carries another resource's ID
 * (`apiId`, `integrations/<id>`, a role's name) depends on it.
 */
function stackResources(
  input: PolicyInput,
  urn: (type: string, name: string) => string,
  props: (values: Record<string, unknown>) => Record<string, unknown>,
  declared: PolicyInput = input,
) {
  const resources: PolicyResource[] = input.resources.map((r) => {
    const state = props(r.custom ? r.state : {});
    return {
      type: r.type,
      props: state,
      urn: urn(r.type, r.name),
      name: r.name,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, state),
    };
  });
  declared.resources.forEach((r, i) => {
    const self = resources[i]!;
    for (const [key, value] of Object.entries(r.inputs)) {
      const strings = JSON.stringify(value) ?? "";
      const deps = declared.resources
        .map((d, j) => ({ d, res: resources[j]! }))
        .filter(({ d }) => d !== r && d.custom && refersTo(strings, d))
        .map(({ res }) => res);
      if (deps.length > 0) {
        self.propertyDependencies[key] = deps;
        self.dependencies.push(...deps.filter((d) => !self.dependencies.includes(d)));
      }
    }
  });
  const outputs = props(input.outputs);
  resources.push({
    type: "pulumi:pulumi:Stack",
    props: outputs,
    urn: urn("pulumi:pulumi:Stack", `${input.project}-${input.stack}`),
    name: `${input.project}-${input.stack}`,
    opts: OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    ...typeChecks("pulumi:pulumi:Stack", outputs),
  });
  return resources;
}

/** `isType` and `asType` as the engine's server builds them: by the class's Pulumi type token. */
function typeChecks<AsType = PolicyResource["asType"]>(
  type: string,
  props: Record<string, unknown>,
) {
  const matches = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === type;
  return {
    isType: matches,
    asType: ((cls: unknown) => (matches(cls) ? props : undefined)) as unknown as AsType,
  };
}

/**
 * Whether JSON text refers to a resource: its ID as a whole string, as the last segment of a path
 * or ARN, or as an ARN's resource name followed by a path (a function's invoke ARN,
 * `…:function:<name>/invocations`); or an output only the cloud computes for it (a topic's ARN),
 * which the engine would have tracked as a dependency.
 */
function refersTo(json: string, resource: EvaluatedResource): boolean {
  const quoted = JSON.stringify(resource.id).slice(1, -1);
  return (
    [`"${quoted}"`, `/${quoted}"`, `:${quoted}"`, `:${quoted}/`].some((s) => json.includes(s)) ||
    computedOutputs(resource).some((value) => json.includes(JSON.stringify(value).slice(1, -1)))
  );
}
