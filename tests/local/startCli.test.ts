import * as assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { isRunning, liveInstances, statePaths } from "../../local/state";
import { postConsole } from "../support/consoleClient";
import { send } from "../support/localEnv";
import { PROJECT_DIR, TEST_STATE_DIR } from "../support/program";
import {
  childrenRunning,
  runCommand,
  startCli,
  startCommand,
  type Running,
} from "../support/processes";
import { waitFor } from "../support/waitFor";

/** The program evaluator's script: the environment's only child process of its own. */
const EVALUATOR = "local/evaluate/evaluateWorker.ts";

describe("npm start as a user runs it", function () {
  const FREE_PORTS = ["--port", "0", "--issuer-port", "0"];
  const directDir = join(TEST_STATE_DIR, `test-start-${process.pid}`);
  const wrappedDir = join(TEST_STATE_DIR, `test-wrapper-${process.pid}`);
  // Both environments start at once, each in its own state folder: most of a start is waiting for
  // the program's evaluation.
  let direct: Running;
  let wrapped: Running;
  before(() => {
    // What `npm start` runs, without npm in between, so a signal reaches the program itself.
    direct = startCli("start", [...FREE_PORTS, "--console-port", "0"], { stateDir: directDir });
    // What stops it is the point here, not hot reload: --no-watch spares a warm spare evaluator.
    wrapped = startCommand(
      "npm",
      ["start", "--silent", "--", ...FREE_PORTS, "--no-watch", "--no-console"],
      {
        stateDir: wrappedDir,
      },
    );
  });
  after(async () => {
    await Promise.all([direct?.stop(), wrapped?.stop()]);
    for (const dir of [directDir, wrappedDir]) rmSync(dir, { recursive: true, force: true });
  });

  describe("npm start", function () {
    it("prints one fact per line, then Ready, serves, and shuts down cleanly on SIGTERM", async () => {
      const start = direct;
      await start.waitForOutput(/^Ready$/m);

      const lines = start.output().split("\n");
      const ready = lines.indexOf("Ready");
      assert.ok(ready > 0, start.output());
      const warnings = lines.slice(0, ready).filter((l) => l.startsWith("warning: "));
      const banner = lines.slice(0, ready).filter((l) => !l.startsWith("warning: "));
      // Said before anything else when this Node is not the one the functions are declared for.
      const node = process.versions.node;
      assert.deepEqual(
        warnings,
        node.startsWith("22.")
          ? []
          : [
              `warning: every function is declared nodejs22.x, but runs here on Node ${node}: what Node 22 does differently shows only once deployed`,
            ],
      );
      assert.equal(banner[0], "Stack: dev");
      assert.match(banner[1]!, /^ApiEndpoint: http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(banner[2]!, /^Console: http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(
        banner[3]!,
        /^Issuer: https:\/\/dev-example\.us\.auth0\.com\/ \(served at http:\/\/127\.0\.0\.1:\d+\)$/,
      );
      assert.match(
        banner[4]!,
        /^LoginUrl: http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=[A-Za-z0-9]{32}&redirect_uri=http%3A%2F%2Flocalhost%3A5678&scope=openid%20profile&connection=api-auth-jwt-auth0-dev-users$/,
      );
      assert.match(
        banner[5]!,
        /^Token: TOKEN=\$\(npm run --silent token\) && curl -H "Authorization: Bearer \$TOKEN" http:\/\/127\.0\.0\.1:\d+\/private$/,
      );

      assert.equal(
        banner.at(-1),
        `Tables: api-auth-jwt-auth0-dev-items on a local DynamoDB-compatible engine, kept in ${relative(PROJECT_DIR, join(directDir, "dynamodb", "dev"))} (--reset-data starts them empty)`,
      );

      const api = banner[1]!.slice("ApiEndpoint: ".length);
      assert.equal((await send(api, "GET", "/public")).body, "Hello stranger!");
      const consoleUrl = banner[2]!.slice("Console: ".length);
      const page = await send(consoleUrl, "GET", "/");
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>Local console · api-auth-jwt-auth0<\/title>/);
      // The console's token, through the modules npm start loads on first use.
      const token = await postConsole(consoleUrl, "/api/token", {
        username: "cli-user",
        kind: "id",
      });
      assert.equal(token.status, 200, token.body);
      const hello = await send(api, "GET", "/private", {
        authorization: `Bearer ${token.json.token as string}`,
      });
      assert.equal(hello.body, "Hello cli-user!");
      assert.equal((await send(consoleUrl, "GET", "/console.js")).status, 200);
      // Watching, it keeps one spare evaluator warm for the next reload.
      await waitFor(
        "the spare evaluator",
        () => childrenRunning(start.child.pid!, EVALUATOR).length === 1,
      );

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
    it("stops the environment, and frees its ports, when npm itself is killed", async () => {
      const npm = wrapped;
      await npm.waitForOutput(/^Ready$/m);
      const [record] = liveInstances(wrappedDir);
      assert.ok(
        record !== undefined && record.pid !== npm.child.pid,
        "the environment runs in npm's child",
      );
      // With --no-watch, nothing is kept warm: once evaluated, the environment runs no evaluator.
      await waitFor(
        "no evaluator in the environment",
        () => childrenRunning(record.pid, EVALUATOR).length === 0,
        { timeoutMs: 5000 },
      );
      npm.child.kill("SIGKILL");
      await waitFor("the environment to end with its npm wrapper", () => !isRunning(record.pid));
      assert.deepEqual(liveInstances(wrappedDir), []);
    });
  });

  // A process manager or an IDE's stop button signals npm alone, not its process group; closing
  // the terminal sends SIGHUP.
  describe("stopped by a signal to npm or to the environment", function () {
    const SIGNALS = [
      ["SIGINT", "npm"],
      ["SIGTERM", "npm"],
      ["SIGHUP", "the environment"],
    ] as const;
    const dirOf = (signal: string) => join(TEST_STATE_DIR, `test-signal-${signal}-${process.pid}`);
    // The three start at once: most of a start is waiting for the program's evaluation.
    const started = new Map<string, Running>();
    before(() => {
      for (const [signal] of SIGNALS) {
        started.set(
          signal,
          startCommand(
            "npm",
            ["start", "--silent", "--", ...FREE_PORTS, "--no-watch", "--no-console"],
            { stateDir: dirOf(signal) },
          ),
        );
      }
    });
    after(async () => {
      await Promise.all([...started.values()].map((npm) => npm.stop("SIGKILL")));
      for (const [signal] of SIGNALS) rmSync(dirOf(signal), { recursive: true, force: true });
    });

    for (const [signal, to] of SIGNALS) {
      it(`ends the environment and removes its records on ${signal} to ${to}`, async () => {
        const npm = started.get(signal)!;
        await npm.waitForOutput(/^Ready$/m);
        const [record] = liveInstances(dirOf(signal));
        assert.ok(record !== undefined);
        process.kill(to === "npm" ? npm.child.pid! : record.pid, signal);
        await waitFor(`the environment to end on ${signal}`, () => !isRunning(record.pid), {
          timeoutMs: 5000,
        });
        // Its records are gone (read as files: `liveInstances` would clear them itself).
        const paths = statePaths(dirOf(signal));
        const left = existsSync(paths.instances) ? readdirSync(paths.instances) : [];
        assert.deepEqual([left, existsSync(paths.latestRecord)], [[], false]);
      });
    }
  });

  it("cleans up on a second Ctrl-C that comes while it stops (npm passes one on)", async () => {
    const dir = join(TEST_STATE_DIR, `test-signal-twice-${process.pid}`);
    const env = startCli("start", [...FREE_PORTS, "--no-watch", "--no-console"], { stateDir: dir });
    try {
      await env.waitForOutput(/^Ready$/m);
      const [record] = liveInstances(dir);
      assert.ok(record !== undefined);
      // Ctrl-C after Ctrl-C, every 5 ms, until it has ended.
      for (let sent = 0; sent < 40 && isRunning(record.pid); sent++) {
        try {
          process.kill(record.pid, "SIGINT");
        } catch {
          break; // it ended between the check and the signal
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      await waitFor("the environment to end", () => !isRunning(record.pid), { timeoutMs: 5000 });
      const paths = statePaths(dir);
      const left = existsSync(paths.instances) ? readdirSync(paths.instances) : [];
      assert.deepEqual([left, existsSync(paths.latestRecord)], [[], false]);
    } finally {
      await env.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
