import * as assert from "node:assert/strict";
import { compileRoutes, matchRoute } from "../../local/gateway/routeMatcher";

const routes = (...keys: string[]) => compileRoutes(keys.map((routeKey) => ({ routeKey })));
const selected = (table: ReturnType<typeof routes>, method: string, path: string) => {
  const result = matchRoute(table, method, path);
  return result.kind === "match" ? [result.route.routeKey, result.pathParameters] : result.kind;
};

describe("route matching", () => {
  describe("the worked example of AWS's routing doc", () => {
    const table = routes(
      "GET /pets/dog/1",
      "GET /pets/dog/{id}",
      "GET /pets/{proxy+}",
      "ANY /{proxy+}",
      "$default",
    );

    it("prefers the full literal match", () => {
      assert.deepEqual(selected(table, "GET", "/pets/dog/1"), ["GET /pets/dog/1", {}]);
    });
    it("then a path variable", () => {
      assert.deepEqual(selected(table, "GET", "/pets/dog/2"), ["GET /pets/dog/{id}", { id: "2" }]);
    });
    it("then the greedy variable with the longer prefix", () => {
      assert.deepEqual(selected(table, "GET", "/pets/cat/1"), [
        "GET /pets/{proxy+}",
        { proxy: "cat/1" },
      ]);
    });
    it("then ANY with a greedy variable, before $default", () => {
      assert.deepEqual(selected(table, "POST", "/test/5"), ["ANY /{proxy+}", { proxy: "test/5" }]);
    });
    it("and $default for what nothing else takes", () => {
      assert.deepEqual(selected(table, "GET", "/"), ["$default", {}]);
    });
  });

  it("answers none when nothing matches and there is no $default", () => {
    const table = routes("GET /public", "GET /private");
    assert.equal(selected(table, "GET", "/nope"), "none");
    assert.equal(selected(table, "POST", "/public"), "none");
  });

  it("routes a path with one trailing slash as the path without it; case still counts", () => {
    const table = routes("GET /public", "GET /pets/{id}");
    assert.deepEqual(selected(table, "GET", "/public/"), ["GET /public", {}]);
    assert.deepEqual(selected(table, "GET", "/pets/7/"), ["GET /pets/{id}", { id: "7" }]);
    assert.equal(selected(table, "GET", "/public//"), "none");
    assert.equal(selected(table, "GET", "/Public"), "none");
  });

  it("prefers a named method over ANY for the same path", () => {
    const table = routes("ANY /items", "GET /items");
    assert.deepEqual(selected(table, "GET", "/items"), ["GET /items", {}]);
    assert.deepEqual(selected(table, "DELETE", "/items"), ["ANY /items", {}]);
  });

  it("never lets a greedy variable match zero segments", () => {
    const table = routes("GET /pets/{proxy+}");
    assert.equal(selected(table, "GET", "/pets"), "none");
    assert.equal(selected(table, "GET", "/pets/"), "none");
  });

  it("decodes path variables and reports malformed percent-encoding", () => {
    const table = routes("GET /users/{id}");
    assert.deepEqual(selected(table, "GET", "/users/a%20b"), ["GET /users/{id}", { id: "a b" }]);
    assert.equal(selected(table, "GET", "/users/%E0%A4%A"), "bad-encoding");
  });

  it("does not let a path variable match an empty segment", () => {
    assert.equal(selected(routes("GET /users/{id}"), "GET", "/users/"), "none");
  });
});
