// The reader's experience in a real browser (headless Chromium), on the
// default site opened from disk (file://) and from a plain static server
// under a sub-path (http://127.0.0.1:PORT/editions/kim/):
//
// - a mention leads to its glossary page, and a backlink there leads back to
//   the exact mention in the article;
// - the preview card shows on keyboard focus and on hover, and Esc closes it;
// - "/" opens search, "Pulikovsky" finds him, Enter goes to his page;
// - no page logs a console error or throws, none asks for anything off this
//   machine, every link on every page resolves;
// - axe-core (WCAG 2.2 AA and best practice) finds no violation on any
//   page, in light and dark mode, nor with the preview card or the search
//   dialog open; on one page of each kind, at 390, 768, 1280 and 1600 px;
// - no page scrolls sideways at any of those widths;
// - the Nu Html Checker finds no error in any page;
// - screenshots of a page of each kind at each width go to
//   docs/screenshots/<kind>-<width>.png, and of a city walk's plans (an
//   article's and a monument's) to plan-article-<width>.png and
//   plan-place-<width>.png;
// - an archive's paginated home pages link to each other and to their
//   articles from disk, and pass axe and the Nu Html Checker;
// - an archive's search loads only the chunks of text that can match.
// - the Russian and Japanese editions: axe on every page, light and dark,
//   on a phone and a laptop, and the Nu Html Checker; search counts its
//   results in the page's plural forms (1 результат, 2 результата,
//   5 результатов) and finds Japanese text by two characters.
//
// Run: node --test tests/browser/   (builds the site with cargo first; set
// GLOSS_SITE=<folder> to test an already built site instead).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  REPO,
  axeViolations,
  buildFixture,
  buildSite,
  launch,
  listFiles,
  newContext,
  newPage,
  pageUrl,
  serve,
  sitePath,
  vnuErrors,
} from "./helpers.mjs";

const SITE = buildSite();
const FILES = listFiles(SITE);
const PAGES = FILES.filter((f) => f.endsWith(".html"));
const ARTICLE = "articles/all-aboard.html";
const PERSON = "people/konstantin-pulikovsky.html";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
/** A phone, a tablet, a laptop and a wide screen. */
const WIDTHS = [390, 768, 1280, 1600];
const device = (width) => (width === 390 ? PHONE : { viewport: { width, height: width < 1000 ? 1024 : 900 } });
/** One page of each kind readers meet. */
const KINDS = [
  ["article", ARTICLE],
  ["person", "people/kim-jong-il.html"],
  ["place", "places/vladivostok.html"],
  ["organisation", "organisations/kremlin.html"],
  ["people", "people/index.html"],
  ["places", "places/index.html"],
  ["tags", "tags/index.html"],
  ["tag", "tags/russia.html"],
  ["404", "404.html"],
];
const SCREENSHOTS = process.env.GLOSS_SCREENSHOTS || join(REPO, "docs", "screenshots");

let browser;
let server;
const ORIGINS = [
  { kind: "file", name: "file://", dir: SITE },
  { kind: "http", name: "http sub-path", dir: SITE },
];

before(async () => {
  server = await serve(SITE);
  ORIGINS[1].base = server.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (!process.env.GLOSS_SITE) rmSync(dirname(SITE), { recursive: true, force: true });
});

/**
 * A fresh context and page for `fn(page, context)`; then the problems it
 * returns (if any), console and page errors, and requests off this machine
 * must all be none.
 */
