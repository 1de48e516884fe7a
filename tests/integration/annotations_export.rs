//! The W3C Web Annotation export (`articles/<slug>.annotations.jsonld`):
//! read back as a consumer would, checked against the Web Annotation Data
//! Model's requirements, and against the article it annotates. Then the
//! other way: `gloss import annotations` of exports as Recogito and
//! Hypothesis write them, and a round trip through gloss's own export.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gloss::model::AnnotationBody;
use serde_json::Value;

use crate::support::{copy_dir, default_site, fixture, render};

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
    let page = site.pages().iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path}"));
    assert!(!page.html.contains(['<', '>', '&']), "{path}: markup in notes is escaped");
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
        let id = format!("#{}", mention.anchor(&site.registry));
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
    // Kim Jong-il's page, then his authority links as the edition gives
    // them (the Wikidata item by the title of the article that backs it).
    // Its id, a fragment, is the file's IRI and the fragment wherever the
    // file is read from.
    let kim = annotations["#m-kim-jong-il-1"];
    let read_from = url::Url::parse("file:///media/usb/site/articles/all-aboard.annotations.jsonld").unwrap();
    assert_eq!(
        read_from.join(kim["id"].as_str().unwrap()).unwrap().as_str(),
        "file:///media/usb/site/articles/all-aboard.annotations.jsonld#m-kim-jong-il-1"
    );
    let sources: Vec<&str> = each(&kim["body"]).iter().map(|b| b["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        [
            "../people/kim-jong-il.html",
            "https://www.wikidata.org/wiki/Special:ItemByTitle/enwiki/Kim_Jong_Il",
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
        assert!(id.starts_with("https://example.org/kim/articles/all-aboard.annotations.jsonld#"), "{id}");
        for body in each(&annotation["body"]).into_iter().filter(|b| b["type"] == "SpecificResource") {
            assert!(body["source"].as_str().unwrap().starts_with("http"), "{id}: {body}");
        }
    }
}

#[test]
fn footnotes_stand_off_notes_and_corrections_are_annotations_too() {
    let site = render(&fixture("apparatus"));
    let slug = "strike";
    let collection = export(&site, slug);
    let plain = plain_text(&site, slug);
    let annotations = checked_annotations(&collection, &plain, &format!("{slug}.html"));
    let (a, _) = site.registry.articles.iter_enumerated().find(|(_, d)| d.slug == slug).unwrap();
    let article = &site.articles[a];
    assert!(!article.corrections.is_empty() && !article.note_anchors.is_empty(), "the fixture has both");
    let by_motivation = |m: &str| annotations.values().filter(|a| a["motivation"] == m).copied().collect::<Vec<_>>();
    // Each correction: the repair as an editing body, its note beside it,
    // the printed words as the quote.
    let corrections = by_motivation("editing");
    assert_eq!(corrections.len(), article.corrections.len());
    for (annotation, correction) in corrections.iter().zip(&article.corrections) {
        let bodies = each(&annotation["body"]);
        assert_eq!(bodies[0]["type"], "TextualBody");
        assert_eq!(bodies[0]["purpose"], "editing");
        assert_eq!(bodies[0]["value"], correction.should_read.as_str());
        assert_eq!(each(&annotation["target"])[0]["selector"][0]["exact"], correction.reads.as_str());
    }
    let walesa = corrections.iter().find(|c| each(&c["body"])[0]["value"] == "Wałęsa").expect("Walesa repaired");
    let note = each(&walesa["body"])[1];
    assert_eq!(note["purpose"], "commenting");
    assert_eq!(note["format"], "text/html");
    assert!(note["value"].as_str().unwrap().contains("drops the Polish letters"), "{note}");
    // Every other note reference: one commenting annotation, its note's
    // text as HTML, on the words it is attached to.
    let notes = by_motivation("commenting");
    let of_corrections = article
        .note_anchors
        .iter()
        .filter(|n| article.corrections.iter().any(|c| c.block == n.block && c.range == n.range))
        .count();
    assert_eq!(notes.len() + of_corrections, article.note_anchors.len());
    let solution = notes
        .iter()
        .find(|n| each(&n["target"])[0]["selector"][0]["exact"] == "“a solution”")
        .expect("the note on a quote split over two lines in the file");
    assert!(each(&solution["body"])[0]["value"].as_str().unwrap().contains("closing quotation mark"));
    for annotation in notes.iter().chain(&corrections) {
        for body in each(&annotation["body"]) {
            assert_eq!(body["language"], "en", "the site's language");
        }
    }
}

