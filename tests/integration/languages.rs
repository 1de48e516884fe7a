//! Sites in other languages: the strings tables, dates and numbers written
//! as the language writes them, a site's own strings, and no English left
//! in the templates.

use crate::support::{copy_dir, default_site, fixture, render, text, Pages};

/// A copy of the two-articles fixture in `language`, with `files` (path
/// from the site root, text) added.
fn site_in(language: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let site_yaml = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, yaml.replace("language: en", &format!("language: {language}"))).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn first_text(pages: &Pages, path: &str, css: &str) -> String {
    let found = pages.select(path, css);
    text(found.first().unwrap_or_else(|| panic!("no `{css}` in {path}")))
}

fn missing_string_warnings(site: &gloss::Site) -> Vec<String> {
    site.warnings.0.iter().map(|d| d.to_string()).filter(|d| d.contains("missing_string")).collect()
}

#[test]
fn a_german_site_reads_in_german() {
    let dir = site_in("de", &[]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    assert_eq!(first_text(&pages, "articles/departure.html", "time.date"), "20. August 2002");
    assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), "In diesem Artikel");
    assert_eq!(first_text(&pages, "articles/departure.html", "#intro-heading"), "Einführung der Redaktion");
    assert!(first_text(&pages, "people/kim-jong-il.html", "#mentions-heading").starts_with("Erwähnungen"));
    assert_eq!(first_text(&pages, "index.html", ".skip-link"), "Zum Inhalt springen");
    let list = first_text(&pages, "index.html", ".article-list");
    assert!(list.contains("23. August 2002"), "{list}");
    assert!(list.contains(" Erwähnungen"), "{list}");
    // The machine-readable dates stay ISO.
    assert_eq!(pages.select("articles/departure.html", "time.date")[0].value().attr("datetime"), Some("2002-08-20"));
    let article = &site.pages().iter().find(|p| p.path == "articles/departure.html").unwrap().html;
    assert!(article.contains("\"datePublished\":\"2002-08-20\""), "JSON-LD keeps ISO dates");
    assert!(missing_string_warnings(&site).is_empty(), "{:?}", missing_string_warnings(&site));
    // The built-in kinds in German on the pages, in English for the editor.
    assert_eq!(first_text(&pages, "people/index.html", "h1"), "Personen");
    assert!(site.describe().contains("3 people"), "{}", site.describe());
}

#[test]
fn when_a_source_was_read_is_a_date_in_the_language() {
    let entity = "---\nname: Kim Jong-il\naliases: [Kim]\nsources:\n  - {id: kcna, title: Biography, accessed: 2026-11-30}\n---\nLeader.\n";
    for (language, accessed) in [("en", "Accessed 30 November 2026."), ("de", "Abgerufen am 30. November 2026.")] {
        let dir = site_in(language, &[("content/people/kim-jong-il.md", entity)]);
        let pages = Pages::of(&render(dir.path()));
        assert_eq!(first_text(&pages, "people/kim-jong-il.html", ".sources .accessed"), accessed);
    }
}

#[test]
fn a_citation_in_an_article_is_labelled_and_numbered_in_the_language() {
    let article =
        "---\ntitle: Cited\ndate: 2002-08-21\nsources:\n  - {id: kcna, title: Report}\n---\nKim left [@kcna].\n";
    for (language, label, number) in [("en", "Source 1", "[1]"), ("ja", "出典1", "[1]"), ("ar-EG", "المصدر ١", "[١]")]
    {
        let dir = site_in(language, &[("content/articles/cited.md", article)]);
        let pages = Pages::of(&render(dir.path()));
        let cite = pages.select("articles/cited.html", ".article-body .source-ref a");
        assert_eq!(cite[0].value().attr("aria-label"), Some(label), "{language}");
        assert_eq!(text(&cite[0]), number, "{language}");
        // Annotated alone (`gloss mentions`), the article is written in
        // the site's language too.
        let annotated = gloss::annotate_site(dir.path()).unwrap();
        let labelled = format!("aria-label=\"{label}\"");
        assert!(annotated.articles.iter().any(|a| a.body_html.contains(&labelled)), "{language}");
    }
}

