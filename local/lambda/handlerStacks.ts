/**
 * A thrown error's stack as the developer reads it, in the terminal and the console: each frame
 * in a function's archive (the serialized `__index.js`) moved to its line in the program's
 * TypeScript (`handlers/public.ts:4:9`, relative to the project) by the archive's source map (the
 * one `--inspect` uses: `composeSourceMap`), and the frames that are not the developer's left out:
 * the serializer's wrappers, the local runtime's own files and Node's internals.
 *
 * Only the readable rendering changes: the record as written (what CloudWatch would hold) keeps
 * the archive's frames, as Lambda's does without `--enable-source-maps`.
 *
 * The serializer writes each function as a wrapper `function __explode()` that applies the
 * function's own text (`function /*explode*\/() {…}`): V8 names the inner frame `Object.<anonymous>`
 * and the wrapper's `__explode [as explode]`. A mapped frame takes its wrapper's name.
 */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { OWN_CODE } from "../ownCode";
import type { SourceMap } from "./sourceMaps";

/** `    at [async ][name (]file:line:column[)]`, as V8 writes a frame. */
const FRAME = /^(\s+at )(async )?(?:(.+?) \()?(\S+?):(\d+):(\d+)\)?$/;

/** The serializer's wrapper: `__explode`, `Object.__explode [as explode]`. */
const WRAPPER = /(?:^|\.)__(\w+)(?: \[as (\w+)\])?$/;

interface Frame {
  head: string;
  async: string;
  name: string | undefined;
  file: string;
  line: number;
  column: number;
}

/**
 * How a function's records read: `readable(text)` for an archive unpacked at `taskRoot` with these
 * maps (archive path → map), paths shown relative to `projectDir`.
 */
export function handlerStacks(
  sourceMaps: Record<string, SourceMap>,
  taskRoot: string,
  projectDir: string,
): (text: string) => string {
  const maps = new Map<string, TraceMap>();
  const prefix = join(taskRoot, "/");
  const mapOf = (file: string) => {
    const map = sourceMaps[file.slice(prefix.length)];
    if (map !== undefined && !maps.has(file)) maps.set(file, new TraceMap(map));
    return maps.get(file);
  };
  const where = (frame: Frame) => {
    const map = mapOf(frame.file);
    if (map === undefined) return undefined;
    const at = originalPositionFor(map, { line: frame.line, column: frame.column - 1 });
    if (at.source === null || at.line === null) return undefined;
    return `${relative(projectDir, fileURLToPath(at.source))}:${at.line}:${at.column + 1}`;
  };

  return (text) => {
    if (!text.includes("    at ")) return text;
    const lines = text.split("\n");
    const frames = lines.map(parseFrame);
    const out: string[] = [];
    lines.forEach((line, i) => {
      const frame = frames[i];
      if (frame === undefined) return void out.push(line);
      if (frame.file.startsWith(OWN_CODE) || frame.file.startsWith("node:")) return;
      if (!frame.file.startsWith(prefix)) return void out.push(line);
      const at = where(frame);
      if (at === undefined) return; // a wrapper the serializer wrote
      const name = wrapperName(frames[i + 1]) ?? ownName(frame.name);
      out.push(`${frame.head}${frame.async}${name !== undefined ? `${name} (${at})` : at}`);
    });
    return out.join("\n");
  };
}

function parseFrame(line: string): Frame | undefined {
  const m = FRAME.exec(line);
  if (m === null) return undefined;
  return {
    head: m[1]!,
    async: m[2] ?? "",
    name: m[3],
    file: m[4]!,
    line: Number(m[5]),
    column: Number(m[6]),
  };
}

function wrapperName(next: Frame | undefined): string | undefined {
  const m = next?.name !== undefined ? WRAPPER.exec(next.name) : null;
  return m === null ? undefined : (m[2] ?? m[1]);
}

/** A frame's own name, unless it only says that the function has none. */
function ownName(name: string | undefined): string | undefined {
  return name === undefined || /<anonymous>$/.test(name) ? undefined : name;
}
