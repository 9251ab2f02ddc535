/**
 * A custom domain serves TLS 1.2 or stricter, and its certificate is one the stack validates by
 * DNS or one the user supplies: never a certificate still pending validation, never one waiting
 * on an email someone must click.
 */
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { dependency, resourcesOf } from "./stackResources";

/** The security policies an HTTP API's custom domain may use: TLS 1.2 (AWS offers no TLS 1.0 here). */
const STRICT_ENOUGH = ["TLS_1_2"];

export const customDomainTls: ResourceValidationPolicy = {
  name: "custom-domain-tls-1-2",
  description: "Every custom domain uses the TLS_1_2 security policy.",
  validateResource: validateResourceOfType(aws.apigatewayv2.DomainName, (domain, _args, report) => {
    const policy = domain.domainNameConfiguration?.securityPolicy;
    if (policy === undefined || !STRICT_ENOUGH.includes(policy)) {
      report(
        `custom domain ${domain.domainName} uses ${policy ?? "no security policy"}: expected TLS_1_2`,
      );
    }
  }),
};

export const customDomainCertificate: StackValidationPolicy = {
  name: "custom-domain-certificate-validated",
  description:
    "A custom domain's certificate is one the stack validates by DNS (CertificateValidation) or one the user supplies.",
  validateStack: (args, report) => {
    const certificates = resourcesOf(args.resources, aws.acm.Certificate);
    const validations = resourcesOf(args.resources, aws.acm.CertificateValidation);
    for (const { r, p: domain } of resourcesOf(args.resources, aws.apigatewayv2.DomainName)) {
      const own = dependency(r, "domainNameConfiguration", "aws:acm/certificate:Certificate");
      // A certificate the user supplies is no resource of the stack: ACM validated it already.
      if (own === undefined) continue;
      const certificate = certificates.find((c) => c.r === own)!.p;
      if (certificate.validationMethod !== "DNS") {
        report(
          `custom domain ${domain.domainName}: its certificate is validated by ${certificate.validationMethod ?? "no method"}: expected DNS, which the stack completes itself`,
        );
      }
      const validated = validations.some(
        (v) => dependency(v.r, "certificateArn", "aws:acm/certificate:Certificate") === own,
      );
      if (!validated) {
        report(
          `custom domain ${domain.domainName}: the stack never waits for its certificate's validation (aws.acm.CertificateValidation)`,
        );
      }
    }
  },
};
