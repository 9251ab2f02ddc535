import * as assert from "node:assert/strict";
import { Activity } from "../../local/console/activity";
import type { StreamEvent } from "../../local/console/consoleApi";
import { rec, served } from "../support/activityRecords";

describe("the console's activity log", () => {
  it("keeps the last requests up to its capacity, oldest first", () => {
    const activity = new Activity({ capacity: 3 });
    for (const id of ["a", "b", "c", "d", "e"]) activity.served(served(id));
    assert.deepEqual(
      activity.recent().map((r) => r.requestId),
      ["c", "d", "e"],
    );
  });

  it("ties a function's lines to their request, whether they come before or after its answer", () => {
    const activity = new Activity();
    const events: StreamEvent[] = [];
    activity.subscribe((e) => events.push(e));
    activity.line("fn", "r1", rec("before the answer"));
    activity.served(served("r1"));
    activity.line("fn", "r1", rec("after the answer"));
    activity.line("fn", undefined, rec("during init"));
    assert.deepEqual(activity.recent()[0]!.logs, [
      { fn: "fn", text: "before the answer" },
      { fn: "fn", text: "after the answer" },
    ]);
    assert.deepEqual(
      events.map((e) => e.kind),
      ["request", "log"],
    );
  });

  it("ties records by Lambda's request ID, and names API Gateway's when it sends them live", () => {
    const activity = new Activity();
    const events: StreamEvent[] = [];
    activity.subscribe((e) => events.push(e));
    activity.served(served("gw-1", 200, "3f0c1a52-lambda"));
    activity.line("fn", "3f0c1a52-lambda", {
      text: '{"timestamp":"t","level":"INFO","requestId":"3f0c1a52-lambda","message":"hi"}',
      readable: "t\t3f0c1a52-lambda\tINFO\thi",
    });
    activity.line("fn", "gw-1", rec("named by API Gateway's ID: belongs to no invocation"));
    assert.deepEqual(activity.recent()[0]!.logs, [
      {
        fn: "fn",
        text: '{"timestamp":"t","level":"INFO","requestId":"3f0c1a52-lambda","message":"hi"}',
        readable: "t\t3f0c1a52-lambda\tINFO\thi",
      },
    ]);
    assert.deepEqual(
      events.map((e) => [e.kind, e.kind === "log" ? e.requestId : e.kind]),
      [
        ["request", "request"],
        ["log", "gw-1"],
      ],
    );
  });

  it("keeps a bounded number of lines per request and counts the rest", () => {
    const activity = new Activity({ linesPerRequest: 2 });
    activity.served(served("r1"));
    for (let i = 0; i < 5; i++) activity.line("fn", "r1", rec(`line ${i}`));
    const [entry] = activity.recent();
    assert.deepEqual(
      entry!.logs.map((l) => l.text),
      ["line 0", "line 1"],
    );
    assert.equal(entry!.droppedLines, 3);
  });

  it("cuts a long line and says how much was cut", () => {
    const activity = new Activity({ maxLineChars: 10 });
    activity.served(served("r1"));
    activity.line("fn", "r1", rec("0123456789abcdef"));
    activity.line("fn", "r1", rec("short"));
    assert.deepEqual(
      activity.recent()[0]!.logs.map((l) => l.text),
      ["0123456789… [6 more characters cut]", "short"],
    );
  });

  it("holds a bounded size of lines in all, dropping the oldest requests' lines first", () => {
    const activity = new Activity({ maxLineChars: 100, maxHeldChars: 250 });
    for (const id of ["a", "b", "c"]) {
      activity.served(served(id));
      activity.line("fn", id, rec("x".repeat(100)));
    }
    assert.deepEqual(
      activity.recent().map((r) => [r.requestId, r.logs.length, r.droppedLines]),
      [
        ["a", 0, 1],
        ["b", 1, 0],
        ["c", 1, 0],
      ],
    );
  });

  it("stays a few megabytes when functions log 8 requests × 5 lines of 16 MB", () => {
    const activity = new Activity();
    const huge = "y".repeat(16 * 1024 * 1024);
    for (let r = 0; r < 8; r++) {
      activity.served(served(`r${r}`));
      for (let i = 0; i < 5; i++) activity.line("fn", `r${r}`, rec(huge));
    }
    const snapshot = JSON.stringify(activity.recent());
    assert.equal(snapshot.length < 1024 * 1024, true, `${snapshot.length} characters`);
    assert.equal(
      activity.recent()[0]!.logs[0]!.text,
      `${"y".repeat(16 * 1024)}… [${16 * 1024 * 1024 - 16 * 1024} more characters cut]`,
    );
  });

  it("holds lines of unanswered requests for a bounded number of requests", () => {
    const activity = new Activity({ capacity: 2 });
    for (const id of ["x", "y", "z"]) activity.line("fn", id, rec(`from ${id}`));
    activity.served(served("x"));
    activity.served(served("z"));
    assert.deepEqual(
      activity.recent().map((r) => [r.requestId, r.logs.length]),
      [
        ["x", 0],
        ["z", 1],
      ],
    );
  });
});
