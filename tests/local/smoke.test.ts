import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { latestRecord } from "../../local/state";
import { TEST_STATE_DIR } from "../support/program";
import { runCli } from "../support/processes";
import { startTestEnvironment, type RunningEnv } from "../support/localEnv";

/** The checks `npm run smoke` printed, in order, without their timings. */
const checksOf = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => /^(ok  |FAIL|skip) /.test(l))
    .map((l) => l.replace(/ \(\d+ ms\)/, ""));

const LOCAL_CHECKS = [
  "ok   GET /public answers 200 Hello stranger!",
  "ok   GET /private without a token answers 401 Unauthorized",
  "ok   GET /private with a malformed token answers 401 Unauthorized",
  "ok   GET /private with a valid token answers 200 Hello <sub>!",
  "ok   GET /private with a token signed by another key answers 401 Unauthorized",
  "ok   GET /private with an expired token answers 401 Unauthorized",
  "ok   POST /items without write:items answers 403 Forbidden",
  "ok   the items routes create, list and delete an item under write:items",
  "ok   a preflight from http://localhost:5173 passes (204, that origin allowed)",
  "ok   no answer carries a stack trace",
];

describe("npm run smoke", function () {
  let running: RunningEnv;
  let outputs: Record<string, unknown>;
  /** Where a test writes the outputs file it hands --outputs. */
  const outputsFile = (name: string, values: Record<string, unknown>) => {
    const file = join(TEST_STATE_DIR, `smoke-${name}-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(values));
    return file;
  };

  before(async () => {
    running = await startTestEnvironment("smoke");
    const record = latestRecord(running.stateDir)!;
    const smoke = record.clients.find((c) => c.name === "api-auth-jwt-auth0-dev-smoke")!;
    // What pulumi stack output --json --show-secrets would print, pointed at this environment.
    outputs = {
      apiEndpoint: running.env.apiEndpoint,
      issuer: `${running.env.issuerUrl}/`,
      apiIdentifier: "https://api-auth-jwt-auth0/dev",
      corsAllowOrigins: ["http://localhost:5173"],
      smokeClientId: smoke.clientId,
      smokeClientSecret: smoke.clientSecret,
    };
  });
  after(() => running.stop());

  it("passes against the running local environment, one line per check, an expired token included", async () => {
    const { code, stdout } = await runCli("smoke", [], { stateDir: running.stateDir });
    assert.equal(code, 0);
    assert.deepEqual(checksOf(stdout), LOCAL_CHECKS);
    assert.match(stdout, /^smoke: all 10 checks passed$/m);
  });

  it("passes against a stack's outputs, with the smoke client's client-credentials token", async () => {
    const { code, stdout } = await runCli("smoke", ["--outputs", outputsFile("ok", outputs)]);
    assert.equal(code, 0, stdout);
    assert.deepEqual(
      checksOf(stdout),
      // The smoke client's tokens carry write:items: no token without it to be refused.
      LOCAL_CHECKS.filter((c) => !c.includes("expired") && !c.includes("without write:items")),
    );
  });

  it("fails in one clear line, without a stack trace, when the stack does not answer", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = { ...outputs, apiEndpoint: `http://127.0.0.1:${port}` };
    const { code, stderr } = await runCli("smoke", ["--outputs", outputsFile("down", down)]);
    assert.equal(code, 1);
    assert.equal(
      stderr.trim(),
      `smoke: nothing answers (ECONNREFUSED) for http://127.0.0.1:${port} or its issuer: is the stack running (npm start, or deployed)?`,
    );
  });

  it("fails, naming each check, when a route answers wrong", async () => {
    // A stack whose every route answers 200 "nope".
    const wrong: Server = createServer((_req, res) => res.end("nope"));
    await new Promise<void>((r) => wrong.listen(0, "127.0.0.1", r));
    try {
      const endpoint = `http://127.0.0.1:${(wrong.address() as AddressInfo).port}`;
      const file = outputsFile("wrong", { ...outputs, apiEndpoint: endpoint });
      const { code, stdout, stderr } = await runCli("smoke", ["--outputs", file]);
      assert.equal(code, 1);
      assert.deepEqual(checksOf(stdout), [
        'FAIL GET /public answers 200 Hello stranger!: got 200 "nope", expected 200 "Hello stranger!"',
        'FAIL GET /private without a token answers 401 Unauthorized: got 200 "nope", expected 401 "{\\"message\\":\\"Unauthorized\\"}"',
        'FAIL GET /private with a malformed token answers 401 Unauthorized: got 200 "nope", expected 401 "{\\"message\\":\\"Unauthorized\\"}"',
        `FAIL GET /private with a valid token answers 200 Hello <sub>!: got 200 "nope", expected 200 "Hello ${String(outputs.smokeClientId)}!"`,
        'FAIL GET /private with a token signed by another key answers 401 Unauthorized: got 200 "nope", expected 401 "{\\"message\\":\\"Unauthorized\\"}"',
        'FAIL the items routes create, list and delete an item under write:items: POST /items: got 200 "nope", expected 201 "an item"',
        "FAIL a preflight from http://localhost:5173 passes (204, that origin allowed): got 200 with access-control-allow-origin null",
        "ok   no answer carries a stack trace",
      ]);
      assert.equal(stderr.trim(), `smoke: 7 of 8 checks failed against the stack of ${file}`);
    } finally {
      await new Promise((r) => wrong.close(r));
    }
  });

  it("says what to do when no local environment runs and no stack is named", async () => {
    const { code, stderr } = await runCli("smoke", [], {
      stateDir: join(TEST_STATE_DIR, `smoke-none-${process.pid}`),
    });
    assert.equal(code, 1);
    assert.equal(
      stderr.trim(),
      "No local environment is running here: start one with `npm start` in another terminal, or check a deployed stack with --stack NAME.",
    );
  });

  it("runs what needs no token on a stack without a smoke client (prod's default), saying what it left", async () => {
    const { smokeClientId: _id, smokeClientSecret: _secret, ...prod } = outputs;
    const { code, stdout } = await runCli("smoke", ["--outputs", outputsFile("nosmoke", prod)]);
    assert.equal(code, 0);
    assert.deepEqual(checksOf(stdout), [
      "ok   GET /public answers 200 Hello stranger!",
      "ok   GET /private without a token answers 401 Unauthorized",
      "ok   GET /private with a malformed token answers 401 Unauthorized",
      "skip GET /private with a valid token (and one signed by another key): the stack has no smoke client (smokeClient true adds it)",
      "skip the items routes create, list and delete an item under write:items: no token with write:items (smokeClient true adds one)",
      "ok   a preflight from http://localhost:5173 passes (204, that origin allowed)",
      "ok   no answer carries a stack trace",
    ]);
    assert.match(stdout, /^smoke: all 5 checks passed; 2 not run \(see skip above\)$/m);
  });
});
