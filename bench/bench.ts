// `npm run bench`: the local environment against this machine's ceiling, in one run, on loopback.
// Prints a table (requests/s, p50, p99, each as a ratio to a bare node:http server), then start-up,
// hot-reload and evaluation times and each Lambda archive's raw size, with every target and whether
// it is met. Results go to bench/results.json; `--update-readme` writes the table into docs/performance.md.
import autocannon from "autocannon";
import * as prettier from "prettier";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { evaluationTimes, hotReloadLatency } from "./measures";
import { PROJECT_DIR } from "../tests/support/program";
import { startProcess } from "../tests/support/startProcess";
import { localIssuerSigner, rsaKey } from "../tests/support/tokens";

const CONNECTIONS = 10;
const WARM_UP_S = 3;
const DURATION_S = 10;
/** More distinct tokens than any cache holds (the verdict cache keeps 1,000). */
const DISTINCT_TOKENS = 5_000;
/** Start-up and hot reload are single events: each is timed this many times, the median kept. */
const TIMINGS = 5;

const progress = (line: string) => process.stderr.write(`\r\x1b[K${line}`);

interface Measured {
  target: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(
  target: string,
  url: string,
  options: { headers?: Record<string, string>; tokens?: string[] } = {},
): Promise<Measured> {
  const run = async (duration: number) => {
    const started = Date.now();
    const ticker = setInterval(
      () => progress(`${target}: ${Math.round((Date.now() - started) / 1000)}/${duration} s`),
      500,
    );
    try {
      if (options.tokens === undefined) {
        const result = await autocannon({
          url,
          connections: CONNECTIONS,
          duration,
          headers: options.headers ?? {},
        });
        return summary(result);
      }
      // Distinct tokens: each connection cycles through its own share of pre-built requests (no
      // per-request work in the generator), so no token comes back before thousands of others
      // have passed through the verdict cache.
      const share = Math.ceil(options.tokens.length / CONNECTIONS);
      const results = await Promise.all(
        Array.from({ length: CONNECTIONS }, (_, c) =>
          autocannon({
            url,
            connections: 1,
            duration,
            requests: options.tokens!.slice(c * share, (c + 1) * share).map((t) => ({
              method: "GET" as const,
              headers: { authorization: `Bearer ${t}` },
            })),
          }),
        ),
      );
      // Percentiles cannot be merged exactly: the mean of the p50s, the worst p99.
      return {
        requestsPerSecond: results.reduce((n, r) => n + r.requests.average, 0),
        p50: results.reduce((n, r) => n + r.latency.p50, 0) / results.length,
        p99: Math.max(...results.map((r) => r.latency.p99)),
        non2xx: results.reduce((n, r) => n + r.non2xx, 0),
        errors: results.reduce((n, r) => n + r.errors, 0),
      };
    } finally {
      clearInterval(ticker);
    }
  };
  await run(WARM_UP_S);
  const result = await run(DURATION_S);
  return { target, ...result, requestsPerSecond: Math.round(result.requestsPerSecond) };
}

function summary(result: autocannon.Result): Omit<Measured, "target"> {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function ceiling(): Promise<Measured> {
  const child = spawn(process.execPath, [join(__dirname, "ceilingServer.js")]);
  const port = await new Promise<string>((resolve) =>
    child.stdout.once("data", (d) => resolve(String(d).trim())),
  );
  try {
    return await load("bare node:http (ceiling)", `http://127.0.0.1:${port}/`);
  } finally {
    child.kill("SIGTERM");
  }
}

async function main(): Promise<void> {
  const updateReadme = process.argv.includes("--update-readme");
  const stateDir = join(PROJECT_DIR, ".local", `bench-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });

  const first = await ceiling();

  // Start-up: the first run also creates the issuer's keys, as a user's first `npm start` does.
  // The last server started is the one measured under load.
  const startups: number[] = [];
  let server: Awaited<ReturnType<typeof startProcess>> | undefined;
  for (let run = 1; run <= TIMINGS; run++) {
    progress(`starting the local environment (${run}/${TIMINGS})`);
    await server?.stop();
    const startedAt = Date.now();
    server = await startProcess(stateDir);
    while ((await fetch(`${server.apiEndpoint}/public`).catch(() => undefined))?.status !== 200) {
      await new Promise((r) => setTimeout(r, 10));
    }
    startups.push(Date.now() - startedAt);
  }
  server = server!;
  const startup = spread(startups);
  const startupMs = startup.median;

  const signer = await localIssuerSigner(stateDir);
  progress(`signing ${DISTINCT_TOKENS} distinct tokens`);
  const distinct = await Promise.all(
    Array.from({ length: DISTINCT_TOKENS }, (_, i) => signer.sign(`user-${i}`)),
  );
  const forger = { ...(await rsaKey("forger")), kid: signer.key.kid };
  const forged = await signer.sign("forger", 3600, forger);

  const rows: Measured[] = [];
  try {
    rows.push(await load("GET /public", `${server.apiEndpoint}/public`));
    rows.push(
      await load("GET /private, one valid token", `${server.apiEndpoint}/private`, {
        headers: { authorization: `Bearer ${distinct[0]}` },
      }),
    );
    rows.push(
      await load(
        `GET /private, ${DISTINCT_TOKENS} distinct valid tokens`,
        `${server.apiEndpoint}/private`,
        {
          tokens: distinct,
        },
      ),
    );
    rows.push(
      await load("GET /private, forged token (401)", `${server.apiEndpoint}/private`, {
        headers: { authorization: `Bearer ${forged}` },
      }),
    );
  } finally {
    await server.stop();
  }
  const last = await ceiling();
  const top = first.requestsPerSecond >= last.requestsPerSecond ? first : last;

  progress("measuring hot reload and evaluation");
  const reload = spread(await hotReloadLatency(TIMINGS));
  const reloadMs = reload.median;
  const evaluation = await evaluationTimes();
  progress("");
  rmSync(stateDir, { recursive: true, force: true });

  const ratio = (m: Measured) => m.requestsPerSecond / top.requestsPerSecond;
  const [pub, one, many, bad] = rows as [Measured, Measured, Measured, Measured];
  const targets: [string, boolean][] = [
    [`/public ≥ 50% of the ceiling (${pct(ratio(pub))})`, ratio(pub) >= 0.5],
    [`/private, one token ≥ 40% (${pct(ratio(one))})`, ratio(one) >= 0.4],
    [`/private, distinct tokens ≥ 20% (${pct(ratio(many))})`, ratio(many) >= 0.2],
    [
      `p99 under 5 ms at ${CONNECTIONS} connections (worst ${Math.max(...rows.map((r) => r.p99))} ms)`,
      rows.every((r) => r.p99 < 5),
    ],
    [
      `forged tokens rejected at least as fast as valid ones are accepted (${bad.requestsPerSecond} vs ${one.requestsPerSecond} requests/s)`,
      bad.requestsPerSecond >= one.requestsPerSecond,
    ],
    [`start-up to first answer under 4 s (${(startupMs / 1000).toFixed(2)} s)`, startupMs < 4000],
    [`hot reload under 1 s (${(reloadMs / 1000).toFixed(2)} s)`, reloadMs < 1000],
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
    `| target | requests/s | p50 ms | p99 ms | of ceiling |`,
    `| --- | ---: | ---: | ---: | ---: |`,
    ...[top, ...rows].map(
      (r) => `| ${r.target} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${pct(ratio(r))} |`,
    ),
  ].join("\n");
  const facts = [
    `- start-up (npm start to the first answer): ${seconds(startup)}`,
    `- hot reload (file saved to new code served): ${seconds(reload)}`,
    `- program evaluation under mocks: ${(evaluation.totalMs / 1000).toFixed(2)} s in a fresh process, of which the program itself ${(evaluation.programMs / 1000).toFixed(2)} s`,
    ...evaluation.archives.map(([name, bytes]) => `- Lambda archive ${name}: ${bytes} bytes raw`),
  ].join("\n");
  const verdicts = targets.map(([t, ok]) => `- ${ok ? "met" : "NOT met"}: ${t}`).join("\n");
  const machine = `Node ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections, ${WARM_UP_S} s warm-up + ${DURATION_S} s per target, autocannon`;
  const report = `${table}\n\n${facts}\n\nTargets:\n\n${verdicts}\n\n${machine}, ${new Date().toISOString().slice(0, 10)}.`;
  console.log(report);

  mkdirSync(join(PROJECT_DIR, "bench"), { recursive: true });
  writeFileSync(
    join(PROJECT_DIR, "bench", "results.json"),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        ceiling: { first, last },
        rows,
        startupMs: startups,
        reloadMs: reload.all,
        evaluation,
        targets: Object.fromEntries(targets),
      },
      null,
      2,
    ),
  );
  if (updateReadme) {
    const readme = join(PROJECT_DIR, "docs", "performance.md");
    const text = readFileSync(readme, "utf8");
    const marked = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
    if (!marked.test(text)) {
      throw new Error(
        "docs/performance.md has no <!-- bench:start --> … <!-- bench:end --> section",
      );
    }
    const updated = text.replace(marked, `<!-- bench:start -->\n${report}\n<!-- bench:end -->`);
    // Formatted as `npm run lint` expects it.
    const options = (await prettier.resolveConfig(readme)) ?? {};
    writeFileSync(readme, await prettier.format(updated, { ...options, filepath: readme }));
  }
}

function pct(r: number): string {
  return `${(r * 100).toFixed(0)}%`;
}

main().catch((err: Error) => {
  console.error(`\n${err.stack ?? err.message}`);
  process.exit(1);
});

interface Spread {
  median: number;
  min: number;
  max: number;
  all: number[];
}

function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    all: samples,
  };
}

function seconds({ median, min, max, all }: Spread): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(median)} s, median of ${all.length} (${s(min)}–${s(max)} s)`;
}
