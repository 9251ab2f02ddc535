/**
 * Text as it may reach a terminal: every control character but tab written as `\xNN`. What the
 * local environment prints carries text others chose (a token's `sub` a function logs, a path, an
 * OAuth error description); raw, an escape sequence in it could erase a line or forge one. C1
 * controls (U+0080 to U+009F) count too: a terminal may read U+009B as the start of a sequence.
 * So do Unicode's bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to U+202E,
 * U+2066 to U+2069, Unicode TR9 §2), written `\uNNNN`: raw, U+202E shows the rest of a line
 * reversed, so a logged `sub` could make a line read as something else (CVE-2021-42574's trick).
 */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, "g");

export function printable(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Each line of a message made printable; the line breaks themselves stay. */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}
