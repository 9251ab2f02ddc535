import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AUTH0_SCOPES, NO_PERMISSIONS } from "../deploy/auth0Scopes";
import { typesWithoutPermissions } from "../deploy/coverage";
import { AWS_PERMISSIONS } from "../deploy/permissions";
import {
  deployPolicy,
  githubTrustPolicy,
  isRead,
  previewPolicy,
  type DeployerContext,
} from "../deploy/policies";
import { TYPES } from "../facts/resourceTypes";
import { readStackSettings } from "../local/evaluate/stackFiles";
import { evaluateStack, expectOk, PROJECT_DIR } from "./support/program";
import { FILLED_IN_PROD, PROJECT } from "./support/stacks";

const CTX: DeployerContext = {
  account: "123456789012",
  region: "us-east-1",
  project: PROJECT,
  hostedZoneIds: ["Z0123456789ABCDEFGHIJ"],
  repository: "acme/api",
  environments: ["dev", "prod"],
};

const actionsOf = (policy: { Statement: { Action: string[] }[] }) =>
  new Set(policy.Statement.flatMap((s) => s.Action));

describe("the deployer's permissions (deploy/)", function () {
  let created: string[];
  before(async () => {
    const prod = { ...readStackSettings(PROJECT_DIR, "prod").config, ...FILLED_IN_PROD };
    const domain = { [`${PROJECT}:customDomain`]: "api.acme.io" };
    const programs = [
      await evaluateStack("dev"),
      await evaluateStack("prod"),
      await evaluateStack("prod", {
        config: { ...prod, ...domain, [`${PROJECT}:hostedZoneId`]: "Z0123456789ABCDEFGHIJ" },
      }),
    ].map(expectOk);
    created = [
      ...new Set(programs.flatMap((p) => p.resources.filter((r) => r.custom).map((r) => r.type))),
    ].sort();
  });

  it("has a row for every resource type of the dev, prod and custom-domain graphs", () => {
    assert.deepEqual(typesWithoutPermissions(created), []);
    // And no row for a type the program no longer creates.
    const rows = [AWS_PERMISSIONS, AUTH0_SCOPES, NO_PERMISSIONS].flatMap(Object.keys);
    assert.deepEqual(
      rows.filter((t) => !created.includes(t) && t !== TYPES.connectionClient),
      [],
    );
  });

  it("grants exactly the table's actions for the AWS types the program creates, none a wildcard", () => {
    const policy = deployPolicy(CTX, created);
    const table = new Set(
      created.flatMap((t) => (AWS_PERMISSIONS[t] ?? []).flatMap((row) => row.actions)),
    );
    assert.deepEqual([...actionsOf(policy)].sort(), [...table].sort());
    assert.deepEqual(
      [...actionsOf(policy)].filter((a) => a.includes("*")),
      [],
    );
  });

  it("scopes every grant to the stack's names, but the actions AWS lets take no resource", () => {
    const policy = deployPolicy(CTX, created);
    const anywhere = policy.Statement.filter((s) => s.Resource.includes("*"));
    assert.deepEqual(
      anywhere.flatMap((s) => s.Action),
      [
        "acm:RequestCertificate",
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:DescribeLogGroups",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
      ],
    );
    const passRole = policy.Statement.find((s) => s.Action.includes("iam:PassRole"))!;
    assert.deepEqual(passRole, {
      Sid: "RolesPassRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [`arn:aws:iam::123456789012:role/${PROJECT}-*`],
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    });
  });

  it("names a type the program would create without a row (a queue added to the program)", () => {
    assert.deepEqual(typesWithoutPermissions([...created, "aws:sqs/queue:Queue"]), [
      "aws:sqs/queue:Queue",
    ]);
  });

  it("gives pull requests' previews the reads alone", () => {
    const reads = [...actionsOf(previewPolicy(CTX, created))];
    assert.deepEqual(
      reads.filter((a) => !isRead(a)),
      [],
    );
    assert.equal(reads.includes("lambda:GetFunction"), true);
    assert.equal(reads.includes("lambda:CreateFunction"), false);
  });

  it("lets only this repository's deploy environments, or its pull requests, assume the roles", () => {
    const condition = (kind: "deploy" | "preview") =>
      githubTrustPolicy(CTX, kind).Statement[0]!.Condition.StringEquals;
    assert.deepEqual(condition("deploy"), {
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": [
        "repo:acme/api:environment:dev",
        "repo:acme/api:environment:prod",
      ],
    });
    assert.deepEqual(condition("preview")["token.actions.githubusercontent.com:sub"], [
      "repo:acme/api:pull_request",
    ]);
  });

  it("lists in docs/deploy.md exactly the Auth0 scopes the table needs", () => {
    const doc = readFileSync(join(PROJECT_DIR, "docs/deploy.md"), "utf8");
    const listed = /<!-- auth0-scopes -->([\s\S]*?)<!-- \/auth0-scopes -->/.exec(doc)![1]!;
    const named = [...listed.matchAll(/`([a-z_]+:[a-z_]+)`/g)].map((m) => m[1]!);
    assert.deepEqual(named.sort(), [...new Set(Object.values(AUTH0_SCOPES).flat())].sort());
  });
});
