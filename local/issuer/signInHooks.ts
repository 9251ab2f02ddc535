/**
 * What the built-in issuer's sign-in pages mark for a script (the scripted sign-in behind `npm run
 * token` and the console's tokens): each page's one form says what it is (`data-sign-in-form`,
 * `login` or `consent`) and a refused sign-in's message is marked (`data-sign-in-refusal`). The
 * pages write these marks (pages.ts) and the script reads them (login/scriptedSignIn.ts), here in
 * one place: a change to the pages' markup or wording cannot break the script unnoticed.
 */
export const SIGN_IN_FORM = "data-sign-in-form";
export const SIGN_IN_REFUSAL = "data-sign-in-refusal";

export type SignInFormKind = "login" | "consent";

/** The form a page offers, and where it posts (as written in the page, HTML-escaped). */
export function signInFormOf(page: string): { kind: SignInFormKind; action: string } | undefined {
  const found = new RegExp(`<form ${SIGN_IN_FORM}="(login|consent)" [^>]*action="([^"]*)"`).exec(
    page,
  );
  return found === null ? undefined : { kind: found[1] as SignInFormKind, action: found[2]! };
}

/** The refusal a page shows, as written (HTML-escaped); undefined when it shows none. */
export function signInRefusalOf(page: string): string | undefined {
  return new RegExp(`<p [^>]*${SIGN_IN_REFUSAL}[^>]*>([^<]*)</p>`).exec(page)?.[1];
}