async function withPage(fn, options = {}, { colorScheme } = {}) {
  const context = await newContext(browser, { viewport: { width: 1280, height: 900 }, ...options });
  try {
    const page = await newPage(context);
    if (colorScheme) await page.emulateMedia({ colorScheme });
    const found = (await fn(page, context)) || [];
    const problems = [
      ...found,
      ...page.problems,
      ...context.blocked.map((url) => `request for something off this machine: ${url}`),
    ];
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join("\n")}`);
  } finally {
    await context.close();
  }
}

function kindOf(path) {
  if (path === "index.html") return "home";
  if (path === "404.html") return "404";
  if (path.startsWith("articles/")) return "article";
  if (path === "tags/index.html") return "tag index";
  if (path.startsWith("tags/")) return "tag";
  if (path.endsWith("/index.html")) return "kind index";
  return "entity";
}

const fileTexts = new Map();
function siteFile(path) {
  if (!fileTexts.has(path)) fileTexts.set(path, readFileSync(join(SITE, path), "utf8"));
  return fileTexts.get(path);
}
const hasId = (html, id) => html.includes(`id="${id}"`);

/** The links on the page (HTML and SVG) that stay on the site but do not resolve, fragment included. */
async function brokenLinks(page, origin) {
  const links = await page.evaluate(() =>
    Array.from(document.querySelectorAll("a[href], area[href], a[*|href]")).map((a) => {
      const raw = a.getAttribute("href") ?? a.getAttributeNS("http://www.w3.org/1999/xlink", "href");
      return { raw, url: new URL(raw, document.baseURI).href };
    }),
  );
  const here = sitePath(origin, page.url());
  const broken = [];
  for (const { raw, url } of links) {
    if (raw.startsWith("/")) broken.push(`${raw}: root-relative links break from disk and under a sub-path`);
    const u = new URL(url);
    if (u.protocol !== "file:" && !u.href.startsWith("http://127.0.0.1:")) continue;
    const path = sitePath(origin, url);
    if (path === null) {
      broken.push(`${raw}: leaves the site`);
      continue;
    }
    if (!FILES.includes(path)) {
      broken.push(`${raw}: no file ${path}`);
      continue;
    }
    const id = decodeURIComponent(u.hash.slice(1));
    if (id && path.endsWith(".html")) {
      const found = path === here ? await page.evaluate((i) => !!document.getElementById(i), id) : hasId(siteFile(path), id);
      if (!found) broken.push(`${raw}: no #${id} in ${path}`);
    }
  }
  return broken.map((b) => `broken link: ${b}`);
}

test("the site has every kind of page", () => {
  const kinds = new Set(PAGES.map(kindOf));
  for (const kind of ["home", "404", "article", "kind index", "entity"]) assert.ok(kinds.has(kind), kind);
  for (const path of [ARTICLE, PERSON, "places/vladivostok.html", "organisations/kremlin.html",
    "people/index.html", "places/index.html", "organisations/index.html"]) {
    assert.ok(PAGES.includes(path), path);
  }
});

test("the Nu Html Checker finds no error in any page", () => {
  const errors = vnuErrors(SITE);
  assert.deepEqual(errors, [], `${errors.length} HTML errors:\n${errors.join("\n")}`);
});