#[test]
fn french_russian_and_arabic_dates_are_as_cldr_writes_them() {
    for (language, date, heading) in [
        ("fr", "20 août 2002", "Dans cet article"),
        ("ru", "20 августа 2002 г.", "В этой статье"),
        ("es", "20 de agosto de 2002", "En este artículo"),
        ("ar", "20 أغسطس 2002", "في هذا المقال"),
        ("ar-EG", "٢٠ أغسطس ٢٠٠٢", "في هذا المقال"),
    ] {
        let dir = site_in(language, &[]);
        let pages = Pages::of(&render(dir.path()));
        assert_eq!(first_text(&pages, "articles/departure.html", "time.date"), date, "{language}");
        assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), heading, "{language}");
    }
}

#[test]
fn counts_take_the_languages_plural_forms_and_digits() {
    let dir = site_in("ru", &[]);
    let pages = Pages::of(&render(dir.path()));
    let counts: Vec<String> = pages.select("people/index.html", ".entity-list .count").iter().map(text).collect();
    assert!(
        counts.iter().all(|c| ["упоминание", "упоминания", "упоминаний"].iter().any(|w| c.ends_with(w))),
        "{counts:?}"
    );
    let dir = site_in("ar-EG", &[]);
    let pages = Pages::of(&render(dir.path()));
    let heading = first_text(&pages, "people/kim-jong-il.html", "#mentions-heading");
    assert!(heading.starts_with("الإشارات (") && heading.chars().any(|c| ('٠'..='٩').contains(&c)), "{heading}");
    assert!(!heading.chars().any(|c| c.is_ascii_digit()), "{heading}");
}

#[test]
fn a_site_overrides_a_string_in_its_own_table() {
    let dir = site_in("de", &[("content/strings/de.yaml", "in_this_article: Im Artikel\n")]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), "Im Artikel");
    // The rest is the shipped German.
    assert_eq!(first_text(&pages, "articles/departure.html", "#intro-heading"), "Einführung der Redaktion");
    assert!(missing_string_warnings(&site).is_empty(), "{:?}", missing_string_warnings(&site));
}

#[test]
fn a_missing_string_is_english_and_named_in_a_warning() {
    let dir = site_in("nl", &[("content/strings/nl.yaml", "in_this_article: In dit artikel\nlocale: nl\n")]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), "In dit artikel");
    assert_eq!(first_text(&pages, "articles/departure.html", "#intro-heading"), "Editor’s introduction");
    assert_eq!(first_text(&pages, "articles/departure.html", "time.date"), "20 augustus 2002");
    let warnings = missing_string_warnings(&site);
    let about: Vec<&String> = warnings.iter().filter(|w| w.contains("`editors_introduction`")).collect();
    assert_eq!(about.len(), 1, "once per key: {warnings:?}");
    assert!(about[0].contains("`nl`") && about[0].contains("content/strings/nl.yaml"), "{}", about[0]);
    assert!(!warnings.iter().any(|w| w.contains("`in_this_article`")), "{warnings:?}");
}

#[test]
fn a_language_without_a_table_is_english_with_one_warning() {
    let dir = site_in("ko", &[]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), "In this article");
    assert_eq!(first_text(&pages, "articles/departure.html", "time.date"), "2002년 8월 20일");
    let warnings = missing_string_warnings(&site);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("`ko`"), "{warnings:?}");
}

/// The English the built-in templates used to hold, as readers saw it.
const TEMPLATE_ENGLISH: &[&str] = &[
    "Skip to content",
    "An annotated edition",
    "Search this edition",
    "Search names, places and the text",
    "search index could not be loaded",
    "Close",
    "Results",
    "Dateline as printed",
    "Date:",
    "Year:",
    "Editor’s introduction",
    "The places of this article",
    "About this text",
    "Editorial notes",
    "Back to the text",
    "In this article",
    "underlined in the colour",
    "go to the first",
    "Sources",
    "Accessed",
    "In the text",
    "Elsewhere",
    "Mentions",
    "mentioned in “",
    "into the text",
    "Not mentioned in any article",
    "Related",
    "mentioned together",
    "A to Z",
    "Who appears with whom",
    "Lines join",
    "Paragraphs in which both",
    "Download:",
    "Page not found",
    "There is no page at this address",
    "Go to the home page",
    "or browse",
    "Pages of this list",
    "Newer",
    "Older",
    " mention",
    " article",
    "Tags",
    "Feed",
    "Draft",
    "Born ",
    "Map of",
    "Map: location",
    "Network of",
];

