import * as assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { LocalEnvironment } from "../../local/environment";
import { ARTIFACTS } from "../support/chromium";
import { consoleInChromium } from "../support/consoleInChromium";
import { send } from "../support/localEnv";
import { waitFor } from "../support/waitFor";

describe("the console's live list in a real browser (Chromium)", function () {
  let page: Page;
  let env: LocalEnvironment;
  /** Every URL the pages asked for: all of them the console's own (no CDN, works offline). */
  const pageRequests: string[] = [];

  const chromium = consoleInChromium("console-live");
  before(() => (env = chromium.running.env));
  // Each test reads the console in a page of its own, opened live.
  beforeEach(async () => {
    const listen = (p: Page) => p.on("request", (request) => pageRequests.push(request.url()));
    page = await chromium.open({ listen });
  });
  afterEach(() => page?.close());

  /** The live list's entries, and one by its request ID. */
  const liveItems = { count: () => page.locator("#live-list > li").count() };
  const liveEntry = (requestId: string) =>
    page.locator(`#live-list li[data-request-id="${requestId}"]`);

  it("filters the live list by route and status", async () => {
    assert.equal((await send(env.apiEndpoint, "GET", "/private")).status, 401);
    await page.locator("#live-list li", { hasText: "401" }).first().waitFor();
    await page.getByLabel("Filter by status").selectOption("4");
    await waitFor("one 4xx request", async () => (await liveItems.count()) === 1);
    assert.match(
      (await page.locator("#live-list li .request-line").textContent())!,
      /GET \/privateGET \/private401[\d.]+ msauthorizer: deny 401 no token/,
    );
    await page.getByLabel("Filter by status").selectOption("");
    await page.getByLabel("Filter by route").selectOption("GET /public");
    await waitFor("no GET /public request", async () => (await liveItems.count()) === 0);
    await page.getByLabel("Filter by route").selectOption("");
  });

  it("searches the live list, pauses it, and clears it, in a pane that scrolls", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(String((await send(env.apiEndpoint, "GET", "/public")).headers["apigw-requestid"]));
    }
    await liveEntry(ids[2]!).waitFor();
    // Search: by API Gateway's request ID, then by a record's text (Lambda's REPORT line).
    await page.getByLabel("Search").fill(ids[1]!);
    await waitFor("one request found", async () => (await liveItems.count()) === 1);
    await liveEntry(ids[1]!).waitFor();
    await page.getByLabel("Search").fill("Billed Duration");
    await waitFor("the requests with a REPORT", async () => (await liveItems.count()) >= 3);
    await page.getByLabel("Search").fill("");
    // Pause: the list stays as it is, and says how many came since.
    const shownBefore = await liveItems.count();
    await page.getByRole("button", { name: "Pause" }).click();
    const late = String((await send(env.apiEndpoint, "GET", "/public")).headers["apigw-requestid"]);
    await page.locator("#live-count", { hasText: "paused, 1 new since" }).waitFor();
    assert.equal(await liveItems.count(), shownBefore);
    await page.screenshot({ path: join(ARTIFACTS, "console-paused.png") });
    await page.getByRole("button", { name: "Resume" }).click();
    await liveEntry(late).waitFor();
    // Clear: this tab's list starts again; another tab keeps its own.
    const other = await chromium.open();
    await other.locator(`#live-list li[data-request-id="${late}"]`).waitFor();
    await page.getByRole("button", { name: "Clear" }).click();
    await waitFor("an empty list", async () => (await liveItems.count()) === 0);
    assert.equal(await other.locator(`#live-list li[data-request-id="${late}"]`).count(), 1);
    await other.close();
    const next = String((await send(env.apiEndpoint, "GET", "/public")).headers["apigw-requestid"]);
    await liveEntry(next).waitFor();
    assert.equal(await liveItems.count(), 1);
    // The list scrolls in its own pane, within the window's height.
    const pane = await page.evaluate(
      `(() => { const list = document.getElementById("live-list");
        return [getComputedStyle(list).overflowY, list.getBoundingClientRect().height <= innerHeight]; })()`,
    );
    assert.deepEqual(pane, ["auto", true]);
  });

  it("keeps the live list in view at 1440×900, and follows the system's dark scheme", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate("window.scrollTo(0, 0)");
    const box = (await page.locator("#live-list").boundingBox())!;
    // In view without scrolling: the list starts within the window, beside the stack.
    assert.equal(box.y >= 0 && box.y < 900 && box.x > 1440 / 3, true, JSON.stringify(box));
    await page.screenshot({ path: join(ARTIFACTS, "console-1440.png") });
    const background = () =>
      page.evaluate("getComputedStyle(document.body).backgroundColor") as Promise<string>;
    await page.emulateMedia({ colorScheme: "light" });
    assert.equal(await background(), "rgb(255, 255, 255)");
    await page.emulateMedia({ colorScheme: "dark" });
    assert.equal(await background(), "rgb(13, 17, 23)");
    await page.screenshot({ path: join(ARTIFACTS, "console-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("keeps the requests across a page reload, loads nothing from elsewhere, and reads at a phone's width", async () => {
    // A request of its own, listed: the page has loaded what the server kept, up to it.
    const id = String((await send(env.apiEndpoint, "GET", "/public")).headers["apigw-requestid"]);
    await liveEntry(id).waitFor();
    const before = await liveItems.count();
    await page.reload();
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await waitFor(`${before} requests`, async () => (await liveItems.count()) === before);
    assert.deepEqual(
      pageRequests.filter((u) => !u.startsWith(`${env.consoleUrl}/`)),
      [],
    );
    assert.equal(pageRequests.includes(`${env.consoleUrl}/console.js`), true);
    await page.setViewportSize({ width: 390, height: 844 });
    // No sideways scrolling: the page is as wide as the window.
    const overflow = await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert.equal(overflow, 0);
    // No route key broken mid-word: each word (method, path) on one line. (A whole key may take
    // two lines, and the space between may count a box of its own at the end of the first.)
    const brokenKeys = await page.evaluate(
      `[...document.querySelectorAll("#stack tbody td:first-child code span")]
        .filter((word) => word.getClientRects().length > 1).length`,
    );
    assert.equal(brokenKeys, 0);
    await page.screenshot({ path: join(ARTIFACTS, "console-phone.png") });
  });
});
