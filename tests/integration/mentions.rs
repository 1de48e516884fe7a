//! Mentions on an editor's own copy: wrapped lines, shared surnames, names
//! in several scripts; the review (`gloss mentions`), lint levels,
//! `sort_as` and ids made from any name.

use std::fs;
use std::path::Path;
use std::process::Command;

use gloss::diagnostic::Code;

use crate::support::{fixture, render, text, Pages};

fn gloss() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
}

/// A site in a temporary folder, from `(path, text)` pairs under `content/`.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    if !dir.path().join("content/site.yaml").exists() {
        fs::write(dir.path().join("content/site.yaml"), "title: T\n").unwrap();
    }
    dir
}

fn person(name: &str, aliases: &str) -> String {
    format!("---\nname: {name}\naliases: [{aliases}]\nsummary: Someone.\n---\nAbout them.\n")
}

/// Every mention of the article page, in reading order: its text (white
/// space collapsed) and the entities it links.
fn mentions_of(pages: &Pages, path: &str) -> Vec<(String, String)> {
    pages
        .select(path, "a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect()
}

#[test]
fn an_editors_wrapped_copy_is_linked_exactly() {
    let site = render(&fixture("editors-copy"));
    let pages = Pages::of(&site);
    let found = mentions_of(&pages, "articles/twenty-years-on.html");
    let expected = [
        // The title and the subtitle (folded over two lines in YAML).
        ("the Wall", "berlin-wall"),
        ("Berlin", "berlin"),
        ("Angela Merkel", "angela-merkel"),
        ("Mikhail Gorbachev", "mikhail-gorbachev"),
        ("Lech Wałęsa", "lech-walesa"),
        // "BERLIN —", the dateline, is a possible mention, not a link.
        ("Berlin Wall", "berlin-wall"),
        ("Angela Merkel", "angela-merkel"),
        ("Bornholmer Straße", "bornholmer-strasse"),
        ("Mikhail Gorbachev", "mikhail-gorbachev"),
        ("Lech Wałęsa", "lech-walesa"),
        ("the Wall", "berlin-wall"),
        ("the chancellor", "angela-merkel"),
        ("Merkel", "angela-merkel"),
        ("The chancellor", "angela-merkel"),
        ("The former Soviet leader", "mikhail-gorbachev"),
        ("Gorbi", "mikhail-gorbachev"),
        ("Gorbachev", "mikhail-gorbachev"),
        // A heading with runs of spaces.
        ("Berlin Wall", "berlin-wall"),
        ("the Wall", "berlin-wall"),
        ("Potsdamer Platz", "potsdamer-platz"),
        ("the Reichstag", "reichstag"),
        ("The Polish electrician", "lech-walesa"),
        ("Gdańsk Shipyard", "gdansk-shipyard"),
        // A block quote.
        ("Solidarity", "solidarity"),
        ("Wałęsa", "lech-walesa"),
        ("Solidarność", "solidarity"),
        ("Gdańsk", "gdansk"),
        // Two Clintons: each bare "Clinton" is the one named last.
        ("Hillary Clinton", "hillary-clinton"),
        ("the US secretary of state", "hillary-clinton"),
        ("Clinton", "hillary-clinton"),
        ("President Barack Obama", "barack-obama"),
        ("The secretary of state", "hillary-clinton"),
        ("Gordon Brown", "gordon-brown"),
        ("Nicolas Sarkozy", "nicolas-sarkozy"),
        ("Dmitry Medvedev", "dmitry-medvedev"),
        ("Klaus Wowereit", "klaus-wowereit"),
        ("the mayor of Berlin", "klaus-wowereit"),
        ("Brandenburg Gate", "brandenburg-gate"),
        ("The mayor", "klaus-wowereit"),
        ("Bill Clinton", "bill-clinton"),
        ("Brandenburg Gate", "brandenburg-gate"),
        ("Berlin", "berlin"),
        ("Clinton", "bill-clinton"),
        // A table, then a list item wrapped inside a possessive.
        ("Dmitry Medvedev", "dmitry-medvedev"),
        ("Gordon Brown", "gordon-brown"),
        ("Nicolas Sarkozy", "nicolas-sarkozy"),
        ("Medvedev", "dmitry-medvedev"),
        ("Gorbachev", "mikhail-gorbachev"),
        ("Sarkozy", "nicolas-sarkozy"),
        ("Merkel", "angela-merkel"),
        ("the Reichstag", "reichstag"),
        ("Brandenburg Gate", "brandenburg-gate"),
        ("Angela Merkel", "angela-merkel"),
        ("Mikhail Gorbachev", "mikhail-gorbachev"),
        ("Lech Wałęsa", "lech-walesa"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(t, e)| (t.to_string(), e.to_string())).collect();
    assert_eq!(found, expected);
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());
}

#[test]
fn linked_text_keeps_the_source_characters() {
    let site = render(&fixture("editors-copy"));
    let page = &site.pages().iter().find(|p| p.path == "articles/twenty-years-on.html").unwrap().html;
    for written in ["Angela\nMerkel</a>", "Lech\u{a0}Wałęsa</a>", "Brandenburg\tGate</a>", "Hillary\nClinton</a>"] {
        assert!(page.contains(written), "no {written:?} in the page");
    }
}

#[test]
fn the_subtitle_is_annotated_as_the_title_is() {
    let site = render(&fixture("editors-copy"));
    let pages = Pages::of(&site);
    let linked = pages.select("articles/twenty-years-on.html", ".subtitle a.mention");
    assert_eq!(linked.len(), 3);
    // Its mentions are quoted on the entity's page like any other.
    let quotes: Vec<String> = pages.select("people/lech-walesa.html", ".mention-list li").iter().map(text).collect();
    assert!(quotes[0].contains("Angela Merkel, Mikhail Gorbachev and Lech Wałęsa walk the old border"), "{quotes:?}");
}

#[test]
fn in_the_text_lists_the_forms_used_with_counts() {
    let site = render(&fixture("editors-copy"));
    let pages = Pages::of(&site);
    let forms = text(&pages.select("people/angela-merkel.html", "dd.forms")[0]);
    assert_eq!(forms, "Angela Merkel (3×), Merkel (2×), The chancellor (1×), the chancellor (1×)");
    // An alias no article uses is not listed.
    let forms = text(&pages.select("places/gdansk.html", "dd.forms")[0]);
    assert!(!forms.contains("Danzig"), "{forms}");
}

#[test]
fn a_shared_alias_goes_to_the_last_one_named() {
    let dir = site(&[
        ("people/hillary-clinton.md", &person("Hillary Clinton", "Clinton")),
        ("people/bill-clinton.md", &person("Bill Clinton", "Clinton")),
        (
            "articles/a.md",
            "---\ntitle: Two Clintons\n---\nHillary Clinton spoke. Clinton left.\n\n\
             Then [Clinton](@bill-clinton) spoke: Clinton again.\n\nBill Clinton and\nHillary Clinton met; Clinton smiled.\n",
        ),
    ]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    let entities: Vec<String> = mentions_of(&pages, "articles/a.html").into_iter().map(|(_, e)| e).collect();
    assert_eq!(
        entities,
        [
            "hillary-clinton",
            "hillary-clinton",
            // An explicit link wins, and settles the next bare one.
            "bill-clinton",
            "bill-clinton",
            "bill-clinton",
            "hillary-clinton",
            "hillary-clinton",
        ]
    );
}

#[test]
fn a_shared_alias_with_no_antecedent_is_an_error_listing_every_candidate() {
    let dir = site(&[
        ("people/hillary-clinton.md", &person("Hillary Clinton", "Clinton")),
        ("people/bill-clinton.md", &person("Bill Clinton", "Clinton")),
        ("articles/a.md", "---\ntitle: T\n---\nClinton spoke first.\n\nHillary Clinton and Bill Clinton listened.\n"),
    ]);
    let errors = gloss::render_site(dir.path()).err().expect("fails");
    let error = errors.0.iter().find(|d| d.code == Code::AmbiguousAlias).expect("an ambiguous alias");
    let at = error.location.as_ref().unwrap();
    assert_eq!((at.line, at.column), (4, 1));
    let hint = error.hint.as_deref().unwrap();
    assert!(hint.contains("[Clinton](@bill-clinton)") && hint.contains("[Clinton](@hillary-clinton)"), "{hint}");
}

#[test]
fn a_distant_antecedent_and_a_first_name_are_flagged_for_review() {
    let filler = "Nothing happened.\n\n".repeat(4);
    let article = format!(
        "---\ntitle: T\n---\nHillary Clinton spoke, and Bill Clinton.\n\n{filler}Clinton left.\n\nAngela said so; \
         Angela Merkel agreed. [Angela](@angela-merkel) smiled.\n"
    );
    let dir = site(&[
        ("people/hillary-clinton.md", &person("Hillary Clinton", "Clinton")),
        ("people/bill-clinton.md", &person("Bill Clinton", "Clinton")),
        ("people/angela-merkel.md", &person("Angela Merkel", "Merkel")),
        ("articles/a.md", &article),
    ]);
    let site = render(dir.path());
    let codes: Vec<(Code, usize)> =
        site.warnings.0.iter().map(|d| (d.code, d.location.as_ref().unwrap().line)).collect();
    assert!(codes.contains(&(Code::DistantAntecedent, 14)), "{codes:?}");
    // Only the bare first name: not the full name, not the explicit link.
    let first_names: Vec<usize> = site
        .warnings
        .0
        .iter()
        .filter(|d| d.code == Code::FirstNameAlone)
        .map(|d| d.location.as_ref().unwrap().column)
        .collect();
    assert_eq!(first_names, [1]);

    let out = gloss().args(["mentions", "--review", "--format", "json", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<(String, String, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["text"].as_str().unwrap().into(), r["decision"].as_str().unwrap().into(), r["linked"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [("Clinton".to_string(), "antecedent".to_string(), true), ("Angela".into(), "first name".into(), false)]
    );
}

#[test]
fn the_review_lists_every_decision_where_it_was_made() {
    let out = gloss().args(["mentions", "--format", "json", "--root"]).arg(fixture("editors-copy")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.iter().filter(|r| r["linked"] == true).count(), 55);
    let row = |text: &str, nth: usize| rows.iter().filter(|r| r["text"] == text).nth(nth).unwrap().clone();
    // A name wrapped over two lines, located where it starts.
    let wrapped = row("Angela Merkel", 1);
    assert_eq!((wrapped["line"].as_u64(), wrapped["column"].as_u64()), (Some(11), Some(20)));
    assert_eq!(wrapped["decision"], "name");
    // The subtitle, folded in YAML: its second line.
    let folded = row("Lech Wałęsa", 0);
    assert_eq!((folded["line"].as_u64(), folded["column"].as_u64()), (Some(4), Some(17)));
    assert_eq!(row("Merkel", 0)["decision"], "alias");
    assert_eq!(row("The Polish electrician", 0)["decision"], "explicit");
    let clinton = row("Clinton", 0);
    assert_eq!(clinton["decision"], "antecedent");
    assert_eq!(clinton["entities"], serde_json::json!(["hillary-clinton"]));
    assert_eq!(clinton["note"], "after `the US secretary of state` at 40:10");
    let dateline = row("BERLIN", 0);
    assert_eq!((dateline["linked"].as_bool(), dateline["decision"].as_str()), (Some(false), Some("case differs")));
    assert_eq!(dateline["review"], true);

    // The same rows as CSV, with a header; one article only.
    let csv = gloss()
        .args(["mentions", "--format", "csv", "--article", "twenty-years-on", "--root"])
        .arg(fixture("editors-copy"))
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(csv.lines().next(), Some("file,line,column,text,linked,entities,decision,note,review"));
    assert_eq!(csv.lines().count(), rows.len() + 1);
    assert!(csv.contains(
        "content/articles/twenty-years-on.md,10,1,BERLIN,false,berlin,case differs,looks like `Berlin`,true"
    ));

    // The table marks rows to review and ends with a count, on stderr.
    let table = gloss().args(["mentions", "--root"]).arg(fixture("editors-copy")).output().unwrap();
    let stdout = String::from_utf8(table.stdout).unwrap();
    assert!(stdout.lines().any(|l| l.starts_with("? content/articles/twenty-years-on.md:10:1 ")), "{stdout}");
    let stderr = String::from_utf8(table.stderr).unwrap();
    assert!(stderr.contains("55 mentions (30 by name, 22 by alias, 1 explicit, 2 by antecedent)"), "{stderr}");
}

#[test]
fn the_review_of_an_unknown_article_is_a_usage_error() {
    let out = gloss()
        .args(["mentions", "--article", "twenty-years", "--root"])
        .arg(fixture("editors-copy"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `twenty-years-on`?"));
}

#[test]
fn the_review_is_printed_even_when_a_shared_alias_is_unsettled() {
    let dir = site(&[
        ("people/hillary-clinton.md", &person("Hillary Clinton", "Clinton")),
        ("people/bill-clinton.md", &person("Bill Clinton", "Clinton")),
        ("articles/a.md", "---\ntitle: T\n---\nClinton spoke.\n"),
    ]);
    let out = gloss().args(["mentions", "--format", "csv", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains(",Clinton,false,bill-clinton or hillary-clinton,ambiguous,"), "{csv}");
}

#[test]
fn lint_levels_allow_warn_and_deny() {
    let base = [
        ("people/angela-merkel.md", person("Angela Merkel", "Merkel, Frau Merkel")),
        ("articles/a.md", "---\ntitle: T\n---\nAngela Merkel spoke; later merkel left.\n".to_string()),
    ];
    let with = |lints: &str| {
        let mut files: Vec<(&str, &str)> = base.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let yaml = format!("title: T\n{lints}");
        files.push(("site.yaml", &yaml));
        site(&files)
    };
    let codes =
        |dir: &Path| -> Vec<(Code, bool)> { render(dir).warnings.0.iter().map(|d| (d.code, d.is_error())).collect() };
    // By default all are warnings, and none fails a check.
    let plain = with("");
    assert_eq!(
        codes(plain.path()),
        [(Code::PossibleMention, false), (Code::UnusedAlias, false), (Code::UnusedAlias, false)]
    );
    let check = gloss().args(["check", "--root"]).arg(plain.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(0));

    let set = with("lints:\n  unused_alias: allow\n  possible_mention: deny\n");
    assert_eq!(codes(set.path()), [(Code::PossibleMention, true)]);
    let check = gloss().args(["check", "--root"]).arg(set.path()).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("error[possible_mention]: `merkel` looks like `Merkel`"), "{stderr}");
    assert!(stderr.contains("`possible_mention` is set to `deny` in content/site.yaml"), "{stderr}");
    // A denied lint fails a build, which leaves no output.
    let output = set.path().join("public");
    let build = gloss().args(["build", "--root"]).arg(set.path()).output().unwrap();
    assert_eq!(build.status.code(), Some(1));
    assert!(!output.exists());

    let typo = with("lints:\n  possible_mentions: allow\n");
    let errors = gloss::render_site(typo.path()).err().expect("an unknown lint fails");
    let error = errors.0.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.path.as_deref(), Some(Path::new("content/site.yaml")));
    assert_eq!(error.hint.as_deref(), Some("did you mean `possible_mention`?"));
    assert_eq!(error.location.as_ref().map(|l| (l.line, l.column)), Some((3, 3)));
}

#[test]
fn names_file_under_sort_as() {
    let site = render(&fixture("editors-copy"));
    let pages = Pages::of(&site);
    let letters: Vec<String> = pages.select("people/index.html", ".letter h2").iter().map(text).collect();
    assert_eq!(letters, ["B", "C", "G", "M", "O", "S", "W"]);
    let names: Vec<String> = pages.select("people/index.html", ".letter li > a").iter().map(text).collect();
    assert_eq!(
        names,
        [
            "Gordon Brown",
            "Bill Clinton",
            "Hillary Clinton",
            "Mikhail Gorbachev",
            "Dmitry Medvedev",
            "Angela Merkel",
            "Barack Obama",
            "Nicolas Sarkozy",
            "Lech Wałęsa",
            "Klaus Wowereit",
        ]
    );
    // Search results that score alike come in the same order.
    let index = &site.pages().iter().find(|p| p.path == "search-index.js").unwrap().html;
    let json = index.trim_start_matches("window.glossSearch = ").trim_end().trim_end_matches(';');
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let people: Vec<&str> = index["e"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["k"] == "Person")
        .map(|e| e["t"].as_str().unwrap())
        .collect();
    assert_eq!(people, names);
}

#[test]
fn new_entities_get_ids_from_names_in_any_script() {
    let dir = site(&[]);
    let new = |args: &[&str]| gloss().arg("new").args(args).arg("--root").arg(dir.path()).output().unwrap();
    for (kind, name, path) in [
        ("person", "Lech Wałęsa", "content/people/lech-walesa.md"),
        ("place", "Gdańsk", "content/places/gdansk.md"),
        ("place", "Łódź", "content/places/lodz.md"),
        ("place", "Владивосток", "content/places/vladivostok.md"),
    ] {
        let out = new(&[kind, name]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), path);
        let text = fs::read_to_string(dir.path().join(path)).unwrap();
        assert!(text.contains(&format!("name: {name}\n")), "{text}");
    }
    // Nothing usable in the name: gloss asks for an id, and takes one.
    let out = new(&["organisation", "⚑ ⚑"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--id"));
    let out = new(&["organisation", "⚑ ⚑", "--id", "the-flags"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "content/organisations/the-flags.md");
    let out = new(&["organisation", "Flags", "--id", "The Flags"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--id the-flags`"));
    // Every file made builds.
    render(dir.path());
}

#[test]
fn a_name_across_a_hard_line_break_is_one_mention_that_keeps_the_break() {
    let dir = site(&[
        ("people/angela-merkel.md", &person("Angela Merkel", "Merkel")),
        ("articles/a.md", "---\ntitle: T\n---\nToday Angela  \nMerkel spoke; Angela\\\nMerkel too.  \nThe end.\n"),
    ]);
    let site = render(dir.path());
    let pages = Pages::of(&site);
    let found = mentions_of(&pages, "articles/a.html");
    assert_eq!(found.len(), 2, "{found:?}");
    let links = pages.select("articles/a.html", "a.mention");
    assert!(links.iter().all(|a| a.inner_html().starts_with("Angela<br")), "the break stays a break");
    // A hard break outside a name is left as it was.
    assert_eq!(pages.select("articles/a.html", "p br").len(), 3);
}
