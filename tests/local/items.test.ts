import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startLocalEnvironment, type LocalEnvironment } from "../../local/environment";
import { onFreePorts, sharedEvaluation, send, type Reply } from "../support/localEnv";
import { PROJECT_DIR, TEST_STATE_DIR } from "../support/program";
import { keyFromJwk, signRs256, type TestKey } from "../support/tokens";
import { readFileSync } from "node:fs";
import { statePaths } from "../../local/state";
import type { JWK } from "jose";

const API = "https://api-auth-jwt-auth0/dev";
const ALICE = "auth0|alice";
const BOB = "auth0|bob";

describe("the items routes, on the local DynamoDB-compatible engine (two users)", function () {
  const stateDir = join(TEST_STATE_DIR, `test-items-${process.pid}`);
  let env: LocalEnvironment | undefined;
  let key: TestKey;
  const logs: string[] = [];

  const start = async (resetData = false) => {
    env = await startLocalEnvironment({
      ...onFreePorts(PROJECT_DIR),
      console: { host: "127.0.0.1", port: 0 },
      stateDir,
      log: (l: string) => logs.push(l),
      evaluate: sharedEvaluation,
      resetData,
    });
    const secrets = JSON.parse(readFileSync(statePaths(stateDir).issuerKeys, "utf8")) as {
      signingKey: JWK;
    };
    key = await keyFromJwk(secrets.signingKey);
  };
  /** An access token for the API, for `sub`, with these scopes. */
  const token = (sub: string, scope?: string) => {
    const now = Math.floor(Date.now() / 1000);
    return signRs256(key, {
      iss: env!.issuer,
      aud: API,
      sub,
      iat: now - 10,
      exp: now + 600,
      ...(scope !== undefined ? { scope } : {}),
    });
  };
  const call = async (
    method: string,
    path: string,
    as?: { sub: string; scope?: string },
    body?: string,
  ): Promise<Reply & { json: () => unknown }> => {
    const headers: Record<string, string> =
      body !== undefined ? { "content-type": "application/json" } : {};
    if (as !== undefined) headers.authorization = `Bearer ${await token(as.sub, as.scope)}`;
    const reply = await send(env!.apiEndpoint, method, path, headers, body);
    return { ...reply, json: () => JSON.parse(reply.body) };
  };
  const writer = (sub: string) => ({ sub, scope: "write:items" });
  const create = async (sub: string, text: string) => {
    const reply = await call("POST", "/items", writer(sub), JSON.stringify({ text }));
    assert.equal(
      reply.status,
      201,
      reply.body +
        logs
          .filter((l) => l.includes("Error"))
          .slice(0, 3)
          .join("\n"),
    );
    return reply.json() as { id: string; text: string; createdAt: string };
  };
  const list = async (sub: string, query = "") => {
    const reply = await call("GET", `/items${query}`, { sub });
    assert.equal(reply.status, 200, reply.body);
    return reply.json() as { items: { id: string; text: string }[]; next?: string };
  };

  beforeEach(async () => {
    rmSync(stateDir, { recursive: true, force: true });
    logs.length = 0;
    await start();
  });
  afterEach(async () => {
    await env?.close();
    env = undefined;
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("creates an item with its ID, text and time, and lists each user's own, newest first", async () => {
    const first = await create(ALICE, "milk");
    const second = await create(ALICE, "bread");
    assert.deepEqual(Object.keys(first).sort(), ["createdAt", "id", "text"]);
    assert.equal(first.text, "milk");
    assert.equal(new Date(first.createdAt).toISOString(), first.createdAt);
    assert.deepEqual(await list(ALICE), { items: [second, first] });
    assert.deepEqual(await list(BOB), { items: [] });
  });

  it("deletes only the caller's own item: 404 for another user's, 204 for one's own", async () => {
    const item = await create(ALICE, "milk");
    const bobs = await call("DELETE", `/items/${item.id}`, writer(BOB));
    assert.deepEqual([bobs.status, bobs.json()], [404, { message: "Not Found" }]);
    assert.deepEqual((await list(ALICE)).items, [item]);
    const own = await call("DELETE", `/items/${item.id}`, writer(ALICE));
    assert.deepEqual([own.status, own.body], [204, ""]);
    assert.deepEqual((await list(ALICE)).items, []);
    const again = await call("DELETE", `/items/${item.id}`, writer(ALICE));
    assert.equal(again.status, 404);
  });

  it("refuses writes without the write:items scope (403) and every route without a token (401)", async () => {
    const item = await create(ALICE, "milk");
    for (const [method, path, body] of [
      ["POST", "/items", '{"text":"x"}'],
      ["DELETE", `/items/${item.id}`, undefined],
    ] as const) {
      const reply = await call(method, path, { sub: ALICE, scope: "read:items" }, body);
      assert.deepEqual([reply.status, reply.json()], [403, { message: "Forbidden" }], path);
      const anonymous = await call(method, path, undefined, body);
      assert.deepEqual([anonymous.status, anonymous.json()], [401, { message: "Unauthorized" }]);
    }
    const anonymous = await call("GET", "/items");
    assert.deepEqual([anonymous.status, anonymous.json()], [401, { message: "Unauthorized" }]);
    assert.deepEqual((await list(ALICE)).items, [item]);
  });

  it("answers 400 naming the field for malformed JSON, a missing, empty or oversized text, or a body over 10 KB", async () => {
    const cases: [string, string][] = [
      ["{not json", 'body: not JSON; send {"text": "..."}'],
      ["{}", "text: required, a string of 1 to 1000 characters"],
      ['{"text": 5}', "text: required, a string of 1 to 1000 characters"],
      ['{"text": ""}', "text: 1 to 1000 characters (0 sent)"],
      [JSON.stringify({ text: "é".repeat(1001) }), "text: 1 to 1000 characters (1001 sent)"],
      [
        JSON.stringify({ text: "x", pad: "y".repeat(10 * 1024) }),
        "body: at most 10240 bytes (10261 sent)",
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await call("POST", "/items", writer(ALICE), body);
      assert.deepEqual([reply.status, reply.json()], [400, { message }], body.slice(0, 40));
    }
    // 1,000 characters, some of them two UTF-16 units each: taken.
    assert.equal((await create(ALICE, "😀".repeat(1000))).text.length, 2000);
    assert.equal((await list(ALICE)).items.length, 1);
  });

  it("pages 100 items at a time with an opaque cursor bound to its user; a bad cursor is 400", async () => {
    for (let i = 0; i < 101; i++) await create(ALICE, `item ${i}`);
    const first = await list(ALICE);
    assert.equal(first.items.length, 100);
    assert.equal(first.items[0]!.text, "item 100");
    assert.equal(typeof first.next, "string");
    const second = await list(ALICE, `?cursor=${encodeURIComponent(first.next!)}`);
    assert.deepEqual(
      second.items.map((i) => i.text),
      ["item 0"],
    );
    assert.equal("next" in second, false);
    for (const cursor of ["nope", first.next!.slice(0, -4), ""]) {
      const reply = await call("GET", `/items?cursor=${encodeURIComponent(cursor)}`, {
        sub: ALICE,
      });
      assert.deepEqual(
        [reply.status, reply.json()],
        [400, { message: "cursor: not one this API gave you" }],
        cursor,
      );
    }
    // Alice's cursor in Bob's hands reads none of her items.
    const bobs = await call("GET", `/items?cursor=${encodeURIComponent(first.next!)}`, {
      sub: BOB,
    });
    assert.equal(bobs.status, 400);
  });

  it("lists the table and its items in the console, read-only, a token in an item masked", async () => {
    const item = await create(ALICE, "milk");
    const jwt = await token(BOB);
    const leaked = await create(BOB, jwt);
    const reply = await send(env!.consoleUrl!, "GET", "/api/tables");
    assert.equal(reply.status, 200);
    const [table, ...others] = JSON.parse(reply.body) as {
      name: string;
      keySchema: string;
      items: Record<string, unknown>[];
      more: boolean;
    }[];
    assert.deepEqual(others, []);
    assert.deepEqual(
      [table!.name, table!.keySchema, table!.more],
      ["api-auth-jwt-auth0-dev-items", "owner (HASH), id (RANGE)", false],
    );
    const byId = (id: string) => table!.items.find((i) => i.id === id);
    assert.deepEqual(byId(item.id), { owner: ALICE, ...item });
    assert.deepEqual(byId(leaked.id), { owner: BOB, ...leaked, text: "[masked]" });
    assert.equal(reply.body.includes(jwt), false);
    const post = await send(env!.consoleUrl!, "POST", "/api/tables", {}, "{}");
    assert.equal(post.status, 405);
  });

  it("keeps the items across a restart, and starts them empty with --reset-data", async () => {
    const item = await create(ALICE, "kept");
    await env!.close();
    await start();
    assert.deepEqual((await list(ALICE)).items, [item]);
    await env!.close();
    await start(true);
    assert.deepEqual((await list(ALICE)).items, []);
  });
});
