/** Which resource types the deployer's tables say nothing of: each needs a row before it deploys. */
import { AUTH0_SCOPES, NO_PERMISSIONS } from "./auth0Scopes";
import { AWS_PERMISSIONS } from "./permissions";

export function typesWithoutPermissions(types: string[]): string[] {
  return types.filter(
    (t) => !(t in AWS_PERMISSIONS) && !(t in AUTH0_SCOPES) && !(t in NO_PERMISSIONS),
  );
}
