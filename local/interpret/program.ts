import { interpretAlarms } from "./alarms";
import { interpretApi } from "./api";
import { interpretClients, interpretResourceServers } from "./auth0";
import { interpretCustomDomains } from "./domains";
import { interpretFunctions } from "./functions";
import { interpretOthers } from "./others";
import { interpretTables } from "./tables";
import type { EvaluatedProgram, LocalModel } from "./model";

/** Builds the local model from an evaluation. Throws `Error` when there is no HTTP API to serve. */
export function interpretProgram(evaluation: EvaluatedProgram): LocalModel {
  const warnings: string[] = [...evaluation.warnings];
  const { functions, byArn } = interpretFunctions(evaluation, warnings);
  return {
    project: evaluation.project,
    stack: evaluation.stack,
    api: interpretApi(evaluation, byArn, warnings),
    functions,
    clients: interpretClients(evaluation),
    resourceServers: interpretResourceServers(evaluation),
    tables: interpretTables(evaluation),
    alarms: interpretAlarms(evaluation),
    customDomains: interpretCustomDomains(evaluation),
    outputs: Object.fromEntries(Object.entries(evaluation.outputs).map(([k, o]) => [k, o.value])),
    secretOutputs: Object.keys(evaluation.outputs).filter((k) => evaluation.outputs[k]!.secret),
    warnings,
    notEmulated: interpretOthers(evaluation),
    programFiles: evaluation.programFiles,
    inputFiles: evaluation.inputFiles,
  };
}
