/**
 * The custom domain's keys taken together: with `customDomain`, exactly one of `hostedZoneId`
 * (the stack writes the DNS records and validates a certificate itself) and `certificateArn` (a
 * certificate that exists, DNS kept elsewhere); without it, neither, nor a disabled execute-api
 * endpoint, which would leave the API unreachable.
 */
export interface CustomDomainKeys {
  customDomain: string;
  hostedZoneId: string;
  certificateArn: string;
  disableExecuteApiEndpoint: boolean;
}

export function customDomainProblems(
  config: CustomDomainKeys,
  project: string,
  region?: string,
): string[] {
  const key = (name: string) => `'${project}:${name}'`;
  const set = (name: string, example: string) => `pulumi config set ${project}:${name} ${example}`;
  const { customDomain, hostedZoneId, certificateArn } = config;
  if (customDomain === "") {
    const stray = [
      hostedZoneId !== "" && "hostedZoneId",
      certificateArn !== "" && "certificateArn",
      config.disableExecuteApiEndpoint && "disableExecuteApiEndpoint",
    ].filter((k): k is string => k !== false);
    return stray.map(
      (name) =>
        `Configuration key ${key(name)} is set, but ${key("customDomain")} is not: set the domain (${set("customDomain", "api.example.com")}) or remove it (pulumi config rm ${project}:${name})`,
    );
  }
  if (hostedZoneId !== "" && certificateArn !== "") {
    return [
      `Configuration keys ${key("hostedZoneId")} and ${key("certificateArn")} are both set: choose one, the zone (the stack requests and validates a certificate and writes the records) or the certificate (DNS kept elsewhere). Remove the other with: pulumi config rm ${project}:certificateArn`,
    ];
  }
  if (hostedZoneId === "" && certificateArn === "") {
    return [
      `Configuration key ${key("customDomain")} is '${customDomain}', but neither ${key("hostedZoneId")} nor ${key("certificateArn")} is set: set one with: ${set("hostedZoneId", "Z0123456789ABCDEFGHIJ")}, or ${set("certificateArn", "<ACM certificate ARN in the stack's region>")}`,
    ];
  }
  const certificateRegion = certificateArn.split(":")[3];
  if (certificateArn !== "" && region !== undefined && certificateRegion !== region) {
    // AWS: a regional custom domain's certificate "must be in the same Region as your API".
    return [
      `Configuration key ${key("certificateArn")} names a certificate in ${certificateRegion}, but the stack deploys to ${region} ('aws:region'): a regional custom domain needs an ACM certificate in the API's own region. Request or import one in ${region} and set it with: ${set("certificateArn", `arn:aws:acm:${region}:<account>:certificate/<id>`)}`,
    ];
  }
  return [];
}
