/**
 * Live requests: every request the API answers, newest first, with its function's log lines;
 * filtered by route and status. The page keeps what the server keeps (the last few hundred).
 */
import type { LogLine, RequestEntry, StackState, StreamEvent } from "../consoleApi";
import { byId, el } from "./dom";
import { requestDetails } from "./requestDetails";

/** As many as the server keeps. */
const KEEP = 300;
/** The list is drawn at most this often: under load, requests come by the thousand a second. */
const DRAW_EVERY_MS = 500;
let entries: RequestEntry[] = [];
let drawPending = false;
let lastDraw = 0;
/** Each request's item, made once and kept while the request is (a new line remakes it). */
let items = new Map<string, { item: HTMLLIElement; lines: number }>();

/** While paused, the list stays as it is; requests still arrive and are counted. */
let paused = false;

/**
 * The requests this tab cleared: its Clear empties its own list only (another tab keeps its own),
 * and the tab's reloads remember it (sessionStorage is the tab's).
 */
const CLEARED = "console.cleared";
const cleared = new Set<string>(JSON.parse(sessionStorage.getItem(CLEARED) ?? "[]") as string[]);

function clearList(): void {
  // Only what the server may still send back: the requests listed now.
  cleared.clear();
  for (const e of entries) cleared.add(e.requestId);
  sessionStorage.setItem(CLEARED, JSON.stringify([...cleared]));
  entries = [];
  draw();
}

export function setUpLivePanel(): void {
  for (const id of ["live-route", "live-status"]) byId(id).addEventListener("change", draw);
  byId("live-search").addEventListener("input", draw);
  const pause = byId<HTMLButtonElement>("live-pause");
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", String(paused));
    draw();
  });
  // This tab's list starts again from the next request; the console keeps them for the others.
  byId("live-clear").addEventListener("click", clearList);
}

export function liveStackChanged(state: StackState): void {
  const select = byId<HTMLSelectElement>("live-route");
  const before = select.value;
  select.replaceChildren(
    el("option", { attrs: { value: "" } }, "All routes"),
    ...state.view.routes.map((r) => el("option", { attrs: { value: r.routeKey } }, r.routeKey)),
    el("option", { attrs: { value: "-" } }, "No route (-)"),
  );
  select.value = [...select.options].some((o) => o.value === before) ? before : "";
}

/** Applies the stream's events; the list is drawn soon after, at most every `DRAW_EVERY_MS`. */
export function liveEvents(events: StreamEvent[]): void {
  for (const event of events) {
    if (event.kind === "hello" || event.kind === "snapshot") {
      entries = event.requests.filter((r) => !cleared.has(r.requestId));
    } else if (event.kind === "request") entries.push(event.entry);
    else if (event.kind === "log") addLine(event.requestId, event.line);
  }
  if (entries.length > KEEP) entries = entries.slice(-KEEP);
  if (drawPending) return;
  drawPending = true;
  window.setTimeout(
    () =>
      requestAnimationFrame(() => {
        drawPending = false;
        lastDraw = performance.now();
        draw();
      }),
    Math.max(0, lastDraw + DRAW_EVERY_MS - performance.now()),
  );
}

/** Whether a request's path, route, request IDs or records hold the text searched for. */
function matches(e: RequestEntry, search: string): boolean {
  const text = [e.method, e.path, e.routeKey, e.requestId, e.integrationRequestId ?? ""]
    .concat(e.logs.map((l) => l.readable ?? l.text))
    .join("\n")
    .toLowerCase();
  return text.includes(search);
}

function addLine(requestId: string, line: LogLine): void {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.requestId === requestId) {
      entries[i]!.logs.push(line);
      return;
    }
  }
}

/** The list as it stands when the page was paused: what it shows until resumed. */
let frozen: RequestEntry[] | undefined;

function draw(): void {
  const route = byId<HTMLSelectElement>("live-route").value;
  const status = byId<HTMLSelectElement>("live-status").value;
  const search = byId<HTMLInputElement>("live-search").value.trim().toLowerCase();
  frozen = paused ? (frozen ?? entries.slice()) : undefined;
  const listed = frozen ?? entries;
  const shown = listed.filter(
    (e) =>
      (route === "" || e.routeKey === route) &&
      (status === "" || String(e.status)[0] === status) &&
      (search === "" || matches(e, search)),
  );
  const waiting = frozen !== undefined ? entries.length - frozen.length : 0;
  byId("live-count").textContent =
    `${shown.length} shown of ${listed.length} kept` +
    (paused ? `; paused, ${Math.max(0, waiting)} new since` : "") +
    (entries.length >= KEEP ? ` (the last ${KEEP}; older ones are not kept)` : "");
  const next = new Map<string, { item: HTMLLIElement; lines: number }>();
  for (const entry of listed) {
    const kept = items.get(entry.requestId);
    next.set(
      entry.requestId,
      kept !== undefined && kept.lines === entry.logs.length
        ? kept
        : { item: item(entry), lines: entry.logs.length },
    );
  }
  items = next;
  byId("live-list").replaceChildren(...shown.reverse().map((e) => next.get(e.requestId)!.item));
}

function item(e: RequestEntry): HTMLLIElement {
  return el(
    "li",
    { attrs: { "data-request-id": e.requestId } },
    el(
      "div",
      { class: "request-line" },
      el("span", { class: "muted" }, new Date(e.receivedAt).toLocaleTimeString()),
      el("strong", { class: "mono" }, `${e.method} ${e.path}`),
      el("span", { class: "badge mono", attrs: { title: "route key" } }, e.routeKey),
      el("span", { class: `status ${e.status < 400 ? "ok" : "bad"}` }, String(e.status)),
      el(
        "span",
        { attrs: { title: "The API's own time: from the request read to its answer written" } },
        `${e.latencyMs.toFixed(1)} ms`,
      ),
      el(
        "span",
        { class: "mono", attrs: { title: "the authorizer's verdict" } },
        `authorizer: ${e.authorizer}`,
      ),
      el(
        "span",
        { class: "muted mono", attrs: { title: "API Gateway's request ID" } },
        e.requestId,
      ),
      e.integrationRequestId !== undefined &&
        el(
          "span",
          { class: "muted mono", attrs: { title: "Lambda's request ID (its records name it)" } },
          e.integrationRequestId,
        ),
    ),
    e.logs.length > 0 &&
      el(
        "pre",
        { class: "logs", attrs: { "aria-label": "function log" } },
        e.logs.map(logText).join("\n") + more(e),
      ),
    requestDetails(e),
    e.logs.length > 0 &&
      el(
        "details",
        { class: "as-written" },
        el("summary", {}, "as written"),
        el(
          "pre",
          { class: "raw-logs", attrs: { "aria-label": "function log as written" } },
          e.logs.map((line) => line.text).join("\n") + more(e),
        ),
      ),
  );
}

function more(e: RequestEntry): string {
  return e.droppedLines > 0 ? `\n… ${e.droppedLines} more lines` : "";
}

/**
 * A record in its readable rendering; a function's record as level and message (its time and
 * request ID are the request's own); the platform's START and REPORT as they read.
 */
function logText(line: LogLine): string {
  const shown = line.readable ?? line.text;
  const parts = shown.split("\t");
  const lambdaFormat = parts.length >= 4 && /^\d{4}-\d\d-\d\dT/.test(parts[0]!);
  return `[${line.fn}] ${lambdaFormat ? `${parts[2]} ${parts.slice(3).join("\t")}` : shown}`;
}
