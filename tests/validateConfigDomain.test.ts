import * as assert from "node:assert/strict";
import { validateConfig } from "../infra/validateConfig";
import { configProblems, withProjectDefaults } from "./support/stacks";

const P = "proj";
const DOMAIN = { "auth0:domain": "dev-abc123.us.auth0.com" };

describe("the custom domain's keys together", () => {
  const CERT =
    "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";
  const ZONE = "Z0123456789ABCDEFGHIJ";
  const withKeys = (values: Record<string, string>) => ({
    ...DOMAIN,
    ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`proj:${k}`, v])),
  });

  it("takes a domain with a zone, or with a certificate", () => {
    for (const extra of [{ hostedZoneId: ZONE }, { certificateArn: CERT }] as Record<
      string,
      string
    >[]) {
      const values = withProjectDefaults(
        P,
        withKeys({ customDomain: "API.example.com", ...extra }),
      );
      assert.equal(
        validateConfig({ project: P, stack: "dev", values }).customDomain,
        "api.example.com",
      );
    }
  });

  it("refuses both, saying to choose one", () => {
    assert.deepEqual(
      configProblems(
        P,
        "dev",
        withKeys({ customDomain: "api.example.com", hostedZoneId: ZONE, certificateArn: CERT }),
      ),
      [
        "Configuration keys 'proj:hostedZoneId' and 'proj:certificateArn' are both set: choose one, the zone (the stack requests and validates a certificate and writes the records) or the certificate (DNS kept elsewhere). Remove the other with: pulumi config rm proj:certificateArn",
      ],
    );
  });

  it("refuses neither, naming both keys and how to set them", () => {
    assert.deepEqual(configProblems(P, "dev", withKeys({ customDomain: "api.example.com" })), [
      "Configuration key 'proj:customDomain' is 'api.example.com', but neither 'proj:hostedZoneId' nor 'proj:certificateArn' is set: set one with: pulumi config set proj:hostedZoneId Z0123456789ABCDEFGHIJ, or pulumi config set proj:certificateArn <ACM certificate ARN in the stack's region>",
    ]);
  });

  it("refuses a zone, a certificate or a disabled endpoint without a domain", () => {
    assert.deepEqual(
      configProblems(P, "dev", withKeys({ hostedZoneId: ZONE, disableExecuteApiEndpoint: "true" })),
      [
        "Configuration key 'proj:hostedZoneId' is set, but 'proj:customDomain' is not: set the domain (pulumi config set proj:customDomain api.example.com) or remove it (pulumi config rm proj:hostedZoneId)",
        "Configuration key 'proj:disableExecuteApiEndpoint' is set, but 'proj:customDomain' is not: set the domain (pulumi config set proj:customDomain api.example.com) or remove it (pulumi config rm proj:disableExecuteApiEndpoint)",
      ],
    );
  });
});
