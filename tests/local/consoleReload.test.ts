import * as assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS } from "../support/chromium";
import { consoleInChromium, privateHandler, signIn } from "../support/consoleInChromium";
import { copyProject, type ProjectCopy } from "../support/projectCopy";

describe("the console in a real browser (Chromium), while the program is edited", function () {
  let page: Page;
  let project: ProjectCopy;

  before(() => (project = copyProject("console-reload", { private: privateHandler("Hello") })));
  const chromium = consoleInChromium("console-reload", () => ({
    projectDir: project.dir,
    watch: true,
  }));
  after(() => project?.remove());
  beforeEach(async () => (page = await chromium.open()));
  afterEach(() => page?.close());

  it("follows a changed handler, and shows a failed reload while the last good version serves", async () => {
    await signIn(page);
    const version = Number(/\d+/.exec((await page.locator("#stack-version").textContent())!)![0]);
    const reloaded = (n: number) =>
      page.locator("#stack-version", { hasText: `version ${version + n}` }).waitFor();
    project.write("handlers/private.ts", privateHandler("Howdy"));
    await reloaded(1);
    await page.getByLabel("Route", { exact: true }).selectOption("GET /private");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("try-body").filter({ hasText: "Howdy console-user!" }).waitFor();

    project.write("handlers/private.ts", "export const handler = (;\n");
    const alert = page.getByRole("alert").filter({ hasText: "The program failed to evaluate" });
    await alert.waitFor({ timeout: 30_000 });
    assert.match(
      (await page.locator("#reload-error-text").textContent())!,
      /handlers\/private\.ts\(1,25\): error TS1109: Expression expected\./,
    );
    await alert.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "console-reload-failed.png") });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("try-body").filter({ hasText: "Howdy console-user!" }).waitFor();
    assert.equal(await page.locator("#stack-version").textContent(), `version ${version + 1}`);

    project.write("handlers/private.ts", privateHandler("Hello"));
    await reloaded(2);
    assert.equal(await alert.isHidden(), true);
  });
});
