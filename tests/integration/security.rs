//! Content is not trusted: nothing in it can inject script or markup.

use gloss::diagnostic::Code;
use scraper::{Html, Selector};

use crate::support::{copy_dir, fixture, render};

#[test]
fn no_script_or_handler_comes_from_content() {
    let site = render(&fixture("injection"));
    let all = Selector::parse("*").unwrap();
    for page in site.pages().iter().filter(|p| p.path.ends_with(".html")) {
        let html = Html::parse_document(&page.html);
        for element in html.select(&all) {
            let e = element.value();
            for (name, value) in e.attrs() {
                assert!(!name.starts_with("on"), "{}: handler attribute {name}={value}", page.path);
                if matches!(name, "href" | "src" | "action") {
                    assert!(!value.trim().to_lowercase().starts_with("javascript:"), "{}: {name}={value}", page.path);
                }
            }
            // Maps and networks are SVG that gloss draws itself.
            let drawn_by_gloss =
                element.ancestors().filter_map(scraper::ElementRef::wrap).chain([element]).any(|a| {
                    a.value().name() == "svg" && a.value().classes().any(|c| c == "gloss-map" || c == "network")
                });
            let unexpected = matches!(e.name(), "iframe" | "img" | "b" | "object")
                || (matches!(e.name(), "svg" | "style") && !drawn_by_gloss);
            assert!(!unexpected, "{}: <{}>", page.path, e.name());
            if e.name() == "script" {
                let ours = e.attr("src").is_some_and(|s| s.ends_with("gloss.js"))
                    || matches!(e.attr("type"), Some("application/ld+json" | "application/json"));
                assert!(ours, "{}: a script that gloss did not write: {}", page.path, element.html());
                if e.attr("src").is_none() {
                    let json = element.text().collect::<String>();
                    let parsed: serde_json::Value = serde_json::from_str(&json)
                        .unwrap_or_else(|err| panic!("{}: embedded JSON does not parse: {err}", page.path));
                    assert!(!parsed.is_null());
                    assert!(!json.contains("</") && !json.contains("<!--") && !json.contains('\u{2028}'));
                }
            }
        }
    }
}

#[test]
fn payloads_are_shown_as_text() {
    let site = render(&fixture("injection"));
    let article = site.pages().iter().find(|p| p.path == "articles/payloads.html").unwrap();
    assert!(article.html.contains("&lt;script&gt;alert('inline')&lt;/script&gt;"));
    let person = site.pages().iter().find(|p| p.path == "people/mallory.html").unwrap();
    assert!(person.html.contains("&lt;script&gt;alert('description')&lt;/script&gt;"));
    let raw: Vec<_> = site.warnings.0.iter().filter(|d| d.code == Code::RawHtml).collect();
    assert!(raw.len() >= 10, "each raw HTML spot is reported: {}", raw.len());
    assert!(raw.iter().all(|d| d.location.is_some()));
}

#[test]
fn raw_html_passes_only_when_the_site_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let article = dir.path().join("content/articles/arrival.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replace("where Putin waited", "where <abbr title=\"President\">Putin</abbr> waited"))
        .unwrap();
    let escaped = render(dir.path());
    let page =
        |site: &gloss::Site| site.pages().iter().find(|p| p.path == "articles/arrival.html").unwrap().html.clone();
    assert!(page(&escaped).contains("&lt;abbr"));
    let site_yaml = dir.path().join("content/site.yaml");
    let settings = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, format!("{settings}allow_html: true\n")).unwrap();
    let allowed = render(dir.path());
    assert!(page(&allowed).contains("<abbr title=\"President\">"));
    assert!(!allowed.warnings.0.iter().any(|d| d.code == Code::RawHtml));
}

#[test]
fn javascript_links_are_refused_where_they_are_written() {
    for (case, path, line) in [
        ("javascript-link", "content/articles/trip.md", 6),
        ("javascript-same-as", "content/people/vladimir-putin.md", 7),
    ] {
        let errors = gloss::render_site(&fixture(&format!("invalid/{case}"))).err().expect("refused").0;
        let error = errors.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(error.code, Code::InvalidValue, "{case}");
        let at = error.location.as_ref().unwrap();
        assert_eq!((at.path.to_str().unwrap(), at.line), (path, line), "{case}");
    }
}
