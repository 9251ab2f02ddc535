/**
 * The word a function's runtime waits on while its environment is frozen (runtimeWorker.js), and
 * the way to thaw it. A frozen thread runs nothing, timers included, as Lambda freezes an
 * environment between invocations (LAMBDA-LIFECYCLE).
 */
import type { Worker } from "node:worker_threads";

/** A new word, shared with the worker through its `workerData`. */
export function freezeWord(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Per worker, the word its runtime waits on while frozen (see `wakeWorker`). */
const wakeWords = new WeakMap<Worker, Int32Array>();

/** Ties a worker to its word, so that `wakeWorker` can thaw it. */
export function registerFreezeWord(worker: Worker, word: Int32Array): void {
  wakeWords.set(worker, word);
}

/**
 * Thaws a frozen environment so that it reads its messages: every message to a function's worker
 * is followed by this (invocations here, memory readings in local/diagnostics.ts). Message first:
 * woken before it, the thread would find nothing, sleep again and need a second wake (15% of a
 * pool's invocations per second, measured).
 */
export function wakeWorker(worker: Worker): void {
  const word = wakeWords.get(worker);
  if (word === undefined) return;
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}
