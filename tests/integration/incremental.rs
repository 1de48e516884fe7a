//! Incremental rebuilds give exactly what a full build gives.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gloss::Page;
use gloss::Update;
use proptest::prelude::*;

use crate::support::{copy_dir, fixture, fixture_with, render};

/// The site's pages, map tiles included, after bringing every stale page
/// (the search index, pages beyond an update's budget) up to date.
fn current(site: &mut gloss::Site) -> Vec<Arc<Page>> {
    site.refresh_all().unwrap();
    sorted(site.pages().to_vec())
}

fn sorted(mut pages: Vec<Arc<Page>>) -> Vec<Arc<Page>> {
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
    let total = site.pages().len();
    let changed =
        edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where Putin and Khasan waited");
    let update = site.update(dir.path(), &[changed]).unwrap();
    let Update::Pages(pages) = update else { panic!("expected a partial rebuild, got {update:?}") };
    assert!(pages.contains(&"articles/arrival.html".to_string()));
    assert!(pages.contains(&"places/khasan.html".to_string()), "newly mentioned: {pages:?}");
    assert!(!pages.contains(&"articles/departure.html".to_string()));
    assert!(pages.len() < total);
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
}

#[test]
fn an_edit_sends_no_map_tile_the_site_already_has_and_counts_pages_as_build_does() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let options = gloss::BuildOptions {
        root: dir.path().into(),
        output: Some(dir.path().join("out")),
        force: false,
        site: Default::default(),
    };
    let built = gloss::build(&options).unwrap();
    assert_eq!(site.page_count(), built.pages, "serve and build count the same pages");
    let tiles_before: Vec<String> = site.pages().iter().filter(|p| p.id.is_tile()).map(|p| p.path.clone()).collect();
    assert!(!tiles_before.is_empty(), "the fixture's maps have tiles");
    // Re-rendering the article redraws its map, whose tiles are unchanged.
    let changed = edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where Putin stood");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"articles/arrival.html".to_string()), "{pages:?}");
    let resent: Vec<&String> = pages.iter().filter(|p| tiles_before.contains(p)).collect();
    assert!(resent.is_empty(), "tiles sent again: {resent:?}");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
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
        assert_eq!(current(&mut site), sorted(full.pages().to_vec()), "after {to:?}");
    }
    // A change to the words alone leaves the home page and the kind indexes
    // as they were: they are not drawn again.
    let changed = edit(dir.path(), arrival, "in a quote", "in a long quote");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"articles/arrival.html".to_string()), "{pages:?}");
    for index in ["index.html", "people/index.html", "places/index.html"] {
        assert!(!pages.contains(&index.to_string()), "{index} in {pages:?}");
    }
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
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
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
}

#[test]
fn moving_a_monument_moves_it_on_its_neighbours_plans() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("city-walk"), dir.path());
    let mut site = render(dir.path());
    let page = |site: &gloss::Site| {
        site.pages().iter().find(|p| p.path == "places/checkpoint-charlie.html").unwrap().html.clone()
    };
    let before = page(&site);
    // Checkpoint Charlie's page reads nothing of Alexanderplatz but where it is.
    let changed = edit(
        dir.path(),
        "content/places/alexanderplatz.md",
        "coordinates: [52.5219, 13.4132]",
        "coordinates: [52.5229, 13.4152]",
    );
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert_ne!(page(&site), before);
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
}

