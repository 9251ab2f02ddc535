import * as assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import type { LocalEnvironment } from "../../local/environment";
import { ARTIFACTS } from "../support/chromium";
import { consoleInChromium, privateHandler, signIn } from "../support/consoleInChromium";
import { localIssuerSigner } from "../support/tokens";
import { waitFor } from "../support/waitFor";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

describe("the console in a real browser (Chromium)", function () {
  let page: Page;
  let project: ProjectCopy;
  let env: LocalEnvironment;

  before(() => {
    // The test runs the console's curl line in a shell: without curl it fails, saying so.
    if (spawnSync("sh", ["-c", "command -v curl"]).status !== 0) {
      throw new Error(
        "curl is missing: install it with `apt-get install -y curl` (.ci/run does this)",
      );
    }
    project = copyProject("console", { private: privateHandler("Hello") });
  });
  const chromium = consoleInChromium("console", () => ({ projectDir: project.dir }));
  before(() => (env = chromium.running.env));
  after(() => project?.remove());
  // Each test reads the console in a page of its own, opened live.
  beforeEach(async () => (page = await chromium.open()));
  afterEach(() => page?.close());

  /** A token's verdicts on the two routes these tests call: GET /private, then GET /public. */
  const TWO_ROUTES = (p: Page) =>
    p.locator(
      '#token-routes li[data-route="GET /private"], #token-routes li[data-route="GET /public"]',
    );

  /** The live list's entry for a request, by its ID. */
  const liveItems = { count: () => page.locator("#live-list > li").count() };
  const liveEntry = (requestId: string) =>
    page.locator(`#live-list li[data-request-id="${requestId}"]`);

  it("shows the stack: every route with its access and function, and the Auth0 side", async () => {
    const rows = page.getByRole("table", { name: "Routes" }).locator("tbody tr");
    // By path, then method: /items, /items/{id}, /private, /public.
    assert.deepEqual(await rows.locator("td:first-child").allTextContents(), [
      "GET /items",
      "POST /items",
      "DELETE /items/{id}",
      "GET /private",
      "GET /public",
    ]);
    assert.deepEqual(await rows.locator("td:nth-child(2)").allTextContents(), [
      "JWT",
      "JWT, scope write:items",
      "JWT, scope write:items",
      "JWT",
      "public",
    ]);
    assert.match(
      (await rows.nth(3).locator("td:nth-child(3)").textContent())!,
      /^api-auth-jwt-auth0-dev-get-privatenodejs22\.x, arm64, 128 MB, 10 s$/,
    );
    const stack = page.locator("#stack");
    const clientId = env.model().clients[0]!.clientId;
    assert.match((await stack.textContent())!, new RegExp(`Client ID${clientId}`));
    assert.match((await stack.textContent())!, /clientSecret\[secret\]/);
    assert.doesNotMatch(
      (await stack.textContent())!,
      new RegExp(env.model().clients[0]!.clientSecret!),
    );
    // Outputs as a deploy exports them, and what they stand for here beside them.
    const output = (name: string) => page.getByTestId(`output-${name}`).textContent();
    assert.match(
      (await output("apiEndpoint"))!,
      /^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com$/,
    );
    assert.equal(await output("apiEndpoint-local"), env.apiEndpoint);
    const loginUrl = (await output("loginUrl"))!;
    assert.equal(await output("loginUrl-local"), env.reachable(loginUrl));
    assert.equal((await output("loginUrl-local"))!.startsWith(env.issuerUrl!), true);
    // An output that means the same here (the client ID) has no local twin.
    assert.equal(await page.getByTestId("output-clientId-local").count(), 0);
  });

  it("gets a token for a username, calls GET /private with it and shows the request with its log line", async () => {
    // Auth0's ID tokens last 10 hours. Keyboard only: the labelled field, then Enter submits the form.
    await page.getByLabel("Username (the token's sub)").fill("console-user");
    await page.getByLabel("Username (the token's sub)").press("Enter");
    await page.getByRole("status").filter({ hasText: "Got an ID token." }).waitFor();
    const verdicts = TWO_ROUTES(page);
    await verdicts.nth(1).waitFor();
    assert.deepEqual(await verdicts.allTextContents(), [
      "✓ passes GET /private — allowed",
      "✓ passes GET /public — public: no authorizer runs",
    ]);
    const claims = JSON.parse((await page.locator("#token-claims").textContent())!) as {
      sub: string;
      exp: number;
      iat: number;
    };
    assert.deepEqual([claims.sub, claims.exp - claims.iat], ["console-user", 36_000]);
    assert.match(
      (await page.locator("#token-expiry").textContent())!,
      /^in (9 h 59|10 h 0) min \(/,
    );

    await page.getByLabel("Route", { exact: true }).selectOption("GET /private");
    await page.getByRole("button", { name: "Send" }).click();
    assert.equal(await page.getByTestId("try-body").textContent(), "Hello console-user!");
    assert.equal(await page.getByTestId("try-status").textContent(), "200");
    // Its latency says what it measures, and why the live list's reads lower.
    const roundTrip = page.locator("#try-result span", { hasText: /^[\d.]+ ms round trip$/ });
    assert.match(
      (await roundTrip.getAttribute("title"))!,
      /The live list shows the API's own time/,
    );
    const requestId = await page
      .locator("#try-result dt:text-is('apigw-requestid') + dd")
      .textContent();
    const entry = liveEntry(requestId!);
    await entry.locator(".logs").waitFor();
    assert.match(
      (await entry.locator(".request-line").textContent())!,
      /GET \/privateGET \/private200[\d.]+ msauthorizer: allow/,
    );
    // The platform's START and REPORT around the function's record, read as Lambda's lines.
    const fn = "\\[api-auth-jwt-auth0-dev-get-private\\]";
    const logLines = (await entry.locator(".logs").first().textContent())!.split("\n");
    assert.match(
      logLines[0]!,
      new RegExp(
        `^${fn} START RequestId: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} Version: \\$LATEST$`,
      ),
    );
    assert.match(logLines[1]!, new RegExp(`^${fn} INFO greeting console-user$`));
    assert.match(
      logLines[2]!,
      new RegExp(
        `^${fn} REPORT RequestId: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\tDuration: [\\d.]+ ms\t`,
      ),
    );
    assert.equal(logLines.length, 3);
    await page.screenshot({ path: join(ARTIFACTS, "console.png"), fullPage: true });
    // A full-page picture (the README's, docs/console.jpg, is console-1440.png scaled down).
    await page.screenshot({
      path: join(ARTIFACTS, "console.jpg"),
      type: "jpeg",
      quality: 85,
      fullPage: true,
    });

    // The curl line the console shows, run by a shell: the same answer, and in the list too.
    const curl = (await page.getByTestId("try-curl").textContent())!;
    const { stdout } = await promisify(execFile)("sh", ["-c", curl]);
    assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(stdout, /\r\n\r\nHello console-user!$/);
    const curlId = /apigw-requestid: (\S+)\r\n/.exec(stdout)![1]!;
    await liveEntry(curlId).locator(".logs").waitFor();
    assert.match(
      (await liveEntry(curlId).locator(".logs").first().textContent())!,
      /INFO greeting console-user\n/,
    );
  });

  it("shows a request's event, response and timing, and replays it", async () => {
    await signIn(page);
    await page.getByLabel("Route", { exact: true }).selectOption("GET /private");
    await page.getByRole("button", { name: "Send" }).click();
    const requestId = (await page
      .locator("#try-result dt:text-is('apigw-requestid') + dd")
      .textContent())!;
    const entry = liveEntry(requestId);
    await entry.locator(".logs").first().waitFor();
    await entry.getByText("Details: event, response, timing, replay").click();
    const event = JSON.parse((await entry.getByTestId("detail-event").textContent())!) as {
      routeKey: string;
      requestContext: { requestId: string; authorizer: { jwt: { claims: { sub: string } } } };
    };
    assert.deepEqual(
      [
        event.routeKey,
        event.requestContext.requestId,
        event.requestContext.authorizer.jwt.claims.sub,
      ],
      ["GET /private", requestId, "console-user"],
    );
    const facts = (await entry.locator(".detail-body dl").textContent())!;
    assert.match(facts, /TimingDuration: [\d.]+ ms|Timing[\d.]+ ms/);
    assert.match(facts, /Response200/);
    assert.match(facts, /Response body"?Hello console-user!/);
    await page.screenshot({ path: join(ARTIFACTS, "console-details.png") });
    const before = await liveItems.count();
    await entry.getByRole("button", { name: "Replay" }).click();
    await entry
      .getByTestId("replay-result")
      .filter({ hasText: /^Replayed: 200 in [\d.]+ ms/ })
      .waitFor();
    await waitFor(
      "the replayed request in the list",
      async () => (await liveItems.count()) === before + 1,
    );
    // The function invoked directly with the event, its claims edited: its answer and records.
    const editor = entry.getByLabel("Event for api-auth-jwt-auth0-dev-get-private");
    await editor.fill(
      (await editor.inputValue()).replace('"sub": "console-user"', '"sub": "edited-user"'),
    );
    await entry.getByRole("button", { name: "Invoke api-auth-jwt-auth0-dev-get-private" }).click();
    const invoked = entry.getByTestId("invoke-result");
    await invoked.filter({ hasText: "REPORT RequestId" }).waitFor();
    const [answer, , ...records] = (await invoked.textContent())!.split("\n");
    const answered = JSON.parse(answer!) as { statusCode: number; body: string };
    assert.deepEqual([answered.statusCode, answered.body], [200, "Hello edited-user!"]);
    assert.match(records.join("\n"), /INFO\tgreeting edited-user/);
  });

  it("judges a pasted token, and gets an access token with a chosen scope", async () => {
    const signer = await localIssuerSigner(chromium.running.stateDir);
    const expired = await signer.sign("pasted-user", -60);
    // First a token that is not a JWT at all: the status says so.
    const status = page.locator("#token-status");
    const before = await status.textContent();
    await page.getByLabel("Token (paste one, or get one above)").fill("not-a-jwt");
    const invalidStatus = await waitFor("the invalid token's status", async () => {
      const text = await status.textContent();
      return text !== before && text !== "" && text;
    });
    await page.getByLabel("Token (paste one, or get one above)").fill(expired);
    const privateVerdict = page.locator('#token-routes li[data-route="GET /private"]');
    await privateVerdict.filter({ hasText: "expired" }).waitFor();
    assert.deepEqual(await TWO_ROUTES(page).allTextContents(), [
      "✗ 401 GET /private — the token has expired",
      "✓ passes GET /public — public: no authorizer runs",
    ]);
    assert.equal(await page.locator("#token-expiry").textContent(), "expired");
    // The status no longer speaks of the first token.
    assert.notEqual(await status.textContent(), invalidStatus);
    assert.equal(await status.textContent(), "");
    // An access token for the API, with a scope ticked.
    await page.getByRole("radio", { name: "Access token" }).check();
    await page
      .getByLabel("API (the access token's audience)")
      .selectOption("https://api-auth-jwt-auth0/dev");
    await page.getByLabel("write:items").check();
    await page.getByRole("button", { name: "Get a token" }).click();
    await page.getByRole("status").filter({ hasText: "Got an access token." }).waitFor();
    await page
      .locator('#token-routes li[data-route="GET /private"]', { hasText: "allowed" })
      .waitFor();
    const access = JSON.parse((await page.locator("#token-claims").textContent())!) as {
      aud: string;
      scope: string;
    };
    assert.equal(access.aud, "https://api-auth-jwt-auth0/dev");
    assert.equal(access.scope.split(" ").includes("write:items"), true);
    await page
      .locator('#token-routes li[data-route="POST /items"]', { hasText: "allowed" })
      .waitFor();
  });
});
