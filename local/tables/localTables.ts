/**
 * The tables side of the local environment: the engine, started the first time the program
 * declares a table and closed with the environment, and the endpoint every function is given.
 */
import type { LocalModel, LocalTable } from "../interpret/model";
import { MASKED, isJwt } from "../console/masking";
import { TableEngine, type TableContents } from "./tableEngine";

export interface LocalTablesSettings {
  stateDir: string;
  stack: string;
  region: string;
  /** `--reset-data`: the tables' data starts empty. */
  reset: boolean;
  log: (line: string) => void;
}

export class LocalTables {
  private engine: Promise<TableEngine> | undefined;
  private closed = false;
  /** Known once the engine serves: what `withTables` gives functions. */
  endpoint: string | undefined;

  constructor(private readonly settings: LocalTablesSettings) {}

  /** Serves every table `tables` declares (the engine starts with the first). */
  async serve(tables: LocalTable[]): Promise<void> {
    // Nothing starts after the environment began to stop (a reload that ends late).
    if (this.closed || (tables.length === 0 && this.engine === undefined)) return;
    this.engine ??= TableEngine.start(this.settings).catch((err: Error) => {
      this.engine = undefined;
      throw new Error(`the tables' engine did not start: ${err.message}`);
    });
    const engine = await this.engine;
    await engine.ensure(tables);
    this.endpoint = engine.endpoint;
  }

  /** What the console lists: each table's first items, any token in them masked. */
  async contents(tables: LocalTable[]): Promise<TableContents[]> {
    if (this.engine === undefined) return [];
    const listed = await (await this.engine).contents(tables);
    return listed.map((t) => ({ ...t, items: t.items.map((i) => masked(i) as typeof i) }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const engine = this.engine;
    this.engine = undefined;
    await (await engine?.catch(() => undefined))?.close();
  }
}

/**
 * Every function reaches the local engine for DynamoDB, as the AWS SDK for JavaScript v3 reads
 * it (`AWS_ENDPOINT_URL_DYNAMODB`, the service-specific endpoint variable), unless it sets its own.
 */
export function withTables(model: LocalModel, endpoint: string | undefined): LocalModel {
  if (endpoint === undefined) return model;
  const functions = Object.fromEntries(
    Object.entries(model.functions).map(([name, fn]) => [
      name,
      { ...fn, environment: { AWS_ENDPOINT_URL_DYNAMODB: endpoint, ...fn.environment } },
    ]),
  );
  return { ...model, functions };
}

function masked(value: unknown): unknown {
  if (typeof value === "string") return isJwt(value) ? MASKED : value;
  if (Array.isArray(value)) return value.map(masked);
  if (value instanceof Set) return [...value].map(masked);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  }
  return typeof value === "bigint" ? String(value) : value;
}

export type { TableContents };
