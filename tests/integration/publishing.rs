//! Publishing as other generators' users expect: drafts, order, base URL
//! overrides, tags, feeds, images.

use std::process::Command;

use gloss::SiteOptions;

use crate::support::{fixture, render, text, Pages};

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
    let paths: Vec<&str> = published.pages.iter().map(|p| p.path.as_str()).collect();
    assert!(!paths.contains(&"articles/island-campus.html"), "{paths:?}");
    // Nothing else knows of it: not the home page, the search, the sitemap,
    // the island's page.
    for page in &published.pages {
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
    let sitemap = &site.pages.iter().find(|p| p.path == "sitemap.xml").unwrap().html;
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
    let build = |drafts: bool| {
        let mut cmd = gloss();
        cmd.args(["build", "--root"]).arg(fixture("publishing")).arg("--output").arg(dir.path().join("out"));
        if drafts {
            cmd.arg("--drafts");
        }
        assert!(cmd.status().unwrap().success());
        dir.path().join("out/articles/island-campus.html").exists()
    };
    assert!(!build(false));
    assert!(build(true));
    let _ = render;
}
