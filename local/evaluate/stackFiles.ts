import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { applyProjectConfig, configDeclarations } from "./projectConfig";

export interface StackSettings {
  project: string;
  stack: string;
  /** Full config keys to values as the Pulumi language host passes them: strings, JSON for lists. */
  config: Record<string, string>;
  /** Keys whose stack-file values are encrypted (`secure:`): only the Pulumi CLI can read them. */
  encryptedKeys: string[];
}

/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI hands them to a program: keys
 * without a namespace belong to the project, scalars become strings, lists and maps JSON text;
 * `Pulumi.yaml`'s defaults fill what the stack leaves unset, and a missing required key or a
 * value of the wrong declared type stops the evaluation with the CLI's own message. `replaced`
 * (full keys, values as the program reads them) stands for the stack file's config (tests).
 */
export function readStackSettings(
  projectDir: string,
  stack: string,
  replaced?: Record<string, string>,
): StackSettings {
  const projectFile = join(projectDir, "Pulumi.yaml");
  const projectDoc = parseYamlFile(projectFile);
  const project = projectDoc?.name;
  if (typeof project !== "string") throw new Error(`${projectFile} has no project name`);
  const stackDoc =
    replaced !== undefined ? { config: parsed(replaced) } : readStackFile(projectDir, stack);
  const stackConfig: Record<string, string> = {};
  const objectKeys = new Set<string>();
  const encryptedKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (isEncrypted(value)) {
      encryptedKeys.push(key);
      continue;
    }
    if (typeof value === "object" && value !== null) objectKeys.add(key);
    stackConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const config = applyProjectConfig({
    project,
    stack,
    declarations: configDeclarations(project, projectDoc.config),
    stackConfig,
    objectKeys,
    encryptedKeys,
  });
  return { project, stack, config, encryptedKeys };
}

function readStackFile(projectDir: string, stack: string): { config?: Record<string, unknown> } {
  const stackFile = join(projectDir, `Pulumi.${stack}.yaml`);
  try {
    return parseYamlFile(stackFile) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`no stack file ${stackFile}: is '${stack}' one of this project's stacks?`);
    }
    throw err;
  }
}

/** Values as the program reads them, with lists and maps parsed back, as a stack file holds them. */
function parsed(config: Record<string, string>): Record<string, unknown> {
  const parse = (value: string): unknown => {
    try {
      const content: unknown = JSON.parse(value);
      return typeof content === "object" && content !== null ? content : value;
    } catch {
      return value;
    }
  };
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, parse(value)]));
}

function isEncrypted(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

/** A YAML file's content; a syntax error names the file it is in. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseYamlFile(path: string): any {
  const text = readFileSync(path, "utf8");
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid YAML: ${(err as Error).message}`);
  }
}
