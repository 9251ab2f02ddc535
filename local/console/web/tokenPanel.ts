/**
 * Tokens: get one from the built-in issuer (any username, ID or access token, chosen scopes) or
 * paste one; see it decoded, its expiry counting down, and which routes it passes and why not,
 * as the authorizer decides (the server runs the authorizer's own rules).
 */
import type { Inspection, StackState, TokenReply } from "../consoleApi";
import { byId, el, postJson } from "./dom";
import { page } from "./state";

let expiresAt: number | undefined;
/** The APIs the program declares: an access token is for one of them. */
let apis: StackState["view"]["apis"] = [];
/** The token whose expiry was seen, so the verdicts are asked for once more, not every second. */
let expiryNoticed = "";

export function setUpTokenPanel(): void {
  const form = byId<HTMLFormElement>("token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void getToken(form);
  });
  form.addEventListener("change", (event) => {
    byId("token-access").hidden = kindOf(form) !== "access";
    if ((event.target as HTMLElement).id === "token-api") drawScopes();
  });
  let typing: number | undefined;
  byId<HTMLTextAreaElement>("token-text").addEventListener("input", (event) => {
    window.clearTimeout(typing);
    const text = (event.target as HTMLTextAreaElement).value;
    typing = window.setTimeout(() => useToken(text), 250);
  });
  window.setInterval(tick, 1000);
}

/** A new version of the stack: the form follows the issuer, the verdicts follow the routes. */
export function tokenStackChanged(state: StackState): void {
  const { view } = state;
  byId("token-form").hidden = !view.issuer.builtIn;
  const external = byId("token-external");
  external.hidden = view.issuer.builtIn;
  external.textContent = `This environment trusts an external issuer, ${view.issuer.issuer}: paste a token it issued.`;
  byId("token-form-hint").textContent = signInHint(view.signIn);
  // A username the stack signs in, unless one was typed: prod admits its declared users only.
  const username = byId<HTMLInputElement>("token-username");
  if (view.signIn?.username !== undefined && username.value === username.defaultValue) {
    username.value = username.defaultValue = view.signIn.username;
  }
  apis = view.apis;
  const select = byId<HTMLSelectElement>("token-api");
  const before = select.value;
  select.replaceChildren(
    ...apis.map((api) =>
      el("option", { attrs: { value: api.identifier } }, `${api.name} (${api.identifier})`),
    ),
  );
  if (apis.some((api) => api.identifier === before)) select.value = before;
  drawScopes();
  if (page.token !== "") void inspect(page.token);
}

/** Who the built-in issuer signs in, in the stack's terms. */
function signInHint(signIn: StackState["view"]["signIn"]): string {
  const flow = "through its own login flow, as npm run token does";
  if (signIn === undefined || signIn.anyUsername) {
    return `The built-in issuer signs in any username ${flow}.`;
  }
  const add = "add one with npm start -- --user NAME";
  return signIn.users.length > 0
    ? `Sign-up is off on ${signIn.connection}: the built-in issuer signs in ${signIn.users.join(" or ")} ${flow}; ${add}.`
    : `Sign-up is off on ${signIn.connection} and it has no user: ${add}.`;
}

/** The chosen API's scopes, as boxes to tick; the ticked ones stay ticked. */
function drawScopes(): void {
  const chosen = byId<HTMLSelectElement>("token-api").value;
  const scopes = apis.find((api) => api.identifier === chosen)?.scopes ?? [];
  const checked = new Set(
    scopeBoxes()
      .filter((b) => b.checked)
      .map((b) => b.value),
  );
  const box = (scope: string) =>
    el("input", {
      attrs: {
        type: "checkbox",
        name: "scope",
        value: scope,
        ...(checked.has(scope) ? { checked: "" } : {}),
      },
    });
  byId("token-scope-list").replaceChildren(
    ...(scopes.length > 0
      ? scopes.map((scope) => el("label", {}, box(scope), ` ${scope}`))
      : [el("span", { class: "muted" }, "This API defines no scopes.")]),
  );
}

function kindOf(form: HTMLFormElement): "id" | "access" {
  return (new FormData(form).get("kind") as "id" | "access" | null) ?? "id";
}

function scopeBoxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>("#token-scope-list input")];
}

async function getToken(form: HTMLFormElement): Promise<void> {
  const status = byId("token-status");
  status.textContent = "Signing in…";
  const kind = kindOf(form);
  const api = byId<HTMLSelectElement>("token-api").value;
  const reply = await postJson<TokenReply>("/api/token", {
    username: byId<HTMLInputElement>("token-username").value,
    kind,
    ...(kind === "access"
      ? {
          ...(api !== "" ? { audience: api } : {}),
          scopes: scopeBoxes()
            .filter((b) => b.checked)
            .map((b) => b.value),
        }
      : {}),
  });
  if (!reply.ok) {
    status.textContent = reply.message;
    return;
  }
  byId<HTMLTextAreaElement>("token-text").value = reply.value.token;
  const dropped = reply.value.dropped;
  status.textContent =
    `Got an ${kind === "id" ? "ID" : "access"} token.` +
    (dropped.length > 0 ? ` Not granted: ${dropped.join(", ")}.` : "");
  useToken(reply.value.token);
}

function useToken(text: string): void {
  // A `Bearer ` prefix may stay: the server reads the token past it (tokenIn).
  const token = text.trim();
  page.token = token;
  page.changed();
  if (token === "") {
    byId("token-details").hidden = true;
    expiresAt = undefined;
    return;
  }
  void inspect(token);
}

/** The inspection error the status shows, if it shows one. */
let shownError: string | undefined;

async function inspect(token: string): Promise<void> {
  const reply = await postJson<Inspection>("/api/inspect", { token });
  if (token !== page.token) return; // a newer token is being looked at
  const details = byId("token-details");
  if (!reply.ok) {
    byId("token-status").textContent = shownError = reply.message;
    details.hidden = true;
    return;
  }
  const { header, claims, error, routes } = reply.value;
  // The status speaks of this token: a previous token's error does not stay beside its verdicts
  // (what the status says otherwise, such as "Got an ID token.", stays).
  const status = byId("token-status");
  if (error !== undefined) status.textContent = error;
  else if (status.textContent === shownError) status.textContent = "";
  shownError = error;
  byId("token-header").textContent = JSON.stringify(header ?? {}, null, 2);
  byId("token-claims").textContent = JSON.stringify(claims ?? {}, null, 2);
  expiresAt = typeof claims?.exp === "number" ? claims.exp : undefined;
  byId("token-routes").replaceChildren(
    ...routes.map((r) =>
      el(
        "li",
        { attrs: { "data-route": r.routeKey } },
        el("span", { class: r.passes ? "ok" : "bad" }, r.passes ? "✓ passes" : `✗ ${r.status}`),
        " ",
        el("code", {}, r.routeKey),
        ` — ${r.reason}`,
      ),
    ),
  );
  details.hidden = false;
  tick();
}

/** The expiry, counting down; at zero the verdicts are asked for again. */
function tick(): void {
  if (expiresAt === undefined) {
    byId("token-expiry").textContent = "never (no exp claim)";
    return;
  }
  const left = Math.round(expiresAt - Date.now() / 1000);
  byId("token-expiry").textContent =
    left > 0 ? `in ${duration(left)} (${new Date(expiresAt * 1000).toLocaleString()})` : "expired";
  if (left <= 0 && expiryNoticed !== page.token) {
    expiryNoticed = page.token;
    void inspect(page.token);
  }
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}
