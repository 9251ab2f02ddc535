import * as assert from "node:assert/strict";
import type { StackState } from "../../local/console/consoleApi";
import type { LocalConnection } from "../../local/interpret/model";
import { admits, defaultUsername } from "../../local/issuer/signInRule";
import { requestToken } from "../../local/login/tokenRequest";
import { latestRecord } from "../../local/state";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";

const PASSWORD = "local-password";
const closed: LocalConnection = { name: "proj-prod-users", signUp: false, users: ["ann@x.io"] };
const open: LocalConnection = { ...closed, signUp: true };
const user = (added: string[] = []) => ({ username: "local-user", password: PASSWORD, added });

describe("who signs in, as the application's connection decides", () => {
  it("admits anyone where sign-up is on, or where the program declares no connection", () => {
    assert.deepEqual(admits(open, user(), "anyone"), { ok: true });
    assert.deepEqual(admits(undefined, user(), "anyone"), { ok: true });
    assert.equal(defaultUsername(open, user()), "local-user");
  });

  it("admits only declared users and those added locally where sign-up is off, and says why", () => {
    assert.deepEqual(admits(closed, user(), "ann@x.io"), { ok: true });
    assert.deepEqual(admits(closed, user(["bob"]), "bob"), { ok: true });
    assert.deepEqual(admits(closed, user(["bob"]), "mallory"), {
      ok: false,
      message:
        "Sign-up is off on the connection proj-prod-users: sign in as ann@x.io or bob, or add a user for local use with npm start -- --user <name>.",
    });
    assert.equal(defaultUsername(closed, user()), "ann@x.io");
    assert.equal(defaultUsername({ ...closed, users: [] }, user()), undefined);
  });
});

describe("npm start -- --stack prod (sign-up off, no user declared)", function () {
  let running: RunningEnv;
  const token = (username?: string) =>
    requestToken(latestRecord(running.stateDir)!, {
      access: false,
      ...(username !== undefined ? { username } : {}),
    });

  describe("with --user alice", () => {
    before(async () => {
      running = await startTestEnvironment("signin-prod", {
        stack: "prod",
        console: { host: "127.0.0.1", port: 0 },
        user: { username: "alice", password: PASSWORD, added: ["alice"] },
      });
    });
    after(() => running?.stop());

    it("refuses a username it does not know at the login page, saying why and how to add one", async () => {
      await assert.rejects(token("intruder"), {
        message:
          "the issuer refused the sign-in: Sign-up is off on the connection api-auth-jwt-auth0-prod-users: sign in as alice, or add a user for local use with npm start -- --user <name>.",
      });
    });

    it("tells the console whom it signs in: prod's rule and its users, alice pre-filled", async () => {
      const reply = await send(running.env.consoleUrl!, "GET", "/api/stack");
      const { view } = JSON.parse(reply.body) as StackState;
      assert.deepEqual(view.signIn, {
        anyUsername: false,
        connection: "api-auth-jwt-auth0-prod-users",
        users: ["alice"],
        username: "alice",
      });
    });

    it("lists in the console the alarms a deploy of prod creates, as the program declares them", async () => {
      const reply = await send(running.env.consoleUrl!, "GET", "/api/stack");
      const { alarms } = (JSON.parse(reply.body) as StackState).view;
      // The API's 3, and 3 for each route's function.
      assert.equal(alarms.length, 3 + 3 * Object.keys(running.env.model().functions).length);
      assert.deepEqual(
        alarms.find((a) => a.name === "api-auth-jwt-auth0-prod-api-5xx-rate"),
        {
          name: "api-auth-jwt-auth0-prod-api-5xx-rate",
          description: "the API answers more than 1% of requests 5xx (see docs/operations.md)",
          namespace: "AWS/ApiGateway",
          metric: "IF(total >= 10, 100 * part / total, 0) (5xx, Count)",
          threshold: "GreaterThanThreshold 1",
        },
      );
      assert.deepEqual(
        alarms.find((a) => a.name === "api-auth-jwt-auth0-prod-get-private-errors"),
        {
          name: "api-auth-jwt-auth0-prod-get-private-errors",
          description:
            "function api-auth-jwt-auth0-prod-get-private fails (see docs/operations.md)",
          namespace: "AWS/Lambda",
          metric: "Sum Errors",
          threshold: "GreaterThanThreshold 0",
        },
      );
    });

    it("signs alice in by default, and GET /private greets her", async () => {
      const { token: idToken } = await token();
      const reply = await send(running.env.apiEndpoint, "GET", "/private", {
        authorization: `Bearer ${idToken}`,
      });
      assert.deepEqual([reply.status, reply.body], [200, "Hello alice!"]);
    });
  });

  describe("with no user added", () => {
    before(async () => {
      running = await startTestEnvironment("signin-prod-none", { stack: "prod" });
    });
    after(() => running?.stop());

    it("gives no token, and says how to add a user", async () => {
      await assert.rejects(token(), {
        message:
          "Sign-up is off on the connection api-auth-jwt-auth0-prod-users and it has no user: add a user for local use with npm start -- --user <name>.",
      });
    });
  });
});

describe("a program that closes sign-up and declares a user", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("signin-closed", {
      entry: "tests/fixtures/closedSignUpProgram.ts",
    });
  });
  after(() => running?.stop());

  it("signs in the declared user, by default, and refuses any other at the login page", async () => {
    const record = latestRecord(running.stateDir)!;
    const { token } = await requestToken(record, { access: false });
    const reply = await send(running.env.apiEndpoint, "GET", "/private", {
      authorization: `Bearer ${token}`,
    });
    assert.deepEqual([reply.status, reply.body], [200, "Hello ann@example.com!"]);
    await assert.rejects(requestToken(record, { access: false, username: "local-user" }), {
      message:
        "the issuer refused the sign-in: Sign-up is off on the connection closed-users: sign in as ann@example.com, or add a user for local use with npm start -- --user <name>.",
    });
  });
});

describe("npm start (stack dev: sign-up on, the test user declared)", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("signin-dev");
  });
  after(() => running?.stop());

  it("signs in the declared test user and any other username alike", async () => {
    const record = latestRecord(running.stateDir)!;
    for (const username of ["test-user@example.com", "someone-new"]) {
      const { token } = await requestToken(record, { access: false, username });
      const reply = await send(running.env.apiEndpoint, "GET", "/private", {
        authorization: `Bearer ${token}`,
      });
      assert.deepEqual([reply.status, reply.body], [200, `Hello ${username}!`]);
    }
  });
});
