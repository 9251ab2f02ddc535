/**
 * Memory readings for the load test, and nothing else: opt-in, off in normal use. Once enabled,
 * every worker thread this process starts (each one a function's execution environment) is
 * tracked, so that a reading can run a full garbage collection in each before it reports the heap
 * still in use: without it, a heap holds whatever garbage V8 has not yet had a reason to collect.
 * The worker side of the exchange is the `{ gc: true }` message in `lambda/runtimeWorker.js`.
 */
import { subscribe } from "node:diagnostics_channel";
import type { Worker } from "node:worker_threads";
import { wakeWorker } from "./lambda/freezing";

const workers = new Set<Worker>();
let enabled = false;

/** From now on, track the worker threads this process starts. */
export function enableMemoryReadings(): void {
  if (enabled) return;
  enabled = true;
  // Node publishes every new Worker on this built-in channel.
  subscribe("worker_threads", (message) => {
    const { worker } = message as { worker: Worker };
    workers.add(worker);
    worker.once("exit", () => workers.delete(worker));
  });
}

/**
 * A full collection in every tracked execution environment; the heap each still uses, in bytes.
 * An environment that ends meanwhile is left out. Nothing an invocation can observe changes.
 */
export async function collectFunctionGarbage(): Promise<number[]> {
  const readings = await Promise.all([...workers].map(readHeap));
  return readings.filter((heap) => heap !== undefined);
}

function readHeap(worker: Worker): Promise<number | undefined> {
  return new Promise((resolve) => {
    const onMessage = (message: { gc?: true; heapUsed?: number }) => {
      if (message.gc !== true) return;
      done(message.heapUsed);
    };
    const done = (heap: number | undefined) => {
      worker.off("message", onMessage);
      worker.off("exit", onExit);
      resolve(heap);
    };
    const onExit = () => done(undefined);
    worker.on("message", onMessage);
    worker.once("exit", onExit);
    // A function's environment is frozen between invocations: thawed to read the message.
    worker.postMessage({ gc: true });
    wakeWorker(worker);
  });
}

/**
 * Serves readings to a parent that started this process with --expose-gc and an IPC channel: on
 * the message `gc`, a full collection in every function environment and in this process, then
 * `{ heapUsed, functionHeaps }`, so that growth means a leak, not garbage. Does nothing otherwise.
 */
export function serveMemoryReadings(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined || process.send === undefined) return;
  enableMemoryReadings();
  process.on("message", (message) => {
    if (message !== "gc") return;
    void collectFunctionGarbage().then((functionHeaps) => {
      gc();
      process.send!({ heapUsed: process.memoryUsage().heapUsed, functionHeaps });
    });
  });
  process.channel?.unref();
}
