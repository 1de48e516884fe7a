//! Helpers: render a site in memory and look at its pages as parsed HTML.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gloss::Site;
use scraper::{Html, Selector};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The repository root: the default site.
pub fn default_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Renders a site in memory, panicking with the diagnostics if it fails.
pub fn render(root: &Path) -> Site {
    match gloss::render_site(root) {
        Ok(site) => site,
        Err(diagnostics) => {
            let shown: Vec<String> = diagnostics.0.iter().map(|d| d.to_string()).collect();
            panic!("{} did not build:\n{}", root.display(), shown.join("\n\n"))
        }
    }
}

/// Every page of a rendered site, parsed.
pub struct Pages {
    pub pages: BTreeMap<String, Html>,
    /// Files that exist besides pages (static files).
    pub files: BTreeSet<String>,
}

impl Pages {
    pub fn of(site: &Site) -> Pages {
        let pages = site.pages().iter().map(|p| (p.path.clone(), Html::parse_document(&p.html))).collect();
        let files: BTreeSet<String> = site.static_outputs().into_iter().collect();
        Pages { pages, files }
    }

    pub fn get(&self, path: &str) -> &Html {
        self.pages.get(path).unwrap_or_else(|| panic!("no page {path}; pages: {:?}", self.pages.keys()))
    }

    pub fn select<'a>(&'a self, path: &str, css: &str) -> Vec<scraper::ElementRef<'a>> {
        let selector = Selector::parse(css).unwrap();
        self.get(path).select(&selector).collect()
    }

    pub fn ids(&self, path: &str) -> Vec<String> {
        self.select(path, "[id]").iter().map(|e| e.value().attr("id").unwrap().to_string()).collect()
    }

    /// Every internal link of every page, checked: relative, to a file that
    /// exists, to a fragment that exists. Returns the problems found.
    pub fn broken_links(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let attrs = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
        for (path, html) in &self.pages {
            for element in html.select(&attrs) {
                let target = element.value().attr("href").or(element.value().attr("src")).unwrap();
                if target.starts_with("https://") || target.starts_with("http://") || target.starts_with("mailto:") {
                    continue;
                }
                if target.starts_with('/') {
                    problems.push(format!("{path}: absolute link {target}"));
                    continue;
                }
                let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
                let resolved = if file.is_empty() { path.clone() } else { join(path, file) };
                if !self.pages.contains_key(&resolved) && !self.files.contains(&resolved) {
                    problems.push(format!("{path}: link to missing {target} ({resolved})"));
                    continue;
                }
                if !fragment.is_empty() && !self.ids(&resolved).iter().any(|id| id == fragment) {
                    problems.push(format!("{path}: link to missing anchor {target}"));
                }
            }
        }
        problems
    }
}

/// Resolves `link` relative to the page at `from`, as a browser does.
pub fn join(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The visible text of an element, whitespace collapsed.
pub fn text(element: &scraper::ElementRef) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A copy of fixture `name` in a temporary folder, with `settings` added to
/// its `site.yaml`.
pub fn fixture_with(name: &str, settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    let site_yaml = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, format!("{yaml}{settings}")).unwrap();
    dir
}

/// Copies a fixture site, to build it somewhere it may be changed: not its
/// `.gloss` folder, where servers of the fixture keep their pages while
/// other tests run.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| e.file_name() != ".gloss") {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
