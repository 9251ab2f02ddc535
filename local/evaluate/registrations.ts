/**
 * What the engine records of each registration, read under Pulumi mocks: the resource's URN,
 * parent, dependencies and options, as `RegisterResourceRequest` carries them.
 */
import type * as PulumiModule from "@pulumi/pulumi";
import type { RecordedOptions } from "./snapshot";

type Pulumi = typeof PulumiModule;

/** The parts of the SDK's `RegisterResourceRequest` the engine orders resources by. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void;
  };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  setResult(result: number): void;
}
type Callback = (err: unknown, response?: RegisterResponse) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback): unknown;
}

/**
 * Mocks hand `newResource` the inputs only; the engine also receives, with each registration, the
 * URNs of what the resource waits for. The monitor `setMocks` installed (the SDK's public
 * `getMonitor`) stays in place and answers every call; this one object's `registerResource` is
 * wrapped to note what each registration carried, on the resource `newResource` has just
 * recorded. Replacing the monitor instead (`setMockOptions`) would reset the features `setMocks`
 * turned on (secrets among them), and the class and every other instance stay untouched.
 */
export function recordRegistrations(
  pulumi: Pulumi,
  ctx: { project: string; stack: string },
  seen: { type: string; name: string; recorded?: RecordedOptions }[],
  emulates: (type: string) => boolean,
): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const answer = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    answer(request, (err, response) => {
      // The first of its type and name not yet answered: registrations answer in order.
      const registered = seen.find(
        (r) =>
          r.recorded === undefined && r.type === request.getType() && r.name === request.getName(),
      );
      if (!err && response !== undefined && registered !== undefined) {
        const emulated = !request.getCustom() || emulates(request.getType());
        const secret = `"${pulumi.runtime.specialSigKey}":"${pulumi.runtime.specialSecretSig}"`;
        registered.recorded = {
          ...recordedOptions(request, response.getUrn(), ctx),
          secretInputs: Object.entries(request.getObject()?.toJavaScript() ?? {})
            .filter(([, value]) => JSON.stringify(value).includes(secret))
            .map(([key]) => key),
          emulated,
        };
        // The engine's answer for a resource it did not create or update (`Result.SKIP`): the
        // SDK resolves the outputs the answer lacks as unknown, as a preview does, instead of
        // as a known `undefined` that would read as a value.
        if (!emulated) response.setResult(RESULT_SKIP);
      }
      callback(err, response);
    });
}

/** `pulumirpc.Result.SKIP` (proto/resource.proto). */
const RESULT_SKIP = 2;

function recordedOptions(
  request: RegisterRequest,
  urn: string,
  ctx: { project: string; stack: string },
): Omit<RecordedOptions, "secretInputs" | "emulated"> {
  const propertyDependencies: Record<string, string[]> = {};
  request.getPropertydependenciesMap().forEach((deps, key) => {
    propertyDependencies[key] = [...deps.getUrnsList()];
  });
  return {
    urn,
    parent:
      request.getParent() ||
      `urn:pulumi:${ctx.stack}::${ctx.project}::pulumi:pulumi:Stack::${ctx.project}-${ctx.stack}`,
    dependencies: [...request.getDependenciesList()],
    propertyDependencies,
    protect: request.getProtect() === true,
    retainOnDelete: request.getRetainondelete() === true,
  };
}
