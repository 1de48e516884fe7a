//! Awkward input and reproducibility: odd encodings and shapes build or
//! fail cleanly, and the same input always gives the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gloss::diagnostic::Diagnostics;
use gloss::{SiteSources, SourceFile};

use crate::support::{copy_dir, default_site, fixture};

fn site_with(article: &str, entities: Vec<(String, String)>) -> SiteSources {
    let file = |path: String, text: String| SourceFile { path: PathBuf::from(path), text };
    let mut content = vec![file("content/articles/a.md".into(), format!("---\ntitle: Awkward\n---\n{article}\n"))];
    content.extend(entities.into_iter().map(|(id, text)| file(format!("content/people/{id}.md"), text)));
    SiteSources {
        site_yaml: Some(file("content/site.yaml".into(), "title: Awkward\n".into())),
        content,
        templates: Vec::new(),
        static_files: Vec::new(),
        ..SiteSources::default()
    }
}

fn kim() -> Vec<(String, String)> {
    vec![("kim".into(), "---\nname: Kim Jong-il\naliases: [Kim]\nsummary: s\n---\nLeader.\n".into())]
}

#[test]
fn crlf_line_endings_bom_and_tabs() {
    let entity = "\u{feff}---\r\nname: Kim Jong-il\r\naliases:\r\n\t- Kim\r\nsummary: s\r\n---\r\nLeader.\r\n";
    let sources = site_with("Kim\tmet\r\nKim.\r\n", vec![("kim".into(), entity.into())]);
    let site = gloss::render_sources(sources, Diagnostics::default());
    // A tab in YAML indentation is a YAML error: reported, not a panic.
    if let Err(d) = &site {
        assert!(d.0.iter().all(|d| d.location.is_some()), "{d:?}");
    }
    let entity = "\u{feff}---\r\nname: Kim Jong-il\r\naliases: [Kim]\r\nsummary: s\r\n---\r\nLeader.\r\n";
    let site = gloss::render_sources(
        site_with("Kim\tmet\r\nKim.\r\n", vec![("kim".into(), entity.into())]),
        Diagnostics::default(),
    )
    .expect("CRLF and a byte-order mark build");
    assert_eq!(site.mention_count(), 2);
}

#[test]
fn ten_thousand_mentions_in_one_paragraph() {
    let paragraph = "Kim and ".repeat(10_000);
    let site = gloss::render_sources(site_with(&paragraph, kim()), Diagnostics::default()).unwrap();
    assert_eq!(site.mention_count(), 10_000);
    let page = site.pages().iter().find(|p| p.path == "people/kim.html").unwrap();
    assert!(page.html.contains("#m-kim-10000"));
}

