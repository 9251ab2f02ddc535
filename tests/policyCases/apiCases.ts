import { changed, FN, mandatory, PROTECTED, ROUTE, STAGE, type PolicyCase } from "./case";

const AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Routes, the JWT authorizer, timeouts, log groups and the stage. */
export const apiCases: PolicyCase[] = [
  {
    rule: "routes-require-jwt",
    does: "refuses a route without the JWT authorizer that is not declared public",
    broken: ({ dev }) =>
      changed(dev, ROUTE, "get-mine-route", (p) => {
        p.authorizationType = "NONE";
        delete p.authorizerId;
      }),
    expected: [
      mandatory(
        "routes-require-jwt",
        "route 'GET /mine' has authorization NONE; it is not declared public (publicRoutes: GET /open) and needs the JWT authorizer",
        `${ROUTE}::get-mine-route`,
      ),
    ],
  },
  {
    rule: "routes-require-jwt",
    does: "refuses GET /open too once the pack's publicRoutes no longer lists it",
    broken: ({ dev }) => dev,
    config: { publicRoutes: [] },
    expected: [
      mandatory(
        "routes-require-jwt",
        "route 'GET /open' has authorization NONE; it is not declared public (publicRoutes: none) and needs the JWT authorizer",
        `${ROUTE}::get-open-route`,
      ),
    ],
  },
  {
    rule: "jwt-authorizer-issuer-and-audiences",
    does: "refuses an issuer without its trailing slash, and no audience",
    broken: ({ dev }) =>
      changed(dev, AUTHORIZER, "api-jwt", (p) => {
        p.jwtConfiguration = { issuer: "https://dev-example.us.auth0.com", audiences: [] };
      }),
    expected: [
      mandatory(
        "jwt-authorizer-issuer-and-audiences",
        "authorizer api-auth-jwt-auth0-dev-jwt trusts issuer 'https://dev-example.us.auth0.com': expected an https URL ending in '/', compared exactly with a token's 'iss'",
        `${AUTHORIZER}::api-jwt`,
      ),
      mandatory(
        "jwt-authorizer-issuer-and-audiences",
        "authorizer api-auth-jwt-auth0-dev-jwt has audiences []: expected at least one, none empty",
        `${AUTHORIZER}::api-jwt`,
      ),
    ],
  },
  {
    rule: "function-timeout-under-integration-timeout",
    does: "refuses a function that may outlive its integration",
    broken: ({ dev }) =>
      changed(dev, FN, "get-mine-fn", (p) => {
        p.timeout = 30;
      }),
    expected: [
      mandatory(
        "function-timeout-under-integration-timeout",
        `function ${PROTECTED} may run 30000 ms, not less than its integration's 30000 ms`,
      ),
    ],
  },
  {
    rule: "log-groups-have-retention",
    does: "refuses a log group that keeps its events forever",
    broken: ({ dev }) =>
      changed(dev, LOG_GROUP, "get-mine-logs", (p) => {
        delete p.retentionInDays;
      }),
    expected: [
      mandatory(
        "log-groups-have-retention",
        `log group /aws/lambda/${PROTECTED} keeps its events forever: set retentionInDays`,
        `${LOG_GROUP}::get-mine-logs`,
      ),
    ],
  },
  {
    rule: "log-groups-have-retention",
    does: "refuses a log group without retention whose name the cloud computes, first preview included",
    // Named after the API's ID, as a log group named after an autonamed resource would be: its
    // name is unknown at a first preview, its missing retention is not.
    broken: ({ dev }) => {
      const apiId = dev.resources.find((r) => r.type === "aws:apigatewayv2/api:Api")!.id;
      return changed(dev, LOG_GROUP, "get-mine-logs", (p) => {
        delete p.retentionInDays;
        p.name = `/aws/apis/${apiId}`;
      });
    },
    expected: [
      mandatory(
        "log-groups-have-retention",
        "log group /aws/apis/aht6mdpnam keeps its events forever: set retentionInDays",
        `${LOG_GROUP}::get-mine-logs`,
      ),
    ],
    atFirstPreview: [
      mandatory(
        "log-groups-have-retention",
        "log group (its name is known after deploy) keeps its events forever: set retentionInDays",
        `${LOG_GROUP}::get-mine-logs`,
      ),
    ],
  },
  {
    rule: "stage-throttled",
    does: "refuses a stage without throttling",
    broken: ({ dev }) =>
      changed(dev, STAGE, "api-stage", (p) => {
        delete p.defaultRouteSettings;
      }),
    expected: [
      mandatory(
        "stage-throttled",
        "stage $default has no throttling: set defaultRouteSettings.throttlingRateLimit and throttlingBurstLimit",
        `${STAGE}::api-stage`,
      ),
    ],
  },
  {
    rule: "stage-access-logs-without-headers-or-claims",
    does: "refuses an access-log format that reads a header or a claim",
    broken: ({ dev }) =>
      changed(dev, STAGE, "api-stage", (p) => {
        const settings = p.accessLogSettings as { format: string };
        settings.format = JSON.stringify({
          ...JSON.parse(settings.format),
          auth: "$request.header.Authorization",
          user: "$context.authorizer.claims.sub",
        });
      }),
    expected: ["$request.", "$context.authorizer."].map((variable) =>
      mandatory(
        "stage-access-logs-without-headers-or-claims",
        `stage $default logs '${variable}…', which carries request headers, query strings or claims`,
        `${STAGE}::api-stage`,
      ),
    ),
  },
];
