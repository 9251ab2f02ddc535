// Wiring only: read the configuration, create the components, export the outputs.
import * as privateRoute from "./handlers/private";
import * as publicRoute from "./handlers/public";
import { loadConfig } from "./infra/config";
import { CustomDomain } from "./infra/customDomain";
import { HttpApi, STAGE_NAME } from "./infra/httpApi";
import { Identity } from "./infra/identity";
import { Monitoring, type MonitoredFunction } from "./infra/monitoring";
import { SmokeClient } from "./infra/smokeClient";
import { UserConnection } from "./infra/userConnection";
import { LambdaRoute } from "./infra/lambdaRoute";
import { accessLogGroupName, connectionNameFor, physicalName } from "./infra/names";
import { routeSlug } from "./facts/routeKeys";

const config = loadConfig();
const name = physicalName(config.project, config.stack);

const identity = new Identity("identity", {
  domain: config.auth0Domain,
  name,
  callbackUrls: config.callbackUrls,
  allowedLogoutUrls: config.logoutUrls,
  webOrigins: config.webOrigins,
  apiIdentifier: config.apiIdentifier,
  apiScopes: config.apiScopes,
  loginConnection: connectionNameFor(name),
});

// A machine-to-machine application for `npm run smoke -- --stack <stack>`, where the stack asks.
const smoke =
  config.smokeClient &&
  new SmokeClient("smoke", {
    name,
    apiIdentifier: identity.apiIdentifier,
    apiScopes: identity.apiScopes,
    scopes: [],
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
  disableExecuteApiEndpoint: config.disableExecuteApiEndpoint,
  // ID tokens carry the client ID as `aud`; access tokens carry the API identifier.
  jwt: { issuer: identity.issuer, audiences: [identity.clientId, identity.apiIdentifier] },
});

const monitored: MonitoredFunction[] = [];
const route = (
  routeKey: string,
  options: Pick<ConstructorParameters<typeof LambdaRoute>[1], "handler" | "access">,
) => {
  const slug = routeSlug(routeKey);
  const functionName = physicalName(config.project, config.stack, slug);
  // Every route's function gets its alarms where the stack is monitored, without another line.
  monitored.push({ name: functionName, slug, timeoutSeconds: config.lambdaTimeoutSeconds });
  return new LambdaRoute(slug, {
    api: httpApi,
    routeKey,
    functionName,
    memoryMb: config.lambdaMemoryMb,
    timeoutSeconds: config.lambdaTimeoutSeconds,
    logRetentionDays: config.logRetentionDays,
    knownScopes: config.apiScopes,
    ...options,
  });
};

route("GET /public", { handler: publicRoute.handler, access: { public: true } });
route("GET /private", { handler: privateRoute.handler });

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
