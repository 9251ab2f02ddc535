/**
 * The console's live feed: Server-Sent Events, each message a JSON array of `StreamEvent`s.
 * Events are gathered and sent together every `flushMs`, serialized once for every page, so a
 * load test's thousands of requests a second cost the API's thread little. Bounded everywhere:
 * at most `maxStreams` pages (one more closes the stream of a page that stopped reading, else
 * the oldest, so any local client holding every slot never locks a real tab out); at most one
 * message per page per interval; a page that has not read
 * `BEHIND_BYTES` of what was sent gets nothing more until it has, then one snapshot of what is
 * kept; more events in one interval than the activity keeps become one snapshot too.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Activity } from "./activity";
import type { ActivityEvent, StackState, StreamEvent } from "./consoleApi";

/**
 * Unsent bytes past which a page is behind. Not `write()` returning false: that only says one
 * message was larger than the socket's mark (16 KB), which a snapshot under load always is.
 */
export const BEHIND_BYTES = 256 * 1024;

export interface EventStreamOptions {
  /** Open streams at most. Default 16. */
  maxStreams: number;
  /** Default 200 ms. */
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
  /** Events were skipped while it was behind: its next message is a snapshot. */
  missed: boolean;
}

/** Says what failed in a timer or listener of the streams; never thrown out of the process. */
export type Report = (message: string) => void;

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
    private readonly report: Report,
  ) {
    this.options = {
      maxStreams: 16,
      flushMs: 200,
      heartbeatMs: 15_000,
      maxPending: 600,
      ...options,
    };
    this.heartbeat = setInterval(
      () => this.safely("heartbeat", () => this.writeAll(": ping\n\n")),
      this.options.heartbeatMs,
    );
    this.heartbeat.unref();
  }

  /** Streams waiting for their page to read what was sent. */
  get behind(): number {
    return [...this.streams].filter(isBehind).length;
  }

  /** Bytes written to the streams and not yet sent, all pages together. */
  get unsentBytes(): number {
    return [...this.streams].reduce((sum, s) => sum + s.res.writableLength, 0);
  }

  /**
   * Answers `GET /api/events` with the stream. With every slot taken, the stream of a page that
   * stopped reading goes first, else the oldest: its page reconnects after `retry` if it is
   * still open.
   */
  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.streams.size >= this.options.maxStreams) {
      const streams = [...this.streams];
      const victim = streams.find(isBehind) ?? streams[0]!;
      this.streams.delete(victim);
      victim.res.end();
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    });
    const stream: Stream = { res, missed: false };
    this.streams.add(stream);
    this.unsubscribe ??= this.activity.subscribe((event) => this.queue(event));
    req.socket.setNoDelay(true);
    res.on("close", () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopListening();
    });
    // Caught up after missing events: the next flush sends it a snapshot, even if nothing new came.
    res.on("drain", () => {
      if (stream.missed && !isBehind(stream)) this.scheduleFlush();
    });
    // The reconnect delay after a dropped connection, then everything there is to show.
    res.write(`retry: 1000\n${message([this.hello()])}`);
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
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.timer ??= setTimeout(
      () => this.safely("sending live requests", () => this.flush()),
      this.options.flushMs,
    );
  }

  /** Runs a timer's work; a failure is reported and ends that round only. */
  private safely(what: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.timer = undefined;
      this.report(`the console failed ${what}: ${(err as Error).message}`);
    }
  }

  /** One message per page: the interval's events, or a snapshot to a page that missed some. */
  private flush(): void {
    this.timer = undefined;
    const events = this.overflowed ? undefined : this.pending;
    [this.pending, this.overflowed] = [[], false];
    let eventsText: string | undefined;
    let snapshotText: string | undefined;
    for (const stream of this.streams) {
      if (isBehind(stream)) {
        stream.missed = true;
      } else if (events !== undefined && !stream.missed) {
        if (events.length > 0) stream.res.write((eventsText ??= message(events)));
      } else {
        stream.res.write((snapshotText ??= message(this.snapshot())));
        stream.missed = false;
      }
    }
  }

  /** Everything kept, and the stack as it is (a page that missed events may have missed it). */
  private snapshot(): StreamEvent[] {
    return [
      { kind: "snapshot", requests: this.activity.recent() },
      { kind: "stack", stack: this.stack() },
    ];
  }

  private writeAll(text: string): void {
    for (const stream of this.streams) if (!isBehind(stream)) stream.res.write(text);
  }
}

function isBehind(stream: Stream): boolean {
  return stream.res.writableLength > BEHIND_BYTES;
}

/** One SSE message: `data:` and the JSON (which has no line breaks). */
function message(events: StreamEvent[]): string {
  return `data: ${JSON.stringify(events)}\n\n`;
}
