import * as inspector from "node:inspector";

/**
 * `--inspect`: this process's inspector, opened through node's public API. Each execution
 * environment is a worker thread of this process, and a debugger attached here attaches to them
 * too (Node's NodeWorker domain, which VS Code and Chrome's DevTools follow), so a breakpoint in
 * `handlers/` stops in the function's thread while the API and the other functions go on.
 * Returns the debugger's WebSocket URL; closing it is `closeDebugger`.
 */
export function openDebugger(at: { host: string; port: number }): string {
  inspector.open(at.port, at.host);
  // Node says so on stderr and opens nothing when the port is taken; `url()` is then undefined.
  const url = inspector.url();
  if (url === undefined) {
    throw new Error(
      `--inspect ${at.host}:${at.port}: the port is taken (another debugger, or another npm start -- --inspect?); choose another with --inspect=PORT, or 0 for a free one`,
    );
  }
  return url;
}

/**
 * Lets go of the functions and closes the debugger. A worker thread a debugger holds at a
 * breakpoint cannot be ended (`terminate` waits for it, and so does `process.exit`, "Waiting for
 * the debugger to disconnect..."; tried here), and closing the inspector does not resume it: so
 * this process's own session first tells each thread to skip every pause and run on.
 */
export async function closeDebugger(): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<void>((resolve) => session.post(method, params, () => resolve()));
  const released: Promise<void>[] = [];
  session.on("NodeWorker.attachedToWorker", ({ params }) => {
    const { sessionId } = params as { sessionId: string };
    const tell = (id: number, method: string, args?: object) =>
      post("NodeWorker.sendMessageToWorker", {
        sessionId,
        message: JSON.stringify({ id, method, params: args }),
      });
    released.push(
      (async () => {
        await tell(1, "Debugger.enable");
        await tell(2, "Debugger.setSkipAllPauses", { skip: true });
        await tell(3, "Debugger.resume");
      })(),
    );
  });
  await post("NodeWorker.enable", { waitForDebuggerOnStart: false });
  await Promise.all(released);
  session.disconnect();
  inspector.close();
}

/** What the terminal says once the debugger listens. */
export function debuggerNotice(url: string): string {
  const { host } = new URL(url);
  return [
    `debugger: ${url}`,
    `attach VS Code ("Attach" to ${host}) or Chrome (chrome://inspect, Configure… ${host}); breakpoints in your handlers' TypeScript stop in the functions`,
    `the functions' timeouts and the API's 30 s integration timeout are off while debugging`,
  ].join("\n");
}
