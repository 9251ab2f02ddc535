/**
 * Every rule of the pack, mandatory unless it says otherwise. `index.ts` serves them to the
 * Pulumi CLI; the tests run these same definitions against both stacks under mocks.
 */
import type { Policies } from "@pulumi/policy";
import {
  functionTimeoutUnderIntegration,
  jwtAuthorizerSound,
  logGroupsHaveRetention,
  routesRequireJwt,
  stageAccessLogsSafe,
  stageThrottled,
} from "./apiRules";
import {
  auth0ApiRequiresClientGrant,
  auth0AppNoLoopbackOutsideDev,
  auth0AppSigning,
  auth0ConnectionNoSignUpOutsideDev,
  auth0ConnectionPasswordPolicy,
  auth0NoUserOutsideDev,
} from "./auth0Rules";
import {
  functionRolesOwnResourcesOnly,
  invokePermissionsOneRoute,
  noManagedPolicies,
  noWildcardGrants,
} from "./iamRules";
import { alarmActions, api5xxAlarm, functionAlarms, topicSubscribed } from "./monitoringRules";
import {
  customDomainCertificate,
  customDomainCertificateRegion,
  customDomainTls,
} from "./domainRules";
import { noPlaceholdersOutsideDev } from "./placeholderRules";
import { noPlainClientSecret } from "./secretRules";

export const policies: Policies = [
  noManagedPolicies,
  noWildcardGrants,
  functionRolesOwnResourcesOnly,
  invokePermissionsOneRoute,
  routesRequireJwt,
  jwtAuthorizerSound,
  functionTimeoutUnderIntegration,
  logGroupsHaveRetention,
  stageThrottled,
  stageAccessLogsSafe,
  auth0AppSigning,
  auth0AppNoLoopbackOutsideDev,
  auth0ApiRequiresClientGrant,
  auth0ConnectionNoSignUpOutsideDev,
  auth0ConnectionPasswordPolicy,
  auth0NoUserOutsideDev,
  noPlainClientSecret,
  functionAlarms,
  api5xxAlarm,
  alarmActions,
  topicSubscribed,
  customDomainTls,
  customDomainCertificate,
  customDomainCertificateRegion,
  noPlaceholdersOutsideDev,
];
