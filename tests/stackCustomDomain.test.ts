import * as assert from "node:assert/strict";
import { readStackSettings } from "../local/evaluate/stackFiles";
import {
  evaluateStack,
  expectOk,
  one,
  ofType,
  PROJECT_DIR,
  type Evaluated,
} from "./support/program";
import { stackFacts } from "./support/stacks";

const T = {
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  domain: "aws:apigatewayv2/domainName:DomainName",
  mapping: "aws:apigatewayv2/apiMapping:ApiMapping",
  api: "aws:apigatewayv2/api:Api",
};
const ZONE = "Z0123456789ABCDEFGHIJ";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A stack evaluated with its own file plus these project keys. */
async function withKeys(stack: string, keys: Record<string, string>): Promise<Evaluated> {
  const { config } = readStackSettings(PROJECT_DIR, stack);
  const extra = Object.fromEntries(
    Object.entries(keys).map(([k, v]) => [`api-auth-jwt-auth0:${k}`, v]),
  );
  return expectOk(await evaluateStack(stack, { config: { ...config, ...extra } }));
}

const indexOf = (program: Evaluated, type: string) =>
  program.resources.findIndex((r) => r.type === type);

for (const stack of ["dev", "prod"] as const) {
  describe(`custom domain, stack ${stack} as committed`, function () {
    it("has none: no domain, certificate or record, and no custom endpoint", async () => {
      const { program } = await stackFacts(stack);
      for (const type of Object.values(T).filter((t) => t !== T.api)) {
        assert.deepEqual(ofType(program, type), [], type);
      }
      assert.equal("customEndpoint" in program.outputs, false);
      assert.equal(one(program, T.api, "api").inputs.disableExecuteApiEndpoint, undefined);
    });
  });
}

for (const stack of ["dev", "prod"] as const) {
  describe(`custom domain with a hosted zone (stack ${stack})`, function () {
    let program: Evaluated;
    before(async () => {
      program = await withKeys(stack, { customDomain: "api.example.com", hostedZoneId: ZONE });
    });

    it("requests a certificate validated by DNS, and writes the record ACM asks for in the zone", () => {
      const certificate = one(program, T.certificate, "custom-domain-certificate");
      assert.deepEqual(certificate.inputs, {
        domainName: "api.example.com",
        validationMethod: "DNS",
      });
      const option = (certificate.state.domainValidationOptions as Record<string, string>[])[0]!;
      const record = one(program, T.record, "custom-domain-validation");
      assert.deepEqual(record.inputs, {
        zoneId: ZONE,
        name: option.resourceRecordName,
        type: "CNAME",
        records: [option.resourceRecordValue],
        ttl: 300,
        // Never takes over a record another certificate renews with.
        allowOverwrite: false,
      });
      assert.deepEqual(one(program, T.validation, "custom-domain-certificate-validation").inputs, {
        certificateArn: certificate.state.arn,
        validationRecordFqdns: [record.state.fqdn],
      });
    });

    it("creates a regional TLS 1.2 domain once the certificate is valid, then maps it to $default", () => {
      const certificateArn = one(program, T.certificate, "custom-domain-certificate").state.arn;
      const domain = one(program, T.domain, "custom-domain-domain");
      assert.deepEqual(domain.inputs, {
        domainName: "api.example.com",
        domainNameConfiguration: {
          certificateArn,
          endpointType: "REGIONAL",
          securityPolicy: "TLS_1_2",
        },
      });
      assert.deepEqual(one(program, T.mapping, "custom-domain-mapping").inputs, {
        apiId: one(program, T.api, "api").id,
        domainName: domain.id,
        stage: "$default",
      });
      // Registered in the order their values resolve: validation, domain, mapping.
      assert.ok(indexOf(program, T.validation) < indexOf(program, T.domain));
      assert.ok(indexOf(program, T.domain) < indexOf(program, T.mapping));
    });

    it("points the name at the domain's target with an alias record, and exports the endpoint", () => {
      const configuration = one(program, T.domain, "custom-domain-domain").state
        .domainNameConfiguration as Record<string, string>;
      assert.deepEqual(one(program, T.record, "custom-domain-alias").inputs, {
        zoneId: ZONE,
        name: "api.example.com",
        type: "A",
        aliases: [
          {
            name: configuration.targetDomainName,
            zoneId: configuration.hostedZoneId,
            evaluateTargetHealth: false,
          },
        ],
      });
      assert.deepEqual(program.outputs.customEndpoint, {
        value: "https://api.example.com",
        secret: false,
      });
      assert.equal("customDomainTarget" in program.outputs, false);
      // The execute-api endpoint still answers, and the login URL is untouched.
      assert.match(
        String(program.outputs.apiEndpoint!.value),
        /\.execute-api\.us-east-1\.amazonaws\.com$/,
      );
      assert.equal(one(program, T.api, "api").inputs.disableExecuteApiEndpoint, undefined);
    });
  });

  describe(`custom domain with a certificate of the user's (stack ${stack})`, function () {
    let program: Evaluated;
    before(async () => {
      program = await withKeys(stack, {
        customDomain: "api.dev.example.com",
        certificateArn: CERT,
        disableExecuteApiEndpoint: "true",
      });
    });

    it("uses the certificate as given, writes no DNS, and outputs the CNAME target to create", () => {
      assert.deepEqual(ofType(program, T.certificate), []);
      assert.deepEqual(ofType(program, T.record), []);
      const domain = one(program, T.domain, "custom-domain-domain");
      assert.deepEqual(domain.inputs, {
        domainName: "api.dev.example.com",
        domainNameConfiguration: {
          certificateArn: CERT,
          endpointType: "REGIONAL",
          securityPolicy: "TLS_1_2",
        },
      });
      const target = (domain.state.domainNameConfiguration as Record<string, string>)
        .targetDomainName;
      assert.deepEqual(program.outputs.customDomainTarget, { value: target, secret: false });
      assert.deepEqual(program.outputs.customEndpoint, {
        value: "https://api.dev.example.com",
        secret: false,
      });
    });

    it("turns the execute-api endpoint off when asked", () => {
      assert.equal(one(program, T.api, "api").inputs.disableExecuteApiEndpoint, true);
    });
  });
}
