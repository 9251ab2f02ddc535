import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalEnvironment, type LocalEnvironment } from "../../local/environment";
import { liveInstances, statePaths } from "../../local/state";
import { TEST_STATE_DIR } from "../support/program";
import { send } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

const DIR = join(TEST_STATE_DIR, `test-superseded-project-${process.pid}`);

const program = (greeting: string, hangs = false) => `import { HttpApi } from "../../infra/httpApi";
import { LambdaRoute } from "../../infra/lambdaRoute";
${hangs ? "for (;;) {}\n" : ""}
const api = new HttpApi("api", {
  name: "superseded",
  accessLogGroupName: "/aws/vendedlogs/apis/superseded",
  logRetentionDays: 1,
  throttling: { rateLimit: 10, burstLimit: 10 },
  corsAllowOrigins: [],
  jwt: { issuer: "https://dev-example.us.auth0.com/", audiences: ["x"] },
});
new LambdaRoute("hello", {
  api, routeKey: "GET /hello", functionName: "superseded-hello",
  handler: async () => ({ statusCode: 200, body: ${JSON.stringify(greeting)} }),
  access: { public: true }, memoryMb: 128, timeoutSeconds: 3, logRetentionDays: 1, knownScopes: [],
});
`;

function write(path: string, text: string) {
  mkdirSync(join(DIR, path, ".."), { recursive: true });
  writeFileSync(join(DIR, path), text);
}

describe("a reload whose evaluation hangs", function () {
  let env: LocalEnvironment;
  const logs: string[] = [];
  const greeting = async () => (await send(env.apiEndpoint, "GET", "/hello")).body;

  before(async () => {
    rmSync(DIR, { recursive: true, force: true });
    write("Pulumi.yaml", "name: superseded-fixture\nruntime: nodejs\n");
    write("Pulumi.dev.yaml", "config:\n  auth0:domain: dev-example.us.auth0.com\n");
    write("package.json", '{ "name": "superseded-fixture", "private": true }\n');
    write(
      "tsconfig.json",
      JSON.stringify({ compilerOptions: { module: "commonjs", target: "es2022", strict: true } }),
    );
    write("index.ts", program("v1"));
    env = await startLocalEnvironment({
      projectDir: DIR,
      stack: "dev",
      host: "127.0.0.1",
      port: 0,
      issuerPort: 0,
      user: { username: "u", password: "p" },
      watch: true,
      typecheck: false,
      log: (line) => logs.push(line),
    });
  });
  after(async () => {
    await env?.close();
    rmSync(DIR, { recursive: true, force: true });
  });

  it("is abandoned for the fix saved after it, which is served in seconds, not after 60 s", async () => {
    assert.equal(await greeting(), "v1");
    write("index.ts", program("v2", true));
    // Well past the point where a reload is abandoned for a newer save (1.5 s).
    await new Promise((r) => setTimeout(r, 2500));
    const fixedAt = Date.now();
    write("index.ts", program("v3"));
    await waitFor("the fix served", async () => (await greeting()) === "v3", { timeoutMs: 30_000 });
    assert.ok(Date.now() - fixedAt < 20_000, `served after ${Date.now() - fixedAt} ms`);
    // The abandoned evaluation is said nowhere as a failure.
    assert.deepEqual(
      logs.filter((l) => l.startsWith("reload failed")),
      [],
    );
  });

  it("leaves no instance record when a reload ends after the stop began (a save just before Ctrl-C)", async () => {
    const stateDir = join(DIR, ".local-stop");
    const stopping = await startLocalEnvironment({
      projectDir: DIR,
      stack: "dev",
      host: "127.0.0.1",
      port: 0,
      issuerPort: 0,
      user: { username: "u", password: "p" },
      watch: false,
      typecheck: false,
      stateDir,
      log: () => undefined,
    });
    const reloading = stopping.reload();
    await stopping.close();
    await reloading;
    assert.deepEqual(liveInstances(stateDir), []);
    assert.equal(existsSync(statePaths(stateDir).latestRecord), false);
  });
});