#[test]
fn a_footnote_is_attached_to_the_word_its_number_follows() {
    let site = render(&fixture("two-articles"));
    let collection = export(&site, "departure");
    let plain = plain_text(&site, "departure");
    // The fixture has a base_url: every IRI is absolute.
    let file = "https://example.org/editions/kim/articles/departure";
    let annotations = checked_annotations(&collection, &plain, &format!("{file}.html"));
    let note = annotations[format!("{file}.annotations.jsonld#note-note").as_str()];
    assert_eq!(note["motivation"], "commenting");
    assert_eq!(each(&note["target"])[0]["selector"][0]["exact"], "explicitly.");
    assert!(each(&note["body"])[0]["value"].as_str().unwrap().contains("A footnote that names Kim"));
}

#[test]
fn the_article_page_links_its_annotations_in_its_head() {
    let site = render(&default_site());
    let page = site.pages().iter().find(|p| p.path == "articles/all-aboard.html").unwrap();
    let html = scraper::Html::parse_document(&page.html);
    let selector = scraper::Selector::parse("head link[rel=alternate][type^='application/ld+json']").unwrap();
    let link = html.select(&selector).next().expect("a link to the annotations");
    assert_eq!(link.value().attr("type"), Some("application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\""));
    let href = link.value().attr("href").unwrap();
    let target = Path::new("articles").join(href);
    assert!(site.pages().iter().any(|p| Path::new(&p.path) == target), "{href} is written");
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

// Import.

/// A sample export under `tests/fixtures/web-annotations/`.
fn sample(name: &str) -> PathBuf {
    fixture("web-annotations").join(name)
}

/// A copy of fixture `name` to import into.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

fn import(root: &Path, file: &Path, article: &str) -> Result<gloss::ImportReport, gloss::diagnostic::Diagnostics> {
    gloss::import_annotations(&gloss::ImportOptions {
        root: root.into(),
        file: file.into(),
        article: article.into(),
        kind: None,
    })
}

/// The annotations file of an article, parsed as the build parses it:
/// `(quote, prefix, suffix, occurrence, body)` of each.
type Item = (String, Option<String>, Option<String>, Option<usize>, AnnotationBody);

fn annotations_file(root: &Path, slug: &str) -> Vec<Item> {
    let relative = PathBuf::from(format!("content/articles/{slug}.annotations.yaml"));
    let text = fs::read_to_string(root.join(&relative)).unwrap();
    let list = gloss::standoff::parse_file(&relative, &text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    list.into_iter()
        .map(|a| {
            let body = match a.body {
                // Spans say where ids are written: not what they say.
                AnnotationBody::Mention(ids) => AnnotationBody::Mention(
                    ids.into_iter().map(|id| gloss::model::Spanned { value: id.value, span: 0..0 }).collect(),
                ),
                body => body,
            };
            (a.quote, a.prefix, a.suffix, a.occurrence, body)
        })
        .collect()
}

fn mention_of(item: &Item) -> Option<Vec<&str>> {
    match &item.4 {
        AnnotationBody::Mention(ids) => Some(ids.iter().map(|id| id.value.as_str()).collect()),
        _ => None,
    }
}

fn note_of(item: &Item) -> Option<&str> {
    match &item.4 {
        AnnotationBody::Note(note) => Some(note),
        _ => None,
    }
}

/// Article `slug` of a site, annotated.
fn article<'s>(site: &'s gloss::Site, slug: &str) -> &'s gloss::annotate::AnnotatedArticle {
    let (a, _) = site.registry.articles.iter_enumerated().find(|(_, d)| d.slug == slug).unwrap();
    &site.articles[a]
}

