/**
 * What the Pulumi CLI does with `Pulumi.yaml`'s `config:` declarations before a program runs, so
 * that an evaluation under mocks meets the same rules as `pulumi up`: a declared project key that
 * the stack leaves unset takes its `default`; one with neither default nor value stops the run;
 * a value of the wrong declared type stops it too. Mocks alone apply none of this.
 *
 * Source: pulumi/pulumi `sdk/go/common/workspace/config.go` (`mergeConfig`,
 * `validateStackConfigValue`) and `project.go` (`ValidateConfigValue`, `RewriteShorthandConfigValues`).
 */

/** One key's declaration in `Pulumi.yaml`, after the CLI's shorthand rewrite. */
export interface ConfigDeclaration {
  type?: "string" | "integer" | "boolean" | "array";
  items?: { type: string; items?: unknown };
  description?: string;
  secret?: boolean;
  default?: unknown;
  value?: unknown;
}

/**
 * The declarations by key as written (`callbackUrls`, `aws:region`). A bare scalar or list is
 * shorthand: a `default` for a project key, a `value` for another namespace's.
 */
export function configDeclarations(
  project: string,
  config: Record<string, unknown> | undefined,
): Record<string, ConfigDeclaration> {
  const out: Record<string, ConfigDeclaration> = {};
  for (const [key, raw] of Object.entries(config ?? {})) {
    const shorthand = raw === null || typeof raw !== "object" || Array.isArray(raw);
    if (!shorthand) out[key] = raw as ConfigDeclaration;
    else out[key] = isProjectKey(project, key) ? { default: raw } : { value: raw };
  }
  return out;
}

export function isProjectKey(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

/** `callbackUrls` → `<project>:callbackUrls`; namespaced keys stay as they are. */
export function fullKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * A value as the CLI hands it to the program: scalars as their text (`fmt.Sprintf("%v")`), lists
 * and maps as JSON.
 */
export function renderConfigValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  return JSON.stringify(value);
}

/**
 * The CLI's type check of one value. `content` is a scalar's text, or the parsed list or map.
 * Integers may be given as text that parses as one; there is no fractional number type.
 */
export function matchesDeclaredType(
  type: string,
  items: ConfigDeclaration["items"],
  content: unknown,
): boolean {
  switch (type) {
    case "string":
      return typeof content === "string";
    case "integer":
      if (typeof content === "number") return Number.isInteger(content);
      // Go's strconv.Atoi: an optional sign and decimal digits, nothing else.
      return typeof content === "string" && /^[+-]?\d+$/.test(content);
    case "boolean":
      return typeof content === "boolean" || content === "true" || content === "false";
    case "array":
      return (
        Array.isArray(content) &&
        items !== undefined &&
        content.every((item) =>
          matchesDeclaredType(items.type, items.items as ConfigDeclaration["items"], item),
        )
      );
    default:
      return false;
  }
}

/** `array<string>` for a list of strings, as the CLI's messages name types. */
export function typeName(declaration: ConfigDeclaration): string {
  const name = (type: string, items?: { type: string; items?: unknown }): string =>
    items ? `array<${name(items.type, items.items as { type: string } | undefined)}>` : type;
  return name(declaration.type ?? "string", declaration.items);
}

/**
 * Applies `Pulumi.yaml`'s declarations to a stack's config (full key → value as the program
 * reads it) the way the CLI does, and returns the merged config. Throws the CLI's own messages
 * for missing keys and values of the wrong type.
 */
export function applyProjectConfig(args: {
  project: string;
  stack: string;
  declarations: Record<string, ConfigDeclaration>;
  stackConfig: Record<string, string>;
  /** Full keys whose stack values are lists or maps (the CLI type-checks those parsed). */
  objectKeys?: ReadonlySet<string>;
  /** Full keys whose stack values are encrypted here: present, but unreadable without the CLI. */
  encryptedKeys?: readonly string[];
}): Record<string, string> {
  const { project, stack, declarations } = args;
  const merged = { ...args.stackConfig };
  const present = new Set([...Object.keys(merged), ...(args.encryptedKeys ?? [])]);
  const missing: string[] = [];
  for (const [key, declaration] of Object.entries(declarations)) {
    const full = fullKey(project, key);
    const { type, items } = declaration;
    if (type !== undefined && declaration.default !== undefined) {
      if (!matchesDeclaredType(type, items, declaration.default)) {
        throw new Error(
          `The default value specified for configuration key '${key}' is not of the expected type '${typeName(declaration)}'`,
        );
      }
    }
    if (present.has(full)) continue;
    const given = declaration.default ?? declaration.value;
    if (given !== undefined) merged[full] = renderConfigValue(given);
    else if (isProjectKey(project, key)) missing.push(key);
  }
  if (missing.length > 0) {
    const sorted = missing.sort();
    const listed =
      sorted.length === 1
        ? `'${sorted[0]}'`
        : `${sorted
            .slice(0, -1)
            .map((k) => `'${k}'`)
            .join(", ")} and '${sorted.at(-1)}'`;
    throw new Error(
      `Stack '${stack}' is missing configuration ${sorted.length === 1 ? "value" : "values"} ${listed}`,
    );
  }
  for (const [key, declaration] of Object.entries(declarations)) {
    const full = fullKey(project, key);
    if (declaration.type === undefined || !(full in args.stackConfig)) continue;
    const raw = args.stackConfig[full]!;
    const content = args.objectKeys?.has(full) ? (JSON.parse(raw) as unknown) : raw;
    if (!matchesDeclaredType(declaration.type, declaration.items, content)) {
      throw new Error(
        `Stack '${stack}' with configuration key '${key}' must be of type '${typeName(declaration)}'`,
      );
    }
  }
  return merged;
}
