import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { evaluateStack, expectOk, ofType, PROJECT_DIR } from "./support/program";
import { runCommandSync } from "./support/processes";

const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The shell lines of the README's first steps and walkthrough: every `sh` block before Deploy. */
function firstStepsCommands(): string[] {
  const section = readme.slice(
    readme.indexOf("## First steps"),
    readme.indexOf("## What the program creates"),
  );
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.split("\n"))
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** The usage line a CLI prints for --help: the options it takes. */
function usageOf(script: string): string {
  const run = runCommandSync(process.execPath, [
    "--require",
    "tsx/cjs",
    `local/cli/${script}.ts`,
    "--help",
  ]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

describe("the README's first steps and walkthrough", function () {
  const commands = firstStepsCommands();

  it("has the two commands a new user needs first", () => {
    assert.deepEqual(commands.slice(0, 2), ["npm install && npm start", "npm test"]);
  });

  it("runs only npm scripts that exist, with options their tools take", () => {
    const usages = new Map<string, string>();
    for (const line of commands) {
      for (const match of line.matchAll(
        /npm (?:run (?:--silent )?)?(start|test|install|[\w:]+)(?: -- ([^)&|]*))?/g,
      )) {
        const script = match[1]!;
        if (script === "install") continue;
        assert.ok(script in scripts, `npm script '${script}' (in: ${line})`);
        for (const flag of (match[2] ?? "").match(/--[\w-]+/g) ?? []) {
          if (!usages.has(script)) usages.set(script, usageOf(script));
          assert.ok(usages.get(script)!.includes(flag), `${script} takes no ${flag} (in: ${line})`);
        }
      }
    }
  });

  it("calls only routes the program declares", async () => {
    const routeKeys = ofType(
      expectOk(await evaluateStack("dev")),
      "aws:apigatewayv2/route:Route",
    ).map((r) => r.inputs.routeKey);
    const paths = commands.flatMap((line) =>
      [...line.matchAll(/http:\/\/127\.0\.0\.1:3000(\/[\w/]*)/g)].map((m) => m[1]!),
    );
    assert.ok(paths.length >= 3, `paths found: ${paths.join(", ")}`);
    for (const path of paths) assert.ok(routeKeys.includes(`GET ${path}`), `no route GET ${path}`);
  });
});

describe("docs/layout.md", () => {
  const layout = readFileSync(join(PROJECT_DIR, "docs/layout.md"), "utf8");
  const named = [...layout.matchAll(/`([\w./-]+)`/g)].map((m) => m[1]!);
  /** Every folder and file of the project, relative, folders ending in "/"; not what is installed. */
  const tree: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(PROJECT_DIR, dir), { withFileTypes: true })) {
      const path = `${dir}${entry.name}${entry.isDirectory() ? "/" : ""}`;
      tree.push(path);
      if (entry.isDirectory() && !["node_modules/", ".git/", ".local/"].includes(path)) walk(path);
    }
  };
  walk("");

  it("names only folders and files that exist", () => {
    // `.local/` is made at run time, by the first `npm start`.
    const paths = named.filter((n) => (n.endsWith("/") || n.endsWith(".ts")) && n !== ".local/");
    for (const name of paths) {
      assert.ok(
        tree.some((path) => path === name || path.endsWith(`/${name}`)),
        `${name} is not in the tree`,
      );
    }
  });

  it("names every folder and file the repository tracks", () => {
    const tracked = runCommandSync("git", ["ls-files"]).stdout.trim().split("\n");
    // A folder by its path, its own name (`web/`), or a path under it (`.ci/run`).
    const folderNamed = (folder: string) =>
      folder === "" ||
      named.some((n) => n === `${basename(folder)}/` || n.startsWith(`${folder}/`));
    const unnamed = tracked.filter((file) => {
      const folder = dirname(file) === "." ? "" : dirname(file);
      // A file by its path, a path's tail (`authorizer/jwtAuthorizer.ts`), or its name in a
      // folder that is named.
      const byPath = named.some((n) => n === file || file.endsWith(`/${n}`));
      return !byPath && !(named.includes(basename(file)) && folderNamed(folder));
    });
    const folders = [...new Set(tracked.map((f) => dirname(f)))].filter((f) => f !== ".");
    assert.deepEqual([...unnamed, ...folders.filter((f) => !folderNamed(f))], []);
  });
});

describe("the stack files' comments", () => {
  it("point only to docs that exist, and to README sections by their heading", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    for (const file of readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\.\w+\.yaml$/.test(f))) {
      const text = readFileSync(join(PROJECT_DIR, file), "utf8");
      for (const [, doc] of text.matchAll(/\b(docs\/[\w-]+\.md)\b/g)) {
        assert.equal(existsSync(join(PROJECT_DIR, doc!)), true, `${file} names ${doc}`);
      }
      for (const [, section] of text.matchAll(/README, "([^"]+)"/g)) {
        assert.match(
          readme,
          new RegExp(`^#+ .*${section}`, "m"),
          `${file} names README "${section}"`,
        );
      }
    }
  });
});
