/**
 * The CI deployer's AWS role, built from the permission table (`permissions.ts`): the policy that
 * lets it deploy exactly the resource types the program creates, scoped to the stack's own names
 * where the service allows, a read-only one for pull requests' previews, and the trust policies
 * that let GitHub Actions assume them by OIDC from this repository only.
 */
import { AWS_PERMISSIONS, type AwsRow, type Scope } from "./permissions";

export interface DeployerContext {
  account: string;
  region: string;
  /** The Pulumi project's name: every physical name starts with it (infra/names.ts). */
  project: string;
  /** Route 53 hosted zones a stack writes a custom domain's records to. */
  hostedZoneIds: string[];
  /** `owner/name` on GitHub. */
  repository: string;
  /** The GitHub environments the deploy jobs run in (docs/deploy.md, the workflows). */
  environments: string[];
}

export interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The ARNs a scope covers for this account, region and project. */
export function resourcesOf(scope: Scope, ctx: DeployerContext): string[] {
  const { account, region, project } = ctx;
  const apigateway = (path: string) => [
    `arn:aws:apigateway:${region}::/${path}`,
    `arn:aws:apigateway:${region}::/${path}/*`,
    `arn:aws:apigateway:${region}::/tags/*`,
  ];
  switch (scope) {
    case "apis":
      return apigateway("apis");
    case "domainNames":
      return apigateway("domainnames");
    case "functions":
      return [`arn:aws:lambda:${region}:${account}:function:${project}-*`];
    case "roles":
      return [`arn:aws:iam::${account}:role/${project}-*`];
    case "logGroups":
      return [
        `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${project}-*`,
        `arn:aws:logs:${region}:${account}:log-group:/aws/vendedlogs/apis/${project}-*`,
      ];
    case "alarms":
      return [`arn:aws:cloudwatch:${region}:${account}:alarm:${project}-*`];
    case "dashboards":
      return [`arn:aws:cloudwatch::${account}:dashboard/${project}-*`];
    case "tables":
      return [`arn:aws:dynamodb:${region}:${account}:table/${project}-*`];
    case "topics":
      return [`arn:aws:sns:${region}:${account}:${project}-*`];
    case "certificates":
      return [`arn:aws:acm:${region}:${account}:certificate/*`];
    case "zone":
      return [
        ...ctx.hostedZoneIds.map((zone) => `arn:aws:route53:::hostedzone/${zone}`),
        "arn:aws:route53:::change/*",
      ];
    case "apiGatewayServiceRole":
      return [
        `arn:aws:iam::${account}:role/aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway`,
      ];
    case "any":
      return ["*"];
  }
}

/** Conditions that narrow a scope further: a role passed to Lambda only, one service's role. */
function conditionOf(scope: Scope, actions: string[]): Statement["Condition"] {
  if (scope === "apiGatewayServiceRole") {
    return { StringEquals: { "iam:AWSServiceName": "ops.apigateway.amazonaws.com" } };
  }
  if (scope === "roles" && actions.includes("iam:PassRole")) {
    return { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } };
  }
  return undefined;
}

/** A read: what a preview (and a refresh) calls, never a change. */
export function isRead(action: string): boolean {
  return /^[a-z0-9]+:(Get|Describe|List)/.test(action) || action === "apigateway:GET";
}

/** The rows of every type given (default: every type the table knows). */
function rowsOf(types: string[]): AwsRow[] {
  return types.flatMap((type) => AWS_PERMISSIONS[type] ?? []);
}

function policy(ctx: DeployerContext, rows: AwsRow[], keep: (action: string) => boolean) {
  // One statement per scope and condition: a passed role is a statement of its own.
  const groups = new Map<string, { scope: Scope; actions: Set<string> }>();
  for (const row of rows) {
    for (const action of row.actions.filter(keep)) {
      const key = `${row.scope}|${action === "iam:PassRole" ? "pass" : ""}`;
      if (!groups.has(key)) groups.set(key, { scope: row.scope, actions: new Set() });
      groups.get(key)!.actions.add(action);
    }
  }
  const statements = [...groups.entries()]
    .filter(([, g]) => g.scope !== "zone" || ctx.hostedZoneIds.length > 0)
    .map(([key, g]): Statement => {
      const actions = [...g.actions].sort();
      const condition = conditionOf(g.scope, actions);
      return {
        Sid: key
          .replace(/\|pass$/, "PassRole")
          .replace(/\|$/, "")
          .replace(/^./, (c) => c.toUpperCase()),
        Effect: "Allow",
        Action: actions,
        Resource: resourcesOf(g.scope, ctx),
        ...(condition !== undefined ? { Condition: condition } : {}),
      };
    });
  return {
    Version: "2012-10-17" as const,
    Statement: statements.sort((a, b) => a.Sid.localeCompare(b.Sid)),
  };
}

/** What `pulumi up` and `pulumi destroy` need for these types (default: all the table has). */
export function deployPolicy(
  ctx: DeployerContext,
  types: string[] = Object.keys(AWS_PERMISSIONS),
): PolicyDocument {
  return policy(ctx, rowsOf(types), () => true);
}

/** What `pulumi preview` (and `--refresh`) needs: the reads alone. */
export function previewPolicy(
  ctx: DeployerContext,
  types: string[] = Object.keys(AWS_PERMISSIONS),
): PolicyDocument {
  return policy(ctx, rowsOf(types), isRead);
}

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/**
 * Who may assume the role: GitHub Actions jobs of this repository alone, by OIDC, the deploy role
 * from its environments (a job with `environment:` has the subject `repo:<o>/<r>:environment:<e>`),
 * the preview role from pull requests.
 */
export function githubTrustPolicy(ctx: DeployerContext, kind: "deploy" | "preview") {
  const subjects =
    kind === "deploy"
      ? ctx.environments.map((e) => `repo:${ctx.repository}:environment:${e}`)
      : [`repo:${ctx.repository}:pull_request`];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ctx.account}:oidc-provider/${GITHUB_OIDC}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com",
            [`${GITHUB_OIDC}:sub`]: subjects,
          },
        },
      },
    ],
  };
}
