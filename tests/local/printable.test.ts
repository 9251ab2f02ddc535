import * as assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { lineWriter } from "../../local/cli/args";
import { supportsColour } from "../../local/cli/colour";
import { printable, printableLines } from "../../local/printable";
import { runCli } from "../support/processes";

describe("what reaches the terminal", () => {
  it("writes every control character but tab as \\xNN, C1 controls included", () => {
    assert.equal(printable("a\tb"), "a\tb");
    assert.equal(printable("\x1b[2Jgone\r\x00\x7f"), "\\x1b[2Jgone\\x0d\\x00\\x7f");
    assert.equal(printable("csi\u009b31m"), "csi\\x9b31m");
    assert.equal(printable("plain ünïcödé €"), "plain ünïcödé €");
    assert.equal(printableLines("one\x1b\ntwo"), "one\\x1b\ntwo");
  });

  it("writes Unicode's bidirectional controls as \\uNNNN, so no line reads reversed", () => {
    assert.equal(printable("user \u202eevil\u202c"), "user \\u202eevil\\u202c");
    assert.equal(
      printable("\u061c\u200e\u200f\u202a\u202b\u202d\u2066\u2067\u2068\u2069"),
      "\\u061c\\u200e\\u200f\\u202a\\u202b\\u202d\\u2066\\u2067\\u2068\\u2069",
    );
    assert.equal(printable("שלום עולם"), "שלום עולם");
  });

  it("escapes each log line before it is written", async () => {
    const stream = new PassThrough();
    let written = "";
    stream.on("data", (d) => (written += d));
    const log = lineWriter(stream);
    log("[fn] \x1b[1Aforged");
    log("next");
    await new Promise((r) => setImmediate(r));
    assert.equal(written, "[fn] \\x1b[1Aforged\nnext\n");
  });

  it("prints a message of several lines as lines, each continuation indented", async () => {
    const stream = new PassThrough();
    let written = "";
    stream.on("data", (d) => (written += d));
    const log = lineWriter(stream);
    log(
      "reload failed, still serving the last good version:\n⨯ Unable to compile TypeScript:\r\nx",
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(
      written,
      "reload failed, still serving the last good version:\n  ⨯ Unable to compile TypeScript:\\x0d\n  x\n",
    );
  });

  it("colours a terminal's lines, and only a terminal's, never with NO_COLOR", async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    assert.deepEqual(
      [
        supportsColour(tty, {}),
        supportsColour(tty, { NO_COLOR: "1" }),
        supportsColour(tty, { NO_COLOR: "" }),
        supportsColour(tty, { TERM: "dumb" }),
        supportsColour(new PassThrough(), {}),
      ],
      [true, false, true, false, false],
    );
    let written = "";
    tty.on("data", (d) => (written += d));
    const log = lineWriter(tty, true);
    log("06:19:22.123 GET /x route=- status=404 duration=0.4ms authorizer=- requestId=abc=");
    log("[fn] 2026-12-02T06:19:22.123Z\tid\tERROR\tboom \x1b[2J");
    await new Promise((r) => setImmediate(r));
    assert.equal(
      written,
      "06:19:22.123 GET /x route=-\x1b[33m status=404 \x1b[0mduration=0.4ms authorizer=- requestId=abc=\n" +
        "\x1b[2m[fn] \x1b[0m2026-12-02T06:19:22.123Z\tid\x1b[31m\tERROR\t\x1b[0mboom \\x1b[2J\n",
    );
  });

  it("escapes a CLI's error message, whatever the user typed", async () => {
    const run = await runCli("token", ["--\x1b[2Jwipe"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\\x1b\[2Jwipe/);
    assert.doesNotMatch(run.stderr, /\x1b/);
  });
});
