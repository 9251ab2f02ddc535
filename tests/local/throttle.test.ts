import * as assert from "node:assert/strict";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { NOW } from "../support/tokens";

describe("stage throttling with --throttle (fixture: 1 request/s, burst 2, frozen clock)", function () {
  let running: RunningEnv;
  before(async () => {
    running = await startTestEnvironment("throttle", {
      entry: "tests/fixtures/fidelityProgram.ts",
      clock: () => NOW * 1000,
      throttle: true,
    });
  });
  after(() => running?.stop());

  it("answers 429 once the burst is spent", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await send(running.env.apiEndpoint, "GET", "/plain")).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const reply = await send(running.env.apiEndpoint, "GET", "/plain");
    assert.equal(reply.body, '{"message":"Too Many Requests"}');
  });
});
