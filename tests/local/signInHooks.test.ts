import * as assert from "node:assert/strict";
import { consentPage, errorPage, loginPage } from "../../local/issuer/pages";
import { signInFormOf, signInRefusalOf } from "../../local/issuer/signInHooks";

describe("the sign-in pages' marks, as the scripted sign-in reads them", () => {
  const login = (error?: string) =>
    loginPage({
      action: "/interaction/abc/login?x=1&y=2",
      applicationName: 'App "<one>"',
      hint: "any username",
      ...(error !== undefined ? { error } : {}),
    });

  it("finds each page's form by what it is, with where it posts as the page wrote it", () => {
    assert.deepEqual(signInFormOf(login()), {
      kind: "login",
      action: "/interaction/abc/login?x=1&#38;y=2",
    });
    const consent = consentPage({
      action: "/interaction/abc/confirm",
      abortAction: "/interaction/abc/abort",
      applicationName: "App",
      username: "alice",
      profileScopes: ["openid"],
      apiScopes: {},
    });
    assert.deepEqual(signInFormOf(consent), {
      kind: "consent",
      action: "/interaction/abc/confirm",
    });
    assert.equal(signInFormOf(errorPage("gone")), undefined);
  });

  it("reads a refusal's message, and none where the page shows none", () => {
    assert.equal(
      signInRefusalOf(login("wrong password for <bob>")),
      "wrong password for &#60;bob&#62;",
    );
    assert.equal(signInRefusalOf(login()), undefined);
  });
});
