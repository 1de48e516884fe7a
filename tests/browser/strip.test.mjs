// How gloss.js cuts an entity page's mention strip into parts: twelve equal
// parts, each holding the ticks that fall in it and leading to the first of
// them, however many mentions an article has and however close they are.
// Needs no browser: node --test tests/browser/strip.test.mjs (the browser
// suite checks the parts on real pages, in both directions).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const script = readFileSync(new URL("../../static/gloss.js", import.meta.url), "utf8");
const start = script.indexOf("// ---- Strip parts");
const end = script.indexOf("// ---- End of strip parts");
assert.ok(start > 0 && end > start, "gloss.js marks its strip parts");
const stripParts = new Function(script.slice(start, end) + "\nreturn stripParts;")();

test("mentions close together are one part, which leads to the first of them", () => {
  const parts = stripParts([1.2, 3.5, 7.9, 40, 41.1, 99.5]);
  assert.deepEqual(parts.map((p) => [p.start, p.first, p.count]), [[0, 0, 3], [33.333, 3, 2], [91.667, 5, 1]]);
  // Within its part, a tick keeps its place: 40 % of the strip is 80 % of
  // the fifth twelfth.
  assert.deepEqual(parts[1].ticks, [80, 93.2]);
});

test("a hundred mentions across the text make twelve parts, none wider than a twelfth", () => {
  const at = Array.from({ length: 100 }, (_, i) => i + 0.5);
  const parts = stripParts(at);
  assert.equal(parts.length, 12);
  assert.equal(parts.reduce((n, p) => n + p.count, 0), 100);
  assert.ok(parts.every((p, i) => i === 0 || p.start > parts[i - 1].start));
  assert.ok(parts.every((p) => p.ticks.every((t) => t >= 0 && t <= 100)));
});

test("a mention at the very end falls in the last part, not a thirteenth", () => {
  const parts = stripParts([100]);
  assert.deepEqual([parts[0].start, parts[0].ticks], [91.667, [100]]);
});

test("no mentions, no parts", () => {
  assert.deepEqual(stripParts([]), []);
});
