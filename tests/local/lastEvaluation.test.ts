import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  keepLastEvaluation,
  readLastEvaluation,
  type ProgramSource,
} from "../../local/environment/lastEvaluation";
import { reloader } from "../../local/environment/reloads";
import { evaluateProgram } from "../../local/evaluate/evaluateProgram";
import type { LocalModel } from "../../local/interpret/model";
import { interpretProgram } from "../../local/interpret/program";
import { expectOk } from "../support/program";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

/** A model as far as keeping it goes: the files it was made from, and something it serves. */
const modelOf = (dir: string, answer: string) =>
  ({
    inputFiles: [join(dir, "index.ts"), join(dir, "handlers/public.ts")],
    outputs: { answer },
  }) as unknown as LocalModel;

describe("npm start from the kept evaluation of an unchanged program", () => {
  let project: ProjectCopy;
  const inputs = () => ({
    projectDir: project.dir,
    stack: "dev",
    entry: "index.ts",
    stateDir: join(project.dir, ".local"),
  });
  beforeEach(() => (project = copyProject("kept")));
  afterEach(() => project.remove());

  it("serves the kept model only while nothing it was made from has changed", () => {
    const model = modelOf(project.dir, "kept");
    assert.equal(readLastEvaluation(inputs()), undefined);
    keepLastEvaluation(inputs(), model);
    assert.deepEqual(readLastEvaluation(inputs()), model);
    // A handler the program loaded, its stack's config, its packages: each makes it stale.
    for (const [file, text] of [
      ["handlers/public.ts", "export const handler = async () => 'changed';\n"],
      ["Pulumi.dev.yaml", "config: {}\n"],
      ["package.json", '{ "name": "changed" }\n'],
    ]) {
      keepLastEvaluation(inputs(), model);
      project.write(file!, text!);
      assert.equal(readLastEvaluation(inputs()), undefined, file);
    }
    // Another stack, another entry: kept apart.
    keepLastEvaluation(inputs(), model);
    assert.equal(readLastEvaluation({ ...inputs(), stack: "prod" }), undefined);
    assert.equal(readLastEvaluation({ ...inputs(), entry: "other.ts" }), undefined);
  });

  it("serves no kept file of another shape, such as one an older version kept", () => {
    keepLastEvaluation(inputs(), modelOf(project.dir, "kept"));
    const folder = join(inputs().stateDir, "evaluations");
    const [file] = readdirSync(folder);
    for (const other of [{ digest: "0", model: {} }, { digest: "0" }, [], "text"]) {
      writeFileSync(join(folder, file!), JSON.stringify(other));
      assert.equal(readLastEvaluation(inputs()), undefined, JSON.stringify(other));
    }
  });

  it("judges it by every input, each in turn: the files the program loaded (.ts, .js, .json), the project's", async () => {
    project.write("settings.json", '{ "greeting": "hi" }\n');
    project.write("helper.js", "exports.answer = 42;\n");
    const index = readFileSync(join(project.dir, "index.ts"), "utf8");
    project.write("index.ts", `${index}\nrequire("./settings.json");\nrequire("./helper.js");\n`);
    const evaluation = expectOk(await evaluateProgram({ projectDir: project.dir, stack: "dev" }));
    const loaded = evaluation.inputFiles.map((f) => relative(project.dir, f));
    for (const file of ["index.ts", "handlers/public.ts", "settings.json", "helper.js"]) {
      assert.equal(loaded.includes(file), true, `${file} in ${loaded.join(", ")}`);
    }
    const model = interpretProgram(evaluation);
    for (const file of [
      "settings.json",
      "helper.js",
      "handlers/public.ts",
      "index.ts",
      "Pulumi.yaml",
      "Pulumi.dev.yaml",
      "package.json",
      "tsconfig.json",
      "node_modules/.package-lock.json",
    ]) {
      keepLastEvaluation(inputs(), model);
      assert.deepEqual(readLastEvaluation(inputs()), model, `kept before ${file} changed`);
      const path = join(project.dir, file);
      project.write(file, `${existsSync(path) ? readFileSync(path, "utf8") : ""}\n`);
      assert.equal(readLastEvaluation(inputs()), undefined, file);
    }
  });

  it("confirms the kept model with a fresh evaluation, serving the fresh one only if it differs", async () => {
    const kept = modelOf(project.dir, "kept");
    const run = async (fresh: LocalModel[]) => {
      const served: unknown[] = [];
      const log: string[] = [];
      const program: ProgramSource = {
        kept,
        evaluate: async () => fresh.shift()!,
        prepare: () => undefined,
        close: () => undefined,
      };
      const reload = reloader(
        program,
        (l) => log.push(l),
        undefined,
        (m) => void served.push(m),
      );
      await reload();
      await reload();
      return { served, log };
    };
    const same = structuredClone(kept);
    const changed = modelOf(project.dir, "changed");
    // The same model: nothing swapped on the confirmation; the next reload serves as usual.
    assert.deepEqual(await run([same, changed]), { served: [changed], log: [] });
    assert.deepEqual(await run([changed, same]), {
      served: [changed, same],
      log: ["the program's kept evaluation was out of date: serving a fresh one"],
    });
  });
});
