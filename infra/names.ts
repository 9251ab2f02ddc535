/**
 * Physical names carry project and stack, so `dev` and `prod` can share one AWS account and one
 * Auth0 tenant without colliding. One rule for the project and stack names makes every physical
 * name the stack derives from them valid everywhere it lands (docs/sources.md, "Names"):
 * - Auth0 connection names: letters, digits and single hyphens inside (`^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$`);
 * - Lambda function and IAM role names: at most 64 characters, no `.` in a function's;
 * - CloudWatch log group, alarm and SNS topic names accept everything the two above accept.
 */

/** Letters and digits, with single hyphens inside: what an Auth0 connection's name accepts. */
const NAME_PART = /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/;

/** Lambda function and IAM role names are limited to 64 characters. */
const MAX_NAME = 64;

/**
 * `<project>-<stack>` leaves room in 64 characters for a route's `-<slug>` of up to 23 (the
 * sample's longest, `-get-private`, is 12).
 */
export const MAX_STACK_NAME = 40;

/**
 * What is wrong with a project and stack name pair for this program's physical names, one line
 * each, each naming the stack and how to fix it; none when both pass.
 */
export function nameProblems(project: string, stack: string): string[] {
  const problems: string[] = [];
  const rule = "letters, digits and single hyphens inside";
  const lands = "it names the Auth0 connection, Lambda functions, IAM roles, log groups and alarms";
  if (!NAME_PART.test(stack)) {
    const fixed = suggestPart(stack);
    problems.push(
      `Stack name '${stack}' is not ${rule}: ${lands}. Rename it with: pulumi stack rename ${fixed} (before anything is deployed; a deployed stack's user store and data are replaced by a rename)`,
    );
  }
  if (!NAME_PART.test(project)) {
    problems.push(
      `Project name '${project}' (Pulumi.yaml 'name') of stack '${stack}' is not ${rule}: ${lands}. Rename it to '${suggestPart(project)}' in Pulumi.yaml (and the keys '${project}:…' in the stack files)`,
    );
  }
  const base = `${project}-${stack}`;
  if (problems.length === 0 && base.length > MAX_STACK_NAME) {
    problems.push(
      `Stack '${stack}' of project '${project}' makes names of ${base.length} characters ('${base}'): at most ${MAX_STACK_NAME}, which leaves room for a route's name in Lambda's and IAM's 64. Choose a shorter stack name (pulumi stack rename) or project name (Pulumi.yaml)`,
    );
  }
  return problems;
}

/** The name with every run of other characters made one hyphen: `qa_1` → `qa-1`. */
function suggestPart(name: string): string {
  return name.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "dev";
}

export function physicalName(project: string, stack: string, suffix?: string): string {
  const name = [project, stack, suffix]
    .filter((part) => part !== undefined && part !== "")
    .join("-");
  if (name.length > MAX_NAME) {
    throw new TypeError(
      `physical name '${name}' is ${name.length} characters; the limit is ${MAX_NAME} (Lambda, IAM): shorten the route's path (${MAX_NAME - project.length - stack.length - 2} characters are left for '${suffix ?? ""}')`,
    );
  }
  return name;
}

/** The stack's Auth0 database connection: its users. */
export function connectionNameFor(name: string): string {
  return `${name}-users`;
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
