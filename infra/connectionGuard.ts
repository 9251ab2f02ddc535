/**
 * The post-login Action that keeps an application to its own connection: a login to this
 * stack's application through any other connection of the tenant is denied. Needed because a
 * tenant with `enable_client_connections` on enables every new application on every existing
 * connection, the tenant's open default database included (AUTH0-TENANT-FLAGS); owning a
 * connection does not switch the others off.
 *
 * A pure function of the two values it guards, so its text is tested without mocks: it runs
 * on Auth0's Actions runtime as CommonJS (`exports.onExecutePostLogin`, AUTH0-ACTIONS).
 */
export function connectionGuardCode(clientId: string, connectionName: string): string {
  return [
    "// Managed by Pulumi: this stack's application signs in users of its own connection only.",
    `const CLIENT_ID = ${JSON.stringify(clientId)};`,
    `const CONNECTION = ${JSON.stringify(connectionName)};`,
    "exports.onExecutePostLogin = async (event, api) => {",
    "  if (event.client.client_id !== CLIENT_ID) return;",
    "  if (event.connection.name === CONNECTION) return;",
    "  api.access.deny(`This application signs in users of the ${CONNECTION} connection only.`);",
    "};",
    "",
  ].join("\n");
}
