import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PROJECT_KEYS, validateConfig } from "../infra/validateConfig";
import {
  applyProjectConfig,
  configDeclarations,
  matchesDeclaredType,
  renderConfigValue,
  type ConfigDeclaration,
} from "../local/evaluate/projectConfig";
import { PROJECT_DIR } from "./support/program";
import { PROJECT, withProjectDefaults } from "./support/stacks";

/** `Pulumi.yaml` as the CLI reads it. */
const projectDoc = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
  name: string;
  config: Record<string, unknown>;
  template: {
    description: string;
    config: Record<string, { description?: string; default?: unknown }>;
  };
};
const allDeclarations = configDeclarations(projectDoc.name, projectDoc.config);
/** The project's own keys, typed; provider keys (`aws:region`) are values, not declarations. */
const declarations = Object.fromEntries(
  Object.entries(allDeclarations).filter(([key]) => !key.includes(":")),
);
const DOMAIN = { "auth0:domain": "dev-abc123.us.auth0.com" };

/** The README's configuration tables: key → the default cell, for every backticked key. */
function readmeConfigRows(): Map<string, string> {
  const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## Configuration\n"),
    readme.indexOf("\n## ", readme.indexOf("## Configuration\n") + 1),
  );
  const rows = new Map<string, string>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4 || !cells[1]!.startsWith("`")) continue;
    for (const key of cells[1]!.matchAll(/`([^`]+)`/g)) rows.set(key[1]!, cells[2]!);
  }
  return rows;
}

/** How the README writes a default: the value as the program receives it, or **required**. */
function readmeDefault(value: unknown): string {
  if (value === undefined) return "**required**";
  const rendered = renderConfigValue(value);
  return rendered === "" ? '`""`' : `\`${rendered}\``;
}

