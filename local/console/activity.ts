/**
 * What the console shows as it happens: each request the API answered, with the log lines its
 * invocation printed. Kept in memory, bounded: the last `capacity` requests, and at most
 * `linesPerRequest` lines each. A function's lines can arrive before its request is answered
 * (they are held until it is) or after (they join it then).
 */
import type { ServedRequest } from "../server/httpServer";
import type { ActivityEvent, LogLine, RequestEntry } from "./consoleApi";

export interface ActivityLimits {
  /** Requests kept. Default 300. */
  capacity: number;
  /** Log lines kept per request; the rest are counted. Default 50. */
  linesPerRequest: number;
}

export const DEFAULT_LIMITS: ActivityLimits = { capacity: 300, linesPerRequest: 50 };

export class Activity {
  /** By request ID, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, RequestEntry>();
  /** Lines of requests not answered yet, by request ID, oldest first. */
  private readonly early = new Map<string, LogLine[]>();
  private readonly listeners = new Set<(event: ActivityEvent) => void>();
  private readonly limits: ActivityLimits;

  constructor(limits: Partial<ActivityLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** A request the API answered. */
  served(served: ServedRequest): void {
    const entry: RequestEntry = { ...served, logs: [], droppedLines: 0 };
    for (const line of this.early.get(served.requestId) ?? []) this.addLine(entry, line);
    this.early.delete(served.requestId);
    this.entries.set(entry.requestId, entry);
    if (this.entries.size > this.limits.capacity) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.publish({ kind: "request", entry });
  }

  /** A line a function printed; lines of no request (its init) are not kept. */
  line(fn: string, requestId: string | undefined, text: string): void {
    if (requestId === undefined) return;
    const line: LogLine = { fn, text };
    const entry = this.entries.get(requestId);
    if (entry !== undefined) {
      if (this.addLine(entry, line)) this.publish({ kind: "log", requestId, line });
      return;
    }
    let lines = this.early.get(requestId);
    if (lines === undefined) {
      lines = [];
      this.early.set(requestId, lines);
      if (this.early.size > this.limits.capacity) {
        this.early.delete(this.early.keys().next().value!);
      }
    }
    if (lines.length < this.limits.linesPerRequest) lines.push(line);
  }

  /** The requests kept, oldest first. */
  recent(): RequestEntry[] {
    return [...this.entries.values()];
  }

  /** Events from now on; returns the way to stop. */
  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  publish(event: ActivityEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Adds a line within the bound; false when it was only counted. */
  private addLine(entry: RequestEntry, line: LogLine): boolean {
    if (entry.logs.length >= this.limits.linesPerRequest) {
      entry.droppedLines++;
      return false;
    }
    entry.logs.push(line);
    return true;
  }
}
