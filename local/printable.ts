/**
 * Text as it may reach a terminal: every control character but tab written as `\xNN`. What the
 * local environment prints carries text others chose (a token's `sub` a function logs, a path, an
 * OAuth error description); raw, an escape sequence in it could erase a line or forge one. C1
 * controls (U+0080 to U+009F) count too: a terminal may read U+009B as the start of a sequence.
 */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

export function printable(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Each line of a message made printable; the line breaks themselves stay. */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}
