/** Where an authorizer reads its token: its identity source, a header or a query parameter. */
import { parseQueryString } from "./request";

export type IdentityReader = (
  headers: Record<string, string>,
  rawQueryString: string,
) => string | undefined;

/** How to read the token from where an identity source points; decided once per authorizer. */
export function identityReader(identitySource: string): IdentityReader {
  const header = /^\$request\.header\.(.+)$/.exec(identitySource)?.[1]?.toLowerCase();
  if (header !== undefined) return (headers) => headers[header];
  // The query string is parsed only for an identity source that reads it.
  const parameter = /^\$request\.querystring\.(.+)$/.exec(identitySource)?.[1];
  if (parameter !== undefined) return (_, query) => parseQueryString(query)?.[parameter];
  return () => undefined;
}