for (const origin of ORIGINS) {
  describe(`from ${origin.name}`, () => {
    test("the home page leads to the article", () =>
      withPage(async (page) => {
        await page.goto(pageUrl(origin, "index.html"));
        await page.waitForURL((url) => sitePath(origin, url.href) === ARTICLE);
        await page.waitForLoadState("load");
        assert.match(await page.locator("h1").innerText(), /All aboard!/);
      }));

    if (origin.kind === "http") {
      test("a missing address gets the 404 page, styled, with working links", () =>
        withPage(async (page) => {
          const response = await page.goto(origin.base + "no-such-page.html");
          assert.equal(response.status(), 404);
          // The one expected console error: the 404 status of the page itself.
          page.problems.splice(0, page.problems.length,
            ...page.problems.filter((p) => !/status of 404/.test(p)));
          assert.equal(await page.locator("h1").innerText(), "Page not found");
          const styled = await page.evaluate(() => getComputedStyle(document.body).marginTop === "0px");
          assert.ok(styled, "the stylesheet applies");
          await page.locator("main a", { hasText: "home page" }).click();
          await page.waitForURL((url) => sitePath(origin, url.href) === ARTICLE);
        }));
    }

    test("a mention leads to its glossary page, and a backlink leads back to the mention", () =>
      withPage(async (page) => {
        await page.goto(pageUrl(origin, ARTICLE));
        const mention = page.locator('.article-body a.mention[data-entity="konstantin-pulikovsky"]').first();
        await mention.click();
        await page.waitForURL((url) => sitePath(origin, url.href) === PERSON);
        assert.equal(await page.locator("h1").innerText(), "Konstantin Pulikovsky");

        const backlinks = page.locator(".mention-list a");
        assert.ok((await backlinks.count()) >= 2, "several mentions listed");
        const backlink = backlinks.nth(1);
        const anchor = new URL(await backlink.evaluate((a) => a.href)).hash.slice(1);
        assert.match(anchor, /^m-konstantin-pulikovsky-\d+$/);
        await backlink.click();
        await page.waitForURL((url) => sitePath(origin, url.href) === ARTICLE);
        assert.equal(await page.evaluate(() => location.hash), `#${anchor}`);
        const target = page.locator(`[id="${anchor}"]`);
        assert.equal(await target.count(), 1, "the mention is on the page, once");
        assert.ok(await target.evaluate((el) => el.matches("a.mention:target")), "it is the :target mention");
        assert.match(await target.getAttribute("data-entity"), /\bkonstantin-pulikovsky\b/);
        const inView = await target.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        });
        assert.ok(inView, "the mention is scrolled into view");
      }));

    test("a map takes its colours from map.css, which it imports", () =>
      withPage(async (page) => {
        await page.goto(pageUrl(origin, ARTICLE));
        await page.locator(".gloss-map").first().scrollIntoViewIfNeeded();
        const painted = await page.evaluate(() => {
          const map = document.querySelector(".gloss-map");
          const fill = (selector) => getComputedStyle(map.querySelector(selector)).fill;
          return { sea: fill(".ocean"), pin: fill(".pin circle"), route: getComputedStyle(map.querySelector(".route")).strokeDasharray };
        });
        assert.deepEqual(painted, { sea: "rgb(207, 226, 236)", pin: "rgb(179, 38, 30)", route: "7px, 5px" });
      }));

    test("a part of the mention strip leads to the first mention in it", () =>
      withPage(async (page) => {
        await page.goto(pageUrl(origin, "people/kim-jong-il.html"));
        const strip = page.locator(".strip").first();
        const part = strip.locator("a.cluster").first();
        // Kim's first three mentions are close together: one target.
        assert.equal(await part.locator("i").count(), 3);
        assert.equal(await strip.locator("i").count(), await page.locator(".mention-list").first().locator("li").count());
        const box = await part.boundingBox();
        assert.ok(box.width >= 24, `a part is ${box.width} px wide`);
        const first = await page.locator(".mention-list a").first().getAttribute("href");
        assert.equal(await part.getAttribute("href"), first);
        await part.click();
        await page.waitForURL((url) => url.href.endsWith(first.replace("../", "")));
      }));

    test("the preview card shows on keyboard focus, closes on Esc, and shows on hover", () =>
      withPage(async (page, context) => {
        await page.goto(pageUrl(origin, ARTICLE));
        // Tab from the top of the page to the first mention.
        let tabs = 0;
        while (!(await page.evaluate(() => document.activeElement?.matches("a.mention")))) {
          assert.ok(++tabs < 40, "a mention is reachable with Tab");
          await page.keyboard.press("Tab");
        }
        const focused = page.locator("a.mention:focus");
        const href = await focused.evaluate((a) => a.href);
        const card = page.locator("#gloss-preview");
        await card.waitFor({ state: "visible" });
        assert.equal(await focused.getAttribute("aria-describedby"), "gloss-preview");

        // The card says what the glossary page says.
        const reference = await context.newPage();
        await reference.goto(href);
        const name = (await reference.locator("h1").innerText()).trim();
        const summary = (await reference.locator("article header .summary").innerText()).trim();
        await reference.close();
        assert.equal((await card.locator(".preview-name").innerText()).trim(), name);
        assert.equal((await card.locator(".preview-summary").innerText()).trim(), summary);

        await page.keyboard.press("Escape");
        await card.waitFor({ state: "detached" });
        assert.ok(await page.evaluate(() => document.activeElement?.matches("a.mention")), "focus stays on the mention");

        // Hover, then move away.
        const other = page.locator('.article-body a.mention[data-entity="konstantin-pulikovsky"]').first();
        await other.hover();
        await card.waitFor({ state: "visible" });
        assert.equal((await card.locator(".preview-name").innerText()).trim(), "Konstantin Pulikovsky");
        await page.mouse.move(5, 5);
        await card.waitFor({ state: "detached" });
      }));

    test("on a phone, the first tap on a mention shows its card on screen, the second opens its page", () =>
      withPage(
        async (page) => {
          await page.goto(pageUrl(origin, ARTICLE));
          const mention = page.locator('.article-body a.mention[data-entity="vladivostok"]').first();
          await mention.tap();
          const card = page.locator("#gloss-preview");
          await card.waitFor({ state: "visible" });
          assert.equal(sitePath(origin, page.url()), ARTICLE, "the first tap stays on the article");
          assert.equal((await card.locator(".preview-name").innerText()).trim(), "Vladivostok");
          const box = await card.boundingBox();
          assert.ok(box.x >= 0 && box.x + box.width <= 390, `the card fits the screen's width: ${JSON.stringify(box)}`);
          await mention.tap();
          await page.waitForURL((url) => sitePath(origin, url.href) === "places/vladivostok.html");
        },
        PHONE,
      ));

    test('"/" opens search, "Pulikovsky" finds him, Enter opens his page', () =>
      withPage(async (page) => {
        await page.goto(pageUrl(origin, ARTICLE));
        await page.keyboard.press("/");
        const dialog = page.locator("#search-dialog");
        await dialog.waitFor({ state: "visible" });
        assert.ok(await dialog.evaluate((d) => d.open), "the dialog is open");
        assert.ok(await page.evaluate(() => document.activeElement?.id === "search-input"), "the input has focus");
        await page.keyboard.type("Pulikovsky");
        const selected = page.locator('#search-results [role="option"][aria-selected="true"]');
        await selected.waitFor();
        assert.match(await selected.innerText(), /Konstantin Pulikovsky/);
        await page.keyboard.press("Enter");
        await page.waitForURL((url) => sitePath(origin, url.href) === PERSON);
        assert.equal(await page.locator("h1").innerText(), "Konstantin Pulikovsky");

        // From a page one folder down, with the button, choosing by click.
        await page.locator("#search-toggle").click();
        await page.locator("#search-input").fill("Vladivostok");
        await page.locator('#search-results [role="option"]', { hasText: "Vladivostok" }).first().click();
        await page.waitForURL((url) => sitePath(origin, url.href) === "places/vladivostok.html");
        assert.equal(await page.locator("h1").innerText(), "Vladivostok");
      }));

    test("axe finds nothing with the preview card or the search dialog open, light and dark", async () => {
      for (const colorScheme of ["light", "dark"]) {
        await withPage(async (page) => {
          await page.goto(pageUrl(origin, ARTICLE));
          await page.locator('.article-body a.mention[data-entity="konstantin-pulikovsky"]').first().focus();
          await page.locator("#gloss-preview").waitFor({ state: "visible" });
          const withCard = await axeViolations(page);
          assert.deepEqual(withCard, [], `${colorScheme}, preview open:\n${withCard.join("\n")}`);
          await page.keyboard.press("Escape");

          await page.keyboard.press("/");
          await page.keyboard.type("Kim");
          await page.locator('#search-results [role="option"]').first().waitFor();
          const withSearch = await axeViolations(page);
          assert.deepEqual(withSearch, [], `${colorScheme}, search open:\n${withSearch.join("\n")}`);
        }, {}, { colorScheme });
      }
    });

    describe("every page: no errors, links resolve, axe finds nothing (light and dark)", () => {
      for (const path of PAGES) {
        test(`${path} (${kindOf(path)})`, () =>
          withPage(async (page) => {
            await page.goto(pageUrl(origin, path));
            // The home page of a one-article site redirects at once; its
            // markup is checked by vnu and the redirect by its own test.
            if (kindOf(path) === "home" && (await siteFile(path)).includes('http-equiv="refresh"')) {
              await page.waitForURL((url) => sitePath(origin, url.href) !== "index.html");
              await page.waitForLoadState("load");
            }
            const problems = await brokenLinks(page, origin);
            for (const colorScheme of ["light", "dark"]) {
              await page.emulateMedia({ colorScheme });
              for (const v of await axeViolations(page)) problems.push(`axe, ${colorScheme}: ${v}`);
            }
            return problems;
          }));
      }
    });

    test("no page scrolls sideways at 390, 768, 1280 or 1600 px", async () => {
      for (const width of WIDTHS) {
        await withPage(async (page) => {
          const wide = [];
          for (const path of PAGES) {
            if (kindOf(path) === "home") continue;
            await page.goto(pageUrl(origin, path));
            const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            if (scroll > inner) wide.push(`${path}: ${scroll}px in ${inner}px`);
          }
          assert.deepEqual(wide, [], `pages wider than the screen at ${width} px`);
        }, device(width));
      }
    });

    // The same pages and stylesheet either way: checked once, from disk.
    describe("axe (WCAG 2.2 AA) finds nothing on a page of each kind at every width, light and dark", () => {
      for (const [kind, path] of origin.kind === "file" ? KINDS : []) {
        test(`${kind}: ${path}`, async () => {
          for (const width of WIDTHS) {
            await withPage(async (page) => {
              const problems = [];
              await page.goto(pageUrl(origin, path));
              for (const colorScheme of ["light", "dark"]) {
                await page.emulateMedia({ colorScheme });
                for (const v of await axeViolations(page)) problems.push(`${width} px, ${colorScheme}: ${v}`);
              }
              return problems;
            }, device(width));
          }
        });
      }
    });
  });
}

