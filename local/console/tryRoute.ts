/**
 * "Try a route": the console calls the API over HTTP, as any client would (so the request shows
 * in the live list like any other), and shows the whole answer and the `curl` line that makes the
 * same call.
 */
import { request } from "node:http";
import type { TryReply, TryRequest } from "./consoleApi";

/** The console shows this much of a body; the rest is cut, and said to be. */
export const SHOWN_BODY_BYTES = 256 * 1024;

/** A method token as RFC 9110 allows it, in capitals as the route keys spell them. */
const METHOD = /^[A-Z]{1,20}$/;

/** The request's problem in words, or undefined when it can be sent. */
export function tryRequestProblem(body: Partial<TryRequest>): string | undefined {
  if (typeof body.method !== "string" || !METHOD.test(body.method)) {
    return "method: expected an HTTP method in capitals, such as GET";
  }
  if (typeof body.path !== "string" || !/^\/[^\s]*$/.test(body.path) || body.path.length > 8192) {
    return "path: expected a path from / without spaces, such as /private";
  }
  if (body.token !== undefined && (typeof body.token !== "string" || /[\r\n]/.test(body.token))) {
    return "token: expected the token's text on one line";
  }
  return undefined;
}

/** The shell command for the same call; single quotes keep the shell from reading anything. */
export function curlLine(apiEndpoint: string, call: TryRequest): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    "curl -i",
    ...(call.method !== "GET" ? [`-X ${call.method}`] : []),
    ...(call.token !== undefined ? [`-H ${quote(`Authorization: Bearer ${call.token}`)}`] : []),
    quote(`${apiEndpoint}${call.path}`),
  ].join(" ");
}

/** Sends the call to the API at `apiEndpoint` (reachable from here) and reads the whole answer. */
export function tryRoute(apiEndpoint: string, call: TryRequest): Promise<Omit<TryReply, "curl">> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const headers = call.token !== undefined ? { authorization: `Bearer ${call.token}` } : {};
    const req = request(
      `${apiEndpoint}${call.path}`,
      { method: call.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < SHOWN_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () => {
          const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
          const headers: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          }
          const body = Buffer.concat(chunks).subarray(0, SHOWN_BODY_BYTES).toString("utf8");
          resolve({
            status: res.statusCode!,
            headers,
            body,
            truncated: size > SHOWN_BODY_BYTES,
            latencyMs,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}
