import * as assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { TEST_STATE_DIR } from "../support/paths";
import { PROJECT_DIR } from "../support/program";
import { runCommandSync } from "../support/processes";

/**
 * Runs a probe in a fresh process that loads TypeScript as the evaluator does
 * (registerTypeScript.js, with the project's tsconfig.json).
 */
function probe(source: string): unknown {
  const { stdout, stderr } = runCommandSync(
    process.execPath,
    ["-r", "./local/evaluate/registerTypeScript.js", "-e", source],
    { env: { EVALUATE_TSCONFIG: join(PROJECT_DIR, "tsconfig.json") } },
  );
  assert.notEqual(stdout, "", stderr);
  return JSON.parse(stdout);
}

describe("the evaluator's TypeScript", () => {
  const dir = join(TEST_STATE_DIR, `transpiler-${process.pid}`);
  before(() => mkdirSync(dir, { recursive: true }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the JavaScript TypeScript's transpileModule emits with the project's options, as pulumi up does", () => {
    const file = join(dir, "handler.ts");
    const source = "export const handler = async (e: { a: number }): Promise<number> => e.a;\n";
    writeFileSync(file, source);
    const result = probe(`
      const { handler } = require(${JSON.stringify(file)});
      console.log(JSON.stringify({ text: handler.toString() }));
    `) as { text: string };
    const emitted = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
    }).outputText;
    // The function the closure serializer would capture is the emitted text, character for character.
    assert.ok(emitted.includes(result.text), `${result.text}\nnot in\n${emitted}`);
  });

  it("transpiles anew a changed file, and every file once the compiler options change, as a fresh start would", () => {
    const [same, changed] = [join(dir, "same.ts"), join(dir, "changed.ts")];
    const source = (n: number) => `export const f = (): number => /* kept */ ${n};\n`;
    writeFileSync(same, source(1));
    writeFileSync(changed, source(2));
    // Options that drop comments from here on: an output made ahead with the old ones is not served.
    const dropping = join(dir, "tsconfig.dropping.json");
    writeFileSync(
      dropping,
      JSON.stringify({ compilerOptions: { removeComments: true, target: "es2022" } }),
    );
    const result = probe(`
      const transpiler = require("./local/evaluate/transpiler.js");
      transpiler.transpileAhead([${JSON.stringify(same)}, ${JSON.stringify(changed)}]);
      require("fs").writeFileSync(${JSON.stringify(changed)}, ${JSON.stringify(source(3))});
      transpiler.configure(${JSON.stringify(dropping)});
      const text = (file) => require(file).f.toString();
      console.log(JSON.stringify([text(${JSON.stringify(same)}), text(${JSON.stringify(changed)})]));
    `);
    // Both run what the new options emit: the output made ahead was made with the old ones.
    assert.deepEqual(result, ["() => 1", "() => 3"]);
  });

  it("formats stacks as V8 does, and reports a failed program's stack at its TypeScript lines", () => {
    const result = probe(`
      const { originalStack } = require("./local/evaluate/transpiler.js");
      const { thrower } = require("./tests/fixtures/stackProbe");
      let stack;
      try { thrower(); } catch (err) { stack = err.stack; }
      console.log(JSON.stringify({
        raw: /stackProbe\\.ts:(\\d+):\\d+/.exec(stack)[0],
        mapped: /stackProbe\\.ts:\\d+:\\d+/.exec(originalStack(stack))[0],
      }));
    `);
    assert.deepEqual(result, {
      // As V8 formats it: a position in the JavaScript emitted for the file...
      raw: "stackProbe.ts:5:11",
      // ...and the line of the TypeScript source, as the evaluation reports it.
      mapped: "stackProbe.ts:6:9",
    });
  });
});
