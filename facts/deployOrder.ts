/**
 * What must exist before what, and so be deleted after it: the order a first `pulumi up` and a
 * `pulumi destroy` need, each rule with its source. The engine orders resources by the
 * dependencies it records (an Output an input carries, or `dependsOn`);
 * tests/deployOrder.test.ts checks every rule against those recorded dependencies, transitively,
 * on dev, prod, and prod with a custom domain (hosted zone, or a certificate of the user's own).
 */
import { TYPES } from "./resourceTypes";

/** One side of a rule: a resource type, and optionally which of its resources (by their inputs). */
export interface OrderSide {
  type: string;
  /** Only the resources whose inputs pass (a validation record, not an alias record). */
  where?: (inputs: Record<string, unknown>) => boolean;
}

export interface OrderFact {
  first: OrderSide;
  then: OrderSide;
  /** `component`: only resources of the same component (one route's function and its role). */
  within: "stack" | "component";
  why: string;
  source: string;
}

const side = (type: string, where?: OrderSide["where"]): OrderSide =>
  where === undefined ? { type } : { type, where };
const jwtRoute = (inputs: Record<string, unknown>) => inputs.authorizationType === "JWT";
const validationRecord = (inputs: Record<string, unknown>) => inputs.type === "CNAME";
const aliasRecord = (inputs: Record<string, unknown>) => inputs.type === "A";

const AUTH0_PROVIDER = "terraform-provider-auth0 (pulumi-auth0 3.49.0's bridge)";

