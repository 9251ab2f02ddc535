import * as assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { TEST_STATE_DIR } from "../support/paths";
import { runCommandSync } from "../support/processes";

/** The evaluator's transpiler module (plain JavaScript, ts-node's transpiler interface). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transpilerModule = require("../../local/evaluate/transpiler.js") as {
  create(options: { service: { config: { options: ts.CompilerOptions } } }): {
    transpile(input: string, options: { fileName: string }): { outputText: string };
  };
  transpileAhead(files: string[]): void;
};

/**
 * Runs a probe in a fresh process that loads TypeScript as the evaluator does
 * (registerTypeScript.js): the stack trace hook is global and must not leak into this process.
 */
function probe(source: string): unknown {
  const { stdout, stderr } = runCommandSync(
    process.execPath,
    ["-r", "./local/evaluate/registerTypeScript.js", "-e", source],
    { env: { TS_NODE_PROJECT: "tsconfig.json" } },
  );
  assert.notEqual(stdout, "", stderr);
  return JSON.parse(stdout);
}

describe("the evaluator's TypeScript and its spare's warm-up", () => {
  const dir = join(TEST_STATE_DIR, `transpiler-${process.pid}`);
  before(() => mkdirSync(dir, { recursive: true }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("emits what TypeScript's transpileModule emits, so the archive is the code pulumi up runs", () => {
    const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, sourceMap: true };
    const transpiler = transpilerModule.create({ service: { config: { options } } });
    const input = "export const handler = async (e: { a: number }): Promise<number> => e.a;\n";
    const fileName = join(dir, "handler.ts");
    assert.equal(
      transpiler.transpile(input, { fileName }).outputText,
      ts.transpileModule(input, { fileName, compilerOptions: options }).outputText,
    );
  });

  it("serves a file transpiled ahead while its text is unchanged, and transpiles a changed one anew", () => {
    const transpiler = transpilerModule.create({
      service: { config: { options: { module: ts.ModuleKind.CommonJS } } },
    });
    const [same, changed] = [join(dir, "same.ts"), join(dir, "changed.ts")];
    writeFileSync(same, "export const answer: number = 1;\n");
    writeFileSync(changed, "export const answer: number = 2;\n");
    const ahead = (file: string, text: string) => transpiler.transpile(text, { fileName: file });
    transpilerModule.transpileAhead([same, changed, join(dir, "gone.ts")]);
    const first = [ahead(same, "export const answer: number = 1;\n")];
    // The very output made ahead, not another one made now.
    assert.equal(first[0], ahead(same, "export const answer: number = 1;\n"));
    const before = ahead(changed, "export const answer: number = 2;\n");
    const after = ahead(changed, "export const answer: number = 3;\n");
    assert.notEqual(after, before);
    assert.match(after.outputText, /exports\.answer = 3;/);
  });

  it("keeps the SDK's promise stack captures plain, and source-maps every error with a message", () => {
    const result = probe(`
      const { cheapenPromiseStackTraces, tricks } = require("./local/evaluate/warmUp");
      cheapenPromiseStackTraces();
      const { thrower } = require("./tests/fixtures/stackProbe");
      let mapped;
      try { thrower(); } catch (err) { mapped = err.stack.split("\\n")[1]; }
      console.log(JSON.stringify({
        status: tricks.promiseStackTraces,
        mapped: /stackProbe\\.ts:\\d+:\\d+/.exec(mapped)[0],
      }));
    `);
    assert.deepEqual(result, {
      status: "applied",
      // Line 6 of the TypeScript source, not of the JavaScript emitted for it.
      mapped: "stackProbe.ts:6:9",
    });
  });
});
