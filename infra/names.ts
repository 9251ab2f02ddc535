/**
 * Physical names carry project and stack, so `dev` and `prod` can share one AWS account and one
 * Auth0 tenant without colliding.
 */
export function physicalName(project: string, stack: string, suffix?: string): string {
  const name = [project, stack, suffix]
    .filter((part) => part !== undefined && part !== "")
    .join("-");
  // Lambda function and IAM role names are limited to 64 characters.
  if (name.length > 64) {
    throw new TypeError(`physical name '${name}' is ${name.length} characters; the limit is 64`);
  }
  return name;
}

/** The log group Lambda writes to when the function is called `functionName`. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * Access logs go under `/aws/vendedlogs/`, the prefix AWS recommends for vended log delivery
 * (it keeps the log group's resource policy small).
 */
export function accessLogGroupName(project: string, stack: string): string {
  return `/aws/vendedlogs/apis/${physicalName(project, stack)}`;
}
