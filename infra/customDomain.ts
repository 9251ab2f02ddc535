import * as acm from "@pulumi/aws/acm";
import * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";

export interface CustomDomainArgs {
  /** The host name the API answers at (`api.example.com`). */
  domain: string;
  apiId: pulumi.Input<string>;
  /**
   * The stage it maps to (`$default`), as the stage resource's output: the mapping is created
   * after the stage exists and deleted before it (API Gateway refuses a mapping to a stage that
   * does not exist yet: "Invalid stage identifier specified").
   */
  stage: pulumi.Input<string>;
  /**
   * Where the certificate comes from: a Route 53 public hosted zone the stack writes to (it
   * requests the certificate, validates it by DNS and points the name at the API), or an
   * existing certificate in the stack's region (DNS is the user's: the stack outputs the target).
   */
  source: { hostedZoneId: string } | { certificateArn: string };
}

/**
 * The API at a name of the team's own: an API Gateway domain name (regional endpoint, TLS 1.2),
 * mapped to the `$default` stage, with its certificate and DNS when the stack owns the zone.
 * Order follows from the values each takes: the mapping names the domain and the stage, the
 * domain the validated certificate (so it waits for validation), the alias record the domain's
 * target (facts/deployOrder.ts holds each rule with its source).
 */
export class CustomDomain extends pulumi.ComponentResource {
  /** `https://<domain>`. */
  readonly endpoint: string;
  /** The name DNS must point at (a CNAME, when the stack does not own the zone). */
  readonly target: pulumi.Output<string>;

  constructor(name: string, args: CustomDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:api:CustomDomain", name, {}, opts);
    const parent = { parent: this };
    const zone = "hostedZoneId" in args.source ? args.source.hostedZoneId : undefined;
    const certificateArn =
      zone !== undefined
        ? validatedCertificate(name, args.domain, zone, parent)
        : pulumi.output((args.source as { certificateArn: string }).certificateArn);
    const domain = new apigatewayv2.DomainName(
      `${name}-domain`,
      {
        domainName: args.domain,
        domainNameConfiguration: {
          certificateArn,
          endpointType: "REGIONAL",
          securityPolicy: "TLS_1_2",
        },
      },
      parent,
    );
    new apigatewayv2.ApiMapping(
      `${name}-mapping`,
      { apiId: args.apiId, domainName: domain.id, stage: args.stage },
      parent,
    );
    const configuration = domain.domainNameConfiguration;
    this.target = configuration.apply((c) => c.targetDomainName ?? "");
    if (zone !== undefined) {
      new route53.Record(
        `${name}-alias`,
        {
          zoneId: zone,
          name: args.domain,
          type: "A",
          aliases: [
            {
              name: this.target,
              zoneId: configuration.apply((c) => c.hostedZoneId ?? ""),
              evaluateTargetHealth: false,
            },
          ],
        },
        parent,
      );
    }
    this.endpoint = `https://${args.domain}`;
    this.registerOutputs({ endpoint: this.endpoint, target: this.target });
  }
}

/**
 * An ACM certificate for `domain`, validated by the DNS record ACM asks for, written in `zone`;
 * resolves to the certificate's ARN once ACM has issued it (`CertificateValidation` waits).
 */
function validatedCertificate(
  name: string,
  domain: string,
  zone: string,
  parent: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const certificate = new acm.Certificate(
    `${name}-certificate`,
    { domainName: domain, validationMethod: "DNS" },
    parent,
  );
  // One name, so ACM asks for one record.
  const option = certificate.domainValidationOptions.apply((options) => options[0]!);
  const record = new route53.Record(
    `${name}-validation`,
    {
      zoneId: zone,
      name: option.apply((o) => o.resourceRecordName!),
      type: option.apply((o) => o.resourceRecordType!),
      records: [option.apply((o) => o.resourceRecordValue!)],
      ttl: 300,
      // Never take over a record the zone already has (another certificate for the same name
      // renews with it): a first deploy then stops and names it, rather than own and later
      // delete it. docs/deploy.md says how to adopt it (pulumi import).
      allowOverwrite: false,
    },
    parent,
  );
  const validation = new acm.CertificateValidation(
    `${name}-certificate-validation`,
    { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
    parent,
  );
  return validation.certificateArn;
}
