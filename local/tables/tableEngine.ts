/**
 * The program's DynamoDB tables, served on loopback by dynalite (a DynamoDB-compatible engine on
 * LevelDB, from npm) and kept under the state folder, so that data outlives reloads and restarts.
 * Functions reach it as the AWS SDK is meant to be redirected: `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import type { TableView } from "../console/consoleApi";
import type { LocalTable, LocalTableIndex } from "../interpret/model";
import { keySchemaText } from "../interpret/tables";
import { close, listenOn } from "../server/listening";
import { FAKE_CREDENTIALS } from "../lambda/lambdaRuntime";
import { isRunning } from "../state";

/** A table as the console lists it: the first items, and whether there are more. */
export type TableContents = TableView;

/** How many items of a table the console shows. */
export const SHOWN_ITEMS = 50;

export class TableEngine {
  private constructor(
    private readonly server: Server,
    private readonly client: DynamoDBClient,
    /** `http://127.0.0.1:<port>`: what functions get as `AWS_ENDPOINT_URL_DYNAMODB`. */
    readonly endpoint: string,
    private readonly log: (line: string) => void,
    /** The data folder this engine owns (none when another instance owned it). */
    private readonly owns: string | undefined,
  ) {}

  /**
   * Serves the tables' data from `<stateDir>/dynamodb/<stack>` (emptied first with `reset`, which
   * `npm start -- --reset-data` asks for), on loopback, on a port of the system's choosing.
   */
  static async start(options: {
    stateDir: string;
    stack: string;
    region: string;
    reset: boolean;
    log: (line: string) => void;
  }): Promise<TableEngine> {
    const path = join(options.stateDir, "dynamodb", options.stack);
    const owner = takeData(path, options.reset);
    if (owner !== undefined) {
      options.log(
        `warning: the tables' data of stack ${options.stack} is in use by another npm start (pid ${owner}); this one keeps its tables in memory, empty`,
      );
    }
    // Tables are ACTIVE at once: DynamoDB takes seconds, which a developer need not wait for.
    const server = dynalite({
      ...(owner === undefined ? { path } : {}),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    const port = await listenOn(server, 0, "127.0.0.1", "the tables' engine");
    const endpoint = `http://127.0.0.1:${port}`;
    // The environment's own reads of the engine: the SDK's notice that its 2027 releases need
    // Node 22 says nothing about the program (the SDK's documented switch; functions keep theirs).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const client = new DynamoDBClient({
      endpoint,
      region: options.region,
      credentials: {
        accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      },
    });
    return new TableEngine(
      server,
      client,
      endpoint,
      options.log,
      owner === undefined ? path : undefined,
    );
  }

  /**
   * Creates each declared table that does not exist yet. One whose key schema changed since its
   * data was made is kept as it is, and said: DynamoDB cannot change a table's keys either.
   */
  async ensure(tables: LocalTable[]): Promise<void> {
    for (const table of tables) {
      const existing = await this.client
        .send(new DescribeTableCommand({ TableName: table.name }))
        .catch((err: Error) => {
          if (err.name === "ResourceNotFoundException") return undefined;
          throw err;
        });
      if (existing === undefined) {
        await this.client.send(createTable(table));
      } else if (JSON.stringify(existing.Table?.KeySchema) !== JSON.stringify(table.keySchema)) {
        this.log(
          `warning: table ${table.name} keeps the key schema its data was made with; npm start -- --reset-data starts its data afresh`,
        );
      }
    }
  }

  /** The first items of each table, for the console: read-only. */
  async contents(tables: LocalTable[]): Promise<TableContents[]> {
    return Promise.all(
      tables.map(async (table) => {
        const page = await DynamoDBDocumentClient.from(this.client).send(
          new ScanCommand({ TableName: table.name, Limit: SHOWN_ITEMS }),
        );
        return {
          name: table.name,
          keySchema: keySchemaText(table),
          items: page.Items ?? [],
          more: page.LastEvaluatedKey !== undefined,
        };
      }),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
    await close(this.server);
    if (this.owns !== undefined) {
      rmSync(`${this.owns}.pid`, { force: true });
      OWNED.delete(this.owns);
    }
  }
}

/** An index as CreateTable takes it (the program's projection type, as declared). */
const asIndex = (i: LocalTableIndex) => ({
  ...i,
  Projection: { ProjectionType: i.Projection.ProjectionType as "ALL" | "KEYS_ONLY" | "INCLUDE" },
});

/** The data folders the engines of this process own. */
const OWNED = new Set<string>();

/**
 * Claims the data folder for this process (`<folder>.pid`), emptying it first with `reset`. One
 * LevelDB store has one owner: a second engine on it never opens it (dynalite then fails every
 * request). Returns the pid of another running instance that owns it, if one does.
 */
function takeData(path: string, reset: boolean): number | undefined {
  const pidFile = `${path}.pid`;
  const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, "utf8") : NaN);
  // Another instance in this process (tests start several) owns it too.
  if (pid === process.pid && OWNED.has(path)) return pid;
  if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) return pid;
  OWNED.add(path);
  if (reset) rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  return undefined;
}

function createTable(table: LocalTable): CreateTableCommand {
  return new CreateTableCommand({
    TableName: table.name,
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributes.map((a) => ({
      AttributeName: a.AttributeName,
      AttributeType: a.AttributeType as "S" | "N" | "B",
    })),
    BillingMode: "PAY_PER_REQUEST",
    ...(table.globalSecondaryIndexes.length > 0
      ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(asIndex) }
      : {}),
    ...(table.localSecondaryIndexes.length > 0
      ? { LocalSecondaryIndexes: table.localSecondaryIndexes.map(asIndex) }
      : {}),
  });
}
