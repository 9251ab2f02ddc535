/**
 * A user mistake in stack configuration. `problems` holds one line per bad key; each line names the
 * key, the value it has (or that it is missing), what is expected and how to set it.
 */
export class ConfigError extends Error {
  readonly code = "ERR_STACK_CONFIG";

  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}