/// The text of block `block` before and at `range`.
fn around(article: &gloss::annotate::AnnotatedArticle, block: usize, range: std::ops::Range<usize>) -> (&str, &str) {
    let text = &article.blocks[block];
    (&text[..range.start], &text[range])
}

#[test]
fn a_recogito_export_becomes_mentions_notes_and_new_places() {
    let dir = copy_of("editors-copy");
    let root = dir.path();
    let slug = "twenty-years-on";
    let report = import(root, &sample("recogito.jsonld"), slug).unwrap();
    assert_eq!(report.read, 6);
    assert_eq!(report.file, Path::new("content/articles/twenty-years-on.annotations.yaml"));
    // The quote not in the text is reported with its id.
    assert_eq!(report.not_found.len(), 1, "{report:?}");
    assert_eq!(report.not_found[0].quote, "Checkpoint Charlie");
    assert_eq!(
        report.not_found[0].id.as_deref(),
        Some("https://recogito.pelagios.org/annotation/e4d3c2b1-a098-4f7e-86d5-c4b3a2918070")
    );
    // A tag alone says nothing gloss keeps.
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(report.skipped[0].id.as_deref().unwrap().ends_with("77c0e4d1-2a3b-4c5d-8e9f-0a1b2c3d4e5f"));
    // GeoNames links nobody has: new places, named from the quote.
    assert_eq!(report.created, [PathBuf::from("content/places/poland.md"), PathBuf::from("content/places/hungary.md")]);
    let poland = fs::read_to_string(root.join("content/places/poland.md")).unwrap();
    assert!(poland.contains("name: Poland\n"), "{poland}");
    assert!(poland.contains("same_as:\n  - https://www.geonames.org/798544/\n"), "{poland}");
    // “Gorbi” is already Gorbachev's: his Wikidata link is suggested, and
    // no second Gorbachev is made.
    assert_eq!(report.suggestions.len(), 1, "{report:?}");
    assert!(report.suggestions[0].contains("Mikhail Gorbachev"), "{}", report.suggestions[0]);
    assert!(report.suggestions[0].contains("https://www.wikidata.org/wiki/Q30487"), "{}", report.suggestions[0]);
    assert_eq!(report.present, 1, "the mention of Gorbi is there already");
    assert_eq!((report.mentions, report.notes, report.corrections), (2, 1, 0));

    let items = annotations_file(root, slug);
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].0, "Poland");
    assert_eq!(mention_of(&items[0]), Some(vec!["poland"]));
    assert_eq!(mention_of(&items[1]), Some(vec!["hungary"]));
    // “Brandenburg Gate” is in the text three times (once with a tab):
    // the note says which, in as few words as tell them apart.
    let gate = &items[2];
    assert_eq!(gate.0, "Brandenburg Gate");
    assert!(gate.1.is_some() || gate.2.is_some() || gate.3.is_some(), "{gate:?}");
    assert!(note_of(gate).unwrap().starts_with("Reagan had called on Gorbachev to “tear down this wall”"));

    // The site builds with them, the note on the second “Brandenburg Gate”.
    let site = render(root);
    let built = article(&site, slug);
    let gates: Vec<(usize, std::ops::Range<usize>)> = built
        .mentions
        .iter()
        .filter(|m| site.registry.entities[m.entities[0]].id == "brandenburg-gate")
        .map(|m| (m.block, m.range.clone()))
        .collect();
    assert_eq!(gates.len(), 3);
    let note = built.note_anchors.iter().find(|n| built.footnotes[n.note].html.contains("Reagan")).unwrap();
    assert_eq!((note.block, note.range.clone()), gates[1]);
    for place in ["poland", "hungary"] {
        let e = site.registry.lookup(place).unwrap();
        assert!(built.mentions.iter().any(|m| m.entities == [e]), "{place} is mentioned");
    }
}

