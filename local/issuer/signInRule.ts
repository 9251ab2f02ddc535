/**
 * Who may sign in to an application, as its Auth0 database connection decides: with sign-up on
 * (dev), anyone, and any username becomes a user; with sign-up off (prod), only the users the
 * program declares on the connection, and those added for local use (`npm start -- --user`).
 * An application on no connection the program declares: anyone, as before the program owned one.
 */
import type { LocalConnection } from "../interpret/model";
import type { LocalUserSettings } from "./localUser";

export type Admission = { ok: true } | { ok: false; message: string };

/** The usernames a connection with sign-up off admits: declared, then added locally. */
export function admittedUsers(connection: LocalConnection, user: LocalUserSettings): string[] {
  return [...new Set([...connection.users, ...(user.added ?? [])])];
}

export function admits(
  connection: LocalConnection | undefined,
  user: LocalUserSettings,
  username: string,
): Admission {
  if (connection === undefined || connection.signUp) return { ok: true };
  const admitted = admittedUsers(connection, user);
  if (admitted.includes(username)) return { ok: true };
  return { ok: false, message: refusal(connection, admitted) };
}

/**
 * The username tools sign in as when none is given: the environment's user, unless sign-up is
 * off, where it is the first user admitted; undefined when none is (`refusal` says what to do).
 */
export function defaultUsername(
  connection: LocalConnection | undefined,
  user: LocalUserSettings,
): string | undefined {
  if (connection === undefined || connection.signUp) return user.username;
  return admittedUsers(connection, user)[0];
}

/** Why a username is refused, and what to do about it. */
export function refusal(connection: LocalConnection, admitted: string[]): string {
  const add = "add a user for local use with npm start -- --user <name>";
  return admitted.length > 0
    ? `Sign-up is off on the connection ${connection.name}: sign in as ${admitted.join(" or ")}, or ${add}.`
    : `Sign-up is off on the connection ${connection.name} and it has no user: ${add}.`;
}
