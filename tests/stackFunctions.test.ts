import * as assert from "node:assert/strict";
import { httpEvent, jwtEvent } from "./support/events";
import { archiveFiles, loadSerializedHandler, one, type Evaluated } from "./support/program";
import { ACCOUNT, ROUTES, STACKS, stackFacts, type StackName } from "./support/stacks";

for (const [stack, expected] of Object.entries(STACKS)) {
  describe(`the program's functions, stack ${stack}`, function () {
    let program: Evaluated;
    let name: string;
    let issuer: string;
    let api: { id: string; executionArn: string; apiEndpoint: string };

    before(async function () {
      ({ program, name, issuer, api } = await stackFacts(stack as StackName));
    });

    for (const route of ROUTES) {
      describe(`${route.routeKey}'s function`, () => {
        const fnName = () => `${name}-${route.slug}`;

        it("is a small arm64 Node 22 function with a timeout well under 30 s, logging to its own group", () => {
          const fn = one(program, "aws:lambda/function:Function", `${route.slug}-fn`);
          const { code: _code, ...inputs } = fn.inputs;
          assert.deepEqual(inputs, {
            name: fnName(),
            handler: "__index.handler",
            role: `arn:aws:iam::${ACCOUNT}:role/${fnName()}`,
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            memorySize: 128,
            timeout: 10,
            loggingConfig: { logFormat: "JSON", logGroup: `/aws/lambda/${fnName()}` },
          });
        });

        it("owns its log group, with retention, so destroy leaves no logs behind", () => {
          assert.deepEqual(
            one(program, "aws:cloudwatch/logGroup:LogGroup", `${route.slug}-logs`).inputs,
            {
              name: `/aws/lambda/${fnName()}`,
              retentionInDays: expected.retentionDays,
            },
          );
        });

        it("has a role that may only write to its own log group", () => {
          const role = one(program, "aws:iam/role:Role", `${route.slug}-role`);
          assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string), {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            ],
          });
          const policy = one(program, "aws:iam/rolePolicy:RolePolicy", `${route.slug}-logs-write`);
          assert.equal(policy.inputs.role, fnName());
          assert.deepEqual(JSON.parse(policy.inputs.policy as string), {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${fnName()}:log-stream:*`,
              },
            ],
          });
        });

        it("is invoked through an AWS_PROXY integration with payload 2.0", () => {
          assert.deepEqual(
            one(program, "aws:apigatewayv2/integration:Integration", `${route.slug}-integration`)
              .inputs,
            {
              apiId: api.id,
              integrationType: "AWS_PROXY",
              integrationMethod: "POST",
              integrationUri: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fnName()}`,
              payloadFormatVersion: "2.0",
              timeoutMilliseconds: 30000,
            },
          );
        });

        it("may be invoked by API Gateway for this API and this route only", () => {
          const [method, path] = route.routeKey.split(" ");
          assert.deepEqual(
            one(program, "aws:lambda/permission:Permission", `${route.slug}-invoke`).inputs,
            {
              action: "lambda:InvokeFunction",
              function: fnName(),
              principal: "apigateway.amazonaws.com",
              sourceArn: `${api.executionArn}/*/${method}${path}`,
            },
          );
        });

        it("uploads only its handler: no package it does not require, under 8 KB", () => {
          const files = archiveFiles(
            one(program, "aws:lambda/function:Function", `${route.slug}-fn`),
          );
          assert.deepEqual(Object.keys(files), ["__index.js"]);
          assert.ok(Buffer.byteLength(files["__index.js"]!) < 8192);
        });
      });
    }

    describe("serialized handlers, as they would be uploaded", () => {
      it("GET /public answers Hello stranger!", async () => {
        const handler = loadSerializedHandler(
          one(program, "aws:lambda/function:Function", "get-public-fn"),
          `${stack}-get-public`,
        );
        assert.deepEqual(
          await handler(httpEvent({ routeKey: "GET /public", rawPath: "/public" })),
          {
            statusCode: 200,
            headers: { "content-type": "text/plain; charset=utf-8" },
            body: "Hello stranger!",
          },
        );
      });

      it("GET /private answers Hello <sub>! from the authorizer's claims", async () => {
        const handler = loadSerializedHandler(
          one(program, "aws:lambda/function:Function", "get-private-fn"),
          `${stack}-get-private`,
        );
        const event = jwtEvent({
          routeKey: "GET /private",
          rawPath: "/private",
          claims: { sub: "auth0|60357a6d98e3e5006a9d74a3", iss: issuer },
        });
        assert.deepEqual(await handler(event), {
          statusCode: 200,
          headers: { "content-type": "text/plain; charset=utf-8" },
          body: "Hello auth0|60357a6d98e3e5006a9d74a3!",
        });
      });
    });
  });
}