#[test]
fn a_hypothesis_export_becomes_notes_and_a_tagged_place() {
    let dir = copy_of("editors-copy");
    let root = dir.path();
    let slug = "twenty-years-on";
    let report = import(root, &sample("hypothesis.jsonld"), slug).unwrap();
    assert_eq!(report.read, 6);
    let missing: Vec<(&str, &str)> =
        report.not_found.iter().map(|n| (n.id.as_deref().unwrap(), n.quote.as_str())).collect();
    assert_eq!(missing, [("https://hypothes.is/a/Wx8mB1caEe-7dZ3uHs5oFw", "the Wall came down")]);
    // A page note and a reply select no text.
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.id.as_deref().unwrap()).collect();
    assert_eq!(
        skipped,
        ["https://hypothes.is/a/Pg4nT7zaEe-2cY6vNr3qKw", "https://hypothes.is/a/Rp2vC5dbEe-3fA8wJt6gHx"]
    );
    // Tagged `place`, linked by a Wikidata tag: a new place.
    assert_eq!(report.created, [PathBuf::from("content/places/hungary.md")]);
    let hungary = fs::read_to_string(root.join("content/places/hungary.md")).unwrap();
    assert!(hungary.contains("same_as:\n  - https://www.wikidata.org/wiki/Q28\n"), "{hungary}");
    assert_eq!((report.mentions, report.notes), (1, 2));

    let items = annotations_file(root, slug);
    let notes: Vec<&str> = items.iter().filter_map(note_of).collect();
    assert_eq!(
        notes,
        [
            "She had studied physics in Leipzig and worked in *East Berlin* until 1990.",
            "Wowereit was quoting the Leipzig marchers of October 1989."
        ]
    );
    // “Merkel” is in the text five times: this is the one after “crowd.”,
    // which its prefix says and its (page-wide) position does not.
    let site = render(root);
    let built = article(&site, slug);
    let merkel = built.note_anchors.iter().find(|n| built.footnotes[n.note].html.contains("Leipzig and")).unwrap();
    let (before, quoted) = around(built, merkel.block, merkel.range.clone());
    assert_eq!(quoted, "Merkel");
    assert!(before.ends_with("told the crowd. "), "{before}");
    let fear = built.note_anchors.iter().find(|n| built.footnotes[n.note].html.contains("marchers")).unwrap();
    assert_eq!(around(built, fear.block, fear.range.clone()).1, "“lost their fear”");
}

#[test]
fn importing_again_adds_nothing_and_keeps_the_file_as_it_is() {
    let dir = copy_of("editors-copy");
    let root = dir.path();
    let slug = "twenty-years-on";
    let file = root.join("content/articles/twenty-years-on.annotations.yaml");
    fs::write(&file, "# Annotations made in Recogito and Hypothesis.\n").unwrap();
    import(root, &sample("recogito.jsonld"), slug).unwrap();
    let first = fs::read_to_string(&file).unwrap();
    assert!(first.starts_with("# Annotations made in Recogito and Hypothesis.\n- quote: Poland\n"), "{first}");
    let again = import(root, &sample("recogito.jsonld"), slug).unwrap();
    assert_eq!((again.mentions, again.notes, again.created.len()), (0, 0, 0), "{again:?}");
    assert_eq!(again.present, 4, "Poland, Hungary, Gorbi and the note");
    assert_eq!(fs::read_to_string(&file).unwrap(), first);
    // Hypothesis's Hungary is the place Recogito made: its Wikidata link
    // is suggested for it, no second Hungary is made.
    let report = import(root, &sample("hypothesis.jsonld"), slug).unwrap();
    assert!(report.created.is_empty(), "{report:?}");
    assert!(report.suggestions.iter().any(|s| s.contains("Hungary") && s.contains("Q28")), "{report:?}");
    let after = fs::read_to_string(&file).unwrap();
    assert!(after.starts_with(&first), "appended, never rewritten");
    render(root);
}

