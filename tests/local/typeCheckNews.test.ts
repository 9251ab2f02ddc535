import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConsoleSide } from "../../local/environment/consoleSide";
import type { LocalEnvironmentOptions } from "../../local/environment/options";
import { compileErrorLines, followProgram } from "../../local/environment/reloads";
import { typeCheckNews } from "../../local/typecheck/typeChecker";
import { childrenRunning } from "../support/processes";
import { smallProgramDir } from "../support/smallProgram";
import { waitFor } from "../support/waitFor";

const TS2322 =
  "handlers/hello.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.";
const TS1109 = "handlers/hello.ts(2,35): error TS1109: Expression expected.";
const REFUSE = "pulumi up would refuse this program (the current version keeps serving)";

describe("what the terminal says of a type check", () => {
  it("says errors once, nothing while they stay the same, and that none are left once fixed", () => {
    const first = typeCheckNews([], [TS2322]);
    assert.deepEqual(first, { news: `1 type error: ${REFUSE}:\n${TS2322}`, shown: [TS2322] });
    assert.deepEqual(typeCheckNews(first.shown, [TS2322]), { shown: [TS2322] });
    assert.deepEqual(typeCheckNews(first.shown, []), { news: "type check: no errors", shown: [] });
    assert.deepEqual(typeCheckNews([], []), { shown: [] });
  });

  it("leaves out a syntax error a failed reload said, and says no 'no errors' while it remains", () => {
    assert.deepEqual(typeCheckNews([], [TS1109], [TS1109]), { shown: [] });
    // A type error said before stays said while only the reload's syntax error is found with it.
    assert.deepEqual(typeCheckNews([TS2322], [TS1109], [TS1109]), { shown: [TS2322] });
    assert.deepEqual(typeCheckNews([TS2322], [TS2322, TS1109], [TS1109]), { shown: [TS2322] });
    assert.deepEqual(typeCheckNews([TS2322], [], []), {
      news: "type check: no errors",
      shown: [],
    });
  });

  it("reads a failed reload's compile errors as ts-node prints them", () => {
    const message = `⨯ Unable to compile TypeScript:\n${TS1109}\n${TS2322}\n`;
    assert.deepEqual(compileErrorLines(message), [TS1109, TS2322]);
    assert.deepEqual(compileErrorLines("Missing required configuration variable 'x'"), []);
  });
});

describe("a save, as the console hears of it", () => {
  let dir: string;
  let watching: ({ close(): void } | undefined)[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "program-changed-"));
    writeFileSync(join(dir, "index.ts"), "export const a = 1;\n");
  });
  afterEach(() => {
    for (const w of watching) w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the last check's errors off the console before the reload starts: they were the previous version's", async () => {
    const heard: string[] = [];
    const consoleSide = {
      programChanged: () => heard.push("program changed"),
      typeChecked: () => heard.push("type checked"),
    } as unknown as ConsoleSide;
    const options = { watch: true, typecheck: false, log: () => undefined };
    watching = followProgram(
      dir,
      options as unknown as LocalEnvironmentOptions,
      async () => heard.push("reload"),
      consoleSide,
      { compileErrors: [] },
    ).followers;
    writeFileSync(join(dir, "index.ts"), "export const a = 2;\n");
    await waitFor("the reload", () => heard.includes("reload"));
    assert.deepEqual(heard, ["program changed", "reload"]);
  });
});

describe("a reload and the type checker", () => {
  let dir: string;
  let watching: ({ close(): void } | undefined)[] = [];
  beforeEach(() => {
    dir = smallProgramDir("checker-paused");
  });
  afterEach(() => {
    for (const w of watching) w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops the checker's process while a reload evaluates, and lets it go on after", async () => {
    const states: string[] = [];
    const checkerState = () => {
      const [pid] = childrenRunning(process.pid, "local/typecheck/checkerProcess.js");
      // The state field of /proc/<pid>/stat: T when stopped.
      return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0]!;
    };
    const options = { watch: true, typecheck: true, log: () => undefined };
    const followed = followProgram(
      dir,
      options as unknown as LocalEnvironmentOptions,
      async () => {
        // The kernel stops a process a moment after SIGSTOP is sent: its state reads T once it has.
        await waitFor("the checker stopped during the reload", () => checkerState() === "T");
        states.push("stopped during the reload");
      },
      undefined,
      { compileErrors: [] },
    );
    watching = followed.followers;
    await waitFor(
      "the checker",
      () => childrenRunning(process.pid, "local/typecheck/checkerProcess.js").length === 1,
    );
    followed.reloadInTurn();
    await waitFor("the reload", () => states.length === 1);
    assert.deepEqual(states, ["stopped during the reload"]);
    await waitFor("the checker going on", () => checkerState() !== "T");
  });
});
