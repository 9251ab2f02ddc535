import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchProgram } from "../../local/watch";
import { waitFor } from "../support/waitFor";

/** How editors and tools save a file, each as one save. */
const SAVE_STYLES: Record<string, (file: string, text: string) => void> = {
  "an in-place write": (file, text) => writeFileSync(file, text),
  "a temporary file renamed over it (vim, safe write)": (file, text) => {
    writeFileSync(`${file}.tmp~`, text);
    renameSync(`${file}.tmp~`, file);
  },
  "a delete, then a create": (file, text) => {
    unlinkSync(file);
    writeFileSync(file, text);
  },
};

describe("hot reload's watcher", function () {
  let dir: string;
  let reloads: number;
  let watcher: { close(): void };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "watch-"));
    mkdirSync(join(dir, "handlers"));
    writeFileSync(join(dir, "index.ts"), "export {};\n");
    writeFileSync(join(dir, "handlers", "public.ts"), "v0\n");
    reloads = 0;
    watcher = watchProgram(dir, () => reloads++, 20);
  });
  afterEach(() => {
    watcher.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Saves `file` three times in a row, each time waiting for the reload it must cause. */
  const saveThrice = async (save: (file: string, text: string) => void, file: string) => {
    for (let n = 1; n <= 3; n++) {
      const before = reloads;
      save(file, `v${n}\n`);
      await waitFor(`the reload after save ${n}`, () => reloads > before);
    }
  };

  for (const [style, save] of Object.entries(SAVE_STYLES)) {
    it(`reloads on every save made by ${style}`, async () => {
      await saveThrice(save, join(dir, "handlers", "public.ts"));
      await saveThrice(save, join(dir, "index.ts"));
    });
  }

  it("reloads on a change to tsconfig.json and to a JSON file the program imports", async () => {
    await saveThrice(SAVE_STYLES["an in-place write"]!, join(dir, "tsconfig.json"));
    await saveThrice(SAVE_STYLES["an in-place write"]!, join(dir, "handlers", "data.json"));
  });

  it("reloads on a git checkout of a file, again and again", async () => {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    git(
      "-c",
      "user.email=t@example.com",
      "-c",
      "user.name=t",
      "commit",
      "-qam",
      "x",
      "--allow-empty",
    );
    git("add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "files");
    for (let n = 1; n <= 3; n++) {
      writeFileSync(join(dir, "handlers", "public.ts"), `changed ${n}\n`);
      let before = reloads;
      await waitFor(`the reload after change ${n}`, () => reloads > before);
      before = reloads;
      git("checkout", "--", "handlers/public.ts");
      await waitFor(`the reload after checkout ${n}`, () => reloads > before);
    }
  });

  it("reloads when a new file, or a new folder with a file, appears in the program", async () => {
    let before = reloads;
    writeFileSync(join(dir, "handlers", "messages.ts"), "new\n");
    await waitFor("the reload for a new handler", () => reloads > before);
    before = reloads;
    mkdirSync(join(dir, "handlers", "admin"));
    writeFileSync(join(dir, "handlers", "admin", "users.ts"), "new\n");
    await waitFor("the reload for a new folder", () => reloads > before);
    // The new folder is watched too.
    await saveThrice(
      SAVE_STYLES["a temporary file renamed over it (vim, safe write)"]!,
      join(dir, "handlers", "admin", "users.ts"),
    );
  });

  it("reloads once for a file deleted and created again a moment later", async () => {
    const file = join(dir, "handlers", "public.ts");
    unlinkSync(file);
    await new Promise((r) => setTimeout(r, 150));
    writeFileSync(file, "v1\n");
    await waitFor("the reload", () => reloads > 0);
    // A negative can only be observed over time: well past the grace, no second reload.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(reloads, 1);
  });

  it("ignores what is not the program: other files, node_modules, .local", async () => {
    writeFileSync(join(dir, "notes.md"), "x\n");
    mkdirSync(join(dir, "node_modules"));
    writeFileSync(join(dir, "node_modules", "dep.js"), "x\n");
    mkdirSync(join(dir, ".local"));
    writeFileSync(join(dir, ".local", "state.json"), "x\n");
    // A negative can only be observed over time: well past the debounce, nothing has fired.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(reloads, 0);
  });
});
