/**
 * The shapes of a configuration key's specification, and the constructors the key table in
 * `validateConfig.ts` is written with: lists of URLs, numbers in a range, booleans.
 */
import { checkUrl, parseStringArray } from "./configChecks";

/** A value, or why it is not one (appended to the key's `expected`; "" adds nothing). */
export type Parsed<T> = { kind: "valid"; value: T } | { kind: "invalid"; detail: string };

export interface KeySpec<T> {
  /** What a valid value is, as the error message says it. */
  expected: string;
  /** A value to show in `pulumi config set`. */
  example: string;
  /** Lists are set item by item: `pulumi config set --path '<key>[0]' <example>`. */
  list: boolean;
  /**
   * The same value `Pulumi.yaml` declares (a test holds the two together). The CLI applies
   * `Pulumi.yaml`'s; Pulumi mocks (tests, the local environment) apply none, so the program
   * carries its own. They are the strict choices: a stack file may loosen them.
   */
  default: T;
  parse(raw: string): Parsed<T>;
}

export const valid = <T>(value: T): Parsed<T> => ({ kind: "valid", value });
export const invalid = <T>(detail = ""): Parsed<T> => ({ kind: "invalid", detail });

/** The values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export function urlList(
  what: string,
  check: (u: URL, s: string) => boolean,
  example: string,
  defaults: string[],
  min = 0,
): KeySpec<string[]> {
  return {
    expected: `a list of ${what}${min > 0 ? ` (at least ${min})` : ""}`,
    example,
    list: true,
    default: defaults,
    parse(raw) {
      const list = parseStringArray(raw);
      if (list === undefined || list.length < min) return invalid();
      const wrong = list.find((s) => !checkUrl(s, check));
      return wrong === undefined ? valid(list) : invalid(`; '${wrong}' is not one`);
    },
  };
}

export function numberKey(
  expected: string,
  accepts: (n: number) => boolean,
  defaultValue: number,
): KeySpec<number> {
  return {
    expected,
    example: String(defaultValue),
    list: false,
    default: defaultValue,
    parse(raw) {
      const n = raw.trim() === "" ? NaN : Number(raw);
      return Number.isFinite(n) && accepts(n) ? valid(n) : invalid();
    },
  };
}

export function booleanKey(defaultValue: boolean): KeySpec<boolean> {
  return {
    expected: "true or false",
    example: String(!defaultValue),
    list: false,
    default: defaultValue,
    parse: (raw) => (raw === "true" ? valid(true) : raw === "false" ? valid(false) : invalid()),
  };
}

/** A whole number from `min` to `max`. */
export function wholeNumberKey(
  what: string,
  min: number,
  max: number,
  defaultValue: number,
  why = "",
): KeySpec<number> {
  return numberKey(
    `a whole ${what} from ${min} to ${max}${why}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
    defaultValue,
  );
}

/** An email address; `optional`: or empty, for none. */
export function emailKey(
  expected: string,
  example: string,
  defaultValue: string,
  optional = false,
): KeySpec<string> {
  return {
    expected: optional ? `${expected}, or empty for none` : expected,
    example,
    list: false,
    default: defaultValue,
    // Auth0 and SNS check more; this catches what is plainly not an address.
    parse: (raw) =>
      (raw === "" && optional) || (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) && raw.length <= 254)
        ? valid(raw)
        : invalid(),
  };
}
