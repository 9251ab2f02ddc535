import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LocalEnvironment } from "../../local/environment";
import { liveInstances, statePaths } from "../../local/state";
import { fixtureProject } from "../support/fixtureProject";
import { send } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

const project = fixtureProject("superseded");

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
  access: { public: true }, memoryMb: 128, timeoutSeconds: 3, logRetentionDays: 1,
});
`;

const { write } = project;

describe("a reload whose evaluation hangs", function () {
  let env: LocalEnvironment;
  const logs: string[] = [];
  const greeting = async () => (await send(env.apiEndpoint, "GET", "/hello")).body;

  before(async () => {
    write("index.ts", program("v1"));
    env = await project.start({ watch: true, typecheck: false, log: (line) => logs.push(line) });
  });
  after(async () => {
    await env?.close();
    project.remove();
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
    const stateDir = join(project.dir, ".local-stop");
    const stopping = await project.start({
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
