/**
 * Deterministic stand-ins for the values a cloud provider computes (IDs, ARNs, the Auth0 client ID
 * and secret). Fixed per project, stack and logical name, so tests can assert exact values and the
 * local issuer hands out the same client ID after every restart.
 */
import { createHash } from "node:crypto";
import { TYPES } from "../../facts/resourceTypes";

/** The account every fake ARN names. */
export const FAKE_ACCOUNT_ID = "123456789012";

export interface FakeContext {
  project: string;
  stack: string;
  region: string;
}

type Props = Record<string, unknown>;

export function fakeDigest(ctx: FakeContext, name: string, purpose: string): string {
  return createHash("sha256")
    .update(`${ctx.project}/${ctx.stack}/${name}/${purpose}`)
    .digest("hex");
}

/** Letters and digits, like Auth0's client IDs and secrets. */
function alnum(seed: string, length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash("sha256").update(`${seed}/${block}`).digest()) {
      out += alphabet[byte % alphabet.length];
    }
  }
  return out.slice(0, length);
}

/**
 * Whether the fake cloud computes a resource's outputs: every type the program declares, and
 * providers. Any other type's outputs are known only after a deploy.
 */
export function emulates(type: string): boolean {
  return EMULATED.has(type) || type.startsWith("pulumi:providers:");
}
const EMULATED = new Set<string>(Object.values(TYPES));

/** Resources whose AWS ID is their name. */
const ID_IS_NAME = new Set<string>([TYPES.role, TYPES.logGroup, TYPES.function]);

export function fakeId(ctx: FakeContext, type: string, name: string, inputs: Props = {}): string {
  if (ID_IS_NAME.has(type) && typeof inputs.name === "string") return inputs.name;
  const hex = fakeDigest(ctx, name, type);
  switch (type) {
    case TYPES.api:
      return alnum(hex, 10).toLowerCase();
    case TYPES.client:
      return alnum(hex, 32);
    default:
      return `${name}-${hex.slice(0, 8)}`;
  }
}

/** The outputs a resource would have after `pulumi up`, computed from its inputs. */
export function fakeState(
  ctx: FakeContext,
  type: string,
  name: string,
  id: string,
  inputs: Props,
): Props {
  const { region } = ctx;
  const arn = (service: string, rest: string) =>
    `arn:aws:${service}:${region}:${FAKE_ACCOUNT_ID}:${rest}`;
  const named = (typeof inputs.name === "string" ? inputs.name : undefined) ?? id;
  const domain = fakeCustomDomainState(ctx, type, name, inputs);
  if (domain !== undefined) return domain;
  switch (type) {
    case TYPES.api:
      return {
        ...inputs,
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", id),
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
      };
    case TYPES.stage:
      return {
        ...inputs,
        invokeUrl: `https://${inputs.apiId}.execute-api.${region}.amazonaws.com/`,
      };
    case TYPES.function:
      return {
        ...inputs,
        name: named,
        arn: arn("lambda", `function:${named}`),
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${named}`)}/invocations`,
      };
    case TYPES.role:
      return { ...inputs, name: named, arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${named}` };
    case TYPES.logGroup:
      return { ...inputs, name: named, arn: arn("logs", `log-group:${named}`) };
    case TYPES.client:
      return { ...inputs, clientId: id };
    case TYPES.clientCredentials:
      return { ...inputs, clientSecret: alnum(fakeDigest(ctx, name, "client-secret"), 64) };
    case TYPES.table:
      return { ...inputs, name: named, arn: arn("dynamodb", `table/${named}`) };
    case TYPES.topic:
      return { ...inputs, arn: arn("sns", named) };
    case TYPES.metricAlarm:
      return { ...inputs, arn: arn("cloudwatch", `alarm:${named}`) };
    case TYPES.randomPassword:
      return { ...inputs, result: alnum(fakeDigest(ctx, name, "password"), Number(inputs.length)) };
    default:
      return { ...inputs };
  }
}

/** A custom domain's resources: the certificate ACM would issue, its record, the domain's target. */
function fakeCustomDomainState(
  ctx: FakeContext,
  type: string,
  name: string,
  inputs: Props,
): Props | undefined {
  const { region } = ctx;
  const arn = (service: string, rest: string) =>
    `arn:aws:${service}:${region}:${FAKE_ACCOUNT_ID}:${rest}`;
  switch (type) {
    case TYPES.certificate: {
      const domain = String(inputs.domainName);
      const token = fakeDigest(ctx, name, "validation").slice(0, 32);
      return {
        ...inputs,
        arn: arn("acm", `certificate/${fakeDigest(ctx, name, "certificate").slice(0, 36)}`),
        domainValidationOptions: [
          {
            domainName: domain,
            resourceRecordName: `_${token}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${token.split("").reverse().join("")}.acm-validations.aws.`,
          },
        ],
      };
    }
    case TYPES.certificateValidation:
      return { ...inputs };
    case TYPES.record:
      return { ...inputs, fqdn: String(inputs.name).replace(/\.$/, "") };
    case TYPES.domainName: {
      const configuration = inputs.domainNameConfiguration as Props;
      return {
        ...inputs,
        domainNameConfiguration: {
          ...configuration,
          targetDomainName: `d-${alnum(fakeDigest(ctx, name, "target"), 10).toLowerCase()}.execute-api.${region}.amazonaws.com`,
          hostedZoneId: `Z${alnum(fakeDigest(ctx, name, "zone"), 13).toUpperCase()}`,
        },
      };
    }
    default:
      return undefined;
  }
}

/** Data-source calls the AWS and Auth0 SDKs may make while the program runs. */
export function fakeCall(ctx: FakeContext, token: string, inputs: Props): Props {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return { name: ctx.region, region: ctx.region, id: ctx.region };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: FAKE_ACCOUNT_ID,
        arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:root`,
        userId: FAKE_ACCOUNT_ID,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    default:
      return inputs;
  }
}
