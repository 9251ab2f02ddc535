// Wiring only: read the configuration, create the components, export the outputs.
import * as items from "./handlers/items";
import * as privateRoute from "./handlers/private";
import * as publicRoute from "./handlers/public";
import { loadConfig } from "./infra/config";
import { CustomDomain } from "./infra/customDomain";
import { HttpApi, STAGE_NAME } from "./infra/httpApi";
import { Identity } from "./infra/identity";
import { Monitoring, type MonitoredFunction } from "./infra/monitoring";
import { SmokeClient } from "./infra/smokeClient";
import { UserConnection } from "./infra/userConnection";
import { ItemsTable } from "./infra/itemsTable";
import { LambdaRoute } from "./infra/lambdaRoute";
import { accessLogGroupName, connectionNameFor, physicalName } from "./infra/names";
import { apiScopes, corsAllowMethods, route, routeScopes } from "./infra/routes";
import { routeSlug } from "./facts/routeKeys";

const config = loadConfig();
const name = physicalName(config.project, config.stack);

// Each user's items, kept (and protected) as the stack's users are.
const itemsTable = new ItemsTable("items", {
  name: physicalName(config.project, config.stack, "items"),
  protect: config.protectData,
});
const itemsData = { environment: { ITEMS_TABLE: itemsTable.name } };
const writeItems = { scopes: ["write:items"] };

// The API's routes: every one protected unless it says `public`. Their scopes become the Auth0
// API's, their methods CORS's.
const routes = [
  route("GET /public", { handler: publicRoute.handler, access: { public: true } }),
  route("GET /private", { handler: privateRoute.handler }),
  route("GET /items", {
    handler: items.list,
    ...itemsData,
    permissions: [itemsTable.allows("dynamodb:Query")],
  }),
  route("POST /items", {
    handler: items.create,
    access: writeItems,
    ...itemsData,
    permissions: [itemsTable.allows("dynamodb:PutItem")],
  }),
  route("DELETE /items/{id}", {
    handler: items.remove,
    access: writeItems,
    ...itemsData,
    permissions: [itemsTable.allows("dynamodb:DeleteItem")],
  }),
];

const identity = new Identity("identity", {
  domain: config.auth0Domain,
  name,
  callbackUrls: config.callbackUrls,
  allowedLogoutUrls: config.logoutUrls,
  webOrigins: config.webOrigins,
  apiIdentifier: config.apiIdentifier,
  apiScopes: apiScopes(config.apiScopes, routes),
  loginConnection: connectionNameFor(name),
});

// A machine-to-machine application for `npm run smoke -- --stack <stack>`, where the stack asks.
const smoke =
  config.smokeClient &&
  new SmokeClient("smoke", {
    name,
    apiIdentifier: identity.apiIdentifier,
    apiScopes: identity.apiScopes,
    // What `npm run smoke` calls: every scope a route requires.
    scopes: routeScopes(routes),
  });

const users = new UserConnection("users", {
  name,
  clientId: identity.clientId,
  applications: [...identity.applications, ...(smoke ? [smoke.application] : [])],
  signUp: config.signUp,
  protect: config.protectData,
  deployerClientId: config.deployerClientId,
  ...(config.testUser ? { testUser: { email: config.testUserEmail } } : {}),
});

const httpApi = new HttpApi("api", {
  name,
  accessLogGroupName: accessLogGroupName(config.project, config.stack),
  logRetentionDays: config.logRetentionDays,
  throttling: { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit },
  corsAllowOrigins: config.corsAllowOrigins,
  corsAllowMethods: corsAllowMethods(routes),
  disableExecuteApiEndpoint: config.disableExecuteApiEndpoint,
  // ID tokens carry the client ID as `aud`; access tokens carry the API identifier.
  jwt: { issuer: identity.issuer, audiences: [identity.clientId, identity.apiIdentifier] },
});

// Each route's function, with the stack's memory and timeout unless the route says, and its
// alarms where the stack is monitored.
const monitored: MonitoredFunction[] = routes.map((declared) => {
  const slug = routeSlug(declared.routeKey);
  const functionName = physicalName(config.project, config.stack, slug);
  const timeoutSeconds = declared.timeoutSeconds ?? config.lambdaTimeoutSeconds;
  new LambdaRoute(slug, {
    ...declared,
    api: httpApi,
    functionName,
    memoryMb: declared.memoryMb ?? config.lambdaMemoryMb,
    timeoutSeconds,
    logRetentionDays: config.logRetentionDays,
  });
  return { name: functionName, slug, timeoutSeconds };
});

const customDomain =
  config.customDomain !== "" &&
  new CustomDomain("custom-domain", {
    domain: config.customDomain,
    apiId: httpApi.api.id,
    stage: httpApi.stage.name,
    source:
      config.hostedZoneId !== ""
        ? { hostedZoneId: config.hostedZoneId }
        : { certificateArn: config.certificateArn },
  });

const monitoring =
  config.monitoring &&
  new Monitoring("monitoring", {
    name,
    apiId: httpApi.api.id,
    stage: STAGE_NAME,
    functions: monitored,
    accessLogGroupName: accessLogGroupName(config.project, config.stack),
    thresholds: {
      fiveXxRatePercent: config.alarm5xxRatePercent,
      fourXxRatePercent: config.alarm4xxRatePercent,
      latencyP99Ms: config.alarmLatencyP99Ms,
    },
    ...(config.alarmEmail !== "" ? { alarmEmail: config.alarmEmail } : {}),
  });

export const apiEndpoint = httpApi.endpoint;
export const issuer = identity.issuer;
export const audiences = [identity.clientId, identity.apiIdentifier];
export const clientId = identity.clientId;
export const apiIdentifier = identity.apiIdentifier;
export const clientSecret = identity.clientSecret;
export const loginUrl = identity.loginUrl;
export const connectionName = users.connectionName;
export const corsAllowOrigins = config.corsAllowOrigins;
export const itemsTableName = itemsTable.name;
// Only a stack with `testUser` exports these (an undefined export draws a warning on every
// `pulumi up`): `pulumi stack output testUserEmail`, `--show-secrets testUserPassword`.
if (users.testUser !== undefined) Object.assign(exports, users.testUser);
// Only a stack with a custom domain has its endpoint, and the CNAME target where DNS is the user's.
if (customDomain) {
  Object.assign(exports, {
    customEndpoint: customDomain.endpoint,
    ...(config.certificateArn !== "" ? { customDomainTarget: customDomain.target } : {}),
  });
}
// Only a stack with a smoke client has its credentials (`--show-secrets smokeClientSecret`).
if (smoke) {
  Object.assign(exports, { smokeClientId: smoke.clientId, smokeClientSecret: smoke.clientSecret });
}
// Only a monitored stack has an alarm topic and a dashboard.
if (monitoring) {
  Object.assign(exports, {
    alarmTopicArn: monitoring.topicArn,
    dashboardName: monitoring.dashboardName,
  });
}
