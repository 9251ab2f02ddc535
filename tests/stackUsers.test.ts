import * as assert from "node:assert/strict";
import { runInNewContext } from "node:vm";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { connectionGuardCode } from "../infra/connectionGuard";
import { readStackSettings } from "../local/evaluate/stackFiles";
import {
  evaluateStack,
  expectOk,
  one,
  ofType,
  PROJECT_DIR,
  type Evaluated,
} from "./support/program";
import { stackFacts, type StackName } from "./support/stacks";

const TYPES = {
  connection: "auth0:index/connection:Connection",
  connectionClients: "auth0:index/connectionClients:ConnectionClients",
  action: "auth0:index/action:Action",
  triggerAction: "auth0:index/triggerAction:TriggerAction",
  user: "auth0:index/user:User",
  password: "random:index/randomPassword:RandomPassword",
};

/** What each stack's file asks of its users. */
const EXPECTED = {
  dev: { signUp: true, testUser: "test-user@example.com", protectData: false },
  prod: { signUp: false, testUser: undefined, protectData: true },
} as const;

for (const [stack, expected] of Object.entries(EXPECTED)) {
  describe(`the stack's own users, stack ${stack}`, function () {
    let program: Evaluated;
    let name: string;
    let clientId: string;

    before(async () => {
      ({ program, name, clientId } = await stackFacts(stack as StackName));
    });

    it(`owns a database connection named after the stack, sign-up ${expected.signUp ? "on" : "off"}, password policy good`, () => {
      assert.deepEqual(one(program, TYPES.connection, "users-connection").inputs, {
        name: `${name}-users`,
        strategy: "auth0",
        options: {
          disableSignup: !expected.signUp,
          passwordPolicy: "good",
          bruteForceProtection: true,
        },
      });
      assert.equal(program.outputs.connectionName!.value, `${name}-users`);
    });

    it(`${expected.protectData ? "protects and retains" : "neither protects nor retains"} its user store (protectData)`, () => {
      const { protect, retainOnDelete } = one(
        program,
        TYPES.connection,
        "users-connection",
      ).recorded;
      assert.deepEqual(
        { protect, retainOnDelete },
        {
          protect: expected.protectData,
          retainOnDelete: expected.protectData,
        },
      );
    });

    it("enables its own application on it, and only that one, by code", () => {
      const connection = one(program, TYPES.connection, "users-connection");
      assert.deepEqual(one(program, TYPES.connectionClients, "users-connection-clients").inputs, {
        connectionId: connection.id,
        enabledClients: [clientId],
      });
    });

    it("denies its application's logins through any other connection (a post-login Action)", () => {
      const action = one(program, TYPES.action, "users-guard");
      assert.deepEqual(action.inputs, {
        name: `${name}-connection-guard`,
        runtime: "node22",
        deploy: true,
        supportedTriggers: { id: "post-login", version: "v3" },
        code: connectionGuardCode(clientId, `${name}-users`),
      });
      assert.deepEqual(one(program, TYPES.triggerAction, "users-guard-binding").inputs, {
        trigger: "post-login",
        actionId: action.id,
      });
      assert.deepEqual(ofType(program, "auth0:index/triggerActions:TriggerActions"), []);
    });

    if (expected.testUser !== undefined) {
      it("creates a verified test user with a generated password, exported only as a secret", () => {
        const password = one(program, TYPES.password, "users-test-user-password");
        const generated = password.state.result as string;
        assert.equal(generated.length, 32);
        assert.deepEqual(one(program, TYPES.user, "users-test-user").inputs, {
          connectionName: `${name}-users`,
          email: expected.testUser,
          emailVerified: true,
          // Sent to the provider as a secret: Pulumi's wire form of a secret value.
          password: { [specialSigKey]: specialSecretSig, value: generated },
        });
        assert.deepEqual(program.outputs.testUserEmail, {
          value: expected.testUser,
          secret: false,
        });
        assert.deepEqual(program.outputs.testUserPassword, { value: generated, secret: true });
      });
    } else {
      it("creates no user and no password, and exports none", () => {
        assert.deepEqual(ofType(program, TYPES.user), []);
        assert.deepEqual(ofType(program, TYPES.password), []);
        assert.equal("testUserEmail" in program.outputs, false);
        assert.equal("testUserPassword" in program.outputs, false);
      });
    }
  });
}

describe("the connection guard's code, as Auth0's Actions runtime runs it", () => {
  const run = (clientId: string, connection: string) => {
    const denied: string[] = [];
    const exports: { onExecutePostLogin?: (event: unknown, api: unknown) => Promise<void> } = {};
    runInNewContext(connectionGuardCode("app-1", "proj-prod-users"), { exports });
    return exports.onExecutePostLogin!(
      { client: { client_id: clientId }, connection: { name: connection } },
      { access: { deny: (reason: string) => denied.push(reason) } },
    ).then(() => denied);
  };

  it("lets the application's users of its own connection in", async () => {
    assert.deepEqual(await run("app-1", "proj-prod-users"), []);
  });

  it("denies the application's logins through any other connection, saying why", async () => {
    assert.deepEqual(await run("app-1", "Username-Password-Authentication"), [
      "This application signs in users of the proj-prod-users connection only.",
    ]);
    assert.deepEqual(await run("app-1", "google-oauth2"), [
      "This application signs in users of the proj-prod-users connection only.",
    ]);
  });

  it("leaves the tenant's other applications alone", async () => {
    assert.deepEqual(await run("another-app", "Username-Password-Authentication"), []);
  });
});

describe("the test user and the deploying application", function () {
  it("enables the deployer's application (auth0:clientId) on the connection, so Auth0 lets it create the test user", async () => {
    const config = {
      ...readStackSettings(PROJECT_DIR, "dev").config,
      "auth0:clientId": "Deployer0123",
    };
    const program = expectOk(await evaluateStack("dev", { config }));
    const clientId = one(program, "auth0:index/client:Client", "identity-app").state.clientId;
    assert.deepEqual(
      one(program, TYPES.connectionClients, "users-connection-clients").inputs.enabledClients,
      [clientId, "Deployer0123"],
    );
  });

  it("enables no deployer where the stack creates no test user", async () => {
    const config = {
      ...readStackSettings(PROJECT_DIR, "prod").config,
      "auth0:clientId": "Deployer0123",
    };
    const program = expectOk(await evaluateStack("prod", { config }));
    const clientId = one(program, "auth0:index/client:Client", "identity-app").state.clientId;
    assert.deepEqual(
      one(program, TYPES.connectionClients, "users-connection-clients").inputs.enabledClients,
      [clientId],
    );
  });
});
