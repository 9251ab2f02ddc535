/** What `startLocalEnvironment` takes, and what it gives back. */
import type { IssuerKeysOptions } from "../authorizer/issuerKeys";
import type { LocalModel } from "../interpret/model";
import type { LocalUserSettings } from "../issuer/localUser";
import type { PreparedIssuer } from "./builtInIssuer";
import type { ProgramSource } from "./lastEvaluation";
import type { ConsoleOptions } from "./consoleSide";

export interface LocalEnvironmentOptions {
  projectDir: string;
  stack: string;
  /** The program's entry file, relative to the project. Default `index.ts`. */
  entry?: string;
  /** Where the HTTP API listens. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  issuerPort: number;
  /**
   * Where the built-in issuer listens; loopback unless asked (`--issuer-host`), whatever `host`
   * says: it signs tokens for any username. Default 127.0.0.1.
   */
  issuerHost?: string;
  /** Trust this issuer (a real Auth0 tenant) instead of starting the built-in one. */
  externalIssuer?: string;
  /**
   * Where the external issuer is really served, when that is not its issuer string (another
   * instance's built-in issuer: its tokens say `https://<domain>/`, it answers on loopback).
   */
  externalIssuerUrl?: string;
  /** Replace the program's audiences (with an external issuer: the real client ID). */
  audiences?: string[];
  throttle?: boolean;
  user: LocalUserSettings;
  /**
   * Where the program's models come from. `npm start` passes one that keeps each evaluation and
   * serves the last one kept while nothing it was made from has changed, confirmed by a fresh
   * evaluation in the background (`programSource(…, true)`). Default: fresh evaluations only.
   */
  program?: ProgramSource;
  /** `--reset-data`: the program's tables start empty (their data lives in the state folder). */
  resetData?: boolean;
  /**
   * The built-in issuer's thread, started by the caller ahead of the rest (`npm start` starts it
   * first, so that it loads its library meanwhile); one is started here otherwise.
   */
  issuerThread?: PreparedIssuer;
  /** Reload when the program or its handlers change. */
  watch?: boolean;
  /**
   * Type-check the program as `pulumi up` would, after the start and after each save, and say
   * what it would refuse (the current version keeps serving). Default off; `npm start` turns it on.
   */
  typecheck?: boolean;
  log: (line: string) => void;
  clock?: () => number;
  /** Where keys, the function code and environment.json live. Default `<project>/.local`. */
  stateDir?: string;
  /**
   * Evaluates the program into a model, unless given: `evaluateModel` on the environment's own
   * evaluator (tests share one evaluation between environments of a program that does not change).
   */
  evaluate?: (
    projectDir: string,
    options: { stack: string; entry?: string },
    signal?: AbortSignal,
  ) => Promise<LocalModel>;
  /** Tuning of the authorizer's key cache (tests shorten the cooldown). */
  keyOptions?: Partial<IssuerKeysOptions>;
  /** The console (`--console-port`); none when absent (`--no-console`). */
  console?: ConsoleOptions;
  /**
   * `--inspect`: a debugger on this address for the functions, their archives source-mapped to
   * the program's files, and no timeout ending an invocation held at a breakpoint.
   */
  inspect?: { host: string; port: number };
}

export interface LocalEnvironment {
  apiEndpoint: string;
  issuer: string;
  issuerUrl?: string;
  model(): LocalModel;
  /** A URL under the issuer, rewritten to where the issuer is served (the issuer map). */
  reachable(url: string): string;
  /** Re-evaluates the program; keeps the running version when the new one fails. */
  reload(): Promise<boolean>;
  /** Where the functions' archives are written, outside the project (see `functionsRoot`). */
  functionsDir: string;
  /** Where the console is served, when it is. */
  consoleUrl?: string;
  close(): Promise<void>;
}
