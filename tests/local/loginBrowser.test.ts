import * as assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ARTIFACTS, launchChromium } from "../support/chromium";
import { send, startTestEnvironment, type RunningEnv } from "../support/localEnv";
import { startCli, type Running } from "../support/processes";
import { rawGet, statusOf } from "../support/rawHttp";

/** `npm run login -- --no-open …`, run directly so signals and exit codes are the tool's own. */
function startLogin(stateDir: string, args: string[] = []): Running {
  return startCli("login", ["--no-open", ...args], { stateDir });
}

/** The authorization URL the tool prints for the browser. */
async function openUrlOf(login: Running): Promise<string> {
  return (await login.waitForOutput(/^Open: (\S+)$/m))[1]!;
}

describe("sign-in in a real browser (Chromium)", function () {
  let running: RunningEnv;
  let browser: Browser;
  let page: Page;
  let login: Running | undefined;

  before(async function () {
    browser = await launchChromium(this);
    running = await startTestEnvironment("login");
  });
  beforeEach(async () => {
    page = await (await browser.newContext()).newPage();
  });
  afterEach(async () => {
    login?.child.kill();
    await login?.exited;
    await page?.context().close();
  });
  after(async () => {
    await browser?.close();
    await running?.stop();
  });

  it("signs in, consents, and both printed tokens get Hello <sub>! from GET /private", async () => {
    login = startLogin(running.stateDir);
    await page.goto(await openUrlOf(login));
    assert.equal(await page.locator("h1").textContent(), "Log in");
    assert.equal(await page.locator("p.app strong").textContent(), "api-auth-jwt-auth0-dev");
    assert.equal(
      await page.locator("p.hint").textContent(),
      "Local issuer: any username signs in and becomes the token's sub; use the local password, local-password.",
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "login-page.png"), fullPage: true });

    await page.getByLabel("Username").fill("auth0|browser-user");
    await page.getByLabel("Password").fill("local-password");
    await page.getByRole("button", { name: "Continue" }).click();
    assert.equal(await page.locator("h1").textContent(), "Authorize api-auth-jwt-auth0-dev");
    // The consent names the API the access token is for, and its scopes.
    assert.deepEqual(await page.locator("li").allTextContents(), [
      "Your profile (openid, profile)",
      "The API https://api-auth-jwt-auth0/dev",
    ]);
    await page.getByRole("button", { name: "Accept" }).click();
    await page.waitForURL(/^http:\/\/localhost:5678\/\?code=/);
    assert.match((await page.textContent("body"))!, /You may close this tab/);

    assert.equal(await login.exited, 0, login.stderr());
    const printed = Object.fromEntries(
      login
        .stdout()
        .split("\n")
        .filter((l) => /^[A-Za-z]+: /.test(l))
        .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(": ") + 2)]),
    );
    assert.deepEqual(Object.keys(printed), ["Open", "IdToken", "AccessToken", "ExpiresIn", "Curl"]);
    assert.equal(printed.ExpiresIn, "86400");
    assert.equal(
      printed.Curl,
      `curl -H "Authorization: Bearer ${printed.AccessToken}" ${running.env.apiEndpoint}/private`,
    );
    for (const token of [printed.IdToken!, printed.AccessToken!]) {
      const reply = await send(running.env.apiEndpoint, "GET", "/private", {
        authorization: `Bearer ${token}`,
      });
      assert.equal(reply.body, "Hello auth0|browser-user!");
    }
  });

  it("shows an error for a wrong password, does not redirect, and yields no token", async () => {
    login = startLogin(running.stateDir, ["--timeout", "2"]);
    await page.goto(await openUrlOf(login));
    await page.getByLabel("Username").fill("local-user");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Continue" }).click();
    assert.equal(await page.getByRole("alert").textContent(), "Wrong password.");
    assert.match(page.url(), /\/interaction\/[A-Za-z0-9_-]+\/login$/);
    assert.equal(await login.exited, 1);
    assert.equal(
      login.stderr(),
      `${usingLine(running)}no sign-in within 2 s; run the command again\n`,
    );
    assert.doesNotMatch(login.stdout(), /IdToken|AccessToken/);
  });

  it("keeps the login card off the screen's edges at phone width", async () => {
    login = startLogin(running.stateDir);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(await openUrlOf(login));
    const card = (await page.locator("main").boundingBox())!;
    assert.ok(card.x >= 8 && card.x + card.width <= 320 - 8, JSON.stringify(card));
    await page.screenshot({ path: join(ARTIFACTS, "login-page-phone.png"), fullPage: true });
  });

  it("keeps waiting through requests to its callback that do not parse, then signs in", async () => {
    login = startLogin(running.stateDir);
    const openUrl = await openUrlOf(login);
    const callback = "http://127.0.0.1:5678";
    // `GET //` once ended the tool with a TypeError: any page can make a browser send it.
    assert.equal(statusOf(await rawGet(callback, "//")), 404);
    assert.equal(statusOf(await rawGet(callback, "//[")), 404);
    assert.equal(statusOf(await rawGet(callback, "*")), 400);
    assert.equal(login.child.exitCode, null);
    await page.goto(openUrl);
    await page.getByLabel("Username").fill("local-user");
    await page.getByLabel("Password").fill("local-password");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Accept" }).click();
    assert.equal(await login.exited, 0);
  });

  it("ends with one clear line when the user declines consent", async () => {
    login = startLogin(running.stateDir);
    await page.goto(await openUrlOf(login));
    await page.getByLabel("Username").fill("local-user");
    await page.getByLabel("Password").fill("local-password");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Decline" }).click();
    assert.equal(await login.exited, 1);
    assert.equal(
      login.stderr(),
      `${usingLine(running)}Sign-in failed: the issuer answered access_denied: User did not authorize the request\n`,
    );
  });
});

