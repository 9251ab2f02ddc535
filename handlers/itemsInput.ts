/** What the items routes read from a request, checked: pure functions, no AWS. */
import { randomBytes } from "node:crypto";

export interface Item {
  id: string;
  text: string;
  createdAt: string;
}

/** The largest body `POST /items` reads. */
export const MAX_BODY_BYTES = 10 * 1024;
/** An item's text: 1 to this many characters (Unicode code points). */
export const MAX_TEXT = 1000;

/** `{ text }`, or `{ message }` saying what is wrong, naming the field. */
export function readNewItem(
  body: string | undefined,
  isBase64Encoded: boolean,
): { text: string } | { message: string } {
  const raw = Buffer.from(body ?? "", isBase64Encoded ? "base64" : "utf8");
  if (raw.length > MAX_BODY_BYTES) {
    return { message: `body: at most ${MAX_BODY_BYTES} bytes (${raw.length} sent)` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    return { message: 'body: not JSON; send {"text": "..."}' };
  }
  const text = (parsed as { text?: unknown } | null)?.text;
  if (typeof text !== "string") {
    return { message: "text: required, a string of 1 to 1000 characters" };
  }
  const length = [...text].length;
  if (length < 1 || length > MAX_TEXT) {
    return { message: `text: 1 to ${MAX_TEXT} characters (${length} sent)` };
  }
  return { text };
}

/**
 * An item's ID: its creation time (milliseconds, base 36, fixed width) then 12 random hex digits,
 * so that IDs sort by creation and a page of the table reads newest first.
 */
export function newItemId(at: Date): string {
  return at.getTime().toString(36).padStart(9, "0") + randomBytes(6).toString("hex");
}

const ITEM_ID = /^[0-9a-z]{9}[0-9a-f]{12}$/;

/** The cursor to the page after the item `lastId`: opaque to clients, bound to their `sub`. */
export function pageCursor(lastId: string, owner: string): string {
  return Buffer.from(JSON.stringify({ owner, id: lastId })).toString("base64url");
}

/** The item ID a cursor continues after; undefined with none; `invalid` for anything else. */
export function readCursor(
  cursor: string | undefined,
  owner: string,
): string | undefined | "invalid" {
  if (cursor === undefined) return undefined;
  try {
    const { owner: of, id } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      owner?: unknown;
      id?: unknown;
    };
    return of === owner && typeof id === "string" && ITEM_ID.test(id) ? id : "invalid";
  } catch {
    return "invalid";
  }
}
