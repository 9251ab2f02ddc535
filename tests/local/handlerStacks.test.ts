import * as assert from "node:assert/strict";
import type { RequestEntry } from "../../local/console/consoleApi";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

/** GET /public's handler, throwing from a helper it calls (lines 4 and 8 of handlers/public.ts). */
const THROWING = `import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

function greetingFor(name: string): string {
  throw new Error(\`no greeting for \${name}\`);
}

export async function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  const greeting = greetingFor("stranger");
  return { statusCode: 200, body: greeting };
}
`;

describe("a handler's error, as the developer reads it", function () {
  let project: ProjectCopy;
  let running: RunningEnv;

  before(async () => {
    project = copyProject("handler-stacks", { public: THROWING });
    running = await startTestEnvironment("handler-stacks", {
      projectDir: project.dir,
      console: { host: "127.0.0.1", port: 0 },
    });
  });
  after(async () => {
    await running?.stop();
    project?.remove();
  });

  it("points at handlers/*.ts lines in the terminal and the console, the environment's frames left out", async () => {
    const reply = await send(running.env.apiEndpoint, "GET", "/public");
    assert.deepEqual([reply.status, reply.body], [500, '{"message":"Internal Server Error"}']);
    const fn = "[api-auth-jwt-auth0-dev-get-public]";
    const error = running.logs.findIndex((l) => l.includes("ERROR\tError: no greeting for"));
    assert.notEqual(error, -1, running.logs.join("\n"));
    assert.deepEqual(running.logs.slice(error + 1, error + 3), [
      `${fn}     at greetingFor (handlers/public.ts:4:9)`,
      `${fn}     at handler (handlers/public.ts:8:20)`,
    ]);
    assert.match(running.logs[error + 3]!, /REPORT RequestId/);

    const entries = JSON.parse(
      (await send(running.env.consoleUrl!, "GET", "/api/requests")).body,
    ) as RequestEntry[];
    const record = entries[0]!.logs.find((l) => l.text.includes("no greeting for"))!;
    assert.deepEqual(record.readable!.split("\n").slice(1), [
      "    at greetingFor (handlers/public.ts:4:9)",
      "    at handler (handlers/public.ts:8:20)",
    ]);
    // As written (a JSON record on this stack), it keeps what the runtime wrote: the archive's
    // frames and the runtime's own, as on Lambda.
    const written = JSON.parse(record.text) as { message: { stackTrace: string[] } };
    assert.match(
      written.message.stackTrace[1]!,
      /^ {4}at Object\.<anonymous> \(\/.+\/__index\.js:\d+:\d+\)$/,
    );
  });
});
