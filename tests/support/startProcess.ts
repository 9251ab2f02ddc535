import type { ChildProcess } from "node:child_process";
import { InspectorClient, type ProtocolEvent } from "./inspectorClient";
import { startCli } from "./processes";

export interface StartedProcess {
  child: ChildProcess;
  apiEndpoint: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/**
 * Runs what `npm start` runs, in its own process (so its memory and CPU are its own), on free
 * ports with the given state folder, and waits for `Ready`.
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

/** Resident memory, and the heap in use in the server's isolate and in each function's. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  functionHeaps: number[];
}

/** How long a worker may take to answer before it counts as gone (it ended meanwhile). */
const WORKER_ANSWER_MS = 5000;

/**
 * The memory a process keeps, read through node's own inspector: the process was started with
 * `--inspect=127.0.0.1:0`, and nothing of the local environment serves the readings. A reading
 * runs a full collection in every isolate (the process's own, and each function's execution
 * environment, a worker thread the inspector reaches even while it is frozen), so that growth
 * means a leak, not garbage; the built-in issuer's thread is left out.
 */
export class MemoryProbe {
  private constructor(
    private readonly client: InspectorClient,
    private readonly pid: number,
  ) {}

  static async attach(started: StartedProcess): Promise<MemoryProbe> {
    const [, url] = /Debugger listening on (ws:\/\/\S+)/.exec(started.output()) ?? [];
    if (url === undefined) throw new Error("the process was not started with --inspect");
    const client = await InspectorClient.connect(url);
    await client.send("NodeWorker.enable", { waitForDebuggerOnStart: false });
    return new MemoryProbe(client, started.child.pid!);
  }

  /**
   * The memory kept once a load has stopped: a full collection in every isolate once a second
   * for eight seconds, then the last reading. V8 grows each heap's young generation for a high
   * allocation rate and gives it back only at a collection after about five quiet seconds; read
   * straight after a load, resident memory swung by up to 25% between identical runs (nine
   * isolates, measured here), and the settled reading by under 3%. A leak stays through all of it.
   */
  async settled(): Promise<MemoryReading> {
    let reading: MemoryReading | undefined;
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 1000));
      reading = await this.reading();
    }
    return reading!;
  }

  close(): void {
    this.client.close();
  }

  private async reading(): Promise<MemoryReading> {
    const heapOf = async (sessionId?: string) => {
      await this.client.send("HeapProfiler.collectGarbage", {}, sessionId);
      return (await this.client.send<{ usedSize: number }>("Runtime.getHeapUsage", {}, sessionId))
        .usedSize;
    };
    const functionHeaps = await Promise.all(
      this.functionSessions().map((sessionId) =>
        Promise.race([
          heapOf(sessionId),
          new Promise<undefined>((r) => setTimeout(() => r(undefined), WORKER_ANSWER_MS).unref()),
        ]),
      ),
    );
    const heapUsed = await heapOf();
    return {
      rss: residentBytes(this.pid),
      heapUsed,
      functionHeaps: functionHeaps.filter((heap) => heap !== undefined),
    };
  }

  /** The sessions of the workers running now, but for the built-in issuer's. */
  private functionSessions(): string[] {
    const sessionOf = (e: ProtocolEvent) => (e.params as { sessionId: string }).sessionId;
    const detached = new Set(
      this.client.seen((e) => e.method === "NodeWorker.detachedFromWorker").map(sessionOf),
    );
    return this.client
      .seen((e) => e.method === "NodeWorker.attachedToWorker")
      .filter(
        (e) => !/\] built-in issuer$/.test((e.params as unknown as WorkerParams).workerInfo.title),
      )
      .map(sessionOf)
      .filter((id) => !detached.has(id));
  }
}

interface WorkerParams {
  workerInfo: { title: string };
}