#[test]
fn nothing_is_written_when_the_export_or_the_annotations_file_does_not_parse() {
    let dir = copy_of("editors-copy");
    let root = dir.path();
    let broken = root.join("broken.jsonld");
    fs::write(&broken, "[\n  {\"type\": \"Annotation\",\n   \"target\": }\n]\n").unwrap();
    let errors = import(root, &broken, "twenty-years-on").unwrap_err();
    let location = errors.0[0].location.as_ref().expect("where");
    assert_eq!((location.path.as_path(), location.line, location.column), (broken.as_path(), 3, 14));
    assert!(!root.join("content/articles/twenty-years-on.annotations.yaml").exists());
    // An annotations file with a mistake is not appended to.
    let file = root.join("content/articles/twenty-years-on.annotations.yaml");
    fs::write(&file, "- quote: Poland\n  entty: poland\n").unwrap();
    let errors = import(root, &sample("recogito.jsonld"), "twenty-years-on").unwrap_err();
    let places: Vec<(usize, usize)> =
        errors.0.iter().filter_map(|e| e.location.as_ref()).map(|l| (l.line, l.column)).collect();
    assert!(places.contains(&(2, 3)), "the misspelt field, at its line and column: {errors:?}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "- quote: Poland\n  entty: poland\n");
    assert!(!root.join("content/places/poland.md").exists(), "no entity made either");
}

#[test]
fn new_entities_are_people_unless_the_annotation_or_kind_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::write(root.join("content/site.yaml"), "title: Pioneers\nlanguage: en\n").unwrap();
    fs::write(
        root.join("content/articles/engine.md"),
        "---\ntitle: The engine\n---\nAda Lovelace wrote about the Analytical Engine.\n",
    )
    .unwrap();
    let export = root.join("export.jsonld");
    let annotation = |exact: &str, link: &str| {
        format!(
            r#"{{"type": "Annotation", "body": {{"type": "SpecificResource", "purpose": "identifying", "source": "{link}"}},
               "target": {{"source": "x", "selector": {{"type": "TextQuoteSelector", "exact": "{exact}"}}}}}}"#
        )
    };
    fs::write(&export, annotation("Ada Lovelace", "https://www.wikidata.org/wiki/Q7259")).unwrap();
    let report = import(root, &export, "engine").unwrap();
    assert_eq!(report.created, [PathBuf::from("content/people/ada-lovelace.md")]);
    fs::write(&export, annotation("Analytical Engine", "https://en.wikipedia.org/wiki/Analytical_engine")).unwrap();
    let options = gloss::ImportOptions {
        root: root.into(),
        file: export.clone(),
        article: "engine".into(),
        kind: Some("organisation".into()),
    };
    let report = gloss::import_annotations(&options).unwrap();
    assert_eq!(report.created, [PathBuf::from("content/organisations/analytical-engine.md")]);
    let site = render(root);
    assert_eq!(article(&site, "engine").mentions.len(), 2);
}

#[test]
fn the_command_reports_quotes_not_found_and_sums_up() {
    let dir = copy_of("editors-copy");
    let root = dir.path();
    let run = |article: &str| {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["import", "annotations"])
            .arg(sample("hypothesis.jsonld"))
            .args(["--article", article, "--root"])
            .arg(root)
            .output()
            .unwrap()
    };
    let output = run("twenty-years-on");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "https://hypothes.is/a/Wx8mB1caEe-7dZ3uHs5oFw: the quote “the Wall came down” is not in the text"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("Read 6 annotations from the export: wrote 1 mention, 2 notes"), "{stderr}");
    let output = run("twenty-years-off");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `twenty-years-on`?"));
}

