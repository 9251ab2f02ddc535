import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateProgram } from "../local/evaluate/evaluateProgram";
import { isArchiveSnapshot } from "../local/evaluate/snapshot";
import { PROJECT_DIR } from "../tests/support/program";

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
