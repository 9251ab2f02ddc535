// `npm run deployer-policy -- --account ID --region R --repository OWNER/NAME [--hosted-zone Z]...
// [--environment E]... --kind deploy|preview|trust-deploy|trust-preview`: prints one of the CI
// deployer's AWS policy documents (docs/deploy.md, "The AWS role for CI"), as JSON.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { deployPolicy, githubTrustPolicy, previewPolicy, type DeployerContext } from "./policies";

const KINDS = ["deploy", "preview", "trust-deploy", "trust-preview"] as const;

function main(): void {
  const { values } = parseArgs({
    options: {
      account: { type: "string" },
      region: { type: "string", default: "us-east-1" },
      repository: { type: "string" },
      "hosted-zone": { type: "string", multiple: true, default: [] },
      environment: { type: "string", multiple: true, default: ["dev", "prod"] },
      kind: { type: "string", default: "deploy" },
    },
  });
  const kind = values.kind as (typeof KINDS)[number];
  if (
    !/^\d{12}$/.test(values.account ?? "") ||
    !/^[\w.-]+\/[\w.-]+$/.test(values.repository ?? "") ||
    !KINDS.includes(kind)
  ) {
    throw new Error(
      `Usage: npm run deployer-policy -- --account <12 digits> --repository <owner/name> [--region R] [--hosted-zone Z]... [--environment E]... --kind ${KINDS.join("|")}`,
    );
  }
  // The project's name as the stack files' reader takes it (local/evaluate/stackFiles.ts).
  const { name: project } = parse(readFileSync(resolve(__dirname, "../Pulumi.yaml"), "utf8")) as {
    name: string;
  };
  const ctx: DeployerContext = {
    account: values.account!,
    region: values.region!,
    project,
    hostedZoneIds: values["hosted-zone"]!,
    repository: values.repository!,
    environments: values.environment!,
  };
  const documents = {
    deploy: () => deployPolicy(ctx),
    preview: () => previewPolicy(ctx),
    "trust-deploy": () => githubTrustPolicy(ctx, "deploy"),
    "trust-preview": () => githubTrustPolicy(ctx, "preview"),
  };
  process.stdout.write(`${JSON.stringify(documents[kind](), null, 2)}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
