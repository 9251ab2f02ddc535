/**
 * A debugger's side of the inspector protocol, as VS Code or Chrome's DevTools speak it to node:
 * commands and events over the inspector's WebSocket, and the same to a worker thread through
 * the NodeWorker domain (each message wrapped in `sendMessageToWorker`, each reply and event in
 * `receivedMessageFromWorker`).
 */
import WebSocket from "ws";

type Params = Record<string, unknown>;

export interface ProtocolEvent {
  method: string;
  params: Params;
  /** The worker session it came from; undefined for the process's own. */
  sessionId?: string;
}

export class InspectorClient {
  private nextId = 1;
  private readonly replies = new Map<number, (message: Params) => void>();
  private readonly events: ProtocolEvent[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => this.receive(JSON.parse(String(data)) as Params));
  }

  static async connect(url: string): Promise<InspectorClient> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    return new InspectorClient(socket);
  }

  /** A command, to the process or to the worker of `sessionId`; resolves with its result. */
  async send<T = Params>(method: string, params: Params = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params });
    const reply = new Promise<Params>((resolve) => this.replies.set(id, resolve));
    this.socket.send(
      sessionId === undefined
        ? message
        : JSON.stringify({
            id: this.nextId++,
            method: "NodeWorker.sendMessageToWorker",
            params: { sessionId, message },
          }),
    );
    const answer = await reply;
    if (answer.error !== undefined) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result as T;
  }

  /** The first event so far or to come that `matches`; it is taken off the list. */
  async next(
    matches: (event: ProtocolEvent) => boolean,
    timeoutMs = 30_000,
  ): Promise<ProtocolEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(matches);
      if (index >= 0) return this.events.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error("no such inspector event");
      await new Promise<void>((resolve) => {
        const wake = () => (this.waiters.delete(wake), resolve());
        this.waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }

  /** Every event so far that `matches`, left on the list. */
  seen(matches: (event: ProtocolEvent) => boolean): ProtocolEvent[] {
    return this.events.filter(matches);
  }

  close(): void {
    this.socket.close();
  }

  private receive(message: Params, sessionId?: string): void {
    if (message.method === "NodeWorker.receivedMessageFromWorker") {
      const { sessionId: from, message: inner } = message.params as Params;
      this.receive(JSON.parse(inner as string) as Params, from as string);
      return;
    }
    if (typeof message.id === "number") {
      this.replies.get(message.id)?.(message);
      this.replies.delete(message.id);
      return;
    }
    const event: ProtocolEvent = {
      method: message.method as string,
      params: (message.params ?? {}) as Params,
      ...(sessionId !== undefined ? { sessionId } : {}),
    };
    this.events.push(event);
    for (const wake of this.waiters) wake();
  }
}
