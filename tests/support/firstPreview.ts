/**
 * A program as a first `pulumi preview` shows it to the policy pack: no resource exists yet, so
 * every value the cloud computes (IDs, ARNs, endpoints, a client ID or secret, a generated
 * password) is unknown, and so is every input built from one (an ARN in a policy document, a
 * client ID in an Action's code). The engine hands such values as its unknown sentinels, which
 * `@pulumi/policy` wraps in `unknownCheckingProxy` (its `server.ts`); this hands the same ones.
 *
 * The sentinels are the engine's wire protocol values (pulumi/pulumi
 * `sdk/go/common/resource/plugin/rpc.go`, `UnknownStringValue` and its kin): `@pulumi/policy`'s
 * proxy recognizes exactly these, but does not export them in its types.
 */
import type { EvaluatedResource } from "../../local/evaluate/snapshot";
import type { PolicyInput } from "./policyHarness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as Record<
  | "unknownBooleanValue"
  | "unknownNumberValue"
  | "unknownStringValue"
  | "unknownArrayValue"
  | "unknownObjectValue",
  string
>;

/** The sentinel for a value of this kind. */
function unknownLike(value: unknown): string {
  if (typeof value === "boolean") return sentinels.unknownBooleanValue;
  if (typeof value === "number") return sentinels.unknownNumberValue;
  if (Array.isArray(value)) return sentinels.unknownArrayValue;
  if (value !== null && typeof value === "object") return sentinels.unknownObjectValue;
  return sentinels.unknownStringValue;
}

/**
 * The text outputs the cloud computed for a resource: those its inputs did not declare, unless
 * one repeats an input (a record's `fqdn` is its `name`), which the program knew.
 */
export function computedOutputs(r: EvaluatedResource): string[] {
  const declared = new Set(Object.values(r.inputs).filter((v) => typeof v === "string"));
  return Object.entries(r.state)
    .filter(([key, value]) => !(key in r.inputs) && typeof value === "string" && value.length >= 6)
    .map(([, value]) => value as string)
    .filter((value) => !declared.has(value));
}

/**
 * The values only the cloud knows: every resource's ID (unless it is a name the program gave,
 * as a role's, a log group's or a function's is), and each output it computed.
 */
function computedValues(input: PolicyInput): string[] {
  const values = new Set<string>();
  for (const r of input.resources.filter((r) => r.custom)) {
    if (!Object.values(r.inputs).includes(r.id)) values.add(r.id);
    for (const value of computedOutputs(r)) values.add(value);
  }
  return [...values];
}

/** A value with every part built from a computed value made unknown; text that embeds one is. */
function withUnknowns(value: unknown, computed: string[]): unknown {
  if (typeof value === "string") {
    return computed.some((c) => value.includes(c)) ? sentinels.unknownStringValue : value;
  }
  if (Array.isArray(value)) return value.map((v) => withUnknowns(v, computed));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withUnknowns(v, computed)]),
    );
  }
  return value;
}

export function firstPreview(input: PolicyInput): PolicyInput {
  const computed = computedValues(input);
  return {
    ...input,
    resources: input.resources.map((r) => {
      const inputs = withUnknowns(r.inputs, computed) as Record<string, unknown>;
      // Outputs: what the program declared (as known as its inputs), the rest computed, unknown.
      const state = Object.fromEntries(
        Object.entries(r.state).map(([k, v]) => [k, k in r.inputs ? inputs[k] : unknownLike(v)]),
      );
      return { ...r, inputs, state };
    }),
    outputs: withUnknowns(input.outputs, computed) as Record<string, unknown>,
  };
}
