/** Calls to a running console's API, and its event stream read as it comes. */
import { request } from "node:http";
import type { StreamEvent } from "../../local/console/consoleApi";
import { send, type Reply } from "./localEnv";
import { waitFor } from "./waitFor";

/** POSTs `body` as JSON (a string goes as it is) and parses the answer. */
export async function postConsole(
  consoleUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply & { json: Record<string, unknown> }> {
  const reply = await send(
    consoleUrl,
    "POST",
    path,
    { "content-type": "application/json", ...headers },
    typeof body === "string" ? body : JSON.stringify(body),
  );
  return { ...reply, json: JSON.parse(reply.body) as Record<string, unknown> };
}

export interface OpenStream {
  status: number;
  /** Every event received so far, in order. */
  events: StreamEvent[];
  /** The raw text received so far. */
  text: () => string;
  /** Waits for an event that `match` picks. */
  next<T extends StreamEvent>(what: string, match: (e: StreamEvent) => e is T): Promise<T>;
  /** Stops reading, as a page that hangs would. */
  pause: () => void;
  resume: () => void;
  close: () => void;
  /** Whether the server has ended the stream. */
  ended: () => boolean;
}

/** Opens `GET /api/events`; resolves once the answer's head has come. */
export function openStream(consoleUrl: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = request(`${consoleUrl}/api/events`, { agent: false }, (res) => {
      let text = "";
      let buffered = "";
      const events: StreamEvent[] = [];
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf("\n\n")) !== -1) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = message.split("\n").find((l) => l.startsWith("data: "));
          if (data !== undefined) events.push(...(JSON.parse(data.slice(6)) as StreamEvent[]));
        }
      });
      res.on("error", () => undefined);
      let ended = false;
      res.on("end", () => (ended = true));
      resolve({
        ended: () => ended,
        status: res.statusCode!,
        events,
        text: () => text,
        next: (what, match) =>
          waitFor(what, () => events.find(match), { timeoutMs: 10_000 }) as never,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}
