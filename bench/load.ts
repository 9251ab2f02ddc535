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
  /** Requests/s of each round, in order. */
  rounds: number[];
}

/** What one target loads: a URL, with fixed headers or with distinct tokens. */
export interface LoadTarget {
  target: string;
  url: string;
  headers?: Record<string, string>;
  tokens?: string[];
}

/**
 * Every target warmed up, then `RUNS` rounds of every target in turn, so that each round's
 * figures, the ceilings' included, come from the same few seconds of a machine whose speed drifts
 * (the same bare server measured 23k and 43k requests/s an hour apart here). `rounds` keeps each
 * round's requests/s: ratios are taken round by round (`ratio`).
 */
export async function loadInterleaved(targets: LoadTarget[]): Promise<Measured[]> {
  for (const t of targets) await runOnce(t, WARM_UP_S);
  const results = targets.map(() => [] as Omit<Measured, "target" | "rounds">[]);
  for (let round = 0; round < RUNS; round++) {
    for (const [i, t] of targets.entries()) {
      results[i]!.push(await runOnce(t, DURATION_S, `round ${round + 1}/${RUNS}`));
    }
  }
  return targets.map((t, i) => {
    const runs = results[i]!;
    const median = (pick: (r: Omit<Measured, "target" | "rounds">) => number) =>
      spread(runs.map(pick)).median;
    return {
      target: t.target,
      requestsPerSecond: Math.round(median((r) => r.requestsPerSecond)),
      p50: median((r) => r.p50),
      p99: median((r) => r.p99),
      non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      rounds: runs.map((r) => r.requestsPerSecond),
    };
  });
}

/** The median, over the rounds, of a target's rate against a ceiling's in the same round. */
export function ratio(measured: Measured, ceiling: Measured): number {
  return spread(measured.rounds.map((rps, i) => rps / ceiling.rounds[i]!)).median;
}

async function runOnce(
  t: LoadTarget,
  duration: number,
  label = "warm-up",
): Promise<Omit<Measured, "target" | "rounds">> {
  const started = Date.now();
  const ticker = setInterval(
    () =>
      progress(
        `${t.target} (${label}): ${Math.round((Date.now() - started) / 1000)}/${duration} s`,
      ),
    500,
  );
  try {
    if (t.tokens === undefined) {
      const result = await autocannon({
        url: t.url,
        connections: CONNECTIONS,
        duration,
        headers: t.headers ?? {},
      });
      return summary(result);
    }
    // Distinct tokens: each connection cycles through its own share of pre-built requests (no
    // per-request work in the generator), so no token comes back before thousands of others
    // have passed through the verdict cache.
    const share = Math.ceil(t.tokens.length / CONNECTIONS);
    const results = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, c) =>
        autocannon({
          url: t.url,
          connections: 1,
          duration,
          requests: t.tokens!.slice(c * share, (c + 1) * share).map((token) => ({
            method: "GET" as const,
            headers: { authorization: `Bearer ${token}` },
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
}

function summary(result: autocannon.Result): Omit<Measured, "target" | "rounds"> {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** A bare server (`ceilingServer.js`) in its own process, listening. */
export async function startCeiling(script: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(__dirname, script)]);
  const port = await new Promise<string>((resolve) =>
    child.stdout.once("data", (d) => resolve(String(d).trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill("SIGTERM") };
}

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
