import * as assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import type { LocalTable, LocalModel } from "../../local/interpret/model";
import { LocalTables, withTables } from "../../local/tables/localTables";
import { TEST_STATE_DIR } from "../support/program";

const TABLE: LocalTable = {
  name: "t-items",
  keySchema: [
    { AttributeName: "owner", KeyType: "HASH" },
    { AttributeName: "id", KeyType: "RANGE" },
  ],
  attributes: [
    { AttributeName: "owner", AttributeType: "S" },
    { AttributeName: "id", AttributeType: "S" },
  ],
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
};

const names = async (endpoint: string) => {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
  });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames;
  } finally {
    client.destroy();
  }
};

describe("the tables' engine of the local environment", function () {
  const stateDir = join(TEST_STATE_DIR, `local-tables-${process.pid}`);
  const lines: string[] = [];
  const settings = {
    stateDir,
    stack: "dev",
    region: "us-east-1",
    reset: false,
    log: (l: string) => lines.push(l),
  };
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("starts only once the program declares a table (a reload that adds one), and ends with close", async () => {
    const tables = new LocalTables(settings);
    await tables.serve([]);
    assert.equal(tables.endpoint, undefined);
    assert.equal(existsSync(join(stateDir, "dynamodb")), false);
    await tables.serve([TABLE]);
    const endpoint = tables.endpoint!;
    assert.deepEqual(await names(endpoint), ["t-items"]);
    await tables.close();
    await assert.rejects(names(endpoint), /ECONNREFUSED/);
    // A reload that ends after the stop began starts nothing again.
    await tables.serve([TABLE]);
    assert.equal(existsSync(`${join(stateDir, "dynamodb", "dev")}.pid`), false);
  });

  it("keeps a second instance's tables in memory while the first owns the data, and says so", async () => {
    const first = new LocalTables(settings);
    const second = new LocalTables(settings);
    try {
      await first.serve([TABLE]);
      await second.serve([TABLE]);
      assert.notEqual(second.endpoint, first.endpoint);
      assert.deepEqual(await names(second.endpoint!), ["t-items"]);
      assert.deepEqual(
        lines.filter((l) => l.includes("in use by another npm start")),
        [
          `warning: the tables' data of stack dev is in use by another npm start (pid ${process.pid}); this one keeps its tables in memory, empty`,
        ],
      );
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("gives every function the engine's endpoint, unless the function sets its own", () => {
    const model = {
      functions: {
        a: { name: "a", environment: {} },
        b: { name: "b", environment: { AWS_ENDPOINT_URL_DYNAMODB: "http://elsewhere" } },
      },
    } as unknown as LocalModel;
    const served = withTables(model, "http://127.0.0.1:9");
    assert.deepEqual(
      Object.values(served.functions).map((f) => f.environment.AWS_ENDPOINT_URL_DYNAMODB),
      ["http://127.0.0.1:9", "http://elsewhere"],
    );
    assert.equal(withTables(model, undefined), model);
  });
});
