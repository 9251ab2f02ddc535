import type { PolicyInput } from "../support/policyHarness";
import { changed, mandatory, type PolicyCase } from "./case";

const DOMAIN = "aws:apigatewayv2/domainName:DomainName";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";

const without = (input: PolicyInput, type: string): PolicyInput => ({
  ...input,
  resources: input.resources.filter((r) => r.type !== type),
});

/** A custom domain's TLS and its certificate. */
export const domainCases: PolicyCase[] = [
  {
    rule: "custom-domain-tls-1-2",
    does: "refuses a custom domain on TLS 1.0",
    broken: ({ withDomain }) =>
      changed(withDomain, DOMAIN, "custom-domain-domain", (p) => {
        p.domainNameConfiguration = {
          ...(p.domainNameConfiguration as object),
          securityPolicy: "TLS_1_0",
        };
      }),
    expected: [
      mandatory(
        "custom-domain-tls-1-2",
        "custom domain api.example.com uses TLS_1_0: expected TLS_1_2",
        `${DOMAIN}::custom-domain-domain`,
      ),
    ],
  },
  {
    rule: "custom-domain-certificate-validated",
    does: "refuses a certificate validated by email",
    broken: ({ withDomain }) =>
      changed(withDomain, CERTIFICATE, "custom-domain-certificate", (p) => {
        p.validationMethod = "EMAIL";
      }),
    expected: [
      mandatory(
        "custom-domain-certificate-validated",
        "custom domain api.example.com: its certificate is validated by EMAIL: expected DNS, which the stack completes itself",
      ),
    ],
  },
  {
    rule: "custom-domain-certificate-validated",
    does: "refuses a domain whose certificate the stack never waits to be validated",
    broken: ({ withDomain }) => without(withDomain, VALIDATION),
    expected: [
      mandatory(
        "custom-domain-certificate-validated",
        "custom domain api.example.com: the stack never waits for its certificate's validation (aws.acm.CertificateValidation)",
      ),
    ],
  },
];
