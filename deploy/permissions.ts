/**
 * What the deployer must be allowed, per resource type the program creates (facts/resourceTypes.ts,
 * one list): the AWS actions the provider calls to create, read, update and delete it, and the
 * Auth0 Management API scopes. `deploy/policies.ts` builds the CI role's policies from this table,
 * and tests/deployerPolicy.test.ts holds it to every type of the dev, prod and custom-domain graphs.
 *
 * Sources: AWS's Service Authorization Reference, per service ("Actions defined by …"), for the
 * actions and which take a resource ARN; the provider's calls (terraform-provider-aws, resource
 * `internal/service/<service>/<resource>.go`) for which of them a resource's lifecycle uses; Auth0's
 * Management API reference for the scopes of each endpoint.
 */
import { TYPES } from "../facts/resourceTypes";

/** Where a row's AWS actions may act: the stack's own names, or what the service cannot scope. */
export type Scope =
  | "apis" // API Gateway: /apis* and their tags (IDs are not known before they exist)
  | "domainNames" // API Gateway: /domainnames* and their API mappings
  | "functions" // Lambda functions named <project>-*
  | "roles" // IAM roles named <project>-*
  | "logGroups" // /aws/lambda/<project>-* and /aws/vendedlogs/apis/<project>-*
  | "alarms" // CloudWatch alarms named <project>-*
  | "dashboards" // CloudWatch dashboards named <project>-*
  | "topics" // SNS topics named <project>-*
  | "tables" // DynamoDB tables named <project>-*
  | "certificates" // ACM: requesting takes no resource; the rest, certificates of the account
  | "zone" // Route 53: the hosted zone the stack writes to, and its changes
  | "apiGatewayServiceRole" // the one service-linked role a first custom domain creates
  | "any"; // actions that take no resource ARN (the Service Authorization Reference says "*")

export interface AwsRow {
  service: string;
  actions: string[];
  scope: Scope;
  source: string;
}

const SAR = (service: string) =>
  `AWS Service Authorization Reference, "Actions defined by ${service}"`;
const TF = (path: string) => `terraform-provider-aws internal/service/${path}`;
const apigateway = (scope: Scope, resource: string): AwsRow => ({
  service: "apigateway",
  // API Gateway's IAM actions are the HTTP verbs of its management API, on resource paths.
  actions: [
    "apigateway:GET",
    "apigateway:POST",
    "apigateway:PATCH",
    "apigateway:PUT",
    "apigateway:DELETE",
  ],
  scope,
  source: `${SAR("Amazon API Gateway Management V2")}; ${TF(`apigatewayv2/${resource}.go`)}`,
});