// In this file, not another: every sign-in here listens on port 5678, one at a time.
describe("sign-in to a local prod stack in a real browser (npm start -- --stack prod --user alice)", function () {
  let running: RunningEnv;
  let browser: Browser;
  let login: Running | undefined;

  before(async function () {
    browser = await launchChromium(this);
    running = await startTestEnvironment("login-prod", {
      stack: "prod",
      user: { username: "local-user", password: "local-password", added: ["alice"] },
    });
  });
  afterEach(async () => {
    login?.child.kill();
    await login?.exited;
  });
  after(async () => {
    await browser?.close();
    await running?.stop();
  });

  it("signs alice in through the CLI's loopback callback, saying that only the local issuer takes it", async () => {
    const page = await (await browser.newContext()).newPage();
    try {
      login = startLogin(running.stateDir);
      await page.goto(await openUrlOf(login));
      assert.equal(await page.locator("p.app strong").textContent(), "api-auth-jwt-auth0-prod");
      assert.equal(
        await page.locator("p.hint").textContent(),
        "Local issuer: sign-up is off on api-auth-jwt-auth0-prod-users, so only alice signs in; use the local password, local-password.",
      );
      await page.getByLabel("Username").fill("alice");
      await page.getByLabel("Password").fill("local-password");
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("button", { name: "Accept" }).click();
      await page.waitForURL(/^http:\/\/localhost:5678\/\?code=/);
      assert.equal(await login.exited, 0, login.stderr());
      assert.equal(
        login.stderr(),
        usingLine(running, "prod") +
          "npm run login: api-auth-jwt-auth0-prod declares no loopback callback " +
          "(https://app.example.com/callback); the built-in issuer accepts http://localhost:5678 " +
          "for this tool locally, which Auth0 would not.\n",
      );
      const accessToken = /^AccessToken: (\S+)$/m.exec(login.stdout())![1]!;
      const reply = await send(running.env.apiEndpoint, "GET", "/private", {
        authorization: `Bearer ${accessToken}`,
      });
      assert.equal(reply.body, "Hello alice!");
    } finally {
      await page.context().close();
    }
  });
});

/** The line npm run login starts with, naming the environment it signs in to. */
function usingLine(running: RunningEnv, stack = "dev"): string {
  return `npm run login: using the local environment at ${running.env.apiEndpoint}, issuer ${running.env.issuerUrl} (stack ${stack}, pid ${process.pid})\n`;
}
