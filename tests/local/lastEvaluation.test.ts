import * as assert from "node:assert/strict";
import { join } from "node:path";
import {
  keepLastEvaluation,
  readLastEvaluation,
  type ProgramSource,
} from "../../local/environment/lastEvaluation";
import { reloader } from "../../local/environment/reloads";
import type { LocalModel } from "../../local/interpret/model";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

/** A model as far as keeping it goes: the files it was made from, and something it serves. */
const modelOf = (dir: string, answer: string) =>
  ({
    programFiles: [join(dir, "index.ts"), join(dir, "handlers/public.ts")],
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

  it("confirms the kept model with a fresh evaluation, serving the fresh one only if it differs", async () => {
    const kept = modelOf(project.dir, "kept");
    const run = async (fresh: LocalModel[]) => {
      const served: unknown[] = [];
      const log: string[] = [];
      const program: ProgramSource = { kept, evaluate: async () => fresh.shift()! };
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
