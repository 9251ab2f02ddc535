import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalEnvironment } from "../local/environment";
import { evaluateProgram } from "../local/evaluate/evaluateProgram";
import { isArchiveSnapshot } from "../local/evaluate/snapshot";
import { PROJECT_DIR } from "../tests/support/program";

/**
 * Saves a handler in a copy of the project and times until the new answer is served, `times`
 * times in one environment, each save after the spare evaluator has had time to warm up.
 */
export async function hotReloadLatency(times: number): Promise<number[]> {
  const copy = join(PROJECT_DIR, ".local", `bench-project-${process.pid}`);
  rmSync(copy, { recursive: true, force: true });
  for (const entry of [
    "index.ts",
    "infra",
    "facts",
    "handlers",
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "package.json",
    "tsconfig.json",
  ]) {
    cpSync(join(PROJECT_DIR, entry), join(copy, entry), { recursive: true });
  }
  const env = await startLocalEnvironment({
    projectDir: copy,
    stack: "dev",
    host: "127.0.0.1",
    port: 0,
    issuerPort: 0,
    user: { username: "u", password: "p" },
    watch: true,
    log: () => undefined,
  });
  try {
    const file = join(copy, "handlers", "public.ts");
    const original = readFileSync(file, "utf8");
    const latencies: number[] = [];
    for (let run = 1; run <= times; run++) {
      // Let the spare evaluator warm up, as it has in use by the time a file is saved.
      await new Promise((r) => setTimeout(r, 3000));
      const answer = `Hello reloaded ${run}!`;
      writeFileSync(file, original.replace("Hello stranger!", answer));
      const saved = Date.now();
      for (;;) {
        const text = await (await fetch(`${env.apiEndpoint}/public`)).text();
        if (text === answer) break;
        if (Date.now() - saved > 30_000) throw new Error("the change was not served within 30 s");
        await new Promise((r) => setTimeout(r, 10));
      }
      latencies.push(Date.now() - saved);
    }
    return latencies;
  } finally {
    await env.close();
    rmSync(copy, { recursive: true, force: true });
  }
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
