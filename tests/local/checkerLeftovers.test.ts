import * as assert from "node:assert/strict";
import { fork } from "node:child_process";
import { join } from "node:path";
import { PROJECT_DIR } from "../support/program";

const CHECKER = join(PROJECT_DIR, "local/typecheck/checkerProcess.js");

/** Milliseconds from `since` until `event` of `child`. */
const after = (child: ReturnType<typeof fork>, event: "message" | "exit", since: number) =>
  new Promise<number>((resolve) => child.once(event, () => resolve(performance.now() - since)));

describe("the type checker when the environment that started it goes away (kill -9)", function () {
  it("ends while its check is still running, long before the check would have ended", async function () {
    // A whole check of this project, as the reference measured in the same run.
    const reference = fork(CHECKER, [PROJECT_DIR], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const checkMs = await after(reference, "message", performance.now());
    reference.kill();
    // The same check, its starter gone a moment in (its IPC channel closes, as on kill -9).
    const checker = fork(CHECKER, [PROJECT_DIR], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    await new Promise((r) => setTimeout(r, 200));
    const gone = performance.now();
    const exited = after(checker, "exit", gone);
    checker.disconnect();
    const exitMs = await exited;
    assert.ok(
      exitMs < checkMs / 2,
      `ended ${Math.round(exitMs)} ms after, a check takes ${Math.round(checkMs)} ms`,
    );
  });
});