/// Article `slug` of the site at `root`, with its annotations file, built;
/// its export read back into a copy without the file: the same annotated
/// article.
fn round_trip(root: &Path, slug: &str) {
    let original = render(root);
    let export = original.pages().iter().find(|p| p.path == format!("articles/{slug}.annotations.jsonld")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy_root = dir.path();
    // The site's own folders only (the repository root holds much else).
    for folder in ["content", "static", "templates"] {
        if root.join(folder).is_dir() {
            copy_dir(&root.join(folder), &copy_root.join(folder));
        }
    }
    let file = copy_root.join(format!("content/articles/{slug}.annotations.yaml"));
    if file.exists() {
        fs::remove_file(&file).unwrap();
    }
    let exported = copy_root.join("export.jsonld");
    fs::write(&exported, &export.html).unwrap();
    let report = import(copy_root, &exported, slug).unwrap();
    assert!(report.not_found.is_empty() && report.created.is_empty() && report.skipped.is_empty(), "{report:?}");
    let copy = render(copy_root);
    let (before, after) = (article(&original, slug), article(&copy, slug));
    assert_eq!(after.blocks, before.blocks);
    assert_eq!(after.mentions, before.mentions);
    assert_eq!(after.corrections, before.corrections);
    // Notes by where they are and what they say (stand-off notes are
    // numbered in the order the file lists them).
    let notes = |a: &gloss::annotate::AnnotatedArticle| {
        let mut notes: Vec<(usize, usize, usize, String)> = a
            .note_anchors
            .iter()
            .map(|n| (n.block, n.range.start, n.range.end, a.footnotes[n.note].html.clone()))
            .collect();
        notes.sort();
        notes
    };
    assert_eq!(notes(after), notes(before));
    // Importing the export again adds nothing.
    let again = import(copy_root, &exported, slug).unwrap();
    assert_eq!((again.mentions, again.notes, again.corrections), (0, 0, 0), "{again:?}");
}

#[test]
fn annotations_round_trip_through_the_export() {
    // Mentions, notes (one citing a source), a correction with its note
    // and mention, a quote over two lines, an occurrence, front matter
    // annotations beside the file's.
    round_trip(&fixture("apparatus"), "strike");
    round_trip(&default_site(), "all-aboard");
}

#[test]
fn a_note_linking_an_entity_comes_back_as_a_glossary_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::create_dir_all(root.join("content/people")).unwrap();
    fs::write(root.join("content/site.yaml"), "title: Pioneers\nlanguage: en\n").unwrap();
    fs::write(root.join("content/people/ada-lovelace.md"), "---\nname: Ada Lovelace\n---\nA mathematician.\n").unwrap();
    fs::write(
        root.join("content/articles/engine.md"),
        "---\ntitle: The engine\n---\nAda Lovelace wrote about the Analytical Engine.\n",
    )
    .unwrap();
    let file = root.join("content/articles/engine.annotations.yaml");
    fs::write(&file, "- quote: Analytical Engine\n  note: \"Designed by Babbage; [Lovelace](@ada-lovelace) wrote its first program.\"\n")
        .unwrap();
    let site = render(root);
    let export = site.pages().iter().find(|p| p.path == "articles/engine.annotations.jsonld").unwrap();
    fs::remove_file(&file).unwrap();
    let exported = root.join("export.jsonld");
    fs::write(&exported, &export.html).unwrap();
    let report = import(root, &exported, "engine").unwrap();
    assert_eq!((report.notes, report.present), (1, 1), "{report:?}");
    let items = annotations_file(root, "engine");
    assert_eq!(note_of(&items[0]), Some("Designed by Babbage; [Lovelace](@ada-lovelace) wrote its first program."));
}
