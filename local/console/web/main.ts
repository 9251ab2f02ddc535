/**
 * The console page: one event stream brings the stack and the live requests (first everything
 * there is, then each change); the panels draw from it. EventSource reconnects by itself, and
 * each connection starts with everything again, so a reload of the page or of the server loses
 * nothing the server kept.
 */
import type { StreamEvent } from "../consoleApi";
import { byId } from "./dom";
import { liveEvents, liveStackChanged, setUpLivePanel } from "./livePanel";
import { renderStack } from "./stackPanel";
import { page } from "./state";
import { setUpTokenPanel, tokenStackChanged } from "./tokenPanel";
import { setUpTryPanel, tryStackChanged } from "./tryPanel";

function stackChanged(): void {
  const state = page.stack!;
  renderStack(state);
  tokenStackChanged(state);
  tryStackChanged(state);
  liveStackChanged(state);
  const error = byId("reload-error");
  error.hidden = state.error === undefined;
  byId("reload-error-text").textContent = state.error?.message ?? "";
  byId("type-errors").hidden = state.typeErrors === undefined;
  byId("type-errors-text").textContent = state.typeErrors?.join("\n") ?? "";
}

function connect(): void {
  const connection = byId("connection");
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    connection.textContent = "Live";
    connection.classList.remove("down");
  });
  source.addEventListener("error", () => {
    connection.textContent = "Disconnected: is npm start still running? Retrying…";
    connection.classList.add("down");
  });
  source.addEventListener("message", (message: MessageEvent<string>) => {
    const events = JSON.parse(message.data) as StreamEvent[];
    const stack = events.filter((e) => e.kind === "hello" || e.kind === "stack").pop();
    if (stack !== undefined) {
      page.stack = stack.stack;
      stackChanged();
    }
    liveEvents(events);
  });
}

setUpTokenPanel();
setUpTryPanel();
setUpLivePanel();
connect();
