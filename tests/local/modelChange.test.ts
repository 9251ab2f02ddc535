import * as assert from "node:assert/strict";
import { describeChange } from "../../local/environment/modelChange";
import { reloadLog } from "../../local/environment/reloads";
import type { LocalModel } from "../../local/interpret/model";
import { sharedEvaluation } from "../support/localEnv";
import { PROJECT_DIR } from "../support/program";

describe("what a reload says it changed", function () {
  let model: LocalModel;
  before(async () => (model = await sharedEvaluation(PROJECT_DIR, { stack: "dev" })));
  const copy = () => structuredClone(model);

  it("says no change for the same model", () => {
    assert.equal(describeChange(model, copy()), "no change");
  });

  it("names the routes, functions and outputs added, changed and removed, in one line", () => {
    const next = copy();
    const fn = next.functions["api-auth-jwt-auth0-dev-get-public"]!;
    next.functions["api-auth-jwt-auth0-dev-get-public"] = {
      ...fn,
      files: { "__index.js": "changed" },
    };
    next.api.routes = next.api.routes.filter((r) => r.routeKey !== "DELETE /items/{id}");
    next.outputs = { ...next.outputs, jobsQueueUrl: "(known after a deploy)" };
    assert.equal(
      describeChange(model, next),
      "added output jobsQueueUrl; changed function api-auth-jwt-auth0-dev-get-public; removed route DELETE /items/{id}",
    );
  });

  it("says a change elsewhere (an authorizer's audiences) as changed settings", () => {
    const next = copy();
    const [id, authorizer] = Object.entries(next.api.authorizers)[0]!;
    next.api.authorizers[id] = { ...authorizer, audiences: ["other"] };
    assert.equal(describeChange(model, next), "changed settings");
  });

  it("says each reload against the one before, and a warning once per start", () => {
    const lines: string[] = [];
    const said = reloadLog({ ...model, warnings: ["w1"] }, (l) => lines.push(l));
    said({ ...model, warnings: ["w1"] });
    said({ ...model, warnings: ["w1", "w2"] });
    said({ ...model, warnings: ["w1", "w2"] });
    assert.deepEqual(lines, [
      "reloaded: no change",
      "warning: w2",
      "reloaded: changed settings",
      "reloaded: no change",
    ]);
  });
});
