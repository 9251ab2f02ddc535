import type { PolicyInput } from "../support/policyHarness";
import {
  added,
  changed,
  FN,
  grant,
  mandatory,
  PERMISSION,
  PRIVATE,
  ROLE_POLICY,
  type PolicyCase,
} from "./case";

const sourceArn = (input: PolicyInput) =>
  String(input.resources.find((r) => r.name === "get-private-invoke")!.inputs.sourceArn);
const LOG_STREAMS = (fn: string) =>
  `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${fn}:log-stream:*`;

/** Function roles and invoke permissions. */
export const iamCases: PolicyCase[] = [
  {
    rule: "function-roles-no-managed-policies",
    does: "refuses a managed policy attachment",
    broken: ({ dev }) =>
      added(dev, {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "basic",
        inputs: {
          role: PRIVATE,
          policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        },
        state: {},
      }),
    expected: [
      mandatory(
        "function-roles-no-managed-policies",
        `managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is attached to role ${PRIVATE}`,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment::basic",
      ),
    ],
  },
  {
    rule: "iam-no-wildcard-grants",
    does: "refuses '*' actions and resources, and a service-wide wildcard",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "get-private-logs-write", (p) => {
        p.policy = grant("*", ["logs:*", "logs:PutLogEvents"]);
      }),
    expected: [
      mandatory(
        "iam-no-wildcard-grants",
        `inline policy of role ${PRIVATE} allows the wildcard action 'logs:*'`,
        `${ROLE_POLICY}::get-private-logs-write`,
      ),
      mandatory(
        "iam-no-wildcard-grants",
        `inline policy of role ${PRIVATE} allows the wildcard resource '*'`,
        `${ROLE_POLICY}::get-private-logs-write`,
      ),
    ],
  },
  {
    rule: "function-roles-own-log-group-only",
    does: "refuses a grant on another function's log group",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "get-private-logs-write", (p) => {
        p.policy = grant(LOG_STREAMS("api-auth-jwt-auth0-dev-get-public"));
      }),
    // Not checkable at a first preview: the log groups' ARNs do not exist yet.
    atFirstPreview: [],
    expected: [
      mandatory(
        "function-roles-own-log-group-only",
        `role of function ${PRIVATE} reaches '${LOG_STREAMS("api-auth-jwt-auth0-dev-get-public")}': ` +
          `only its own log group (${LOG_STREAMS(PRIVATE)})`,
      ),
    ],
  },
  {
    rule: "function-roles-own-log-group-only",
    does: "refuses a function running as a role the stack does not declare",
    broken: ({ dev }) =>
      changed(
        dev,
        FN,
        "get-private-fn",
        (p) => {
          p.role = "arn:aws:iam::123456789012:role/admin";
        },
        ["role"],
      ),
    expected: [
      mandatory(
        "function-roles-own-log-group-only",
        `function ${PRIVATE} runs as arn:aws:iam::123456789012:role/admin, a role this stack does not declare`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission for every route of the API ('/*/*')",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-private-invoke", (p) => {
        p.sourceArn = sourceArn(dev).replace(/\/GET\/private$/, "/*/*");
      }),
    // Not checkable at a first preview: a source ARN is built from the API's execution ARN.
    atFirstPreview: [],
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PRIVATE} names 'arn:aws:execute-api:us-east-1:123456789012:aht6mdpnam/*/*/*', which covers every route; name one route`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission naming another route than the function's",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-private-invoke", (p) => {
        p.sourceArn = sourceArn(dev).replace(/\/private$/, "/public");
      }),
    // Not checkable at a first preview: a source ARN is built from the API's execution ARN.
    atFirstPreview: [],
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PRIVATE} names route 'GET /public', whose integration does not invoke that function`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission with no source ARN",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-private-invoke", (p) => {
        delete p.sourceArn;
      }),
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PRIVATE} has no sourceArn: any API in any account could invoke the function`,
      ),
    ],
  },
];
