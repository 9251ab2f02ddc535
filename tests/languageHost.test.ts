import * as assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { readStackSettings } from "../local/evaluate/stackFiles";
import { PROJECT_DIR, TEST_STATE_DIR } from "./support/program";
import { PROJECT } from "./support/stacks";
import { runCommand } from "./support/processes";
import * as ts from "typescript";

interface Outcome {
  ok: boolean;
  tsNode?: { typeCheck: boolean; tsconfig: string; types: string[] };
  outputs?: string[];
  name?: string;
  message?: string;
}

/** Loads `entry` the way `pulumi up -s <stack>` does, in a process with no TypeScript loader. */
async function loadAsLanguageHost(
  stack: string,
  entry: string,
  env: Record<string, string> = {},
): Promise<Outcome> {
  // A failed program leaves the runtime's own promises behind, and it exits 1 for them: the
  // outcome is the JSON line either way.
  const { stdout } = await runCommand(
    process.execPath,
    [join(__dirname, "support", "languageHost.js"), PROJECT_DIR, PROJECT, stack, entry],
    {
      inheritEnv: false,
      env: {
        PATH: process.env.PATH ?? "",
        PULUMI_CONFIG: JSON.stringify(readStackSettings(PROJECT_DIR, stack).config),
        ...env,
      },
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Outcome;
}

describe("the program as `pulumi up` loads it (the Node.js language host, ts-node, type checking)", function () {
  const fixtureDir = join(TEST_STATE_DIR, `language-host-${process.pid}`);
  const broken = join(fixtureDir, "broken.ts");
  /** Every load starts at once: each is a process that spends seconds type-checking. */
  const loads = new Map<string, Promise<Outcome>>();
  before(() => {
    mkdirSync(fixtureDir, { recursive: true });
    writeFileSync(
      broken,
      'import { physicalName } from "../../infra/names";\n' +
        'export const name = physicalName("api-auth-jwt-auth0", 42);\n',
    );
    const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    loads.set("broken", loadAsLanguageHost("dev", relative(PROJECT_DIR, broken)));
    loads.set(
      "broken, transpiled",
      loadAsLanguageHost("dev", relative(PROJECT_DIR, broken), transpileOnly),
    );
  });
  after(() => rmSync(fixtureDir, { recursive: true, force: true }));

  // Type checking does not depend on the stack: dev's load type-checks the program, as
  // `pulumi up` does, and prod's runs it transpile-only (about 10 s less CPU), for its config.
  const STACKS = { dev: true, prod: false } as const;
  const loaded = new Map<string, Promise<Outcome>>();
  before(() => {
    for (const [stack, typeCheck] of Object.entries(STACKS)) {
      const env: Record<string, string> = typeCheck ? {} : { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
      loaded.set(stack, loadAsLanguageHost(stack, "index.ts", env));
    }
  });

  for (const [stack, typeCheck] of Object.entries(STACKS)) {
    it(`${typeCheck ? "type-checks" : "transpiles"} index.ts with the project's tsconfig and runs it (stack ${stack})`, async () => {
      assert.deepEqual(await loaded.get(stack), {
        ok: true,
        tsNode: { typeCheck, tsconfig: join(PROJECT_DIR, "tsconfig.json"), types: ["node"] },
        outputs: [
          // Only prod is monitored.
          ...(stack === "prod" ? ["alarmTopicArn"] : []),
          "apiEndpoint",
          "apiIdentifier",
          "audiences",
          "clientId",
          "clientSecret",
          "connectionName",
          "corsAllowOrigins",
          ...(stack === "prod" ? ["dashboardName"] : []),
          "issuer",
          "itemsTableName",
          "loginUrl",
          // Only dev creates a smoke client.
          ...(stack === "dev" ? ["smokeClientId", "smokeClientSecret"] : []),
          // Only dev creates a test user.
          ...(stack === "dev" ? ["testUserEmail", "testUserPassword"] : []),
        ],
      });
    });
  }

  describe("with a type error in the program", () => {
    it("stops before any resource with TypeScript's error", async () => {
      const outcome = await loads.get("broken")!;
      assert.equal(outcome.ok, false);
      assert.equal(outcome.name, "TSError");
      assert.match(
        outcome.message!,
        /TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/,
      );
    });

    it("runs it anyway with PULUMI_NODEJS_TRANSPILE_ONLY=true, as the language host allows", async () => {
      const outcome = await loads.get("broken, transpiled")!;
      assert.equal(outcome.ok, true);
      assert.equal(outcome.tsNode?.typeCheck, false);
    });
  });

  it("compiles the program from index.ts, infra/, facts/ and handlers/ alone: no test or local-environment types", () => {
    // What tsc (and so ts-node) compiles for tsconfig.json: its include list, every project file
    // those import, transitively, and the `types` it names. TypeScript's own config reader and
    // import scanner, in this process (tsc --listFilesOnly parses every .d.ts, seconds of CPU).
    const configFile = join(PROJECT_DIR, "tsconfig.json");
    const config = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)),
      },
    )!;
    const files = new Set<string>();
    const packages = new Set<string>();
    const queue = [...config.fileNames];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (files.has(file)) continue;
      files.add(file);
      for (const { fileName } of ts.preProcessFile(readFileSync(file, "utf8")).importedFiles) {
        if (!fileName.startsWith(".")) {
          packages.add(fileName);
          continue;
        }
        const resolved = ts.resolveModuleName(
          fileName,
          file,
          config.options,
          ts.sys,
        ).resolvedModule;
        if (resolved !== undefined && !resolved.isExternalLibraryImport) {
          queue.push(resolved.resolvedFileName);
        }
      }
    }
    const own = [...files].map((f) => relative(PROJECT_DIR, f).split("/")[0]);
    assert.deepEqual([...new Set(own)].sort(), ["facts", "handlers", "index.ts", "infra"]);
    assert.deepEqual(config.options.types, ["node"]);
    const localOnly = ["jose", "oidc-provider", "oauth4webapi", "tough-cookie", "mocha", "yaml"];
    assert.deepEqual(
      [...packages].filter((p) => localOnly.some((l) => p.startsWith(l))),
      [],
    );
  });
});
