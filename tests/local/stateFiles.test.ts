import * as assert from "node:assert/strict";
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createIssuerSecrets, loadOrCreateIssuerSecrets } from "../../local/issuer/signingKeys";
import { writePrivateFile } from "../../local/state";
import { TEST_STATE_DIR } from "../support/program";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("the local environment's secret files", () => {
  const dir = join(TEST_STATE_DIR, `test-state-files-${process.pid}`);
  beforeEach(() => mkdirSync(dir, { recursive: true }));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("rewrites a file that had a wider mode as 0600", () => {
    const file = join(dir, "environment.json");
    writeFileSync(file, "{}");
    chmodSync(file, 0o644);
    writePrivateFile(file, '{"clientSecret":"x"}');
    assert.equal(modeOf(file), 0o600);
  });

  it("tightens a valid key file to 0600 when it loads it", async () => {
    const file = join(dir, "issuer-keys.json");
    writeFileSync(file, JSON.stringify(await createIssuerSecrets()));
    chmodSync(file, 0o644);
    await loadOrCreateIssuerSecrets(file);
    assert.equal(modeOf(file), 0o600);
  });

  it("names a corrupted key file without quoting any of it", async () => {
    const file = join(dir, "issuer-keys.json");
    const secrets = await createIssuerSecrets();
    // Cut short in the middle of the private exponent.
    writeFileSync(file, JSON.stringify(secrets).slice(0, 400));
    await assert.rejects(loadOrCreateIssuerSecrets(file), (err: Error) => {
      assert.equal(
        err.message,
        `cannot read the local issuer's keys in ${file}: it is not valid JSON; delete the file to start afresh`,
      );
      return true;
    });
  });
});
