/**
 * What the console shows as it happens: each request the API answered, with the log lines its
 * invocation printed. Kept in memory, bounded by count and by size: the last `capacity` requests;
 * the lines of at most as many requests, `linesPerRequest` each, each line cut at `maxLineChars`
 * with a marker saying how much was cut, and `maxHeldChars` of lines in all, past which the
 * oldest requests' lines go (counted as dropped). Bounded by count alone, 8 requests logging
 * 5 × 16 MB each took the process to 1.9 GB, and the next snapshot for a page threw
 * `RangeError: Invalid string length`. A function's lines can arrive before its request is
 * answered or after; they are kept by request ID and joined to it when shown.
 *
 * A request costs one write into a ring of slots; nothing else is built unless a page is
 * listening. The first version kept a Map (one entry added and the oldest removed per request)
 * and built an event for every request: an interleaved A/B against `--no-console` measured it at
 * 0.71-0.84 of the forged-token rate; this one measured 1.0-1.2, that is, within the noise.
 */
import type { FunctionRecord } from "../lambda/executionEnvironment";
import type { ServedRequest } from "../server/httpServer";
import type { RequestDetail } from "../server/servedRequest";
import type { ActivityEvent, LogLine, RequestEntry } from "./consoleApi";
import { maskEvent } from "./masking";

export interface ActivityLimits {
  /** Requests kept. Default 300. */
  capacity: number;
  /** Log lines kept per request; the rest are counted. Default 50. */
  linesPerRequest: number;
  /**
   * Characters of one line kept; the rest is cut and said so. Default 16 Ki: a stack trace
   * fits, and a page shows 300 requests' lines without holding megabytes of one.
   */
  maxLineChars: number;
  /**
   * Characters of lines kept in all. Default 4 Mi: with the ring's 300 requests (each bounded
   * by API Gateway's 10,240-byte request line and headers) a snapshot stays under about 8 MB.
   */
  maxHeldChars: number;
}

export const DEFAULT_LIMITS: ActivityLimits = {
  capacity: 300,
  linesPerRequest: 50,
  maxLineChars: 16 * 1024,
  maxHeldChars: 4 * 1024 * 1024,
};

interface Lines {
  logs: LogLine[];
  dropped: number;
  /** Characters of `logs`' texts. */
  chars: number;
}

/**
 * A line cut at `max` characters, with how much was cut. The part kept is copied: a slice of a
 * string keeps the whole of it alive in V8 (a "sliced string" points into its parent), and the
 * load test measured the server's heap 12 MB larger after its run, held by 16 KB slices of
 * 100 KB lines.
 */
export function cutLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = Buffer.from(text.slice(0, max), "utf8").toString("utf8");
  return `${kept}… [${text.length - max} more characters cut]`;
}

export class Activity {
  /** The last `capacity` requests; `next` is where the next one goes (the oldest, once full). */
  private readonly ring: (ServedRequest | undefined)[];
  private next = 0;
  /** Lines by request ID, oldest request first (a Map keeps insertion order). */
  private readonly lines = new Map<string, Lines>();
  /** Characters of every kept line's text. */
  private held = 0;
  private readonly listeners = new Set<(event: ActivityEvent) => void>();
  /**
   * Each kept request's details (its event's credentials masked, cut at `maxLineChars`), by API
   * Gateway's ID.
   */
  private readonly details = new Map<string, RequestDetail>();
  /** What a replay of each kept request sends: its query and its token, unmasked, in memory only. */
  private readonly replays = new Map<string, ReplaySource>();
  private readonly limits: ActivityLimits;

  constructor(limits: Partial<ActivityLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.ring = new Array<ServedRequest | undefined>(this.limits.capacity);
  }

  /** A request the API answered, and, when asked for, its details. */
  served(served: ServedRequest, detail?: () => RequestDetail): void {
    const replaced = this.ring[this.next];
    if (replaced !== undefined) {
      this.details.delete(replaced.requestId);
      this.replays.delete(replaced.requestId);
    }
    if (detail !== undefined) {
      const full = detail();
      this.replays.set(served.requestId, replaySource(served, full.event));
      this.details.set(served.requestId, keptDetail(full, this.limits.maxLineChars));
    }
    this.ring[this.next] = served;
    this.next = (this.next + 1) % this.limits.capacity;
    if (this.listeners.size > 0) this.publish({ kind: "request", entry: this.entry(served) });
  }

