// `npm run smoke`: checks a running stack end to end, one line per check with its timing. With
// no option, the running local environment (as `npm run token` finds it); with --stack, a
// deployed stack through `pulumi stack output`; with --outputs, those outputs saved to a file.
import { runSmoke, type CheckResult, type SmokeTarget } from "../smoke/checks";
import { localTarget, outputsTarget, pulumiStackOutputs, readOutputsFile } from "../smoke/targets";
import { parseCliOptions, runCli, UsageError } from "./args";
import { INSTANCE_OPTIONS, runningInstance, wantedInstance } from "./instanceChoice";

const USAGE = `Usage: npm run smoke -- [--port N | --issuer-port N | --stack NAME | --outputs FILE]`;

const OPTIONS = {
  ...INSTANCE_OPTIONS,
  stack: {
    type: "string",
    value: "NAME",
    help: "a deployed stack, through pulumi stack output --json --show-secrets (needs its smoke client)",
  },
  outputs: {
    type: "string",
    value: "FILE",
    help: "a deployed stack's outputs saved as pulumi stack output --json --show-secrets prints them",
  },
} as const;

type Values = ReturnType<typeof parseCliOptions<typeof OPTIONS>>;

runCli(async () => {
  const values = parseCliOptions(OPTIONS, USAGE);
  const { target, what } = chooseTarget(values);
  process.stdout.write(`smoke: checking ${what} at ${target.apiEndpoint}\n`);
  let failed = 0;
  let count = 0;
  let skipped = 0;
  const passed = await runSmoke(target, (result: CheckResult) => {
    if (result.ok === "skipped") skipped++;
    else count++;
    if (result.ok === false) failed++;
    process.stdout.write(`${line(result)}\n`);
  });
  if (!passed) {
    throw new Error(`smoke: ${failed} of ${count} checks failed against ${what}`);
  }
  const notRun = skipped > 0 ? `; ${skipped} not run (see skip above)` : "";
  process.stdout.write(`smoke: all ${count} checks passed${notRun}\n`);
});

function line(result: CheckResult): string {
  const mark = result.ok === "skipped" ? "skip" : result.ok ? "ok  " : "FAIL";
  return `${mark} ${result.check} (${result.ms} ms)${result.detail !== undefined ? `: ${result.detail}` : ""}`;
}

function chooseTarget(values: Values): { target: SmokeTarget; what: string } {
  const local = values.port !== undefined || values["issuer-port"] !== undefined;
  if (
    [local, values.stack !== undefined, values.outputs !== undefined].filter(Boolean).length > 1
  ) {
    throw new UsageError(
      `--port, --stack and --outputs each choose what to check: give one\n${USAGE}`,
    );
  }
  if (values.stack !== undefined) {
    return {
      target: outputsTarget(pulumiStackOutputs(values.stack), `stack ${values.stack}`),
      what: `stack ${values.stack}`,
    };
  }
  if (values.outputs !== undefined) {
    return {
      target: outputsTarget(readOutputsFile(values.outputs), values.outputs),
      what: `the stack of ${values.outputs}`,
    };
  }
  const record = runningInstance(wantedInstance(values), (note) =>
    process.stderr.write(`npm run smoke: ${note}\n`),
  );
  if (record === undefined) {
    throw new Error(
      "No local environment is running here: start one with `npm start` in another terminal, or check a deployed stack with --stack NAME.",
    );
  }
  return { target: localTarget(record), what: `the local environment (stack ${record.stack})` };
}
