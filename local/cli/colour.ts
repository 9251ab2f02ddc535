/**
 * Colour in the terminal, where it helps a reader scan: a request's status (green, yellow for
 * 4xx, red for 5xx), a record's WARN and ERROR levels, warnings and errors of the environment
 * itself, and a function's name dimmed. Only on a terminal that shows colour, and never when
 * `NO_COLOR` is set (no-color.org): a pipe or a log file gets the same text without it.
 * Applied after a line is made printable, so the only escape sequences are these.
 */
const ESC = "\x1b[";
const paint = (code: string, text: string) => `${ESC}${code}m${text}${ESC}0m`;
const GREEN = "32";
const YELLOW = "33";
const RED = "31";
const DIM = "2";

export function supportsColour(
  stream: NodeJS.WritableStream,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return (stream as { isTTY?: boolean }).isTTY === true && env.TERM !== "dumb";
}

/** A printable line with its colours. */
export function colourLine(line: string): string {
  if (/^(warning:|reload failed|\d+ type errors?:)/.test(line)) {
    return paint(line.startsWith("warning:") ? YELLOW : RED, line);
  }
  const fn = /^\[[^\]]+\] /.exec(line)?.[0];
  if (fn !== undefined) {
    const rest = line
      .slice(fn.length)
      .replace(/\t(ERROR|FATAL)\t/, (m) => paint(RED, m))
      .replace(/\tWARN\t/, (m) => paint(YELLOW, m));
    return paint(DIM, fn) + rest;
  }
  return line.replace(/ status=([1-5])\d\d /, (m, klass: string) =>
    paint(klass === "5" ? RED : klass === "4" ? YELLOW : GREEN, m),
  );
}
