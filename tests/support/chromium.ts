/**
 * Debian's Chromium for the browser tests, through playwright-core (which cannot download a
 * browser here). Missing, it fails the suite with what to do, unless SKIP_BROWSER=1 is set by hand.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { PROJECT_DIR } from "./program";

export const CHROMIUM = "/usr/bin/chromium";

/** Where the browser tests leave their screenshots (ignored by git). */
export const ARTIFACTS = join(PROJECT_DIR, "test-artifacts");

/**
 * Launches Chromium; `context` is the suite (`this` in `before`), skipped only when asked. Outside
 * mocha (the load test) a missing Chromium always fails.
 */
export async function launchChromium(context?: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.SKIP_BROWSER === "1" && context !== undefined) context.skip();
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` ` +
        "(Debian; .ci/run does this), or set SKIP_BROWSER=1 by hand to skip the browser tests.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
