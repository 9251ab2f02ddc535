/** What one evaluation of a Pulumi program under mocks yields: plain JSON, safe to send between processes. */
import type { SourceMap } from "../lambda/sourceMaps";

export interface EvaluatedResource {
  type: string;
  /** The logical name given to the constructor. */
  name: string;
  custom: boolean;
  id: string;
  /** The inputs the program declared, fully resolved; archives as `{ $archive: { path: { text } } }`. */
  inputs: Record<string, unknown>;
  /** Inputs plus the outputs the fake cloud computed (IDs, ARNs, client ID). */
  state: Record<string, unknown>;
  /** What the engine records of it: its URN, parent and dependencies (see `RecordedOptions`). */
  recorded: RecordedOptions;
  /**
   * A function's archive: each script's source map back to the program's TypeScript
   * (`composeSourceMap`), by its path in the archive. Not an input: the local environment's own.
   */
  sourceMaps?: Record<string, SourceMap>;
}

/**
 * A resource's registration as the Pulumi engine receives it (`RegisterResourceRequest`): the
 * URNs of the resources it waits for (its `dependsOn` and every Output its inputs carry, a
 * component's children included) and the ones each input property carries, which is what the
 * engine orders creation and deletion by and hands to stack policies.
 */
export interface RecordedOptions {
  urn: string;
  /** The parent's URN; the stack's for a top-level resource. */
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** The inputs the program passed as secrets (top-level names): shown masked. */
  secretInputs: string[];
  /**
   * False for a resource whose outputs the local environment cannot compute (a type it does not
   * emulate): its outputs are unknown, as in a preview, and known only after a deploy.
   */
  emulated: boolean;
}

/** How an output that only a deploy computes reads locally (Pulumi's preview shows it unknown). */
export const KNOWN_AFTER_DEPLOY = "(known after a deploy)";

export interface EvaluatedOutput {
  value: unknown;
  secret: boolean;
}

export type Evaluation =
  | {
      kind: "evaluated";
      project: string;
      stack: string;
      resources: EvaluatedResource[];
      outputs: Record<string, EvaluatedOutput>;
      /** What the program warned of (`pulumi.log.warn`), one line each. */
      warnings: string[];
      /** Milliseconds from the start of the program to the last resource resolved. */
      elapsedMs: number;
      /** The project's TypeScript files it loaded: the next spare transpiles them ahead. */
      programFiles: string[];
      /**
       * Every file of the project it loaded, whatever its kind (`.ts`, `.js`, `.json`): what a
       * kept evaluation is judged unchanged by (`evaluationDigest`).
       */
      inputFiles: string[];
      /** The packages' modules its own files require directly: the next spare loads them ahead. */
      packageFiles: string[];
    }
  | {
      kind: "failed";
      project: string;
      stack: string;
      error: { message: string; isRunError: boolean; stack?: string };
      /** Resources registered before the program failed. */
      resourceCount: number;
    };

export interface EvaluateRequest {
  projectDir: string;
  /** The program's entry file, absolute. */
  entry: string;
  project: string;
  stack: string;
  region: string;
  config: Record<string, string>;
  secretKeys: string[];
}

/** An archive as the snapshot carries it: file path inside the archive → its text. */
export interface ArchiveSnapshot {
  $archive: Record<string, { text?: string; path?: string }>;
}

export function isArchiveSnapshot(value: unknown): value is ArchiveSnapshot {
  return typeof value === "object" && value !== null && "$archive" in value;
}
