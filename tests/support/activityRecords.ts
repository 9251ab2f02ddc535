import type { FunctionRecord } from "../../local/lambda/executionEnvironment";
import type { ServedRequest } from "../../local/server/httpServer";

/** A request API Gateway answered; its function ran as the Lambda request `integrationRequestId`. */
export const served = (
  requestId: string,
  status = 200,
  integrationRequestId = requestId,
): ServedRequest => ({
  requestId,
  integrationRequestId,
  receivedAt: 1_700_000_000_000,
  method: "GET",
  path: "/private",
  routeKey: "GET /private",
  status,
  latencyMs: 1.5,
  authorizer: "allow",
});

/** A record whose readable rendering is its text. */
export const rec = (text: string): FunctionRecord => ({ text, readable: text });
