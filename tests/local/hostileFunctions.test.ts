import * as assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join, relative } from "node:path";
import * as fc from "fast-check";
import { send, startTestEnvironment, type Reply, type RunningEnv } from "../support/localEnv";
import { PROJECT_DIR, TEST_STATE_DIR } from "../support/program";
import { startProcess, type StartedProcess } from "../support/startProcess";
import { waitFor } from "../support/waitFor";

const ENTRY = "tests/fixtures/hostileProgram.ts";
const INTERNAL_ERROR = '{"message":"Internal Server Error"}';

describe("function code that answers badly or reaches too far", function () {
  let running: RunningEnv;
  let api: string;
  before(async () => {
    running = await startTestEnvironment("hostile", { entry: ENTRY });
    api = running.env.apiEndpoint;
  });
  after(() => running?.stop());

  const answer = (recipe: unknown): Promise<Reply> =>
    send(api, "POST", "/answer", { "content-type": "application/json" }, JSON.stringify(recipe));
  const stillServes = async () => {
    const reply = await answer({ kind: "structured", statusCode: 200, body: "alive" });
    assert.deepEqual([reply.status, reply.body], [200, "alive"]);
  };

  describe("an answer the gateway cannot send is that request's 500, and only its", () => {
    for (const [label, value] of [
      ["a € from the query string", "%E2%82%AC"],
      ["a \\x01", "%01"],
      ["a \\x7f", "%7F"],
    ]) {
      it(`refuses a header value with ${label}`, async () => {
        const reply = await send(api, "GET", `/header?v=${value}`);
        assert.deepEqual([reply.status, reply.body], [500, INTERNAL_ERROR]);
        await stillServes();
      });
    }

    for (const kind of ["function", "symbol", "emptyToJSON", "bigint"]) {
      it(`refuses a result JSON cannot carry (${kind})`, async () => {
        const reply = await answer({ kind });
        assert.deepEqual([reply.status, reply.body], [500, INTERNAL_ERROR]);
        await stillServes();
      });
    }
  });

  describe("framing belongs to the gateway", () => {
    it("sends a 204 with no content-length (RFC 9110 §8.6) and no body", async () => {
      const reply = await answer({ kind: "structured", statusCode: 204 });
      assert.equal(reply.status, 204);
      assert.equal(reply.headers["content-length"], undefined);
      assert.equal(reply.body, "");
      await stillServes();
    });

    it("keeps a function's framing headers as x-amzn-remapped-*, never as framing", async () => {
      const reply = await answer({
        kind: "structured",
        statusCode: 200,
        headers: {
          "Content-Length": "999",
          "transfer-encoding": "chunked",
          connection: "upgrade",
          upgrade: "websocket",
          te: "trailers",
          trailer: "x-late",
          "keep-alive": "timeout=99",
        },
        body: "framed by the gateway",
      });
      assert.equal(reply.status, 200);
      assert.equal(reply.body, "framed by the gateway");
      assert.equal(reply.headers["content-length"], "21");
      assert.equal(reply.headers["transfer-encoding"], undefined);
      assert.equal(reply.headers.upgrade, undefined);
      assert.deepEqual(
        Object.fromEntries(
          Object.entries(reply.headers).filter(([name]) => name.startsWith("x-amzn-remapped-")),
        ),
        {
          "x-amzn-remapped-content-length": "999",
          "x-amzn-remapped-transfer-encoding": "chunked",
          "x-amzn-remapped-connection": "upgrade",
          "x-amzn-remapped-upgrade": "websocket",
          "x-amzn-remapped-te": "trailers",
          "x-amzn-remapped-trailer": "x-late",
          "x-amzn-remapped-keep-alive": "timeout=99",
        },
      );
    });

    for (const statusCode of [100, 101, 199, 600, 999]) {
      it(`answers a function's status ${statusCode} with 500`, async () => {
        const reply = await answer({ kind: "structured", statusCode, body: "x" });
        assert.deepEqual([reply.status, reply.body], [500, INTERNAL_ERROR]);
        await stillServes();
      });
    }

    it("keeps a header named like an Object method", async () => {
      // Raw JSON text: in a JS object literal `__proto__` would set the prototype, not a key.
      // The raw header list: Node's parsed `headers` object drops a `__proto__` header itself.
      const raw = await new Promise<string[]>((resolve, reject) => {
        const options = {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json" },
        };
        const req = httpRequest(`${api}/answer`, options, (res) => {
          res.resume();
          res.on("end", () => resolve(res.rawHeaders));
        });
        req.on("error", reject);
        req.end(
          '{"kind":"structured","statusCode":200,"body":"",' +
            '"headers":{"constructor":"c","toString":"t","__proto__":"p"}}',
        );
      });
      const pairs = raw.flatMap((v, i) => (i % 2 === 0 ? [`${v}: ${raw[i + 1]}`] : []));
      for (const header of ["constructor: c", "tostring: t", "__proto__: p"]) {
        assert.ok(pairs.includes(header), `${header} missing from ${pairs.join(" | ")}`);
      }
    });
  });

  it("answers whatever a function returns, and serves the next request (property)", async () => {
    const header = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("€", "\x01", "\x7f", "ok"),
    );
    const recipe = fc.oneof(
      fc.record({ kind: fc.constant("json"), value: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ kind: fc.constantFrom("function", "symbol", "emptyToJSON", "bigint") }),
      fc.record({
        kind: fc.constant("structured"),
        statusCode: fc.oneof(
          fc.integer({ min: -10, max: 1000 }),
          fc.string({ maxLength: 3 }),
          fc.constant(null),
        ),
        headers: fc.oneof(
          fc.dictionary(
            fc.string({ maxLength: 12 }),
            fc.oneof(header, fc.integer(), fc.boolean(), fc.constant(null)),
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        cookies: fc.oneof(fc.array(header, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
        body: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(recipe, async (r) => {
        const reply = await answer(r);
        assert.ok(reply.status >= 200 && reply.status <= 599, `status ${reply.status}`);
        await stillServes();
      }),
      { numRuns: 150 },
    );
  });
});

describe("what function code can reach (npm start)", function () {
  const stateDir = join(TEST_STATE_DIR, `test-reach-${process.pid}`);
  let started: StartedProcess;
  before(async () => {
    // No hot reload here: --no-watch spares the test a warm spare evaluator.
    started = await startProcess(stateDir, ["--entry", ENTRY, "--no-watch"]);
  });
  after(async () => {
    await started?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("runs each function from outside the project and its state folder, with Lambda's variables only", async () => {
    const trace = "Root=1-5f84c7a9-1e2f3a4b5c6d7e8f90a1b2c3";
    const reach = JSON.parse(
      (await send(started.apiEndpoint, "GET", "/reach", { "x-amzn-trace-id": trace })).body,
    ) as {
      cwd: string;
      taskRoot: string;
      env: string[];
      found: string[];
      trace: string;
      accessKeyId: string;
    };
    // The invocation's trace header, and role credentials that are Lambda-shaped and fake.
    assert.equal(reach.trace, trace);
    assert.equal(reach.accessKeyId, "ASIALOCALFUNCTIONKEY");
    assert.equal(reach.cwd, reach.taskRoot);
    for (const dir of [reach.taskRoot, reach.cwd]) {
      assert.ok(relative(PROJECT_DIR, dir).startsWith(".."), `${dir} is inside the project`);
      assert.ok(relative(stateDir, dir).startsWith(".."), `${dir} is inside the state folder`);
    }
    // Walking up from the task root, the working directory and "." finds no project file.
    assert.deepEqual(reach.found, []);
    assert.deepEqual(reach.env, [
      "AWS_ACCESS_KEY_ID",
      "AWS_DEFAULT_REGION",
      "AWS_EXECUTION_ENV",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
      "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE",
      "AWS_LAMBDA_LOG_FORMAT",
      "AWS_LAMBDA_LOG_GROUP_NAME",
      "AWS_LAMBDA_LOG_LEVEL",
      "AWS_LAMBDA_LOG_STREAM_NAME",
      "AWS_LAMBDA_RUNTIME_API",
      "AWS_REGION",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_XRAY_CONTEXT_MISSING",
      "AWS_XRAY_DAEMON_ADDRESS",
      "LAMBDA_RUNTIME_DIR",
      "LAMBDA_TASK_ROOT",
      "LANG",
      "NODE_PATH",
      "PATH",
      "TZ",
      "_HANDLER",
      "_X_AMZN_TRACE_ID",
    ]);
  });

  it("prints what a function logs with its control characters escaped, so no line is forged", async () => {
    // An erase-line sequence and a carriage return, then a fake gateway log line.
    const line = encodeURIComponent(
      "\x1b[2K\rGET /private GET /private 200 1.0ms authorizer=allow\u009b",
    );
    assert.equal((await send(started.apiEndpoint, "GET", `/log?line=${line}`)).status, 204);
    const printed = await waitFor("the function's line", () => {
      const output = started.output();
      return output.includes("\tINFO\tuser said: ") && output;
    });
    assert.match(
      printed,
      /\tINFO\tuser said: \\x1b\[2K\\x0dGET \/private GET \/private 200 1\.0ms authorizer=allow\\x9b\n/,
    );
    assert.doesNotMatch(printed, /[\x1b\r\u009b]/);
  });

  for (const how of ["kill", "abort"]) {
    it(`ends only that function's environment when it ${how}s its own process`, async () => {
      const reply = await send(started.apiEndpoint, "GET", `/signal?how=${how}`);
      assert.deepEqual([reply.status, reply.body], [500, INTERNAL_ERROR]);
      assert.equal(started.child.exitCode, null);
      assert.equal((await send(started.apiEndpoint, "GET", "/reach")).status, 200);
    });
  }
});
