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
  const { stackConfig, objectKeys, encryptedKeys } =
    replaced !== undefined
      ? givenValues(replaced)
      : stackFileValues(project, readStackFile(projectDir, stack));
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

/** A stack's config values by full key, as the program reads them, and what the CLI checks of them. */
interface StackValues {
  stackConfig: Record<string, string>;
  /** Keys whose values are lists or maps: the CLI type-checks them parsed. */
  objectKeys: Set<string>;
  /** Keys whose values are encrypted: present, but unreadable without the CLI. */
  encryptedKeys: string[];
}

/** A stack file's values: bare keys are the project's, scalars become text, lists and maps JSON. */
function stackFileValues(
  project: string,
  stackDoc: { config?: Record<string, unknown> },
): StackValues {
  const values: StackValues = { stackConfig: {}, objectKeys: new Set(), encryptedKeys: [] };
  for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (isEncrypted(value)) {
      values.encryptedKeys.push(key);
      continue;
    }
    if (typeof value === "object" && value !== null) values.objectKeys.add(key);
    values.stackConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

/** Values given as the program reads them: those that are JSON lists or maps are objects. */
function givenValues(given: Record<string, string>): StackValues {
  const isObject = (value: string) => {
    try {
      const content: unknown = JSON.parse(value);
      return typeof content === "object" && content !== null;
    } catch {
      return false;
    }
  };
  const objectKeys = new Set(Object.keys(given).filter((key) => isObject(given[key]!)));
  return { stackConfig: { ...given }, objectKeys, encryptedKeys: [] };
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