describe("screenshots", () => {
  for (const [kind, path] of KINDS) {
    for (const width of WIDTHS) {
      test(`${kind}-${width}.png`, () =>
        withPage(async (page) => {
          mkdirSync(SCREENSHOTS, { recursive: true });
          await page.goto(pageUrl(ORIGINS[1], path));
          await page.evaluate(() => document.fonts.ready);
          const file = join(SCREENSHOTS, `${kind}-${width}.png`);
          await page.screenshot({ path: file, animations: "disabled" });
          assert.ok(existsSync(file));
        }, device(width)));
    }
  }
});

describe("a city walk's plans", () => {
  // Six places within 5 km of central Berlin, with the site's own streets.
  const dir = buildFixture("city-walk", "");
  const origin = { kind: "file", name: "file://", dir };
  after(() => rmSync(dirname(dir), { recursive: true, force: true }));
  const pages = [
    ["plan-article", "articles/mauerweg.html"],
    ["plan-place", "places/checkpoint-charlie.html"],
  ];

  for (const width of WIDTHS) {
    test(`at ${width} px: labels apart as the browser sets them, nothing wider than the screen, axe finds nothing; screenshots`, () =>
      withPage(async (page) => {
        const problems = [];
        mkdirSync(SCREENSHOTS, { recursive: true });
        for (const [kind, path] of pages) {
          await page.goto(pageUrl(origin, path));
          await page.evaluate(() => document.fonts.ready);
          // Each label's box in the map's own units, with the font the browser uses.
          const overlaps = await page.evaluate(() => {
            const boxes = Array.from(document.querySelectorAll(".gloss-map > svg text.label")).map((t) => {
              const b = t.getBBox();
              return { name: t.textContent, box: [b.x, b.y, b.x + b.width, b.y + b.height] };
            });
            const found = [];
            boxes.forEach((a, i) =>
              boxes.slice(i + 1).forEach((b) => {
                const [p, q] = [a.box, b.box];
                if (p[0] < q[2] - 0.5 && q[0] < p[2] - 0.5 && p[1] < q[3] - 0.5 && q[1] < p[3] - 0.5)
                  found.push(`${a.name} / ${b.name}`);
              }),
            );
            return found;
          });
          for (const o of overlaps) problems.push(`${path}: labels overlap: ${o}`);
          const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          if (scroll > inner) problems.push(`${path}: ${scroll}px in ${inner}px`);
          for (const colorScheme of ["light", "dark"]) {
            await page.emulateMedia({ colorScheme });
            for (const v of await axeViolations(page)) problems.push(`${path}, ${colorScheme}: ${v}`);
          }
          await page.emulateMedia({ colorScheme: "light" });
          await page.locator(".gloss-map").first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SCREENSHOTS, `${kind}-${width}.png`), animations: "disabled" });
        }
        return problems;
      }, device(width)));
  }

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual(vnuErrors(dir), []);
  });
});

