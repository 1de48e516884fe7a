//! What the reader's pages show beyond the text: the mention strip's
//! ticks, the article's meta line, the key to the mentions' colours, and
//! the co-mention network's extent.

use std::fs;

use crate::support::{default_site, fixture_with, render, text, Pages};

/// Where a tick falls (`--at`, in percent of the strip from the start of
/// the text's direction), from its `style`.
fn at(style: &str) -> f64 {
    let at = style.strip_prefix("--at:").expect("a tick is placed by --at");
    at.strip_suffix('%').expect("in percent").parse().unwrap()
}

/// Checks the strips of an entity page: a picture the keyboard and
/// assistive technology skip for the list of mentions below it, with one
/// tick per mention of the list, in its order, each where the mention falls
/// in the text. (gloss.js cuts it into parts that link to the list's
/// mentions; see tests/browser/strip.test.mjs.) Returns the ticks.
fn check_strips(pages: &Pages, path: &str) -> Vec<Vec<f64>> {
    let html = pages.get(path);
    let strips = scraper::Selector::parse(".strip").unwrap();
    let ticks = scraper::Selector::parse("i").unwrap();
    let lists = scraper::Selector::parse("ol.mention-list").unwrap();
    let items = scraper::Selector::parse("li > a").unwrap();
    let mut all = Vec::new();
    for (strip, list) in html.select(&strips).zip(html.select(&lists)) {
        assert_eq!(strip.value().attr("aria-hidden"), Some("true"), "{path}: the list speaks for the strip");
        assert_eq!(strip.select(&scraper::Selector::parse("a").unwrap()).count(), 0, "{path}: no links to repeat");
        let positions: Vec<f64> = strip.select(&ticks).map(|t| at(t.value().attr("style").unwrap())).collect();
        assert_eq!(positions.len(), list.select(&items).count(), "{path}: a tick per mention");
        assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{path}: ticks in the order of the text: {positions:?}");
        assert!(positions.iter().all(|p| (0.0..=100.0).contains(p)), "{path}: {positions:?}");
        all.push(positions);
    }
    all
}

#[test]
fn the_mention_strip_has_a_tick_per_mention_where_it_falls() {
    let pages = Pages::of(&render(&default_site()));
    let strips = check_strips(&pages, "people/kim-jong-il.html");
    // Kim's first three mentions are close together, near the start of the
    // article: all three in its first twelfth, which gloss.js makes one
    // target.
    assert!(strips[0][..3].iter().all(|&p| p < 100.0 / 12.0), "{strips:?}");
    for path in pages.pages.keys().filter(|p| p.starts_with("people/") || p.starts_with("places/")) {
        if !path.ends_with("index.html") {
            check_strips(&pages, path);
        }
    }
}

#[test]
fn an_entity_mentioned_a_hundred_times_in_one_article_has_a_hundred_ticks_across_the_strip() {
    let dir = fixture_with("editors-copy", "");
    let text: String = (1..=100).map(|i| format!("Merkel spoke, {i}.\n\n")).collect();
    fs::write(dir.path().join("content/articles/crowded.md"), format!("---\ntitle: Crowded\n---\n{text}")).unwrap();
    let pages = Pages::of(&render(dir.path()));
    let strips = check_strips(&pages, "people/angela-merkel.html");
    let crowded = strips.iter().find(|s| s.len() == 100).expect("the crowded article's strip has a hundred ticks");
    // Spread over the whole text, so over all twelve parts.
    assert!(crowded[0] < 5.0 && crowded[99] > 95.0, "{crowded:?}");
}

