import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { Evaluator, evaluateProgram } from "../../local/evaluate/evaluateProgram";
import type { EvaluatedResource, Evaluation } from "../../local/evaluate/snapshot";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { expectOk } from "../support/program";

/**
 * What a program may leave in a kept evaluator, and what it reads of its project beyond its
 * TypeScript: each edit is applied to two copies of the project, one evaluated by the process kept
 * from the edit before (as a save is), one by a fresh process (as a start is).
 */
type Edit =
  | { kind: "env"; value: string | undefined }
  | { kind: "global"; set: boolean }
  | { kind: "tsconfig"; target: "es2017" | "es2022" }
  | { kind: "json"; value: number }
  | { kind: "handler"; greeting: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("env" as const),
    value: fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("global" as const), set: fc.boolean() }),
  fc.record({
    kind: fc.constant("tsconfig" as const),
    target: fc.constantFrom("es2017" as const, "es2022" as const),
  }),
  fc.record({ kind: fc.constant("json" as const), value: fc.integer({ min: 0, max: 99 }) }),
  fc.record({
    kind: fc.constant("handler" as const),
    greeting: fc.stringMatching(/^[A-Za-z]{1,8}$/),
  }),
);

interface State {
  env: string | undefined;
  global: boolean;
  target: "es2017" | "es2022";
  json: number;
  greeting: string;
}

/** The program's files for a state: it reads its environment, a global, a JSON file. */
function write(project: ProjectCopy, state: State, index: string): void {
  const lines = [
    index,
    'import data from "./data.json";',
    ...(state.env !== undefined ? [`process.env.SEEN = ${JSON.stringify(state.env)};`] : []),
    ...(state.global ? ["(globalThis as Record<string, unknown>).marked = true;"] : []),
    'export const seen = process.env.SEEN ?? "unset";',
    "export const marked = (globalThis as Record<string, unknown>).marked === true;",
    "export const fromJson = data.value;",
  ];
  project.write("index.ts", lines.join("\n") + "\n");
  project.write("data.json", JSON.stringify({ value: state.json }));
  project.write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: {
        module: "commonjs",
        target: state.target,
        strict: true,
        esModuleInterop: true,
        resolveJsonModule: true,
      },
    }),
  );
  project.write(
    "handlers/public.ts",
    `export const handler = async (e?: { q?: { v?: string } }) => ({ statusCode: 200, body: e?.q?.v ?? "${state.greeting}" });\n`,
  );
}

const byTypeAndName = (a: EvaluatedResource, b: EvaluatedResource) =>
  `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`);
const model = (evaluation: Evaluation) => {
  const { resources, outputs } = expectOk(evaluation);
  const model = {
    resources: [...resources].sort(byTypeAndName).map(({ recorded: _r, ...r }) => r),
    outputs,
  };
  // The two copies' folders differ where the archives' source maps name the files.
  const text = JSON.stringify(model).replace(/test-reload-(?:kept|fresh)-project-/g, "copy-");
  return JSON.parse(text) as typeof model;
};

describe("a reload serves what a fresh start of the same files would (property)", function () {
  let kept: ProjectCopy;
  let fresh: ProjectCopy;
  let index: string;
  let evaluator: Evaluator;
  before(() => {
    kept = copyProject("reload-kept");
    fresh = copyProject("reload-fresh");
    index = readFileSync(`${kept.dir}/index.ts`, "utf8");
    evaluator = new Evaluator(kept.dir, { keepSpare: true });
  });
  after(() => {
    evaluator.close();
    kept.remove();
    fresh.remove();
  });

  // Three runs of the property, each a test of its own: a fresh process per step is slow on a
  // busy machine, and one run's steps fit a test's time where three did not.
  for (const run of [1, 2, 3]) {
    it(`gives, after every edit of environment, globals, tsconfig, JSON or handler, a fresh process's model (run ${run})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 2 }), async (edits) => {
          let state: State = {
            env: undefined,
            global: false,
            target: "es2022",
            json: 0,
            greeting: "Hi",
          };
          for (const edit of edits) {
            state =
              edit.kind === "env"
                ? { ...state, env: edit.value }
                : edit.kind === "global"
                  ? { ...state, global: edit.set }
                  : edit.kind === "tsconfig"
                    ? { ...state, target: edit.target }
                    : edit.kind === "json"
                      ? { ...state, json: edit.value }
                      : { ...state, greeting: edit.greeting };
            write(kept, state, index);
            write(fresh, state, index);
            // The two at once: a fresh process each time is the costly side.
            const [reloaded, started] = await Promise.all([
              evaluator.evaluate({ stack: "dev" }),
              evaluateProgram({ projectDir: fresh.dir, stack: "dev" }),
            ]);
            assert.deepEqual(model(reloaded), model(started), JSON.stringify(edits));
          }
        }),
        { numRuns: 1 },
      );
    });
  }
});
