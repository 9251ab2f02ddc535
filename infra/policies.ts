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
