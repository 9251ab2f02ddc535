import type { PolicyInput } from "../support/policyHarness";
import {
  added,
  changed,
  FN,
  grant,
  mandatory,
  PERMISSION,
  PROTECTED,
  ROLE_POLICY,
  type PolicyCase,
} from "./case";

const sourceArn = (input: PolicyInput) =>
  String(input.resources.find((r) => r.name === "get-mine-invoke")!.inputs.sourceArn);
/** The pack program's route with a grant (POST /notes), in stack dev. */
const NOTES = "api-auth-jwt-auth0-dev-post-notes";
const FOREIGN_TABLE = "arn:aws:dynamodb:us-east-1:999999999999:table/notes";
const NOTES_TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/api-auth-jwt-auth0-dev-notes";
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
          role: PROTECTED,
          policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        },
        state: {},
      }),
    expected: [
      mandatory(
        "function-roles-no-managed-policies",
        `managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole is attached to role ${PROTECTED}`,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment::basic",
      ),
    ],
  },
  {
    rule: "iam-no-wildcard-grants",
    does: "refuses '*' actions and resources, and a service-wide wildcard",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "get-mine-logs-write", (p) => {
        p.policy = grant("*", ["logs:*", "logs:PutLogEvents"]);
      }),
    expected: [
      mandatory(
        "iam-no-wildcard-grants",
        `inline policy of role ${PROTECTED} allows the wildcard action 'logs:*'`,
        `${ROLE_POLICY}::get-mine-logs-write`,
      ),
      mandatory(
        "iam-no-wildcard-grants",
        `inline policy of role ${PROTECTED} allows the wildcard resource '*'`,
        `${ROLE_POLICY}::get-mine-logs-write`,
      ),
    ],
  },
  {
    rule: "function-roles-own-resources-only",
    does: "refuses a grant on another function's log group",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "get-mine-logs-write", (p) => {
        p.policy = grant(LOG_STREAMS("api-auth-jwt-auth0-dev-get-open"));
      }),
    // Not checkable at a first preview: the log groups' ARNs do not exist yet.
    atFirstPreview: [],
    expected: [
      mandatory(
        "function-roles-own-resources-only",
        `role of function ${PROTECTED} reaches '${LOG_STREAMS("api-auth-jwt-auth0-dev-get-open")}': ` +
          `only its own log group (${LOG_STREAMS(PROTECTED)})`,
      ),
    ],
  },
  {
    rule: "function-roles-own-resources-only",
    does: "refuses a grant on a resource this stack does not declare (another account's table)",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "post-notes-grants", (p) => {
        p.policy = grant(FOREIGN_TABLE, "dynamodb:PutItem");
      }),
    atFirstPreview: [],
    expected: [
      mandatory(
        "function-roles-own-resources-only",
        `role of function ${NOTES} reaches '${FOREIGN_TABLE}', no resource of this stack: grant a resource the stack declares, by its ARN`,
      ),
    ],
  },
  {
    rule: "iam-no-wildcard-grants",
    does: "refuses a route's grant widened to every action of a service on its table",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "post-notes-grants", (p) => {
        p.policy = grant(NOTES_TABLE, "dynamodb:*");
      }),
    // Not checkable at a first preview: the document is built from the table's ARN.
    atFirstPreview: [],
    expected: [
      mandatory(
        "iam-no-wildcard-grants",
        `inline policy of role ${NOTES} allows the wildcard action 'dynamodb:*'`,
        `${ROLE_POLICY}::post-notes-grants`,
      ),
    ],
  },
  {
    rule: "function-roles-own-resources-only",
    does: "refuses any action but writing logs on its own log group",
    broken: ({ dev }) =>
      changed(dev, ROLE_POLICY, "get-mine-logs-write", (p) => {
        p.policy = grant(LOG_STREAMS(PROTECTED), ["logs:PutLogEvents", "logs:DeleteLogGroup"]);
      }),
    atFirstPreview: [],
    expected: [
      mandatory(
        "function-roles-own-resources-only",
        `role of function ${PROTECTED} may 'logs:DeleteLogGroup' on its log group: only write its logs there`,
      ),
    ],
  },
  {
    rule: "function-roles-own-resources-only",
    does: "refuses a function running as a role the stack does not declare",
    broken: ({ dev }) =>
      changed(
        dev,
        FN,
        "get-mine-fn",
        (p) => {
          p.role = "arn:aws:iam::123456789012:role/admin";
        },
        ["role"],
      ),
    expected: [
      mandatory(
        "function-roles-own-resources-only",
        `function ${PROTECTED} runs as arn:aws:iam::123456789012:role/admin, a role this stack does not declare`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission for every route of the API ('/*/*')",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-mine-invoke", (p) => {
        p.sourceArn = sourceArn(dev).replace(/\/GET\/mine$/, "/*/*");
      }),
    // Not checkable at a first preview: a source ARN is built from the API's execution ARN.
    atFirstPreview: [],
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PROTECTED} names 'arn:aws:execute-api:us-east-1:123456789012:aht6mdpnam/*/*/*', which covers every route; name one route`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission naming another route than the function's",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-mine-invoke", (p) => {
        p.sourceArn = sourceArn(dev).replace(/\/mine$/, "/open");
      }),
    // Not checkable at a first preview: a source ARN is built from the API's execution ARN.
    atFirstPreview: [],
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PROTECTED} names route 'GET /open', whose integration does not invoke that function`,
      ),
    ],
  },
  {
    rule: "invoke-permissions-one-route",
    does: "refuses a permission with no source ARN",
    broken: ({ dev }) =>
      changed(dev, PERMISSION, "get-mine-invoke", (p) => {
        delete p.sourceArn;
      }),
    expected: [
      mandatory(
        "invoke-permissions-one-route",
        `permission for ${PROTECTED} has no sourceArn: any API in any account could invoke the function`,
      ),
    ],
  },
];
