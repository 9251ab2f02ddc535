/** The part of dynalite's API the local environment uses (the package ships no types). */
declare module "dynalite" {
  import type { Server } from "node:http";
  interface DynaliteOptions {
    /** The LevelDB folder; in memory without one. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
