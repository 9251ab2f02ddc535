import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { isRunning } from "../../local/state";
import { PROJECT_DIR } from "../support/program";
import { childrenRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";

describe("the type checker when the environment that started it is killed (kill -9)", function () {
  it("ends at once, even in the middle of a check", async () => {
    // An environment stand-in: it starts the checker on this whole project, whose check takes
    // seconds, and is then killed without a chance to stop it.
    const script = `require("./local/typecheck/typeChecker").startTypeChecker(${JSON.stringify(PROJECT_DIR)}, () => {});
setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      cwd: PROJECT_DIR,
      stdio: "ignore",
    });
    const checker = await waitFor("the checker process", () => {
      const [pid] = childrenRunning(parent.pid!, "local/typecheck/checkerProcess.js");
      return pid !== undefined && pid;
    });
    await new Promise((r) => setTimeout(r, 500));
    parent.kill("SIGKILL");
    await waitFor("the checker gone", () => !isRunning(checker), { timeoutMs: 3000 });
    assert.equal(isRunning(checker), false);
  });
});
