/**
 * The console's live feed: Server-Sent Events, each message a JSON array of `StreamEvent`s.
 * Events are gathered and sent together every `flushMs`, serialized once for every page, so a
 * load test's thousands of requests a second cost the API's thread little. Bounded everywhere:
 * at most `maxStreams` pages; a page whose socket is backed up gets nothing until it drains,
 * then one snapshot of what is kept; more events in one interval than the activity keeps
 * become one snapshot too.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Activity } from "./activity";
import type { ActivityEvent, StackState, StreamEvent } from "./consoleApi";

export interface EventStreamOptions {
  /** Open streams at most. Default 16. */
  maxStreams: number;
  /** Default 100 ms. */
  flushMs: number;
  /** A comment line this often keeps proxies and the browser from giving up. Default 15 s. */
  heartbeatMs: number;
  /**
   * Events gathered in one interval at most; past it, one snapshot replaces them. Default 600:
   * a request and a line each for the 300 requests the activity keeps.
   */
  maxPending: number;
}

interface Stream {
  res: ServerResponse;
  /** Fell behind: waits for `drain`, then gets a snapshot. */
  behind: boolean;
}

export class EventStreams {
  private readonly streams = new Set<Stream>();
  private pending: ActivityEvent[] = [];
  private overflowed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly options: EventStreamOptions;
  /** Subscribed to the activity only while a page listens: with none, a request builds nothing. */
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly activity: Activity,
    private readonly stack: () => StackState,
    options: Partial<EventStreamOptions> = {},
  ) {
    this.options = {
      ...{ maxStreams: 16, flushMs: 100, heartbeatMs: 15_000, maxPending: 600 },
      ...options,
    };
    this.heartbeat = setInterval(() => this.writeAll(": ping\n\n"), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Streams waiting for their page to read what was sent. */
  get behind(): number {
    return [...this.streams].filter((s) => s.behind).length;
  }

  /** Answers `GET /api/events`: the stream, or 503 when too many are open. */
  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.streams.size >= this.options.maxStreams) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
      res.end(
        JSON.stringify({
          message: `${this.options.maxStreams} event streams are open already: close other console tabs`,
        }),
      );
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    });
    const stream: Stream = { res, behind: false };
    this.streams.add(stream);
    this.unsubscribe ??= this.activity.subscribe((event) => this.queue(event));
    req.socket.setNoDelay(true);
    res.on("close", () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopListening();
    });
    res.on("drain", () => {
      if (!stream.behind) return;
      stream.behind = false;
      this.write(stream, message([{ kind: "snapshot", requests: this.activity.recent() }]));
    });
    // The reconnect delay after a dropped connection, then everything there is to show.
    this.write(stream, `retry: 1000\n${message([this.hello()])}`);
  }

  /** Ends every stream (the environment is closing). */
  close(): void {
    this.stopListening();
    clearInterval(this.heartbeat);
    clearTimeout(this.timer);
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  private stopListening(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.pending = [];
    this.overflowed = false;
  }

  private hello(): StreamEvent {
    return { kind: "hello", stack: this.stack(), requests: this.activity.recent() };
  }

  private queue(event: ActivityEvent): void {
    if (this.pending.length >= this.options.maxPending) this.overflowed = true;
    else this.pending.push(event);
    this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  private flush(): void {
    this.timer = undefined;
    const events: StreamEvent[] = this.overflowed
      ? [
          { kind: "snapshot", requests: this.activity.recent() },
          ...this.pending.filter((e) => e.kind === "stack"),
        ]
      : this.pending;
    this.pending = [];
    this.overflowed = false;
    this.writeAll(message(events));
  }

  private writeAll(text: string): void {
    for (const stream of this.streams) if (!stream.behind) this.write(stream, text);
  }

  private write(stream: Stream, text: string): void {
    // `write` returning false: the socket's buffer is past its mark; send nothing more until
    // `drain`, so a page that stopped reading holds at most one message here.
    if (!stream.res.write(text)) stream.behind = true;
  }
}

/** One SSE message: `data:` and the JSON (which has no line breaks). */
function message(events: StreamEvent[]): string {
  return `data: ${JSON.stringify(events)}\n\n`;
}
