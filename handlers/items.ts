import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { newItemId, pageCursor, readCursor, readNewItem, type Item } from "./itemsInput";

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

/** The table's name, from the function's environment (`ITEMS_TABLE`). */
const table = () => process.env.ITEMS_TABLE!;
/** At most this many items a page. */
export const PAGE_SIZE = 100;

// One client per execution environment, made on first use: the SDK the runtime provides
// (`nodejs22.x` ships AWS SDK v3), never bundled into the archive.
let documents: DynamoDBDocumentClient | undefined;
/** The table's client: made inside a handler, never at module level (see docs/routes.md). */
export const db = () => (documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({})));

const json = (statusCode: number, body: unknown): Result => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The caller: the `sub` the JWT authorizer verified. Each user only ever reaches their own. */
const ownerOf = (event: Event) => String(event.requestContext.authorizer.jwt.claims.sub);

/** `GET /items`: the caller's items, newest first, a page at a time (`?cursor=`). */
export async function list(event: Event): Promise<Result> {
  const owner = ownerOf(event);
  const cursor = readCursor(event.queryStringParameters?.cursor, owner);
  if (cursor === "invalid") return json(400, { message: "cursor: not one this API gave you" });
  // One more than a page: whether a next page exists, so the last page carries no `next`.
  const page = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "#owner = :owner",
      ExpressionAttributeNames: { "#owner": "owner" },
      ExpressionAttributeValues: { ":owner": owner },
      ScanIndexForward: false,
      Limit: PAGE_SIZE + 1,
      ...(cursor !== undefined ? { ExclusiveStartKey: { owner, id: cursor } } : {}),
    }),
  );
  const rows = (page.Items ?? []) as (Item & { owner: string })[];
  const items = rows
    .slice(0, PAGE_SIZE)
    .map(({ id, text, createdAt }) => ({ id, text, createdAt }));
  const more = rows.length > PAGE_SIZE;
  return json(200, { items, ...(more ? { next: pageCursor(items.at(-1)!.id, owner) } : {}) });
}

/** `POST /items` (scope `write:items`): `{"text": "..."}` → 201 and the item. */
export async function create(event: Event): Promise<Result> {
  const input = readNewItem(event.body, event.isBase64Encoded);
  if ("message" in input) return json(400, input);
  const createdAt = new Date();
  const item: Item = {
    id: newItemId(createdAt),
    text: input.text,
    createdAt: createdAt.toISOString(),
  };
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: { owner: ownerOf(event), ...item },
      ConditionExpression: "attribute_not_exists(id)",
    }),
  );
  return json(201, item);
}

/** `DELETE /items/{id}` (scope `write:items`): only the caller's own; 404 for any other. */
export async function remove(event: Event): Promise<Result> {
  const id = event.pathParameters?.id ?? "";
  try {
    await db().send(
      new DeleteCommand({
        TableName: table(),
        Key: { owner: ownerOf(event), id },
        ConditionExpression: "attribute_exists(id)",
      }),
    );
  } catch (err) {
    if ((err as Error).name === "ConditionalCheckFailedException") {
      return json(404, { message: "Not Found" });
    }
    throw err;
  }
  return { statusCode: 204 };
}
