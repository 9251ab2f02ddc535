// `npm start`: runs the Pulumi program locally, with its HTTP API, its JWT authorizer, its Lambda
// functions and a built-in OpenID Connect issuer standing in for the Auth0 tenant.
import { resolve } from "node:path";
import { parseCliOptions, runCli } from "./args";
import { environmentOptions, OPTIONS, USAGE } from "./startOptions";

runCli(async () => {
  const values = parseCliOptions(OPTIONS, USAGE);
  const projectDir = resolve(__dirname, "../..");
  // Every option is checked before anything else is loaded or started: a mistake, or --help, is
  // answered at once.
  const options = environmentOptions(values, projectDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runStart } = require("./startRun") as typeof import("./startRun");
  await runStart(values, options, projectDir);
});
