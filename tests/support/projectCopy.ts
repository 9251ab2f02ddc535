/**
 * A copy of the project's own program in a folder of its own (inside the project, so it finds the
 * packages), with its handlers editable while an environment serves it: the real `index.ts`, its
 * stack files and every handler; `infra/` and `facts/` are imported from the project.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR, TEST_STATE_DIR } from "./program";

export interface ProjectCopy {
  dir: string;
  /** Writes a file of the copy, relative to its folder. */
  write(path: string, text: string): void;
  remove(): void;
}

export function copyProject(name: string, handlers: Record<string, string> = {}): ProjectCopy {
  const dir = join(TEST_STATE_DIR, `test-${name}-project-${process.pid}`);
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const own = (path: string) => readFileSync(join(PROJECT_DIR, path), "utf8");
  rmSync(dir, { recursive: true, force: true });
  for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) write(file, own(file));
  const compilerOptions = {
    module: "commonjs",
    target: "es2022",
    strict: true,
    esModuleInterop: true,
  };
  write("tsconfig.json", JSON.stringify({ compilerOptions }));
  write("package.json", '{ "name": "api-auth-jwt-auth0", "private": true }\n');
  write("index.ts", own("index.ts").replace(/from "\.\/(infra|facts)\//g, 'from "../../$1/'));
  for (const file of readdirSync(join(PROJECT_DIR, "handlers"))) {
    const handler = file.replace(/\.ts$/, "");
    write(`handlers/${file}`, handlers[handler] ?? own(`handlers/${file}`));
  }
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