describe("an archive's paginated home pages", () => {
  // Two articles, one per home page: index.html and page/2/index.html.
  const dir = buildFixture("two-articles", "paginate_by: 1\npaginate_mentions_by: 1\n");
  const origin = { kind: "file", name: "file://", dir };
  after(() => rmSync(dirname(dir), { recursive: true, force: true }));

  test("Older and Newer lead between the pages; every link resolves; axe finds nothing", () =>
    withPage(async (page) => {
      const problems = [];
      await page.goto(pageUrl(origin, "index.html"));
      await page.getByRole("link", { name: "Older" }).click();
      await page.waitForLoadState("load");
      assert.equal(sitePath(origin, page.url()), "page/2/index.html");
      assert.match(await page.locator("h1 + .meta").innerText(), /page 2 of 2/);
      const links = await page.evaluate(() =>
        Array.from(document.querySelectorAll("a[href]")).map((a) => new URL(a.getAttribute("href"), document.baseURI).href),
      );
      for (const url of links) {
        const path = sitePath(origin, url);
        if (path !== null && !existsSync(join(dir, path))) problems.push(`no file ${path} for ${url}`);
      }
      for (const colorScheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme });
        for (const v of await axeViolations(page)) problems.push(`axe, ${colorScheme}: ${v}`);
      }
      await page.getByRole("link", { name: "Newer" }).click();
      await page.waitForLoadState("load");
      assert.equal(sitePath(origin, page.url()), "index.html");
      return problems;
    }));

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual(vnuErrors(dir), []);
  });
});

