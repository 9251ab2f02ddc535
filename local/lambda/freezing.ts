/**
 * The word a function's runtime waits on while its environment is frozen (runtimeWorker.js), and
 * the way to thaw it. A frozen thread runs nothing, timers included, as Lambda freezes an
 * environment between invocations (LAMBDA-LIFECYCLE).
 *
 * The word says `RUNNING` (0), `WAKE` (1: a message is on its way) or `FROZEN` (2: the thread
 * waits, or is about to). The host notifies only a frozen thread: `Atomics.notify` on every
 * invocation took 8.7% of the API's CPU under load (profiled), most of it for threads that were
 * not waiting.
 */
import type { Worker } from "node:worker_threads";

const WAKE = 1;
const FROZEN = 2;

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
 * is followed by this (an invocation). Message first:
 * woken before it, the thread would find nothing, sleep again and need a second wake (15% of a
 * pool's invocations per second, measured).
 */
export function wakeWorker(worker: Worker): void {
  const word = wakeWords.get(worker);
  if (word === undefined) return;
  if (Atomics.exchange(word, 0, WAKE) === FROZEN) Atomics.notify(word, 0);
}