#[test]
fn the_meta_line_labels_the_printed_dateline_and_gives_the_date_once() {
    let pages = Pages::of(&render(&default_site()));
    let meta = text(&pages.select("articles/all-aboard.html", ".meta")[0]);
    assert!(meta.contains("Dateline as printed: / 1 January 2002"), "{meta}");
    assert!(meta.contains("Date: 20 August 2002"), "{meta}");
    assert_eq!(meta.matches("20 August").count(), 1, "{meta}");

    // A dateline that gives the day and month: the page adds the year only.
    let dir = fixture_with("editors-copy", "");
    let path = dir.path().join("content/articles/twenty-years-on.md");
    let source = fs::read_to_string(&path).unwrap();
    fs::write(&path, source.replacen("date: 2009-11-09\n", "date: 2009-11-09\ndateline: \"BERLIN, 9 November\"\n", 1))
        .unwrap();
    let pages = Pages::of(&render(dir.path()));
    let meta = text(&pages.select("articles/twenty-years-on.html", ".meta")[0]);
    assert!(meta.contains("Dateline as printed: BERLIN, 9 November"), "{meta}");
    assert!(meta.contains("Year: 2009"), "{meta}");
    assert_eq!(meta.matches("9 November").count(), 1, "{meta}");
    let time = pages.select("articles/twenty-years-on.html", ".meta time");
    assert_eq!(time.len(), 1);
    assert_eq!(time[0].value().attr("datetime"), Some("2009-11-09"));
}

#[test]
fn the_cast_explains_the_colour_of_each_kind_of_mention() {
    let pages = Pages::of(&render(&default_site()));
    let page = "articles/all-aboard.html";
    assert_eq!(pages.select(page, ".cast .legend").len(), 1);
    let keys: Vec<String> = pages
        .select(page, ".cast h3 .kind-key")
        .iter()
        .map(|k| {
            k.value().attr("class").unwrap().split(' ').nth(1).unwrap().trim_start_matches("kind-key-").to_string()
        })
        .collect();
    for mention in pages.select(page, ".article-body a.mention") {
        let class = mention.value().attr("class").unwrap();
        let kind = class.split(' ').find_map(|c| c.strip_prefix("mention-")).unwrap();
        assert!(keys.iter().any(|k| k == kind), "no key for {kind} mentions; keys: {keys:?}");
    }
}

/// The number after `name="` in an element's opening tag.
fn number(tag: &str, name: &str) -> f64 {
    let rest = &tag[tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

#[test]
fn every_label_of_the_network_is_inside_its_view_box() {
    for (site, path) in [(fixture_with("editors-copy", ""), "people/index.html")] {
        let rendered = render(site.path());
        let html = &rendered.pages().iter().find(|p| p.path == path).unwrap().html;
        let svg = &html[html.find("<svg class=\"network\"").unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let open = &svg[..svg.find('>').unwrap()];
        let view: Vec<f64> = {
            let rest = &open[open.find("viewBox=\"").unwrap() + 9..];
            rest[..rest.find('"').unwrap()].split(' ').map(|n| n.parse().unwrap()).collect()
        };
        let font = number(open, "font-size");
        let (x0, y0, x1, y1) = (view[0], view[1], view[0] + view[2], view[1] + view[3]);
        let mut labels = 0;
        for piece in svg.split("<text").skip(1) {
            let tag = &piece[..piece.find('>').unwrap()];
            let name = &piece[piece.find('>').unwrap() + 1..piece.find("</text>").unwrap()];
            let (x, y) = (number(tag, "x"), number(tag, "y"));
            // Half an em a letter: more than a sans-serif face takes for a
            // name (the browser suite measures the real thing).
            let width = name.chars().count() as f64 * 0.5 * font;
            let (left, right) = match &tag[tag.find("text-anchor=\"").unwrap() + 13..][..3] {
                "sta" => (x, x + width),
                "end" => (x - width, x),
                _ => (x - width / 2.0, x + width / 2.0),
            };
            assert!(left >= x0 && right <= x1, "{name} ({left:.0}–{right:.0}) outside {x0}–{x1}");
            assert!(y - font >= y0 && y + font * 0.3 <= y1, "{name} at y {y} outside {y0}–{y1}");
            labels += 1;
        }
        assert!(labels >= 8, "{labels} labels");
    }
}
