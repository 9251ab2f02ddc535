import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { EvaluatedResource } from "../../local/evaluate/snapshot";
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

export async function runPolicies(
  policies: Policies,
  input: PolicyInput,
  config: object = {},
): Promise<Violation[]> {
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
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations = [policy.validateResource].flat();
      for (const r of input.resources.filter((r) => r.custom)) {
        const args: ResourceValidationArgs = {
          ...common,
          type: r.type,
          props: r.inputs,
          urn: urn(r.type, r.name),
          name: r.name,
          opts: OPTIONS,
          ...typeChecks<ResourceValidationArgs["asType"]>(r.type, r.inputs),
        };
        for (const validate of validations) {
          try {
            await validate(args, report(`${r.type}::${r.name}`));
          } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
          }
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack !== undefined) {
      const args: StackValidationArgs = { ...common, resources: stackResources(input, urn) };
      try {
        await policy.validateStack(args, report());
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
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
function stackResources(input: PolicyInput, urn: (type: string, name: string) => string) {
  const resources: PolicyResource[] = input.resources.map((r) => ({
    type: r.type,
    props: r.custom ? r.state : {},
    urn: urn(r.type, r.name),
    name: r.name,
    opts: OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    ...typeChecks(r.type, r.custom ? r.state : {}),
  }));
  input.resources.forEach((r, i) => {
    const self = resources[i]!;
    for (const [key, value] of Object.entries(r.inputs)) {
      const strings = JSON.stringify(value) ?? "";
      const deps = input.resources
        .map((d, j) => ({ d, res: resources[j]! }))
        .filter(({ d }) => d !== r && d.custom && refersTo(strings, d.id))
        .map(({ res }) => res);
      if (deps.length > 0) {
        self.propertyDependencies[key] = deps;
        self.dependencies.push(...deps.filter((d) => !self.dependencies.includes(d)));
      }
    }
  });
  resources.push({
    type: "pulumi:pulumi:Stack",
    props: input.outputs,
    urn: urn("pulumi:pulumi:Stack", `${input.project}-${input.stack}`),
    name: `${input.project}-${input.stack}`,
    opts: OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    ...typeChecks("pulumi:pulumi:Stack", input.outputs),
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

/** Whether JSON text holds `id` as a whole string or as the last segment of a path or ARN. */
function refersTo(json: string, id: string): boolean {
  const quoted = JSON.stringify(id).slice(1, -1);
  return json.includes(`"${quoted}"`) || json.includes(`/${quoted}"`);
}