#[test]
fn an_article_with_stand_off_annotations_keeps_them_through_edits() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("apparatus"), dir.path());
    let mut site = render(dir.path());
    // The article's text: its annotations file still applies.
    let changed = edit(dir.path(), "content/articles/strike.md", "The crowd sang", "The crowd sang again");
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    let page =
        |site: &gloss::Site| site.pages().iter().find(|p| p.path == "articles/strike.html").unwrap().html.clone();
    assert!(page(&site).contains("<ins>Wałęsa</ins>"));
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
    // The annotations themselves.
    let changed =
        edit(dir.path(), "content/articles/strike.annotations.yaml", "should_read: Wałęsa", "should_read: Lech Wałęsa");
    site.update(dir.path(), &[changed]).unwrap();
    assert!(page(&site).contains("<ins>Lech Wałęsa</ins>"));
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
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
fn beyond_its_budget_an_update_renders_the_edited_files_pages_and_leaves_the_rest_stale() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    site.set_update_budget(0);
    // Putin's summary shows in the cast of every article naming him.
    let changed = edit(dir.path(), "content/people/vladimir-putin.md", "summary: ", "summary: Once ");
    let Update::Pages(pages) = site.update(dir.path(), &[changed]).unwrap() else { panic!("a partial rebuild") };
    assert!(pages.contains(&"people/vladimir-putin.html".to_string()), "{pages:?}");
    let stale: Vec<String> = site.stale_pages().iter().map(|&id| site.path_of(id)).collect();
    for page in ["articles/arrival.html", "people/index.html"] {
        assert!(!pages.contains(&page.to_string()), "{page} rendered now: {pages:?}");
        assert!(stale.contains(&page.to_string()), "{page} not stale: {stale:?}");
    }
    assert!(!stale.contains(&"articles/departure.html".to_string()), "departure does not name Putin");
    let full = render(dir.path());
    assert_ne!(current_page(&site, "articles/arrival.html"), current_page(&full, "articles/arrival.html"));
    site.refresh_all().unwrap();
    assert!(site.stale_pages().is_empty());
    assert_eq!(current(&mut site), sorted(full.pages().to_vec()));
}

fn current_page(site: &gloss::Site, path: &str) -> Arc<Page> {
    site.pages().iter().find(|p| p.path == path).unwrap().clone()
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
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
}

#[test]
fn a_broken_edit_leaves_the_site_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let mut site = render(dir.path());
    let before = sorted(site.pages().to_vec());
    let changed = edit(dir.path(), "content/articles/arrival.md", "where Putin waited", "where [he](@nobody) waited");
    let errors = site.update(dir.path(), std::slice::from_ref(&changed)).unwrap_err();
    assert!(errors.has_errors());
    assert_eq!(sorted(site.pages().to_vec()), before);
    // Fixing it brings the change in.
    edit(dir.path(), "content/articles/arrival.md", "[he](@nobody)", "he");
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
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
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
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
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
    let changed = edit(dir.path(), departure, "crossed at Khasan for Vladivostok.", "crossed at Khasan.");
    assert!(matches!(site.update(dir.path(), &[changed]).unwrap(), Update::Pages(_)));
    assert!(!has(&site), "the second page is gone");
    assert_eq!(current(&mut site), sorted(render(dir.path()).pages().to_vec()));
}

/// A small site held as data, written out whole after every edit.
#[derive(Debug, Clone)]
struct Model {
    articles: Vec<(String, String, String)>,
    entities: Vec<Entity>,
    paginate_mentions_by: usize,
    template_note: Option<String>,
}

#[derive(Debug, Clone)]
struct Entity {
    folder: &'static str,
    id: String,
    name: String,
    aliases: Vec<String>,
    summary: String,
    description: String,
    coordinates: Option<(f64, f64)>,
}

impl Model {
    fn start() -> Model {
        let person = |id: &str, name: &str, aliases: &[&str]| Entity {
            folder: "people",
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            summary: format!("About {name}."),
            description: "Who they are.".into(),
            coordinates: None,
        };
        let place = |id: &str, name: &str, at: (f64, f64)| Entity {
            folder: "places",
            coordinates: Some(at),
            ..person(id, name, &[])
        };
        Model {
            articles: vec![
                (
                    "a".into(),
                    "2002-08-20".into(),
                    "Kim met Putin in Vladivostok.\n\nThe train stood by Golden Horn Bay.".into(),
                ),
                ("b".into(), "2002-08-21".into(), "Kim Yong Sam went to Khasan.\n\nThen Kim left.".into()),
            ],
            entities: vec![
                person("kim-jong-il", "Kim Jong-il", &["Kim", "the Dear Leader"]),
                person("kim-yong-sam", "Kim Yong Sam", &[]),
                person("vladimir-putin", "Vladimir Putin", &["Putin"]),
                place("vladivostok", "Vladivostok", (43.1, 131.9)),
                place("khasan", "Khasan", (42.43, 130.64)),
                // A walk from Vladivostok: their maps are plans of both.
                place("golden-horn-bay", "Golden Horn Bay", (43.11, 131.89)),
            ],
            paginate_mentions_by: 200,
            template_note: None,
        }
    }

