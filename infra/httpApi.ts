import * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { accessLogFormat } from "./accessLog";

export interface HttpApiArgs {
  /** Physical name of the API and its authorizer. */
  name: string;
  /** Name of the log group that receives the stage's JSON access logs. */
  accessLogGroupName: string;
  logRetentionDays: number;
  /** Stage-wide throttling: steady requests per second and burst. */
  throttling: { rateLimit: number; burstLimit: number };
  /** Browser origins allowed by CORS. Empty: no CORS configuration. */
  corsAllowOrigins: string[];
  /** The methods CORS allows: the routes' (`corsAllowMethods`). Default GET. */
  corsAllowMethods?: string[];
  /** Answer only at a custom domain, not at `execute-api`. Default false. */
  disableExecuteApiEndpoint?: boolean;
  /** The `$default` stage's variables, handed to every integration as `stageVariables`. */
  stageVariables?: Record<string, string>;
  /** The JWT authorizer every non-public route uses. */
  jwt: {
    /** Compared exactly with the token's `iss`: keep Auth0's trailing slash. */
    issuer: pulumi.Input<string>;
    /** A token's `aud` (or `client_id` when it has no `aud`) must be one of these. */
    audiences: pulumi.Input<pulumi.Input<string>[]>;
  };
}

/** The one stage the API serves, at the endpoint's root; its metrics carry it as `Stage`. */
export const STAGE_NAME = "$default";

/** An API Gateway HTTP API with its `$default` stage, access logs and JWT authorizer. */
export class HttpApi extends pulumi.ComponentResource {
  readonly api: apigatewayv2.Api;
  readonly authorizer: apigatewayv2.Authorizer;
  readonly stage: apigatewayv2.Stage;
  /** `https://<id>.execute-api.<region>.amazonaws.com`: the `$default` stage answers at its root. */
  readonly endpoint: pulumi.Output<string>;
  /** Whether the API answers browsers' CORS preflights (it has allowed origins). */
  readonly corsEnabled: boolean;

  constructor(name: string, args: HttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:api:HttpApi", name, {}, opts);
    const parent = { parent: this };
    this.corsEnabled = args.corsAllowOrigins.length > 0;

    this.api = new apigatewayv2.Api(
      name,
      {
        name: args.name,
        protocolType: "HTTP",
        corsConfiguration:
          args.corsAllowOrigins.length === 0
            ? undefined
            : {
                allowOrigins: args.corsAllowOrigins,
                allowMethods: args.corsAllowMethods ?? ["GET"],
                allowHeaders: ["authorization", "content-type"],
                // Bearer tokens travel in a header, not in cookies: no credentials mode.
                allowCredentials: false,
                maxAge: 600,
              },
        // Only with a custom domain (config checks it): clients then reach the API by it alone.
        ...(args.disableExecuteApiEndpoint ? { disableExecuteApiEndpoint: true } : {}),
      },
      parent,
    );

    const accessLogs = new cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: args.accessLogGroupName, retentionInDays: args.logRetentionDays },
      parent,
    );
    this.stage = new apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: STAGE_NAME,
        autoDeploy: true,
        ...(args.stageVariables !== undefined ? { stageVariables: args.stageVariables } : {}),
        defaultRouteSettings: {
          throttlingRateLimit: args.throttling.rateLimit,
          throttlingBurstLimit: args.throttling.burstLimit,
        },
        accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat() },
      },
      parent,
    );

    this.authorizer = new apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: this.api.id,
        name: `${args.name}-jwt`,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: args.jwt.issuer, audiences: args.jwt.audiences },
      },
      parent,
    );

    this.endpoint = this.api.apiEndpoint;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
