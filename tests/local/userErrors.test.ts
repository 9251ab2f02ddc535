import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackSettings } from "../../local/evaluate/stackFiles";
import { startTestEnvironment } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";
import { runCli } from "../support/processes";
import { waitFor } from "../support/waitFor";

const cli = (script: string, args: string[]) => runCli(script, args);

describe("errors in the user's words", function () {
  it("answers -h as --help", async () => {
    const { code, stdout } = await cli("token", ["-h"]);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: npm run token -- /);
  });

  for (const script of ["start", "token", "login"]) {
    it(`lists every option of ${script} in --help, with its default`, async () => {
      const { code, stdout } = await cli(script, ["--help"]);
      assert.equal(code, 0);
      const [usage, options] = stdout.split("\n\nOptions:\n") as [string, string];
      const described = options
        .trimEnd()
        .split("\n")
        .map((line) => /^ {2}(-h, --help|--[\w-]+)/.exec(line)![1]!);
      // Every flag the usage line names is described, and no other.
      const named = [...new Set(usage.match(/--[\w-]+/g))];
      assert.deepEqual([...described].sort(), [...named, "-h, --help"].sort());
      // Any stack file is a stack: no help says only dev or prod.
      if (script !== "token") assert.match(stdout, /--stack NAME/);
      assert.doesNotMatch(stdout, /dev\|prod/);
      for (const line of options.trimEnd().split("\n").slice(0, -1)) {
        assert.match(line, /\(default[ :]/, line);
      }
    });
  }

  it("takes --inspect bare or with =PORT, as node does, and refuses one off loopback", async () => {
    // Bare, it is taken (127.0.0.1:9229): the next mistake is the one said.
    const bare = await cli("start", ["--inspect", "--port", "abc"]);
    assert.deepEqual(
      [bare.code, bare.stderr],
      [2, "--port 'abc': expected a port number from 0 to 65535\n"],
    );
    const open = await cli("start", ["--inspect=0.0.0.0:9229"]);
    assert.deepEqual(
      [open.code, open.stderr],
      [
        2,
        "--inspect '0.0.0.0:9229': the debugger listens on loopback only (it runs any code it is sent); forward its port over SSH to reach it from elsewhere\n",
      ],
    );
  });

  it("says --expires-in must be from 1 s to 30 days, not the parser's message", async () => {
    for (const value of ["-5", "2592001", "1e21"]) {
      const { code, stderr } = await cli("token", ["--expires-in", value]);
      assert.equal(code, 2);
      assert.equal(
        stderr,
        `--expires-in '${value}': expected a whole number of seconds from 1 to 2592000 (30 days, Auth0's longest)\n`,
      );
    }
  });

  it("refuses --console-port with --no-console, and a console port that is not a port", async () => {
    const both = await cli("start", ["--console-port", "0", "--no-console"]);
    assert.deepEqual(
      [both.code, both.stderr],
      [2, "--console-port and --no-console: choose one\n"],
    );
    const bad = await runCli("start", [], { env: { CONSOLE_PORT: "http" } });
    assert.deepEqual(
      [bad.code, bad.stderr],
      [2, "--console-port 'http': expected a port number from 0 to 65535\n"],
    );
  });

  it("answers a stack that does not exist before anything starts, naming the stacks there are", async () => {
    const { code, stderr } = await cli("start", ["--stack", "nosuch"]);
    assert.deepEqual(
      [code, stderr],
      [
        2,
        "--stack 'nosuch': no stack file Pulumi.nosuch.yaml in this project (its stacks: dev, prod)\n",
      ],
    );
  });

  it("refuses one fixed port for two servers as the user's own choice, not another npm start", async () => {
    const same = await cli("start", ["--console-port", "3000"]);
    assert.deepEqual(
      [same.code, same.stderr],
      [2, "--console-port 3000 is the port of --port: give each its own, or 0 for a free one\n"],
    );
    const issuer = await cli("start", ["--port", "4000"]);
    assert.deepEqual(
      [issuer.code, issuer.stderr],
      [2, "--issuer-port 4000 is the port of --port: give each its own, or 0 for a free one\n"],
    );
  });

  it("names --console-port when the console's port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as AddressInfo).port;
    try {
      await assert.rejects(
        startTestEnvironment("console-taken", { console: { host: "127.0.0.1", port } }),
        {
          message: `port ${port} on 127.0.0.1 is in use (another npm start?): choose another with --console-port <port>, or --console-port 0 for a free one`,
        },
      );
    } finally {
      taken.close();
    }
  });

  it("names the stack file whose YAML is broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "yaml-"));
    try {
      cpSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
      writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: [us-east-1\n");
      assert.throws(
        () => readStackSettings(dir, "dev"),
        (err: Error) => {
          assert.ok(
            err.message.startsWith(`${join(dir, "Pulumi.dev.yaml")} is not valid YAML: `),
            err.message,
          );
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("npm run login against an issuer on loopback", () => {
    let server: Server;
    let issuer: string;
    before(async () => {
      server = createServer((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}authorize`,
            token_endpoint: `${issuer}oauth/token`,
            jwks_uri: `${issuer}.well-known/jwks.json`,
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(() => new Promise((r) => server.close(r)));

    it("accepts plain http on loopback, as npm start does, and waits for the sign-in", async () => {
      const { code, stdout, stderr } = await cli("login", [
        "--issuer",
        issuer,
        "--client-id",
        "app",
        "--no-open",
        "--timeout",
        "1",
        "--redirect-uri",
        "http://localhost:5679",
      ]);
      assert.match(
        stdout,
        new RegExp(`^Open: ${issuer}authorize\\?response_type=code&client_id=app&`),
      );
      assert.equal(code, 1);
      assert.equal(stderr, "no sign-in within 1 s; run the command again\n");
    });

    it("names the issuer's URL and the reason when it cannot be reached", async () => {
      // A port that was free a moment ago: nothing listens there.
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((r) => probe.close(r));
      const closed = `http://127.0.0.1:${port}/`;
      const { code, stderr } = await cli("login", [
        "--issuer",
        closed,
        "--client-id",
        "app",
        "--no-open",
      ]);
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `Cannot read the issuer's discovery document: ${closed}.well-known/openid-configuration: fetch failed (ECONNREFUSED)\n`,
      );
    });
  });
});

describe("the Node.js version check the tools load first", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { nodeVersionProblem } = require("../../local/cli/requireNode.js") as {
    nodeVersionProblem(version: string): string | undefined;
  };

  it("lets 20.19+ and 22.12+ through", () => {
    for (const version of ["20.19.0", "20.20.2", "22.12.0", "24.1.0"]) {
      assert.equal(nodeVersionProblem(version), undefined, version);
    }
  });

  it("says what is needed on an older one, instead of failing deep inside", () => {
    assert.equal(
      nodeVersionProblem("20.18.1"),
      "This needs Node.js 20.19 or later on 20, or 22.12 or later; this is Node.js 20.18.1. " +
        "Install a newer one (https://nodejs.org/) and run the command again.",
    );
    for (const version of ["18.20.4", "21.7.3", "22.11.0"]) {
      assert.notEqual(nodeVersionProblem(version), undefined, version);
    }
  });

  it("is loaded first by npm start, npm run token and npm run login, which exec node", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { scripts } = require("../../package.json") as { scripts: Record<string, string> };
    for (const name of ["start", "token", "login"]) {
      // `exec`: the shell npm runs a script in becomes node, so npm's signals reach it.
      assert.match(scripts[name]!, /^exec node --require \.\/local\/cli\/requireNode\.js /, name);
    }
  });
});

describe("npm start --issuer with an issuer that cannot be reached", () => {
  it("warns at start, not on the first request", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const issuer = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
    await new Promise((r) => probe.close(r));
    const running = await startTestEnvironment("unreachable-issuer", {
      externalIssuer: issuer,
      audiences: ["client"],
    });
    try {
      const warning = `warning: the issuer ${issuer} cannot be reached: fetch failed (ECONNREFUSED); tokens are refused until it can`;
      await waitFor(`the warning, in: ${running.logs.join("\n")}`, () =>
        running.logs.includes(warning),
      );
    } finally {
      await running.stop();
    }
  });
});
