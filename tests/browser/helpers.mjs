// Helpers for the browser suite: build the default site, serve it under a
// sub-path, launch the system Chromium with every non-local request blocked,
// watch pages for console and page errors, run axe-core and the Nu Html
// Checker.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

/** The repository root (the default site). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The sub-path the HTTP server serves the site under, to prove relative links. */
export const SUB_PATH = "/editions/kim/";

/**
 * The built site to test: `GLOSS_SITE` if set (an already built output
 * folder), else a fresh `cargo run --release -- build` of the repository
 * into a temporary folder.
 */
export function buildSite() {
  if (process.env.GLOSS_SITE) {
    const dir = resolve(process.env.GLOSS_SITE);
    if (!existsSync(join(dir, "index.html"))) {
      throw new Error(`GLOSS_SITE=${dir} has no index.html: build the site first`);
    }
    return dir;
  }
  const out = join(mkdtempSync(join(tmpdir(), "gloss-browser-")), "site");
  const result = spawnSync(
    "cargo",
    ["run", "--release", "--locked", "--quiet", "--", "build", "--root", REPO, "--output", out],
    { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`gloss build failed (exit ${result.status})`);
  return out;
}

/**
 * The fixture site `tests/fixtures/<name>` with `config` appended to its
 * `site.yaml` and `files` (path under the site: text) added, built into a
 * temporary folder; returns the output folder.
 */
export function buildFixture(name, config, files = {}) {
  const work = mkdtempSync(join(tmpdir(), "gloss-fixture-"));
  cpSync(join(REPO, "tests", "fixtures", name), join(work, "site"), { recursive: true });
  appendFileSync(join(work, "site", "content", "site.yaml"), config);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(work, "site", path), text);
  const out = join(work, "out");
  const result = spawnSync(
    "cargo",
    ["run", "--release", "--locked", "--quiet", "--", "build", "--root", join(work, "site"), "--output", out],
    { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`gloss build of ${name} failed (exit ${result.status})`);
  return out;
}

/** Every file below `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir) {
  const out = [];
  (function walk(d) {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join("/"));
    }
  })(dir);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * A static server for `dir` under `SUB_PATH` on 127.0.0.1 (any free port),
 * like a plain static host: a folder serves its index.html, anything
 * missing gets the site's 404.html with status 404, nothing outside `dir`.
 */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = "";
    }
    let file = null;
    if (path.startsWith(SUB_PATH) && !path.includes("\0")) {
      const candidate = resolve(dir, "." + path.slice(SUB_PATH.length - 1));
      if (candidate === dir || candidate.startsWith(dir + sep)) {
        if (existsSync(candidate) && statSync(candidate).isDirectory()) {
          file = join(candidate, "index.html");
        } else {
          file = candidate;
        }
        if (!existsSync(file) || !statSync(file).isFile()) file = null;
      }
    }
    const status = file ? 200 : 404;
    if (!file) file = join(dir, "404.html");
    res.writeHead(status, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    base: `http://127.0.0.1:${port}${SUB_PATH}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** The system Chromium, headless, never downloading anything. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A browser context in which only file:// and the local server may be
 * reached: every other request is aborted and recorded in `blocked`.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("http://127.0.0.1:") || url.startsWith("data:")) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  context.blocked = blocked;
  return context;
}

/**
 * A new page that records every console error and uncaught page error, in
 * `page.problems`, each with the URL it happened on.
 */
export async function newPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.problems = problems;
  return page;
}

const AXE_PATH = require.resolve("axe-core");
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** axe-core's violations on the page as it is now, as readable lines. */
export async function axeViolations(page) {
  const injected = await page.evaluate(() => typeof window.axe === "object");
  if (!injected) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
      // No re-fetching of stylesheets: from file:// that is a blocked
      // cross-origin request, which would be a console error of axe's own.
      preload: false,
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  }, AXE_TAGS);
  return violations.map(
    (v) => `[${v.impact}] ${v.id}: ${v.help}\n` + v.nodes.slice(0, 8).map((n) => `      ${n}`).join("\n") +
      (v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : ""),
  );
}

/** The Nu Html Checker's errors on every HTML file under `dir`. */
export function vnuErrors(dir) {
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const result = spawnSync(
    process.env.JAVA || "java",
    ["-jar", jar, "--skip-non-html", "--errors-only", "--format", "json", dir],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw result.error;
  let report;
  try {
    report = JSON.parse(result.stderr || result.stdout);
  } catch {
    throw new Error(`vnu gave no JSON report (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return report.messages
    .filter((m) => m.type === "error" || m.subType === "fatal")
    .map((m) => {
      const file = m.url ? relative(dir, fileURLToPath(new URL(m.url))) : "?";
      return `${file}:${m.lastLine ?? "?"}: ${m.message}${m.extract ? `  [${m.extract.trim()}]` : ""}`;
    });
}

/** The URL of a page of the site for an origin: file:// or the server. */
export function pageUrl(origin, path) {
  return origin.kind === "file" ? pathToFileURL(join(origin.dir, path)).href : origin.base + path;
}

/** The site path (relative to its root) of a URL of either origin. */
export function sitePath(origin, url) {
  const u = new URL(url);
  u.hash = "";
  u.search = "";
  const rootUrl = origin.kind === "file" ? pathToFileURL(origin.dir + sep).href : origin.base;
  return u.href.startsWith(rootUrl) ? decodeURIComponent(u.href.slice(rootUrl.length)) : null;
}