    /// Writes the site into `root`, replacing what was there.
    fn write(&self, root: &Path) {
        let _ = fs::remove_dir_all(root.join("content"));
        let _ = fs::remove_dir_all(root.join("templates"));
        for (slug, date, body) in &self.articles {
            write(
                root,
                &format!("content/articles/{slug}.md"),
                &format!("---\ntitle: Article {slug}\ndate: {date}\n---\n{body}\n"),
            );
        }
        for e in &self.entities {
            let aliases: Vec<String> = e.aliases.iter().map(|a| format!("{a:?}")).collect();
            let mut text =
                format!("---\nname: {}\naliases: [{}]\nsummary: {:?}\n", e.name, aliases.join(", "), e.summary);
            if let Some((lat, lon)) = e.coordinates {
                text.push_str(&format!("coordinates: [{lat}, {lon}]\n"));
            }
            text.push_str(&format!("---\n{}\n", e.description));
            write(root, &format!("content/{}/{}.md", e.folder, e.id), &text);
        }
        write(
            root,
            "content/site.yaml",
            &format!("title: Edits\npaginate_mentions_by: {}\n", self.paginate_mentions_by),
        );
        if let Some(note) = &self.template_note {
            let base = include_str!("../../templates/entity.html");
            write(root, "templates/entity.html", &base.replace("</article>", &format!("<p>{note}</p></article>")));
        }
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// One edit an editor may make.
#[derive(Debug, Clone)]
enum Step {
    ArticleText(usize, String),
    ArticleDate(usize, u8),
    AddArticle(String),
    DeleteArticle(usize),
    Summary(usize, String),
    Description(usize, String),
    Aliases(usize, Vec<String>),
    Move(usize, f64),
    DeleteEntity(usize),
    PageSize(usize),
    Template(String),
}

fn words() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Kim"),
        Just("Kim Yong Sam"),
        Just("Kim\nJong-il"),
        Just("Putin"),
        Just("Vladivostok"),
        Just("Khasan"),
        Just("the Dear Leader"),
        Just("[the leader](@kim-jong-il)"),
        Just("[Kim](@)"),
        Just("met"),
        Just("and"),
        Just("."),
        Just("\n\n"),
        Just("[^n]\n\n[^n]: A note."),
    ];
    prop::collection::vec(piece, 1..14).prop_map(|p| p.join(" "))
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..4usize, words()).prop_map(|(i, t)| Step::ArticleText(i, t)),
        1 => (0..4usize, 1..28u8).prop_map(|(i, d)| Step::ArticleDate(i, d)),
        1 => words().prop_map(Step::AddArticle),
        1 => (0..4usize).prop_map(Step::DeleteArticle),
        2 => (0..6usize, "[A-Z][a-z]{0,8}( [a-z]{1,6}){0,3}\\.").prop_map(|(i, t)| Step::Summary(i, t)),
        2 => (0..6usize, words()).prop_map(|(i, t)| Step::Description(i, t)),
        1 => (0..6usize, prop::collection::vec(prop_oneof![Just("Kim".to_string()), Just("Khasan".to_string()), "[A-Z][a-z]{2,5}"], 0..3)).prop_map(|(i, a)| Step::Aliases(i, a)),
        1 => (0..7usize, -60.0..60.0f64).prop_map(|(i, lat)| Step::Move(i, (lat * 10.0).round() / 10.0)),
        // Within a walk of Vladivostok, or on its very spot.
        1 => (0..7usize, 43.08..43.12f64).prop_map(|(i, lat)| Step::Move(i, (lat * 1000.0).round() / 1000.0)),
        1 => (0..6usize).prop_map(Step::DeleteEntity),
        1 => (0..4usize).prop_map(Step::PageSize),
        1 => "[a-z]{1,8}".prop_map(Step::Template),
    ]
}

