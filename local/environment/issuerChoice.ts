/** Which issuer the local environment trusts: the built-in one for the stack's tenant, or one given. */
import { issuerFor } from "../../facts/auth0";
import { assertFetchable } from "../authorizer/issuerKeys";

export interface IssuerChoice {
  /** The `iss` every token carries and every authorizer expects. */
  issuer: string;
  /** True when the built-in issuer stands in for the tenant. */
  builtIn: boolean;
  /** Where an external issuer is really served, when that is not its issuer URL. */
  servedAt?: string;
}

export function chooseIssuer(args: {
  stack: string;
  domain: string | undefined;
  externalIssuer?: string;
  externalIssuerUrl?: string;
}): IssuerChoice {
  const { externalIssuer, externalIssuerUrl } = args;
  if (externalIssuer === undefined) {
    if (args.domain === undefined) {
      throw new Error(`stack '${args.stack}' sets no auth0:domain and no --issuer was given`);
    }
    return { issuer: issuerFor(args.domain), builtIn: true };
  }
  const [option, url] =
    externalIssuerUrl !== undefined
      ? ["--issuer-url", externalIssuerUrl]
      : ["--issuer", externalIssuer];
  try {
    assertFetchable(url);
  } catch {
    throw new Error(`${option} ${url}: expected an https URL (plain http only for loopback hosts)`);
  }
  return {
    issuer: externalIssuer,
    builtIn: false,
    ...(externalIssuerUrl !== undefined ? { servedAt: externalIssuerUrl } : {}),
  };
}
