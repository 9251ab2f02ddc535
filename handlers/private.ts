import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";

/**
 * `GET /private`: behind the JWT authorizer. API Gateway has already verified the token; the
 * caller's claims arrive in the event, so the handler never decodes the token itself.
 */
export async function handler(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { sub } = event.requestContext.authorizer.jwt.claims;
  return {
    statusCode: 200,
    headers: { "content-type": "text/plain; charset=utf-8" },
    body: `Hello ${sub}!`,
  };
}
