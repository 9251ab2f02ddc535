import * as aws from "@pulumi/aws";
import type {
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { dependency, resourcesOf } from "./stackResources";
import { isWideWildcard, known, listOf, statementsOf, type Statement, shown } from "./support";

const ROLE = "aws:iam/role:Role";
const API = "aws:apigatewayv2/api:Api";
const INTEGRATION = "aws:apigatewayv2/integration:Integration";

/** The only actions a function's role may have: writing to its own log group. */
const LOG_WRITE_ACTIONS = new Set(["logs:CreateLogStream", "logs:PutLogEvents"]);

export const noManagedPolicies: ResourceValidationPolicy = {
  name: "function-roles-no-managed-policies",
  description:
    "No role has a managed policy attached: each function's role carries its one inline grant.",
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicyAttachment, (attachment, _args, report) => {
      // Its existence is the violation: a role not yet created does not hide it.
      const role = known(() => attachment.role, "(not yet created)");
      report(`managed policy ${attachment.policyArn} is attached to role ${role}`);
    }),
    validateResourceOfType(aws.iam.Role, (role, _args, report) => {
      for (const arn of role.managedPolicyArns ?? []) {
        report(`role ${shown(() => role.name)} lists managed policy ${arn}`);
      }
    }),
  ],
};

function reportWildcards(where: string, statements: Statement[], report: ReportViolation): void {
  for (const s of statements) {
    if (s.NotAction !== undefined || s.NotResource !== undefined) {
      report(`${where} uses NotAction or NotResource, which grants everything not listed`);
    }
    for (const action of listOf(s.Action).filter(isWideWildcard)) {
      report(`${where} allows the wildcard action '${action}'`);
    }
    for (const resource of listOf(s.Resource).filter(isWideWildcard)) {
      report(`${where} allows the wildcard resource '${resource}'`);
    }
  }
}

export const noWildcardGrants: ResourceValidationPolicy = {
  name: "iam-no-wildcard-grants",
  description:
    "No inline policy grants a '*' action or resource (a log group's ':log-stream:*' excepted).",
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicy, (rolePolicy, _args, report) => {
      const statements = statementsOf(rolePolicy.policy);
      const role = known(() => rolePolicy.role, "(not yet created)");
      reportWildcards(`inline policy of role ${role}`, statements, report);
    }),
    validateResourceOfType(aws.iam.Role, (role, _args, report) => {
      for (const inline of role.inlinePolicies ?? []) {
        if (inline.policy === undefined) continue;
        reportWildcards(
          `inline policy ${shown(() => inline.name)} of role ${shown(() => role.name)}`,
          statementsOf(inline.policy),
          report,
        );
      }
    }),
  ],
};

