/** The stack as the program declares it: routes, authorizers, the Auth0 side, outputs. */
import type { RouteView, StackState, StackView, TablesView } from "../consoleApi";
import { byId, el, facts, type Child } from "./dom";

export function renderStack(state: StackState): void {
  const { view } = state;
  byId("stack-name").textContent = `${view.project} · stack ${view.stack}`;
  byId("stack-version").textContent = `version ${state.version}`;
  document.title = `Local console · ${view.project} (${view.stack})`;
  byId("stack-body").replaceChildren(
    issuerFacts(view),
    routesTable(view.routes),
    el("h3", {}, "Authorizer"),
    ...view.authorizers.map((a) =>
      facts([
        ["Name", a.name],
        ["Issuer", el("code", {}, a.issuer)],
        ["Audiences", list(a.audiences)],
        ["Token from", el("code", {}, a.identitySource)],
      ]),
    ),
    el("h3", {}, "Auth0"),
    ...view.applications.map((app) =>
      facts([
        ["Application", app.name],
        ["Type", app.appType],
        ["Client ID", el("code", {}, app.clientId)],
        ["Callback URLs", list(app.callbacks)],
        ...connectionFacts(app.connection, view.signIn),
      ]),
    ),
    ...view.apis.map((api) =>
      facts([
        ["API", api.name],
        ["Identifier", el("code", {}, api.identifier)],
        ["Scopes", api.scopes.length > 0 ? list(api.scopes) : "none"],
      ]),
    ),
    ...domainFacts(view),
    ...alarmsFacts(view.alarms),
    ...tablesFacts(view.tables),
    ...notEmulatedFacts(view.notEmulated),
    group("outputs", "Outputs", view.outputs.length, [
      el(
        "p",
        { class: "muted" },
        "As a deploy exports them (pulumi stack output); where one stands for something served here, its local equivalent beside it.",
      ),
      facts(view.outputs.map((o) => [o.name, outputValue(o)])),
    ]),
    ...(view.warnings.length > 0
      ? [el("h3", {}, "Not emulated"), el("ul", {}, ...view.warnings.map((w) => el("li", {}, w)))]
      : []),
  );
}

function outputValue(o: StackView["outputs"][number]): HTMLElement {
  if (o.secret) return el("span", { class: "muted" }, "[secret]");
  return el(
    "span",
    { class: "output" },
    el("code", { attrs: { "data-testid": `output-${o.name}` } }, o.value ?? ""),
    o.local !== undefined &&
      el(
        "span",
        { class: "local" },
        " locally: ",
        el("code", { attrs: { "data-testid": `output-${o.name}-local` } }, o.local),
      ),
  );
}

/** `GET /public` as two unbreakable words: at a phone's width the path takes a line of its own. */
function routeKey(key: string): HTMLElement {
  const words = key.split(" ");
  const spans = words.flatMap((w, i) => [...(i > 0 ? [" "] : []), el("span", {}, w)]);
  return el("code", { class: "route-key" }, ...spans);
}

function routesTable(routes: RouteView[]): HTMLTableElement {
  return el(
    "table",
    { attrs: { "aria-label": "Routes" } },
    el(
      "thead",
      {},
      el("tr", {}, ...["Route", "Access", "Function", "Integration"].map((h) => el("th", {}, h))),
    ),
    el("tbody", {}, ...routes.map(routeRow)),
  );
}

function routeRow(route: RouteView): HTMLTableRowElement {
  const access =
    route.authorizationType === "NONE"
      ? "public"
      : route.authorizationType === "JWT"
        ? `JWT${route.scopes.length > 0 ? `, scope ${route.scopes.join(" or ")}` : ""}`
        : route.authorizationType;
  const fn = route.function;
  return el(
    "tr",
    { attrs: { "data-route": route.routeKey } },
    el("td", {}, routeKey(route.routeKey)),
    el("td", {}, access),
    el(
      "td",
      {},
      fn === undefined
        ? "none"
        : el(
            "span",
            {},
            el("code", {}, fn.name),
            el("br"),
            `${fn.runtime}, ${fn.architecture}, ${fn.memoryMb} MB, ${fn.timeoutSeconds} s`,
          ),
    ),
    el(
      "td",
      {},
      `${route.integration.type}, payload ${route.integration.payloadFormatVersion}, ${route.integration.timeoutMs / 1000} s`,
    ),
  );
}

function issuerFacts(view: StackView): HTMLDListElement {
  const { issuer } = view;
  return facts([
    ["API endpoint", el("code", {}, view.apiEndpoint)],
    [
      "Issuer",
      issuer.builtIn
        ? el("span", {}, "built in, served at ", el("code", {}, issuer.servedAt ?? ""))
        : el("span", {}, "external, ", el("code", {}, issuer.issuer)),
    ],
  ]);
}

function list(items: string[]): HTMLElement {
  return el("span", {}, ...items.flatMap((item, i) => [i > 0 && el("br"), el("code", {}, item)]));
}

