import * as dynamodb from "@pulumi/aws/dynamodb";
import * as pulumi from "@pulumi/pulumi";
import type { Grant } from "./routes";

export interface ItemsTableArgs {
  /** Physical table name. */
  name: string;
  /**
   * The stack's data rule (`protectData`, the one the Auth0 user store follows): deletion
   * protection, point-in-time recovery, and protected from `pulumi destroy` and kept if Pulumi
   * ever deletes it.
   */
  protect: boolean;
}

/**
 * The stack's per-user items: a DynamoDB table keyed by the owner (a token's `sub`) and an item
 * ID that sorts by creation time, billed per request and encrypted with AWS's key for DynamoDB.
 */
export class ItemsTable extends pulumi.ComponentResource {
  readonly table: dynamodb.Table;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ItemsTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:data:ItemsTable", name, {}, opts);
    this.table = new dynamodb.Table(
      name,
      {
        name: args.name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "owner",
        rangeKey: "id",
        attributes: [
          { name: "owner", type: "S" },
          { name: "id", type: "S" },
        ],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: args.protect },
        deletionProtectionEnabled: args.protect,
      },
      { parent: this, protect: args.protect, retainOnDelete: args.protect },
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /** A route's permission to do `actions` on this table, and on nothing else. */
  allows(...actions: string[]): Grant {
    return { actions, resources: [this.arn] };
  }
}