#[test]
fn no_template_holds_english_of_its_own() {
    // The default site in a language whose every string is a marker.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "static"] {
        copy_dir(&default_site().join(folder), &dir.path().join(folder));
    }
    let site_yaml = dir.path().join("content/site.yaml");
    let yaml = std::fs::read_to_string(&site_yaml).unwrap();
    let yaml: String = yaml
        .lines()
        .map(|l| if l.starts_with("language:") { "language: qq".to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&site_yaml, format!("{yaml}\nbase_url: https://example.org/qq\n")).unwrap();
    let english: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(default_site().join("src/strings/en.yaml")).unwrap()).unwrap();
    let mut pseudo = String::new();
    for (key, value) in english.as_mapping().unwrap() {
        let key = key.as_str().unwrap();
        let marker = |form: &str| format!("\"⟦{key}{form} {{n}} {{count}}⟧\"");
        match (key, value) {
            ("locale", _) => pseudo.push_str("locale: en-GB\n"),
            ("lowercase_kinds", _) => pseudo.push_str("lowercase_kinds: \"no\"\n"),
            (_, serde_yaml::Value::Mapping(forms)) => {
                let forms: Vec<String> = forms
                    .keys()
                    .map(|f| f.as_str().unwrap())
                    .map(|f| format!("{f}: {}", marker(&format!(".{f}"))))
                    .collect();
                pseudo.push_str(&format!("{key}: {{{}}}\n", forms.join(", ")));
            }
            _ => pseudo.push_str(&format!("{key}: {}\n", marker(""))),
        }
    }
    std::fs::create_dir_all(dir.path().join("content/strings")).unwrap();
    std::fs::write(dir.path().join("content/strings/qq.yaml"), pseudo).unwrap();
    let site = render(dir.path());
    assert!(missing_string_warnings(&site).is_empty(), "{:?}", missing_string_warnings(&site));

    // What gloss writes itself, without the content: the text and the
    // labels of every page, less the text of the content's own elements.
    let content_selectors = [
        ".article-body",
        ".intro",
        ".editorial-notes .note",
        ".footnotes li",
        ".description",
        ".summary",
        "h1",
        ".mention-list",
        ".tags li",
        ".tag-cloud a",
        ".site-title",
        ".sources li",
        ".forms",
        ".map-places",
        ".byline",
        ".source",
        ".dateline",
        ".article-list h2",
        ".article-list p:not(.meta)",
        "dd",
        ".kind",
        "h3",
        ".entity-list a",
        ".co-mentions a",
        ".related a",
        ".authorities a",
        ".site-header li a",
        "nav.letters",
        ".letter h2",
        "figcaption",
        "title",
        "link[type=\"application/atom+xml\"]",
        ".downloads a",
        "script",
        "svg",
    ];
    let mut checked = 0;
    for page in site.pages().iter().filter(|p| p.path.ends_with(".html")) {
        let html = scraper::Html::parse_document(&page.html);
        let mut shown = String::new();
        let skip: Vec<scraper::ElementRef> = content_selectors
            .iter()
            .flat_map(|css| html.select(&scraper::Selector::parse(css).unwrap()).collect::<Vec<_>>())
            .collect();
        let skipped: std::collections::HashSet<_> = skip.iter().flat_map(|e| e.descendants().map(|n| n.id())).collect();
        for node in html.tree.nodes() {
            if skipped.contains(&node.id()) {
                continue;
            }
            if let Some(t) = node.value().as_text() {
                shown.push_str(t);
                shown.push(' ');
            }
            if let Some(element) = node.value().as_element() {
                for attr in ["aria-label", "title", "data-failed", "data-part-failed"] {
                    if let Some(value) = element.attr(attr) {
                        shown.push_str(value);
                        shown.push(' ');
                    }
                }
            }
        }
        for english in TEMPLATE_ENGLISH {
            assert!(!shown.contains(english), "{}: `{english}` is English the table did not give:\n{shown}", page.path);
        }
        checked += 1;
    }
    assert!(checked > 20, "the site's pages were checked");
}

#[test]
fn gloss_serve_takes_a_changed_strings_table_at_once() {
    let dir = site_in("de", &[]);
    let mut site = render(dir.path());
    let path = dir.path().join("content/strings/de.yaml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "in_this_article: Im Artikel\n").unwrap();
    site.update(dir.path(), &[path]).unwrap();
    let pages = Pages::of(&site);
    assert_eq!(first_text(&pages, "articles/departure.html", "#cast-heading"), "Im Artikel");
}
