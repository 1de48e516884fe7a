//! Editions in any script: names match as whole words in Cyrillic, Greek,
//! Arabic and Hebrew, and without word boundaries in scripts written without
//! spaces; case differs by Unicode case; inflected forms are suggested;
//! search folds case and diacritics (the same in Rust and in the reader's
//! script); the kind indexes sort and file names as the language does.

use std::fs;
use std::path::Path;
use std::process::Command;

use gloss::diagnostic::Code;

use crate::support::{render, text, Pages};

/// A site in a temporary folder in `language`, from `(path, text)` pairs
/// under `content/`.
fn site(language: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content")).unwrap();
    fs::write(dir.path().join("content/site.yaml"), format!("title: T\nlanguage: {language}\n")).unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn entity(name: &str, aliases: &str) -> String {
    format!("---\nname: {name}\naliases: [{aliases}]\nsummary: S.\n---\nD.\n")
}

fn article(body: &str) -> String {
    format!("---\ntitle: T\n---\n{body}\n")
}

/// The text of every mention of the article, in order.
fn mentions(root: &Path) -> Vec<String> {
    let site = render(root);
    let pages = Pages::of(&site);
    pages.select("articles/a.html", "a.mention").iter().map(text).collect()
}

#[test]
fn names_in_any_alphabet_match_as_whole_words() {
    let dir = site(
        "ru",
        &[
            ("people/putin.md", &entity("Владимир Путин", "Путин")),
            ("places/athens.md", &entity("Αθήνα", "")),
            ("places/riyadh.md", &entity("الرياض", "")),
            ("places/jerusalem.md", &entity("ירושלים", "")),
            (
                "articles/a.md",
                &article(
                    "Путин прибыл. Путина встретили. Путинизм — не Путин.\n\n\
                     Στην Αθήνα, όχι στην Αθήνας. في الرياض، لا الرياضة. בירושלים וב ירושלים.",
                ),
            ),
        ],
    );
    assert_eq!(mentions(dir.path()), ["Путин", "Путин", "Αθήνα", "الرياض", "ירושלים"]);
}

#[test]
fn names_in_scripts_without_spaces_match_inside_running_text() {
    let dir = site(
        "ja",
        &[
            ("people/abe.md", &entity("安倍晋三", "安倍")),
            ("places/tokyo.md", &entity("東京", "")),
            ("places/bangkok.md", &entity("กรุงเทพ", "")),
            ("articles/a.md", &article("昨日、安倍晋三首相は東京都で演説した。安倍氏はกรุงเทพมหานครへ。")),
        ],
    );
    assert_eq!(mentions(dir.path()), ["安倍晋三", "東京", "安倍", "กรุงเทพ"]);
}

#[test]
fn korean_names_are_marked_before_their_particles() {
    let dir = site(
        "ko",
        &[
            ("people/kim-jong-il.md", &entity("Kim Jong-il", "김정일")),
            ("places/pyongyang.md", &entity("Pyongyang", "평양")),
            ("articles/a.md", &article("김정일은 평양에서 연설했다. 김정일은행이라는 은행은 없다.")),
        ],
    );
    let site = render(dir.path());
    let pages = Pages::of(&site);
    let marks: Vec<(String, String)> = pages
        .select("articles/a.html", "a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect();
    assert_eq!(
        marks,
        [("김정일".to_string(), "kim-jong-il".to_string()), ("평양".to_string(), "pyongyang".to_string())]
    );
    // The mark is the name; the particle follows it, unmarked.
    let mark = pages.select("articles/a.html", "a.mention")[0];
    let after = mark.next_sibling().and_then(|n| n.value().as_text().map(|t| t.to_string()));
    assert!(
        after.is_some_and(|t| t.starts_with("은 ")),
        "{}",
        mark.parent().map(|p| scraper::ElementRef::wrap(p).unwrap().html()).unwrap_or_default()
    );
}

#[test]
fn case_differs_by_unicode_case() {
    let dir = site(
        "ru",
        &[
            ("people/putin.md", &entity("Владимир Путин", "Путин")),
            ("places/athens.md", &entity("Σάμος", "")),
            ("articles/a.md", &article("МОСКВА. ПУТИН сказал, что Путин прав. ΣΆΜΟΣ.")),
        ],
    );
    let site = render(dir.path());
    let near: Vec<String> =
        site.warnings.0.iter().filter(|d| d.code == Code::PossibleMention).map(|d| d.message.clone()).collect();
    assert_eq!(near.len(), 2, "{near:?}");
    assert!(near[0].contains("`ПУТИН` looks like `Путин`"), "{near:?}");
    assert!(near[1].contains("`ΣΆΜΟΣ` looks like `Σάμος`"), "{near:?}");
}

#[test]
fn the_review_suggests_inflected_forms_as_aliases() {
    let dir = site(
        "ru",
        &[
            ("people/putin.md", &entity("Владимир Путин", "Путин")),
            ("places/moscow.md", &entity("Москва", "")),
            ("articles/a.md", &article("Путин прибыл в Москву. Путина встретили; путина — нет.")),
        ],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["mentions", "--review", "--format", "json", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["text"].as_str().unwrap(), r["decision"].as_str().unwrap(), r["entities"][0].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("Москву", "inflected", "moscow"), ("Путина", "inflected", "putin")]);
    assert!(rows[1]["note"].as_str().unwrap().contains("add `Путина` to its aliases"), "{rows:?}");
    // A suggestion, not a warning.
    let warnings = render(dir.path()).warnings;
    assert!(!warnings.0.iter().any(|d| d.message.contains("Путина") || d.message.contains("Москву")), "{warnings:?}");
    // Once aliased, the form is a mention.
    fs::write(dir.path().join("content/people/putin.md"), entity("Владимир Путин", "Путин, Путина")).unwrap();
    assert_eq!(mentions(dir.path()), ["Путин", "Путина"]);
    // English names are not inflected: no suggestions.
    let english = site("en", &[("places/berlin.md", &entity("Berlin", "")), ("articles/a.md", &article("Berliners."))]);
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["mentions", "--review", "--format", "json", "--root"])
        .arg(english.path())
        .output()
        .unwrap();
    assert_eq!(serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap(), Vec::<serde_json::Value>::new());
}

/// The inflected forms `gloss mentions --review` suggests in the articles
/// of the `mixed-languages` site, once its language is `language`:
/// (file, text, decision).
fn suggested_in_mixed_languages(language: &str) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&crate::support::fixture("mixed-languages"), dir.path());
    fs::write(dir.path().join("content/site.yaml"), format!("title: T\nlanguage: {language}\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["mentions", "--review", "--format", "json", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let field = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap().to_string();
    let file = |r: &serde_json::Value| field(r, "file").rsplit('/').next().unwrap().to_string();
    rows.iter().map(|r| (file(r), field(r, "text"), field(r, "decision"))).collect()
}

#[test]
fn inflected_forms_are_suggested_by_each_articles_language() {
    let row = |file: &str, text: &str| (file.to_string(), text.to_string(), "inflected".to_string());
    let russian = [
        row("vstrecha.md", "Москве"),
        row("vstrecha.md", "Москве"),
        row("vstrecha.md", "Путина"),
        row("vstrecha.md", "Москву"),
    ];
    // A Russian article on an English site: its forms are suggested; the
    // English article's `Putinism` is not (in English it is no form of a
    // name). And the same on a Russian site with an English article.
    for language in ["en", "ru"] {
        assert_eq!(suggested_in_mixed_languages(language), russian, "on a site in `{language}`");
    }
}

#[test]
fn search_finds_walesa_for_walesa() {
    let dir = site(
        "pl",
        &[
            ("people/lech-walesa.md", &entity("Lech Wałęsa", "")),
            ("articles/a.md", &article("Przemówienie Wałęsy i Wałęsa w Gdańsku.")),
        ],
    );
    let site = render(dir.path());
    let index = &site.pages().iter().find(|p| p.path == "search-index.js").unwrap().html;
    let json = index.trim_start_matches("window.glossSearch = ").trim_end().trim_end_matches(';');
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let words: Vec<&str> = index["v"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    for word in ["walesa", "walesy", "gdansku", "przemowienie"] {
        assert!(words.contains(&word), "{word} in {words:?}");
    }
}

/// The reader's script folds and cuts words as the index does: the table
/// of `tests/data/search-folding.json`, run through `static/gloss.js`'s own
/// functions in node (the Rust side is a unit test of `render/search.rs`).
#[test]
fn the_reader_script_folds_as_the_index_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let test = root.join("tests/browser/search-folding.test.mjs");
    match Command::new("node").arg(&test).output() {
        Ok(out) => assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => eprintln!("node is not installed: skipped"),
        Err(e) => panic!("{e}"),
    }
}

/// The reader's script counts search results as the page's language does
/// (`tests/browser/counting.test.mjs`, on the shipped tables' forms).
#[test]
fn the_reader_script_counts_results_in_the_pages_language() {
    let test = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/counting.test.mjs");
    match Command::new("node").arg(&test).output() {
        Ok(out) => assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => eprintln!("node is not installed: skipped"),
        Err(e) => panic!("{e}"),
    }
}

/// The letters of a kind index and the names under each.
fn letters(root: &Path) -> Vec<(String, Vec<String>)> {
    let site = render(root);
    let pages = Pages::of(&site);
    pages
        .select("people/index.html", "section.letter")
        .iter()
        .map(|section| {
            let heading = section.select(&scraper::Selector::parse("h2").unwrap()).next().map(|h| text(&h)).unwrap();
            let link = scraper::Selector::parse("li a[href$='.html']").unwrap();
            let names = section.select(&link).map(|a| text(&a)).collect();
            (heading, names)
        })
        .collect()
}

fn people(language: &str, names: &[&str]) -> tempfile::TempDir {
    let files: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (format!("people/p{i}.md"), entity(name, "")))
        .chain([("articles/a.md".to_string(), article("Nothing."))])
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    site(language, &files)
}

