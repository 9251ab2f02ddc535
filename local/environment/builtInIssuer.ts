/**
 * The built-in issuer, on a thread of its own (`issuer/issuerThread.ts` says why) and its own
 * socket, rebuilt when the program's applications or APIs change.
 */
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { LocalModel } from "../interpret/model";
import type { IssuerParties, IssuerThreadReply, IssuerThreadRequest } from "../issuer/issuerThread";
import type { LocalUserSettings } from "../issuer/localUser";
import type { IssuerSecrets } from "../issuer/signingKeys";

export interface BuiltInIssuer {
  /** Where it is served: on loopback, also when it listens on every interface. */
  url: string;
  /** Takes the new program's applications and APIs. */
  update(model: LocalModel): void;
  close(): Promise<void>;
}

/** A thread that has started loading the issuer's library, not yet serving. */
export interface PreparedIssuer {
  start(args: {
    issuer: string;
    model: LocalModel;
    secrets: IssuerSecrets;
    user: LocalUserSettings;
    host: string;
    port: number;
  }): Promise<BuiltInIssuer>;
  /** Ends the thread (a start that failed elsewhere). */
  discard(): Promise<void>;
}

const THREAD = resolve(__dirname, "../issuer/issuerThread.ts");
/** The thread runs TypeScript through tsx, whichever loader this process itself runs under. */
const TYPESCRIPT_LOADER = ["--require", require.resolve("tsx/cjs")];

/**
 * Starts the issuer's thread now: it loads oidc-provider (half a second) meanwhile. Should the
 * thread die once serving, `log` says so: the API keeps serving the keys it already has.
 */
export function prepareBuiltInIssuer(log: (line: string) => void): PreparedIssuer {
  const worker = new Worker(THREAD, {
    name: "built-in issuer",
    execArgv: TYPESCRIPT_LOADER,
    // The issuer answers a few requests a minute: a young generation of 4 MB (V8 grows it to
    // 16 MB or more by default) keeps the thread about 9 MB smaller, measured.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // The API's socket keeps the process alive, never the issuer's thread alone.
  worker.unref();
  const ended = new Promise<Error>((settle) => {
    worker.once("error", settle);
    worker.once("exit", (code) => settle(new Error(`the built-in issuer stopped (code ${code})`)));
  });
  const send = (request: IssuerThreadRequest) => worker.postMessage(request);
  const parties = (m: LocalModel): IssuerParties => ({
    clients: m.clients,
    resourceServers: m.resourceServers,
  });
  let discarded = false;
  const discard = async () => {
    discarded = true;
    await worker.terminate();
  };

  return {
    discard,
    async start({ model, ...settings }) {
      const reply = new Promise<IssuerThreadReply>((settle) => worker.once("message", settle));
      send({ kind: "start", ...settings, ...parties(model) });
      const outcome = await Promise.race([reply, ended]);
      if (outcome instanceof Error || outcome.kind === "failed") {
        await discard();
        throw outcome instanceof Error ? outcome : new Error(outcome.message);
      }
      void ended.then((err) => !discarded && log(`the built-in issuer stopped: ${err.message}`));
      let current = JSON.stringify(parties(model));
      return {
        url: outcome.url,
        update(next) {
          const known = JSON.stringify(parties(next));
          if (known === current) return;
          current = known;
          send({ kind: "update", ...parties(next) });
        },
        close: discard,
      };
    },
  };
}
