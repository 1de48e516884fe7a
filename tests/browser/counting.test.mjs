// The reader's search counts its results as the page's language does: each
// shipped table's `search_results` forms through gloss.js's own `counted`,
// with the plural rules of the language (CLDR's, as the browser has them).
// Needs no browser: node --test tests/browser/counting.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const here = new URL(".", import.meta.url);
const script = readFileSync(new URL("../../static/gloss.js", here), "utf8");
const start = script.indexOf("// ---- Counting");
const end = script.indexOf("// ---- End of counting");
assert.ok(start > 0 && end > start, "gloss.js marks its counting");
const counted = new Function(script.slice(start, end) + "\nreturn counted;")();

/** The forms of `search_results` in src/strings/<lang>.yaml (a flow mapping). */
function forms(lang) {
  const table = readFileSync(new URL(`../../src/strings/${lang}.yaml`, here), "utf8");
  const line = table.split("\n").find((l) => l.startsWith("search_results:"));
  return Object.fromEntries([...line.matchAll(/(\w+): "([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

test("Russian counts 1 результат, 2 результата, 5 результатов, 21 результат", () => {
  const ru = forms("ru");
  assert.deepEqual(
    [1, 2, 5, 11, 21, 22].map((n) => counted(ru, n, "ru")),
    ["1 результат", "2 результата", "5 результатов", "11 результатов", "21 результат", "22 результата"],
  );
});

test("Arabic has a form for none, one and two; English one and other; Japanese one for all", () => {
  const ar = forms("ar");
  assert.deepEqual([0, 1, 2].map((n) => counted(ar, n, "ar")), ["لا نتائج", "نتيجة واحدة", "نتيجتان"]);
  const en = forms("en");
  assert.deepEqual([0, 1, 2].map((n) => counted(en, n, "en-GB")), ["0 results", "1 result", "2 results"]);
  assert.deepEqual([1, 5].map((n) => counted(forms("ja"), n, "ja")), ["1件", "5件"]);
});

test("a category the table has no form for, or a tag no browser reads, is `other`", () => {
  assert.equal(counted({ one: "{n} result", other: "{n} results" }, 2, "ru"), "2 results");
  assert.equal(counted({ one: "{n} result", other: "{n} results" }, 1, "not a tag!"), "1 results");
  assert.equal(counted("{n} Treffer", 1, "de"), "1 Treffer");
});