#[test]
fn indexes_sort_and_file_names_as_the_language_does() {
    let polish = people("pl", &["Marek", "Łukasz", "Lech", "Zofia", "Anna"]);
    let owned = |list: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        list.iter().map(|(l, n)| (l.to_string(), n.iter().map(|s| s.to_string()).collect())).collect()
    };
    assert_eq!(
        letters(polish.path()),
        owned(&[("A", &["Anna"]), ("L", &["Lech"]), ("Ł", &["Łukasz"]), ("M", &["Marek"]), ("Z", &["Zofia"])])
    );
    let german = people("de", &["Bertha", "Ärger", "Abel", "Zeller"]);
    assert_eq!(letters(german.path()), owned(&[("A", &["Abel", "Ärger"]), ("B", &["Bertha"]), ("Z", &["Zeller"])]));
    // Chinese: in pinyin order, under the Latin letter each name's pinyin
    // starts with (Běijīng, Guǎngzhōu, Shànghǎi, Shēnzhèn); a Latin name
    // under its own letter, after the Han names of it.
    let chinese = people("zh", &["深圳", "上海", "Shenzhen Daily", "北京", "广州"]);
    assert_eq!(
        letters(chinese.path()),
        owned(&[("B", &["北京"]), ("G", &["广州"]), ("S", &["上海", "深圳", "Shenzhen Daily"])])
    );
    let russian = people("ru", &["Юрий", "Борис", "Ёлкин", "Андрей", "Жуков"]);
    assert_eq!(
        letters(russian.path()),
        owned(&[("А", &["Андрей"]), ("Б", &["Борис"]), ("Е", &["Ёлкин"]), ("Ж", &["Жуков"]), ("Ю", &["Юрий"])])
    );
}

#[test]
fn equally_related_entities_follow_the_languages_order() {
    // Byte order would put `Łódź` after `Mazury`; Polish puts it after `Lublin`.
    let dir = site(
        "pl",
        &[
            ("people/anna.md", &entity("Anna Nowak", "")),
            ("places/mazury.md", &entity("Mazury", "")),
            ("places/lodz.md", &entity("Łódź", "")),
            ("places/lublin.md", &entity("Lublin", "")),
            ("articles/a.md", &article("Anna Nowak jechała przez Mazury, Łódź i Lublin.")),
        ],
    );
    let site = render(dir.path());
    let pages = Pages::of(&site);
    let related: Vec<String> = pages.select("people/anna.html", ".related li a").iter().map(text).collect();
    assert_eq!(related, ["Lublin", "Łódź", "Mazury"]);
}
