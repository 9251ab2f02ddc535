/**
 * A request's details, opened from the live list: the event its function received, the answer
 * the client got, the invocation's duration and init from its REPORT, and a replay: the same
 * method, path and query, with the same token, sent again through "Try a route"'s server side.
 */
import type { InvokeReply, LogLine, RequestDetail, RequestEntry, TryReply } from "../consoleApi";
import { el, facts, postJson } from "./dom";
import { page } from "./state";

/** A `<details>` element that loads what it shows when first opened. */
export function requestDetails(entry: RequestEntry): HTMLDetailsElement {
  const body = el("div", { class: "detail-body" });
  const details = el(
    "details",
    { class: "request-details" },
    el("summary", {}, "Details: event, response, timing, replay"),
    body,
  );
  details.addEventListener("toggle", () => {
    if (details.open && body.childElementCount === 0) void load(entry, body);
  });
  return details;
}

async function load(entry: RequestEntry, body: HTMLElement): Promise<void> {
  const reply = await fetch(`/api/requests/${entry.requestId}`);
  if (!reply.ok) {
    body.replaceChildren(el("p", { class: "muted" }, "No longer kept (the console keeps 300)."));
    return;
  }
  const detail = (await reply.json()) as RequestDetail;
  const { response } = detail;
  const result = el("p", { attrs: { role: "status", "data-testid": "replay-result" } });
  body.replaceChildren(
    facts([
      ["Timing", timing(entry.logs)],
      ["Response", `${response.status}`],
      ["Response headers", headerList(response.headers)],
      ["Response body", bodyText(response)],
    ]),
    el("h4", {}, "The event the function received"),
    el(
      "pre",
      { class: "event", attrs: { "data-testid": "detail-event" } },
      detail.event !== undefined ? pretty(detail.event) : "(no function ran for this request)",
    ),
    replayButton(() => void replay(entry, result)),
    result,
    ...invokeForm(entry, detail),
  );
}

/**
 * The route's function invoked directly with the event, edited or not, as `aws lambda invoke`
 * would: its answer and its records.
 */
function invokeForm(entry: RequestEntry, detail: RequestDetail): HTMLElement[] {
  const fn = page.stack?.view.routes.find((r) => r.routeKey === entry.routeKey)?.function?.name;
  if (fn === undefined || detail.event === undefined) return [];
  const editor = el("textarea", {
    attrs: { "aria-label": `Event for ${fn}`, rows: "12", spellcheck: "false" },
  });
  editor.value = pretty(detail.event);
  const outcome = el("pre", { attrs: { "data-testid": "invoke-result", "aria-live": "polite" } });
  const button = el("button", { attrs: { type: "button" } }, `Invoke ${fn}`);
  button.addEventListener("click", () => {
    void postJson<InvokeReply>("/api/invoke", { function: fn, event: editor.value }).then((r) => {
      outcome.textContent = r.ok ? invokeText(r.value) : `Not invoked: ${r.message}`;
    });
  });
  return [el("h4", {}, `Invoke ${fn} with an event of your own`), editor, button, outcome];
}

function invokeText(reply: InvokeReply): string {
  const answer = reply.outcome === "ok" ? reply.payload! : `${reply.outcome}: ${reply.error}`;
  const records = reply.logs.map((l) => l.readable ?? l.text).join("\n");
  return `${answer}\n\n${records}`;
}

function replayButton(onClick: () => void): HTMLButtonElement {
  const button = el("button", { attrs: { type: "button" } }, "Replay");
  button.addEventListener("click", onClick);
  return button;
}

/** Duration and, on a cold start, init, as the invocation's REPORT says them. */
function timing(logs: LogLine[]): string {
  const report = logs.map((l) => l.readable ?? l.text).find((t) => t.startsWith("REPORT "));
  if (report === undefined) return "no invocation";
  const field = (name: string) => new RegExp(`${name}: ([\\d.]+ ms)`).exec(report)?.[1];
  const init = field("Init Duration");
  return `${field("Duration") ?? "?"}${init !== undefined ? `, init ${init} (a cold start)` : ""}`;
}

function headerList(headers: Record<string, string | string[]>): HTMLElement {
  const lines = Object.entries(headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`),
  );
  return el("pre", {}, lines.join("\n"));
}

function bodyText(response: RequestDetail["response"]): HTMLElement {
  const cut =
    response.bodyBytes > response.body.length ? ` (first part of ${response.bodyBytes} bytes)` : "";
  return el(
    "pre",
    {},
    `${response.bodyEncoding === "base64" ? "[base64] " : ""}${response.body}${cut}`,
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json; // cut by the console's bound: shown as kept
  }
}

/**
 * The same method, path and query, with the token the request carried, sent again by the console,
 * which holds the token: the page sees the details with it masked.
 */
async function replay(entry: RequestEntry, result: HTMLElement): Promise<void> {
  const reply = await postJson<TryReply>("/api/replay", { requestId: entry.requestId });
  result.textContent = reply.ok
    ? `Replayed: ${reply.value.status} in ${reply.value.latencyMs.toFixed(1)} ms (a new request in the list)`
    : `Not replayed: ${reply.message}`;
}