/** The AWS types' rows; several rows for a type grant the sum. */
export const AWS_PERMISSIONS: Record<string, AwsRow[]> = {
  [TYPES.api]: [apigateway("apis", "api")],
  [TYPES.authorizer]: [apigateway("apis", "authorizer")],
  [TYPES.integration]: [apigateway("apis", "integration")],
  [TYPES.route]: [apigateway("apis", "route")],
  [TYPES.stage]: [
    apigateway("apis", "stage"),
    {
      service: "logs",
      // Vended log delivery of the stage's access logs (AWS: "Enabling logging from AWS services").
      actions: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      scope: "any",
      source: `CloudWatch Logs User Guide, "Enabling logging from AWS services"; ${SAR("Amazon CloudWatch Logs")}`,
    },
  ],
  [TYPES.domainName]: [
    apigateway("domainNames", "domain_name"),
    {
      service: "iam",
      // The first custom domain of an account creates API Gateway's service-linked role.
      actions: ["iam:CreateServiceLinkedRole"],
      scope: "apiGatewayServiceRole",
      source: `API Gateway Developer Guide, "Using service-linked roles for API Gateway"; ${SAR("AWS Identity and Access Management (IAM)")}`,
    },
  ],
  [TYPES.apiMapping]: [apigateway("domainNames", "api_mapping")],
  [TYPES.function]: [
    {
      service: "lambda",
      actions: [
        "lambda:CreateFunction",
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:ListVersionsByFunction",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:DeleteFunction",
        "lambda:TagResource",
        "lambda:UntagResource",
        "lambda:ListTags",
      ],
      scope: "functions",
      source: `${SAR("AWS Lambda")}; ${TF("lambda/function.go")}`,
    },
    {
      service: "iam",
      // Creating a function hands it its role.
      actions: ["iam:PassRole"],
      scope: "roles",
      source: `Lambda Developer Guide, "Lambda execution role" (iam:PassRole); ${SAR("AWS Identity and Access Management (IAM)")}`,
    },
  ],
  [TYPES.permission]: [
    {
      service: "lambda",
      actions: ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
      scope: "functions",
      source: `${SAR("AWS Lambda")}; ${TF("lambda/permission.go")}`,
    },
  ],
  [TYPES.role]: [
    {
      service: "iam",
      actions: [
        "iam:CreateRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
      ],
      scope: "roles",
      source: `${SAR("AWS Identity and Access Management (IAM)")}; ${TF("iam/role.go")}`,
    },
  ],
  [TYPES.rolePolicy]: [
    {
      service: "iam",
      actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
      scope: "roles",
      source: `${SAR("AWS Identity and Access Management (IAM)")}; ${TF("iam/role_policy.go")}`,
    },
  ],
  [TYPES.logGroup]: [
    {
      service: "logs",
      actions: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:ListTagsForResource",
        "logs:TagResource",
        "logs:UntagResource",
      ],
      scope: "logGroups",
      source: `${SAR("Amazon CloudWatch Logs")}; ${TF("logs/group.go")}`,
    },
    {
      service: "logs",
      actions: ["logs:DescribeLogGroups"],
      scope: "any",
      source: `${SAR("Amazon CloudWatch Logs")} (DescribeLogGroups takes no log group ARN)`,
    },
  ],
  [TYPES.metricAlarm]: [
    {
      service: "cloudwatch",
      actions: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      scope: "alarms",
      source: `${SAR("Amazon CloudWatch")}; ${TF("cloudwatch/metric_alarm.go")}`,
    },
  ],
  [TYPES.dashboard]: [
    {
      service: "cloudwatch",
      actions: [
        "cloudwatch:PutDashboard",
        "cloudwatch:GetDashboard",
        "cloudwatch:DeleteDashboards",
      ],
      scope: "dashboards",
      source: `${SAR("Amazon CloudWatch")}; ${TF("cloudwatch/dashboard.go")}`,
    },
  ],
  [TYPES.topic]: [
    {
      service: "sns",
      actions: [
        "sns:CreateTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:DeleteTopic",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      scope: "topics",
      source: `${SAR("Amazon SNS")}; ${TF("sns/topic.go")}`,
    },
  ],
  [TYPES.table]: [
    {
      service: "dynamodb",
      // Deletion protection is UpdateTable's; point-in-time recovery, UpdateContinuousBackups.
      // The table is encrypted with AWS's key for DynamoDB (aws/dynamodb), which DynamoDB uses on
      // the account's behalf: no KMS action of the deployer's.
      actions: [
        "dynamodb:CreateTable",
        "dynamodb:DescribeTable",
        "dynamodb:UpdateTable",
        "dynamodb:DeleteTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource",
        "dynamodb:TagResource",
        "dynamodb:UntagResource",
      ],
      scope: "tables",
      source: `${SAR("Amazon DynamoDB")}; ${TF("dynamodb/table.go")}`,
    },
  ],
  [TYPES.topicSubscription]: [
    {
      service: "sns",
      actions: [
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
      ],
      scope: "topics",
      source: `${SAR("Amazon SNS")}; ${TF("sns/topic_subscription.go")}`,
    },
  ],
  [TYPES.certificate]: [
    {
      service: "acm",
      actions: [
        "acm:DescribeCertificate",
        "acm:DeleteCertificate",
        "acm:ListTagsForCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
      ],
      scope: "certificates",
      source: `${SAR("AWS Certificate Manager")}; ${TF("acm/certificate.go")}`,
    },
    {
      service: "acm",
      actions: ["acm:RequestCertificate"],
      scope: "any",
      source: `${SAR("AWS Certificate Manager")} (RequestCertificate names no certificate yet)`,
    },
  ],
  [TYPES.certificateValidation]: [
    {
      service: "acm",
      actions: ["acm:DescribeCertificate"],
      scope: "certificates",
      source: `${SAR("AWS Certificate Manager")}; ${TF("acm/certificate_validation.go")}`,
    },
  ],
  [TYPES.record]: [
    {
      service: "route53",
      actions: [
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:GetHostedZone",
        "route53:GetChange",
      ],
      scope: "zone",
      source: `${SAR("Amazon Route 53")}; ${TF("route53/record.go")}`,
    },
  ],
};
