/** IAM policy documents as plain data, so tests can read them without mocks. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string>;
  }[];
}

/** Lets the Lambda service assume a function's role, and nothing else. */
export function lambdaAssumeRolePolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  };
}

/**
 * The only permission a route's function has: write streams and events into its own log group.
 * No `logs:CreateLogGroup`: the stack owns the group, so `pulumi destroy` removes it.
 */
export function logWritePolicy(logGroupArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:log-stream:*`,
      },
    ],
  };
}

/**
 * A route's grants as a policy document: each action on the named resources. A resource must be
 * an ARN with no wildcard; the program names them by the outputs of its own resources.
 */
export function grantsPolicy(
  routeKey: string,
  grants: { actions: string[]; resources: string[] }[],
): PolicyDocument {
  for (const resource of grants.flatMap((g) => g.resources)) {
    if (!resource.startsWith("arn:") || resource.includes("*")) {
      throw new TypeError(
        `route '${routeKey}' is granted '${resource}': name a resource of this stack by its ARN (table.arn), never a wildcard`,
      );
    }
  }
  return {
    Version: "2012-10-17",
    Statement: grants.map((g) => ({
      Effect: "Allow",
      Action: g.actions.length === 1 ? g.actions[0]! : g.actions,
      Resource: g.resources.length === 1 ? g.resources[0]! : g.resources,
    })),
  };
}
