//! The W3C Web Annotation export (`articles/<slug>.annotations.jsonld`):
//! read back as a consumer would, checked against the Web Annotation Data
//! Model's requirements, and against the article it annotates.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::{default_site, fixture, render};

/// The model's motivations, which are also the purposes a body may have.
const MOTIVATIONS: &[&str] = &[
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
];

/// The export of article `slug`, parsed.
fn export(site: &gloss::Site, slug: &str) -> Value {
    let path = format!("articles/{slug}.annotations.jsonld");
    let page = site.pages.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path}"));
    serde_json::from_str(&page.html).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The plain text the selectors count over: the article's blocks (title
/// first) joined by a blank line, as code points.
fn plain_text(site: &gloss::Site, slug: &str) -> Vec<char> {
    let (a, _) = site.registry.articles.iter_enumerated().find(|(_, d)| d.slug == slug).unwrap();
    site.articles[a].blocks.join("\n\n").chars().collect()
}

fn text(chars: &[char], range: std::ops::Range<usize>) -> String {
    chars[range].iter().collect()
}

/// A value given once or as a list, as a list.
fn each(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        value => vec![value],
    }
}

/// Every annotation of the export, checked against the model's MUSTs and
/// against the text; returns them by id.
fn checked_annotations<'v>(collection: &'v Value, plain: &[char], article_url: &str) -> BTreeMap<&'v str, &'v Value> {
    // The collection (5.1): context, one IRI, its type, a label, a total.
    assert_eq!(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert!(collection["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(collection["type"], "AnnotationCollection");
    assert!(collection["label"].is_string(), "a label, and a string");
    let total = collection["total"].as_u64().expect("total is a non-negative integer") as usize;
    if total == 0 {
        assert!(collection.get("first").is_none(), "a page holds at least one annotation");
        return BTreeMap::new();
    }
    // The embedded first page (5.2): no context of its own, one IRI, its
    // type, one or more items.
    let page = &collection["first"];
    assert!(page.get("@context").is_none(), "an embedded page has no @context");
    assert!(page["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(page["type"], "AnnotationPage");
    assert_eq!(page["startIndex"], 0);
    assert_eq!(collection["last"], page["id"], "one page: the first is the last");
    let items = page["items"].as_array().expect("items is a list");
    assert_eq!(items.len(), total, "total counts the items");
    let mut by_id = BTreeMap::new();
    let mut last_start = 0;
    for item in items {
        // An annotation (3.1): the context is the collection's; one IRI;
        // its type; one or more targets; a motivation from the model.
        let id = item["id"].as_str().expect("an annotation has an IRI");
        assert!(by_id.insert(id, item).is_none(), "{id} is given twice");
        assert_eq!(item["type"], "Annotation", "{id}");
        assert!(item.get("@context").is_none() || item["@context"] == collection["@context"]);
        let motivation = item["motivation"].as_str().unwrap();
        assert!(MOTIVATIONS.contains(&motivation), "{id}: motivation {motivation}");
        // Bodies: each typed, with a purpose from the model; a specific
        // resource has exactly one source, a textual body a value.
        for body in each(&item["body"]) {
            for purpose in each(&body["purpose"]) {
                assert!(MOTIVATIONS.contains(&purpose.as_str().unwrap()), "{id}: purpose {purpose}");
            }
            match body["type"].as_str().unwrap() {
                "SpecificResource" => assert!(body["source"].as_str().is_some_and(|s| !s.is_empty()), "{id}"),
                "TextualBody" => assert!(body["value"].is_string(), "{id}"),
                other => panic!("{id}: body of type {other}"),
            }
        }
        let targets = each(&item["target"]);
        assert!(!targets.is_empty(), "{id} has a target");
        for target in targets {
            assert_eq!(target["type"], "SpecificResource");
            assert_eq!(target["source"], article_url, "{id}");
            let selectors = each(&target["selector"]);
            let quote = selectors.iter().find(|s| s["type"] == "TextQuoteSelector").expect("a quote");
            let position = selectors.iter().find(|s| s["type"] == "TextPositionSelector").expect("a position");
            // Exactly one exact; at most one prefix and suffix (JSON keys
            // are single); start and end non-negative integers.
            let exact = quote["exact"].as_str().expect("exact is a string");
            assert!(!exact.is_empty());
            let start = position["start"].as_u64().expect("start") as usize;
            let end = position["end"].as_u64().expect("end") as usize;
            assert!(start <= end && end <= plain.len(), "{id}: {start}..{end}");
            // Both selectors select the same text, counted in code points.
            assert_eq!(text(plain, start..end), exact, "{id}");
            let prefix = quote["prefix"].as_str().unwrap_or("");
            let suffix = quote["suffix"].as_str().unwrap_or("");
            assert_eq!(text(plain, start.saturating_sub(32)..start), prefix, "{id}: the 32 code points before");
            assert_eq!(text(plain, end..(end + 32).min(plain.len())), suffix, "{id}: the 32 code points after");
            assert!(start >= last_start, "{id}: in text order");
            last_start = start;
        }
    }
    by_id
}

#[test]
fn the_default_article_is_exported_as_web_annotations_one_per_mention() {
    let site = render(&default_site());
    let collection = export(&site, "all-aboard");
    let plain = plain_text(&site, "all-aboard");
    let annotations = checked_annotations(&collection, &plain, "all-aboard.html");
    assert_eq!(collection["id"], "all-aboard.annotations.jsonld", "relative to the file without base_url");
    let (a, _) = site.registry.articles.iter_enumerated().find(|(_, d)| d.slug == "all-aboard").unwrap();
    let article = &site.articles[a];
    assert!(article.mentions.len() > 40);
    for mention in &article.mentions {
        let id = format!("all-aboard.annotations.jsonld#{}", mention.anchor(&site.registry));
        let annotation = annotations.get(id.as_str()).unwrap_or_else(|| panic!("no annotation {id}"));
        assert_eq!(annotation["motivation"], "identifying");
        let bodies = each(&annotation["body"]);
        // The entity's page first, identifying it; Wikidata identifies,
        // Wikipedia is linked.
        let entity = &site.registry.entities[mention.entities[0]];
        let folder = &site.registry.config.kinds[entity.kind].folder;
        assert_eq!(bodies[0]["source"], format!("../{folder}/{}.html", entity.id));
        assert_eq!(bodies[0]["purpose"], "identifying");
        for body in &bodies[1..] {
            let source = body["source"].as_str().unwrap();
            // A mention of several entities has each one's page too.
            let identity = source.starts_with("../") || source.starts_with("http://www.wikidata.org/entity/Q");
            let expected = if identity { "identifying" } else { "linking" };
            assert_eq!(body["purpose"], expected, "{id}: {source}");
        }
        let quote = &each(&annotation["target"])[0]["selector"][0];
        assert_eq!(quote["exact"], article.mention_text(mention), "{id}");
    }
    let mentions = annotations.values().filter(|a| a["motivation"] == "identifying").count();
    assert_eq!(mentions, article.mentions.len(), "exactly one annotation per mention");
    // Kim Jong-il's Wikidata item, in the form Wikidata mints for the thing.
    let kim = annotations["all-aboard.annotations.jsonld#m-kim-jong-il-1"];
    let sources: Vec<&str> = each(&kim["body"]).iter().map(|b| b["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        [
            "../people/kim-jong-il.html",
            "http://www.wikidata.org/entity/Q10665",
            "https://en.wikipedia.org/wiki/Kim_Jong_Il"
        ]
    );
}

#[test]
fn positions_count_code_points_in_text_with_accents_and_curly_quotes() {
    let site = render(&fixture("editors-copy"));
    let slug = "twenty-years-on";
    let collection = export(&site, slug);
    let plain = plain_text(&site, slug);
    let annotations = checked_annotations(&collection, &plain, &format!("{slug}.html"));
    let walesa: Vec<&&Value> = annotations
        .values()
        .filter(|a| each(&a["target"])[0]["selector"][0]["exact"].as_str().is_some_and(|e| e.contains("Wałęsa")))
        .collect();
    assert!(!walesa.is_empty(), "the fixture mentions Lech Wałęsa");
    // Past the first non-ASCII letter, code points and bytes differ: the
    // position is in code points.
    let position = &each(&walesa[walesa.len() - 1]["target"])[0]["selector"][1];
    let start = position["start"].as_u64().unwrap() as usize;
    let text: String = plain.iter().collect();
    let bytes = text.char_indices().nth(start).unwrap().0;
    assert!(bytes > start, "the quote comes after multi-byte characters");
}

#[test]
fn with_a_base_url_every_iri_is_absolute() {
    let options = gloss::SiteOptions { base_url: Some("https://example.org/kim".into()), ..Default::default() };
    let site = gloss::render_site_with(&default_site(), &options).unwrap();
    let collection = export(&site, "all-aboard");
    let plain = plain_text(&site, "all-aboard");
    let article = "https://example.org/kim/articles/all-aboard.html";
    let annotations = checked_annotations(&collection, &plain, article);
    assert_eq!(collection["id"], "https://example.org/kim/articles/all-aboard.annotations.jsonld");
    for (id, annotation) in annotations {
        assert!(id.starts_with("https://example.org/kim/articles/all-aboard.annotations.jsonld#m-"), "{id}");
        for body in each(&annotation["body"]) {
            assert!(body["source"].as_str().unwrap().starts_with("http"), "{id}: {body}");
        }
    }
}

#[test]
fn the_article_page_links_its_annotations_in_its_head() {
    let site = render(&default_site());
    let page = site.pages.iter().find(|p| p.path == "articles/all-aboard.html").unwrap();
    let html = scraper::Html::parse_document(&page.html);
    let selector = scraper::Selector::parse("head link[rel=alternate][type^='application/ld+json']").unwrap();
    let link = html.select(&selector).next().expect("a link to the annotations");
    assert_eq!(link.value().attr("type"), Some("application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\""));
    let href = link.value().attr("href").unwrap();
    let target = Path::new("articles").join(href);
    assert!(site.pages.iter().any(|p| Path::new(&p.path) == target), "{href} is written");
}

#[test]
fn an_article_without_mentions_has_an_empty_collection() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/articles")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: Empty\nlanguage: en\n").unwrap();
    std::fs::write(root.join("content/articles/nobody.md"), "---\ntitle: Nobody\n---\nNo one is named here.\n")
        .unwrap();
    let site = render(root);
    let collection = export(&site, "nobody");
    assert_eq!(collection["total"], 0);
    checked_annotations(&collection, &plain_text(&site, "nobody"), "nobody.html");
}
