/**
 * The local model: what the local environment serves, read off the resources the program
 * declares (its evaluation under mocks): the types alone. `interpretProgram` (program.ts) builds
 * it from the readers beside this file, one for the API, the functions, the Auth0 side...
 */
import type { Evaluation } from "../evaluate/snapshot";
import type { SourceMap } from "../lambda/sourceMaps";

/** A Lambda function as the program declares it, with the code it would upload. */
/** The Api's `corsConfiguration`, as the program declares it. */
export interface CorsConfig {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  allowCredentials?: boolean;
  maxAge?: number;
}

/** An authorizer as the program declares it (`aws.apigatewayv2.Authorizer`, type JWT). */
export interface JwtAuthorizerConfig {
  issuer: string;
  audiences: string[];
  /** `$request.header.Authorization` or `$request.querystring.<name>`. */
  identitySource: string;
}

export interface LocalFunction {
  name: string;
  arn: string;
  /** Archive path → file text (`__index.js` for a CallbackFunction). */
  files: Record<string, string>;
  /** Archive path → its source map back to the program's TypeScript, where one was found. */
  sourceMaps?: Record<string, SourceMap>;
  /** `__index.handler`: file `__index.js`, export `handler`. */
  handler: string;
  runtime: string;
  /** `x86_64` or `arm64`; locally the host's CPU runs either. */
  architecture: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
  logGroup: string;
  logging: LoggingSettings;
}

/** A function's `loggingConfig`, with Lambda's defaults (LAMBDA-LOG-LEVELS). */
export interface LoggingSettings {
  format: "Text" | "JSON";
  /** With JSON only: the lowest level of the function's records kept. Default INFO. */
  applicationLevel: string;
  /** With JSON only: the lowest level of the platform's records kept. Default INFO. */
  systemLevel: string;
}

export interface LocalRoute {
  routeKey: string;
  authorizationType: string;
  authorizerId?: string;
  scopes: string[];
  /** The Lambda function behind the route, when its integration is AWS_PROXY to one. */
  functionName?: string;
  payloadFormatVersion: string;
  integrationTimeoutMs: number;
}

export interface LocalApi {
  id: string;
  name: string;
  cors?: CorsConfig;
  throttling?: { rateLimit: number; burstLimit: number };
  /** The `$default` stage's variables: every event carries them as `stageVariables`. */
  stageVariables: Record<string, string>;
  routes: LocalRoute[];
  authorizers: Record<string, JwtAuthorizerConfig & { name: string }>;
}

export interface LocalClient {
  clientId: string;
  clientSecret?: string;
  name: string;
  appType: string;
  callbacks: string[];
  logoutUrls: string[];
  webOrigins: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: string;
  idTokenLifetimeSeconds?: number;
  /** The database connection the program enables this application on; none: any user. */
  connection?: LocalConnection;
}

/** An Auth0 database connection (strategy `auth0`) as the program declares it. */
export interface LocalConnection {
  name: string;
  /** `options.disableSignup` false: anyone may sign up. */
  signUp: boolean;
  /** The users the program creates on it (their email, or username), who sign in. */
  users: string[];
}

export interface LocalResourceServer {
  identifier: string;
  name: string;
  scopes: string[];
  signingAlg: string;
  tokenLifetimeSeconds?: number;
  /**
   * Which applications may get access tokens for this API on a user's behalf: Auth0's
   * `subject_type_authorization.user.policy`, `allow_all` when the program sets none.
   */
  userAccessPolicy: string;
  /** Client ID → the scopes its user client grant allows (a ceiling on what it may request). */
  userGrants: Record<string, string[]>;
  /**
   * Client ID → the scopes its client grant (`subject_type` client) gives a machine-to-machine
   * application's client-credentials tokens: all of them, as Auth0 issues them.
   */
  clientGrants: Record<string, string[]>;
}

/** A CloudWatch alarm a deploy would create; locally only shown, never evaluated. */
export interface LocalAlarm {
  name: string;
  description: string;
  namespace: string;
  /** The metric and statistic, or the metric-math expression and its metrics. */
  metric: string;
  /** Comparison and threshold, as declared (`GreaterThanThreshold 1`). */
  threshold: string;
}

/**
 * A DynamoDB table as the program declares it, in DynamoDB's own terms (CreateTable's): the local
 * engine serves it with this key schema and these indexes.
 */
export interface LocalTable {
  name: string;
  keySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
  attributes: { AttributeName: string; AttributeType: string }[];
  globalSecondaryIndexes: LocalTableIndex[];
  localSecondaryIndexes: LocalTableIndex[];
}

export interface LocalTableIndex {
  IndexName: string;
  KeySchema: LocalTable["keySchema"];
  Projection: { ProjectionType: string };
}

/** A resource as the program declares it: its type, its name, its inputs (secret ones masked). */
export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** What the local environment serves, read off the resources the program declares. */
export interface LocalModel {
  project: string;
  stack: string;
  api: LocalApi;
  functions: Record<string, LocalFunction>;
  clients: LocalClient[];
  resourceServers: LocalResourceServer[];
  /** The DynamoDB tables, served locally by a DynamoDB-compatible engine. */
  tables: LocalTable[];
  /** The alarms a deploy would create (`monitoring`); none in a stack that does not ask. */
  alarms: LocalAlarm[];
  /**
   * The host names a deploy serves the API at (`customDomain`). The local API answers any Host,
   * so a client set up for one can be pointed here (a hosts-file entry, curl's `--resolve`).
   */
  customDomains: string[];
  outputs: Record<string, unknown>;
  /** The outputs the program marks secret (shown masked, as `pulumi stack output` does). */
  secretOutputs: string[];
  /** Declared things the local environment does not emulate, one line each. */
  warnings: string[];
  /** Resources of types the local environment does not emulate: declared, created by a deploy. */
  notEmulated: DeclaredResource[];
  /** The project's own TypeScript files the program loaded (absolute paths). */
  programFiles: string[];
  /** Every file of the project the evaluation loaded (`Evaluation.inputFiles`). */
  inputFiles: string[];
}

export type EvaluatedProgram = Extract<Evaluation, { kind: "evaluated" }>;