describe("an archive's search", () => {
  // 450 more articles: three chunks of text (200 articles each). Article n
  // says "marker" and its own word, "token<n>x".
  const files = {};
  for (let n = 0; n < 450; n++) {
    const day = String(1 + (n % 28)).padStart(2, "0");
    files[`content/articles/report-${n}.md`] =
      `---\ntitle: Report ${n}\ndate: 2001-0${1 + Math.floor(n / 100)}-${day}\n---\nA marker paragraph, with token${n}x in it.\n`;
  }
  const dir = buildFixture("two-articles", "", files);
  const origin = { kind: "file", name: "file://", dir };
  after(() => rmSync(dirname(dir), { recursive: true, force: true }));

  /** Searches for `query` on the home page; the results and the chunks loaded. */
  async function searchFor(page, query) {
    const loaded = [];
    page.on("request", (r) => {
      const m = r.url().match(/search\/text-(\d+)\.js$/);
      if (m) loaded.push(Number(m[1]));
    });
    await page.goto(pageUrl(origin, "index.html"));
    await page.keyboard.press("/");
    await page.locator("#search-input").fill(query);
    await page.locator(".search-status", { hasText: /result/ }).waitFor();
    await page.waitForFunction(() => !/searching/.test(document.querySelector(".search-status").textContent));
    const titles = await page.locator('#search-results [role="option"] .search-title').allInnerTexts();
    return { titles, loaded, status: await page.locator(".search-status").innerText() };
  }

  test("a word found in one article loads one chunk of three", () =>
    withPage(async (page) => {
      assert.ok(existsSync(join(dir, "search", "text-2.js")) && !existsSync(join(dir, "search", "text-3.js")));
      const { titles, loaded } = await searchFor(page, "token321x");
      assert.deepEqual(titles, ["Report 321"]);
      assert.equal(loaded.length, 1, `chunks loaded: ${loaded}`);
    }));

  test("a word in every article stops at 30 results, reading no more chunks than it needs", () =>
    withPage(async (page) => {
      const { titles, loaded, status } = await searchFor(page, "marker");
      assert.equal(titles.length, 30);
      assert.deepEqual(loaded, [0]);
      assert.match(status, /more in the text/);
    }));

  test("words match where they start, and every term must match", () =>
    withPage(async (page) => {
      assert.deepEqual((await searchFor(page, "toke")).titles.length, 30);
      assert.deepEqual((await searchFor(page, "oken321x")).titles, []);
      assert.deepEqual((await searchFor(page, "marker token7x")).titles, ["Report 7"]);
    }));
});

