import * as assert from "node:assert/strict";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

const ENTRY = "tests/fixtures/hostileProgram.ts";

describe("a function's output with no line break, or lines of megabytes", function () {
  let running: RunningEnv;
  let api: string;
  before(async () => {
    running = await startTestEnvironment("output", { entry: ENTRY });
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  const flood = async (query: string) => {
    const reply = await send(api, "GET", `/flood?${query}`);
    assert.deepEqual([reply.status, reply.body], [200, "flooded"]);
  };
  /** The function's records, as the terminal gets them (`[name] record`). */
  const floodRecords = () =>
    running.logs
      .filter((l) => /^\[hostile-\d+\] /.test(l))
      .map((l) => l.slice(l.indexOf("] ") + 2))
      .filter((r) => /^(x|L|\d{4}-)/.test(r));

  it("cuts 7 MB written with no line break into records of 256 Ki characters, and keeps serving", async () => {
    const before = floodRecords().length;
    // 73,401 writes of 100 characters each time, twice, on the same warm environment.
    await flood("chars=7340032&chunk=100");
    await flood("chars=7340032&chunk=100");
    assert.deepEqual((await send(api, "GET", "/nowhere")).status, 404);
    await flood("chars=0"); // the next invocation: what was held goes out as its own record
    const records = await waitFor("every character", () => {
      const all = floodRecords().slice(before);
      const chars = all.reduce((sum, r) => sum + r.length, 0);
      return chars === 2 * 7_340_100 && all;
    });
    assert.equal(
      records.every((r) => /^x+$/.test(r) && r.length <= 256 * 1024),
      true,
    );
    assert.deepEqual(records.map((r) => r.length).slice(0, 29), [
      ...Array<number>(28).fill(262_144),
      7_340_100 - 28 * 262_144,
    ]);
  });

  it("never carries a partial line into the next invocation's records", async () => {
    const before = floodRecords().length;
    await flood("chars=10&chunk=10&tail=1");
    await flood("chars=3&lines=1");
    const records = await waitFor("both invocations' records", () => {
      const mine = floodRecords().slice(before);
      return mine.length >= 2 && mine;
    });
    assert.equal(records[0], "xxxxxxxxxxpartial");
    assert.match(records[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]+\tINFO\tLLL$/);
  });

  it("keeps the console's list to a few megabytes when functions log lines of megabytes", async () => {
    const consoleEnv = await startTestEnvironment("hostile-console", {
      entry: ENTRY,
      console: { host: "127.0.0.1", port: 0 },
    });
    try {
      for (let i = 0; i < 8; i++) {
        const reply = await send(consoleEnv.env.apiEndpoint, "GET", "/flood?chars=2097152&lines=5");
        assert.equal(reply.status, 200);
      }
      const listed = await send(consoleEnv.env.consoleUrl!, "GET", "/api/requests");
      assert.equal(listed.status, 200);
      // 4 Mi characters of lines at most, and the requests themselves.
      assert.equal(listed.body.length < 5 * 1024 * 1024, true, `${listed.body.length}`);
      const entries = JSON.parse(listed.body) as { logs: { text: string }[] }[];
      const cut = `${"L".repeat(16 * 1024)}… [${256 * 1024 - 16 * 1024} more characters cut]`;
      assert.equal(
        entries.some((e) => e.logs.some((l) => l.text === cut)),
        true,
      );
    } finally {
      await consoleEnv.stop();
    }
  });
});
