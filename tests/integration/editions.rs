//! Editions in other languages, as their editors would write them
//! (`tests/fixtures/edition-de`, `-ru`, `-ar`, `-ja`): each builds without a
//! warning, marks its names in its own script, dates its article as its
//! readers write dates, sorts its indexes as its readers do, is found by
//! the words of its own script, and runs in its own direction; articles in
//! other languages than the site's are marked so, and translations link to
//! each other both ways.

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
    // A list is separated with the Arabic comma.
    let forms = text(&pages.select("people/hosni-mubarak.html", ".forms")[0]);
    assert_eq!(forms, "حسني مبارك (1×)، مبارك (1×)");
}

/// The names of a kind index in order, and its letters.
fn index(pages: &Pages, path: &str) -> (Vec<String>, Vec<String>) {
    let names = pages.select(path, "main li a[href$='.html']").iter().map(|a| text(a)).collect();
    let letters = pages.select(path, "section.letter h2").iter().map(|h| text(h)).collect();
    (names, letters)
}

/// A script the site writes (`search-index.js`, `search/text-0.js`): the
/// JSON it assigns.
fn script_json(site: &gloss::Site, path: &str) -> serde_json::Value {
    let script = &site.pages().iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path}")).html;
    let start = script.find("= {").or_else(|| script.find("] = [").map(|at| at + 2)).unwrap() + 2;
    let json = &script[start..];
    serde_json::from_str(json.trim_end().trim_end_matches(';')).unwrap()
}

#[test]
fn a_japanese_edition_finds_names_without_spaces_sorts_by_reading_and_is_searched_by_pairs() {
    let site = clean_build("edition-ja");
    let pages = Pages::of(&site);
    let path = "articles/pontocho.html";
    // Names run into the particles and titles after them: 中村美和さん,
    // 中村氏が, 上田健一課長は, ブラウンは. The article is hard-wrapped, as
    // editors write, inside sentences and names (鴨川|通訳の会, 中村|美和,
    // 上|田): a line break between Japanese characters is no space, so the
    // names wrapped are found whole (鴨川通訳の会, not the river 鴨川).
    assert_eq!(
        mentions(&pages, path),
        pairs(&[
            ("先斗町", "pontocho"),
            ("京都市", "kyoto"),
            ("先斗町", "pontocho"),
            ("鴨川通訳の会", "kamogawa-tsuyaku-no-kai"),
            ("中村美和", "nakamura-miwa"),
            ("京都", "kyoto"),
            ("中村", "nakamura-miwa"),
            ("鴨川", "kamogawa"),
            ("四条大橋", "shijo-ohashi"),
            ("マイケル・ブラウン", "michael-brown"),
            ("先斗町", "pontocho"),
            ("ブラウン", "michael-brown"),
            ("京都市", "kyoto"),
            ("上田健一", "ueda-kenichi"),
            ("上田", "ueda-kenichi"),
        ])
    );
    assert_eq!(pages.select(path, r#"html[lang="ja"][dir="ltr"]"#).len(), 1);
    // The page's text has nothing where the lines were broken.
    let body = text(&pages.select(path, ".article-body")[0]);
    for joined in [
        "「鴨川通訳の会」",
        "代表の中村美和さん",
        "分かりにくい。",
        "約30人で、",
        "狭い路地を歩いた",
        "話す。上田課長は",
    ] {
        assert!(body.contains(joined), "{joined} in {body}");
    }
    let paragraphs = pages.select(path, ".article-body p");
    assert!(paragraphs.iter().all(|p| !text(p).contains(char::is_whitespace)), "{body}");
    let meta = text(&pages.select(path, ".article-header .meta")[0]);
    assert!(meta.contains("2002年8月20日"), "{meta}");
    // Punctuation as Japanese sets it: 、 between the items of a list, 。 at
    // the end of a sentence, full-width parentheses with no space before.
    let person = "people/nakamura-miwa.html";
    assert_eq!(text(&pages.select(person, ".forms")[0]), "中村（1回）、中村美和（1回）");
    assert_eq!(text(&pages.select(person, "#mentions-heading")[0]), "言及（2）");
    let caption = text(&pages.select("places/kyoto.html", "figcaption")[0]);
    assert!(caption.starts_with("京都、") && caption.ends_with("。"), "{caption}");
    // Each count of the cast says 2回, "twice", and its label says so too.
    for count in pages.select(path, ".cast a.count") {
        let label = count.value().attr("aria-label").unwrap();
        assert!(text(&count).ends_with('回') && label.contains(&text(&count)), "{label}");
    }
    assert_eq!(text(&pages.select(path, "#cast-heading")[0]), "この記事に登場する項目");
    // By reading (`sort_as`, in kana), in the order of the kana table, as a
    // Japanese index is: う, な, ふ (a voiced kana under its plain one);
    // by the names' own characters the katakana name would come first.
    assert_eq!(
        index(&pages, "people/index.html"),
        (
            vec!["上田健一".to_string(), "中村美和".into(), "マイケル・ブラウン".into()],
            vec!["ウ".to_string(), "ナ".into(), "フ".into()]
        )
    );
    assert_eq!(
        index(&pages, "places/index.html"),
        (
            vec!["鴨川".to_string(), "京都".into(), "四条大橋".into(), "先斗町".into()],
            vec!["カ".to_string(), "キ".into(), "シ".into(), "ホ".into()]
        )
    );
    // Search: the text is indexed in character pairs, so two characters of
    // it typed (路地, "alley") find its paragraphs, in the first chunk, the
    // pair broken over two lines in one of them (狭い路|地を).
    let index = script_json(&site, "search-index.js");
    let article = index["e"].as_array().unwrap().iter().position(|e| e["u"] == path).unwrap();
    let words = index["v"].as_array().unwrap();
    let at = words.iter().position(|w| w == "路地").expect("路地 is a word of the index");
    assert_eq!(index["m"][at], "1", "in chunk 0");
    let text_chunk = script_json(&site, "search/text-0.js");
    let found: Vec<&serde_json::Value> =
        text_chunk.as_array().unwrap().iter().filter(|p| p["s"].as_str().unwrap().contains("路地")).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|p| p["p"] == article), "{found:?}");
    assert!(found.iter().any(|p| p["s"].as_str().unwrap().contains("狭い路地を歩いた")), "{found:?}");
    // The W3C export quotes the page's text: the wrapped name as the page
    // shows it, with no space in it or around it.
    let export = &site.pages().iter().find(|p| p.path == "articles/pontocho.annotations.jsonld").unwrap().html;
    let export: serde_json::Value = serde_json::from_str(export).unwrap();
    let items = export["first"]["items"].as_array().unwrap();
    let selector = &items.iter().find(|a| a["id"].as_str().unwrap().ends_with("#m-nakamura-miwa-1")).unwrap()["target"]
        ["selector"];
    assert_eq!(selector[0]["exact"], "中村美和");
    assert_eq!(selector[0]["prefix"], "人観光客を英語で案内する「鴨川通訳の会」の活動が始まった。代表の");
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
