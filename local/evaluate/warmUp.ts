/**
 * What a spare evaluator does while it waits, through public modules and hooks only, each with
 * what it saves a hot reload's evaluation (median of seven, spare warm, this 2-core machine):
 * loading the SDKs and TypeScript; enabling the debugger (the closure serializer's inspector
 * needs it; enabled once most scripts are loaded it costs 0.2 s); transpiling the program ahead
 * (transpiler.js, 0.3 s).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "node:inspector";

function loadModule<T = Record<string, unknown>>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

/**
 * A new evaluator process loads the SDKs before it is asked to run anything (the program itself
 * is not loaded, so it is always fresh): most of a first evaluation's time is loading `@pulumi/*`
 * and the TypeScript parser the closure serializer uses. A process that has evaluated once keeps
 * all of it (evaluateWorker.ts).
 */
export function warmUp(
  projectDir: string,
  modules: string[],
  programFiles: string[] = [],
  packageFiles: string[] = [],
): void {
  const fromProject = (id: string) => require.resolve(id, { paths: [projectDir] });
  // The closure serializer inspects each function through an inspector session, whose debugger
  // costs 0.2 s to enable once the SDKs' thousands of scripts are loaded, and next to nothing
  // before: enabled now, in a session of this process's own, kept open, the serializer's own
  // session finds it on (measured: 0.28 s a reload's evaluation, 0.48 s without).
  debuggerSession.connect();
  debuggerSession.post("Debugger.enable");
  try {
    const manifest = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (name.startsWith("@pulumi/")) loadModule(fromProject(name));
    }
    // The closure serializer's parser.
    loadModule(fromProject("typescript"));
    // Provider submodules load lazily; touch the ones the last evaluation used (`aws:lambda`).
    for (const entry of modules) {
      const [pkg, module] = entry.split(":");
      void (loadModule(fromProject(`@pulumi/${pkg}`)) as Record<string, unknown>)[module!];
    }
    // The packages the program requires (the AWS SDK for its handlers): loaded before the
    // evaluator's baseline of globals, as they are for every evaluation after the first.
    for (const file of packageFiles) {
      try {
        loadModule(file);
      } catch {
        // The evaluation loads it, and says what is wrong with it.
      }
    }
    const transpiler = join(__dirname, "transpiler.js");
    loadModule<{ transpileAhead(files: string[]): void }>(transpiler).transpileAhead(programFiles);
  } catch {
    // Warming up is an optimisation: the evaluation loads whatever is missing.
  }
}

const debuggerSession = new Session();
