/** The custom domains a deploy would serve the API at (`aws.apigatewayv2.DomainName`). */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedProgram } from "./model";

export function interpretCustomDomains(evaluation: EvaluatedProgram): string[] {
  return evaluation.resources
    .filter((r) => r.type === TYPES.domainName)
    .map((r) => String(r.inputs.domainName));
}
