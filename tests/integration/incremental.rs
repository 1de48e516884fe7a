//! Incremental rebuilds give exactly what a full build gives.

use std::fs;
use std::path::{Path, PathBuf};

use gloss::incremental::Update;
use gloss::render::Page;

use crate::support::{copy_dir, fixture, fixture_with, render};

/// The site's pages after bringing the search index up to date, and the map
/// tiles they show (an update keeps tiles a map no longer shows: they cost
/// nothing in memory and are never written).
fn current(site: &mut gloss::Site) -> Vec<Page> {
    site.refresh_search_index();
    let shown = |tile: &Page| site.pages.iter().any(|p| p.html.contains(&format!("/{}\"", tile.path)));
    let pages = site.pages.iter().filter(|p| !p.path.starts_with("maps/") || shown(p)).cloned().collect();
    sorted(pages)
}

fn sorted(mut pages: Vec<Page>) -> Vec<Page> {
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

fn edit(root: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn an_article_edit_renders_only_its_pages_and_matches_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let total = site.pages.len();
    let changed =
        edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where Putin and Khasan waited");
    let update = site.update(dir.path(), &[changed]).unwrap();
    let Update::Pages(pages) = update else { panic!("expected a partial rebuild, got {update:?}") };
    assert!(pages.contains(&"articles/arrival.html".to_string()));
    assert!(pages.contains(&"places/khasan.html".to_string()), "newly mentioned: {pages:?}");
    assert!(!pages.contains(&"articles/departure.html".to_string()));
    assert!(pages.len() < total);
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn an_edit_sends_no_map_tile_the_site_already_has_and_counts_pages_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let options = gloss::BuildOptions { root: dir.path().into(), output: Some(dir.path().join("out")), force: false };
    let built = gloss::build(&options).unwrap();
    assert_eq!(site.page_count(), built.pages, "serve and build count the same pages");
    let tiles_before: Vec<String> =
        site.pages.iter().filter(|p| gloss::map::is_tile(&p.path)).map(|p| p.path.clone()).collect();
    assert!(!tiles_before.is_empty(), "the fixture's maps have tiles");
    // Re-rendering the article redraws its map, whose tiles are unchanged.
    let changed = edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where Putin stood");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"articles/arrival.html".to_string()), "{pages:?}");
    let resent: Vec<&String> = pages.iter().filter(|p| tiles_before.contains(p)).collect();
    assert!(resent.is_empty(), "tiles sent again: {resent:?}");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn article_edits_keep_the_index_that_a_full_build_makes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let arrival = "content/articles/arrival.md";
    // A new co-mention, a mention taken away, a paragraph of mentions
    // added and then all mentions removed from the paragraph again.
    let steps = [
        (arrival, "where Putin waited", "where Putin and Khasan waited"),
        (arrival, "Kim and Putin met in a quote.", "They met in a quote."),
        (arrival, "- Vladivostok in a list", "- Vladivostok in a list\n\nKim, Russia and Khasan, together."),
        (arrival, "Kim, Russia and Khasan, together.", "Nobody, together."),
    ];
    for (file, from, to) in steps {
        let changed = edit(dir.path(), file, from, to);
        assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)), "{to}");
        let full = render(dir.path());
        assert_eq!(site.index, full.index, "after {to:?}");
        assert_eq!(current(&mut site), sorted(full.pages), "after {to:?}");
    }
    // A change to the words alone leaves the home page and the kind indexes
    // as they were: they are not drawn again.
    let changed = edit(dir.path(), arrival, "in a quote", "in a long quote");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"articles/arrival.html".to_string()), "{pages:?}");
    for index in ["index.html", "people/index.html", "places/index.html"] {
        assert!(!pages.contains(&index.to_string()), "{index} in {pages:?}");
    }
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn an_entity_description_edit_matches_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let changed = edit(
        dir.path(),
        "content/people/vladimir-putin.md",
        "summary: President of Russia.",
        "summary: The president.",
    );
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn warnings_after_an_update_are_those_of_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let changed = edit(
        dir.path(),
        "content/people/vladimir-putin.md",
        "---\nPresident of Russia.",
        "---\nPresident of <b>Russia</b>.",
    );
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    let full = render(dir.path());
    assert!(full.warnings.0.iter().any(|d| d.code == gloss::diagnostic::Code::RawHtml));
    assert_eq!(site.warnings.0, full.warnings.0);
}

#[test]
fn alias_changes_and_new_files_rebuild_everything() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let changed =
        edit(dir.path(), "content/people/vladimir-putin.md", "aliases: [Putin]", "aliases: [Putin, the president]");
    assert_eq!(site.update(dir.path(), &[changed]).unwrap(), Update::Full);
    let new = dir.path().join("content/places/moscow.md");
    fs::write(&new, "---\nname: Moscow\nsummary: A capital.\n---\nA city.\n").unwrap();
    assert_eq!(site.update(dir.path(), &[new]).unwrap(), Update::Full);
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn a_broken_edit_leaves_the_site_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let before = sorted(site.pages.clone());
    let changed = edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where [he](@nobody) waited");
    let errors = site.update(dir.path(), std::slice::from_ref(&changed)).unwrap_err();
    assert!(errors.has_errors());
    assert_eq!(sorted(site.pages.clone()), before);
    // Fixing it brings the change in.
    edit(dir.path(), "content/articles/arrival.md", "[he](@nobody)", "he");
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn editor_swap_and_backup_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let swap = dir.path().join("content/articles/.arrival.md.swp");
    let backup = dir.path().join("content/articles/arrival.md~");
    fs::write(&swap, "binary junk").unwrap();
    fs::write(&backup, "old text").unwrap();
    assert_eq!(site.update(dir.path(), &[swap, backup]).unwrap(), Update::Pages(Vec::new()));
}

#[test]
fn a_title_edit_redraws_only_the_home_page_that_lists_the_article() {
    let dir = fixture_with("two-articles", "paginate_by: 1\n");
    let mut site = render(dir.path());
    // The departure is the older article: the second home page lists it.
    let changed = edit(dir.path(), "content/articles/departure.md", "title: The Dear", "title: Revised, the Dear");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"page/2/index.html".to_string()), "{pages:?}");
    assert!(!pages.contains(&"index.html".to_string()), "{pages:?}");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}

#[test]
fn an_entity_page_that_is_no_longer_needed_goes_and_comes_back() {
    let dir = fixture_with("two-articles", "paginate_mentions_by: 1\n");
    let mut site = render(dir.path());
    let second = "places/vladivostok.page-2.html";
    let has = |site: &gloss::Site| site.page(second).is_some();
    // Vladivostok is named only in the arrival; naming it in the departure
    // too needs a second page of its mentions, and taking it out again
    // drops that page.
    let departure = "content/articles/departure.md";
    let changed = edit(dir.path(), departure, "crossed at Khasan.", "crossed at Khasan for Vladivostok.");
    assert!(!has(&site));
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert!(has(&site), "a second page");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
    let changed = edit(dir.path(), departure, "crossed at Khasan for Vladivostok.", "crossed at Khasan.");
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert!(!has(&site), "the second page is gone");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages));
}
