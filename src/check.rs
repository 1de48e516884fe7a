//! Checking the rendered site: the reader's view of what the build made.
//!
//! Runs over the pages in memory (nothing is written): every internal link
//! and fragment must resolve, no link may rely on a server (root-relative
//! paths, folder URLs), every id must be unique on its page, and every page
//! must be reachable from the home page.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Page;

/// What [`check_pages`] looked at, for the report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CheckCounts {
    pub pages: usize,
    pub links: usize,
    pub external_links: usize,
    pub anchors: usize,
}

/// The ids and link targets of one HTML page.
#[derive(Debug, Default)]
struct PageRefs {
    ids: Vec<String>,
    links: Vec<String>,
}

/// Checks links, anchors and reachability across `pages`; `files` are the
/// other files of the output (static files), which links may point at.
/// Pages may be shared (`Arc<Page>`, as a site holds them) or owned.
pub fn check_pages<P: Borrow<Page>>(pages: &[P], files: &[String]) -> (Vec<Diagnostic>, CheckCounts) {
    let pages: Vec<&Page> = pages.iter().map(Borrow::borrow).collect();
    let refs: HashMap<&str, PageRefs> =
        pages.iter().filter(|p| p.path.ends_with(".html")).map(|p| (p.path.as_str(), scan(&p.html))).collect();
    let ids: HashMap<&str, HashSet<&str>> =
        refs.iter().map(|(path, r)| (*path, r.ids.iter().map(String::as_str).collect())).collect();
    let files: HashSet<&str> = files.iter().map(String::as_str).collect();
    let outputs: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let mut problems = Vec::new();
    // Pages as `gloss build` counts them: not the map tiles.
    let counted = pages.iter().filter(|p| !p.id.is_tile()).count();
    let mut counts = CheckCounts { pages: counted, ..CheckCounts::default() };
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();

    for page in pages.iter().filter(|p| p.path.ends_with(".html")) {
        let path = page.path.as_str();
        let page_refs = &refs[path];
        counts.anchors += page_refs.ids.len();
        let mut seen = HashSet::new();
        for id in &page_refs.ids {
            if !seen.insert(id) {
                problems.push(broken(path, format!("the id `{id}` is used more than once on this page")));
            }
        }
        for link in &page_refs.links {
            if is_external(link) {
                counts.external_links += 1;
                continue;
            }
            counts.links += 1;
            if link.starts_with('/') {
                problems.push(broken(
                    path,
                    format!("the link `{link}` starts with `/`: it breaks under a sub-path and from disk"),
                ));
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            let file = file.split('?').next().unwrap_or(file);
            if file.ends_with('/') {
                problems.push(broken(
                    path,
                    format!("the link `{link}` points at a folder: it needs a server that adds index.html"),
                ));
                continue;
            }
            let target = if file.is_empty() { path.to_string() } else { join(path, file) };
            let is_page = ids.contains_key(target.as_str());
            let is_output = is_page || files.contains(target.as_str()) || outputs.contains(target.as_str());
            if !is_output {
                problems.push(broken(path, format!("the link `{link}` leads to `{target}`, which does not exist")));
                continue;
            }
            if is_page {
                edges.entry(path).or_default().push(target.clone());
            }
            if !fragment.is_empty() && is_page && !ids[target.as_str()].contains(fragment) {
                problems.push(broken(path, format!("the link `{link}` leads to an anchor that `{target}` lacks")));
            }
        }
    }

    // Every page must be reachable from the home page.
    let mut reached: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        if reached.insert(page.clone()) {
            for next in edges.get(page.as_str()).into_iter().flatten() {
                if !reached.contains(next) {
                    queue.push_back(next.clone());
                }
            }
        }
    }
    for page in pages.iter().filter(|p| p.path.ends_with(".html")) {
        if !reached.contains(&page.path) && page.path != "404.html" {
            problems.push(broken(&page.path, "no link leads to this page from the home page".to_string()));
        }
    }
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    (problems, counts)
}

fn broken(page: &str, message: String) -> Diagnostic {
    Diagnostic::error(Code::BrokenLink, message)
        .in_file(&Path::new("public").join(page))
        .with_hint("the link comes from the content (a Markdown link) or from a template")
}

/// Does the link carry a scheme (`https:`, `mailto:`) or a host (`//`)?
fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    match link.find(':') {
        Some(colon) => {
            let scheme = &link[..colon];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !link[..colon].contains('/')
        }
        None => false,
    }
}

/// Resolves `link` relative to the page at `from` (both relative to the
/// site root).
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

/// Collects `id`, `href`, `src` and `xlink:href` attribute values from HTML. Comments and
/// the contents of `<script>` and `<style>` are skipped.
fn scan(html: &str) -> PageRefs {
    let mut refs = PageRefs::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        i += offset + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let name_end =
            html[i..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(html.len(), |e| i + e);
        let tag = html[i..name_end].to_ascii_lowercase();
        if tag.is_empty() || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        i = name_end;
        // Attributes, until the end of the tag.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] != b'=' {
                continue;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[i + 1..].find(q as char).map_or(html.len(), |e| i + 1 + e);
                    let value = &html[i + 1..end];
                    i = (end + 1).min(html.len());
                    value
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    &html[start..i]
                }
            };
            match name.as_str() {
                "id" => refs.ids.push(decode_entities(value)),
                // xlink:href: the map tiles a map shows.
                "href" | "src" | "xlink:href" => refs.links.push(decode_entities(value)),
                _ => {}
            }
        }
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i = html[i..].to_ascii_lowercase().find(&close).map_or(html.len(), |e| i + e);
        }
    }
    refs
}

/// Decodes the entities an attribute value may hold.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> Page {
        // The checks read paths; an id only tells tiles apart.
        Page { id: crate::routes::PageId::NotFound, path: path.into(), html: html.into() }
    }

    #[test]
    fn scans_ids_and_links_but_not_scripts_or_comments() {
        let refs = scan(
            r#"<a id=top href="people/x.html#m-1">x</a><!-- <a href="no"> --><script>let s = "<a href='no'>";</script><img src='a.png' alt="<"><svg><image xlink:href="maps/3/0_0.svg"/></svg>"#,
        );
        assert_eq!(refs.ids, ["top"]);
        assert_eq!(refs.links, ["people/x.html#m-1", "a.png", "maps/3/0_0.svg"]);
    }

    #[test]
    fn finds_broken_links_anchors_and_orphans() {
        let pages = [
            page(
                "index.html",
                r#"<a href="people/a.html#m-1">a</a> <a href="/abs.html">b</a> <a href="https://x.org/">c</a>"#,
            ),
            page("people/a.html", r#"<p id="m-2"></p><a href="../index.html">home</a><a href="b.html">b</a>"#),
            page("people/orphan.html", r#"<p id="x"></p><p id="x"></p>"#),
        ];
        let (problems, counts) = check_pages(&pages, &[]);
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(counts.external_links, 1);
        assert!(messages.iter().any(|m| m.contains("anchor")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("starts with `/`")));
        assert!(messages.iter().any(|m| m.contains("people/b.html")));
        assert!(messages.iter().any(|m| m.contains("more than once")));
        assert!(messages.iter().any(|m| m.contains("no link leads")));
        assert_eq!(problems.len(), 5, "{messages:?}");
    }

    #[test]
    fn relative_links_resolve_like_a_browser() {
        assert_eq!(join("articles/a.html", "../people/k.html"), "people/k.html");
        assert_eq!(join("index.html", "articles/a.html"), "articles/a.html");
        assert_eq!(join("people/index.html", "k.html"), "people/k.html");
    }
}
