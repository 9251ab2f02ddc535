/**
 * The policy pack's own program: the project's `index.ts` as it is, its `routes` list replaced by
 * routes of the pack tests' own (a public `GET /open`, a protected `GET /mine`, a `POST /notes`
 * with a scope and a grant on a table of its own). The pack is judged on the project's real wiring,
 * never on the sample's routes, which a team changes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateProgram } from "../../local/evaluate/evaluateProgram";
import { expectOk, PROJECT_DIR } from "./program";
import { policyInput, type PolicyInput } from "./policyHarness";
import { copyProject, type ProjectCopy } from "./projectCopy";

const HANDLERS = `import type { APIGatewayProxyEventV2 } from "aws-lambda";
export const open = async () => ({ statusCode: 200, body: "open" });
export const mine = async (event: APIGatewayProxyEventV2) => ({ statusCode: 200, body: event.rawPath });
export const note = async () => ({ statusCode: 201, body: "noted" });
`;

const IMPORTS = `import * as pack from "./handlers/pack";
import { ItemsTable as PackTable } from "../../infra/itemsTable";
import { loadConfig as packConfig } from "../../infra/config";
import { physicalName as packName } from "../../infra/names";
import { route as packRoute } from "../../infra/routes";
`;

const ROUTES = `const packStack = packConfig();
const notes = new PackTable("notes", {
  name: packName(packStack.project, packStack.stack, "notes"),
  protect: packStack.protectData,
});
const routes = [
  packRoute("GET /open", { handler: pack.open, access: { public: true } }),
  packRoute("GET /mine", { handler: pack.mine }),
  packRoute("POST /notes", {
    handler: pack.note,
    access: { scopes: ["write:notes"] },
    environment: { NOTES_TABLE: notes.name },
    permissions: [notes.allows("dynamodb:PutItem")],
  }),
];`;

/** A copy of the project whose index.ts serves the pack's routes (its `routes` list replaced). */
export function packProject(): ProjectCopy {
  const project = copyProject("pack");
  project.write("Pulumi.prod.yaml", readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
  project.write("handlers/pack.ts", HANDLERS);
  const lines = readFileSync(join(project.dir, "index.ts"), "utf8").split("\n");
  const start = lines.findIndex((l) => l.startsWith("const routes = ["));
  const end = lines.findIndex((l, i) => i > start && l === "];");
  if (start < 0 || end < 0) {
    throw new Error("index.ts declares no `const routes = [` … `];` list for the pack to replace");
  }
  lines.splice(start, end - start + 1, ROUTES);
  project.write("index.ts", IMPORTS + lines.join("\n"));
  return project;
}

/** The pack's program evaluated for a stack (`config` replaces its stack file's). */
export async function packProgram(
  project: ProjectCopy,
  stack: string,
  config?: Record<string, string>,
): Promise<PolicyInput> {
  const evaluation = await evaluateProgram({
    projectDir: project.dir,
    stack,
    ...(config !== undefined ? { config } : {}),
  });
  return policyInput(expectOk(evaluation));
}
