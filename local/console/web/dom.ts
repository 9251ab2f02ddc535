/**
 * The page's only DOM helpers. Text always goes in as text (`textContent`), never as HTML: what
 * the page shows comes from tokens, paths and function logs that anyone may have written.
 */
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class !== undefined) node.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** A definition list from label/value pairs. */
export function facts(pairs: [string, Child][]): HTMLDListElement {
  return el(
    "dl",
    {},
    ...pairs.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
  );
}

export type Reply<T> = { ok: true; value: T } | { ok: false; message: string };

/** POSTs JSON to the console's API; a refusal comes back as its message. */
export async function postJson<T>(path: string, body: unknown): Promise<Reply<T>> {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const value = (await response.json()) as T & { message?: string };
    if (!response.ok) return { ok: false, message: value.message ?? `HTTP ${response.status}` };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, message: `the console did not answer: ${(err as Error).message}` };
  }
}
