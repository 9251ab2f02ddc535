import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Activity } from "../../local/console/activity";
import type { StackState, StreamEvent } from "../../local/console/consoleApi";
import { EventStreams } from "../../local/console/eventStream";
import { rec, served } from "../support/activityRecords";
import { openStream } from "../support/consoleClient";
import { waitFor } from "../support/waitFor";

describe("the console's event streams", () => {
  let server: Server;
  let url: string;
  let streams: EventStreams;
  let activity: Activity;
  const stack: StackState = {
    version: 7,
    view: {
      project: "p",
      stack: "s",
      apiEndpoint: "http://127.0.0.1:1",
      issuer: { issuer: "https://i/", builtIn: false },
      routes: [],
      authorizers: [],
      applications: [],
      apis: [],
      alarms: [],
      customDomains: [],
      outputs: [],
      warnings: [],
      tables: [],
      probePath: "/",
      notEmulated: [],
    },
  };

  beforeEach(async () => {
    activity = new Activity({ capacity: 5 });
    reported = [];
    streams = new EventStreams(activity, () => stack, { flushMs: 30, maxPending: 4 }, report);
    server = createServer((req, res) => streams.open(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  /** Failures the streams reported: none, but in the test that makes one. */
  let reported: string[] = [];
  const report = (message: string) => reported.push(message);
  afterEach(async () => {
    assert.deepEqual(reported, []);
    streams.close();
    await new Promise((r) => server.close(r));
  });

  it("sends the events of one interval together, in one message", async () => {
    const stream = await openStream(url);
    await stream.next("hello", (e): e is StreamEvent => e.kind === "hello");
    activity.served(served("a"));
    activity.line("fn", "a", rec("hi"));
    await stream.next("the line", (e): e is StreamEvent => e.kind === "log");
    const messages = stream
      .text()
      .split("\n\n")
      .filter((m) => m.includes("data: "));
    assert.equal(messages.length, 2);
    assert.deepEqual(
      (JSON.parse(messages[1]!.slice(messages[1]!.indexOf("data: ") + 6)) as StreamEvent[]).map(
        (e) => e.kind,
      ),
      ["request", "log"],
    );
    stream.close();
  });

  it("sends one snapshot instead of more events in one interval than it gathers", async () => {
    const stream = await openStream(url);
    for (const id of ["a", "b", "c", "d", "e", "f", "g"]) activity.served(served(id));
    const snapshot = await stream.next(
      "the snapshot",
      (e): e is Extract<StreamEvent, { kind: "snapshot" }> => e.kind === "snapshot",
    );
    assert.deepEqual(
      snapshot.requests.map((r) => r.requestId),
      ["c", "d", "e", "f", "g"],
    );
    assert.equal(stream.events.filter((e) => e.kind === "request").length, 0);
    stream.close();
  });

  it("reports a failure in its timer instead of throwing out of the process", async () => {
    streams.close();
    const reports: string[] = [];
    let builds = 0;
    // The stack is built for the hello, then fails, as a snapshot past V8's string limit did.
    const failing = () => {
      if (builds++ > 0) throw new RangeError("Invalid string length");
      return stack;
    };
    streams = new EventStreams(activity, failing, { flushMs: 10, maxPending: 1 }, (m) =>
      reports.push(m),
    );
    const stream = await openStream(url);
    await stream.next("hello", (e): e is StreamEvent => e.kind === "hello");
    for (const id of ["a", "b", "c"]) activity.served(served(id));
    await waitFor("the report", () => reports[0]);
    assert.deepEqual(reports, ["the console failed sending live requests: Invalid string length"]);
    // The next round goes on: a request in an interval of its own is sent.
    builds = 0;
    activity.served(served("d"));
    await stream.next("d", (e): e is StreamEvent => e.kind === "request");
    stream.close();
  });

  it("closes the stream of a page that stopped reading first when a new page needs a slot", async () => {
    streams.close();
    streams = new EventStreams(
      activity,
      () => stack,
      {
        flushMs: 30,
        maxPending: 4,
        maxStreams: 2,
      },
      report,
    );
    const reading = await openStream(url);
    const stalled = await openStream(url);
    await stalled.next("hello", (e): e is StreamEvent => e.kind === "hello");
    stalled.pause();
    const line = "x".repeat(64 * 1024);
    let n = 0;
    await waitFor("the stalled page to be behind", async () => {
      for (let i = 0; i < 10; i++, n++) {
        activity.served(served(`r${n}`));
        activity.line("fn", `r${n}`, rec(line));
        await new Promise((r) => setTimeout(r, 5));
      }
      return streams.behind === 1;
    });
    const third = await openStream(url);
    assert.equal(third.status, 200);
    stalled.resume();
    await waitFor("the stalled stream ended", () => stalled.ended() || undefined);
    assert.equal(reading.ended(), false);
    for (const s of [reading, stalled, third]) s.close();
  });

  it("stops sending to a page that stopped reading, then sends it one snapshot once it reads", async () => {
    const stream = await openStream(url);
    await stream.next("hello", (e): e is StreamEvent => e.kind === "hello");
    // Not reading: pause the socket, then publish far more than the socket buffers hold.
    stream.pause();
    const line = "x".repeat(64 * 1024);
    let n = 0;
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        activity.served(served(`r${n}`));
        activity.line("fn", `r${n}`, rec(line));
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await waitFor("the page to be behind", async () => {
      await publish(10);
      return streams.behind === 1;
    });
    // Behind, it is sent nothing: what waits for it stops growing, whatever else comes.
    const waiting = streams.unsentBytes;
    await publish(100);
    assert.equal(streams.unsentBytes, waiting);
    // Once it reads again, it gets the five requests the activity keeps, in one snapshot.
    stream.resume();
    const snapshot = await stream.next(
      "the snapshot",
      (e): e is Extract<StreamEvent, { kind: "snapshot" }> =>
        e.kind === "snapshot" && e.requests[4]?.requestId === `r${n - 1}`,
    );
    assert.deepEqual(
      snapshot.requests.map((r) => r.requestId),
      [n - 5, n - 4, n - 3, n - 2, n - 1].map((i) => `r${i}`),
    );
    stream.close();
  });
});
