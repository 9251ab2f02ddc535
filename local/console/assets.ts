/**
 * The page's files, all served from here (no CDN: the console works offline). The script is
 * written in TypeScript (`web/`) and bundled by esbuild, the compiler tsx already runs on, once,
 * on the first request for it: start-up pays nothing for a console nobody opens.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const WEB = join(__dirname, "web");

export interface Asset {
  type: string;
  body: Buffer;
}

const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

let script: Promise<Buffer> | undefined;

/** The asset at `path`, or undefined when there is none. */
export async function asset(path: string): Promise<Asset | undefined> {
  if (path === "/console.js") {
    script ??= bundle();
    return { type: "text/javascript; charset=utf-8", body: await script };
  }
  const known = STATIC[path];
  if (known === undefined) return undefined;
  return { type: known.type, body: readFileSync(join(WEB, known.file)) };
}

async function bundle(): Promise<Buffer> {
  // Required when first asked for, as a CommonJS package (see handlers.ts on import()).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require("esbuild") as typeof import("esbuild");
  const result = await build({
    entryPoints: [join(WEB, "main.ts")],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2022",
    minify: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}
