import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalEnvironment, type LocalEnvironment } from "../../local/environment";
import { stackView } from "../../local/console/stackView";
import { KNOWN_AFTER_DEPLOY } from "../../local/evaluate/snapshot";
import { onFreePorts } from "../support/localEnv";
import { NOT_EMULATED_RESOURCES } from "../support/notEmulatedResources";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { waitFor } from "../support/waitFor";

describe("resources the local environment does not emulate (a queue, a bucket, a parameter)", function () {
  let project: ProjectCopy;
  let env: LocalEnvironment | undefined;
  const lines: string[] = [];
  const start = (watch: boolean) =>
    startLocalEnvironment({
      ...onFreePorts(project.dir),
      watch,
      log: (l: string) => lines.push(l),
    });
  const view = () =>
    stackView(env!.model(), { apiEndpoint: env!.apiEndpoint, issuer: env!.issuer });

  beforeEach(() => {
    project = copyProject("not-emulated");
    lines.length = 0;
  });
  afterEach(async () => {
    await env?.close();
    env = undefined;
    project.remove();
  });

  it("starts, reads their outputs as known only after a deploy, and lists them with their inputs, secrets masked", async () => {
    project.write(
      "index.ts",
      readFileSync(join(project.dir, "index.ts"), "utf8") + NOT_EMULATED_RESOURCES,
    );
    env = await start(false);
    const outputs = env.model().outputs;
    assert.equal(outputs.jobsUrl, KNOWN_AFTER_DEPLOY);
    assert.equal(outputs.uploadsArn, KNOWN_AFTER_DEPLOY);
    assert.deepEqual(
      view().notEmulated.map((r) => [r.type, r.name, JSON.parse(r.inputs)]),
      [
        ["aws:ssm/parameter:Parameter", "api-key", { type: "SecureString", value: "[secret]" }],
        ["aws:sqs/queue:Queue", "jobs", { visibilityTimeoutSeconds: 45 }],
        ["aws:s3/bucket:Bucket", "uploads", { forceDestroy: false }],
      ],
    );
    assert.equal(JSON.stringify(view()).includes("s3cret-value"), false);
    // The API serves on, unchanged.
    assert.equal(await (await fetch(`${env.apiEndpoint}/public`)).text(), "Hello stranger!");
  });

  it("serves the version with them once they are added while it runs, the API answering throughout", async () => {
    env = await start(true);
    assert.deepEqual(view().notEmulated, []);
    project.write(
      "index.ts",
      readFileSync(join(project.dir, "index.ts"), "utf8") + NOT_EMULATED_RESOURCES,
    );
    await waitFor("the reload with the queue", () => env!.model().outputs.jobsUrl !== undefined);
    assert.equal(env.model().outputs.jobsUrl, KNOWN_AFTER_DEPLOY);
    assert.equal(view().notEmulated.length, 3);
    assert.equal(await (await fetch(`${env.apiEndpoint}/public`)).text(), "Hello stranger!");
    assert.deepEqual(
      lines.filter((l) => l.includes("reload failed")),
      [],
    );
  });
});
