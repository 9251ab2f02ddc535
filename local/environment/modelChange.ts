/**
 * What a reload changed, in one line: the routes, functions, tables and outputs added, removed or
 * changed, read off the model served before and the one served now.
 */
import type { LocalModel } from "../interpret/model";

type Named = Record<string, unknown>;

/** `added route POST /jobs; changed function get-public; removed output x`, or `no change`. */
export function describeChange(before: LocalModel, after: LocalModel): string {
  const kinds: [string, Named, Named][] = [
    ["route", byKey(before.api.routes, "routeKey"), byKey(after.api.routes, "routeKey")],
    ["function", before.functions, after.functions],
    ["table", byKey(before.tables, "name"), byKey(after.tables, "name")],
    ["resource not emulated", byKey(before.notEmulated, "name"), byKey(after.notEmulated, "name")],
    ["output", before.outputs, after.outputs],
  ];
  const said = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
  for (const [kind, was, now] of kinds) {
    const names = (list: string[]) => list.map((name) => `${kind} ${name}`);
    said.added.push(...names(Object.keys(now).filter((k) => !(k in was))));
    said.removed.push(...names(Object.keys(was).filter((k) => !(k in now))));
    said.changed.push(
      ...names(
        Object.keys(now).filter(
          (k) => k in was && JSON.stringify(was[k]) !== JSON.stringify(now[k]),
        ),
      ),
    );
  }
  const parts = (["added", "changed", "removed"] as const)
    .filter((how) => said[how].length > 0)
    .map((how) => `${how} ${said[how].join(", ")}`);
  if (parts.length > 0) return parts.join("; ");
  // Something else changed (an authorizer, a client, CORS): said as such.
  return JSON.stringify(before) === JSON.stringify(after) ? "no change" : "changed settings";
}

function byKey<T>(items: T[], key: keyof T): Named {
  return Object.fromEntries(items.map((item) => [String(item[key]), item]));
}
