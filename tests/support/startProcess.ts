import type { ChildProcess } from "node:child_process";
import { startCli } from "./processes";

export interface StartedProcess {
  child: ChildProcess;
  apiEndpoint: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/**
 * Runs what `npm start` runs, in its own process (so its memory and CPU are its own), on free
 * ports with the given state folder, with an IPC channel, and waits for `Ready`.
 */
export async function startProcess(
  stateDir: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<StartedProcess> {
  const running = startCli(
    "start",
    ["--port", "0", "--issuer-port", "0", "--console-port", "0", ...args],
    {
      stateDir,
      nodeArgs,
      ipc: true,
    },
  );
  await running.waitForOutput(/^Ready$/m);
  const apiEndpoint = /^ApiEndpoint: (\S+)$/m.exec(running.output())![1]!;
  return {
    child: running.child,
    apiEndpoint,
    output: running.output,
    stop: () => running.stop(),
  };
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const status = (require("node:fs") as typeof import("node:fs")).readFileSync(
    `/proc/${pid}/status`,
    "utf8",
  );
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

/** Resident memory, and the heap in use in the server's isolate and in each idle function's. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  functionHeaps: number[];
}

/**
 * Asks a process started with --expose-gc for a full collection, in itself and in each idle
 * function environment, then reads its resident memory, the main heap and the functions' heaps.
 */
export async function memoryAfterGc(child: ChildProcess): Promise<MemoryReading> {
  const reply = await new Promise<Omit<MemoryReading, "rss">>((resolve) => {
    child.once("message", (m) => resolve(m as Omit<MemoryReading, "rss">));
    child.send("gc");
  });
  return { rss: residentBytes(child.pid!), ...reply };
}

/**
 * The memory a process keeps once a load has stopped: a full collection in every isolate once a
 * second for eight seconds, then the last reading. V8 grows each heap's young generation for a
 * high allocation rate and gives it back only at a collection after about five quiet seconds;
 * read straight after a load, resident memory swung by up to 25% between identical runs (nine
 * isolates, measured here), and the settled reading by under 3%. A leak stays through all of it.
 */
export async function settledMemory(child: ChildProcess): Promise<MemoryReading> {
  let reading: MemoryReading | undefined;
  for (let round = 0; round < 8; round++) {
    await new Promise((r) => setTimeout(r, 1000));
    reading = await memoryAfterGc(child);
  }
  return reading!;
}
