import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalEnvironment } from "../local/environment";
import { evaluateProgram } from "../local/evaluate/evaluateProgram";
import { isArchiveSnapshot } from "../local/evaluate/snapshot";
import { PROJECT_DIR } from "../tests/support/program";

/** How long after the previous change was served each save comes: a pause, or editing's pace. */
export const SAVE_PACES = { spaced: 3000, editing: 300 } as const;

/**
 * Saves a handler in a copy of the project and times until the new answer is served, `times`
 * times at each pace in one environment: spaced (the spare evaluator has long been ready) and at
 * editing's pace (each save 0.3 s after the previous one was served).
 */
export async function hotReloadLatencies(
  times: number,
): Promise<Record<keyof typeof SAVE_PACES, number[]>> {
  const copy = projectCopy();
  const env = await startLocalEnvironment({
    ...{ projectDir: copy, stack: "dev", host: "127.0.0.1", port: 0, issuerPort: 0 },
    ...{ user: { username: "u", password: "p" }, watch: true, log: () => undefined },
  });
  try {
    const file = join(copy, "handlers", "public.ts");
    const original = readFileSync(file, "utf8");
    let run = 0;
    const timeSaves = async (pauseMs: number) => {
      const latencies: number[] = [];
      for (let i = 0; i < times; i++) {
        await new Promise((r) => setTimeout(r, pauseMs));
        const answer = `Hello reloaded ${++run}!`;
        writeFileSync(file, original.replace("Hello stranger!", answer));
        latencies.push(await untilServed(`${env.apiEndpoint}/public`, answer));
      }
      return latencies;
    };
    return {
      spaced: await timeSaves(SAVE_PACES.spaced),
      editing: await timeSaves(SAVE_PACES.editing),
    };
  } finally {
    await env.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Milliseconds from now until `url` answers `answer`. */
async function untilServed(url: string, answer: string): Promise<number> {
  const saved = Date.now();
  while ((await (await fetch(url)).text()) !== answer) {
    if (Date.now() - saved > 30_000) throw new Error("the change was not served within 30 s");
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - saved;
}

/** A copy of the program's files, for saving into. */
function projectCopy(): string {
  const copy = join(PROJECT_DIR, ".local", `bench-project-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  const entries = ["index.ts", "infra", "facts", "handlers", "Pulumi.yaml", "Pulumi.dev.yaml"];
  for (const entry of [...entries, "package.json", "tsconfig.json"]) {
    cpSync(join(PROJECT_DIR, entry), join(copy, entry), { recursive: true });
  }
  return copy;
}

/**
 * A usage error (`--port abc`), `times` times: milliseconds until the command has exited with
 * its message, as npm runs it (`npm start -- --port abc`, npm's own start-up included) and as
 * npm execs it (the node command of package.json's `start` script, which is ours).
 */
export function usageErrorTimes(times: number): { npm: number[]; node: number[] } {
  const script = (
    JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const [, ...nodeArgs] = script.replace(/^exec /, "").split(" ");
  const timed = (command: string, args: string[]) => () => {
    const started = Date.now();
    const { status } = spawnSync(command, args, { cwd: PROJECT_DIR, stdio: "ignore" });
    if (status !== 2) throw new Error(`${command} ${args.join(" ")} exited ${status}, not 2`);
    return Date.now() - started;
  };
  const viaNpm = timed("npm", ["start", "--silent", "--", "--port", "abc"]);
  const direct = timed(process.execPath, [...nodeArgs, "--port", "abc"]);
  return {
    npm: Array.from({ length: times }, viaNpm),
    node: Array.from({ length: times }, direct),
  };
}

export async function evaluationTimes(): Promise<{
  totalMs: number;
  programMs: number;
  archives: [string, number][];
}> {
  const started = Date.now();
  const evaluation = await evaluateProgram({ projectDir: PROJECT_DIR, stack: "dev" });
  const totalMs = Date.now() - started;
  if (evaluation.kind === "failed") throw new Error(evaluation.error.message);
  const archives = evaluation.resources
    .filter((r) => r.type === "aws:lambda/function:Function" && isArchiveSnapshot(r.inputs.code))
    .map((r) => {
      const files = (r.inputs.code as { $archive: Record<string, { text?: string }> }).$archive;
      const bytes = Object.values(files).reduce((n, f) => n + Buffer.byteLength(f.text ?? ""), 0);
      return [String(r.inputs.name), bytes] as [string, number];
    });
  return { totalMs, programMs: evaluation.elapsedMs, archives };
}
