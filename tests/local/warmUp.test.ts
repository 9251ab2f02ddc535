import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { PROJECT_DIR } from "../support/program";
import { runCommandSync } from "../support/processes";

/**
 * Runs a probe in a fresh process with ts-node, as the evaluator runs: the tricks patch globals
 * (a prototype, `Error.prepareStackTrace`) that must not leak into the test process.
 */
function probe(source: string): unknown {
  const { stdout, stderr } = runCommandSync(process.execPath, [
    "-r",
    "ts-node/register/transpile-only",
    "-e",
    source,
  ]);
  assert.notEqual(stdout, "", stderr);
  return JSON.parse(stdout);
}

describe("the evaluator's warm-up tricks still apply to the libraries installed", () => {
  it("shares Arborist's actual tree: a second loadActual of the project is the first one's", () => {
    const result = probe(`
      const { shareDependencyTree, tricks } = require("./local/evaluate/warmUp");
      const sdk = require("path").dirname(require.resolve("@pulumi/pulumi/package.json"));
      const path = require.resolve("@npmcli/arborist", { paths: [sdk] });
      shareDependencyTree(path);
      const { Arborist } = require(path);
      const first = new Arborist({ path: process.cwd() }).loadActual();
      const second = new Arborist({ path: process.cwd() }).loadActual();
      Promise.all([first, second]).then(([a, b]) =>
        console.log(JSON.stringify({ status: tricks.dependencyTree, same: a === b, name: a.packageName })));
    `);
    assert.deepEqual(result, { status: "applied", same: true, name: "api-auth-jwt-auth0" });
  });

  it("finds the SDK's code path that reads the tree with loadActual()", () => {
    const sdk = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [PROJECT_DIR] }));
    const codePaths = readFileSync(`${sdk}/runtime/closure/codePaths.js`, "utf8");
    assert.match(
      codePaths,
      /new arborist\.Arborist\(\{ path: [a-zA-Z]+ \}\);\s*const \w+ = await \w+\.loadActual\(\);/,
    );
  });

  it("keeps the SDK's promise stack captures plain, and source-maps every error with a message", () => {
    const sdk = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [PROJECT_DIR] }));
    // The captures the trick cheapens: message-less errors, one per promise.
    const debuggable = readFileSync(`${sdk}/runtime/debuggable.js`, "utf8");
    assert.match(
      debuggable,
      /_debugStackTrace", \{ writable: true, value: new Error\(\)\.stack \}/,
    );
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
      // Line 6 of the TypeScript source, not of the JavaScript ts-node made of it.
      mapped: "stackProbe.ts:6:9",
    });
  });

  it("serves ts-node's own output for a file transpiled ahead, and transpiles a changed one anew", () => {
    const result = probe(`
      const { writeFileSync, mkdirSync } = require("fs");
      const dir = ".local/transpile-ahead-" + process.pid;
      mkdirSync(dir, { recursive: true });
      const same = require("path").resolve(dir, "same.ts");
      const changed = require("path").resolve(dir, "changed.ts");
      writeFileSync(same, "export const answer: number = 1;");
      writeFileSync(changed, "export const answer: number = 2;");
      const { transpileAhead, tricks } = require("./local/evaluate/warmUp");
      const service = process[Symbol.for("ts-node.register.instance")];
      const compiled = [];
      const original = service.compile.bind(service);
      service.compile = (code, file, offset) => (compiled.push(require("path").basename(file)), original(code, file, offset));
      const probe = require.resolve("./tests/fixtures/stackProbe");
      transpileAhead([same, changed, probe]);
      const ahead = compiled.length;
      writeFileSync(changed, "export const answer: number = 3;");
      const answers = [require(same).answer, require(changed).answer];
      let mapped;
      try { require(probe).thrower(); } catch (err) { mapped = /stackProbe\\.ts:\\d+:\\d+/.exec(err.stack)[0]; }
      require("fs").rmSync(dir, { recursive: true });
      console.log(JSON.stringify({ status: tricks.transpileAhead, ahead, atRequire: compiled.slice(ahead), answers, mapped }));
    `);
    assert.deepEqual(result, {
      status: "applied",
      ahead: 3,
      // Only the file changed since is transpiled again; the others are served as they were.
      atRequire: ["changed.ts"],
      answers: [1, 3],
      mapped: "stackProbe.ts:6:9",
    });
  });
});
