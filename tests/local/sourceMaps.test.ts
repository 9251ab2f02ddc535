import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { decode } from "@jridgewell/sourcemap-codec";
import { composeSourceMap, withSourceMap, type EmittedFile } from "../../local/lambda/sourceMaps";
import { PROJECT_DIR } from "../support/program";

/** The evaluator's transpiler: what it emitted for the program is what archives are mapped by. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transpiler = require("../../local/evaluate/transpiler.js") as {
  configure(configPath: string): void;
  transpile(input: string, fileName: string): string;
  emittedFiles(files: string[]): EmittedFile[];
};

const HANDLER = join(PROJECT_DIR, "handlers/private.ts");
const FILES = [HANDLER, join(PROJECT_DIR, "handlers/public.ts")];
transpiler.configure(join(PROJECT_DIR, "tsconfig.json"));
for (const file of FILES) transpiler.transpile(readFileSync(file, "utf8"), file);
const emitted = transpiler.emittedFiles(FILES);

/** The handler's function as the closure serializer writes it: its text, renamed, wrapped. */
function serialized(): string {
  const js = emitted[0]!.js;
  const body = js.slice(js.indexOf("async function handler("), js.lastIndexOf("}") + 1);
  return `exports.handler = __handler;

function __handler(__0) {
  return (function() {
    with({ handler: __handler, this: undefined, arguments: undefined }) {

return ${body.replace("async function handler(", "async function /*handler*/(")};

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
}

/** The TypeScript line (1-based) of the first line holding `text`. */
const tsLine = (text: string) =>
  readFileSync(HANDLER, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;

describe("an archive's source map back to the program's TypeScript", () => {
  it("maps each line of the handler's code to its TypeScript line, in the file it came from", () => {
    const archive = serialized();
    const map = composeSourceMap(archive, "__index.js", emitted)!;
    assert.deepEqual(map.sources, [pathToFileURL(HANDLER).href]);
    assert.equal(map.sourcesContent[0], readFileSync(HANDLER, "utf8"));
    const lines = archive.split("\n");
    const mapped = decode(map.mappings).map((segments, i) => [
      lines[i]!.trim(),
      segments[0] === undefined ? undefined : segments[0][2]! + 1,
    ]);
    assert.deepEqual(
      mapped.filter(([, line]) => line !== undefined),
      [
        // The serializer's header, by the name it gives the function (see the next tests).
        ["return async function /*handler*/(event) {", tsLine("export async function handler(")],
        ["const { sub } = event.requestContext.authorizer.jwt.claims;", tsLine("const { sub }")],
        ["return {", tsLine("return {")],
        ["statusCode: 200,", tsLine("statusCode: 200")],
        ['headers: { "content-type": "text/plain; charset=utf-8" },', tsLine("headers:")],
        ["body: `Hello ${sub}!`,", tsLine("body:")],
        ["};", tsLine("  };")],
      ],
    );
  });

  it("keeps each segment's column, so a breakpoint lands on the statement", () => {
    const archive = serialized();
    const map = composeSourceMap(archive, "__index.js", emitted)!;
    const line = archive.split("\n").findIndex((l) => l.includes("const { sub }"));
    const [first] = decode(map.mappings)[line]!;
    // `    const` in the archive, `  const` in the TypeScript (0-based columns).
    assert.deepEqual([first![0], first![3]], [4, 2]);
  });

  it("names the function the serializer applies anonymously at its (, as the program declares it", () => {
    const archive = serialized();
    const map = composeSourceMap(archive, "__index.js", emitted)!;
    const lines = archive.split("\n");
    const header = lines.findIndex((l) => l.includes("function /*handler*/("));
    const segments = decode(map.mappings)[header]!;
    assert.deepEqual(
      segments.map((s) => [s[0], s[2]! + 1, map.names[s[4]!]]),
      [[lines[header]!.indexOf("("), tsLine("export async function handler("), "handler"]],
    );
  });

  it("maps nothing the program's files did not produce, nor a lone closing brace", () => {
    assert.equal(
      composeSourceMap("exports.handler = () => 1;\n}\n};\n", "x.js", emitted),
      undefined,
    );
  });

  it("carries the map inline, as the script's last line", () => {
    const map = composeSourceMap(serialized(), "__index.js", emitted)!;
    const text = withSourceMap("exports.a = 1;", map);
    const [, data] =
      /\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,(\S+)\n$/.exec(text)!;
    assert.deepEqual(JSON.parse(Buffer.from(data!, "base64").toString("utf8")), map);
  });
});
