// `npm run bench`: the local environment against this machine's two ceilings, in one run, on
// loopback: a bare node:http server, and one that hands each request to a worker thread (the
// limit of a design that runs every invocation in a worker). Prints a table (requests/s, p50, p99,
// each the median of three runs, as ratios to both ceilings), then start-up, hot-reload and
// evaluation times, the resident memory of the whole `npm start` process tree, and each Lambda
// archive's raw size, with every target and whether it is met. Results go to bench/results.json;
// `--update-readme` writes the report into docs/performance.md.
import * as prettier from "prettier";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import {
  joseVerificationsPerSecond,
  rs256VerificationsPerSecond,
  sdkLoadMs,
  settledTreeBytes,
} from "./footprint";
import {
  CONNECTIONS,
  DURATION_S,
  RUNS,
  WARM_UP_S,
  loadInterleaved,
  progress,
  ratio,
  seconds,
  spread,
  startCeiling,
  type Measured,
} from "./load";
import { evaluationTimes, hotReloadLatency } from "./measures";
import { PROJECT_DIR } from "../tests/support/program";
import { isRunning } from "../local/state";
import { processTree, startCommand, type Running } from "../tests/support/processes";
import { localIssuerSigner, rsaKey } from "../tests/support/tokens";

/** More distinct tokens than any cache holds (the verdict cache keeps 1,000). */
const DISTINCT_TOKENS = 5_000;
/** Start-up and hot reload are single events: each is timed this many times, the median kept. */
const TIMINGS = 5;

async function npmStart(stateDir: string): Promise<{ running: Running; apiEndpoint: string }> {
  const running = startCommand(
    "npm",
    ["start", "--silent", "--", "--port", "0", "--issuer-port", "0", "--console-port", "0"],
    {
      stateDir,
    },
  );
  const [, apiEndpoint] = await running.waitForOutput(/^ApiEndpoint: (\S+)$/m);
  await running.waitForOutput(/^Ready$/m);
  return { running, apiEndpoint: apiEndpoint! };
}

/** Stops `npm start` as Ctrl-C does (SIGINT to every process of it), and waits for all of it. */
async function stopNpmStart(running: Running): Promise<void> {
  const tree = processTree(running.child.pid!);
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
  while (tree.some(isRunning)) await new Promise((r) => setTimeout(r, 50));
}

