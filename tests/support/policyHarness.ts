import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import type { EvaluatedResource } from "../../local/evaluate/snapshot";
import { firstPreview } from "./firstPreview";
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
          urn: r.recorded.urn,
          name: r.name,
          opts: { ...OPTIONS, protect: r.recorded.protect, parent: r.recorded.parent },
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
      const resources = stackResources(input, urn, props);
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
 * dependencies the engine recorded when each registered (the evaluator's `recorded`): what the
 * engine hands stack policies, and what it knows even before anything exists.
 */
function stackResources(
  input: PolicyInput,
  urn: (type: string, name: string) => string,
  props: (values: Record<string, unknown>) => Record<string, unknown>,
) {
  const byUrn = new Map<string, PolicyResource>();
  const resources: PolicyResource[] = input.resources.map((r) => {
    const state = props(r.custom ? r.state : {});
    const resource: PolicyResource = {
      type: r.type,
      props: state,
      urn: r.recorded.urn,
      name: r.name,
      opts: { ...OPTIONS, protect: r.recorded.protect, parent: r.recorded.parent },
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, state),
    };
    byUrn.set(r.recorded.urn, resource);
    return resource;
  });
  const resolve = (urns: string[]) =>
    urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
  input.resources.forEach((r, i) => {
    const self = resources[i]!;
    self.dependencies = resolve(r.recorded.dependencies);
    for (const [key, urns] of Object.entries(r.recorded.propertyDependencies)) {
      self.propertyDependencies[key] = resolve(urns);
    }
    const parent = byUrn.get(r.recorded.parent);
    if (parent !== undefined) self.parent = parent;
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
