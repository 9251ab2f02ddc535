/**
 * A source map from a function's archive (the serialized `__index.js` a CallbackFunction uploads)
 * back to the program's TypeScript, composed by the evaluator that emitted both: stacks read at
 * the developer's lines (`handlerStacks`), and under `--inspect` a breakpoint set on a line of
 * `handlers/` stops in the archive's code, which is what runs.
 *
 * The closure serializer writes each captured function as its `Function.prototype.toString()`
 * text: the JavaScript the program ran, as TypeScript emitted it for the program's file, with the
 * function's header rewritten (`async function /*handler*\/(event) {`) and a wrapper around it.
 * So the archive's lines are, run by run, lines of the program's emitted JavaScript; each run is
 * found by its text and takes that output's own mappings to the TypeScript. A line the serializer
 * rewrote (a header, the wrapper) has no mapping: a breakpoint there moves to the next line that
 * has one, as debuggers do for any line without code.
 */
import { decode, encode, type SourceMapSegment } from "@jridgewell/sourcemap-codec";
import type { LocalFunction } from "../interpret/model";

/** One of the program's files, as TypeScript emitted it. */
export interface EmittedFile {
  /** The TypeScript file's URL (`file:///…/handlers/private.ts`), as a debugger opens it. */
  source: string;
  /** Its TypeScript text, carried in the map so that a debugger shows it without the file. */
  sourceText: string;
  /** The JavaScript emitted for it. */
  js: string;
  /** That JavaScript's mappings to the TypeScript (the `mappings` of TypeScript's source map). */
  mappings: string;
}

/** A source map, version 3, as debuggers read it. */
export interface SourceMap {
  version: 3;
  file: string;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

/**
 * A run of lines shorter than this (trimmed characters) is not taken as found: `}` or `};` match
 * everywhere, a statement of the handler does not.
 */
const MIN_RUN_CHARS = 12;

interface Indexed {
  file: EmittedFile;
  lines: string[];
  mappings: SourceMapSegment[][];
  /** Line text → the lines that have it. */
  byText: Map<string, number[]>;
}

interface Run {
  at: Indexed;
  /** The run's first line in the emitted file. */
  line: number;
  length: number;
  chars: number;
}

/** The map from `generated` (named `file`) to the files it was cut from; undefined if none. */
export function composeSourceMap(
  generated: string,
  file: string,
  emitted: readonly EmittedFile[],
): SourceMap | undefined {
  const lines = generated.split("\n");
  const indexed = emitted.map(index);
  const sources: EmittedFile[] = [];
  const out: SourceMapSegment[][] = lines.map(() => []);
  const names: string[] = [];
  for (let i = 0; i < lines.length;) {
    const run = longestRun(lines, i, indexed);
    if (run === undefined) {
      i += 1;
      continue;
    }
    if (!sources.includes(run.at.file)) sources.push(run.at.file);
    const source = sources.indexOf(run.at.file);
    for (let k = 0; k < run.length; k++) {
      // The same text, so the same columns: each segment keeps its column and its original place.
      out[i + k] = (run.at.mappings[run.line + k] ?? []).map((s) =>
        s.length >= 4 ? [s[0], source, s[2]!, s[3]!] : [s[0]],
      );
    }
    const named = i > 0 ? namedHeader(lines[i - 1]!, run, source, names) : undefined;
    if (named !== undefined) out[i - 1] = [named];
    i += run.length;
  }
  if (sources.length === 0) return undefined;
  return {
    version: 3,
    file,
    sources: sources.map((s) => s.source),
    sourcesContent: sources.map((s) => s.sourceText),
    names,
    mappings: encode(out),
  };
}

/**
 * The serializer's header of a function declaration (`return async function /*handler*\/(event) {`)
 * names the function at its `(`, where the program's own declaration (`async function handler(`)
 * has it: the anonymous function the serializer applies reads as `handler` in a debugger's call
 * stack that reads names from the map (Chrome DevTools' "friendly call frames": FRIENDLY-FRAMES).
 */
function namedHeader(
  header: string,
  body: Run,
  source: number,
  names: string[],
): SourceMapSegment | undefined {
  const m = /function \/\*(\w+)\*\/\(/.exec(header);
  if (m === null) return undefined;
  const name = m[1]!;
  // The declaration above the body's first line in the file it came from.
  for (let line = body.line - 1; line >= 0 && line >= body.line - 3; line--) {
    const at = body.at.lines[line]!.indexOf(`function ${name}(`);
    if (at === -1) continue;
    const paren = at + `function ${name}`.length;
    const segment = [...(body.at.mappings[line] ?? [])].reverse().find((s) => s[0] <= paren);
    if (segment === undefined || segment.length < 4) return undefined;
    if (!names.includes(name)) names.push(name);
    return [m.index + m[0].length - 1, source, segment[2]!, segment[3]!, names.indexOf(name)];
  }
  return undefined;
}

/** The function with each of its archive's scripts carrying its map inline, for a debugger. */
export function withSourceMaps(fn: LocalFunction): LocalFunction {
  const files = Object.entries(fn.files).map(([path, text]) => {
    const map = fn.sourceMaps?.[path];
    return [path, map === undefined ? text : withSourceMap(text, map)];
  });
  return { ...fn, files: Object.fromEntries(files) as Record<string, string> };
}

/** `text` with its map inline, as the last line a debugger reads it from. */
export function withSourceMap(text: string, map: SourceMap): string {
  const data = Buffer.from(JSON.stringify(map)).toString("base64");
  return `${text}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${data}\n`;
}

function index(file: EmittedFile): Indexed {
  const lines = file.js.split("\n");
  const byText = new Map<string, number[]>();
  lines.forEach((line, n) => byText.set(line, [...(byText.get(line) ?? []), n]));
  return { file, lines, mappings: decode(file.mappings), byText };
}

/** The longest run of lines from `start` that an emitted file has in the same order. */
function longestRun(lines: string[], start: number, indexed: Indexed[]): Run | undefined {
  let best: Run | undefined;
  for (const at of indexed) {
    for (const line of at.byText.get(lines[start]!) ?? []) {
      let length = 0;
      let chars = 0;
      while (start + length < lines.length && lines[start + length] === at.lines[line + length]) {
        chars += lines[start + length]!.trim().length;
        length += 1;
      }
      if (chars > (best?.chars ?? 0)) best = { at, line, length, chars };
    }
  }
  return best !== undefined && best.chars >= MIN_RUN_CHARS ? best : undefined;
}
