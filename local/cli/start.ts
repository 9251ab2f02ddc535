// `npm start`: runs the Pulumi program locally, with its HTTP API, its JWT authorizer, its Lambda
// functions and a built-in OpenID Connect issuer standing in for the Auth0 tenant.
import { join, relative, resolve } from "node:path";
import { prepareEvaluator } from "../evaluate/evaluateProgram";
import { lineWriter, parseCliOptions, parsePort, runCli, UsageError } from "./args";
import { isLoopbackOrWildcard } from "../loopback";
import { localStateDir } from "./stateDir";

const USAGE = `Usage: npm start -- [--stack dev|prod] [--port N] [--issuer-port N] [--host H] [--issuer-host H]
                    [--issuer URL [--issuer-url URL] --audience ID[,ID…]] [--throttle] [--entry FILE]
                    [--user NAME] [--password SECRET]`;

runCli(async () => {
  const values = parseCliOptions(
    {
      stack: { type: "string", default: "dev" },
      port: { type: "string" },
      "issuer-port": { type: "string" },
      host: { type: "string" },
      "issuer-host": { type: "string" },
      issuer: { type: "string" },
      "issuer-url": { type: "string" },
      audience: { type: "string" },
      throttle: { type: "boolean", default: false },
      entry: { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
    },
    USAGE,
  );
  if (values["issuer-url"] !== undefined && values.issuer === undefined) {
    throw new UsageError("--issuer-url goes with --issuer (where that issuer is served)");
  }
  if (values.audience !== undefined && values.issuer === undefined) {
    throw new UsageError(
      "--audience goes with --issuer (the audiences an external issuer's tokens carry)",
    );
  }
  const projectDir = resolve(__dirname, "../..");
  // The program's evaluation process loads the Pulumi SDKs while this one loads the environment.
  prepareEvaluator(projectDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startLocalEnvironment } = require("../environment") as typeof import("../environment");
  const host = values.host ?? process.env.HOST ?? "127.0.0.1";
  const issuerHost = values["issuer-host"] ?? process.env.ISSUER_HOST ?? "127.0.0.1";
  if (!isLoopbackOrWildcard(issuerHost)) {
    throw new UsageError(
      `--issuer-host '${issuerHost}': expected a loopback address, or 0.0.0.0 or :: for every interface (the issuer signs tokens for any username)`,
    );
  }
  const log = lineWriter(process.stdout);
  const env = await startLocalEnvironment({
    projectDir,
    stack: values.stack,
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
    host,
    issuerHost,
    port: parsePort("--port", values.port ?? process.env.PORT, 3000),
    issuerPort: parsePort("--issuer-port", values["issuer-port"] ?? process.env.ISSUER_PORT, 4000),
    ...(values.issuer !== undefined ? { externalIssuer: values.issuer } : {}),
    ...(values["issuer-url"] !== undefined ? { externalIssuerUrl: values["issuer-url"] } : {}),
    ...(values.audience !== undefined
      ? {
          audiences: values.audience
            .split(",")
            .map((a) => a.trim())
            .filter((a) => a !== ""),
        }
      : {}),
    throttle: values.throttle,
    user: {
      username: values.user ?? process.env.LOCAL_USER ?? "local-user",
      password: values.password ?? process.env.LOCAL_PASSWORD ?? "local-password",
    },
    watch: true,
    stateDir: localStateDir(),
    log,
  });

  const loginUrl = env.model().outputs.loginUrl;
  log(`Stack: ${values.stack}`);
  log(`ApiEndpoint: ${env.apiEndpoint}`);
  if (env.issuerUrl !== undefined) {
    log(`Issuer: ${env.issuer} (served at ${env.issuerUrl})`);
    // The program's own loginUrl output, pointed at where its issuer is served.
    if (typeof loginUrl === "string") log(`LoginUrl: ${env.reachable(loginUrl)}`);
    log(
      `Token: TOKEN=$(npm run --silent token) && curl -H "Authorization: Bearer $TOKEN" ${env.apiEndpoint}/private`,
    );
    log(
      `User: any username with password ${values.password !== undefined || process.env.LOCAL_PASSWORD !== undefined ? "(as set)" : "'local-password'"}; the username becomes the token's sub`,
    );
    const keys = relative(process.cwd(), join(localStateDir(), "issuer-keys.json"));
    log(`Keys: ${keys} signs tokens for local use only`);
  } else {
    log(`Issuer: ${env.issuer} (external)`);
  }
  // Function code shares this process's working directory (worker threads cannot have their
  // own): from here on it is the functions' folder, outside the project, so a relative path in a
  // handler finds what it would find on Lambda, not the project's files or its secrets. Every
  // path this process still uses is absolute.
  process.chdir(env.functionsDir);
  log("Ready");

  const stop = () => {
    process.stdout.write("Shutting down\n");
    void env.close().then(() => process.exit(0));
  };
  // For the load test: a parent that started this with --expose-gc and an IPC channel may ask for
  // a full garbage collection, in this process and in every idle function environment, before it
  // reads resident memory, so growth means a leak, not garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined && process.send !== undefined) {
    process.on("message", (message) => {
      if (message !== "gc") return;
      void env.collectFunctionGarbage().then((functionHeaps) => {
        gc();
        process.send!({ heapUsed: process.memoryUsage().heapUsed, functionHeaps });
      });
    });
    process.channel?.unref();
  }
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
});
