/**
 * Speed-ups of a program's evaluation that lean on libraries' internals, kept apart from the
 * evaluation itself. Each checks that its library still looks as it did when the trick was
 * written, and does nothing otherwise (the evaluation is then slower, never wrong);
 * `tests/local/warmUp.test.ts` fails when a library changes so that a trick no longer applies.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** What each trick found when it was asked to apply. */
export const tricks = {
  dependencyTree: "not tried" as TrickStatus,
  promiseStackTraces: "not tried" as TrickStatus,
  transpileAhead: "not tried" as TrickStatus,
};
export type TrickStatus = "applied" | "not tried" | `skipped: ${string}`;

function loadModule<T = Record<string, unknown>>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

/**
 * A spare process loads the SDKs before it is asked to run anything (the program itself is not
 * loaded, so it is always fresh): most of an evaluation's time is loading `@pulumi/*` and the
 * TypeScript parser the closure serializer uses.
 */
export function warmUp(projectDir: string, modules: string[], programFiles: string[] = []): void {
  const fromProject = (id: string) => require.resolve(id, { paths: [projectDir] });
  try {
    const manifest = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (name.startsWith("@pulumi/")) loadModule(fromProject(name));
    }
    // The closure serializer's parser, and the dependency walker CallbackFunction's code paths use.
    loadModule(fromProject("typescript"));
    const sdk = dirname(fromProject("@pulumi/pulumi/package.json"));
    const readTree = shareDependencyTree(require.resolve("@npmcli/arborist", { paths: [sdk] }));
    void readTree?.(projectDir);
    // The closure serializer's inspector session: enabling the debugger costs a third of a second
    // once many scripts are loaded; opened now, it is ready when the first function is serialized.
    void loadModule<{ getSessionAsync(): Promise<unknown> }>(
      fromProject("@pulumi/pulumi/runtime/closure/v8Hooks"),
    ).getSessionAsync();
    // Provider submodules load lazily; touch the ones the last evaluation used (`aws:lambda`).
    for (const entry of modules) {
      const [pkg, module] = entry.split(":");
      void (loadModule(fromProject(`@pulumi/${pkg}`)) as Record<string, unknown>)[module!];
    }
    transpileAhead(programFiles);
  } catch {
    // Warming up is an optimisation: the evaluation loads whatever is missing.
  }
}

/** The Arborist majors whose `loadActual(options = {})` this was written against. */
const ARBORIST_MAJORS = [9];

/**
 * CallbackFunction finds the packages a function needs by reading the project's whole
 * `node_modules` tree (Arborist's `loadActual`, from the SDK's `closure/codePaths.js`), once per
 * function: most of an evaluation's time. The tree is read once per process (the spare reads it
 * while it waits) and shared, as long as the package files it came from are unchanged. Returns
 * a reader that fills the cache, or undefined when the trick does not apply.
 */
export function shareDependencyTree(
  arboristPath: string,
): ((projectDir: string) => Promise<unknown>) | undefined {
  type Tree = { path: string; loadActual(options?: unknown): Promise<unknown> };
  type ArboristClass = { new (o: { path: string }): Tree; prototype: Tree };
  const version = loadModule<{ version: string }>(
    join(packageRoot(arboristPath, "@npmcli/arborist"), "package.json"),
  ).version;
  const { Arborist } = loadModule<{ Arborist?: ArboristClass }>(arboristPath);
  const original = Arborist?.prototype.loadActual;
  if (!ARBORIST_MAJORS.includes(Number(version.split(".")[0])) || typeof original !== "function") {
    tricks.dependencyTree = `skipped: @npmcli/arborist ${version} is not a version this was written for`;
    return undefined;
  }
  const trees = new Map<string, Promise<unknown>>();
  Arborist!.prototype.loadActual = function (this: Tree, options?: unknown) {
    if (options !== undefined) return original.call(this, options);
    const key = `${resolve(this.path)}|${packageFilesSignature(this.path)}`;
    if (!trees.has(key)) trees.set(key, original.call(this));
    return trees.get(key)!;
  };
  tricks.dependencyTree = "applied";
  return (projectDir) => new Arborist!({ path: projectDir }).loadActual().catch(() => undefined);
}

/** Changes whenever npm changes what is installed. */
function packageFilesSignature(dir: string): string {
  return ["package.json", "package-lock.json", "node_modules/.package-lock.json"]
    .map((f) => {
      try {
        return statSync(join(dir, f)).mtimeMs;
      } catch {
        return 0;
      }
    })
    .join("/");
}

/** The folder of the package a resolved file belongs to. */
function packageRoot(file: string, name: string): string {
  const at = file.lastIndexOf(`/node_modules/${name}/`);
  return at === -1 ? dirname(file) : file.slice(0, at + `/node_modules/${name}`.length);
}

/**
 * The Pulumi SDK captures a stack trace for every promise it creates (`runtime/debuggable.js`:
 * `new Error().stack`, for leak reports on exit), and ts-node source-maps every stack trace: a
 * third of an evaluation's time. Message-less errors (those captures) keep V8's plain format;
 * every error with a message is still source-mapped. Applies only when a source-mapping
 * `Error.prepareStackTrace` is installed (ts-node's).
 */
export function cheapenPromiseStackTraces(): void {
  const mapped = Error.prepareStackTrace;
  if (mapped === undefined) {
    tricks.promiseStackTraces = "skipped: no Error.prepareStackTrace is installed";
    return;
  }
  Error.prepareStackTrace = (error, callsites) =>
    error instanceof Error && error.message === "" && error.name === "Error"
      ? `Error\n    at ${callsites.join("\n    at ")}`
      : mapped(error, callsites);
  tricks.promiseStackTraces = "applied";
}

/** ts-node's compiler as `ts-node/register` leaves it on `process` (ts-node 10). */
type TsNodeService = { compile(code: string, fileName: string, lineOffset?: number): string };
const TS_NODE_MAJORS = [10];

/**
 * ts-node transpiles each of the program's files as it is required: about half of a hot reload's
 * evaluation (235 of 500 ms of CPU, profiled). A spare transpiles, while it waits, the files the
 * last evaluation loaded. When the program runs, a file whose text is still the text transpiled
 * gets that output, which is ts-node's own for that text (and its source map, which ts-node
 * registered then, still maps its errors); a changed file is transpiled as usual.
 */
export function transpileAhead(files: string[]): void {
  const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[
    Symbol.for("ts-node.register.instance")
  ];
  let version = "none";
  try {
    version = loadModule<{ version: string }>("ts-node/package.json").version;
  } catch {
    // Not installed where this module is: the check below skips the trick.
  }
  if (
    typeof service?.compile !== "function" ||
    !TS_NODE_MAJORS.includes(Number(version.split(".")[0]))
  ) {
    tricks.transpileAhead = `skipped: no ts-node 10 compiler is registered (ts-node ${version})`;
    return;
  }
  const compile = service.compile.bind(service);
  const ahead = new Map<string, { code: string; output: string }>();
  for (const file of files) {
    try {
      const code = readFileSync(file, "utf8");
      ahead.set(file, { code, output: compile(code, file) });
    } catch {
      // Gone or not valid any more: the program's own require says so, as it would have.
    }
  }
  service.compile = (code, fileName, lineOffset) => {
    const done = ahead.get(fileName);
    ahead.delete(fileName);
    return done !== undefined && done.code === code && !lineOffset
      ? done.output
      : compile(code, fileName, lineOffset);
  };
  tricks.transpileAhead = "applied";
}
