import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { decode, type SourceMapSegment } from "@jridgewell/sourcemap-codec";
import { InspectorClient, type ProtocolEvent } from "../support/inspectorClient";
import { TEST_STATE_DIR } from "../support/paths";
import { PROJECT_DIR } from "../support/program";
import { startProcess, type StartedProcess } from "../support/startProcess";
import { localIssuerSigner } from "../support/tokens";

const HANDLER = join(PROJECT_DIR, "handlers/private.ts");
/** The handler's line a developer would set a breakpoint on (1-based, as an editor counts). */
const BREAKPOINT_LINE =
  readFileSync(HANDLER, "utf8")
    .split("\n")
    .findIndex((line) => line.includes("const { sub }")) + 1;

interface SourceMap {
  sources: string[];
  mappings: string;
}

/** A debugger's step: where in the script a source line's first mapping is (0-based). */
function generatedFor(map: SourceMap, source: string, line: number) {
  const index = map.sources.indexOf(source);
  for (const [lineNumber, segments] of decode(map.mappings).entries()) {
    const hit = segments.find((s) => s[1] === index && s[2] === line - 1);
    if (hit !== undefined) return { lineNumber, columnNumber: hit[0] };
  }
  throw new Error(`no mapping for ${source}:${line}`);
}

/** And back: the source and line (1-based) a paused location maps to. */
function originalOf(map: SourceMap, at: { lineNumber: number; columnNumber: number }) {
  const segments: SourceMapSegment[] = decode(map.mappings)[at.lineNumber] ?? [];
  const segment = segments.filter((s) => s[0] <= at.columnNumber).at(-1);
  return { source: map.sources[segment![1]!], line: segment![2]! + 1 };
}

function mapOf(sourceMapURL: string): SourceMap {
  const [, data] = /^data:application\/json;charset=utf-8;base64,(.*)$/.exec(sourceMapURL)!;
  return JSON.parse(Buffer.from(data!, "base64").toString("utf8")) as SourceMap;
}

describe("npm start -- --inspect: a debugger on the functions, in their TypeScript", function () {
  const stateDir = join(TEST_STATE_DIR, `test-debugger-${process.pid}`);
  let started: StartedProcess;
  let client: InspectorClient;

  before(async () => {
    started = await startProcess(stateDir, ["--inspect=0", "--no-watch"]);
    const url = /^debugger: (ws:\/\/\S+)$/m.exec(started.output())![1]!;
    client = await InspectorClient.connect(url);
  });
  after(async () => {
    client?.close();
    await started?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("stops at a breakpoint set on a handler's TypeScript line, in the archive that runs", async () => {
    // As VS Code does on attaching: follow the worker threads, each function's among them.
    await client.send("NodeWorker.enable", { waitForDebuggerOnStart: false });
    // Each function's environment started with the environment, its archive loaded and mapped:
    // each thread's debugger is enabled as it is reported, until the private archive is seen.
    const isPrivateArchive = (e: ProtocolEvent) =>
      e.method === "Debugger.scriptParsed" &&
      /\/api-auth-jwt-auth0-dev-get-private\/[0-9a-f]{16}\/__index\.js$/.test(
        e.params.url as string,
      );
    let archive: ProtocolEvent;
    const titles = new Map<string, string>();
    for (;;) {
      const event = await client.next(
        (e) => e.method === "NodeWorker.attachedToWorker" || isPrivateArchive(e),
      );
      if (isPrivateArchive(event)) {
        archive = event;
        break;
      }
      const { sessionId, workerInfo } = event.params as {
        sessionId: string;
        workerInfo: { title: string };
      };
      titles.set(sessionId, workerInfo.title);
      await client.send("Debugger.enable", {}, sessionId);
    }
    const session = archive.sessionId!;
    // Each thread is named: a function's after its function, the issuer's as such.
    assert.match(titles.get(session)!, /^\[worker \d+\] api-auth-jwt-auth0-dev-get-private$/);
    assert.equal(
      [...titles.values()].some((t) => /^\[worker \d+\] built-in issuer$/.test(t)),
      true,
      [...titles.values()].join(", "),
    );
    const scriptId = archive.params.scriptId as string;
    const map = mapOf(archive.params.sourceMapURL as string);
    // The breakpoint goes where the map puts the handler's line.
    const source = pathToFileURL(HANDLER).href;
    assert.deepEqual(map.sources, [source]);
    const location = { scriptId, ...generatedFor(map, source, BREAKPOINT_LINE) };
    await client.send("Debugger.setBreakpoint", { location }, session);

    const signer = await localIssuerSigner(stateDir);
    const reply = fetch(`${started.apiEndpoint}/private`, {
      headers: { authorization: `Bearer ${await signer.sign("debugged-user")}` },
    });
    const hit = await client.next((e) => e.method === "Debugger.paused" && e.sessionId === session);
    const [frame] = hit.params.callFrames as {
      callFrameId: string;
      location: { scriptId: string; lineNumber: number; columnNumber: number };
    }[];
    assert.equal(frame!.location.scriptId, scriptId);
    assert.deepEqual(originalOf(map, frame!.location), { source, line: BREAKPOINT_LINE });
    const claim = await client.send<{ result: { value: unknown } }>(
      "Debugger.evaluateOnCallFrame",
      {
        callFrameId: frame!.callFrameId,
        expression: "event.requestContext.authorizer.jwt.claims.sub",
      },
      session,
    );
    assert.equal(claim.result.value, "debugged-user");
    await client.send("Debugger.resume", {}, session);

    const answer = await reply;
    assert.deepEqual([answer.status, await answer.text()], [200, "Hello debugged-user!"]);
  });

  it("stops when asked while a function is held at a breakpoint, its records removed", async () => {
    const signer = await localIssuerSigner(stateDir);
    void fetch(`${started.apiEndpoint}/private`, {
      headers: { authorization: `Bearer ${await signer.sign("held-user")}` },
    }).catch(() => undefined);
    await client.next((e) => e.method === "Debugger.paused");
    assert.equal(await started.stop(), 0);
    assert.deepEqual(readdirSync(join(stateDir, "instances")), []);
  });
});
