import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { liveInstances } from "../../local/instances";
import { send } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";

describe("npm start", function () {
  const stateDir = join(PROJECT_DIR, ".local", `test-start-${process.pid}`);
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it("prints one fact per line, then Ready, serves, and shuts down cleanly on SIGTERM", async () => {
    // What `npm start` runs, without npm in between, so the signal reaches the program itself.
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", "local/cli/start.ts", "--port", "0", "--issuer-port", "0"],
      { cwd: PROJECT_DIR, env: { ...process.env, LOCAL_STATE_DIR: stateDir } },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const deadline = Date.now() + 30_000;
    while (!out.includes("Ready\n") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    const lines = out.split("\n");
    const ready = lines.indexOf("Ready");
    assert.ok(ready > 0, out);
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

    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.match(out, /Shutting down\n$/);
  });

  it("refuses --audience without --issuer in one line", async () => {
    const child = spawn("npm", ["start", "--silent", "--", "--audience", "x"], {
      cwd: PROJECT_DIR,
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    assert.equal(code, 2);
    assert.equal(
      err,
      "--audience goes with --issuer (the audiences an external issuer's tokens carry)\n",
    );
  });
});

describe("npm start, stopped through its npm wrapper", function () {
  const stateDir = join(PROJECT_DIR, ".local", `test-wrapper-${process.pid}`);
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it("stops the environment, and frees its ports, when npm itself is killed", async () => {
    const npm = spawn("npm", ["start", "--silent", "--", "--port", "0", "--issuer-port", "0"], {
      cwd: PROJECT_DIR,
      env: { ...process.env, LOCAL_STATE_DIR: stateDir },
    });
    let out = "";
    npm.stdout.on("data", (d) => (out += d));
    const deadline = Date.now() + 30_000;
    while (!out.includes("Ready\n") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(out.includes("Ready\n"), out);
    const [record] = liveInstances(stateDir);
    assert.ok(
      record !== undefined && record.pid !== npm.pid,
      "the environment runs in npm's child",
    );
    npm.kill("SIGKILL");
    const alive = () => {
      try {
        process.kill(record.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 10_000;
    while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(), false, "the environment outlived its npm wrapper");
    assert.deepEqual(liveInstances(stateDir), []);
  });
});
