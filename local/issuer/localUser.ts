/**
 * The built-in issuer's one user: any username signs in (it becomes the token's `sub`) with one
 * password, this one unless `--password` or LOCAL_PASSWORD set another.
 */
export const DEFAULT_LOCAL_USER = "local-user";
export const DEFAULT_LOCAL_PASSWORD = "local-password";

export interface LocalUserSettings {
  /** Default username; any username signs in with the password, and becomes the `sub`. */
  username: string;
  password: string;
}
