/**
 * For a describe: a local environment with its console, and Chromium to read it, started before
 * its tests and closed after them. `options` is read then, after the describe's own `before`
 * hooks (a project copy made there). Each test opens a page of its own with `open`.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { LocalEnvironmentOptions } from "../../local/environment";
import { ARTIFACTS, launchChromium } from "./chromium";
import { startTestEnvironment, type RunningEnv } from "./localEnv";

export interface ConsoleInChromium {
  browser: Browser;
  running: RunningEnv;
  /** A page on the console, live; `listen` sees the page before it loads anything. */
  open(args?: {
    viewport?: { width: number; height: number };
    listen?: (page: Page) => void;
  }): Promise<Page>;
}

export function consoleInChromium(
  name: string,
  options: () => Partial<LocalEnvironmentOptions> = () => ({}),
): ConsoleInChromium {
  const chromium = {
    open: async ({ viewport = { width: 1280, height: 800 }, listen = () => undefined } = {}) => {
      const page = await chromium.browser.newPage({ viewport });
      listen(page);
      await page.goto(chromium.running.env.consoleUrl!);
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
      return page;
    },
  } as ConsoleInChromium;
  before(async function () {
    chromium.browser = await launchChromium(this);
    chromium.running = await startTestEnvironment(name, {
      console: { host: "127.0.0.1", port: 0 },
      ...options(),
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await chromium.browser?.close();
    await chromium.running?.stop();
  });
  return chromium;
}

/** The program's private handler, greeting with `greeting` and logging one line per call. */
export const privateHandler = (
  greeting: string,
) => `import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  const { sub } = event.requestContext.authorizer.jwt.claims;
  console.log("greeting", sub);
  return { statusCode: 200, body: \`${greeting} \${sub}!\` };
}
`;

/** An ID token for `console-user` on the page, as the Token panel gets one. */
export async function signIn(page: Page): Promise<void> {
  await page.getByLabel("Username (the token's sub)").fill("console-user");
  await page.getByLabel("Username (the token's sub)").press("Enter");
  await page
    .locator('#token-routes li[data-route="GET /private"]', { hasText: "allowed" })
    .waitFor();
}
