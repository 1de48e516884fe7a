//! The scholarly apparatus as an editor uses it (`tests/fixtures/apparatus`:
//! a hard-wrapped wire story from Gdańsk with Polish names and curly
//! quotes): stand-off annotations that mark unnamed references, repair the
//! printed text and add notes without touching it; sources cited fact by
//! fact; and the errors an editor meets, each where it is.

use std::fs;

use crate::support::{copy_dir, fixture, render, text, Pages};

const ARTICLE: &str = "articles/strike.html";

/// The article's mentions in text order: (text, entity).
fn mentions(pages: &Pages) -> Vec<(String, String)> {
    pages
        .select(ARTICLE, ".article-body a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect()
}

#[test]
fn stand_off_annotations_mark_what_no_name_would() {
    let site = render(&fixture("apparatus"));
    let pages = Pages::of(&site);
    let found = mentions(&pages);
    let expected = [
        ("Lenin Shipyard", "lenin-shipyard"),
        ("Gdańsk", "gdansk"),
        // From the front matter's `annotations:`: no alias could say it.
        ("The electrician", "lech-walesa"),
        ("Lech Wałęsa", "lech-walesa"),
        ("Anna Walentynowicz", "anna-walentynowicz"),
        ("Mieczysław Jagielski", "mieczyslaw-jagielski"),
        // A correction that is a mention too: the link holds the repair.
        ("Wałęsa", "lech-walesa"),
        ("the crane operator", "anna-walentynowicz"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(t, e)| (t.to_string(), e.to_string())).collect();
    assert_eq!(found, expected);
    // The printed text stays in view, struck through, beside the repair.
    let repair = &pages.select(ARTICLE, ".article-body .repair")[0];
    assert_eq!(text(repair), "Wałęsa [printed: Walesa]");
    assert_eq!(
        repair.select(&scraper::Selector::parse("del").unwrap()).map(|d| text(&d)).collect::<Vec<_>>(),
        ["Walesa"]
    );
    // Nothing else in the text changed: "a crane operator" in the second
    // paragraph is no mention (the annotation quotes "the crane operator").
    let body = text(&pages.select(ARTICLE, ".article-body")[0]);
    assert!(body.contains("Anna Walentynowicz, a crane operator, five months"), "{body}");
}

#[test]
fn stand_off_notes_are_numbered_with_the_text_and_set_where_they_are_quoted() {
    let site = render(&fixture("apparatus"));
    let pages = Pages::of(&site);
    let notes: Vec<String> = pages.select(ARTICLE, ".footnotes li").iter().map(|li| text(li)).collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].starts_with("The closing quotation mark may be"), "{notes:?}");
    assert!(notes[1].starts_with("Gate No. 2"), "{notes:?}");
    assert!(notes[2].starts_with("The wire copy drops"), "{notes:?}");
    // Each reference stands at the end of its quote: the note on "the
    // gate" at its second occurrence, in the last paragraph.
    let paragraphs: Vec<String> = pages.select(ARTICLE, ".article-body > p").iter().map(|p| p.html()).collect();
    let gate = paragraphs.iter().position(|p| p.contains("note-ref-annotation-3")).unwrap();
    assert!(paragraphs[gate].contains("The crowd sang at the gate<sup"), "{}", paragraphs[gate]);
    assert!(paragraphs[0].contains("at the gate: “We"), "the first gate has no note");
    assert!(paragraphs[2].contains("solution”<sup"), "{}", paragraphs[2]);
}

