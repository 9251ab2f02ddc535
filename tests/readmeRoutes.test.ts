import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JWK } from "jose";
import { startLocalEnvironment, type LocalEnvironment } from "../local/environment";
import { evaluateProgram } from "../local/evaluate/evaluateProgram";
import { readStackSettings } from "../local/evaluate/stackFiles";
import { KNOWN_AFTER_DEPLOY } from "../local/evaluate/snapshot";
import { statePaths } from "../local/state";
import { policies } from "../policy/policies";
import { onFreePorts, send } from "./support/localEnv";
import { policyInput, runPolicies } from "./support/policyHarness";
import { expectOk, ofType, PROJECT_DIR } from "./support/program";
import { copyProject, type ProjectCopy } from "./support/projectCopy";
import { FILLED_IN_PROD } from "./support/stacks";
import { keyFromJwk, signRs256 } from "./support/tokens";

/** A part of a code block: `// <file>[, <where>]`, then its lines. */
interface Part {
  file: string;
  where: string | undefined;
  text: string;
}

const MARKER = /^\/\/ (index\.ts|handlers\/[\w-]+\.ts|policy\/config\.json)(?:, (.+))?$/;

/** The parts of every code block of a Markdown text (from `from` on, up to `to`). */
function partsOf(markdown: string, from: string, to?: string): Part[] {
  const start = markdown.indexOf(from);
  const section = markdown.slice(start, to === undefined ? undefined : markdown.indexOf(to, start));
  const parts: Part[] = [];
  for (const [, block] of section.matchAll(/```ts\n([\s\S]*?)```/g)) {
    for (const line of block!.split("\n")) {
      const marker = MARKER.exec(line);
      if (marker !== null) parts.push({ file: marker[1]!, where: marker[2], text: "" });
      else parts.at(-1)!.text += `${line}\n`;
    }
  }
  return parts;
}

/** Applies a part to the copy as a reader would: a handler written, lines put where it says. */
function apply(project: ProjectCopy, config: { publicRoutes: string[] }, part: Part): void {
  if (part.file === "policy/config.json") {
    config.publicRoutes.push(JSON.parse(part.text) as string);
    return;
  }
  if (part.file.startsWith("handlers/")) return project.write(part.file, part.text);
  const lines = readFileSync(join(project.dir, "index.ts"), "utf8").split("\n");
  const routes = lines.findIndex((l) => l.startsWith("const routes = ["));
  const at = {
    "with the imports": lines.findLastIndex((l) => l.startsWith("import ")) + 1,
    "before the routes": routes,
    "in the routes list": lines.findIndex((l, i) => i > routes && l === "];"),
    "with the outputs": lines.length,
  }[part.where ?? ""];
  assert.ok(at !== undefined && at > 0, `no place '${part.where}' in index.ts`);
  lines.splice(at, 0, part.text.trimEnd());
  project.write("index.ts", lines.join("\n"));
}

describe("the README's Add a route and docs/routes.md's examples, applied as written to a copy of the project", function () {
  let project: ProjectCopy;
  let env: LocalEnvironment | undefined;
  const config = { publicRoutes: [] as string[] };

  before(() => {
    project = copyProject("readme-routes");
    project.write("Pulumi.prod.yaml", readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
    const shipped = JSON.parse(readFileSync(join(PROJECT_DIR, "policy/config.json"), "utf8")) as {
      "routes-require-jwt": { publicRoutes: string[] };
    };
    config.publicRoutes = [...shipped["routes-require-jwt"].publicRoutes];
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    const docs = readFileSync(join(PROJECT_DIR, "docs/routes.md"), "utf8");
    const parts = [
      ...partsOf(readme, "## Add a route", "\n## "),
      ...partsOf(docs, "## More examples", "\n## "),
      ...partsOf(docs, "## The examples' handlers"),
    ];
    // Four examples: their handlers, imports, routes, a resource, a public route's declaration.
    assert.deepEqual(
      parts
        .map((p) => `${p.file}${p.where ? `, ${p.where}` : ""}`)
        .filter((p) => p.startsWith("handlers/")),
      ["handlers/hello.ts", "handlers/report.ts", "handlers/rename.ts", "handlers/jobs.ts"],
    );
    for (const part of parts) apply(project, config, part);
  });
  after(async () => {
    await env?.close();
    project.remove();
  });

  for (const stack of ["dev", "prod"]) {
    it(`evaluates on ${stack}, the new scopes the Auth0 API's, and passes the policy pack`, async () => {
      const settings = readStackSettings(project.dir, stack).config;
      const evaluation = expectOk(
        await evaluateProgram({
          projectDir: project.dir,
          stack,
          ...(stack === "prod" ? { config: { ...settings, ...FILLED_IN_PROD } } : {}),
        }),
      );
      const [scopes] = ofType(evaluation, "auth0:index/resourceServerScopes:ResourceServerScopes");
      assert.deepEqual(
        (scopes!.inputs.scopes as { name: string }[]).map((s) => s.name),
        ["write:items", "write:reports", "write:jobs"],
      );
      assert.deepEqual(await runPolicies(policies, policyInput(evaluation), config), []);
    });
  }

  it("serves each route locally: the public one, the scoped one, the table's, and the queue's 503", async () => {
    env = await startLocalEnvironment({
      ...onFreePorts(project.dir),
      log: () => undefined,
    });
    const secrets = JSON.parse(
      readFileSync(statePaths(join(project.dir, ".local")).issuerKeys, "utf8"),
    ) as { signingKey: JWK };
    const key = await keyFromJwk(secrets.signingKey);
    const call = async (method: string, path: string, scope?: string, body?: string) => {
      const now = Math.floor(Date.now() / 1000);
      const token = await signRs256(key, {
        iss: env!.issuer,
        aud: "https://api-auth-jwt-auth0/dev",
        sub: "ada",
        iat: now - 10,
        exp: now + 600,
        ...(scope !== undefined ? { scope } : {}),
      });
      const reply = await send(
        env!.apiEndpoint,
        method,
        path,
        { authorization: `Bearer ${token}` },
        body,
      );
      return [reply.status, reply.body] as const;
    };
    assert.deepEqual(await call("GET", "/hello/ada"), [200, "Hello ada!"]);
    assert.deepEqual(await call("POST", "/reports", "write:reports"), [201, "Report filed by ada"]);
    assert.deepEqual(await call("POST", "/reports"), [403, '{"message":"Forbidden"}']);
    const [, created] = await call("POST", "/items", "write:items", '{"text":"draft"}');
    const { id, createdAt } = JSON.parse(created) as { id: string; createdAt: string };
    assert.deepEqual(await call("PATCH", `/items/${id}`, "write:items", '{"text":"final"}'), [
      200,
      JSON.stringify({ id, text: "final", createdAt }),
    ]);
    assert.deepEqual(await call("POST", "/jobs", "write:jobs", "{}"), [
      503,
      '{"message":"the jobs queue exists once deployed"}',
    ]);
    assert.deepEqual(
      env.model().notEmulated.map((r) => [r.type, r.name]),
      [["aws:sqs/queue:Queue", "jobs"]],
    );
    assert.equal(env.model().outputs.jobsQueueUrl, KNOWN_AFTER_DEPLOY);
  });
});
