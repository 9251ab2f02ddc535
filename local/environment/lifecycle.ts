/** The local environment's start and stop steps: its API's socket, its reloads, its end. */
import type { Server } from "node:http";
import { resolve } from "node:path";
import type { LocalModel } from "../interpret/model";
import { close, listenOn, urlHost } from "../server/listening";
import type { LocalTables } from "../tables/localTables";
import type { BuiltInIssuer } from "./builtInIssuer";
import type { ConsoleSide } from "./consoleSide";
import type { FunctionFleet } from "./functionFleet";
import type { ProgramSource } from "./lastEvaluation";
import type { LocalEnvironmentOptions } from "./options";
import { followProgram, reloader, type ReloadNews } from "./reloads";

/**
 * Listens for the API, then runs `then` (what must be served before the API answers); a failure
 * of either runs `undo` before it is thrown. Returns the endpoint.
 */
export async function listenApi(
  server: Server,
  options: LocalEnvironmentOptions,
  undo: () => Promise<unknown>,
  then: () => Promise<void>,
): Promise<string> {
  try {
    const port = await listenOn(server, options.port, options.host, "--port");
    await then();
    return `http://${urlHost(options.host)}:${port}`;
  } catch (err) {
    await undo();
    throw err;
  }
}

/**
 * Stops following the program, then closes the sockets (requests end), then what requests ran on.
 */
export async function stop(
  followers: ({ close(): void } | undefined)[],
  sockets: [Server, BuiltInIssuer | undefined, ConsoleSide | undefined],
  [fleet, tables]: [FunctionFleet, LocalTables],
): Promise<void> {
  for (const follower of followers) follower?.close();
  const [server, builtIn, consoleSide] = sockets;
  await Promise.all([close(server), builtIn?.close(), consoleSide?.close()]);
  await Promise.all([fleet.dispose(), tables.close()]);
}

/**
 * Hot reloads in turn (`reloader`, serving each good version with `serve`) and the type checker,
 * following the program; a start from the kept evaluation confirms it (and swaps if it differs).
 */
export function follow(
  program: ProgramSource,
  options: LocalEnvironmentOptions,
  consoleSide: ConsoleSide | undefined,
  serve: (next: LocalModel) => Promise<void>,
) {
  const news: ReloadNews = { compileErrors: [] };
  const reload = reloader(program, options.log, consoleSide, serve, news);
  const projectDir = resolve(options.projectDir);
  const { followers, reloadInTurn } = followProgram(projectDir, options, reload, consoleSide, news);
  if (program.kept !== undefined) reloadInTurn();
  return { reload, followers };
}
