import * as assert from "node:assert/strict";
import { isLoopbackHost, isLoopbackOrWildcard, isLoopbackUrl } from "../facts/loopback";
import { isLoopback, isLoopbackHost as packIsLoopbackHost } from "../policy/support";

/** Hosts as URLs spell them (`new URL().hostname`), and as sockets and Host headers do. */
const LOOPBACK = [
  "localhost",
  "LOCALHOST",
  "localhost.",
  "app.localhost",
  "127.0.0.1",
  "127.1.2.3",
  "127.255.255.255",
  "::1",
  "[::1]",
  "0:0:0:0:0:0:0:1",
  "::ffff:127.0.0.1",
  "[::ffff:7f00:1]",
];
const NOT_LOOPBACK = [
  "127.attacker.example",
  "127.0.0.1.nip.io",
  "localhost.attacker.example",
  "notlocalhost",
  "128.0.0.1",
  "10.0.0.1",
  "0.0.0.0",
  "::",
  "::2",
  "::ffff:10.0.0.1",
  "[::1",
  "",
  "example.com",
];

describe("what counts as loopback (one rule, and the policy pack's copy of it)", () => {
  for (const [name, check] of [
    ["facts/loopback", isLoopbackHost],
    ["policy/support", packIsLoopbackHost],
  ] as const) {
    describe(name, () => {
      for (const host of LOOPBACK) {
        it(`counts ${JSON.stringify(host)}`, () => assert.equal(check(host), true));
      }
      for (const host of NOT_LOOPBACK) {
        it(`does not count ${JSON.stringify(host)}`, () => assert.equal(check(host), false));
      }
    });
  }

  it("reads a URL's host by the same rule, in the program and in the pack", () => {
    const urls = {
      "http://127.attacker.example/": false,
      "http://127.0.0.1.nip.io/": false,
      "http://127.1/": true,
      "http://[::1]:3000/cb": true,
      "http://app.localhost:5678/": true,
      "not a url": false,
    };
    for (const [url, expected] of Object.entries(urls)) {
      assert.equal(isLoopbackUrl(url), expected, url);
      assert.equal(isLoopback(url), expected, url);
    }
  });

  it("listens on loopback IP literals, localhost and wildcards, never on other names", () => {
    const hosts = {
      "127.0.0.1": true,
      "127.0.0.2": true,
      "::1": true,
      "[::1]": true,
      localhost: true,
      "0.0.0.0": true,
      "::": true,
      "app.localhost": false,
      "127.attacker.example": false,
      "192.0.2.10": false,
    };
    for (const [host, expected] of Object.entries(hosts)) {
      assert.equal(isLoopbackOrWildcard(host), expected, host);
    }
  });
});
