// The reader's search folds and cuts words as the index does: every case of
// tests/data/search-folding.json through gloss.js's own `fold` and `words`
// (the Rust side checks the same table). Needs no browser:
// node --test tests/browser/search-folding.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const here = new URL(".", import.meta.url);
const script = readFileSync(new URL("../../static/gloss.js", here), "utf8");
const start = script.indexOf("// ---- Search folding");
const end = script.indexOf("// ---- End of search folding");
assert.ok(start > 0 && end > start, "gloss.js marks its search folding");
const { fold, words } = new Function(script.slice(start, end) + "\nreturn { fold: fold, words: words };")();
const table = JSON.parse(readFileSync(new URL("../data/search-folding.json", here), "utf8"));

test("search folds and cuts words as the index does", () => {
  for (const [text, expected] of table.cases) {
    assert.deepEqual(words(fold(text)), expected, text);
  }
});
