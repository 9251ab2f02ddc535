/** A user mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly code = "ERR_USAGE";
}

/** A port from a flag or an environment variable: a whole number from 0 to 65535. */
export function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${name} '${value}': expected a port number from 0 to 65535`);
  }
  return port;
}

/** Runs a CLI's main; a UsageError or other failure becomes one line on stderr and an exit code. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
