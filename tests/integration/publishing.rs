//! Publishing as other generators' users expect: drafts, order, base URL
//! overrides, tags, feeds, images.

use std::process::Command;

use gloss::SiteOptions;

use crate::support::{fixture, fixture_with, text, Pages};

fn gloss() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
}

fn site(options: &SiteOptions) -> gloss::Site {
    match gloss::render_site_with(&fixture("publishing"), options) {
        Ok(site) => site,
        Err(d) => panic!("{}", d.0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let published = site(&SiteOptions::default());
    let paths: Vec<&str> = published.pages().iter().map(|p| p.path.as_str()).collect();
    assert!(!paths.contains(&"articles/island-campus.html"), "{paths:?}");
    // Nothing else knows of it: not the home page, the search, the sitemap,
    // the island's page.
    for page in published.pages() {
        assert!(!page.html.contains("island-campus"), "{} names the draft", page.path);
    }
    // The island is named only in the draft: it is not "never mentioned".
    assert!(!published.warnings.0.iter().any(|d| d.code == gloss::diagnostic::Code::NeverMentioned));

    let with_drafts = site(&SiteOptions { drafts: true, ..SiteOptions::default() });
    let pages = Pages::of(&with_drafts);
    let banner = pages.select("articles/island-campus.html", ".draft-banner");
    assert_eq!(banner.len(), 1, "a draft says so");
    assert!(pages.select("articles/bridge-opens.html", ".draft-banner").is_empty());
}

#[test]
fn articles_sort_by_date_then_weight_then_title() {
    let site = site(&SiteOptions::default());
    let pages = Pages::of(&site);
    let listed: Vec<String> =
        pages.select("index.html", ".article-list h2 a, .article-list h3 a").iter().map(text).collect();
    assert_eq!(
        listed,
        [
            "Summit week begins in Vladivostok",
            "Harbour notes",
            "“A bridge to the island”: Russky Bridge opens to traffic"
        ]
    );
}

#[test]
fn a_base_url_given_on_the_command_line_wins() {
    let preview = "https://preview.example.net/pr-12";
    let site = site(&SiteOptions { base_url: Some(format!("{preview}/")), ..SiteOptions::default() });
    let sitemap = &site.pages().iter().find(|p| p.path == "sitemap.xml").unwrap().html;
    assert!(sitemap.contains(&format!("<loc>{preview}/index.html</loc>")), "{sitemap}");
    let out = gloss()
        .args(["check", "--base-url", "javascript:alert(1)", "--root"])
        .arg(fixture("publishing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--base-url` must be a web address"));
}

#[test]
fn build_publishes_drafts_only_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("publishing"), &dir.path().join("site"));
    let build = |drafts: bool| {
        let mut cmd = gloss();
        cmd.args(["build", "--root"]).arg(dir.path().join("site")).arg("--output").arg(dir.path().join("out"));
        if drafts {
            cmd.arg("--drafts");
        }
        assert!(cmd.status().unwrap().success());
        dir.path().join("out/articles/island-campus.html").exists()
    };
    assert!(!build(false));
    assert!(build(true));
}