describe("an edition with its apparatus: stand-off annotations, repairs, sources", () => {
  // A hard-wrapped story from Gdańsk, annotated from a file beside it.
  const dir = buildFixture("apparatus", "");
  const origin = { kind: "file", name: "file://", dir };
  after(() => rmSync(dirname(dir), { recursive: true, force: true }));
  const pages = ["articles/strike.html", "people/lech-walesa.html"];

  test("axe finds nothing, light and dark, on a phone and a laptop; the printed text of a repair is in view", async () => {
    for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
      await withPage(
        async (page) => {
          const problems = [];
          for (const path of pages) {
            await page.goto(pageUrl(origin, path));
            for (const colorScheme of ["light", "dark"]) {
              await page.emulateMedia({ colorScheme });
              for (const v of await axeViolations(page)) problems.push(`${path}, ${viewport.width} px, ${colorScheme}: ${v}`);
            }
            const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            if (scroll > inner) problems.push(`${path}: ${scroll}px in ${inner}px`);
          }
          await page.goto(pageUrl(origin, pages[0]));
          const printed = page.locator(".repair del");
          assert.equal(await printed.textContent(), "Walesa");
          assert.ok(await printed.isVisible());
          return problems;
        },
        { viewport },
      );
    }
  });

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual(vnuErrors(dir), []);
  });
});

describe("editions in other languages: right to left, and German", () => {
  const arabic = buildFixture("edition-ar", "");
  const german = buildFixture("edition-de", "");
  after(() => {
    rmSync(dirname(arabic), { recursive: true, force: true });
    rmSync(dirname(german), { recursive: true, force: true });
  });
  const pages = [
    [arabic, "rtl-article", "articles/maktaba.html"],
    [arabic, "rtl-person", "people/hosni-mubarak.html"],
    [german, "de-article", "articles/mauerfall.html"],
  ];

  for (const width of [390, 1280]) {
    test(`at ${width} px: axe finds nothing, light and dark, nothing wider than the screen; an Arabic page mirrors; screenshots`, () =>
      withPage(async (page) => {
        const problems = [];
        mkdirSync(SCREENSHOTS, { recursive: true });
        for (const [dir, kind, path] of pages) {
          const origin = { kind: "file", name: "file://", dir };
          await page.goto(pageUrl(origin, path));
          for (const colorScheme of ["light", "dark"]) {
            await page.emulateMedia({ colorScheme });
            for (const v of await axeViolations(page)) problems.push(`${path}, ${colorScheme}: ${v}`);
          }
          const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          if (scroll > inner) problems.push(`${path}: ${scroll}px in ${inner}px`);
          await page.emulateMedia({ colorScheme: "light" });
          await page.screenshot({ path: join(SCREENSHOTS, `${kind}-${width}.png`), animations: "disabled" });
        }
        // Right to left: the mention strip starts at the right, as the text does.
        await page.goto(pageUrl({ kind: "file", name: "file://", dir: arabic }, "people/hosni-mubarak.html"));
        const edges = await page.evaluate(() => {
          const strip = document.querySelector(".strip").getBoundingClientRect();
          const first = document.querySelector(".strip .cluster").getBoundingClientRect();
          return { dir: getComputedStyle(document.documentElement).direction, gapRight: strip.right - first.right, gapLeft: first.left - strip.left };
        });
        assert.equal(edges.dir, "rtl");
        // The map stays left to right, as its labels are laid out.
        await page.goto(pageUrl({ kind: "file", name: "file://", dir: arabic }, "articles/maktaba.html"));
        assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".gloss-map")).direction), "ltr");
        assert.ok(edges.gapRight < edges.gapLeft, `the first mention's part is nearer the right: ${JSON.stringify(edges)}`);
        return problems;
      }, device(width)));
  }

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual([...vnuErrors(arabic), ...vnuErrors(german)], []);
  });
});