export const functionRolesOwnResourcesOnly: StackValidationPolicy = {
  name: "function-roles-own-resources-only",
  description:
    "Each function's role writes only its own log group, and reaches nothing but resources of this stack, each by its ARN (a route's `permissions`).",
  validateStack: (args, report) => {
    const roles = resourcesOf(args.resources, aws.iam.Role);
    const logGroups = resourcesOf(args.resources, aws.cloudwatch.LogGroup);
    const rolePolicies = resourcesOf(args.resources, aws.iam.RolePolicy);
    // First what a first preview knows (which role, which log group, by the engine's
    // dependencies and the names the program gives), then what needs ARNs.
    const owned = resourcesOf(args.resources, aws.lambda.Function).flatMap(({ r, p: fn }) => {
      const roleOf = dependency(r, "role", ROLE);
      const role = roles.find((candidate) => candidate.r === roleOf);
      if (role === undefined) {
        const named = known(() => fn.role, "(not yet created)");
        report(`function ${fn.name} runs as ${named}, a role this stack does not declare`);
        return [];
      }
      const groupName = fn.loggingConfig?.logGroup ?? `/aws/lambda/${fn.name}`;
      const group = logGroups.find(({ p }) => p.name === groupName);
      if (group === undefined) {
        report(`function ${fn.name} logs to ${groupName}, a log group this stack does not own`);
        return [];
      }
      return [{ fn, role, group }];
    });
    // Log groups are each one function's: reachable by no other grant.
    const logArns = new Set(
      logGroups.flatMap(({ p }) => [String(p.arn), `${String(p.arn)}:log-stream:*`]),
    );
    const stackArns = new Set(
      args.resources.flatMap(({ props }) => (typeof props.arn === "string" ? [props.arn] : [])),
    );
    for (const { fn, role, group } of owned) {
      const ownLogs = `${group.p.arn}:log-stream:*`;
      const statements = [
        ...rolePolicies
          .filter(({ r }) => dependency(r, "role", ROLE) === role.r)
          .flatMap(({ p }) => statementsOf(p.policy)),
        ...(role.p.inlinePolicies ?? []).flatMap((i) =>
          i.policy === undefined ? [] : statementsOf(i.policy),
        ),
      ];
      const whose = `role of function ${fn.name}`;
      for (const s of statements.filter((s) => s.Effect !== "Deny")) {
        for (const resource of listOf(s.Resource)) {
          if (resource === ownLogs) {
            for (const action of listOf(s.Action).filter((a) => !LOG_WRITE_ACTIONS.has(a))) {
              report(`${whose} may '${action}' on its log group: only write its logs there`);
            }
          } else if (logArns.has(resource)) {
            report(`${whose} reaches '${resource}': only its own log group (${ownLogs})`);
          } else if (!stackArns.has(resource)) {
            report(
              `${whose} reaches '${resource}', no resource of this stack: grant a resource the stack declares, by its ARN`,
            );
          }
        }
      }
    }
  },
};

export const invokePermissionsOneRoute: StackValidationPolicy = {
  name: "invoke-permissions-one-route",
  description:
    "API Gateway may invoke a function only from one route of one API of this stack, never '/*/*'.",
  validateStack: (args, report) => {
    const apis = resourcesOf(args.resources, aws.apigatewayv2.Api);
    const routes = resourcesOf(args.resources, aws.apigatewayv2.Route);
    const functions = resourcesOf(args.resources, aws.lambda.Function);
    const permissions = resourcesOf(args.resources, aws.lambda.Permission)
      .map(({ p }) => p)
      .filter((p) => p.principal === "apigateway.amazonaws.com");
    // First what a first preview knows: a permission with no source at all.
    const sourced = permissions.filter((permission) => {
      if (known(() => permission.sourceArn, "(not yet known)") !== undefined) return true;
      report(
        `permission for ${String(permission.function)} has no sourceArn: any API in any account could invoke the function`,
      );
      return false;
    });
    for (const permission of sourced) {
      const fnRef = String(permission.function);
      const fn = functions.find(({ p }) => p.name === fnRef || known(() => p.arn, "") === fnRef)?.p;
      const where = `permission for ${fnRef}`;
      const source = permission.sourceArn!;
      const api = apis.find(({ p }) => source.startsWith(`${p.executionArn}/`));
      if (api === undefined) {
        report(`${where} names '${source}', no API of this stack`);
        continue;
      }
      const rest = source.slice(`${api.p.executionArn}/`.length);
      const [, method = "", path = ""] = /^[^/]+\/([^/]+)(\/.*)?$/.exec(rest) ?? [];
      const routeKey =
        method === "$default" ? "$default" : `${method === "*" ? "ANY" : method} ${path}`;
      if (path.includes("*") || (method === "*" && path === "")) {
        report(`${where} names '${source}', which covers every route; name one route`);
        continue;
      }
      const route = routes.find(
        ({ r, p }) => dependency(r, "apiId", API) === api.r && p.routeKey === routeKey,
      );
      if (route === undefined) {
        report(`${where} names route '${routeKey}', which API ${api.p.name} does not declare`);
        continue;
      }
      const integration = dependency(route.r, "target", INTEGRATION);
      if (fn === undefined || integration?.props.integrationUri !== fn.arn) {
        report(
          `${where} names route '${routeKey}', whose integration does not invoke that function`,
        );
      }
    }
  },
};
