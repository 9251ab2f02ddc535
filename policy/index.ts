// The pack the Pulumi CLI runs: `pulumi preview --policy-pack policy`. The rules live in
// policies.ts, where the tests reach the very same definitions.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("api-auth-jwt-auth0", { enforcementLevel: "mandatory", policies });
