/** The random identifiers the gateway gives each request, in AWS's shapes. */
import { randomBytes } from "node:crypto";

/**
 * `LV7fzho-PHcEJPw=`: 16 characters ending in `=`, in base64's URL-safe alphabet (`-` and `_`,
 * never `+` or `/`), the shape AWS's request IDs have (OBS: aws-lambda-go
 * `events/testdata/apigw-v2-request-no-authorizer.json`).
 */
export function newRequestId(): string {
  return randomBytes(11).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** `Root=1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>`, X-Ray's trace ID format. */
export function newTraceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${seconds}-${randomBytes(12).toString("hex")}`;
}
