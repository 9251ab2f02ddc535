import { join, resolve } from "node:path";

export const PROJECT_DIR = resolve(__dirname, "../..");

/**
 * Where tests keep what they write: their environments' state, projects they edit, caches. Never
 * the user's `.local/`, which a running `npm start` and the tools read. Inside the project, so that
 * a test project's imports find its packages; git, the linters and hot reload ignore it.
 */
export const TEST_STATE_DIR = join(PROJECT_DIR, ".test-state");
