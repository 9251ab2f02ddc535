// The load side of `npm run bench`: autocannon runs, each target's median of three, the ceiling
// servers in their own processes, and the spread of repeated timings.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { join } from "node:path";

export const CONNECTIONS = 10;
export const WARM_UP_S = 3;
export const DURATION_S = 5;
/** Each target runs this many times after its warm-up; the median run is reported. */
export const RUNS = 3;

export const progress = (line: string) => process.stderr.write(`\r\x1b[K${line}`);

export interface Measured {
  target: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(
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
  const results: Omit<Measured, "target">[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await run(DURATION_S));
  const median = (pick: (r: Omit<Measured, "target">) => number) =>
    spread(results.map(pick)).median;
  return {
    target,
    requestsPerSecond: Math.round(median((r) => r.requestsPerSecond)),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
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

/** A ceiling server (`ceilingServer.js`, `workerHopServer.js`) in its own process, under load. */
export async function ceiling(target: string, script: string): Promise<Measured> {
  const child = spawn(process.execPath, [join(__dirname, script)]);
  const port = await new Promise<string>((resolve) =>
    child.stdout.once("data", (d) => resolve(String(d).trim())),
  );
  try {
    return await load(target, `http://127.0.0.1:${port}/`);
  } finally {
    child.kill("SIGTERM");
  }
}

/** `npm start`, as a user runs it (npm, its shell, the environment and its children), on free ports. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  all: number[];
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    all: samples,
  };
}

export function seconds({ median, min, max, all }: Spread): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(median)} s, median of ${all.length} (${s(min)}–${s(max)} s)`;
}
