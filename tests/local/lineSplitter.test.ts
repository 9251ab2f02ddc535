import * as assert from "node:assert/strict";
import { LineSplitter } from "../../local/lambda/lineSplitter";

describe("a function's output cut into records", () => {
  const split = (chunks: string[], max = 8) => {
    const records: string[] = [];
    const splitter = new LineSplitter((r) => records.push(r), max);
    for (const chunk of chunks) splitter.push(chunk);
    return { records, flush: () => (splitter.flush(), records) };
  };

  it("gives one record per line, whatever the chunks", () => {
    assert.deepEqual(split(["ab", "c\nde", "f\n\ng\n"]).records, ["abc", "def", "", "g"]);
  });

  it("holds a partial line until its end, or until flushed", () => {
    const { records, flush } = split(["abc", "de"]);
    assert.deepEqual(records, []);
    assert.deepEqual(flush(), ["abcde"]);
    assert.deepEqual(flush(), ["abcde"], "nothing more to flush");
  });

  it("cuts a line longer than the bound into records of the bound, across chunks", () => {
    assert.deepEqual(split(["0123", "456789abcdefghij", "kl\nxy\n"]).records, [
      "01234567",
      "89abcdef",
      "ghijkl",
      "xy",
    ]);
  });

  it("keeps a line of exactly the bound whole", () => {
    assert.deepEqual(split(["01234567\n"]).records, ["01234567"]);
  });
});
