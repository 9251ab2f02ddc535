import { evaluateProgram } from "../evaluate/evaluateProgram";
import type { LocalModel } from "../interpret/model";
import { interpretProgram } from "../interpret/program";

/**
 * The program as the local environment serves it: evaluated under mocks in its own process,
 * then interpreted into a model; an evaluation that fails becomes an error in the user's terms.
 */
export async function evaluateModel(
  projectDir: string,
  options: { stack: string; entry?: string },
  signal?: AbortSignal,
): Promise<LocalModel> {
  const evaluation = await evaluateProgram({
    projectDir,
    stack: options.stack,
    ...(options.entry !== undefined ? { entry: options.entry } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  if (evaluation.kind === "failed") {
    // A RunError is a message for the user; any other error also says where in the project.
    const { message, stack, isRunError } = evaluation.error;
    const where = isRunError
      ? undefined
      : stack?.split("\n").find((l) => l.includes(projectDir) && !l.includes("node_modules"));
    throw new Error(where === undefined ? message.trim() : `${message.trim()}\n${where.trim()}`);
  }
  return interpretProgram(evaluation);
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
