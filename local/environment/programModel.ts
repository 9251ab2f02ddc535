import { resolve, sep } from "node:path";
import type { Evaluator } from "../evaluate/evaluateProgram";
import { OWN_CODE } from "../ownCode";
import type { LocalModel } from "../interpret/model";
import { interpretProgram } from "../interpret/program";

/**
 * The program as the local environment serves it: evaluated under mocks in its own process,
 * then interpreted into a model; an evaluation that fails becomes an error in the user's terms.
 */
export async function evaluateModel(
  evaluator: Evaluator,
  options: { stack: string; entry?: string },
  signal?: AbortSignal,
): Promise<LocalModel> {
  const { projectDir } = evaluator;
  const evaluation = await evaluator.evaluate({
    stack: options.stack,
    ...(options.entry !== undefined ? { entry: options.entry } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  if (evaluation.kind === "failed") {
    const { message } = evaluation.error;
    const where = whereInProgram(projectDir, evaluation.error);
    throw new Error(where === undefined ? message.trim() : `${message.trim()}\n${where}`);
  }
  return interpretProgram(evaluation);
}

/**
 * Where in the program a failed evaluation failed: the first frame in the project's own files
 * (not a package's, not the local environment's). None for a RunError, a message for the user,
 * nor for a compile error (ts-node's `⨯ Unable to compile TypeScript`), which names its lines.
 */
function whereInProgram(
  projectDir: string,
  error: { message: string; isRunError: boolean; stack?: string },
): string | undefined {
  if (error.isRunError || error.message.startsWith("⨯ Unable to compile TypeScript")) return;
  const root = resolve(projectDir) + sep;
  return error.stack
    ?.split("\n")
    .find((l) => l.includes(root) && !l.includes("node_modules") && !l.includes(OWN_CODE))
    ?.trim();
}

/** With an external issuer, every JWT authorizer trusts it (and the given audiences) instead. */
export function withIssuer(
  model: LocalModel,
  options: { externalIssuer?: string; audiences?: string[] },
): LocalModel {
  if (options.externalIssuer === undefined && options.audiences === undefined) return model;
  const authorizers = Object.fromEntries(
    Object.entries(model.api.authorizers).map(([id, a]) => [
      id,
      {
        ...a,
        issuer: options.externalIssuer ?? a.issuer,
        audiences: options.audiences ?? a.audiences,
      },
    ]),
  );
  return { ...model, api: { ...model.api, authorizers } };
}
