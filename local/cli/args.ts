import { parseArgs, type ParseArgsConfig } from "node:util";
import { printable, printableLines } from "../printable";

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
    process.stderr.write(`${printableLines(err.message)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `process.argv` strictly. An unknown flag is a UsageError that shows the usage line;
 * `--help` prints the usage and ends the process.
 */
export function parseCliOptions<T extends Options>(options: T, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: "boolean", default: false } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed.values as ReturnType<typeof parseArgs<{ options: T }>>["values"];
}

/**
 * Writes lines to a stream, gathering the lines of one turn of the event loop into one write:
 * a log line per request would otherwise cost a system call per request. Each line is made
 * printable: what a function logs, or a path, never reaches the terminal as a control sequence.
 */
export function lineWriter(stream: NodeJS.WritableStream): (line: string) => void {
  let pending = "";
  return (line: string) => {
    if (pending === "") {
      setImmediate(() => {
        const text = pending;
        pending = "";
        stream.write(text);
      });
    }
    pending += `${printable(line)}\n`;
  };
}
