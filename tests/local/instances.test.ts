import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { startLocalEnvironment, type LocalEnvironment } from "../../local/environment";
import { chooseInstance } from "../../local/cli/instanceChoice";
import { liveInstances, type EnvironmentRecord } from "../../local/state";
import { send, sharedEvaluation, tokenTool } from "../support/localEnv";
import { PROJECT_DIR, TEST_STATE_DIR } from "../support/program";
import { runCommandSync } from "../support/processes";

const record = (pid: number, port: number, startedAt: number): EnvironmentRecord => ({
  pid,
  startedAt,
  stack: "dev",
  apiEndpoint: `http://127.0.0.1:${port}`,
  issuer: "https://dev-example.us.auth0.com/",
  issuerUrl: `http://127.0.0.1:${port + 1000}`,
  issuerMap: {},
  audiences: [],
  clients: [],
  apiIdentifiers: [],
  user: { username: "u", password: "p" },
});

describe("several local environments side by side", function () {
  describe("choosing one", () => {
    const a = record(11, 3000, 1);
    const b = record(22, 3100, 2);

    it("takes the only one, and names it", () => {
      assert.deepEqual(chooseInstance([a], {}), {
        record: a,
        note: "using the local environment at http://127.0.0.1:3000, issuer http://127.0.0.1:4000 (stack dev, pid 11)",
      });
    });

    it("takes the most recent of several, and says how to choose another", () => {
      assert.deepEqual(
        chooseInstance([b, a], {}).note,
        "using the local environment at http://127.0.0.1:3100, issuer http://127.0.0.1:4100 (stack dev, pid 22); 1 more running, choose with --port or --issuer-port",
      );
    });

    it("takes the one on the given port or issuer port, without saying how to choose", () => {
      assert.equal(chooseInstance([b, a], { port: 3000 }).record, a);
      assert.equal(
        chooseInstance([b, a], { port: 3000 }).note,
        "using the local environment at http://127.0.0.1:3000, issuer http://127.0.0.1:4000 (stack dev, pid 11)",
      );
      assert.equal(chooseInstance([b, a], { issuerPort: 4100 }).record, b);
    });

    it("says what runs when none matches, and how to start one when none runs", () => {
      assert.throws(() => chooseInstance([b, a], { port: 3200 }), {
        message:
          "No running local environment matches --port 3200; running: at http://127.0.0.1:3100, issuer http://127.0.0.1:4100 (stack dev, pid 22); at http://127.0.0.1:3000, issuer http://127.0.0.1:4000 (stack dev, pid 11).",
      });
      assert.throws(() => chooseInstance([], {}), {
        message:
          "No local environment is running here: start one with `npm start` in another terminal.",
      });
    });
  });

  describe("running", () => {
    const stateDir = join(TEST_STATE_DIR, `test-instances-${process.pid}`);
    const envs: LocalEnvironment[] = [];
    const start = async () => {
      const env = await startLocalEnvironment({
        projectDir: PROJECT_DIR,
        stack: "dev",
        host: "127.0.0.1",
        port: 0,
        issuerPort: 0,
        user: { username: "local-user", password: "local-password" },
        stateDir,
        log: () => undefined,
        evaluate: sharedEvaluation,
      });
      envs.push(env);
      return env;
    };
    before(() => rmSync(stateDir, { recursive: true, force: true }));
    after(async () => {
      await Promise.all(envs.map((e) => e.close()));
      rmSync(stateDir, { recursive: true, force: true });
    });

    it("ignores and removes the record of an instance whose process has gone", () => {
      const gone = Number(runCommandSync(process.execPath, ["-p", "process.pid"]).stdout);
      mkdirSync(join(stateDir, "instances"), { recursive: true });
      writeFileSync(
        join(stateDir, "instances", `${gone}-3999.json`),
        JSON.stringify(record(gone, 3999, 0)),
      );
      assert.deepEqual(liveInstances(stateDir), []);
      assert.deepEqual(readdirSync(join(stateDir, "instances")), []);
    });

    it("keeps a record per instance; a tool uses the one asked for and says which", async () => {
      const first = await start();
      const second = await start();
      assert.equal(liveInstances(stateDir).length, 2);
      const port = new URL(first.apiEndpoint).port;
      const { stdout, stderr } = await tokenTool(stateDir, ["--port", port]);
      assert.match(stdout, /^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
      assert.match(
        stderr,
        new RegExp(
          `^npm run token: using the local environment at ${first.apiEndpoint}, [^;]*\\)\\n$`,
        ),
      );
      // The second stops: its record goes, and so does environment.json, which was its.
      await second.close();
      envs.pop();
      assert.deepEqual(
        liveInstances(stateDir).map((r) => r.apiEndpoint),
        [first.apiEndpoint],
      );
      assert.equal(existsSync(join(stateDir, "environment.json")), false);
      const again = await tokenTool(stateDir);
      assert.match(
        again.stderr,
        new RegExp(`using the local environment at ${first.apiEndpoint}, `),
      );
    });

    it("keeps serving every function when another instance of the project stops, before and after a reload", async () => {
      const first = await start();
      const second = await start();
      assert.notEqual(first.functionsDir, second.functionsDir);
      const port = new URL(first.apiEndpoint).port;
      const token = (await tokenTool(stateDir, ["--port", port])).stdout.trim();
      await second.close();
      envs.splice(envs.indexOf(second), 1);
      assert.equal(existsSync(second.functionsDir), false);
      assert.equal(existsSync(first.functionsDir), true);
      const expect = async () => {
        const privateReply = await send(first.apiEndpoint, "GET", "/private", {
          authorization: `Bearer ${token}`,
        });
        assert.deepEqual([privateReply.status, privateReply.body], [200, "Hello local-user!"]);
        const publicReply = await send(first.apiEndpoint, "GET", "/public");
        assert.deepEqual([publicReply.status, publicReply.body], [200, "Hello stranger!"]);
      };
      await expect();
      assert.equal(await first.reload(), true);
      await expect();
    });

    it("removes the task roots of instances whose process has gone, and only those", async () => {
      const env = await start();
      const project = dirname(env.functionsDir);
      const gone = Number(runCommandSync(process.execPath, ["-p", "process.pid"]).stdout);
      const abandoned = join(project, `${gone}-abc123`);
      const oldLayout = join(project, "api-auth-jwt-auth0-dev-get-public");
      mkdirSync(abandoned, { recursive: true });
      mkdirSync(oldLayout, { recursive: true });
      const next = await start();
      assert.equal(existsSync(abandoned), false);
      assert.equal(existsSync(oldLayout), false);
      assert.equal(existsSync(env.functionsDir), true);
      assert.equal(existsSync(next.functionsDir), true);
    });

    it("names the option and suggests 0 when its port is taken", async () => {
      const taken = createServer().listen(0, "127.0.0.1");
      await new Promise((r) => taken.once("listening", r));
      const port = (taken.address() as { port: number }).port;
      try {
        await assert.rejects(
          startLocalEnvironment({
            projectDir: PROJECT_DIR,
            stack: "dev",
            host: "127.0.0.1",
            port,
            issuerPort: 0,
            user: { username: "u", password: "p" },
            stateDir,
            log: () => undefined,
            evaluate: sharedEvaluation,
          }),
          {
            message: `port ${port} on 127.0.0.1 is in use (another npm start?): choose another with --port <port>, or --port 0 for a free one`,
          },
        );
      } finally {
        taken.close();
      }
    });
  });
});
