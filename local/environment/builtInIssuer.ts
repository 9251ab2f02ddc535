/** The built-in issuer on its own socket, rebuilt when the program's applications or APIs change. */
import { createServer } from "node:http";
import type { LocalModel } from "../interpret/model";
import { createLocalIssuer } from "../issuer/localIssuer";
import type { LocalUserSettings } from "../issuer/localUser";
import type { IssuerSecrets } from "../issuer/signingKeys";
import { close, listenOn, loopbackFor, urlHost } from "../server/listening";

export interface BuiltInIssuer {
  /** Where it is served: on loopback, also when it listens on every interface. */
  url: string;
  /** Takes the new program's applications and APIs. */
  update(model: LocalModel): void;
  close(): Promise<void>;
}

export async function startBuiltInIssuer(args: {
  issuer: string;
  model: LocalModel;
  secrets: IssuerSecrets;
  user: LocalUserSettings;
  host: string;
  port: number;
}): Promise<BuiltInIssuer> {
  // Known once the socket listens; the issuer's URLs are built on it.
  const served: { url?: string } = {};
  const build = (m: LocalModel) =>
    createLocalIssuer({
      issuer: args.issuer,
      clients: m.clients,
      resourceServers: m.resourceServers,
      secrets: args.secrets,
      user: args.user,
      servedUrl: () => served.url,
    }).handle;
  const known = (m: LocalModel) => JSON.stringify([m.clients, m.resourceServers]);
  let handle = build(args.model);
  let current = known(args.model);
  const server = createServer((req, res) => handle(req, res));
  const port = await listenOn(server, args.port, args.host, "--issuer-port");
  const url = `http://${urlHost(loopbackFor(args.host))}:${port}`;
  served.url = url;
  return {
    url,
    update(model) {
      if (known(model) === current) return;
      handle = build(model);
      current = known(model);
    },
    close: () => close(server),
  };
}