export const DEPLOY_ORDER: OrderFact[] = [
  {
    first: side(TYPES.client),
    then: side(TYPES.connection),
    within: "stack",
    why: "every application of the stack exists before its connection: a tenant's enable_client_connections enables each new application on every existing connection, and ConnectionClients' create then refuses a connection with other enabled clients, on every later up too",
    source: `${AUTH0_PROVIDER} internal/auth0/connection/resource_clients.go guardAgainstErasingUnwantedEnabledClients; Auth0 Management API, tenant flags (enable_client_connections)`,
  },
  {
    first: side(TYPES.connection),
    then: side(TYPES.connectionClients),
    within: "stack",
    why: "the enabled clients are set on the connection by its ID",
    source: `${AUTH0_PROVIDER} resource_clients.go (connection_id, ForceNew)`,
  },
  {
    first: side(TYPES.client),
    then: side(TYPES.connectionClients),
    within: "stack",
    why: "an application is enabled by its client ID",
    source: `${AUTH0_PROVIDER} resource_clients.go (enabled_clients)`,
  },
  {
    first: side(TYPES.connectionClients),
    then: side(TYPES.user),
    within: "stack",
    why: "Auth0 creates a user only on a connection enabled for the calling application: 'connection is disabled' on one enabled for none, 'Connection must be enabled for this client' otherwise",
    source: "terraform-provider-auth0 #90 and #854; auth0-cli PR #921",
  },
  {
    first: side(TYPES.randomPassword),
    then: side(TYPES.user),
    within: "component",
    why: "the test user's password is the generated one",
    source: "infra/userConnection.ts (the value it carries)",
  },
  {
    first: side(TYPES.connection),
    then: side(TYPES.action),
    within: "component",
    why: "the guard's code names the connection it keeps the application to",
    source: "infra/connectionGuard.ts (the value it carries)",
  },
  {
    first: side(TYPES.action),
    then: side(TYPES.triggerAction),
    within: "component",
    why: "a binding names a created, deployed Action by its ID",
    source: `${AUTH0_PROVIDER} internal/auth0/action/resource_trigger_action.go (action_id)`,
  },
  {
    first: side(TYPES.client),
    then: side(TYPES.clientCredentials),
    within: "component",
    why: "the credentials are the application's, by client ID",
    source: "@pulumi/auth0 ClientCredentials (clientId, required)",
  },
  {
    first: side(TYPES.resourceServer),
    then: side(TYPES.resourceServerScopes),
    within: "stack",
    why: "scopes are set on the API by its identifier",
    source: "@pulumi/auth0 ResourceServerScopes (resourceServerIdentifier, required)",
  },
  {
    first: side(TYPES.resourceServerScopes),
    then: side(TYPES.clientGrant),
    within: "stack",
    why: "a client grant may only list scopes its API defines",
    source:
      "Auth0 Management API, POST /api/v2/client-grants (scope: the resource server's scopes)",
  },
  {
    first: side(TYPES.client),
    then: side(TYPES.clientGrant),
    within: "component",
    why: "a grant names the application by client ID",
    source: "@pulumi/auth0 ClientGrant (clientId, required)",
  },
  ...[TYPES.stage, TYPES.authorizer, TYPES.integration, TYPES.route, TYPES.permission].map(
    (then): OrderFact => ({
      first: side(TYPES.api),
      then: side(then),
      within: "stack",
      why: "each belongs to the API (its apiId; a permission's source ARN is its execution ARN); API Gateway refuses to delete an API that still has them",
      source: "@pulumi/aws apigatewayv2 (apiId, required); AWS API Gateway V2 API reference",
    }),
  ),
  {
    first: side(TYPES.logGroup),
    then: side(TYPES.stage),
    within: "component",
    why: "the stage's access logs go to the log group by its ARN",
    source: "AWS: HTTP API access logging (destinationArn)",
  },
  {
    first: side(TYPES.integration),
    then: side(TYPES.route),
    within: "component",
    why: "a route's target names its integration",
    source: "@pulumi/aws apigatewayv2 Route (target: integrations/<id>)",
  },
  {
    first: side(TYPES.authorizer),
    then: side(TYPES.route, jwtRoute),
    within: "stack",
    why: "a JWT route names its authorizer",
    source: "@pulumi/aws apigatewayv2 Route (authorizerId)",
  },
  {
    first: side(TYPES.role),
    then: side(TYPES.function),
    within: "component",
    why: "a function runs as its role, which must exist when it is created",
    source: "AWS Lambda CreateFunction (Role, required)",
  },
  {
    first: side(TYPES.role),
    then: side(TYPES.rolePolicy),
    within: "component",
    why: "the inline policy is the role's",
    source: "AWS IAM PutRolePolicy (RoleName)",
  },
  {
    first: side(TYPES.rolePolicy),
    then: side(TYPES.function),
    within: "component",
    why: "a function's grants are in place before it can run: a first request would otherwise be refused (AccessDenied) until IAM caught up",
    source: "infra/lambdaRoute.ts (dependsOn the role's policies); AWS IAM PutRolePolicy",
  },
  {
    first: side(TYPES.table),
    then: side(TYPES.function, (inputs) =>
      JSON.stringify(inputs.environment ?? {}).includes("ITEMS_TABLE"),
    ),
    within: "stack",
    why: "a route's function names the table in its environment and uses it from its first request",
    source: "index.ts (environment ITEMS_TABLE: the table's name, an Output)",
  },
  {
    first: side(TYPES.logGroup),
    then: side(TYPES.function),
    within: "component",
    why: "the function's log group exists first, with its retention: Lambda would create it on the first invocation, keeping logs forever",
    source:
      "docs/sources.md: Pulumi notes (/aws/lambda/<name> log group first), SST v3 function.ts",
  },
  ...[TYPES.integration, TYPES.permission].map((then): OrderFact => ({
    first: side(TYPES.function),
    then: side(then),
    within: "component",
    why: "each names the function (its invoke ARN, its name)",
    source: "@pulumi/aws apigatewayv2 Integration (integrationUri), lambda Permission (function)",
  })),
  {
    first: side(TYPES.certificate),
    then: side(TYPES.record, validationRecord),
    within: "component",
    why: "the validation record is the one ACM asks for",
    source: "AWS ACM DNS validation (DomainValidationOptions)",
  },
  {
    first: side(TYPES.record, validationRecord),
    then: side(TYPES.certificateValidation),
    within: "component",
    why: "validation waits for the record ACM reads",
    source: "@pulumi/aws acm CertificateValidation (validationRecordFqdns)",
  },
  {
    first: side(TYPES.certificateValidation),
    then: side(TYPES.domainName),
    within: "component",
    why: "a domain name needs an issued certificate",
    source: "AWS API Gateway: custom domain names for HTTP APIs (an ACM certificate, issued)",
  },
  {
    first: side(TYPES.domainName),
    then: side(TYPES.apiMapping),
    within: "stack",
    why: "the mapping is the domain's",
    source: "@pulumi/aws apigatewayv2 ApiMapping (domainName, required)",
  },
  {
    first: side(TYPES.stage),
    then: side(TYPES.apiMapping),
    within: "stack",
    why: "a mapping to a stage that does not exist yet fails ('Invalid stage identifier specified'), and a stage or API is deleted only once no mapping names it",
    source: "aws-cdk #9078 (fixed by PR #9141); cloud-nuke #370; terraform-aws-apigateway-v2 #83",
  },
  {
    first: side(TYPES.domainName),
    then: side(TYPES.record, aliasRecord),
    within: "component",
    why: "the alias points at the domain's target",
    source: "@pulumi/aws route53 Record (aliases: the domain's targetDomainName and hostedZoneId)",
  },
  ...[TYPES.topicSubscription, TYPES.metricAlarm].map((then): OrderFact => ({
    first: side(TYPES.topic),
    then: side(then),
    within: "stack",
    why: "a subscription and an alarm's actions name the topic by its ARN",
    source: "AWS SNS Subscribe (TopicArn); CloudWatch PutMetricAlarm (AlarmActions)",
  })),
];

/** Types no rule orders, and why none is needed. */
export const UNORDERED: Record<string, string> = {
  [TYPES.dashboard]:
    "a dashboard names metrics by their dimensions, which need not exist (CloudWatch PutDashboard checks the body's form only)",
};
