import { parseArgs, type ParseArgsConfig } from "node:util";
import { printableLines } from "../printable";
import { colourLine, supportsColour } from "./colour";

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

/** An option as parseArgs takes it, with what `--help` says of it (its default included). */
type Options = Record<
  string,
  NonNullable<ParseArgsConfig["options"]>[string] & {
    help: string;
    value?: string;
    /** The value the option takes when given bare (`--inspect` as `--inspect=9229`). */
    bare?: string;
  }
>;

/** `--help`: the usage line, then every option, its value and what it does, defaults said. */
export function helpText(usage: string, options: Options): string {
  const names = Object.entries(options).map(([name, o]) => [
    `--${name}${o.type !== "string" ? "" : o.bare !== undefined ? `[=${o.value}]` : ` ${o.value ?? "VALUE"}`}`,
    o.help,
  ]);
  const width = Math.max(...names.map(([flag]) => flag!.length), "-h, --help".length) + 2;
  const lines = [...names, ["-h, --help", "this help"]].map(
    ([flag, help]) => `  ${flag!.padEnd(width)}${help}`,
  );
  return `${usage}\n\nOptions:\n${lines.join("\n")}\n`;
}

/**
 * Parses `process.argv` strictly. An unknown flag is a UsageError that shows the usage line;
 * `--help` prints the usage and ends the process.
 */
export function parseCliOptions<T extends Options>(options: T, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(withBareValues(process.argv.slice(2), options), options),
      options: {
        ...parseArgsOptions(options),
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(helpText(usage, options));
    process.exit(0);
  }
  return parsed.values as unknown as ReturnType<typeof parseArgs<{ options: T }>>["values"];
}

/**
 * Writes lines to a stream, gathering the lines of one turn of the event loop into one write:
 * a log line per request would otherwise cost a system call per request. Each line is made
 * printable: what a function logs, or a path, never reaches the terminal as a control sequence.
 * A message of several lines (a compiler's error) keeps its line breaks, each continuation
 * indented, so that it reads as one message and no line of it can pass for a line of its own.
 */
export function lineWriter(
  stream: NodeJS.WritableStream,
  colour = supportsColour(stream),
): (line: string) => void {
  let pending = "";
  return (line: string) => {
    if (pending === "") {
      setImmediate(() => {
        const text = pending;
        pending = "";
        stream.write(text);
      });
    }
    const text = printableLines(line).replaceAll("\n", "\n  ");
    pending += `${colour ? colourLine(text) : text}\n`;
  };
}

/** The options as parseArgs wants them: without what only `--help` reads. */
function parseArgsOptions(options: Options): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    Object.entries(options).map(
      ([name, { help: _help, value: _value, bare: _bare, ...option }]) => [name, option],
    ),
  );
}

/** A bare `--inspect` as `--inspect=<its bare value>`; its value otherwise follows an `=`, as node's. */
function withBareValues(args: string[], options: Options): string[] {
  return args.map((arg) => {
    const bare = arg.startsWith("--") ? options[arg.slice(2)]?.bare : undefined;
    return bare === undefined ? arg : `${arg}=${bare}`;
  });
}

/**
 * `--expires-in -5` as `--expires-in=-5`: a value that starts with '-' is otherwise taken for an
 * option, and the user would get the parser's message instead of the option's own.
 */
function joinNegativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith("--") ? args[i]!.slice(2) : undefined;
    const next = args[i + 1];
    if (
      name !== undefined &&
      options[name]?.type === "string" &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]!);
    }
  }
  return out;
}