describe("editions in Russian and Japanese: every page", () => {
  const editions = [
    ["Russian", buildFixture("edition-ru", "")],
    ["Japanese", buildFixture("edition-ja", "")],
  ];
  after(() => {
    for (const [, dir] of editions) rmSync(dirname(dir), { recursive: true, force: true });
  });

  for (const [language, dir] of editions) {
    test(`${language}: axe finds nothing on any page, light and dark, on a phone and a laptop; nothing wider than the screen`, async () => {
      const origin = { kind: "file", name: "file://", dir };
      const pages = listFiles(dir).filter((f) => f.endsWith(".html"));
      for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
        await withPage(
          async (page) => {
            const problems = [];
            for (const path of pages) {
              await page.goto(pageUrl(origin, path));
              // A one-article site's home page goes on to the article.
              if (path === "index.html" && readFileSync(join(dir, path), "utf8").includes('http-equiv="refresh"')) {
                await page.waitForURL((url) => sitePath(origin, url.href) !== "index.html");
                await page.waitForLoadState("load");
              }
              for (const colorScheme of ["light", "dark"]) {
                await page.emulateMedia({ colorScheme });
                for (const v of await axeViolations(page)) problems.push(`${path}, ${viewport.width} px, ${colorScheme}: ${v}`);
              }
              const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
              if (scroll > inner) problems.push(`${path}: ${scroll}px in ${inner}px`);
            }
            return problems;
          },
          { viewport },
        );
      }
    });
  }

  test("search counts its results in the plural form of the page's language; two Japanese characters find the text", () =>
    withPage(async (page) => {
      const [[, russian], [, japanese]] = editions;
      const expected = {
        "встреча": "1 результат",
        "Хасан": "2 результата",
        "вл": "5 результатов",
        "несуществующее": "0 результатов",
        "路地": "2件",
      };
      const shown = {};
      for (const [dir, path, queries] of [
        [russian, "articles/vladivostok.html", ["встреча", "Хасан", "вл", "несуществующее"]],
        [japanese, "articles/pontocho.html", ["路地"]],
      ]) {
        await page.goto(pageUrl({ kind: "file", dir }, path));
        await page.keyboard.press("/");
        for (const query of queries) {
          await page.locator("#search-input").fill(query);
          // Settled once the status says what is expected (or time is up).
          const settled = (text) => document.querySelector(".search-status").textContent.trim() === text;
          await page.waitForFunction(settled, expected[query], { timeout: 5000 }).catch(() => {});
          shown[query] = (await page.locator(".search-status").textContent()).trim();
        }
      }
      assert.deepEqual(shown, expected);
      // The Japanese query finds the article's text, in its own words.
      assert.match(await page.locator('#search-results [role="option"]').first().innerText(), /路地/);
    }));

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual(editions.flatMap(([, dir]) => vnuErrors(dir)), []);
  });
});

describe("a publication with figures, an entity's portrait and tags", () => {
  // The publishing fixture, with a photograph large enough to be offered
  // only as copies.
  const dir = buildFixture("publishing", "");
  const origin = { kind: "file", name: "file://", dir };
  after(() => rmSync(dirname(dir), { recursive: true, force: true }));
  const pages = [
    "articles/bridge-opens.html",
    "articles/harbour-notes.html",
    "people/vladimir-putin.html",
    "tags/index.html",
    "tags/vladivostok.html",
  ];

  test("images load from disk, a phone gets a copy, and axe finds nothing, light and dark", () =>
    withPage(
      async (page) => {
        const problems = [];
        for (const path of pages) {
          await page.goto(pageUrl(origin, path));
          await page.waitForLoadState("load");
          const images = await page.evaluate(async () => {
            const all = Array.from(document.querySelectorAll("main img"));
            // Lazy images load as they come into view.
            for (const img of all) {
              img.scrollIntoView();
              await img.decode().catch(() => {});
            }
            return all.map((img) => ({ src: img.currentSrc, width: img.naturalWidth }));
          });
          for (const img of images) if (img.width === 0) problems.push(`${path}: ${img.src} did not load`);
          if (path === "articles/bridge-opens.html") {
            assert.equal(images.length, 1);
            assert.match(images[0].src, /\/resized\/span-[0-9a-f]+-480w\.jpg$/, "a 390-pixel phone at 1x gets the 480 copy");
          }
          for (const colorScheme of ["light", "dark"]) {
            await page.emulateMedia({ colorScheme });
            for (const v of await axeViolations(page)) problems.push(`${path}, axe, ${colorScheme}: ${v}`);
          }
        }
        return problems;
      },
      { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 },
    ));

  test("the Nu Html Checker finds no error", () => {
    assert.deepEqual(vnuErrors(dir), []);
  });
});
