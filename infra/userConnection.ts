import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { connectionGuardCode } from "./connectionGuard";
import { connectionNameFor } from "./names";

export interface UserConnectionArgs {
  /** Physical name of the stack (`<project>-<stack>`); the connection is `connectionNameFor(name)`. */
  name: string;
  /** The application that signs its users in here, and only here. */
  clientId: pulumi.Input<string>;
  /**
   * Every Auth0 application the stack creates: each exists before the connection, so that a
   * tenant's `enable_client_connections` (which enables each new application on every existing
   * connection) never enables one on this connection ahead of `ConnectionClients`, whose create
   * then fails for good ("Connection with non empty enabled clients").
   */
  applications: pulumi.Resource[];
  /** Whether anyone may sign up (`signUp`): on in dev, off in prod. */
  signUp: boolean;
  /**
   * `protectData`: the connection (the stack's users) is protected from `pulumi destroy` and from
   * a replacement, and kept in Auth0 should Pulumi ever delete it.
   */
  protect: boolean;
  /**
   * The deploying machine-to-machine application's client ID (`auth0:clientId`), when known:
   * Auth0 creates a user through the Management API only for an application enabled on the
   * user's connection, so a stack with a test user enables it too.
   */
  deployerClientId?: string;
  /** A test user to create on the connection, with a generated password; none when absent. */
  testUser?: { email: string };
}

/**
 * The stack's own users: an Auth0 database connection (strategy `auth0`) with this stack's
 * application enabled on it by code, so sign-in never rests on the tenant's
 * `enable_client_connections` flag; a post-login Action that denies the application's logins
 * through any other connection; and, when asked, a test user whose password the stack generates.
 */
export class UserConnection extends pulumi.ComponentResource {
  /** The connection's name, which users and the guard refer to. */
  readonly connectionName: pulumi.Output<string>;
  /** The test user's email and password (a Pulumi secret), when one was asked for. */
  readonly testUser: { testUserEmail: string; testUserPassword: pulumi.Output<string> } | undefined;

  constructor(name: string, args: UserConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("api-auth-jwt-auth0:identity:UserConnection", name, {}, opts);
    const parent = { parent: this };
    const connection = new auth0.Connection(
      `${name}-connection`,
      {
        name: connectionNameFor(args.name),
        strategy: "auth0",
        options: {
          disableSignup: !args.signUp,
          // Auth0's "good": at least 8 characters, three of lower, upper, digits and specials.
          passwordPolicy: "good",
          bruteForceProtection: true,
        },
      },
      {
        parent: this,
        dependsOn: args.applications,
        protect: args.protect,
        retainOnDelete: args.protect,
      },
    );
    // The connection's enabled applications, all of them: this stack's, and (for the test user)
    // the deployer's, and no other.
    const deployer =
      args.testUser !== undefined && args.deployerClientId ? [args.deployerClientId] : [];
    const enabled = new auth0.ConnectionClients(
      `${name}-connection-clients`,
      { connectionId: connection.id, enabledClients: [args.clientId, ...deployer] },
      parent,
    );
    this.connectionName = connection.name;
    guard(name, args, connection.name, parent);
    this.testUser = args.testUser && {
      testUserEmail: args.testUser.email,
      testUserPassword: testUser(name, args.testUser.email, connection, enabled, parent),
    };
    this.registerOutputs({ connectionName: this.connectionName });
  }
}

/** The post-login Action (`connectionGuardCode`), deployed and bound to the login flow. */
function guard(
  name: string,
  args: UserConnectionArgs,
  connectionName: pulumi.Output<string>,
  parent: pulumi.CustomResourceOptions,
) {
  const action = new auth0.Action(
    `${name}-guard`,
    {
      name: `${args.name}-connection-guard`,
      runtime: "node22",
      deploy: true,
      supportedTriggers: { id: "post-login", version: "v3" },
      code: pulumi
        .all([args.clientId, connectionName])
        .apply(([clientId, connection]) => connectionGuardCode(clientId, connection)),
    },
    parent,
  );
  // One binding of this Action alone: `TriggerActions` would own, and replace, every Action
  // the tenant binds to post-login.
  new auth0.TriggerAction(
    `${name}-guard-binding`,
    { trigger: "post-login", actionId: action.id },
    parent,
  );
}

/**
 * A verified user on the connection; its password is generated and kept as a secret. Created
 * once applications are enabled on the connection: Auth0 refuses a user on a connection enabled
 * for none ("connection is disabled").
 */
function testUser(
  name: string,
  email: string,
  connection: auth0.Connection,
  enabled: auth0.ConnectionClients,
  parent: pulumi.CustomResourceOptions,
) {
  // 32 characters with every class: well past the connection's "good" policy.
  const generated = new random.RandomPassword(
    `${name}-test-user-password`,
    { length: 32, minLower: 1, minUpper: 1, minNumeric: 1, minSpecial: 1, overrideSpecial: "-_.!" },
    parent,
  );
  const password = pulumi.secret(generated.result);
  new auth0.User(
    `${name}-test-user`,
    { connectionName: connection.name, email, emailVerified: true, password },
    { ...parent, dependsOn: [enabled] },
  );
  return password;
}
