/**
 * Child-process side of `evaluateProgram`: runs a Pulumi program under mocks and sends back a
 * JSON snapshot of every resource it declared and every output it exported.
 *
 * A process evaluates again and again while its evaluations succeed: the SDKs stay loaded and
 * their code warm, and each evaluation loads the program's own files afresh (they leave the
 * module cache first) and starts from `setMocks`, which resets the runtime's state (its options,
 * its stack resource, its monitor). A hot reload's evaluation took 0.86 s at editing's pace with a
 * fresh process per evaluation (the next one still loading the SDKs) and 0.26 s with saves far
 * apart; see docs/performance.md for what it takes now. A program that fails may leave work
 * pending that would register into the next evaluation: its process ends after answering.
 */
import type * as PulumiModule from "@pulumi/pulumi";
import { basename } from "node:path";
import { composeSourceMap, type EmittedFile, type SourceMap } from "../lambda/sourceMaps";
import { emulates, fakeCall, fakeId, fakeState } from "./fakeCloud";
import { recordRegistrations } from "./registrations";
import { resolveOutputs, resolveResources, type Registered } from "./resolve";
import {
  isArchiveSnapshot,
  type EvaluatedResource,
  type EvaluateRequest,
  type Evaluation,
} from "./snapshot";
import { warmUp } from "./warmUp";

/** The evaluator's transpiler (plain JavaScript, loaded by registerTypeScript.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configure, emittedFiles, originalStack } = require("./transpiler.js") as {
  configure(configPath: string | undefined): void;
  emittedFiles(files: string[]): EmittedFile[];
  originalStack(stack: string): string;
};

/**
 * What a program may change in its process that a fresh process would not have: its environment
 * and its global names, as they were before the first program loaded (the SDKs loaded: they add
 * globals of their own, `globalStore`, `proto`). A process whose program changed them is not kept
 * (see `changedProcess`): the next evaluation runs where a fresh start would.
 */
let fresh: { env: string; globals: Set<string> } | undefined;

if (process.env.EVALUATE_WARM_UP !== undefined) {
  warmUp(
    process.env.EVALUATE_WARM_UP,
    (process.env.EVALUATE_WARM_MODULES ?? "").split(",").filter(Boolean),
    JSON.parse(process.env.EVALUATE_WARM_FILES ?? "[]") as string[],
    JSON.parse(process.env.EVALUATE_WARM_PACKAGES ?? "[]") as string[],
  );
}

process.on("message", (request: EvaluateRequest) => {
  forgetProgram();
  configure(process.env.EVALUATE_TSCONFIG);
  evaluate(request).then(
    (result) => {
      const done = result.kind === "failed" || changedProcess();
      process.send!(
        { ...result, ...(done ? { processEnds: true } : {}) },
        () => done && process.exit(0),
      );
    },
    (err: unknown) => {
      const stack = (err as Error).stack;
      process.stderr.write(`evaluation failed: ${stack ? originalStack(stack) : String(err)}\n`);
      process.exit(1);
    },
  );
});

/**
 * Whether the program changed what the next evaluation would inherit: `process.env` or a global
 * name (a fresh process would have neither change). Changes inside existing objects are not seen.
 * A package that defines a global as it loads (the AWS SDK's `awslambda`) ends the first process
 * that loads it; the next one loads it ahead (`packageFiles`, see warmUp.ts), before this check's
 * baseline is taken.
 */
function changedProcess(): boolean {
  if (fresh === undefined) return true;
  const globals = Object.getOwnPropertyNames(globalThis);
  return (
    JSON.stringify(process.env) !== fresh.env ||
    globals.length !== fresh.globals.size ||
    globals.some((name) => !fresh!.globals.has(name))
  );
}

// The parent lets go of a process it no longer needs: it ends.
process.on("disconnect", () => process.exit(0));

/** The program's own modules (its files, not its packages) the last evaluation loaded. */
let programModules: string[] = [];

/**
 * Drops the program's own modules from the cache, so that the next evaluation loads them as
 * saved, and from their parents' `children`, which would otherwise keep every earlier
 * evaluation's resources alive (1.7 MB of heap per evaluation, found in a heap snapshot).
 */
function forgetProgram(): void {
  const forgotten = new Set(programModules.map((file) => require.cache[file]));
  for (const file of programModules) delete require.cache[file];
  programModules = [];
  for (const module of [require.main, ...Object.values(require.cache)]) {
    if (module?.children.some((child) => forgotten.has(child))) {
      module.children = module.children.filter((child) => !forgotten.has(child));
    }
  }
}

type Pulumi = typeof PulumiModule;

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

  fresh ??= {
    env: JSON.stringify(process.env),
    globals: new Set(Object.getOwnPropertyNames(globalThis)),
  };
  const started = Date.now();
  const loaded = new Set(Object.keys(require.cache));
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
        ...(isRunError ? {} : { stack: originalStack((err as Error).stack ?? "") }),
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
  programModules = loadedSince(loaded);
  const programFiles = programModules.filter((file) => /\.tsx?$/.test(file));
  addSourceMaps(resources, emittedFiles(programFiles));
  return {
    kind: "evaluated",
    project,
    stack,
    resources,
    outputs,
    warnings: warnings.stop(),
    elapsedMs: Date.now() - started,
    programFiles,
    inputFiles: programModules,
    packageFiles: packagesRequiredBy(programModules),
  };
}

/**
 * Each archive's scripts mapped back to the TypeScript this process emitted for the program, for
 * the stacks a function's errors print and for `--inspect` (`composeSourceMap`).
 */
function addSourceMaps(resources: EvaluatedResource[], emitted: EmittedFile[]): void {
  for (const resource of resources) {
    const { code } = resource.inputs;
    if (!isArchiveSnapshot(code)) continue;
    const maps: Record<string, SourceMap> = {};
    for (const [path, asset] of Object.entries(code.$archive)) {
      if (!path.endsWith(".js") || asset.text === undefined) continue;
      const map = composeSourceMap(asset.text, basename(path), emitted);
      if (map !== undefined) maps[path] = map;
    }
    if (Object.keys(maps).length > 0) resource.sourceMaps = maps;
  }
}

/** The packages' modules the program's own files require directly (`@aws-sdk/client-dynamodb`). */
function packagesRequiredBy(files: string[]): string[] {
  const required = files.flatMap((file) => require.cache[file]?.children ?? []).map((m) => m.id);
  return [...new Set(required.filter((id) => id.includes("/node_modules/")))];
}

/** The files loaded since `before` that are not a package's (under no `node_modules`). */
function loadedSince(before: Set<string>): string[] {
  return Object.keys(require.cache).filter(
    (file) => !before.has(file) && !file.includes("/node_modules/"),
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
  recordRegistrations(pulumi, ctx, seen, emulates);
  return seen;
}

function loadModule<T = Record<string, unknown>>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}