#[test]
fn facts_and_authority_links_cite_their_sources() {
    let site = render(&fixture("apparatus"));
    let pages = Pages::of(&site);
    let page = "people/lech-walesa.html";
    let sources: Vec<String> = pages.select(page, ".sources li").iter().map(|li| text(li)).collect();
    assert_eq!(sources.len(), 2);
    assert!(sources[0].starts_with("The Nobel Prize, “Lech Wałęsa – Biographical”. Accessed"), "{sources:?}");
    let born = pages.select(page, ".facts dd")[0].html();
    assert!(born.contains(r##"href="#source-1""##), "{born}");
    let link = pages.select(page, ".authorities")[0].html();
    assert!(link.contains(r##"href="#source-2""##), "{link}");
    assert!(pages.ids(page).contains(&"source-2".to_string()));
    // JSON-LD cites them too.
    let ld = pages.select(page, r#"script[type="application/ld+json"]"#)[0].inner_html();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    let cited: Vec<&str> = ld["citation"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(cited, ["Lech Wałęsa – Biographical", "Lech Wałęsa (Q444)"]);
    // The article lists its own.
    assert_eq!(pages.select(ARTICLE, ".sources li").len(), 1);
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());
}

#[test]
fn the_unsourced_fact_lint_names_each_fact_paragraph_and_note_without_a_source() {
    // The fixture sets it to `warn`; Lech Wałęsa's page and one stand-off
    // note cite their sources, the rest do not.
    let site = render(&fixture("apparatus"));
    let mut found: Vec<String> = site
        .warnings
        .0
        .iter()
        .filter(|d| d.code == gloss::diagnostic::Code::Unsourced)
        .map(|d| {
            let at = d.location.as_ref().unwrap();
            format!("{}:{}: {}", at.path.display(), at.line, d.message)
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "content/articles/strike.annotations.yaml:4: this paragraph cites no source",
            "content/articles/strike.annotations.yaml:8: this paragraph cites no source",
            "content/people/anna-walentynowicz.md:4: `born` of `anna-walentynowicz` names no source",
            "content/people/anna-walentynowicz.md:6: this paragraph cites no source",
            "content/people/mieczyslaw-jagielski.md:5: this paragraph cites no source",
            "content/places/gdansk.md:4: `coordinates` of `gdansk` names no source",
            "content/places/gdansk.md:6: this paragraph cites no source",
            "content/places/lenin-shipyard.md:4: `coordinates` of `lenin-shipyard` names no source",
            "content/places/lenin-shipyard.md:6: this paragraph cites no source",
        ]
    );
    // Off unless a site sets it.
    let dir = site_with(&[("content/site.yaml", "title: Gdańsk, August 1980\n")]);
    let site = render(dir.path());
    assert!(site.warnings.0.iter().all(|d| d.code != gloss::diagnostic::Code::Unsourced));
}

#[test]
fn citations_in_descriptions_and_notes_link_to_the_numbered_sources() {
    let site = render(&fixture("apparatus"));
    let pages = Pages::of(&site);
    let cite = pages.select("people/lech-walesa.html", ".description .source-ref a");
    assert_eq!(
        cite.iter().map(|a| (text(a), a.value().attr("href").unwrap())).collect::<Vec<_>>(),
        [("[1]".to_string(), "#source-1")]
    );
    // The label is not shown.
    let description = text(&pages.select("people/lech-walesa.html", ".description")[0]);
    assert!(!description.contains('@'), "{description}");
    // A stand-off note cites the article's own sources.
    let note = pages.select(ARTICLE, ".footnotes li")[1].html();
    assert!(note.contains(r##"href="#source-1""##), "{note}");
    // An id no source has is an error where it is written.
    let path = "content/people/lech-walesa.md";
    let text = fs::read_to_string(fixture("apparatus").join(path)).unwrap().replace("[@nobel]", "[@nobell; @wikidata]");
    let dir = site_with(&[(path, &text)]);
    let errors = errors_of(&dir);
    assert!(errors.iter().any(|e| e.contains("lech-walesa.md:19:16") && e.contains("`nobell`")), "{errors:?}");
}

/// The fixture in a folder of its own, with files replaced.
fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("apparatus"), dir.path());
    for (path, text) in files {
        fs::write(dir.path().join(path), text).unwrap();
    }
    dir
}

/// The errors of a build, as printed.
fn errors_of(dir: &tempfile::TempDir) -> Vec<String> {
    match gloss::render_site(dir.path()) {
        Ok(_) => panic!("the site built"),
        Err(errors) => errors.0.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect(),
    }
}

const FILE: &str = "content/articles/strike.annotations.yaml";

#[test]
fn a_quote_found_twice_is_an_error_naming_both_places() {
    let dir = site_with(&[(FILE, "- quote: the gate\n  note: Which gate?\n")]);
    let errors = errors_of(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert!(e.contains("content/articles/strike.annotations.yaml:1:10"), "{e}");
    assert!(e.contains("is in the text 2 times: at line 16:14, line 28:19"), "{e}");
    assert!(e.contains("occurrence:"), "{e}");
}

#[test]
fn quotes_not_found_too_few_or_across_a_link_are_errors_where_written() {
    let article = "content/articles/strike.md";
    let text = fs::read_to_string(fixture("apparatus").join(article)).unwrap().replace("free trade", "*free* trade");
    let dir = site_with(&[
        (article, &text),
        (
            FILE,
            "- quote: the Electrician\n  entity: lech-walesa\n- quote: the gate\n  occurrence: 3\n  note: x\n- quote: free trade unions\n  note: x\n- quote: the crowd\n  prefix: to\n  note: x\n",
        ),
    ]);
    let errors = errors_of(&dir);
    let at = |line: usize| {
        errors
            .iter()
            .find(|e| e.contains(&format!("strike.annotations.yaml:{line}:")))
            .unwrap_or_else(|| panic!("nothing at line {line}: {errors:?}"))
    };
    assert!(at(1).contains("is not in the article's text"), "{}", at(1));
    assert!(at(3).contains("`occurrence: 3`") && at(3).contains("only 2 times"), "{}", at(3));
    assert!(at(6).contains("runs across emphasis"), "{}", at(6));
    assert!(at(8).contains("never with this prefix"), "{}", at(8));
}

#[test]
fn an_unknown_entity_an_overlap_or_an_orphan_file_is_an_error() {
    let dir = site_with(&[(FILE, "- quote: the crane operator\n  entity: ana-walentynowicz\n")]);
    let errors = errors_of(&dir);
    assert!(
        errors.iter().any(|e| e.contains("strike.annotations.yaml:1:") && e.contains("anna-walentynowicz")),
        "{errors:?}"
    );

    let dir = site_with(&[(
        FILE,
        "- quote: the crane operator\n  entity: anna-walentynowicz\n- quote: crane\n  occurrence: 2\n  entity: []\n",
    )]);
    let errors = errors_of(&dir);
    assert!(errors.iter().any(|e| e.contains(":3:") && e.contains("overlaps the annotation at line 1")), "{errors:?}");

    let dir = site_with(&[("content/articles/strik.annotations.yaml", "- quote: x\n  note: y\n")]);
    let errors = errors_of(&dir);
    assert!(errors.iter().any(|e| e.contains("strik.annotations.yaml") && e.contains("no article")), "{errors:?}");
}

#[test]
fn a_source_cited_but_not_listed_is_an_error_with_the_ids_there_are() {
    let path = "content/people/lech-walesa.md";
    let text =
        fs::read_to_string(fixture("apparatus").join(path)).unwrap().replace("source: nobel}", "source: nobell}");
    let dir = site_with(&[(path, &text)]);
    let errors = errors_of(&dir);
    assert!(
        errors.iter().any(|e| e.contains("lech-walesa.md:4:29") && e.contains("`nobell`") && e.contains("`nobel`")),
        "{errors:?}"
    );
}

#[test]
fn mentions_report_says_which_were_decided_by_an_annotation() {
    let site = gloss::annotate_site(&fixture("apparatus")).unwrap();
    let article = site.articles.iter().next().unwrap();
    let by_annotation: Vec<&str> = article
        .mentions
        .iter()
        .filter(|m| m.how == gloss::annotate::How::Annotation)
        .map(|m| article.mention_text(m))
        .collect();
    assert_eq!(by_annotation, ["The electrician", "Walesa", "the crane operator"]);
    assert_eq!(article.corrections.len(), 1);
    assert_eq!(
        (article.corrections[0].reads.as_str(), article.corrections[0].should_read.as_str()),
        ("Walesa", "Wałęsa")
    );
}
