import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { StackState } from "../../local/console/consoleApi";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { TEST_STATE_DIR } from "../support/program";
import { startProcess } from "../support/startProcess";

const ENTRY = "tests/fixtures/customDomainProgram.ts";

describe("a program with a custom domain, locally", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("domain", {
      entry: ENTRY,
      console: { host: "127.0.0.1", port: 0 },
    });
  });
  after(() => running?.stop());

  it("answers a request whose Host is the custom domain, as a deploy would", async () => {
    const reply = await send(running.env.apiEndpoint, "GET", "/public", {
      host: "api.example.com",
    });
    assert.deepEqual([reply.status, reply.body], [200, "Hello stranger!"]);
  });

  it("shows in the console the domain a deploy would serve", async () => {
    const reply = await send(running.env.consoleUrl!, "GET", "/api/stack");
    assert.deepEqual((JSON.parse(reply.body) as StackState).view.customDomains, [
      "api.example.com",
    ]);
  });

  it("says in npm start's banner where a deploy serves it, and how to reach it here", async () => {
    const stateDir = join(TEST_STATE_DIR, `test-domain-banner-${process.pid}`);
    const started = await startProcess(stateDir, ["--entry", ENTRY, "--no-watch"]);
    try {
      const port = new URL(started.apiEndpoint).port;
      assert.match(
        started.output(),
        new RegExp(
          `^CustomDomain: https://api\\.example\\.com once deployed; here: curl --resolve api\\.example\\.com:${port}:127\\.0\\.0\\.1 http://api\\.example\\.com:${port}/public$`,
          "m",
        ),
      );
      // The line, run: the API answers at the custom domain (the root has no route: 404).
      const line = /here: (curl .*)$/m.exec(started.output())![1]!;
      const { stdout } = await promisify(execFile)("sh", ["-c", line]);
      assert.equal(stdout, "Hello stranger!");
    } finally {
      await started.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
