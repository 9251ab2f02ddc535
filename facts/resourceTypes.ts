/** The Pulumi type tokens of the resources the program declares and the local environment reads. */
export const TYPES = {
  api: "aws:apigatewayv2/api:Api",
  authorizer: "aws:apigatewayv2/authorizer:Authorizer",
  integration: "aws:apigatewayv2/integration:Integration",
  route: "aws:apigatewayv2/route:Route",
  stage: "aws:apigatewayv2/stage:Stage",
  function: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  client: "auth0:index/client:Client",
  clientCredentials: "auth0:index/clientCredentials:ClientCredentials",
  clientGrant: "auth0:index/clientGrant:ClientGrant",
  resourceServer: "auth0:index/resourceServer:ResourceServer",
  resourceServerScopes: "auth0:index/resourceServerScopes:ResourceServerScopes",
} as const;
