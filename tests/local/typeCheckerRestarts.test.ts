import * as assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { watchTypes, type WatchedTypes } from "../../local/typecheck/typeChecker";
import { childrenRunning } from "../support/processes";
import { smallProgramDir } from "../support/smallProgram";
import { waitFor } from "../support/waitFor";

const CHECKER = "local/typecheck/checkerProcess.js";

describe("the resident type checker", function () {
  let dir: string;
  let checker: WatchedTypes | undefined;
  beforeEach(() => {
    dir = smallProgramDir("checker");
  });
  afterEach(() => {
    checker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The checker on `dir` (ending once quiet `idleMs`, when given): the lines it says, and how
   * many checks it has finished.
   */
  const watch = (idleMs?: number) => {
    const lines: string[] = [];
    let finished = 0;
    checker = watchTypes(
      dir,
      (line) => lines.push(line),
      () => finished++,
      undefined,
      idleMs,
    );
    return { lines, checks: () => finished, checker };
  };

  const checkerPid = () =>
    waitFor("one checker process", () => {
      const running = childrenRunning(process.pid, CHECKER);
      return running.length === 1 && running[0]!;
    });

  describe("when it ends by itself", () => {
    it("says so, starts again, and reports the next save's type errors", async () => {
      const { lines, checks } = watch();
      await waitFor("the first check", () => checks() > 0);
      const pid = await checkerPid();
      process.kill(pid, "SIGKILL");
      await waitFor("the checker said ended", () =>
        lines.includes("the type checker ended (SIGKILL); checking again"),
      );
      writeFileSync(join(dir, "index.ts"), 'export const n: number = "one";\n');
      await waitFor("the type error of the save after", () =>
        lines.some((l) => l.startsWith("1 type error: pulumi up would refuse this program")),
      );
      assert.notEqual(await checkerPid(), pid);
    });

    it("stops starting it again after three times, and says how to check types again", async () => {
      const { lines, checks } = watch();
      for (let ended = 1; ended <= 4; ended++) {
        const before = checks();
        await waitFor(`check ${ended}`, () => checks() > before);
        process.kill(await checkerPid(), "SIGKILL");
        const said = () => lines.filter((l) => l.includes("(SIGKILL)")).length;
        await waitFor(`the checker's end ${ended} said`, () => said() === ended);
      }
      assert.equal(
        lines.at(-1),
        "type checking stopped: the checker ended (SIGKILL) 4 times; restart npm start to check types again",
      );
      await waitFor("no checker left", () => childrenRunning(process.pid, CHECKER).length === 0);
    });
  });

  describe("when the program is quiet", () => {
    it("ends once quiet, giving its memory back, and checks the next save when told of it", async () => {
      const { lines, checks, checker: quiet } = watch(300);
      await waitFor("the first check", () => checks() > 0);
      await waitFor(
        "the checker gone once quiet",
        () => childrenRunning(process.pid, CHECKER).length === 0,
      );
      writeFileSync(join(dir, "index.ts"), 'export const n: number = "one";\n');
      quiet.changed();
      await waitFor("the save's type error", () =>
        lines.some((l) => l.startsWith("1 type error: pulumi up would refuse this program")),
      );
      // Parked, it was not a crash: nothing said of an end.
      assert.deepEqual(
        lines.filter((l) => l.includes("ended")),
        [],
      );
    });
  });
});
