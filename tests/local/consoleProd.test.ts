import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS } from "../support/chromium";
import { consoleInChromium } from "../support/consoleInChromium";
import { NOT_EMULATED_RESOURCES } from "../support/notEmulatedResources";
import { PROJECT_DIR } from "../support/paths";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

describe("the console of a local prod stack, in Chromium (npm start -- --stack prod --user alice)", function () {
  const chromium = consoleInChromium("console-prod", () => ({
    stack: "prod",
    user: { username: "local-user", password: "local-password", added: ["alice"] },
  }));

  it("says prod's sign-in rule and its users, pre-fills alice, and gets her a token", async () => {
    const page = await chromium.open();
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

describe("the console of a local prod stack with alarms, a table and resources not emulated, in Chromium", function () {
  let project: ProjectCopy;

  before(() => {
    project = copyProject("console-layout");
    project.write("Pulumi.prod.yaml", readFileSync(join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8"));
    project.write(
      "index.ts",
      readFileSync(join(project.dir, "index.ts"), "utf8") + NOT_EMULATED_RESOURCES,
    );
  });
  const chromium = consoleInChromium("console-layout", () => ({
    projectDir: project.dir,
    stack: "prod",
  }));
  after(() => project?.remove());

  for (const [width, height, name] of [
    [1440, 900, "desktop"],
    [390, 844, "phone"],
  ] as const) {
    it(`fits at ${width}×${height}: Token, Try and the live list start on the first screen, long lists folded`, async () => {
      const page = await chromium.open({ viewport: { width, height } });
      try {
        await page.locator("#stack h3", { hasText: "Alarms a deploy creates (18)" }).waitFor();
        const groups = await page.evaluate(
          `[...document.querySelectorAll("#stack details")].map((d) => d.querySelector("h3").textContent + (d.open ? ": open" : ": folded"))`,
        );
        assert.deepEqual(groups, [
          "Alarms a deploy creates (18): folded",
          "Tables (1, on a local DynamoDB-compatible engine): open",
          "Not emulated locally (3): open",
          "Outputs: folded",
        ]);
        const tops: Record<string, number> = {};
        for (const id of ["token", "try", "live-list"]) {
          tops[id] = Math.round((await page.locator(`#${id}`).boundingBox())!.y);
        }
        // The first screen, as the developer sees it.
        await page.screenshot({ path: join(ARTIFACTS, `console-prod-${name}.png`) });
        const below = Object.entries(tops).filter(([, top]) => top >= height);
        assert.deepEqual(below, [], `starts below the first ${height} px: ${JSON.stringify(tops)}`);
        // A folded list opens on a click.
        await page.getByText("Alarms a deploy creates (18)").click();
        assert.equal(
          await page.locator('#stack details[data-group="alarms"]').getAttribute("open"),
          "",
        );
      } finally {
        await page.close();
      }
    });
  }
});
