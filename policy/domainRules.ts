/**
 * A custom domain serves TLS 1.2 or stricter, and its certificate is one the stack validates by
 * DNS or one the user supplies: never a certificate still pending validation, never one waiting
 * on an email someone must click.
 */
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { dependency, resourcesOf } from "./stackResources";
import { known } from "./support";

const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";

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
    "A custom domain's certificate is one the stack validates by DNS and waits for (CertificateValidation), or one the user supplies.",
  validateStack: (args, report) => {
    const certificates = resourcesOf(args.resources, aws.acm.Certificate);
    for (const { r, p: domain } of resourcesOf(args.resources, aws.apigatewayv2.DomainName)) {
      // The engine records what the domain's configuration carries: the validation's
      // certificateArn when it waits for it, the certificate's own arn when it does not.
      const validation = dependency(r, "domainNameConfiguration", VALIDATION);
      const own =
        validation !== undefined
          ? dependency(validation, "certificateArn", CERTIFICATE)
          : dependency(r, "domainNameConfiguration", CERTIFICATE);
      // A certificate the user supplies is no resource of the stack: ACM validated it already.
      if (own === undefined) continue;
      const certificate = certificates.find((c) => c.r === own)!.p;
      if (certificate.validationMethod !== "DNS") {
        report(
          `custom domain ${domain.domainName}: its certificate is validated by ${certificate.validationMethod ?? "no method"}: expected DNS, which the stack completes itself`,
        );
      }
      if (validation === undefined) {
        report(
          `custom domain ${domain.domainName}: the stack never waits for its certificate's validation (aws.acm.CertificateValidation)`,
        );
      }
    }
  },
};

/** `arn:aws:<service>:<region>:…` → `<region>`; undefined for a global ARN or none. */
function regionOf(arn: unknown): string | undefined {
  if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
  return arn.split(":")[3] || undefined;
}

export const customDomainCertificateRegion: StackValidationPolicy = {
  name: "custom-domain-certificate-in-region",
  description:
    "A custom domain's certificate is in the stack's own region: a regional domain name takes an ACM certificate of its API's region.",
  validateStack: (args, report) => {
    // The stack's region, from the ARNs it already knows (its resources' `arn` outputs). At a
    // first preview none is known yet; the program's configuration check refuses it then.
    const stackRegion = args.resources
      .map((r) => known(() => regionOf((r.props as { arn?: unknown }).arn), ""))
      .find((region) => region !== undefined && region !== "");
    for (const { p: domain } of resourcesOf(args.resources, aws.apigatewayv2.DomainName)) {
      const arn = known(() => domain.domainNameConfiguration?.certificateArn, "");
      const region = regionOf(arn);
      if (stackRegion === undefined || region === undefined || region === stackRegion) continue;
      report(
        `custom domain ${domain.domainName}: its certificate ${arn} is in ${region}, the stack in ${stackRegion}: a regional custom domain needs a certificate in its API's region`,
      );
    }
  },
};
