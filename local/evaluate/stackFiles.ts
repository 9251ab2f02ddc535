import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

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
 * without a namespace belong to the project, scalars become strings, lists and maps JSON text.
 */
export function readStackSettings(projectDir: string, stack: string): StackSettings {
  const projectFile = join(projectDir, "Pulumi.yaml");
  const stackFile = join(projectDir, `Pulumi.${stack}.yaml`);
  const project = parseYamlFile(projectFile)?.name;
  if (typeof project !== "string") throw new Error(`${projectFile} has no project name`);
  let stackDoc: { config?: Record<string, unknown> };
  try {
    stackDoc = parseYamlFile(stackFile) ?? {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`no stack file ${stackFile}: is '${stack}' one of this project's stacks?`);
    }
    throw err;
  }
  const config: Record<string, string> = {};
  const encryptedKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (isEncrypted(value)) {
      encryptedKeys.push(key);
      continue;
    }
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { project, stack, config, encryptedKeys };
}

function isEncrypted(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseYamlFile(path: string): any {
  return parse(readFileSync(path, "utf8"));
}
