/** A program's stack outputs and resources, resolved into plain JSON after it ran under mocks. */
import type * as PulumiModule from "@pulumi/pulumi";
import { KNOWN_AFTER_DEPLOY, type EvaluatedResource, type RecordedOptions } from "./snapshot";

type Pulumi = typeof PulumiModule;

/** A resource as the mocks received it, before its inputs and state are resolved. */
export interface Registered {
  type: string;
  name: string;
  custom: boolean;
  id: string;
  inputs: unknown;
  state: Record<string, unknown>;
  /** Filled in when the mock monitor answers the registration. */
  recorded?: RecordedOptions;
}

/**
 * The stack's outputs, each read the way the engine receives it (`serializeProperty`, as the SDK
 * sends a stack's outputs): one that waits on a resource the local environment does not emulate
 * is unknown, as in a preview, and reads `KNOWN_AFTER_DEPLOY` (an `apply` on it would never run).
 */
export async function resolveOutputs(
  pulumi: Pulumi,
  exports: Record<string, unknown>,
): Promise<Record<string, { value: unknown; secret: boolean }>> {
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, value] of Object.entries(exports)) {
    if (key === "__esModule") continue;
    const output = pulumi.output(value);
    const wire: unknown = await pulumi.runtime.serializeProperty(`export ${key}`, value);
    outputs[key] = {
      value: JSON.stringify(wire ?? null).includes(pulumi.runtime.unknownValue)
        ? fromWire(pulumi, wire)
        : await resolveDeep(pulumi, output),
      secret: await pulumi.isSecret(output),
    };
  }
  return outputs;
}

/** A serialized value as plain JSON: unknowns as `KNOWN_AFTER_DEPLOY`, secrets unwrapped. */
function fromWire(pulumi: Pulumi, value: unknown): unknown {
  const { runtime } = pulumi;
  if (value === runtime.unknownValue) return KNOWN_AFTER_DEPLOY;
  if (Array.isArray(value)) return value.map((item) => fromWire(pulumi, item));
  if (typeof value !== "object" || value === null) return value;
  const fields = value as Record<string, unknown>;
  if (fields[runtime.specialSigKey] === runtime.specialSecretSig) {
    return fromWire(pulumi, fields.value);
  }
  if (fields[runtime.specialSigKey] === runtime.specialResourceSig)
    return { $resource: fields.urn };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fromWire(pulumi, v)]));
}

export async function resolveResources(
  pulumi: Pulumi,
  seen: Registered[],
): Promise<EvaluatedResource[]> {
  const resources: EvaluatedResource[] = [];
  for (const r of seen) {
    if (r.recorded === undefined) throw new Error(`${r.type} ${r.name} was never registered`);
    resources.push({
      type: r.type,
      name: r.name,
      custom: r.custom,
      id: r.id,
      inputs: (await resolveDeep(pulumi, r.inputs)) as Record<string, unknown>,
      state: (await resolveDeep(pulumi, r.state)) as Record<string, unknown>,
      recorded: r.recorded,
    });
  }
  return resources;
}

/** Resolves promises, Outputs, assets and archives into plain JSON. */
async function resolveDeep(pulumi: Pulumi, value: unknown): Promise<unknown> {
  const v: unknown = await value;
  if (pulumi.Output.isInstance(v)) {
    return resolveDeep(pulumi, await new Promise((resolve) => v.apply(resolve)));
  }
  if (pulumi.asset.Archive.isInstance(v)) {
    const archive = v as unknown as { assets?: unknown; path?: unknown };
    const assets = (await resolveDeep(pulumi, archive.assets ?? {})) as Record<
      string,
      { $asset?: object }
    >;
    const files: Record<string, unknown> = {};
    for (const [path, asset] of Object.entries(assets)) files[path] = asset.$asset ?? asset;
    return archive.path !== undefined
      ? { $archive: { ".": { path: await archive.path } } }
      : { $archive: files };
  }
  if (pulumi.asset.Asset.isInstance(v)) {
    const asset = v as unknown as { text?: unknown; path?: unknown };
    return { $asset: { text: await asset.text, path: await asset.path } };
  }
  if (pulumi.Resource.isInstance(v)) {
    const resource = v as PulumiModule.Resource;
    return { $resource: await new Promise((r) => resource.urn.apply(r)) };
  }
  if (Array.isArray(v)) {
    return Promise.all((v as unknown[]).map((item) => resolveDeep(pulumi, item)));
  }
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      const resolved = await resolveDeep(pulumi, item);
      if (resolved !== undefined) out[k] = resolved;
    }
    return out;
  }
  return v;
}
