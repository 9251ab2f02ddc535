import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR } from "./support/program";
import { runCommand } from "./support/processes";

const WORKFLOWS = join(PROJECT_DIR, ".github/workflows");
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const VALIDATOR = join(PROJECT_DIR, "node_modules/.bin/action-validator");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, { environment?: string; needs?: string; steps: Step[] }>;
}
const workflow = (file: string) => parse(readFileSync(join(WORKFLOWS, file), "utf8")) as Workflow;

/** The docs' commands: each line of a fenced block, and each inline code span (across a wrap). */
function docCommands(): { where: string; line: string }[] {
  const files = ["README.md", ...readdirSync(join(PROJECT_DIR, "docs")).map((f) => `docs/${f}`)];
  return files
    .filter((f) => f.endsWith(".md"))
    .flatMap((where) => {
      const text = readFileSync(join(PROJECT_DIR, where), "utf8");
      const fenced = [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) =>
        m[1]!.split("\n"),
      );
      const prose = text.replace(/^```[a-z]*\n[\s\S]*?^```/gm, "").replace(/\n/g, " ");
      const spans = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      return [...fenced, ...spans].map((line) => ({ where, line: line.replace(/\s+#.*$/, "") }));
    });
}

/** The workflows' `run:` lines. */
function workflowCommands(): { where: string; line: string }[] {
  return workflowFiles.flatMap((where) =>
    Object.values(workflow(where).jobs).flatMap((job) =>
      job.steps.flatMap((s) => (s.run ?? "").split("\n").map((line) => ({ where, line }))),
    ),
  );
}

/** Every `pulumi up` or `pulumi preview` given with flags: `pulumi up would refuse` is a message. */
function pulumiCommands(): { where: string; command: string }[] {
  return [...docCommands(), ...workflowCommands()].flatMap(({ where, line }) =>
    [...line.matchAll(/pulumi (?:up|preview)(?: --?[a-z].*)/g)].map((m) => ({
      where,
      command: m[0].trim(),
    })),
  );
}

/** The key each `pulumi config set` names, its flags (`-s prod`, `--secret`, `--path`) skipped. */
function configKeys(): string[] {
  return docCommands().flatMap(({ line }) =>
    [...line.matchAll(/pulumi config set ((?:\S+ ?)+)/g)].map((m) => {
      const words = m[1]!.split(" ");
      for (let i = 0; i < words.length; i++) {
        if (words[i] === "-s" || words[i] === "--stack") i++;
        else if (!words[i]!.startsWith("-"))
          return words[i]!.replace(/^'|'$/g, "").replace(/\[.*$/, "");
      }
      return "";
    }),
  );
}

describe("the CI workflows (.github/workflows/)", function () {
  for (const file of workflowFiles) {
    it(`${file} passes action-validator`, async () => {
      const { code, stdout, stderr } = await runCommand(VALIDATOR, [join(WORKFLOWS, file)]);
      assert.equal(code, 0, `${stdout}${stderr}`);
    });
  }

  it("has a validator that refuses a broken workflow (a job with no runs-on)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workflow-"));
    const broken = join(dir, "broken.yml");
    writeFileSync(broken, "name: x\non: [push]\njobs:\n  a:\n    runs-onx: ubuntu-24.04\n");
    const { code } = await runCommand(VALIDATOR, [broken]);
    assert.equal(code, 1);
  });

  it("takes AWS credentials by OIDC only: id-token write, a role to assume, no long-lived key", () => {
    for (const file of workflowFiles) {
      const text = readFileSync(join(WORKFLOWS, file), "utf8");
      assert.equal(workflow(file).permissions?.["id-token"], "write", file);
      assert.doesNotMatch(text, /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/, file);
      const aws = Object.values(workflow(file).jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
      for (const step of aws) assert.match(String(step.with?.["role-to-assume"]), /^\$\{\{ vars\./);
    }
  });

  it("deploys dev on main, then prod behind its environment's reviewers, one tenant at a time", () => {
    const deploy = workflow("deploy.yml");
    assert.deepEqual(deploy.concurrency, {
      group: "auth0-tenant-${{ vars.AUTH0_DOMAIN }}",
      "cancel-in-progress": false,
    });
    const runs = (job: string) => deploy.jobs[job]!.steps.flatMap((s) => (s.run ? [s.run] : []));
    assert.deepEqual(
      { env: deploy.jobs.dev!.environment, runs: runs("dev").slice(1) },
      {
        env: "dev",
        runs: [
          "pulumi up --stack dev --refresh --yes --policy-pack policy --policy-pack-config policy/config.json",
          "npm run smoke -- --stack dev",
        ],
      },
    );
    assert.deepEqual(
      {
        env: deploy.jobs.prod!.environment,
        needs: deploy.jobs.prod!.needs,
        runs: runs("prod").slice(1),
      },
      {
        env: "prod",
        needs: "dev",
        runs: [
          "pulumi up --stack prod --refresh --yes --policy-pack policy --policy-pack-config policy/config.json",
          "npm run smoke -- --stack prod",
        ],
      },
    );
  });

  it("gives --policy-pack policy to every pulumi up and preview in the docs and workflows", () => {
    const commands = pulumiCommands();
    assert.ok(commands.length >= 8, `found only ${commands.length}`);
    assert.deepEqual(
      commands.filter((c) => !c.command.includes("--policy-pack policy")),
      [],
    );
  });

  it("names in the docs and workflows only config keys Pulumi.yaml declares (or a provider's)", () => {
    const declared = Object.keys(
      (parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: object }).config,
    );
    const keys = configKeys();
    const unknown = keys
      .map((k) => k.replace(/^api-auth-jwt-auth0:/, ""))
      .filter((k) => !/^(auth0|aws):/.test(k) && !declared.includes(k));
    assert.ok(keys.length >= 10, `found only ${keys.length}`);
    assert.deepEqual([...new Set(unknown)], []);
  });
});
