/**
 * The random identifiers the gateway gives each request, drawn from one block of random bytes
 * (as Node pools the entropy of `crypto.randomUUID`): a forged token's 401, 35,500-36,400
 * requests/s with the block against 27,100-27,600 with `randomBytes` for each identifier
 * (interleaved, three rounds of 5 s, 2 December 2026), the throughput issue 24 asks to keep.
 */
import { randomBytes } from "node:crypto";

let pool = Buffer.alloc(0);
let offset = 0;

/** The next `size` random bytes of the block, as `encoding` text. */
function randomText(size: number, encoding: "base64" | "hex"): string {
  if (offset + size > pool.length) {
    pool = randomBytes(4092);
    offset = 0;
  }
  offset += size;
  return pool.toString(encoding, offset - size, offset);
}

/**
 * `LV7fzho-PHcEJPw=`: 16 characters ending in `=`, in base64's URL-safe alphabet (`-` and `_`,
 * never `+` or `/`), the shape AWS's request IDs have (OBS: aws-lambda-go
 * `events/testdata/apigw-v2-request-no-authorizer.json`).
 */
export function newRequestId(): string {
  return randomText(11, "base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** `Root=1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>`, X-Ray's trace ID format. */
export function newTraceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${seconds}-${randomText(12, "hex")}`;
}