#[test]
fn tags_have_pages_that_list_their_articles() {
    let site = site(&SiteOptions::default());
    let pages = Pages::of(&site);
    let tags: Vec<String> = pages.select("tags/index.html", ".tag-cloud a").iter().map(text).collect();
    assert_eq!(tags, ["APEC", "Дальний Восток", "Diplomacy", "Infrastructure", "Vladivostok"]);
    // Any script names a page by its slug, transliterated.
    let far_east = pages.select("tags/index.html", ".tag-cloud a")[1].value().attr("href").unwrap().to_string();
    assert_eq!(far_east, "dalnii-vostok.html");
    let listed: Vec<String> = pages.select("tags/vladivostok.html", ".article-list h2 a").iter().map(text).collect();
    assert_eq!(
        listed,
        [
            "Summit week begins in Vladivostok",
            "Harbour notes",
            "“A bridge to the island”: Russky Bridge opens to traffic"
        ]
    );
    // An article links to its tags, in its order; JSON-LD has them as keywords.
    let linked: Vec<(String, String)> = pages
        .select("articles/summit-week.html", ".tags a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        linked,
        [
            ("APEC".to_string(), "../tags/apec.html".to_string()),
            ("Vladivostok".into(), "../tags/vladivostok.html".into()),
            ("Diplomacy".into(), "../tags/diplomacy.html".into())
        ]
    );
    let ld = text(&pages.select("articles/summit-week.html", "script[type='application/ld+json']")[0]);
    assert!(ld.contains(r#""keywords":["APEC","Vladivostok","Diplomacy"]"#), "{ld}");
    // The navigation leads to them, and nothing links nowhere.
    assert_eq!(pages.select("index.html", "nav a[href='tags/index.html']").len(), 1);
    assert_eq!(pages.broken_links(), Vec::<String>::new());
}

#[test]
fn tag_pages_are_paginated_like_the_home_page() {
    let dir = fixture_with("publishing", "paginate_by: 2\n");
    let site = gloss::render_site(dir.path()).unwrap();
    let pages = Pages::of(&site);
    let first: Vec<String> = pages.select("tags/vladivostok.html", ".article-list h2 a").iter().map(text).collect();
    let second: Vec<String> =
        pages.select("tags/vladivostok.page-2.html", ".article-list h2 a").iter().map(text).collect();
    assert_eq!((first.len(), second.len()), (2, 1));
    assert_eq!(second, ["“A bridge to the island”: Russky Bridge opens to traffic"]);
    let next = pages.select("tags/vladivostok.html", ".pagination a[rel=next]");
    assert_eq!(next[0].value().attr("href"), Some("vladivostok.page-2.html"));
    assert_eq!(pages.broken_links(), Vec::<String>::new());
}

#[test]
fn a_tag_spelt_two_ways_is_one_tag_and_a_warning() {
    let dir = fixture_with("publishing", "");
    let path = dir.path().join("content/articles/harbour-notes.md");
    let text = std::fs::read_to_string(&path).unwrap().replace("tags: [Vladivostok,", "tags: [vladivostok,");
    std::fs::write(&path, text).unwrap();
    let site = gloss::render_site(dir.path()).unwrap();
    let warnings: Vec<String> = site
        .warnings
        .0
        .iter()
        .filter(|d| d.code == gloss::diagnostic::Code::TagSpelling)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("content/articles/harbour-notes.md:6:8: warning[tag_spelling]"), "{}", warnings[0]);
    let pages = Pages::of(&site);
    assert_eq!(pages.select("tags/vladivostok.html", ".article-list li").len(), 3);
}

#[test]
fn a_tag_without_letters_is_an_error_at_the_tag() {
    let dir = fixture_with("publishing", "");
    let path = dir.path().join("content/articles/harbour-notes.md");
    let text = std::fs::read_to_string(&path).unwrap().replace("tags: [Vladivostok,", "tags: [\"🙂\",");
    std::fs::write(&path, text).unwrap();
    let errors = gloss::render_site(dir.path()).err().expect("the build fails");
    let error = errors.0.iter().find(|d| d.is_error()).unwrap().to_string();
    assert!(error.starts_with("content/articles/harbour-notes.md:6:8: error: the tag `🙂` has no letter"), "{error}");
}

/// The feed at `path`, parsed by feed-rs (as feed readers do).
fn feed(site: &gloss::Site, path: &str) -> feed_rs::model::Feed {
    let page = site.pages().iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path}"));
    feed_rs::parser::parse(page.html.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_feed_has_the_newest_articles_with_their_whole_text_and_absolute_links() {
    let site = site(&SiteOptions::default());
    let feed = feed(&site, "atom.xml");
    let base = "https://ledger.example.org/vladivostok";
    assert_eq!(feed.title.as_ref().unwrap().content, "The Harbour Ledger");
    assert!(feed.links.iter().any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{base}/atom.xml")));
    let entries: Vec<(&str, String)> =
        feed.entries.iter().map(|e| (e.id.as_str(), e.updated.unwrap().to_rfc3339())).collect();
    assert_eq!(
        entries,
        [
            (format!("{base}/articles/summit-week.html").as_str(), "2012-09-08T00:00:01+00:00".to_string()),
            (&format!("{base}/articles/harbour-notes.html"), "2012-09-08T00:00:00+00:00".into()),
            (&format!("{base}/articles/bridge-opens.html"), "2012-07-02T00:00:00+00:00".into()),
        ]
    );
    let summit = &feed.entries[0];
    assert_eq!(summit.title.as_ref().unwrap().content, "Summit week begins in Vladivostok");
    assert_eq!(summit.authors[0].name, "Ledger staff");
    assert_eq!(
        summit.summary.as_ref().unwrap().content,
        "Leaders of the Asia-Pacific gather for APEC on Russky Island's new campus."
    );
    let categories: Vec<&str> = summit.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, ["APEC", "Vladivostok", "Diplomacy"]);
    let content = summit.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(content.contains(&format!(r#"href="{base}/people/vladimir-putin.html""#)), "{content}");
    assert!(content.contains("in the week the city has been rebuilt for."), "{content}");
    let html = scraper::Html::parse_fragment(content);
    for link in html.select(&scraper::Selector::parse("a").unwrap()) {
        let href = link.value().attr("href").unwrap();
        assert!(href.starts_with("https://"), "a relative link in the feed: {href}");
    }
    // Every page announces it; the draft is not in it.
    let pages = Pages::of(&site);
    let alternate = pages.select("articles/harbour-notes.html", "link[rel=alternate][type='application/atom+xml']");
    assert_eq!(alternate[0].value().attr("href"), Some("../atom.xml"));
    assert!(!site.pages().iter().filter(|p| p.path.ends_with(".xml")).any(|p| p.html.contains("island-campus")));
}

#[test]
fn each_tag_has_a_feed() {
    let site = site(&SiteOptions::default());
    let feed = feed(&site, "tags/infrastructure.xml");
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["https://ledger.example.org/vladivostok/articles/bridge-opens.html"]);
    let pages = Pages::of(&site);
    let alternate = pages.select("tags/infrastructure.html", "link[rel=alternate][type='application/atom+xml']");
    let hrefs: Vec<&str> = alternate.iter().filter_map(|l| l.value().attr("href")).collect();
    assert_eq!(hrefs, ["../atom.xml", "infrastructure.xml"]);
}

#[test]
fn feed_limit_keeps_the_newest() {
    let dir = fixture_with("publishing", "feed_limit: 1\n");
    let site = gloss::render_site(dir.path()).unwrap();
    let ids: Vec<String> = feed(&site, "atom.xml").entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, ["https://ledger.example.org/vladivostok/articles/summit-week.html"]);
}

#[test]
fn without_a_base_url_there_is_no_feed_and_the_build_says_why() {
    let dir = fixture_with("publishing", "");
    let yaml = dir.path().join("content/site.yaml");
    let text =
        std::fs::read_to_string(&yaml).unwrap().replace("base_url: https://ledger.example.org/vladivostok\n", "");
    std::fs::write(&yaml, text).unwrap();
    let out = gloss().args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("no feed").count(), 1, "{stderr}");
    assert!(stderr.contains("base_url"), "{stderr}");
    assert!(!dir.path().join("public/atom.xml").exists());
    assert!(!dir.path().join("public/tags/vladivostok.xml").exists());
    assert!(dir.path().join("public/tags/vladivostok.html").exists());
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(!home.contains("application/atom+xml"));
}

/// A photograph as a camera writes it: a JPEG of `width` by `height`.
fn photograph(path: &std::path::Path, width: u32, height: u32) {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, ((x ^ y) & 0xff) as u8])
    });
    pixels.save(path).unwrap();
}

