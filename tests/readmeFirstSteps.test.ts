import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { PROJECT_DIR, TEST_STATE_DIR } from "./support/program";
import { startProcess, type StartedProcess } from "./support/startProcess";

/** The README's first steps: its code blocks, in order. */
function firstSteps(): string[] {
  const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
  const start = readme.indexOf("## First steps");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** A quoted line as a pattern: its ports any port, `…` anything, `.local/` any state folder. */
function linePattern(line: string): RegExp {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^${escaped
      .replace(/127\\\.0\\\.0\\\.1:\d+/g, "127\\.0\\.0\\.1:\\d+")
      .replace(/…/g, ".*")
      .replace(/\\\.local\//g, "\\S*/")}$`,
  );
}

describe("the README's first steps, run as written", function () {
  const stateDir = join(TEST_STATE_DIR, `test-first-steps-${process.pid}`);
  let started: StartedProcess;
  before(async () => (started = await startProcess(stateDir, ["--no-watch"])));
  after(async () => {
    await started?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("prints every line the README quotes for npm start, in its order", () => {
    const [, banner] = firstSteps();
    const quoted = banner!.trimEnd().split("\n");
    const printed = started
      .output()
      .split("\n")
      .filter((l) => !l.startsWith("warning: "));
    const from = printed.indexOf("Stack: dev");
    assert.ok(from >= 0, started.output());
    assert.equal(printed.length >= from + quoted.length, true);
    quoted.forEach((line, i) => assert.match(printed[from + i]!, linePattern(line), line));
  });

  it("answers each walkthrough command as its comment says", async () => {
    const [, , walkthrough] = firstSteps();
    const run = promisify(execFile);
    let script = "set -e\n";
    for (const line of walkthrough!.trimEnd().split("\n")) {
      const [command, expected] = line.split(/\s+# /) as [string, string | undefined];
      if (command.startsWith("npm run login")) continue; // a browser's sign-in: tests/local/login*.
      script += `${command.replaceAll("http://127.0.0.1:3000", started.apiEndpoint)}\n`;
      if (expected !== undefined) script += "echo\n";
    }
    const { stdout } = await run("sh", ["-c", script], {
      cwd: PROJECT_DIR,
      env: { ...process.env, LOCAL_STATE_DIR: stateDir },
    });
    const expected = walkthrough!
      .split("\n")
      .filter((l) => !l.startsWith("npm run login"))
      .flatMap((l) => (/\s+# (.*)$/.exec(l)?.[1] !== undefined ? [/\s+# (.*)$/.exec(l)![1]!] : []));
    assert.deepEqual(stdout.trimEnd().split("\n"), expected);
  });
});
