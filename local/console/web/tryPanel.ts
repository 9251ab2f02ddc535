/** Try a route: call it with or without the token and see the whole answer and its curl line. */
import type { StackState, TryReply } from "../consoleApi";
import { byId, el, facts, postJson } from "./dom";
import { page } from "./state";

export function setUpTryPanel(): void {
  const form = byId<HTMLFormElement>("try-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });
  byId<HTMLSelectElement>("try-route").addEventListener("change", (event) => {
    const [method, path] = (event.target as HTMLSelectElement).value.split(" ");
    // ANY and path variables are the user's to fill in; a method and a plain path are ready.
    byId<HTMLInputElement>("try-method").value =
      method === "ANY" || method === undefined ? "GET" : method;
    byId<HTMLInputElement>("try-path").value =
      path === undefined || path === "$default" ? "/" : path;
  });
}

export function tryStackChanged(state: StackState): void {
  const select = byId<HTMLSelectElement>("try-route");
  const before = select.value;
  select.replaceChildren(
    ...state.view.routes.map((r) => el("option", { attrs: { value: r.routeKey } }, r.routeKey)),
  );
  if (state.view.routes.some((r) => r.routeKey === before)) select.value = before;
  else select.dispatchEvent(new Event("change"));
}

async function send(): Promise<void> {
  const result = byId("try-result");
  result.replaceChildren(el("p", { class: "muted" }, "Sending…"));
  const withToken = byId<HTMLInputElement>("try-with-token").checked && page.token !== "";
  const reply = await postJson<TryReply>("/api/try", {
    method: byId<HTMLInputElement>("try-method").value.trim().toUpperCase(),
    path: byId<HTMLInputElement>("try-path").value.trim(),
    ...(withToken ? { token: page.token } : {}),
  });
  if (!reply.ok) {
    result.replaceChildren(el("p", { class: "bad", attrs: { role: "alert" } }, reply.message));
    return;
  }
  const answer = reply.value;
  const copy = el("button", { class: "secondary", attrs: { type: "button" } }, "Copy curl line");
  copy.addEventListener("click", () => {
    void navigator.clipboard?.writeText(answer.curl).then(
      () => (copy.textContent = "Copied"),
      () => (copy.textContent = "Select the line to copy it"),
    );
  });
  result.replaceChildren(
    el(
      "p",
      { class: "answer-head" },
      el(
        "strong",
        { class: answer.status < 400 ? "ok" : "bad", attrs: { "data-testid": "try-status" } },
        `${answer.status}`,
      ),
      el(
        "span",
        {
          attrs: {
            title:
              "Round trip from the console's server: connecting, sending, the whole answer. The live list shows the API's own time for the same request, from its first byte read to its answer written, so it reads lower.",
          },
        },
        `${answer.latencyMs.toFixed(1)} ms round trip`,
      ),
      withToken ? "with the token" : "without a token",
    ),
    el("h3", {}, "Body"),
    el("pre", { attrs: { "data-testid": "try-body" } }, answer.body),
    answer.truncated
      ? el("p", { class: "muted" }, "The body is longer; the console shows its start.")
      : "",
    el("h3", {}, "Headers"),
    facts(answer.headers.map(([name, value]) => [name, el("code", {}, value)])),
    el("h3", {}, "curl"),
    el("pre", { attrs: { "data-testid": "try-curl" } }, answer.curl),
    copy,
  );
}
