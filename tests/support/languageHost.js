/**
 * Loads a Pulumi program exactly as `pulumi up`'s Node.js language host does, under mocks: this
 * process starts with no TypeScript loader, and the SDK's own `run()` (`@pulumi/pulumi/cmd/run`)
 * finds the project's tsconfig.json, registers ts-node with type checking on (unless
 * PULUMI_NODEJS_TRANSPILE_ONLY or `noCheck` says otherwise) and requires the entry file.
 *
 * Usage: node languageHost.js <projectDir> <project> <stack> <entry>; the stack's config comes in
 * PULUMI_CONFIG (JSON), as the language host passes it. Prints one JSON line: the outcome.
 */
const [projectDir, project, stack, entry] = process.argv.slice(2);
process.chdir(projectDir);
// What the CLI sets for `runtime: { name: nodejs, options: { typescript: true } }`.
process.env.PULUMI_NODEJS_TYPESCRIPT = "true";

const fromProject = (id) => require.resolve(id, { paths: [projectDir] });
const pulumi = require(fromProject("@pulumi/pulumi"));
// `run.js` requires its folder's `index.js`, the CLI entry that parses the engine's flags and
// connects to it, for one exit-code constant; stand in for that entry, not for `run()`.
const entryPoint = fromProject("@pulumi/pulumi/cmd/run/index.js");
require.cache[entryPoint] = {
  id: entryPoint,
  filename: entryPoint,
  loaded: true,
  exports: { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 },
};
const { run } = require(fromProject("@pulumi/pulumi/cmd/run/run"));

/** How the language host registered ts-node (ts-node keeps its service on `process`). */
function tsNodeSettings() {
  const service = process[Symbol.for("ts-node.register.instance")];
  if (service === undefined) return undefined;
  return {
    typeCheck: !service.options.transpileOnly,
    tsconfig: service.configFilePath,
    types: service.config.options.types,
  };
}

const report = (outcome) => {
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  process.exit(0);
};

pulumi.runtime
  .setMocks(
    {
      // Every output the program reads, so no output is left unresolved.
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: {
          name: args.name,
          arn: `arn:aws:mock:us-east-1:123456789012:${args.name}`,
          invokeArn: `arn:aws:apigateway:us-east-1:lambda:path/${args.name}/invocations`,
          executionArn: `arn:aws:execute-api:us-east-1:123456789012:${args.name}`,
          apiEndpoint: `https://${args.name}.execute-api.us-east-1.amazonaws.com`,
          clientId: `${args.name}-client-id`,
          clientSecret: `${args.name}-client-secret`,
          ...args.inputs,
        },
      }),
      call: (args) => args.inputs,
    },
    project,
    stack,
    false,
  )
  .then(() =>
    run(
      { _: [entry] },
      () => undefined,
      () => undefined,
      () => false,
    ),
  )
  // As the language host does before it exits: let every registration the program started finish.
  .then(async (outputs) => {
    await require(fromProject("@pulumi/pulumi/runtime/settings")).waitForRPCs();
    return outputs;
  })
  .then(
    (outputs) =>
      report({
        ok: true,
        tsNode: tsNodeSettings(),
        outputs: Object.keys(outputs ?? {}).sort(),
      }),
    (err) => report({ ok: false, name: err.name, message: String(err.message) }),
  );
