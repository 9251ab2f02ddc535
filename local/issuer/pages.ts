/**
 * The built-in issuer's login and consent pages: plain HTML forms, no JavaScript, every input
 * labelled. What they show comes from the program (the application's name) and the request.
 */
import { SIGN_IN_FORM, SIGN_IN_REFUSAL } from "./signInHooks";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; color: #1f2328; }
  main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  @media (max-width: 28rem) { main { margin: 1rem; padding: 1.25rem; } }
  p.hint { font-size: .85rem; color: #59636e; margin: .75rem 0 0; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  p.app { margin: 0 0 1.5rem; color: #59636e; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #d1d9e0; border-radius: 4px; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; border: 0; border-radius: 4px; background: #0969da; color: #fff; cursor: pointer; }
  button.secondary { background: #eaeef2; color: #1f2328; margin-top: .5rem; }
  .error { background: #ffebe9; border: 1px solid #ff8182; padding: .5rem; border-radius: 4px; margin-bottom: 1rem; }
  .banner { font-size: .8rem; color: #9a6700; background: #fff8c5; padding: .4rem .6rem; border-radius: 4px; margin-bottom: 1rem; }
  ul { padding-left: 1.2rem; }
`;

export function page(title: string, body: string, banner = true): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${banner ? '<p class="banner">Local issuer: for local development only.</p>' : ""}
${body}
</main></body></html>`;
}

export function loginPage(args: {
  action: string;
  applicationName: string;
  username?: string;
  error?: string;
  /** What a user needs to know to sign in here: any username, and which password. */
  hint: string;
}): string {
  return page(
    `Log in to ${args.applicationName}`,
    `<h1>Log in</h1>
<p class="app">to continue to <strong>${escapeHtml(args.applicationName)}</strong></p>
${args.error !== undefined ? `<p class="error" role="alert" ${SIGN_IN_REFUSAL}>${escapeHtml(args.error)}</p>` : ""}
<form ${SIGN_IN_FORM}="login" method="post" action="${escapeHtml(args.action)}">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${escapeHtml(args.username ?? "")}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Continue</button>
</form>
<p class="hint">${escapeHtml(args.hint)}</p>`,
  );
}

export function consentPage(args: {
  /** Where Accept posts. */
  action: string;
  /** Where Decline posts. */
  abortAction: string;
  applicationName: string;
  username: string;
  /** Your profile: the OpenID scopes. */
  profileScopes: string[];
  /** Per API (its identifier), the scopes asked for it. */
  apiScopes: Record<string, string[]>;
}): string {
  const list = (scopes: string[]) =>
    scopes.length > 0 ? ` (${scopes.map((s) => escapeHtml(s)).join(", ")})` : "";
  const items = [
    ...(args.profileScopes.length > 0 ? [`<li>Your profile${list(args.profileScopes)}</li>`] : []),
    ...Object.entries(args.apiScopes).map(
      ([api, scopes]) => `<li>The API <strong>${escapeHtml(api)}</strong>${list(scopes)}</li>`,
    ),
  ];
  return page(
    `Authorize ${args.applicationName}`,
    `<h1>Authorize ${escapeHtml(args.applicationName)}</h1>
<p class="app">Hi <strong>${escapeHtml(args.username)}</strong>, ${escapeHtml(args.applicationName)} is requesting access to:</p>
<ul>${items.join("")}</ul>
<form ${SIGN_IN_FORM}="consent" method="post" action="${escapeHtml(args.action)}">
  <button type="submit">Accept</button>
  <button type="submit" formaction="${escapeHtml(args.abortAction)}" class="secondary">Decline</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    "Error",
    `<h1>Something went wrong</h1><p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
