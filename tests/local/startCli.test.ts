import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { isRunning, liveInstances } from "../../local/state";
import { send } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";
import { runCommand, startCli, startCommand } from "../support/processes";
import { waitFor } from "../support/waitFor";

describe("npm start", function () {
  const stateDir = join(PROJECT_DIR, ".local", `test-start-${process.pid}`);
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it("prints one fact per line, then Ready, serves, and shuts down cleanly on SIGTERM", async () => {
    // What `npm start` runs, without npm in between, so the signal reaches the program itself.
    const start = startCli("start", ["--port", "0", "--issuer-port", "0"], { stateDir });
    await start.waitForOutput(/^Ready$/m);

    const lines = start.output().split("\n");
    const ready = lines.indexOf("Ready");
    assert.ok(ready > 0, start.output());
    const banner = lines.slice(0, ready);
    assert.equal(banner[0], "Stack: dev");
    assert.match(banner[1]!, /^ApiEndpoint: http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(
      banner[2]!,
      /^Issuer: https:\/\/dev-example\.us\.auth0\.com\/ \(served at http:\/\/127\.0\.0\.1:\d+\)$/,
    );
    assert.match(
      banner[3]!,
      /^LoginUrl: http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=[A-Za-z0-9]{32}&redirect_uri=http%3A%2F%2Flocalhost%3A5678&scope=openid%20profile$/,
    );
    assert.match(
      banner[4]!,
      /^Token: TOKEN=\$\(npm run --silent token\) && curl -H "Authorization: Bearer \$TOKEN" http:\/\/127\.0\.0\.1:\d+\/private$/,
    );

    const api = banner[1]!.slice("ApiEndpoint: ".length);
    assert.equal((await send(api, "GET", "/public")).body, "Hello stranger!");

    assert.equal(await start.stop("SIGTERM"), 0);
    assert.match(start.output(), /Shutting down\n$/);
  });

  it("refuses --audience without --issuer in one line", async () => {
    const { code, stderr } = await runCommand("npm", [
      "start",
      "--silent",
      "--",
      "--audience",
      "x",
    ]);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      "--audience goes with --issuer (the audiences an external issuer's tokens carry)\n",
    );
  });
});

describe("npm start, stopped through its npm wrapper", function () {
  const stateDir = join(PROJECT_DIR, ".local", `test-wrapper-${process.pid}`);
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it("stops the environment, and frees its ports, when npm itself is killed", async () => {
    const npm = startCommand(
      "npm",
      ["start", "--silent", "--", "--port", "0", "--issuer-port", "0"],
      { stateDir },
    );
    await npm.waitForOutput(/^Ready$/m);
    const [record] = liveInstances(stateDir);
    assert.ok(
      record !== undefined && record.pid !== npm.child.pid,
      "the environment runs in npm's child",
    );
    npm.child.kill("SIGKILL");
    await waitFor("the environment to end with its npm wrapper", () => !isRunning(record.pid));
    assert.deepEqual(liveInstances(stateDir), []);
  });
});
