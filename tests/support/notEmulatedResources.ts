/** What a team adds that the local environment does not emulate: a queue, a bucket, a parameter. */
export const NOT_EMULATED_RESOURCES = `
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
const jobs = new aws.sqs.Queue("jobs", { visibilityTimeoutSeconds: 45 });
export const jobsUrl = jobs.url;
export const uploadsArn = pulumi.interpolate\`\${new aws.s3.Bucket("uploads", { forceDestroy: false }).arn}/*\`;
new aws.ssm.Parameter("api-key", { type: "SecureString", value: pulumi.secret("s3cret-value") });
`;