describe("Pulumi.yaml", () => {
  it("declares exactly the project keys the program reads", () => {
    assert.deepEqual(Object.keys(declarations).sort(), [...PROJECT_KEYS].sort());
  });

  it("leaves no typed key without a default unless it says it is required", () => {
    // The CLI stops a stack that leaves such a key unset ("missing configuration value").
    const undocumented = Object.entries(declarations)
      .filter(([, d]) => d.default === undefined && !/^Required\b/.test(d.description ?? ""))
      .map(([key]) => key);
    assert.deepEqual(undocumented, []);
  });

  it("has defaults of their declared types, as the CLI checks when it loads the project", () => {
    for (const [key, d] of Object.entries(declarations)) {
      assert.ok(matchesDeclaredType(d.type!, d.items, d.default), `${key}: ${String(d.default)}`);
    }
  });

  it("gives the program, through the CLI, every key it reads, each valid", () => {
    // What `pulumi up` on a stack file that sets only the domain hands the program.
    const viaCli = applyProjectConfig({
      project: PROJECT,
      stack: "staging",
      declarations,
      stackConfig: DOMAIN,
    });
    assert.equal(Object.keys(viaCli).length, PROJECT_KEYS.length + 1);
    const config = validateConfig({ project: PROJECT, stack: "staging", values: viaCli });
    assert.equal(config.apiIdentifier, "https://api-auth-jwt-auth0/staging");
    assert.deepEqual(config.callbackUrls, ["http://localhost:5678"]);
  });

  /** Values the program's validator accepts; the CLI's type check must let each one through. */
  const ACCEPTED: Record<(typeof PROJECT_KEYS)[number], unknown[]> = {
    callbackUrls: [["https://app.example.com/callback", "http://localhost:5678"]],
    logoutUrls: [[], ["https://app.example.com/"]],
    webOrigins: [["https://app.example.com"]],
    corsAllowOrigins: [["http://localhost:5173"]],
    apiIdentifier: ["https://api.example.com", "urn:my-api", ""],
    apiScopes: [["read:messages", "write:messages"]],
    throttlingRateLimit: ["0.5", "2.5", "100", "10000"],
    throttlingBurstLimit: ["1", "5000"],
    logRetentionDays: ["7", "3653"],
    lambdaMemoryMb: ["128", "10240"],
    lambdaTimeoutSeconds: ["1", "29"],
    signUp: ["true", "false"],
    protectData: ["true", "false"],
    smokeClient: ["true", "false"],
    testUser: ["true", "false"],
    testUserEmail: ["test-user@example.com", "dev+1@app.example.com"],
    customDomain: [""],
    hostedZoneId: [""],
    certificateArn: [""],
    disableExecuteApiEndpoint: ["false"],
    monitoring: ["true", "false"],
    alarmEmail: ["", "oncall@example.com"],
    alarm5xxRatePercent: ["1", "100"],
    alarm4xxRatePercent: ["1", "100"],
    alarmLatencyP99Ms: ["100", "30000"],
  };

  for (const key of PROJECT_KEYS) {
    it(`types ${key} so that every value the program accepts passes the CLI's type check`, () => {
      const d = declarations[key]!;
      for (const value of ACCEPTED[key]) {
        const raw = renderConfigValue(value);
        const full = `${PROJECT}:${key}`;
        assert.doesNotThrow(
          () =>
            validateConfig({
              project: PROJECT,
              stack: "dev",
              values: withProjectDefaults(PROJECT, { ...DOMAIN, [full]: raw }),
            }),
          `the program refuses ${raw}`,
        );
        const content = Array.isArray(value) ? value : raw;
        assert.ok(matchesDeclaredType(d.type!, d.items, content), `the CLI refuses ${key}: ${raw}`);
      }
    });
  }

  it("refuses a stack file that leaves a required key unset, in the CLI's words", () => {
    const required: Record<string, ConfigDeclaration> = { apiIdentifier: { type: "string" } };
    assert.throws(
      () =>
        applyProjectConfig({
          project: PROJECT,
          stack: "staging",
          declarations: required,
          stackConfig: DOMAIN,
        }),
      { message: "Stack 'staging' is missing configuration value 'apiIdentifier'" },
    );
  });

  it("refuses a fractional rate under an integer type, in the CLI's words", () => {
    const integer: Record<string, ConfigDeclaration> = {
      throttlingRateLimit: { type: "integer", default: 50 },
    };
    assert.throws(
      () =>
        applyProjectConfig({
          project: PROJECT,
          stack: "dev",
          declarations: integer,
          stackConfig: { [`${PROJECT}:throttlingRateLimit`]: "2.5" },
        }),
      {
        message:
          "Stack 'dev' with configuration key 'throttlingRateLimit' must be of type 'integer'",
      },
    );
  });

  describe("and the README", () => {
    const rows = readmeConfigRows();

    for (const [key, d] of Object.entries(declarations)) {
      it(`documents ${key} with its Pulumi.yaml default`, () => {
        assert.equal(rows.get(key), readmeDefault(d.default));
      });
    }

    it("documents no project key that Pulumi.yaml does not declare", () => {
      const documented = [...rows.keys()].filter((k) => !k.includes(":"));
      assert.deepEqual(documented.sort(), Object.keys(declarations).sort());
    });
  });

  it("gives every stack the AWS region us-east-1 unless its own file says otherwise", () => {
    assert.deepEqual(allDeclarations["aws:region"], { value: "us-east-1" });
    const staging = applyProjectConfig({
      project: PROJECT,
      stack: "staging",
      declarations: allDeclarations,
      stackConfig: DOMAIN,
    });
    assert.equal(staging["aws:region"], "us-east-1");
    const elsewhere = applyProjectConfig({
      project: PROJECT,
      stack: "eu",
      declarations: allDeclarations,
      stackConfig: { ...DOMAIN, "aws:region": "eu-west-1" },
    });
    assert.equal(elsewhere["aws:region"], "eu-west-1");
  });

  describe("template section (pulumi new)", () => {
    it("asks for the Auth0 domain and the AWS region, with descriptions", () => {
      assert.deepEqual(Object.keys(projectDoc.template.config).sort(), [
        "auth0:domain",
        "aws:region",
      ]);
      for (const [key, entry] of Object.entries(projectDoc.template.config)) {
        assert.ok((entry.description ?? "").length > 20, `${key} has no useful description`);
      }
    });

    it("offers the defaults the README's configuration table gives", () => {
      const rows = readmeConfigRows();
      for (const [key, entry] of Object.entries(projectDoc.template.config)) {
        assert.equal(rows.get(key), readmeDefault(entry.default), key);
      }
    });
  });
});
