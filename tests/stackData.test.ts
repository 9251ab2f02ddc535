import * as assert from "node:assert/strict";
import { archiveFiles, one, ofType, type Evaluated } from "./support/program";
import { ACCOUNT, stackFacts, type StackName } from "./support/stacks";

/** The items routes, each with exactly the one action its handler uses on the table. */
const ITEMS_ROUTES = [
  { slug: "get-items", action: "dynamodb:Query" },
  { slug: "post-items", action: "dynamodb:PutItem" },
  { slug: "delete-items-id", action: "dynamodb:DeleteItem" },
];

for (const stack of ["dev", "prod"] as const satisfies StackName[]) {
  describe(`the items table and its routes, stack ${stack}`, function () {
    let program: Evaluated;
    let name: string;
    const protectedData = stack === "prod";
    before(async () => ({ program, name } = await stackFacts(stack)));

    it(`is on-demand and encrypted, ${protectedData ? "with" : "without"} point-in-time recovery, deletion protection, protect and retain (protectData)`, () => {
      const table = one(program, "aws:dynamodb/table:Table", "items");
      assert.deepEqual(table.inputs, {
        name: `${name}-items`,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "owner",
        rangeKey: "id",
        attributes: [
          { name: "owner", type: "S" },
          { name: "id", type: "S" },
        ],
        serverSideEncryption: { enabled: true },
        pointInTimeRecovery: { enabled: protectedData },
        deletionProtectionEnabled: protectedData,
      });
      assert.deepEqual(
        [table.recorded.protect, table.recorded.retainOnDelete],
        [protectedData, protectedData],
      );
    });

    for (const { slug, action } of ITEMS_ROUTES) {
      it(`gives ${slug} the table's name and ${action} on the table's ARN, nothing more, in place before it runs`, () => {
        const fn = one(program, "aws:lambda/function:Function", `${slug}-fn`);
        assert.deepEqual(fn.inputs.environment, { variables: { ITEMS_TABLE: `${name}-items` } });
        const grants = one(program, "aws:iam/rolePolicy:RolePolicy", `${slug}-grants`);
        assert.equal(grants.inputs.role, `${name}-${slug}`);
        assert.deepEqual(JSON.parse(String(grants.inputs.policy)), {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: action,
              Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}-items`,
            },
          ],
        });
        assert.equal(fn.recorded.dependencies.includes(grants.recorded.urn), true);
      });
    }

    it("ships no AWS SDK in any archive: each handler requires the runtime's", () => {
      for (const fn of ofType(program, "aws:lambda/function:Function")) {
        const files = archiveFiles(fn);
        assert.deepEqual(Object.keys(files), ["__index.js"], fn.name);
        const requires = files["__index.js"]!.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? [];
        assert.deepEqual(
          requires.length > 0,
          fn.name.includes("items"),
          `${fn.name} requires ${requires.join(", ") || "no SDK"}`,
        );
      }
    });
  });
}