  /**
   * A record a function's log stream got, by Lambda's request ID; records of no invocation (its
   * init) are not kept.
   */
  line(fn: string, requestId: string | undefined, record: FunctionRecord): void {
    if (requestId === undefined) return;
    let kept = this.lines.get(requestId);
    if (kept === undefined) {
      kept = { logs: [], dropped: 0, chars: 0 };
      this.lines.set(requestId, kept);
      if (this.lines.size > this.limits.capacity) {
        const [oldest, lines] = this.lines.entries().next().value!;
        this.held -= lines.chars;
        this.lines.delete(oldest);
      }
    }
    if (kept.logs.length >= this.limits.linesPerRequest) {
      kept.dropped++;
      return;
    }
    const max = this.limits.maxLineChars;
    const line: LogLine = { fn, text: cutLine(record.text, max) };
    if (record.readable !== record.text) line.readable = cutLine(record.readable, max);
    const chars = line.text.length + (line.readable?.length ?? 0);
    kept.logs.push(line);
    kept.chars += chars;
    this.held += chars;
    if (this.held > this.limits.maxHeldChars) this.dropOldestLines();
    // A line of a request already shown joins it; one of a request still running comes with it.
    const served = this.listeners.size > 0 ? this.servedBy(requestId) : undefined;
    if (served !== undefined) this.publish({ kind: "log", requestId: served.requestId, line });
  }

  /** Drops whole requests' lines, oldest first, until what is held fits again. */
  private dropOldestLines(): void {
    for (const kept of this.lines.values()) {
      if (this.held <= this.limits.maxHeldChars) return;
      this.held -= kept.chars;
      kept.dropped += kept.logs.length;
      kept.logs = [];
      kept.chars = 0;
    }
  }

  /** The records of an invocation, by Lambda's request ID (one the console invoked itself). */
  linesOf(integrationRequestId: string): LogLine[] {
    return this.lines.get(integrationRequestId)?.logs.slice() ?? [];
  }

  /** A kept request's details: the event its function received (credentials masked), its answer. */
  detailOf(requestId: string): RequestDetail | undefined {
    return this.details.get(requestId);
  }

  /** What a replay of a kept request sends again, its token included: for the console's own use. */
  replayOf(requestId: string): ReplaySource | undefined {
    return this.replays.get(requestId);
  }

  /** The requests kept, oldest first, with their lines. */
  recent(): RequestEntry[] {
    const entries: RequestEntry[] = [];
    const { capacity } = this.limits;
    for (let i = 0; i < capacity; i++) {
      const served = this.ring[(this.next + i) % capacity];
      if (served !== undefined) entries.push(this.entry(served));
    }
    return entries;
  }

  /** Events from now on; returns the way to stop. */
  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ActivityEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private entry(served: ServedRequest): RequestEntry {
    const kept =
      served.integrationRequestId !== undefined
        ? this.lines.get(served.integrationRequestId)
        : undefined;
    return { ...served, logs: kept?.logs.slice() ?? [], droppedLines: kept?.dropped ?? 0 };
  }

  /**
   * The request kept whose invocation had this (Lambda) request ID, searched newest first: a
   * record comes soon after its answer.
   */
  private servedBy(integrationRequestId: string): ServedRequest | undefined {
    const { capacity } = this.limits;
    for (let i = 1; i <= capacity; i++) {
      const served = this.ring[(this.next - i + capacity) % capacity];
      if (served === undefined) return undefined;
      if (served.integrationRequestId === integrationRequestId) return served;
    }
    return undefined;
  }
}

/** A request's details as kept: the event's credentials masked, then cut as a long line is. */
function keptDetail(detail: RequestDetail, maxChars: number): RequestDetail {
  return detail.event === undefined
    ? detail
    : { ...detail, event: cutLine(maskEvent(detail.event), maxChars) };
}

/** The same method, path and query as a request, with the token it carried. */
export interface ReplaySource {
  method: string;
  path: string;
  query: string;
  authorization?: string;
}

function replaySource(served: ServedRequest, eventJson: string | undefined): ReplaySource {
  let event: { rawQueryString?: string; headers?: Record<string, string> } = {};
  try {
    if (eventJson !== undefined) event = JSON.parse(eventJson) as typeof event;
  } catch {
    // Not JSON: replayed without its query and token.
  }
  const authorization = event.headers?.authorization;
  return {
    method: served.method,
    path: served.path,
    query: event.rawQueryString ?? "",
    ...(authorization !== undefined ? { authorization } : {}),
  };
}
