/**
 * The built-in issuer's users: any username signs in (it becomes the token's `sub`) with one
 * password, this one unless `--password` or LOCAL_PASSWORD set another. Where the application's
 * connection has sign-up off, only its declared users and those added here (`signInRule.ts`).
 */
export const DEFAULT_LOCAL_USER = "local-user";
export const DEFAULT_LOCAL_PASSWORD = "local-password";

export interface LocalUserSettings {
  /** Default username; any username signs in with the password, and becomes the `sub`. */
  username: string;
  password: string;
  /**
   * Users added for local use (`--user`, `LOCAL_USER`): admitted where sign-up is off, as if the
   * program declared them.
   */
  added?: string[];
}
