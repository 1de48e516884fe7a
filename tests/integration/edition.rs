//! The shipped edition: the default site is complete, faithful and clean.

use crate::support::{default_site, render, text, Pages};

/// Words of a text with typographic quotes folded and editorial insertions
/// (`[…]`) dropped, for comparing the edition with its source.
fn words(text: &str) -> Vec<String> {
    text.replace(['“', '”'], "\"")
        .split_whitespace()
        .filter(|w| !(w.starts_with('[') && w.ends_with(']')))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_default_site_builds_without_errors_or_warnings() {
    let site = render(&default_site());
    let warnings: Vec<String> = site.warnings.0.iter().map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n\n"));
}

#[test]
fn the_article_text_matches_the_source_word_for_word() {
    let source = include_str!("../data/source-article.txt");
    let mut lines = source.lines();
    let dateline = lines.next().unwrap();
    let expected = words(&lines.collect::<Vec<_>>().join("\n"));

    let site = render(&default_site());
    let pages = Pages::of(&site);
    let path = "articles/all-aboard.html";
    let title = text(&pages.select(path, ".article-header h1")[0]);
    let body = reading_text(&pages.select(path, ".article-body")[0]);
    let edition = words(&format!("{title}\n{body}"));
    assert_eq!(edition, expected);

    let printed = text(&pages.select(path, ".dateline")[0]);
    assert_eq!(printed, dateline);
    let date = pages.select(path, ".article-header time")[0].value().attr("datetime");
    assert_eq!(date, Some("2002-08-20"));
}

/// The text a reader reads, without note markers and sidenotes.
fn reading_text(element: &scraper::ElementRef) -> String {
    let editorial = |node: &scraper::ElementRef| node.value().classes().any(|c| c == "note-ref" || c == "sidenote");
    let mut out = String::new();
    for node in element.descendants() {
        if let Some(text) = node.value().as_text() {
            let inside_note = node.ancestors().filter_map(scraper::ElementRef::wrap).any(|a| editorial(&a));
            if !inside_note {
                out.push_str(text);
            }
        }
    }
    out
}

#[test]
fn every_repair_carries_an_editorial_note() {
    let pages = Pages::of(&render(&default_site()));
    let notes: Vec<String> = pages.select("articles/all-aboard.html", ".footnotes li").iter().map(text).collect();
    let about: Vec<String> =
        pages.select("articles/all-aboard.html", ".editorial-notes .note").iter().map(text).collect();
    let all = format!("{} {}", notes.join(" "), about.join(" "));
    for repair in ["Far-Eastern", "visit would focus", "closing quotation mark", "1 January 2002", "Kim Yong Chung"] {
        assert!(all.contains(repair), "no note explains {repair:?}");
    }
}

#[test]
fn every_entity_is_mentioned_and_documented() {
    let site = render(&default_site());
    for (e, entity) in site.registry.entities.iter_enumerated() {
        assert!(!site.index.mentions_of[e].is_empty(), "{} is never mentioned", entity.id);
        assert!(entity.summary.is_some(), "{} has no summary", entity.id);
        let text = &site.sources.content.iter().find(|f| f.path == entity.path).unwrap().text;
        let words = entity.body(text).split_whitespace().count();
        assert!((80..=200).contains(&words), "{}: description has {words} words", entity.id);
        let kind = &site.registry.config.kinds[entity.kind].id;
        if kind == "place" {
            assert!(
                entity.facts.iter().any(|(_, f)| matches!(f.value, gloss::model::FactValue::Coordinates { .. })),
                "{} has no coordinates",
                entity.id
            );
        }
    }
}

#[test]
fn every_entity_links_to_wikipedia_and_wikidata_where_verified() {
    // No stored source confirmed these authority records yet; every other
    // entity must have both.
    const UNVERIFIED: &[&str] = &["kim-yong-sam", "konstantin-pulikovsky"];
    let site = render(&default_site());
    for entity in &site.registry.entities {
        if UNVERIFIED.contains(&entity.id.as_str()) {
            continue;
        }
        let has = |host: &str| entity.same_as.iter().any(|u| u.contains(host));
        assert!(has("wikidata.org/wiki/"), "{} has no Wikidata link", entity.id);
        assert!(has("en.wikipedia.org/wiki/"), "{} has no Wikipedia link", entity.id);
    }
}

#[test]
fn references_without_a_name_link_to_the_right_entity() {
    let pages = Pages::of(&render(&default_site()));
    let mentions: Vec<(String, String)> = pages
        .select("articles/all-aboard.html", "a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect();
    let expect = |surface: &str, entity: &str| {
        assert!(
            mentions.iter().any(|(t, e)| t == surface && e.split(' ').any(|id| id == entity)),
            "{surface:?} should link to {entity}; mentions: {mentions:?}"
        );
    };
    expect("The Dear Leader", "kim-jong-il");
    expect("the North Korean leader", "kim-jong-il");
    expect("The reclusive Kim", "kim-jong-il");
    expect("Russia’s Pacific far east", "russian-far-east");
    expect("Pacific Russia", "russian-far-east");
    expect("the Russian president", "vladimir-putin");
    expect("the North", "north-korea");
    expect("the peninsula", "korean-peninsula");
    expect("the two Koreas", "south-korea");
    expect("Moscow", "russia");
    expect("Kim Yong Chung", "kim-yong-chun");
    expect("Kim Yong Sam", "kim-yong-sam");
    expect("Kim", "kim-jong-il");
    assert!(!mentions.iter().any(|(t, e)| t.starts_with("Kim Yong") && e == "kim-jong-il"));
}

#[test]
fn the_article_map_follows_the_journey_and_every_place_has_a_locator() {
    let pages = Pages::of(&render(&default_site()));
    let stops: Vec<String> =
        pages.select("articles/all-aboard.html", ".route-map .map-places a").iter().map(text).collect();
    // The journey's stops first, in order, then every other place the
    // article names, each with a pin (those far off at the map's edge).
    assert_eq!(stops[..4], ["Pyongyang", "Khasan", "Komsomolsk-on-Amur", "Vladivostok"]);
    assert!(stops.iter().any(|s| s == "Moscow") && stops.iter().any(|s| s == "South Korea"), "{stops:?}");
    let pins: Vec<&str> = pages
        .select("articles/all-aboard.html", ".route-map svg a[class^=pin]")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(pins[0], "../places/pyongyang.html");
    assert_eq!(pins.len(), stops.len());
    let label = pages.select("articles/all-aboard.html", ".route-map svg")[0].value().attr("aria-label").unwrap();
    assert!(label.contains("1 Pyongyang") && label.contains("4 Vladivostok"), "{label}");
    for place in ["vladivostok", "khasan", "russia", "asia"] {
        let path = format!("places/{place}.html");
        let pin = pages.select(&path, ".locator-map svg a.pin");
        assert_eq!(pin.len(), 1, "{path}");
        assert_eq!(pin[0].value().attr("href"), Some(format!("{place}.html").as_str()));
    }
}

#[test]
fn every_fact_and_authority_link_names_a_source_that_is_listed() {
    let site = render(&default_site());
    for entity in &site.registry.entities {
        assert!(!entity.sources.is_empty(), "{} lists no sources", entity.id);
        assert_eq!(entity.cited.facts.len(), entity.facts.len());
        for ((i, _), cited) in entity.facts.iter().zip(&entity.cited.facts) {
            let key = &site.registry.config.kinds[entity.kind].facts[*i].key;
            assert!(!cited.is_empty(), "`{key}` of {} names no source", entity.id);
        }
        for (url, cited) in entity.same_as.iter().zip(&entity.cited.same_as) {
            assert!(!cited.is_empty(), "{url} of {} names no source", entity.id);
        }
        for source in &entity.sources {
            let url = source.url.as_deref().unwrap_or_else(|| panic!("{}: `{}` has no address", entity.id, source.id));
            assert!(url.starts_with("http"), "{}: {url}", entity.id);
        }
    }
    // Every paragraph and note of editorial prose cites one too: the site
    // denies the lint, so it builds only if so.
    let yaml = std::fs::read_to_string(default_site().join("content/site.yaml")).unwrap();
    assert!(yaml.contains("unsourced_fact: deny"));
    assert!(site.warnings.0.iter().all(|d| d.code != gloss::diagnostic::Code::Unsourced));
}

#[test]
fn the_exported_web_annotations_cover_every_mention_note_and_repair() {
    let site = render(&default_site());
    let page = site.pages().iter().find(|p| p.path == "articles/all-aboard.annotations.jsonld").expect("the export");
    let collection: serde_json::Value = serde_json::from_str(&page.html).unwrap();
    let items = collection["first"]["items"].as_array().unwrap();
    let pages = Pages::of(&site);
    let anchors: Vec<String> = pages
        .select("articles/all-aboard.html", ".article-body a.mention, .article-header a.mention")
        .iter()
        .map(|a| a.value().attr("id").unwrap().to_string())
        .collect();
    let exported: Vec<String> = items
        .iter()
        .filter(|a| a["motivation"] == "identifying")
        .map(|a| a["id"].as_str().unwrap().rsplit('#').next().unwrap().to_string())
        .collect();
    let mut sorted_anchors = anchors.clone();
    sorted_anchors.sort();
    let mut sorted_exported = exported.clone();
    sorted_exported.sort();
    assert_eq!(sorted_exported, sorted_anchors, "one annotation per mention, no more");
    let notes = pages.select("articles/all-aboard.html", ".footnotes li").len();
    assert!(items.iter().filter(|a| a["motivation"] == "commenting").count() >= notes);
    assert_eq!(collection["total"], items.len());
}
