import * as assert from "node:assert/strict";
import type { StackState } from "../../local/console/consoleApi";
import type { LocalEnvironment } from "../../local/environment";
import { fixtureProject } from "../support/fixtureProject";
import { send } from "../support/localEnv";
import { childrenRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";

/** A small project of its own, edited while served. */
const project = fixtureProject("reload");

const handler = (greeting: string) => `export async function handler() {
  return { statusCode: 200, body: ${JSON.stringify(greeting)} };
}
`;

const PROGRAM = `import { HttpApi } from "../../infra/httpApi";
import { LambdaRoute } from "../../infra/lambdaRoute";
import * as hello from "./handlers/hello";

const api = new HttpApi("api", {
  name: "reload",
  accessLogGroupName: "/aws/vendedlogs/apis/reload",
  logRetentionDays: 1,
  throttling: { rateLimit: 10, burstLimit: 10 },
  corsAllowOrigins: [],
  jwt: { issuer: "https://dev-example.us.auth0.com/", audiences: ["x"] },
});
new LambdaRoute("hello", {
  api, routeKey: "GET /hello", handler: hello.handler, functionName: "reload-hello",
  access: { public: true }, memoryMb: 128, timeoutSeconds: 3, logRetentionDays: 1,
});
`;

const { write } = project;

describe("hot reload", function () {
  let env: LocalEnvironment;
  const logs: string[] = [];
  const greeting = async () => (await send(env.apiEndpoint, "GET", "/hello")).body;

  before(async () => {
    write("index.ts", PROGRAM);
    write("handlers/hello.ts", handler("v1"));
    env = await project.start({
      watch: true,
      typecheck: true,
      console: { host: "127.0.0.1", port: 0 },
      log: (line) => logs.push(line),
    });
  });
  after(async () => {
    await env?.close();
    project.remove();
  });

  it("serves a changed handler without a restart", async () => {
    assert.equal(await greeting(), "v1");
    write("handlers/hello.ts", handler("v2"));
    await waitFor("the v2 answer", async () => (await greeting()) === "v2");
  });

  it("keeps the last good version when a change breaks the program, and says why", async () => {
    write("index.ts", `${PROGRAM}\nthis is not TypeScript(\n`);
    await waitFor("the failed reload's log line", () =>
      logs.some((l) => l.startsWith("reload failed, still serving the last good version")),
    );
    assert.match(
      logs.find((l) => l.startsWith("reload failed"))!,
      /index\.ts\(\d+,\d+\): error TS/,
    );
    assert.equal(await greeting(), "v2");
  });

  it("picks the program up again once it is fixed", async () => {
    write("handlers/hello.ts", handler("v3"));
    write("index.ts", PROGRAM);
    await waitFor("the v3 answer", async () => (await greeting()) === "v3");
  });

  it("never fails a request across reloads: an invocation finishes on the version it started on", async () => {
    const slowHandler = (greeting: string) => `export async function handler() {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return { statusCode: 200, body: ${JSON.stringify(greeting)} };
}
`;
    write("handlers/hello.ts", slowHandler("r0"));
    await waitFor("the r0 answer", async () => (await greeting()) === "r0");
    const answers = new Map<string, number>();
    let polling = true;
    // Eight clients ask again as soon as they are answered, through every reload.
    const clients = Array.from({ length: 8 }, async () => {
      while (polling) {
        const reply = await send(env.apiEndpoint, "GET", "/hello");
        const key = `${reply.status} ${reply.body}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
    });
    for (let version = 1; version <= 2; version++) {
      write("handlers/hello.ts", slowHandler(`r${version}`));
      await waitFor(`the r${version} answer`, async () => (await greeting()) === `r${version}`);
    }
    polling = false;
    await Promise.all(clients);
    // Every answer is one of the versions': none is a 500 or a 503.
    assert.deepEqual(
      [...answers.keys()].filter((k) => !/^200 r[0-2]$/.test(k)),
      [],
      JSON.stringify([...answers]),
    );
  });

  it("says what pulumi up would refuse after a save, in the terminal and the console, while serving it", async function () {
    write("handlers/hello.ts", `export const typed: number = "a string";\n${handler("v4")}`);
    // Served at once: the local environment transpiles, as a reload never waits for the check.
    await waitFor("the v4 answer", async () => (await greeting()) === "v4");
    const news = await waitFor("the type check's news", () =>
      logs.find((l) => l.startsWith("1 type error: pulumi up would refuse this program")),
    );
    assert.equal(
      news.split("\n")[1],
      "handlers/hello.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.",
    );
    const stack = async () =>
      JSON.parse((await send(env.consoleUrl!, "GET", "/api/stack")).body) as StackState;
    assert.deepEqual((await stack()).typeErrors, [news.split("\n")[1]]);
    write("handlers/hello.ts", handler("v5"));
    await waitFor("the check passing again", () => logs.includes("type check: no errors"));
    assert.equal((await stack()).typeErrors, undefined);
    assert.equal(await greeting(), "v5");
  });

  it("says a syntax error once, as what it is, with no frame of the environment's", async function () {
    const syntaxError = "handlers/hello.ts(2,35): error TS1109: Expression expected.";
    write(
      "handlers/hello.ts",
      `export async function handler() {\n  return { statusCode: 200, body: };\n}\n`,
    );
    const failed = await waitFor("the failed reload", () =>
      logs.find((l) => l.startsWith("reload failed") && l.includes("TS1109")),
    );
    assert.equal(
      failed,
      `reload failed, still serving the last good version:\n⨯ Unable to compile TypeScript:\n${syntaxError}`,
    );
    // A later save the checker reports on: by then it has judged the syntax error's version too.
    write("handlers/hello.ts", `export const count: string = 6;\n${handler("v6")}`);
    await waitFor("the check of the later save", () =>
      logs.some((l) => l.includes("Type 'number' is not assignable to type 'string'")),
    );
    assert.deepEqual(
      logs.filter((l) => l.includes(syntaxError)),
      [failed],
    );
    const passed = () => logs.filter((l) => l === "type check: no errors").length;
    const before = passed();
    write("handlers/hello.ts", handler("v7"));
    await waitFor("the check passing again", () => passed() > before);
  });
});

describe("the environment's own evaluator", function () {
  const owned = fixtureProject("reload-owned");
  after(() => owned.remove());
  const evaluators = () => childrenRunning(process.pid, "local/evaluate/evaluateWorker.ts");

  it("keeps a spare process while the program is watched, and ends it when the environment closes", async () => {
    owned.write("index.ts", PROGRAM);
    owned.write("handlers/hello.ts", handler("v1"));
    const before = evaluators();
    const env = await owned.start({ watch: true, log: () => undefined });
    const spares = await waitFor("the spare evaluator", () => {
      const started = evaluators().filter((pid) => !before.includes(pid));
      return started.length === 1 && started;
    });
    await env.close();
    await waitFor("the spare ended", () => !evaluators().includes(spares[0]!));
  });
});
