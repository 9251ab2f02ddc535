import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR, TEST_STATE_DIR } from "./paths";
import { evaluateProgram, EvaluateOptions } from "../../local/evaluate/evaluateProgram";
import type { EvaluatedResource, Evaluation } from "../../local/evaluate/snapshot";
import { isArchiveSnapshot } from "../../local/evaluate/snapshot";
import { cachedEvaluation } from "./evaluationCache";

export { PROJECT_DIR, TEST_STATE_DIR } from "./paths";

export type Evaluated = Extract<Evaluation, { kind: "evaluated" }>;

const evaluated = new Map<string, Promise<Evaluation>>();

/**
 * Evaluates this project's program for a stack with its own stack file, under Pulumi mocks. With
 * the stack file as it is, one evaluation per stack serves every test file in the run (see
 * `evaluationCache.ts`).
 */
export async function evaluateStack(
  stack: string,
  options: Partial<EvaluateOptions> = {},
): Promise<Evaluation> {
  if (Object.keys(options).length > 0)
    return evaluateProgram({ projectDir: PROJECT_DIR, stack, ...options });
  if (!evaluated.has(stack)) evaluated.set(stack, cachedEvaluation(PROJECT_DIR, stack));
  return evaluated.get(stack)!;
}

export function expectOk(evaluation: Evaluation): Evaluated {
  if (evaluation.kind === "failed")
    throw new Error(`the program failed: ${evaluation.error.message}`);
  return evaluation;
}

/** Resources of one type, in registration order. */
export function ofType(evaluation: Evaluated, type: string): EvaluatedResource[] {
  return evaluation.resources.filter((r) => r.type === type);
}

/** The one resource with this type and logical name. */
export function one(evaluation: Evaluated, type: string, name: string): EvaluatedResource {
  const found = evaluation.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1)
    throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0]!;
}

/** The files of a function's code archive, path → text. */
export function archiveFiles(fn: EvaluatedResource): Record<string, string> {
  const code = fn.inputs.code;
  if (!isArchiveSnapshot(code)) throw new Error(`${fn.name} has no code archive`);
  return Object.fromEntries(Object.entries(code.$archive).map(([path, a]) => [path, a.text ?? ""]));
}

/**
 * Writes the `__index.js` a function would upload inside the project (so its `require` calls
 * resolve against the project's packages, as they would against the archive's) and loads it.
 */
export function loadSerializedHandler(
  fn: EvaluatedResource,
  label: string,
): (event: unknown, context?: unknown) => Promise<unknown> {
  const dir = join(TEST_STATE_DIR, "serialized-lambdas", label);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "__index.js");
  writeFileSync(file, archiveFiles(fn)["__index.js"]!);
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as {
    handler: (event: unknown, context?: unknown) => Promise<unknown>;
  };
  return module.handler;
}
