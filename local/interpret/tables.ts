/** The DynamoDB tables the program declares, as the local engine creates them. */
import { TYPES } from "../../facts/resourceTypes";
import type { EvaluatedProgram, LocalTable } from "./model";

type KeyElement = { AttributeName: string; KeyType: "HASH" | "RANGE" };
type Index = { name: string; hashKey: string; rangeKey?: string; projectionType?: string };

/** Each `aws.dynamodb.Table`: its name, key schema, attributes and secondary indexes. */
export function interpretTables(evaluation: EvaluatedProgram): LocalTable[] {
  return evaluation.resources
    .filter((r) => r.type === TYPES.table)
    .map((r) => {
      const inputs = r.inputs as {
        hashKey?: string;
        rangeKey?: string;
        attributes?: { name: string; type: string }[];
        globalSecondaryIndexes?: Index[];
        localSecondaryIndexes?: Index[];
      };
      const keys = (hashKey: string | undefined, rangeKey?: string): KeyElement[] => [
        ...(hashKey !== undefined ? [{ AttributeName: hashKey, KeyType: "HASH" as const }] : []),
        ...(rangeKey !== undefined ? [{ AttributeName: rangeKey, KeyType: "RANGE" as const }] : []),
      ];
      const index = (i: Index) => ({
        IndexName: i.name,
        KeySchema: keys(i.hashKey, i.rangeKey),
        Projection: { ProjectionType: i.projectionType ?? "ALL" },
      });
      return {
        name: String(r.state.name),
        keySchema: keys(inputs.hashKey, inputs.rangeKey),
        attributes: (inputs.attributes ?? []).map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type,
        })),
        globalSecondaryIndexes: (inputs.globalSecondaryIndexes ?? []).map(index),
        localSecondaryIndexes: (inputs.localSecondaryIndexes ?? []).map(index),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A table's key schema as people read it: `owner (HASH), id (RANGE)`. */
export function keySchemaText(table: LocalTable): string {
  return table.keySchema.map((k) => `${k.AttributeName} (${k.KeyType})`).join(", ");
}