fn build(root: &std::path::Path) -> std::process::Output {
    gloss().args(["build", "--root"]).arg(root).output().unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_image_alone_is_a_figure_with_its_size_caption_and_credit() {
    let site = site(&SiteOptions::default());
    let pages = Pages::of(&site);
    let figures = pages.select("articles/bridge-opens.html", ".article figure.figure");
    assert_eq!(figures.len(), 1);
    let figure = figures[0];
    let img = figure.select(&scraper::Selector::parse("img").unwrap()).next().unwrap().value();
    // Beside the article, in its folder; its size read from the file.
    assert_eq!(img.attr("src"), Some("../articles/bridge-opens/span.jpg"));
    assert_eq!((img.attr("width"), img.attr("height")), (Some("640"), Some("400")));
    assert_eq!((img.attr("loading"), img.attr("decoding")), (Some("lazy"), Some("async")));
    // The alternative text is the whole bracket, line break and all.
    assert_eq!(
        img.attr("alt"),
        Some("The bridge's central span over the Eastern Bosphorus strait, seen from the mainland")
    );
    let caption = text(&figure.select(&scraper::Selector::parse("figcaption").unwrap()).next().unwrap());
    assert_eq!(caption, "The central span, 1,104 metres long Photo: Ledger staff");
    let credit = pages.select("articles/bridge-opens.html", "figcaption .credit");
    assert_eq!(text(&credit[0]), "Photo: Ledger staff");
    // A 640-pixel image is offered at 480 too, and as it is.
    let srcset = img.attr("srcset").unwrap();
    assert!(srcset.ends_with(", ../articles/bridge-opens/span.jpg 640w"), "{srcset}");
    assert!(srcset.starts_with("../resized/span-") && srcset.contains("-480w.jpg 480w"), "{srcset}");

    // An image within a sentence stays in it, from static/.
    let inline = pages.select("articles/harbour-notes.html", ".article p img");
    assert_eq!(inline.len(), 1);
    let img = inline[0].value();
    assert_eq!(img.attr("src"), Some("../img/harbour.png"));
    assert_eq!((img.attr("width"), img.attr("height")), (Some("320"), Some("200")));
    assert!(img.attr("srcset").is_none(), "a small image has no copies");
    assert!(pages.select("articles/harbour-notes.html", "figure.figure").is_empty());
}

#[test]
fn a_camera_photograph_never_ships_as_it_is_and_is_resized_once() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("publishing"), dir.path());
    // Another build of the fixture may have left its cache.
    let _ = std::fs::remove_dir_all(dir.path().join(".gloss"));
    let span = dir.path().join("content/articles/bridge-opens/span.jpg");
    photograph(&span, 3000, 2000);
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));

    let public = dir.path().join("public");
    let html = std::fs::read_to_string(public.join("articles/bridge-opens.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let img = page.select(&scraper::Selector::parse("figure img").unwrap()).next().unwrap().value().clone();
    let src = img.attr("src").unwrap();
    assert!(src.starts_with("../resized/span-") && src.ends_with("-1440w.jpg"), "{src}");
    assert_eq!((img.attr("width"), img.attr("height")), (Some("1440"), Some("960")));
    let srcset = img.attr("srcset").unwrap();
    assert!(!srcset.contains("span.jpg "), "the 3000-pixel original is not offered: {srcset}");
    // Every copy is there, at its width, with the original's proportions.
    let mut copies = Vec::new();
    for candidate in srcset.split(", ") {
        let (link, width) = candidate.split_once(' ').unwrap();
        let file = public.join("articles").join(link);
        let (w, h) = image::image_dimensions(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(format!("{w}w"), width);
        assert_eq!(h, w * 2 / 3);
        copies.push(file);
    }
    assert_eq!(copies.len(), 3);
    // The article's folder is copied beside its page.
    assert!(public.join("articles/bridge-opens/span.jpg").is_file());

    // A second build takes the copies from the cache.
    let cache = dir.path().join(".gloss/cache/images");
    let stamps = || -> Vec<_> {
        let mut files: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap()).collect();
        files.retain(|e| e.file_name().to_string_lossy().starts_with("span-"));
        files.sort_by_key(|e| e.file_name());
        files.iter().map(|e| e.metadata().unwrap().modified().unwrap()).collect()
    };
    let made = stamps();
    assert_eq!(made.len(), 3);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let output = build(dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(made, stamps(), "nothing is resized twice");

    // The feed's copy of the figure links to the copies absolutely.
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(feed.contains("https://ledger.example.org/vladivostok/resized/span-"), "{feed}");
}

#[test]
fn a_missing_image_is_an_error_where_it_is_named_and_a_missing_alt_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("publishing"), dir.path());
    let article = dir.path().join("content/articles/harbour-notes.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\nAt dusk:\n\n  ![](/img/harbour.png)\n\nAnd ![the quay](quay.JPG).\n"))
        .unwrap();
    let lines = text.lines().count();
    let output = build(dir.path());
    let printed = stderr(&output);
    assert!(!output.status.success());
    let missing_at =
        format!("content/articles/harbour-notes.md:{}:5: error: image `quay.JPG` is neither in", lines + 6);
    assert!(printed.contains(&missing_at), "{printed}");
    assert!(printed.contains(&format!("harbour-notes.md:{}:3: warning[missing_alt]", lines + 4)), "{printed}");
    assert!(printed.contains("the previous output is untouched"), "{printed}");
}