impl Step {
    /// Applies the edit to the model; returns the files it touched.
    fn apply(&self, model: &mut Model) -> Vec<String> {
        let article = |model: &Model, i: usize| (!model.articles.is_empty()).then(|| i % model.articles.len());
        let entity = |model: &Model, i: usize| (!model.entities.is_empty()).then(|| i % model.entities.len());
        let entity_file = |e: &Entity| format!("content/{}/{}.md", e.folder, e.id);
        match self {
            Step::ArticleText(i, text) => article(model, *i).map(|a| {
                model.articles[a].2 = text.clone();
                vec![format!("content/articles/{}.md", model.articles[a].0)]
            }),
            Step::ArticleDate(i, day) => article(model, *i).map(|a| {
                model.articles[a].1 = format!("2002-08-{day:02}");
                vec![format!("content/articles/{}.md", model.articles[a].0)]
            }),
            Step::AddArticle(text) => {
                let slug = format!("n{}", model.articles.len() + model.entities.len());
                model.articles.push((slug.clone(), "2002-09-01".into(), text.clone()));
                Some(vec![format!("content/articles/{slug}.md")])
            }
            Step::DeleteArticle(i) => article(model, *i).filter(|_| model.articles.len() > 1).map(|a| {
                let (slug, _, _) = model.articles.remove(a);
                vec![format!("content/articles/{slug}.md")]
            }),
            Step::Summary(i, text) => entity(model, *i).map(|e| {
                model.entities[e].summary = text.clone();
                vec![entity_file(&model.entities[e])]
            }),
            Step::Description(i, text) => entity(model, *i).map(|e| {
                model.entities[e].description = text.clone();
                vec![entity_file(&model.entities[e])]
            }),
            Step::Aliases(i, aliases) => entity(model, *i).map(|e| {
                model.entities[e].aliases = aliases.clone();
                vec![entity_file(&model.entities[e])]
            }),
            Step::Move(i, lat) => entity(model, *i).filter(|&e| model.entities[e].coordinates.is_some()).map(|e| {
                model.entities[e].coordinates = Some((*lat, 131.9));
                vec![entity_file(&model.entities[e])]
            }),
            Step::DeleteEntity(i) => entity(model, *i).filter(|_| model.entities.len() > 1).map(|e| {
                let gone = model.entities.remove(e);
                // Explicit links to it would now be errors: keep the text.
                for (_, _, body) in &mut model.articles {
                    *body = body.replace(&format!("(@{})", gone.id), "(@)");
                }
                vec![entity_file(&gone)]
            }),
            Step::PageSize(n) => {
                model.paginate_mentions_by = *n;
                Some(vec!["content/site.yaml".into()])
            }
            Step::Template(note) => {
                model.template_note = Some(note.clone());
                Some(vec!["templates/entity.html".into()])
            }
        }
        .unwrap_or_default()
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Any sequence of edits, applied one at a time as `gloss serve` applies
    /// them, leaves the site byte for byte as a full build of the same
    /// files makes it; an edit that breaks the site is refused by both.
    #[test]
    fn any_sequence_of_edits_gives_what_a_full_build_gives(
        steps in prop::collection::vec(step(), 1..7),
        budget in prop_oneof![Just(0usize), Just(2), Just(1000)],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut model = Model::start();
        model.write(dir.path());
        let mut site = render(dir.path());
        site.set_update_budget(budget);
        for step in &steps {
            let files = step.apply(&mut model);
            model.write(dir.path());
            let changed: Vec<PathBuf> = files.iter().map(|f| dir.path().join(f)).collect();
            let updated = site.update(dir.path(), &changed);
            match (updated, gloss::render_site(dir.path())) {
                (Ok(_), Ok(full)) => {
                    // Before stale pages are rendered, every other page is
                    // already as a full build makes it.
                    let stale = site.stale_pages().clone();
                    for page in site.pages().iter().filter(|p| !p.id.is_tile() && !stale.contains(&p.id)) {
                        let fresh = full.pages().iter().find(|f| f.path == page.path);
                        proptest::prop_assert_eq!(Some(page), fresh, "{} after {:?}", page.path, step);
                    }
                    proptest::prop_assert_eq!(current(&mut site), sorted(full.pages().to_vec()), "after {:?}", step);
                    proptest::prop_assert_eq!(&site.warnings.0, &full.warnings.0);
                    proptest::prop_assert_eq!(&site.index, &full.index, "after {:?}", step);
                }
                (Err(_), Err(_)) => {
                    // Both refuse the broken site; start again from it as it
                    // is, as serve would after the next good save.
                    model = Model::start();
                    model.write(dir.path());
                    site = render(dir.path());
                    site.set_update_budget(budget);
                }
                (Ok(_), Err(errors)) => proptest::prop_assert!(false, "{step:?} updated a site that does not build: {errors:?}"),
                (Err(errors), Ok(_)) => proptest::prop_assert!(false, "{step:?} failed an update of a site that builds: {errors:?}"),
            }
        }
    }
}
