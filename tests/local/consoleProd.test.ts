import * as assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { startTestEnvironment, type RunningEnv } from "../support/localEnv";

describe("the console of a local prod stack, in Chromium (npm start -- --stack prod --user alice)", function () {
  let browser: Browser;
  let page: Page;
  let running: RunningEnv;

  before(async function () {
    browser = await launchChromium(this);
    running = await startTestEnvironment("console-prod", {
      stack: "prod",
      console: { host: "127.0.0.1", port: 0 },
      user: { username: "local-user", password: "local-password", added: ["alice"] },
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await running?.stop();
  });

  it("says prod's sign-in rule and its users, pre-fills alice, and gets her a token", async () => {
    await page.goto(running.env.consoleUrl!);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    assert.equal(
      await page.locator("#token-form-hint").textContent(),
      "Sign-up is off on api-auth-jwt-auth0-prod-users: the built-in issuer signs in alice through its own login flow, as npm run token does; add one with npm start -- --user NAME.",
    );
    assert.equal(await page.getByLabel("Username (the token's sub)").inputValue(), "alice");
    assert.match(
      (await page.locator("#stack").textContent())!,
      /Usersalice \(added here with --user\)/,
    );
    await page.getByRole("button", { name: "Get a token" }).click();
    await page.getByRole("status").filter({ hasText: "Got an ID token." }).waitFor();
    // The claims are shown with the token's verdicts, once the console has inspected it.
    await page
      .locator('#token-routes li[data-route="GET /private"]', { hasText: "allowed" })
      .waitFor();
    const claims = JSON.parse((await page.locator("#token-claims").textContent())!) as {
      sub: string;
    };
    assert.equal(claims.sub, "alice");
    await page.screenshot({ path: join(ARTIFACTS, "console-prod.png"), fullPage: true });
  });
});
