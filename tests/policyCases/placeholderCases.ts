import { mandatory, type PolicyCase } from "./case";

const RULE = "no-placeholders-outside-dev";
const say = (what: string, fix: string, resource: string) =>
  mandatory(RULE, `stack prod: ${what}, a placeholder of the stack file: ${fix}`, resource);
const URLS = "set your application's URLs (callbackUrls, logoutUrls, webOrigins)";

/** The stack files' placeholders: the prod checklist of docs/deploy.md, as the pack enforces it. */
export const placeholderCases: PolicyCase[] = [
  {
    rule: RULE,
    does: "refuses prod as the repository ships it, naming each placeholder to replace",
    broken: ({ prodAsShipped }) => prodAsShipped,
    expected: [
      say(
        "CORS origin 'https://app.example.com'",
        "set your browser app's origins (corsAllowOrigins)",
        "aws:apigatewayv2/api:Api::api",
      ),
      say(
        "application api-auth-jwt-auth0-prod allows 'https://app.example.com/callback'",
        URLS,
        "auth0:index/client:Client::identity-app",
      ),
      say(
        "application api-auth-jwt-auth0-prod allows 'https://app.example.com/'",
        URLS,
        "auth0:index/client:Client::identity-app",
      ),
      say(
        "application api-auth-jwt-auth0-prod allows 'https://app.example.com'",
        URLS,
        "auth0:index/client:Client::identity-app",
      ),
      say(
        "the Auth0 tenant prod-example.us.auth0.com",
        "set your tenant with: pulumi config set auth0:domain <tenant>.<region>.auth0.com -s prod",
        "aws:apigatewayv2/authorizer:Authorizer::api-jwt",
      ),
      say(
        "alarm address oncall@example.com",
        "set the address that should hear of alarms (alarmEmail); AWS waits for it to confirm",
        "aws:sns/topicSubscription:TopicSubscription::monitoring-email",
      ),
    ],
  },
  {
    rule: RULE,
    does: "lets a development stack run on the placeholders",
    broken: ({ dev }) => dev,
    expected: [],
  },
];
