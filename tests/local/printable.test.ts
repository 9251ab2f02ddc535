import * as assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { lineWriter } from "../../local/cli/args";
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

  it("escapes a CLI's error message, whatever the user typed", async () => {
    const run = await runCli("token", ["--\x1b[2Jwipe"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\\x1b\[2Jwipe/);
    assert.doesNotMatch(run.stderr, /\x1b/);
  });
});