/**
 * Who may sign in: the application's connection, its sign-up, its declared users and those added
 * here (`npm start -- --user`).
 */
function connectionFacts(
  connection: StackView["applications"][number]["connection"],
  signIn: StackView["signIn"],
) {
  if (connection === undefined) return [];
  const added = (signIn?.users ?? []).filter((u) => !connection.users.includes(u));
  const users = [...connection.users, ...added.map((u) => `${u} (added here with --user)`)];
  return [
    ["Connection", el("code", {}, connection.name)],
    ["Sign-up", connection.signUp ? "on: any username signs in" : "off: its users only"],
    [
      "Users",
      users.length > 0 ? list(users) : "none declared (add one here with npm start -- --user NAME)",
    ],
  ] as [string, Child][];
}

/** The alarms a deploy would create: listed, never evaluated locally. */
function alarmsFacts(alarms: StackView["alarms"]): HTMLElement[] {
  if (alarms.length === 0) return [];
  return [
    group(
      "alarms",
      `Alarms a deploy creates (${alarms.length})`,
      alarms.length,
      alarms.map((a) =>
        facts([
          ["Alarm", el("code", {}, a.name)],
          ["When", a.description],
          ["Metric", `${a.namespace} ${a.metric}`],
          ["Threshold", a.threshold],
        ]),
      ),
    ),
  ];
}

/** The tables the local engine serves; their items on demand (read-only, tokens masked). */
function tablesFacts(tables: StackView["tables"]): HTMLElement[] {
  if (tables.length === 0) return [];
  const shown = el("div", { attrs: { "data-testid": "table-items" } });
  const button = el("button", { attrs: { type: "button" } }, "Show items");
  button.addEventListener("click", () => void showItems(shown));
  return [
    group(
      "tables",
      `Tables (${tables.length}, on a local DynamoDB-compatible engine)`,
      tables.length,
      [
        ...tables.map((t) =>
          facts([
            ["Table", el("code", {}, t.name)],
            ["Key", t.keySchema],
          ]),
        ),
        button,
        shown,
      ],
    ),
  ];
}

async function showItems(into: HTMLElement): Promise<void> {
  try {
    const reply = await fetch("/api/tables");
    const tables = (await reply.json()) as TablesView;
    into.replaceChildren(
      ...tables.map((t) =>
        el(
          "div",
          {},
          el("h4", {}, `${t.name}: ${t.items.length}${t.more ? "+" : ""} item(s)`),
          el("pre", {}, t.items.map((item) => JSON.stringify(item)).join("\n") || "(empty)"),
        ),
      ),
    );
  } catch (err) {
    into.replaceChildren(`the console did not answer: ${(err as Error).message}`);
  }
}

/** What a deploy creates that is not emulated here: its declared inputs; its outputs wait. */
function notEmulatedFacts(resources: StackView["notEmulated"]): HTMLElement[] {
  if (resources.length === 0) return [];
  return [
    group("not-emulated", `Not emulated locally (${resources.length})`, resources.length, [
      el(
        "p",
        { class: "muted" },
        "A deploy creates these; here they only are declared. Outputs that depend on them are known only after a deploy.",
      ),
      ...resources.map((r) =>
        facts([
          ["Resource", el("code", { attrs: { "data-testid": `not-emulated-${r.name}` } }, r.name)],
          ["Type", el("code", {}, r.type)],
          ["Inputs", el("pre", {}, r.inputs)],
        ]),
      ),
    ]),
  ];
}

/** A list longer than this starts folded, so that a stack with many alarms fits the first screen. */
const SHORT_LIST = 5;

/** The groups the developer opened or folded, kept across the stack's versions. */
const chosen = new Map<string, boolean>();

/**
 * A titled group of the Stack panel: open when its list is short, folded when long, then as the
 * developer leaves it (a reload re-renders the panel).
 */
function group(key: string, title: string, count: number, children: Child[]): HTMLDetailsElement {
  const details = el(
    "details",
    { attrs: { "data-group": key } },
    el("summary", {}, el("h3", {}, title)),
    ...children,
  );
  const folded = count > SHORT_LIST;
  details.open = chosen.get(key) ?? !folded;
  // Only the developer's own choice is kept (setting `open` above fires "toggle" too).
  details.addEventListener("toggle", () => {
    if (details.open === folded) chosen.set(key, details.open);
    else chosen.delete(key);
  });
  return details;
}

/** The custom domains a deploy serves, and how to reach the local API by one of them. */
function domainFacts(view: StackView): HTMLElement[] {
  if (view.customDomains.length === 0) return [];
  const port = new URL(view.apiEndpoint).port;
  return [
    el("h3", {}, "Custom domain"),
    ...view.customDomains.map((domain) =>
      facts([
        ["A deploy serves", el("code", {}, `https://${domain}`)],
        [
          "Here",
          el(
            "code",
            {},
            `curl --resolve ${domain}:${port}:127.0.0.1 http://${domain}:${port}${view.probePath}`,
          ),
        ],
      ]),
    ),
  ];
}