async function main(): Promise<void> {
  const updateReadme = process.argv.includes("--update-readme");
  const stateDir = join(PROJECT_DIR, ".local", `bench-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });

  progress("RS256 verifications on one core");
  const verifications = Math.round(rs256VerificationsPerSecond());
  const viaJose = Math.round(await joseVerificationsPerSecond());
  progress("loading @pulumi/aws in a fresh node");
  const sdkLoad = spread([sdkLoadMs(), sdkLoadMs(), sdkLoadMs()]);

  // Start-up: the first run also creates the issuer's keys, as a user's first `npm start` does.
  // The last one started is the one measured under load.
  const startups: number[] = [];
  let server: { running: Running; apiEndpoint: string } | undefined;
  for (let run = 1; run <= TIMINGS; run++) {
    progress(`starting the local environment (${run}/${TIMINGS})`);
    if (server !== undefined) await stopNpmStart(server.running);
    const startedAt = Date.now();
    server = await npmStart(stateDir);
    while ((await fetch(`${server.apiEndpoint}/public`).catch(() => undefined))?.status !== 200) {
      await new Promise((r) => setTimeout(r, 10));
    }
    startups.push(Date.now() - startedAt);
  }
  server = server!;
  const startup = spread(startups);
  progress("resident memory, idle");
  const idleBytes = await settledTreeBytes(server.running.child.pid!);

  const signer = await localIssuerSigner(stateDir);
  progress(`signing ${DISTINCT_TOKENS} distinct tokens`);
  const distinct = await Promise.all(
    Array.from({ length: DISTINCT_TOKENS }, (_, i) => signer.sign(`user-${i}`)),
  );
  const forger = { ...(await rsaKey("forger")), kid: signer.key.kid };
  const forged = await signer.sign("forger", 3600, forger);

  // The ceilings run beside the environment, each in its own process, idle while others load.
  const bareServer = await startCeiling("ceilingServer.js");
  const hopServer = await startCeiling("workerHopServer.js");
  let measured: Measured[];
  let loadedBytes: number;
  try {
    const api = server.apiEndpoint;
    measured = await loadInterleaved([
      { target: "bare node:http (ceiling)", url: bareServer.url },
      { target: "node:http + one worker thread (ceiling)", url: hopServer.url },
      { target: "GET /public", url: `${api}/public` },
      {
        target: "GET /private, one valid token",
        url: `${api}/private`,
        headers: { authorization: `Bearer ${distinct[0]}` },
      },
      {
        target: `GET /private, ${DISTINCT_TOKENS} distinct valid tokens`,
        url: `${api}/private`,
        tokens: distinct,
      },
      {
        target: "GET /private, forged token (401)",
        url: `${api}/private`,
        headers: { authorization: `Bearer ${forged}` },
      },
    ]);
    progress("resident memory, settled after the load");
    loadedBytes = await settledTreeBytes(server.running.child.pid!);
  } finally {
    bareServer.stop();
    hopServer.stop();
    await stopNpmStart(server.running);
  }
  const [bare, hop, ...rows] = measured as [Measured, Measured, ...Measured[]];

  progress("measuring hot reload and evaluation");
  const reload = spread(await hotReloadLatency(TIMINGS));
  const evaluation = await evaluationTimes();
  progress("");
  rmSync(stateDir, { recursive: true, force: true });

  const ofBare = (m: Measured) => ratio(m, bare);
  const ofHop = (m: Measured) => ratio(m, hop);
  const [pub, one, many, bad] = rows as [Measured, Measured, Measured, Measured];
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const growth = loadedBytes / idleBytes - 1;
  const targets: [string, boolean][] = [
    [`/public ≥ 0.75 of the worker-hop ceiling (${ofHop(pub).toFixed(2)})`, ofHop(pub) >= 0.75],
    [`/private, one token ≥ 0.65 of it (${ofHop(one).toFixed(2)})`, ofHop(one) >= 0.65],
    [
      `/private, distinct tokens ≥ 0.35 of it (${ofHop(many).toFixed(2)}; ${(many.requestsPerSecond / verifications).toFixed(2)} of ${verifications} RS256 verifications/s on one core, ${(many.requestsPerSecond / viaJose).toFixed(2)} of ${viaJose}/s through jose)`,
      ofHop(many) >= 0.35,
    ],
    [`forged tokens ≥ 0.60 of the bare ceiling (${ofBare(bad).toFixed(2)})`, ofBare(bad) >= 0.6],
    [
      `p99 under 3 ms at ${CONNECTIONS} connections (worst ${Math.max(...rows.map((r) => r.p99))} ms)`,
      rows.every((r) => r.p99 < 3),
    ],
    [
      `resident memory of the npm start tree ≤ 200 MB idle (${mb(idleBytes)})`,
      idleBytes <= 200 * 1024 * 1024,
    ],
    [
      `after the load, settled, within 15% of idle (${mb(loadedBytes)}, ${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(0)}%)`,
      Math.abs(growth) <= 0.15,
    ],
    [
      `start-up ≤ 1.2 × loading @pulumi/aws (${(startup.median / sdkLoad.median).toFixed(2)} ×: ${(startup.median / 1000).toFixed(2)} s against ${(sdkLoad.median / 1000).toFixed(2)} s)`,
      startup.median <= 1.2 * sdkLoad.median,
    ],
    [`hot reload ≤ 0.3 s (${(reload.median / 1000).toFixed(2)} s)`, reload.median <= 300],
    ...evaluation.archives.map(
      ([name, bytes]) =>
        [`${name} archive under 8 KB (${bytes} bytes)`, bytes < 8192] as [string, boolean],
    ),
  ];
  const wrong = rows.filter((r, i) => r.errors > 0 || (i === 3 ? r.non2xx === 0 : r.non2xx > 0));
  if (wrong.length > 0) {
    targets.push([`answers as expected (${wrong.map((w) => w.target).join(", ")} did not)`, false]);
  }

  const table = [
    `| target | requests/s | p50 ms | p99 ms | of bare | of worker hop |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...[bare, hop, ...rows].map(
      (r) =>
        `| ${r.target} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${ofBare(r).toFixed(2)} | ${ofHop(r).toFixed(2)} |`,
    ),
  ].join("\n");
  const facts = [
    `- start-up (npm start to the first answer): ${seconds(startup)}; loading @pulumi/aws alone: ${seconds(sdkLoad)}`,
    `- hot reload (file saved to new code served): ${seconds(reload)}`,
    `- resident memory of the whole npm start process tree: ${mb(idleBytes)} idle after start-up, ${mb(loadedBytes)} settled after the load`,
    `- RS256 verifications on one core: ${verifications}/s with node:crypto; ${viaJose}/s through jose's compactVerify (WebCrypto), as the authorizer verifies`,
    `- program evaluation under mocks: ${(evaluation.totalMs / 1000).toFixed(2)} s in a fresh process, of which the program itself ${(evaluation.programMs / 1000).toFixed(2)} s`,
    ...evaluation.archives.map(([name, bytes]) => `- Lambda archive ${name}: ${bytes} bytes raw`),
  ].join("\n");
  const verdicts = targets.map(([t, ok]) => `- ${ok ? "met" : "NOT met"}: ${t}`).join("\n");
  const machine = `Node ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections, ${WARM_UP_S} s warm-up, then ${RUNS} rounds of ${DURATION_S} s per target taken in turn (medians; ratios round by round), autocannon`;
  const report = `${table}\n\n${facts}\n\nTargets:\n\n${verdicts}\n\n${machine}, ${new Date().toISOString().slice(0, 10)}.`;
  console.log(report);

  writeFileSync(
    join(PROJECT_DIR, "bench", "results.json"),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        ceilings: { bare, workerHop: hop },
        rows,
        rs256VerificationsPerSecond: verifications,
        joseVerificationsPerSecond: viaJose,
        sdkLoadMs: sdkLoad.all,
        startupMs: startups,
        reloadMs: reload.all,
        residentBytes: { idle: idleBytes, afterLoad: loadedBytes },
        evaluation,
        targets: Object.fromEntries(targets),
      },
      null,
      2,
    ),
  );
  if (updateReadme) await updatePerformanceDoc(report);
}

/** Writes the report between the markers of docs/performance.md, formatted as the lint wants. */
async function updatePerformanceDoc(report: string): Promise<void> {
  const doc = join(PROJECT_DIR, "docs", "performance.md");
  const text = readFileSync(doc, "utf8");
  const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  if (!marked.test(text)) {
    throw new Error("docs/performance.md has no <!-- bench:start --> … <!-- bench:end --> section");
  }
  const updated = text.replace(marked, `<!-- bench:start -->\n${report}\n<!-- bench:end -->`);
  const options = (await prettier.resolveConfig(doc)) ?? {};
  writeFileSync(doc, await prettier.format(updated, { ...options, filepath: doc }));
}

main().catch((err: Error) => {
  console.error(`\n${err.stack ?? err.message}`);
  process.exit(1);
});
