/** What the program declares that the local environment does not emulate. */
import type { DeclaredResource, EvaluatedProgram } from "./model";

/** How a secret input reads wherever the local environment shows a resource's inputs. */
export const MASKED = "[secret]";

/**
 * The custom resources whose outputs the local environment does not compute (a queue, a bucket,
 * anything of a type it does not know): listed with their inputs, secret ones masked, so that a
 * developer sees what a deploy would create. Their outputs are known only after a deploy.
 */
export function interpretOthers(evaluation: EvaluatedProgram): DeclaredResource[] {
  return (
    evaluation.resources
      .filter((r) => r.custom && !r.recorded.emulated)
      // By name: resources register in the order their inputs resolve, which may race.
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((r) => ({
        type: r.type,
        name: r.name,
        inputs: Object.fromEntries(
          Object.entries(r.inputs).map(([key, value]) => [
            key,
            r.recorded.secretInputs.includes(key) ? MASKED : value,
          ]),
        ),
      }))
  );
}