#[test]
fn deeply_nested_lists_and_quotes() {
    let quotes = format!("{}Kim", "> ".repeat(300));
    let lists: String = (0..300).map(|depth| format!("{}- Kim\n", "  ".repeat(depth))).collect();
    for article in [quotes, lists] {
        match gloss::render_sources(site_with(&article, kim()), Diagnostics::default()) {
            Ok(site) => assert!(site.mention_count() >= 1),
            Err(d) => assert!(d.0.iter().all(|d| d.path.is_some())),
        }
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

fn build(root: &Path, output: &Path, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn same_bytes_across_thread_counts_and_file_order() {
    let dir = tempfile::tempdir().unwrap();
    build(&default_site(), &dir.path().join("one"), "1");
    build(&default_site(), &dir.path().join("two"), "2");
    let one = tree(&dir.path().join("one"));
    assert_eq!(one, tree(&dir.path().join("two")));

    // The same site written to disk in the opposite order.
    let forward = dir.path().join("forward");
    copy_dir(&fixture("two-articles"), &forward);
    let backward = dir.path().join("backward");
    let mut files: Vec<PathBuf> = tree(&forward).into_keys().collect();
    files.reverse();
    for file in files {
        let target = backward.join(&file);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(forward.join(&file), target).unwrap();
    }
    build(&forward, &dir.path().join("out-forward"), "2");
    build(&backward, &dir.path().join("out-backward"), "2");
    let built = tree(&dir.path().join("out-forward"));
    assert_eq!(built, tree(&dir.path().join("out-backward")));
    // No absolute path of the machine leaks into the output.
    let here = dir.path().to_string_lossy().into_owned();
    for (path, bytes) in &built {
        assert!(!String::from_utf8_lossy(bytes).contains(&here), "{} names {here}", path.display());
    }
}

#[test]
fn a_note_referenced_only_from_inside_a_note_has_no_back_link_to_nowhere() {
    // The second definition of `[^n]` is a duplicate, left out; the
    // reference indented under it belongs to it and leaves with it.
    let article =
        "[^m] Text.\n\n[^m]: The first note, which cites [^n].\n\n[^n]: a note\n\n[^n]: again\n\n    [^n] cited here\n";
    let site = gloss::render_sources(site_with(article, kim()), Diagnostics::default()).unwrap();
    let page = site.pages().iter().find(|p| p.path == "articles/a.html").unwrap();
    assert!(page.html.contains("id=\"note-ref-m\""), "the text's reference is a back-link target");
    assert!(page.html.contains("href=\"#note-ref-m\""), "so note m links back");
    assert!(
        page.html.contains("<a href=\"#note-n\" role=\"doc-noteref\">"),
        "a reference inside a note still leads to it"
    );
    assert!(!page.html.contains("href=\"#note-ref-n\""), "nothing in the text refers to note n: no back link");
}

#[test]
fn a_large_article_with_thousands_of_warnings_locates_each_one() {
    // 4,000 paragraphs, each naming Kim and, in lower case, "kim": a
    // possible mention each. Each warning used to count the lines of the
    // whole file again.
    let paragraphs: Vec<String> = (0..4000).map(|i| format!("Paragraph {i}: Kim spoke, and kim listened.")).collect();
    let sources = site_with(&paragraphs.join("\n\n"), kim());
    let site = gloss::render_sources(sources, Diagnostics::default()).expect("builds");
    let possible: Vec<_> =
        site.warnings.0.iter().filter(|d| d.code == gloss::diagnostic::Code::PossibleMention).collect();
    assert_eq!(possible.len(), 4000);
    // The last paragraph is on line 4 + 2 × 3999 (front matter first).
    let last = possible.last().unwrap().location.as_ref().unwrap();
    assert_eq!((last.line, last.column), (4 + 2 * 3999, "Paragraph 3999: Kim spoke, and ".len() + 1));
}

#[test]
fn a_diagnostic_on_a_very_long_line_shows_only_its_neighbourhood() {
    // A megabyte of prose on one line, with a possible mention at its end.
    let line = format!("{} and then kim left.", "Nothing happened. ".repeat(60_000));
    let sources = site_with(&format!("Kim arrived.\n\n{line}"), kim());
    let site = gloss::render_sources(sources, Diagnostics::default()).expect("builds");
    let warning = site.warnings.0.iter().find(|d| d.code == gloss::diagnostic::Code::PossibleMention).unwrap();
    let at = warning.location.as_ref().unwrap();
    assert_eq!(at.column, line.find("kim").unwrap() + 1);
    let shown = warning.to_string();
    assert!(shown.len() < 1000, "the message shows a window of the line, not all of it: {} bytes", shown.len());
    assert!(shown.contains("| …") && shown.contains("and then kim left."), "{shown}");
}

#[test]
fn a_byte_order_mark_is_no_part_of_any_file() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let bom = |path: &str, text: &str| fs::write(dir.path().join(path), format!("\u{feff}{text}")).unwrap();
    let read = |path: &str| fs::read_to_string(dir.path().join(path)).unwrap();
    for file in ["content/site.yaml", "content/articles/arrival.md", "content/people/kim-jong-il.md"] {
        bom(file, &read(file));
    }
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    bom("templates/home.html", include_str!("../../templates/home.html"));
    let site = crate::support::render(dir.path());
    let home = &site.pages().iter().find(|p| p.path == "index.html").unwrap().html;
    assert!(home.starts_with("<!DOCTYPE html>"), "{:?}", &home[..20]);
    // Columns on the first line count from its first character, not the mark.
    bom("content/site.yaml", "titel: T\n");
    let errors = gloss::render_site(dir.path()).err().expect("an unknown field");
    let at = errors.0[0].location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (1, 1));
}
