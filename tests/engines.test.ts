import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { intersects, minVersion, satisfies } from "semver";
import { TYPES } from "../facts/resourceTypes";
import { evaluateStack, expectOk, ofType, PROJECT_DIR } from "./support/program";

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    engines?: { node?: string };
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
const ours = manifest(PROJECT_DIR).engines!.node!;

describe("supported Node.js versions (package.json engines)", () => {
  it("admits Node 20 from 20.19 (require() of ES modules) and Node 22 from 22.12", () => {
    for (const version of ["20.19.0", "20.20.2", "22.12.0", "24.0.0"])
      assert.ok(satisfies(version, ours), version);
    for (const version of ["20.18.3", "21.7.0", "22.11.0"])
      assert.ok(!satisfies(version, ours), version);
  });

  it("admits the Node major the functions run on in Lambda", async () => {
    const functions = ofType(expectOk(await evaluateStack("dev")), TYPES.function);
    assert.deepEqual([...new Set(functions.map((f) => f.inputs.runtime))], ["nodejs22.x"]);
    assert.ok(intersects(ours, "22.x"));
  });

  it("admits the Node this machine runs, the one every test here runs on", () => {
    assert.ok(satisfies(process.versions.node, ours), process.versions.node);
  });

  it("asks for no Node that a direct dependency refuses", () => {
    const { dependencies = {}, devDependencies = {} } = manifest(PROJECT_DIR);
    const refused = Object.keys({ ...dependencies, ...devDependencies }).filter((name) => {
      const theirs = manifest(join(PROJECT_DIR, "node_modules", name)).engines?.node;
      // Each supported line's lowest version must satisfy the dependency's own range.
      return (
        theirs !== undefined &&
        ["20.19.0", "22.12.0"].some((v) => !satisfies(v, theirs, { includePrerelease: true }))
      );
    });
    assert.deepEqual(refused, []);
    assert.equal(minVersion(ours)?.version, "20.19.0");
  });
});
