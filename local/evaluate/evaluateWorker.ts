/**
 * Child-process side of `evaluateProgram`: runs one Pulumi program under mocks and sends back a
 * JSON snapshot of every resource it declared and every output it exported. The Pulumi runtime
 * keeps its state per process, so each evaluation gets a fresh process.
 */
import type * as PulumiModule from "@pulumi/pulumi";
import { fakeCall, fakeId, fakeState } from "./fakeCloud";
import type { EvaluateRequest, EvaluatedResource, Evaluation } from "./snapshot";
import { warmUp } from "./warmUp";

/** The evaluator's transpiler (plain JavaScript, loaded by registerTypeScript.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { originalStack } = require("./transpiler.js") as { originalStack(stack: string): string };

if (process.env.EVALUATE_WARM_UP !== undefined) {
  warmUp(
    process.env.EVALUATE_WARM_UP,
    (process.env.EVALUATE_WARM_MODULES ?? "").split(",").filter(Boolean),
    JSON.parse(process.env.EVALUATE_WARM_FILES ?? "[]") as string[],
  );
}

process.once("message", (request: EvaluateRequest) => {
  evaluate(request).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      const stack = (err as Error).stack;
      process.stderr.write(`evaluation failed: ${stack ? originalStack(stack) : String(err)}\n`);
      process.exit(1);
    },
  );
});

type Pulumi = typeof PulumiModule;

/** A resource as the mocks received it, before its inputs and state are resolved. */
interface Registered {
  type: string;
  name: string;
  custom: boolean;
  id: string;
  inputs: unknown;
  state: Record<string, unknown>;
}

async function evaluate(request: EvaluateRequest): Promise<Evaluation> {
  const { project, stack, region } = request;
  const fromProject = (id: string) => require.resolve(id, { paths: [request.projectDir] });
  // The program's own copy of the SDK: its runtime state is the one the program registers with.
  const pulumi = loadModule<Pulumi>(fromProject("@pulumi/pulumi"));
  const settings = loadModule<{ waitForRPCs(): Promise<void> }>(
    fromProject("@pulumi/pulumi/runtime/settings"),
  );
  const warnings = captureWarnings();
  pulumi.runtime.setAllConfig({ "aws:region": region, ...request.config }, request.secretKeys);
  const seen = await registerMocks(pulumi, { project, stack, region });

  const started = Date.now();
  let exports: Record<string, unknown>;
  try {
    exports = loadModule(request.entry);
  } catch (err) {
    const isRunError = pulumi.RunError.isInstance(err);
    return {
      kind: "failed",
      project,
      stack,
      error: {
        message: (err as Error).message ?? String(err),
        isRunError,
        stack: isRunError ? undefined : originalStack((err as Error).stack ?? ""),
      },
      resourceCount: seen.length,
    };
  }
  const outputs = await resolveOutputs(pulumi, exports);
  // CallbackFunction serializes its closure before it registers its Function: wait until the
  // runtime's queue stays empty and no new resource arrives.
  let count = -1;
  while (count !== seen.length) {
    count = seen.length;
    await settings.waitForRPCs();
    await new Promise((r) => setImmediate(r));
  }
  const resources = await resolveResources(pulumi, seen);
  return {
    kind: "evaluated",
    ...{ project, stack, resources, outputs },
    warnings: warnings.stop(),
    elapsedMs: Date.now() - started,
    programFiles: programFiles(request.projectDir),
  };
}

/** The project's own TypeScript files this evaluation loaded (not its dependencies'). */
function programFiles(projectDir: string): string[] {
  return Object.keys(require.cache).filter(
    (file) =>
      file.startsWith(`${projectDir}/`) && !file.includes("/node_modules/") && /\.tsx?$/.test(file),
  );
}

/**
 * Without an engine, the SDK prints a program's warnings (`pulumi.log.warn`) with console.warn;
 * they travel back with the evaluation, for the local environment to print.
 */
function captureWarnings(): { stop(): string[] } {
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("warning: ")) warnings.push(text.replace(/^warning: (\[runtime\] )?/, ""));
    else consoleWarn(...args);
  };
  return {
    stop: () => {
      console.warn = consoleWarn;
      return warnings;
    },
  };
}

/** The fake cloud as Pulumi mocks: every resource the program registers is recorded. */
async function registerMocks(
  pulumi: Pulumi,
  ctx: { project: string; stack: string; region: string },
): Promise<Registered[]> {
  const seen: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const id = fakeId(ctx, args.type, args.name, args.inputs);
        const state = fakeState(ctx, args.type, args.name, id, args.inputs);
        const custom = args.custom ?? true;
        seen.push({ type: args.type, name: args.name, custom, id, inputs: args.inputs, state });
        return { id, state };
      },
      call: (args) => fakeCall(ctx, args.token, args.inputs),
    },
    ctx.project,
    ctx.stack,
    false,
  );
  return seen;
}

async function resolveOutputs(
  pulumi: Pulumi,
  exports: Record<string, unknown>,
): Promise<Record<string, { value: unknown; secret: boolean }>> {
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, value] of Object.entries(exports)) {
    if (key === "__esModule") continue;
    const output = pulumi.output(value);
    outputs[key] = {
      value: await resolveDeep(pulumi, output),
      secret: await pulumi.isSecret(output),
    };
  }
  return outputs;
}

async function resolveResources(pulumi: Pulumi, seen: Registered[]): Promise<EvaluatedResource[]> {
  const resources: EvaluatedResource[] = [];
  for (const r of seen) {
    resources.push({
      ...{ type: r.type, name: r.name, custom: r.custom, id: r.id },
      inputs: (await resolveDeep(pulumi, r.inputs)) as Record<string, unknown>,
      state: (await resolveDeep(pulumi, r.state)) as Record<string, unknown>,
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

function loadModule<T = Record<string, unknown>>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}
