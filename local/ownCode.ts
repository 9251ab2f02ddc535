import { sep } from "node:path";

/**
 * The local environment's own code, this folder: a stack frame in it is the environment's, never
 * the developer's (a handler's error, a failed evaluation), even where the project holds it.
 */
export const OWN_CODE = __dirname + sep;
