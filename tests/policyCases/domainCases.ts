import { withResource, type PolicyInput } from "../support/policyHarness";
import { changed, mandatory, type PolicyCase } from "./case";

const DOMAIN = "aws:apigatewayv2/domainName:DomainName";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const OTHER_REGION_CERTIFICATE =
  "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";

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
    // The program hands the domain `certificate.arn` instead of the validation's.
    broken: ({ withDomain }) => {
      const certificate = withDomain.resources.find((r) => r.type === CERTIFICATE)!;
      return withResource(without(withDomain, VALIDATION), DOMAIN, "custom-domain-domain", (r) => {
        r.recorded.propertyDependencies.domainNameConfiguration = [certificate.recorded.urn];
        r.recorded.dependencies = [certificate.recorded.urn];
      });
    },
    expected: [
      mandatory(
        "custom-domain-certificate-validated",
        "custom domain api.example.com: the stack never waits for its certificate's validation (aws.acm.CertificateValidation)",
      ),
    ],
  },
  {
    rule: "custom-domain-certificate-in-region",
    does: "refuses a certificate from another region than the stack's",
    broken: ({ withCertificate }) =>
      changed(withCertificate, DOMAIN, "custom-domain-domain", (p) => {
        p.domainNameConfiguration = {
          ...(p.domainNameConfiguration as object),
          certificateArn: OTHER_REGION_CERTIFICATE,
        };
      }),
    // At a first preview no ARN of the stack is known yet: the program's own check refuses it.
    atFirstPreview: [],
    expected: [
      mandatory(
        "custom-domain-certificate-in-region",
        `custom domain api.example.com: its certificate ${OTHER_REGION_CERTIFICATE} is in eu-west-1, the stack in us-east-1: a regional custom domain needs a certificate in its API's region`,
      ),
    ],
  },
  {
    rule: "custom-domain-certificate-in-region",
    does: "stays quiet on a certificate of the stack's region",
    broken: ({ withCertificate }) => withCertificate,
    expected: [],
  },
];
