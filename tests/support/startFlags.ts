import type { Values } from "../../local/cli/startOptions";

/** `npm start`'s parsed flags: its defaults, and what a test sets. */
export const startFlags = (set: Partial<Values> = {}): Values =>
  ({
    stack: "dev",
    throttle: false,
    "no-watch": false,
    "no-typecheck": false,
    "no-console": false,
    ...set,
  }) as Values;