#[test]
fn an_entity_image_shows_with_its_credit_and_licence_in_pages_previews_and_json_ld() {
    let site = site(&SiteOptions::default());
    let pages = Pages::of(&site);
    let page = "people/vladimir-putin.html";
    let img = pages.select(page, ".portrait img")[0].value().clone();
    assert_eq!(img.attr("src"), Some("../img/vladimir-putin.jpg"));
    assert_eq!((img.attr("width"), img.attr("height")), (Some("600"), Some("800")));
    assert_eq!(img.attr("alt"), Some("Vladimir Putin at the summit's opening, in a dark suit"));
    assert_eq!(text(&pages.select(page, ".portrait .credit")[0]), "Photo: Kremlin.ru");
    let licence = pages.select(page, ".portrait .licence a[rel=license]");
    assert_eq!(licence[0].value().attr("href"), Some("https://creativecommons.org/licenses/by/4.0/"));

    let html = site.page(page).unwrap().html.clone();
    let ld = html.split("application/ld+json\">").nth(1).unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld.split("</script>").next().unwrap()).unwrap();
    assert_eq!(ld["image"]["contentUrl"], "https://ledger.example.org/vladivostok/img/vladimir-putin.jpg");
    assert_eq!(ld["image"]["creditText"], "Photo: Kremlin.ru");
    assert_eq!(ld["image"]["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(ld["image"]["width"], 600);

    // The preview card on an article that mentions him shows the smallest copy.
    let card = pages.select("articles/summit-week.html", ".cast li[data-entity=vladimir-putin]")[0].value().clone();
    assert!(card.attr("data-image").unwrap().starts_with("../resized/vladimir-putin-"), "{card:?}");
    assert_eq!(card.attr("data-image-alt"), Some("Vladimir Putin at the summit's opening, in a dark suit"));
}

#[test]
fn an_entity_image_that_is_nowhere_is_an_error_at_its_src() {
    let dir = fixture_with("publishing", "");
    let person = dir.path().join("content/people/vladimir-putin.md");
    let text = std::fs::read_to_string(&person).unwrap().replace("img/vladimir-putin.jpg", "img/putin.jpg");
    std::fs::write(&person, text).unwrap();
    let output = gloss().args(["check", "--root"]).arg(dir.path()).output().unwrap();
    let printed = stderr(&output);
    assert!(!output.status.success());
    assert!(
        printed.contains("content/people/vladimir-putin.md:6:8: error: image `img/putin.jpg` is neither in static/"),
        "{printed}"
    );
}
