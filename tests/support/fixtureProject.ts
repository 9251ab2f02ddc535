/**
 * A small project of its own, inside this one so that it finds the packages, whose files a test
 * edits while the local environment serves it: the project file, a dev stack on the placeholder
 * tenant, and a tsconfig.json as strict as the project's.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  startLocalEnvironment,
  type LocalEnvironment,
  type LocalEnvironmentOptions,
} from "../../local/environment";
import { TEST_STATE_DIR } from "./paths";

export interface FixtureProject {
  dir: string;
  write(path: string, text: string): void;
  /** The local environment on it, on free ports: `options` add to (or replace) the defaults. */
  start(
    options: Partial<LocalEnvironmentOptions> & Pick<LocalEnvironmentOptions, "log">,
  ): Promise<LocalEnvironment>;
  remove(): void;
}

export function fixtureProject(name: string): FixtureProject {
  const dir = join(TEST_STATE_DIR, `test-${name}-project-${process.pid}`);
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  rmSync(dir, { recursive: true, force: true });
  write("Pulumi.yaml", `name: ${name}-fixture\nruntime: nodejs\n`);
  write("Pulumi.dev.yaml", "config:\n  auth0:domain: dev-example.us.auth0.com\n");
  write("package.json", `{ "name": "${name}-fixture", "private": true }\n`);
  const compilerOptions = {
    module: "commonjs",
    target: "es2022",
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
  };
  write("tsconfig.json", JSON.stringify({ compilerOptions }));
  return {
    dir,
    write,
    start: (options) =>
      startLocalEnvironment({
        projectDir: dir,
        stack: "dev",
        host: "127.0.0.1",
        port: 0,
        issuerPort: 0,
        user: { username: "u", password: "p" },
        ...options,
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
