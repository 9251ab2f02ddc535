import type { PolicyResource } from "@pulumi/policy";
import type { Output, Resource } from "@pulumi/pulumi";

/** A resource's outputs, as stack policies see them: every `Output<T>` field as a plain `T`. */
export type OutputsOf<R> = { [K in keyof R]?: R[K] extends Output<infer U> ? U : never };

/** The resources of one class, each with its outputs typed from that class. */
export function resourcesOf<R extends Resource>(
  resources: PolicyResource[],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cls: { new (...rest: any[]): R },
): { r: PolicyResource; p: OutputsOf<R> }[] {
  return resources.filter((r) => r.isType(cls)).map((r) => ({ r, p: r.props as OutputsOf<R> }));
}

/**
 * Stack policies see outputs and no provider IDs: a resource names another through the engine's
 * property dependencies (`route.target` → its integration) or through an ARN.
 */
export function dependency(
  r: PolicyResource,
  property: string,
  type: string,
): PolicyResource | undefined {
  return r.propertyDependencies[property]?.find((d) => d.type === type);
}
