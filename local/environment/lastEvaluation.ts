/**
 * The last model a start or a reload served, kept in the state folder with a digest of what it was
 * made from: the program's own files, the project and stack files, the installed packages. A
 * restart whose inputs are unchanged serves it at once, while a fresh evaluation confirms it in
 * the background (`npm start` to Ready: about 4 s with an evaluation, most of it the evaluation,
 * measured by `npm run bench`). Readable by this user only: it holds the program's outputs.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { LocalModel } from "../interpret/model";
import { stateFolder } from "../state";
import type { LocalEnvironmentOptions } from "./options";
import { Evaluator } from "../evaluate/evaluateProgram";
import { evaluateModel } from "./programModel";

interface Kept {
  digest: string;
  model: LocalModel;
}

export interface ProgramInputs {
  projectDir: string;
  stack: string;
  /** The program's entry file, relative to the project. */
  entry: string;
  stateDir: string;
}

/**
 * The kept model, if what it was made from has not changed since. A file another version of the
 * environment kept in another shape (no list of the files it was made from) is not served.
 */
export function readLastEvaluation(inputs: ProgramInputs): LocalModel | undefined {
  let kept: Partial<Kept>;
  try {
    kept = JSON.parse(readFileSync(keptPath(inputs), "utf8")) as Partial<Kept>;
  } catch {
    return undefined;
  }
  const inputFiles: unknown = kept.model?.inputFiles;
  if (!Array.isArray(inputFiles) || !inputFiles.every((f) => typeof f === "string"))
    return undefined;
  return kept.digest === evaluationDigest(inputs, inputFiles) ? kept.model : undefined;
}

/** Keeps `model` as the last evaluation of these inputs. */
export function keepLastEvaluation(inputs: ProgramInputs, model: LocalModel): void {
  const path = keptPath(inputs);
  mkdirSync(dirname(path), { recursive: true });
  const kept: Kept = { digest: evaluationDigest(inputs, model.inputFiles), model };
  writeFileSync(path, JSON.stringify(kept), { mode: 0o600 });
}

/** Whether two evaluations serve the same thing. */
export function sameModel(a: LocalModel, b: LocalModel): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function keptPath({ stateDir, stack, entry }: ProgramInputs): string {
  const name = createHash("sha256").update(`${stack}\0${entry}`).digest("hex").slice(0, 16);
  return join(stateDir, "evaluations", `${name}.json`);
}

/**
 * The environment's own code that evaluates a program and reads the model off it: a model kept
 * by another version of it (another shape, other readings) is not served.
 */
const MODEL_MAKERS = [
  ...["../evaluate", "../interpret"].flatMap((folder) => {
    const dir = resolve(__dirname, folder);
    return readdirSync(dir)
      .filter((f) => /\.(ts|js)$/.test(f))
      .map((f) => join(dir, f));
  }),
  // The evaluator composes the archives' source maps with it.
  resolve(__dirname, "../lambda/sourceMaps.ts"),
];

/**
 * Every input of an evaluation, the one test of "unchanged" (the kept evaluation's, and the
 * tests' cached evaluations'): the project and stack files, the installed packages, Node's
 * version, every file of the project the evaluation loaded (`inputFiles`: `.ts`, `.js`, `.json`)
 * and the environment's own code that evaluates and reads the model. A file that cannot be read
 * counts as missing.
 */
export function evaluationDigest(
  inputs: Pick<ProgramInputs, "projectDir" | "stack" | "entry">,
  inputFiles: readonly string[],
): string {
  const { projectDir, stack, entry } = inputs;
  const files = [
    "Pulumi.yaml",
    `Pulumi.${stack}.yaml`,
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    // What npm writes on every install: a package changed under node_modules.
    "node_modules/.package-lock.json",
    entry,
  ].map((f) => resolve(projectDir, f));
  const hash = createHash("sha256").update(`${process.version}\0${stack}\0`);
  for (const file of [...new Set([...files, ...inputFiles, ...MODEL_MAKERS])].sort()) {
    hash.update(file).update("\0");
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update("(missing)");
    }
    hash.update("\0");
  }
  return hash.digest("hex");
}

/**
 * Where the environment's models come from: fresh evaluations, on the environment's own
 * evaluator, each kept when asked. The environment closes it when it stops.
 */
export interface ProgramSource {
  /** A fresh evaluation (kept, when the source keeps them); `signal` abandons it. */
  evaluate(signal?: AbortSignal): Promise<LocalModel>;
  /** The kept model a start serves at once, when its inputs are unchanged. */
  kept: LocalModel | undefined;
  /** Starts the next evaluation's process now, to load the SDKs while the caller loads the rest. */
  prepare(): void;
  /** Ends the evaluator's spare process. */
  close(): void;
}

/**
 * The program's models, fresh evaluations on an evaluator that keeps a spare process warm while
 * the program is watched (`watch`). With `keep` (`npm start`), each one is kept in the state
 * folder, and the last one kept is read here, once, for the start to serve. `evaluate` (tests)
 * replaces the evaluator.
 */
export function programSource(
  projectDir: string,
  options: Pick<LocalEnvironmentOptions, "stack" | "entry" | "evaluate" | "stateDir" | "watch">,
  keep: boolean,
): ProgramSource {
  const stateDir = stateFolder(projectDir, options.stateDir);
  const inputs = { projectDir, stack: options.stack, entry: options.entry ?? "index.ts", stateDir };
  const evaluator = new Evaluator(projectDir, { keepSpare: options.watch ?? false });
  const evaluate = (signal?: AbortSignal) =>
    options.evaluate !== undefined
      ? options.evaluate(projectDir, options, signal)
      : evaluateModel(evaluator, options, signal);
  return {
    evaluate: async (signal?: AbortSignal) => {
      const model = await evaluate(signal);
      if (keep) keepLastEvaluation(inputs, model);
      return model;
    },
    kept: keep ? readLastEvaluation(inputs) : undefined,
    prepare: () => options.evaluate === undefined && evaluator.prepare(),
    close: () => evaluator.close(),
  };
}
