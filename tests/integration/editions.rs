//! Editions in other languages, as their editors would write them
//! (`tests/fixtures/edition-de`, `-ru`, `-ar`): each builds without a
//! warning, marks its names in its own script, dates its article as its
//! readers write dates, and runs in its own direction; articles in other
//! languages than the site's are marked so, and translations link to each
//! other both ways.

use std::fs;

use crate::support::{copy_dir, fixture, render, text, Pages};

/// The mentions of an article page in text order: (text, entity).
fn mentions(pages: &Pages, path: &str) -> Vec<(String, String)> {
    pages
        .select(path, "main a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(t, e)| (t.to_string(), e.to_string())).collect()
}

fn clean_build(name: &str) -> gloss::Site {
    let site = render(&fixture(name));
    let warnings: Vec<String> = site.warnings.0.iter().map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "{name}:\n{}", warnings.join("\n\n"));
    site
}

#[test]
fn a_german_edition_reads_as_german() {
    let site = clean_build("edition-de");
    let pages = Pages::of(&site);
    let path = "articles/mauerfall.html";
    assert_eq!(
        mentions(&pages, path),
        pairs(&[
            ("Günter Schabowski", "guenter-schabowski"),
            ("Ost-Berlin", "berlin"),
            ("das Politbüromitglied", "guenter-schabowski"),
            ("Bornholmer Straße", "bornholmer-strasse"),
            ("Schabowski", "guenter-schabowski"),
            ("Westberlin", "berlin"),
            ("Brandenburger Tor", "brandenburger-tor"),
        ])
    );
    assert_eq!(pages.select(path, r#"html[lang="de"][dir="ltr"]"#).len(), 1);
    let meta = text(&pages.select(path, ".article-header .meta")[0]);
    assert!(meta.contains("10. November 1989"), "{meta}");
    // The edition's repair keeps the printed word in view, labelled in German.
    let repair = &pages.select(path, ".article-body .repair")[0];
    assert_eq!(text(repair), "Schlagbaum [gedruckt: Schalgbaum]");
}

#[test]
fn a_russian_edition_matches_inflected_names_its_editor_lists_and_sorts_in_russian_order() {
    let site = clean_build("edition-ru");
    let pages = Pages::of(&site);
    let path = "articles/vladivostok.html";
    assert_eq!(
        mentions(&pages, path),
        pairs(&[
            ("Ким Чен Ир", "kim-jong-il"),
            ("Путиным", "vladimir-putin"),
            ("Владивостоке", "vladivostok"),
            ("Ким Чен Ира", "kim-jong-il"),
            ("Хасан", "khasan"),
            ("северокорейский лидер", "kim-jong-il"),
            ("Владивосток", "vladivostok"),
            ("Владимир Путин", "vladimir-putin"),
            ("Путина", "vladimir-putin"),
            ("Ким Чен Ира", "kim-jong-il"),
            ("Путин", "vladimir-putin"),
        ])
    );
    let meta = text(&pages.select(path, ".article-header .meta")[0]);
    assert!(meta.contains("23 августа 2002"), "{meta}");
    // К before П, as the Russian alphabet has them.
    let people: Vec<String> =
        pages.select("people/index.html", "main li a[href$='.html']").iter().map(|a| text(a)).collect();
    let kim = people.iter().position(|n| n.starts_with("Ким")).unwrap();
    let putin = people.iter().position(|n| n.contains("Путин")).unwrap();
    assert!(kim < putin, "{people:?}");
}

#[test]
fn an_arabic_edition_runs_right_to_left() {
    let site = clean_build("edition-ar");
    let pages = Pages::of(&site);
    let path = "articles/maktaba.html";
    assert_eq!(
        mentions(&pages, path),
        pairs(&[
            ("مكتبة الإسكندرية", "bibliotheca-alexandrina"),
            ("حسني مبارك", "hosni-mubarak"),
            ("مكتبة الإسكندرية", "bibliotheca-alexandrina"),
            ("الإسكندرية", "alexandria"),
            ("مبارك", "hosni-mubarak"),
        ])
    );
    for page in ["articles/maktaba.html", "people/hosni-mubarak.html", "places/index.html"] {
        assert_eq!(pages.select(page, r#"html[lang="ar"][dir="rtl"]"#).len(), 1, "{page}");
    }
    let meta = text(&pages.select(path, ".article-header .meta")[0]);
    assert!(meta.contains("أكتوبر"), "{meta}");
}

#[test]
fn articles_in_another_language_are_marked_and_translations_link_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("edition-de"), dir.path());
    let article = dir.path().join("content/articles/mauerfall.md");
    let german = fs::read_to_string(&article).unwrap().replace("tags: [", "translations: {en: the-night}\ntags: [");
    fs::write(&article, german).unwrap();
    fs::write(
        dir.path().join("content/articles/the-night.md"),
        "---\ntitle: The night the Wall fell\nlanguage: en\ndate: 1989-11-10\n---\nGünter Schabowski read out the new travel rules.\n",
    )
    .unwrap();
    let site = render(dir.path());
    let pages = Pages::of(&site);
    // The English article in a German site: its own language and direction.
    assert_eq!(pages.select("articles/the-night.html", r#"article.article[lang="en"][dir="ltr"]"#).len(), 1);
    assert!(
        pages.select("articles/mauerfall.html", "article.article[lang]").is_empty(),
        "the site's own language is not repeated"
    );
    // Declared on one side, linked on both, in the head and for readers.
    for (path, lang, other) in
        [("articles/mauerfall.html", "en", "the-night.html"), ("articles/the-night.html", "de", "mauerfall.html")]
    {
        let links: Vec<(String, String)> = pages
            .select(path, r#"link[rel="alternate"][hreflang]"#)
            .iter()
            .map(|l| (l.value().attr("hreflang").unwrap().to_string(), l.value().attr("href").unwrap().to_string()))
            .collect();
        assert!(links.contains(&(lang.to_string(), other.to_string())), "{path}: {links:?}");
        let shown = pages.select(path, ".translations a");
        assert_eq!(shown.len(), 1, "{path}");
        assert_eq!(shown[0].value().attr("hreflang"), Some(lang));
    }
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());

    // A translation no article is, or one in another language, is an error where it is written.
    let broken = fs::read_to_string(&article).unwrap().replace("{en: the-night}", "{en: the-nite, fr: the-night}");
    fs::write(&article, broken).unwrap();
    let errors: Vec<String> = gloss::render_site(dir.path()).err().unwrap().0.iter().map(|d| d.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("mauerfall.md:") && e.contains("no article `the-nite`") && e.contains("the-night")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("`the-night` is in `en`, not `fr`")), "{errors:?}");
}
