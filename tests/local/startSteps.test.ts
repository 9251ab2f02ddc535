import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { keepLastEvaluation, readLastEvaluation } from "../../local/environment/lastEvaluation";
import { sharedEvaluation } from "../support/localEnv";
import { TEST_STATE_DIR } from "../support/paths";
import { PROJECT_DIR } from "../support/program";
import { startCli } from "../support/processes";

const COUNTER = ["--require", join(__dirname, "../support/countStartSteps.js")];
const ARGS = ["--port", "0", "--issuer-port", "0", "--no-console", "--no-watch"];

/** What one `start` did, from Ready to its stop: each step it took, as the counter said it. */
async function startOnce(stateDir: string): Promise<string[]> {
  const start = startCli("start", ARGS, { stateDir, nodeArgs: COUNTER });
  try {
    await start.waitForOutput(/^Ready$/m);
  } finally {
    await start.stop();
  }
  return start
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("step: "));
}

describe("npm start takes each start-up step once", function () {
  let stateDir: string;
  beforeEach(() => (stateDir = mkdtempSync(join(TEST_STATE_DIR, "steps-"))));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  const ONCE = ["step: kept evaluation read", "step: issuer thread started"];

  it("looks for a kept evaluation once and starts one issuer thread when none is kept", async () => {
    // The read finds nothing; the start evaluates and keeps the model.
    assert.deepEqual(await startOnce(stateDir), ONCE);
    const kept = join(stateDir, "evaluations");
    assert.equal(existsSync(kept) && readdirSync(kept).length, 1);
  });

  it("reads the kept evaluation once and starts one issuer thread when it serves one", async () => {
    const inputs = { projectDir: PROJECT_DIR, stack: "dev", entry: "index.ts", stateDir };
    keepLastEvaluation(inputs, await sharedEvaluation(PROJECT_DIR, { stack: "dev" }));
    assert.notEqual(readLastEvaluation(inputs), undefined, "a kept model the start serves");
    assert.deepEqual(await startOnce(stateDir), ONCE);
  });
});
