/**
 * What the Auth0 provider's deployer application must be allowed, per Auth0 resource type the
 * program creates: Management API scopes (Auth0's Management API reference lists each endpoint's
 * scope). docs/deploy.md lists their union, and tests/deployerPolicy.test.ts holds the two together.
 */
import { TYPES } from "../facts/resourceTypes";

/** The Auth0 types: the Management API scopes the provider's deployer application needs. */
export const AUTH0_SCOPES: Record<string, string[]> = {
  [TYPES.client]: ["read:clients", "create:clients", "update:clients", "delete:clients"],
  [TYPES.clientCredentials]: [
    "read:client_keys",
    "read:client_credentials",
    "create:client_credentials",
    "update:client_credentials",
    "delete:client_credentials",
    "update:clients",
  ],
  [TYPES.clientGrant]: [
    "read:client_grants",
    "create:client_grants",
    "update:client_grants",
    "delete:client_grants",
  ],
  [TYPES.resourceServer]: [
    "read:resource_servers",
    "create:resource_servers",
    "update:resource_servers",
    "delete:resource_servers",
  ],
  [TYPES.resourceServerScopes]: ["read:resource_servers", "update:resource_servers"],
  [TYPES.connection]: [
    "read:connections",
    "create:connections",
    "update:connections",
    "delete:connections",
  ],
  [TYPES.connectionClients]: ["read:connections", "update:connections"],
  [TYPES.user]: ["read:users", "create:users", "update:users", "delete:users"],
  [TYPES.action]: ["read:actions", "create:actions", "update:actions", "delete:actions"],
  [TYPES.triggerAction]: ["read:actions", "update:triggers", "read:triggers"],
};

/** Types that call no cloud API: the provider computes them itself. */
export const NO_PERMISSIONS: Record<string, string> = {
  [TYPES.randomPassword]: "@pulumi/random generates the password in the provider, calling nothing",
};
