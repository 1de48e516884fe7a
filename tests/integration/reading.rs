//! What the reader's pages show beyond the text: the mention strip's
//! targets, the article's meta line, the key to the mentions' colours, and
//! the co-mention network's extent.

use std::fs;

use crate::support::{default_site, fixture_with, render, text, Pages};

/// Where a cluster starts (`inset-inline-start`, from the start of the
/// text's direction) and its `width`, in percent, from its `style`.
fn extent(style: &str) -> (f64, f64) {
    let start = style.strip_prefix("inset-inline-start:").expect("a cluster is placed by its start");
    // Every part is a twelfth of the strip wide: the stylesheet says so.
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css")).unwrap();
    assert!(css.contains("width: calc(100% / 12);"), "the stylesheet sizes the parts");
    (start.trim_end_matches('%').parse().unwrap(), 100.0 / 12.0)
}

/// Checks the strips of an entity page: one tick per mention, parts that
/// never overlap, each a twelfth of the strip and linking to its first
/// mention, the whole a picture the keyboard and assistive technology
/// skip for the list of mentions below it. Returns, for each strip, how
/// many mentions each of its parts holds.
fn check_strips(pages: &Pages, path: &str) -> Vec<Vec<usize>> {
    let html = pages.get(path);
    let strips = scraper::Selector::parse(".strip").unwrap();
    let clusters = scraper::Selector::parse("a.cluster").unwrap();
    let ticks = scraper::Selector::parse(".tick").unwrap();
    let lists = scraper::Selector::parse("ol.mention-list").unwrap();
    let items = scraper::Selector::parse("li > a").unwrap();
    let mut parts = Vec::new();
    for (strip, list) in html.select(&strips).zip(html.select(&lists)) {
        assert_eq!(strip.value().attr("aria-hidden"), Some("true"), "{path}: the list speaks for the strip");
        let mentions: Vec<String> = list.select(&items).map(|a| a.value().attr("href").unwrap().to_string()).collect();
        assert_eq!(strip.select(&ticks).count(), mentions.len(), "{path}: a tick per mention");
        let mut end = 0.0;
        let mut next = 1;
        let mut sizes = Vec::new();
        for cluster in strip.select(&clusters) {
            let (left, width) = extent(cluster.value().attr("style").unwrap());
            assert!(left >= end - 0.01, "{path}: clusters overlap at {left}%");
            end = left + width;
            assert_eq!(cluster.value().attr("tabindex"), Some("-1"), "{path}: the keyboard goes to the list");
            assert_eq!(cluster.value().attr("href").unwrap(), mentions[next - 1], "{path}: links to its first mention");
            let count = cluster.select(&ticks).count();
            next += count;
            sizes.push(count);
        }
        assert!(end <= 100.01, "{path}: the strip ends at {end}%");
        parts.push(sizes);
    }
    parts
}

#[test]
fn the_mention_strip_is_one_target_per_part_and_a_tick_per_mention() {
    let pages = Pages::of(&render(&default_site()));
    let strips = check_strips(&pages, "people/kim-jong-il.html");
    // Kim's first three mentions are close together: one target, which
    // leads to the first of them.
    assert_eq!(strips[0][0], 3, "{strips:?}");
    for path in pages.pages.keys().filter(|p| p.starts_with("people/") || p.starts_with("places/")) {
        if !path.ends_with("index.html") {
            check_strips(&pages, path);
        }
    }
}

#[test]
fn an_entity_mentioned_a_hundred_times_in_one_article_still_gets_targets_a_twelfth_wide() {
    let dir = fixture_with("editors-copy", "");
    let text: String = (1..=100).map(|i| format!("Merkel spoke, {i}.\n\n")).collect();
    fs::write(dir.path().join("content/articles/crowded.md"), format!("---\ntitle: Crowded\n---\n{text}")).unwrap();
    let pages = Pages::of(&render(dir.path()));
    let strips = check_strips(&pages, "people/angela-merkel.html");
    let crowded = strips.iter().find(|s| s.len() == 12).expect("the crowded article's strip has twelve parts");
    assert_eq!(crowded.iter().sum::<usize>(), 100, "{crowded:?}");
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
