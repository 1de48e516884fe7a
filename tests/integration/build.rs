//! `gloss build` on fixture sites: mentions, pages, links, output.

use std::fs;
use std::process::Command;

use crate::support::{default_site, fixture, render, text, Pages};

fn two_articles() -> Pages {
    Pages::of(&render(&fixture("two-articles")))
}

/// (text, entity id) of every mention in an article page's body.
fn mentions(pages: &Pages, path: &str) -> Vec<(String, String)> {
    pages
        .select(path, ".article-body a.mention")
        .iter()
        .map(|a| (text(a), a.value().attr("data-entity").unwrap().to_string()))
        .collect()
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    for site in [fixture("two-articles"), default_site()] {
        let pages = Pages::of(&render(&site));
        assert_eq!(pages.broken_links(), Vec::<String>::new(), "in {}", site.display());
    }
}

#[test]
fn anchor_ids_are_unique_on_every_page() {
    for site in [fixture("two-articles"), default_site()] {
        let pages = Pages::of(&render(&site));
        for path in pages.pages.keys() {
            let mut ids = pages.ids(path);
            let count = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), count, "duplicate ids on {path}");
        }
    }
}

#[test]
fn longest_alias_wins_kim_yong_sam_is_one_mention() {
    let pages = two_articles();
    let found = mentions(&pages, "articles/departure.html");
    assert!(found.contains(&("Kim Yong Sam".into(), "kim-yong-sam".into())), "{found:?}");
    assert!(!found.iter().any(|(t, _)| t == "Yong Sam"));
    let kims = found.iter().filter(|(_, id)| id == "kim-jong-il").count();
    // Kim Jong-il, Kim’s, Kim's and the explicit "the leader".
    assert_eq!(kims, 4, "{found:?}");
}

#[test]
fn possessives_link_the_name_only() {
    let pages = two_articles();
    let body = pages.select("articles/departure.html", ".article-body p")[0].html();
    assert!(body.contains(">Kim</a>’s train"), "{body}");
    assert!(body.contains(">Kim</a>'s escort"), "{body}");
}

#[test]
fn code_links_footnotes_and_opt_outs_are_never_mentions() {
    let pages = two_articles();
    let found = mentions(&pages, "articles/departure.html");
    assert!(!found.iter().any(|(t, _)| t.contains("home") || t.contains("inside")), "{found:?}");
    let code = pages.select("articles/departure.html", ".article-body code");
    assert!(code.iter().all(|c| c.select(&scraper::Selector::parse("a").unwrap()).next().is_none()));
    let notes = pages.select("articles/departure.html", ".footnotes a.mention");
    assert!(notes.is_empty(), "footnotes are editorial text");
    let opted_out = pages.select("articles/departure.html", ".article-body p")[2].html();
    assert!(opted_out.contains("so does Kim when marked"), "{opted_out}");
}

#[test]
fn explicit_links_in_editorial_text_are_plain_glossary_links() {
    let pages = two_articles();
    let intro = pages.select("articles/departure.html", ".intro a");
    assert_eq!(intro.len(), 1);
    assert_eq!(intro[0].value().attr("href"), Some("../people/kim-jong-il.html"));
    assert!(intro[0].value().attr("id").is_none());
}

#[test]
fn glossary_pages_gather_mentions_from_every_article() {
    let pages = two_articles();
    let backlinks: Vec<String> = pages
        .select("people/kim-jong-il.html", ".mentions li a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(backlinks.iter().any(|h| h.starts_with("../articles/departure.html#m-kim-jong-il-")));
    assert!(backlinks.iter().any(|h| h.starts_with("../articles/arrival.html#m-kim-jong-il-")));
    // Departure: 4 mentions; arrival: text, quote, list item.
    assert_eq!(backlinks.len(), 7, "{backlinks:?}");
}

#[test]
fn each_backlink_quotes_its_sentence() {
    let pages = two_articles();
    let quotes: Vec<String> = pages.select("places/vladivostok.html", ".mentions li").iter().map(text).collect();
    // The title is annotated too: its mention is quoted first.
    assert_eq!(quotes[0], "Arrival in Vladivostok");
    assert_eq!(quotes[1], "Kim arrived in Vladivostok, where Putin waited.");
    let marked = pages.select("places/vladivostok.html", ".mentions li mark");
    assert_eq!(text(&marked[1]), "Vladivostok");
}

#[test]
fn related_entities_are_declared_and_co_mentioned_with_counts() {
    let pages = two_articles();
    let related: Vec<String> = pages.select("people/kim-jong-il.html", ".related li").iter().map(text).collect();
    // Kim and Putin share the first paragraph of "arrival" and the quote.
    assert!(related.iter().any(|r| r.starts_with("Vladimir Putin mentioned together in 2 paragraphs")), "{related:?}");
    assert!(related.iter().any(|r| r.starts_with("Kim Yong-sam") || r.starts_with("Khasan")), "{related:?}");
}

#[test]
fn entity_pages_show_facts_and_authority_links() {
    let pages = two_articles();
    let facts: Vec<String> = pages.select("places/vladivostok.html", ".facts dd").iter().map(text).collect();
    assert!(facts.contains(&"43.12° N, 131.89° E".to_string()), "{facts:?}");
    assert!(facts.contains(&"Russia".to_string()));
    let roles: Vec<String> = pages.select("people/kim-jong-il.html", ".facts dd").iter().map(text).collect();
    assert!(roles.contains(&"Supreme Leader of North Korea (1994–2011)".to_string()), "{roles:?}");
    assert!(roles.contains(&"1941 or 1942".to_string()));
    let authorities = pages.select("people/kim-jong-il.html", ".authorities a");
    assert_eq!(text(&authorities[0]), "Wikidata");
}

#[test]
fn kind_indexes_list_a_to_z_with_counts() {
    let pages = two_articles();
    let names: Vec<String> = pages.select("places/index.html", ".entity-list li > a").iter().map(text).collect();
    assert_eq!(names, ["Khasan", "Russia", "Vladivostok"]);
    let counts: Vec<String> = pages.select("places/index.html", ".entity-list .count").iter().map(text).collect();
    assert_eq!(counts[2], "3 mentions");
}

#[test]
fn home_lists_several_articles_newest_first() {
    let pages = two_articles();
    let titles: Vec<String> = pages.select("index.html", ".article-list h2 a").iter().map(text).collect();
    assert_eq!(titles, ["Arrival in Vladivostok", "The Dear Leader departs"]);
}

#[test]
fn home_leads_straight_to_a_single_article() {
    let pages = Pages::of(&render(&default_site()));
    let refresh = pages.select("index.html", "meta[http-equiv=refresh]");
    assert_eq!(refresh[0].value().attr("content"), Some("0; url=articles/all-aboard.html"));
}

#[test]
fn article_lists_its_cast_by_kind() {
    let pages = two_articles();
    let cast: Vec<String> =
        pages.select("articles/departure.html", ".cast li > a:first-child").iter().map(text).collect();
    assert_eq!(cast, ["Kim Jong-il", "Kim Yong-sam", "Russia", "Khasan"]);
}

#[test]
fn no_link_relies_on_a_server() {
    let pages = two_articles();
    for path in pages.pages.keys() {
        for element in pages.select(path, "a[href], link[href], script[src]") {
            let target = element.value().attr("href").or(element.value().attr("src")).unwrap();
            if target.starts_with("https://") {
                continue;
            }
            assert!(!target.starts_with('/'), "{path}: root-relative link {target}");
            assert!(!target.split('#').next().unwrap().ends_with('/'), "{path}: link to a folder {target}");
        }
    }
}

#[test]
fn builds_are_byte_identical() {
    let first = render(&fixture("two-articles")).pages().to_vec();
    let second = render(&fixture("two-articles")).pages().to_vec();
    assert_eq!(first, second);
}

fn gloss() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
}

#[test]
fn build_writes_the_site_and_reports_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("two-articles"), dir.path());
    let out = gloss().args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Built 2 articles, 3 people, 3 places"), "{stderr}");
    let article = fs::read_to_string(dir.path().join("public/articles/departure.html")).unwrap();
    assert!(article.contains("class=\"mention"));
    assert!(dir.path().join("public/style.css").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("two-articles"), dir.path());
    assert!(gloss().args(["build", "--root"]).arg(dir.path()).status().unwrap().success());
    let before = fs::read(dir.path().join("public/people/kim-jong-il.html")).unwrap();

    let broken = dir.path().join("content/people/kim-jong-il.md");
    fs::write(&broken, "---\nname: [unclosed\n---\nText\n").unwrap();
    let out = gloss().args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/people/kim-jong-il.md:2:16: error: invalid YAML"), "{stderr}");
    assert_eq!(fs::read(dir.path().join("public/people/kim-jong-il.html")).unwrap(), before);
    let litter = litter(dir.path());
    assert!(litter.is_empty(), "{litter:?}");
}

/// What gloss left in `folder` besides the output: staging and set-aside
/// folders (`.public.gloss-staging`, `.public.gloss-old`).
fn litter(folder: &std::path::Path) -> Vec<String> {
    fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.contains("gloss-").then_some(name)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("two-articles"), dir.path());
    fs::create_dir_all(dir.path().join("static/img")).unwrap();
    fs::write(dir.path().join("static/img/logo.svg"), "<svg/>").unwrap();
    fs::write(dir.path().join("static/img/icon.svg"), "<svg/>").unwrap();
    let public = dir.path().join("public");
    let build = || assert!(gloss().args(["build", "--root"]).arg(dir.path()).status().unwrap().success());
    let inode = |page: &str| fs::metadata(public.join(page)).unwrap().ino();
    build();
    let untouched = ["people/kim-yong-sam.html", "places/khasan.html", "style.css", "img/logo.svg", "mentions.csv"];
    let before: Vec<u64> = untouched.iter().map(|p| inode(p)).collect();
    let icon = inode("img/icon.svg");
    fs::write(dir.path().join("static/img/icon.svg"), "<svg></svg>").unwrap();
    let tampered = inode("places/russia.html");
    fs::write(public.join("places/russia.html"), "edited by hand").unwrap();

    let arrival = dir.path().join("content/articles/arrival.md");
    let text = fs::read_to_string(&arrival).unwrap();
    fs::write(&arrival, text.replacen("Putin waited", "Putin himself waited", 1)).unwrap();
    build();

    // Unchanged files are the same files, so their modification times (and
    // sync tools) see no change; the edited article, a changed static file
    // and a page changed in the output by hand are written anew.
    let after: Vec<u64> = untouched.iter().map(|p| inode(p)).collect();
    assert_eq!(before, after, "{untouched:?}");
    assert!(fs::read_to_string(public.join("articles/arrival.html")).unwrap().contains("himself"));
    assert!(fs::read_to_string(public.join("people/vladimir-putin.html")).unwrap().contains("himself"));
    assert_ne!(inode("places/russia.html"), tampered);
    assert_ne!(inode("img/icon.svg"), icon);
    assert_eq!(fs::read_to_string(public.join("img/icon.svg")).unwrap(), "<svg></svg>");
    assert!(fs::read_to_string(public.join("places/russia.html")).unwrap().contains("<h1>Russia</h1>"));
}

#[test]
fn the_allocator_option_gloss_sets_is_the_purge_delay() {
    // `gloss build` sets mimalloc's option 15 (src/main.rs); mimalloc lists
    // its options in order when verbose, so a renumbering shows up here.
    let out = gloss().arg("--version").env("MIMALLOC_VERBOSE", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let options: Vec<&str> = stderr.lines().filter(|l| l.starts_with("option '")).collect();
    assert_eq!(options.get(15).and_then(|l| l.split('\'').nth(1)), Some("purge_delay"), "{stderr}");
}

#[test]
fn the_progress_bar_ends_at_the_number_of_pages_it_announced() {
    use std::sync::Mutex;
    let dir = tempfile::tempdir().unwrap();
    let options = gloss::BuildOptions {
        root: default_site(),
        output: Some(dir.path().join("out")),
        force: false,
        site: Default::default(),
    };
    let (announced, written) = (Mutex::new(0), Mutex::new(0));
    let report = gloss::build_with_progress(&options, &|p| match p {
        gloss::Progress::Rendering { pages } => *announced.lock().unwrap() = pages,
        gloss::Progress::PageWritten => *written.lock().unwrap() += 1,
    })
    .unwrap();
    // The default site's maps show tiles too, which are not pages.
    assert!(dir.path().join("out/maps").is_dir());
    assert_eq!(*written.lock().unwrap(), *announced.lock().unwrap());
    assert_eq!(report.pages, *announced.lock().unwrap());
}

#[test]
fn usage_errors_exit_with_2() {
    let out = gloss().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The fixture with `paginate_by` and `paginate_mentions_by` set in its
/// `site.yaml`.
fn paginated(per_page: usize) -> (tempfile::TempDir, Pages) {
    let settings = format!("paginate_by: {per_page}\npaginate_mentions_by: {per_page}\n");
    let dir = crate::support::fixture_with("two-articles", &settings);
    let pages = Pages::of(&render(dir.path()));
    (dir, pages)
}

fn listed(pages: &Pages, path: &str) -> Vec<String> {
    pages.select(path, ".article-list h2 a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect()
}

#[test]
fn the_home_page_is_paginated_with_links_that_work_from_every_page() {
    let (_dir, pages) = paginated(1);
    // Newest first: the arrival (23 August) before the departure (20 August).
    assert_eq!(listed(&pages, "index.html"), ["articles/arrival.html"]);
    assert_eq!(listed(&pages, "page/2/index.html"), ["../../articles/departure.html"]);
    assert!(!pages.pages.contains_key("page/3/index.html"));
    let next: Vec<_> = pages.select("index.html", ".pagination a[rel=next]");
    assert_eq!(next[0].value().attr("href"), Some("page/2/index.html"));
    let previous = pages.select("page/2/index.html", ".pagination a[rel=prev]");
    assert_eq!(previous[0].value().attr("href"), Some("../../index.html"));
    let stylesheet = pages.select("page/2/index.html", "link[rel=stylesheet]");
    assert_eq!(stylesheet[0].value().attr("href"), Some("../../style.css"));
    let title = text(&pages.select("page/2/index.html", "title")[0]);
    assert!(title.ends_with("page 2 of 2"), "{title}");
    assert_eq!(pages.broken_links(), Vec::<String>::new());
}

#[test]
fn a_pager_links_the_ends_and_the_pages_near_this_one_not_every_page() {
    // Twelve articles, one a page, their text hard-wrapped, and a theme's
    // pager drawn from `paginator.pages`.
    let dir = crate::support::fixture_with("two-articles", "paginate_by: 1\n");
    for day in 1..=10 {
        let article = format!(
            "---\ntitle: Day {day} in Khabarovsk\ndate: 2002-07-{day:02}\n---\nKim spent the day\nin Vladivostok.\n"
        );
        std::fs::write(dir.path().join(format!("content/articles/day-{day}.md")), article).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    let pager = r#"<nav class="pagination">{% for page in paginator.pages %}{% if page.gap_before %}<span class="gap">…</span>{% endif %}<a href="{{ page.url }}"{% if page.current %} aria-current="page"{% endif %}>{{ page.number }}</a>{% endfor %}</nav>"#;
    std::fs::write(dir.path().join("templates/pagination.html"), pager).unwrap();
    let pages = Pages::of(&render(dir.path()));
    let pager = |path: &str| -> Vec<String> {
        let items = pages.select(path, ".pagination a, .pagination .gap");
        items.iter().map(|e| if e.value().name() == "span" { "…".into() } else { text(e) }).collect()
    };
    assert_eq!(pager("page/6/index.html"), ["1", "…", "4", "5", "6", "7", "8", "…", "12"]);
    // Newest first: the arrival, the departure, then day 10 down to day 1.
    assert_eq!(listed(&pages, "page/6/index.html"), ["../../articles/day-7.html"]);
    assert_eq!(listed(&pages, "page/12/index.html"), ["../../articles/day-1.html"]);
    assert_eq!(pager("index.html"), ["1", "2", "3", "…", "12"]);
    assert_eq!(pager("page/12/index.html"), ["1", "…", "10", "11", "12"]);
    let current = pages.select("page/6/index.html", ".pagination a[aria-current=page]");
    assert_eq!(current[0].value().attr("href"), Some("index.html"));
    assert_eq!(pages.broken_links(), Vec::<String>::new());
}

#[test]
fn one_home_page_lists_every_article_when_pagination_is_off_or_not_needed() {
    for per_page in [0, 2] {
        let (_dir, pages) = paginated(per_page);
        assert_eq!(listed(&pages, "index.html").len(), 2, "paginate_by: {per_page}");
        assert!(pages.select("index.html", ".pagination").is_empty(), "paginate_by: {per_page}");
        assert!(!pages.pages.contains_key("page/2/index.html"), "paginate_by: {per_page}");
    }
}

#[test]
fn an_entity_in_more_articles_than_a_page_holds_gets_more_pages() {
    let (_dir, pages) = paginated(1);
    // Kim is in both articles: the newer on his page, the older on page 2.
    let heading = |path: &str| text(&pages.select(path, "#mentions-heading")[0]);
    let listed = |path: &str| -> Vec<String> {
        pages.select(path, ".mentions h3 a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect()
    };
    assert_eq!(listed("people/kim-jong-il.html"), ["../articles/arrival.html"]);
    assert_eq!(listed("people/kim-jong-il.page-2.html"), ["../articles/departure.html"]);
    assert_eq!(heading("people/kim-jong-il.html"), heading("people/kim-jong-il.page-2.html"), "the total on each page");
    let next = pages.select("people/kim-jong-il.html", ".mentions .pagination a[rel=next]");
    assert_eq!(next[0].value().attr("href"), Some("kim-jong-il.page-2.html"));
    // Putin is only in the arrival: one page.
    assert!(pages.select("people/vladimir-putin.html", ".pagination").is_empty());
    assert!(!pages.pages.contains_key("people/vladimir-putin.page-2.html"));
    assert_eq!(pages.broken_links(), Vec::<String>::new());
}

#[test]
fn a_sites_own_kind_gets_previews_and_structured_data_from_its_fact_roles() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "content/site.yaml",
        "title: Fleet\nkinds:\n  - id: ship\n    folder: ships\n    title: Ships\n    singular: Ship\n    schema: Vehicle\n    facts:\n      - {key: class, label: Class, type: text, role: type}\n      - {key: launched, label: Launched, type: year, role: founding}\n      - {key: home_port, label: Home port, type: entity, role: location}\n  - id: port\n    folder: ports\n    title: Ports\n    singular: Port\n    schema: Place\n    facts:\n      - {key: coordinates, label: Coordinates, type: coordinates}\n",
    );
    write("content/ships/admiral.md", "---\nname: Admiral Vinogradov\nsummary: A destroyer.\nclass: destroyer\nlaunched: 1987\nhome_port: vladivostok\n---\nA ship.\n");
    write(
        "content/ports/vladivostok.md",
        "---\nname: Vladivostok\nsummary: A port.\ncoordinates: [43.1, 131.9]\n---\nA port.\n",
    );
    write("content/articles/a.md", "---\ntitle: Visit\n---\nThe Admiral Vinogradov sailed from Vladivostok.\n");
    let site = render(dir.path());
    let page = |path: &str| site.pages().iter().find(|p| p.path == path).unwrap().html.clone();
    let ship = page("ships/admiral.html");
    assert!(ship.contains(r#""foundingDate":"1987""#), "{ship}");
    assert!(ship.contains(r#""location":{"@type":"Place","name":"Vladivostok"}"#), "{ship}");
    // The preview card says what the ship is and where it belongs.
    assert!(page("articles/a.html").contains(r#"data-fact="Destroyer in Vladivostok""#));
}

/// Builds `site` into `output` with the `gloss` binary; its exit status and
/// error output.
fn build_into(site: &std::path::Path, output: &std::path::Path) -> (Option<i32>, String) {
    let out = gloss().args(["build", "--root"]).arg(site).arg("--output").arg(output).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn an_output_that_is_a_symbolic_link_is_written_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    let www = dir.path().join("www");
    fs::create_dir(&www).unwrap();
    let public = dir.path().join("public");
    std::os::unix::fs::symlink(&www, &public).unwrap();
    for _ in 0..2 {
        let (status, stderr) = build_into(&fixture("two-articles"), &public);
        assert_eq!(status, Some(0), "{stderr}");
        assert!(fs::symlink_metadata(&public).unwrap().file_type().is_symlink(), "the link stays a link");
        assert!(www.join("index.html").is_file() && www.join(".gloss-output").is_file());
    }
    // No staging or set-aside folder is left anywhere.
    let names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn an_output_that_is_a_mount_point_is_filled_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let volume = dir.path().join("volume");
    fs::create_dir(&volume).unwrap();
    // A mount point, as a container's volume is; where this machine does
    // not let the test mount one, there is nothing to test.
    let mounted = Command::new("mount").args(["-t", "tmpfs", "gloss-test", volume.to_str().unwrap()]).status();
    if !mounted.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&volume);
    let site = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&fixture("two-articles"), site.path());
    let (status, stderr) = build_into(site.path(), &volume);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(volume.join("articles/arrival.html").is_file());
    // A second build replaces the first whole: a page that goes, goes.
    fs::remove_file(site.path().join("content/articles/departure.md")).unwrap();
    let (status, stderr) = build_into(site.path(), &volume);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(!volume.join("articles/departure.html").exists());
    let names: Vec<String> =
        fs::read_dir(&volume).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!names.iter().any(|n| n.starts_with(".gloss-") && n != ".gloss-output"), "{names:?}");
    // A failed build leaves it as it was.
    fs::write(site.path().join("content/articles/arrival.md"), "no front matter").unwrap();
    let before = fs::read(volume.join("index.html")).unwrap();
    let (status, stderr) = build_into(site.path(), &volume);
    assert_eq!(status, Some(1));
    assert!(stderr.contains("the previous output is untouched"), "{stderr}");
    assert_eq!(fs::read(volume.join("index.html")).unwrap(), before);
}

/// A build stopped by Ctrl-C (or `kill`) deletes its staging folder, which
/// for an archive is gigabytes, and leaves the previous output as it was.
#[cfg(unix)]
#[test]
fn a_stopped_build_deletes_its_staging_folder_and_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::create_dir_all(root.join("content/people")).unwrap();
    fs::write(root.join("content/site.yaml"), "title: Wire copy\n").unwrap();
    fs::write(root.join("content/people/zoe-muller.md"), "---\nname: Zoë Müller\naliases: [Müller]\n---\n").unwrap();
    let write_articles = |said: &str| {
        for i in 0..3000 {
            let body = format!("Zoë Müller, on day {i},\n{said} “the budget”.\nMüller left.");
            let text = format!("---\ntitle: “Day {i}”\ndate: 2024-01-01\n---\n{body}\n");
            fs::write(root.join(format!("content/articles/day-{i}.md")), text).unwrap();
        }
    };
    write_articles("said");
    assert!(gloss().args(["build", "--root"]).arg(root).status().unwrap().success());
    let page = root.join("public/articles/day-7.html");
    let before = fs::read_to_string(&page).unwrap();

    write_articles("questioned");
    let mut build = gloss().args(["build", "--root"]).arg(root).stderr(std::process::Stdio::null()).spawn().unwrap();
    let staging = root.join(".public.gloss-staging");
    // Stopped once it is writing pages.
    while !staging.join("articles").exists() {
        assert!(build.try_wait().unwrap().is_none(), "the build ended before it wrote a page");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(Command::new("kill").args(["-INT", &build.id().to_string()]).status().unwrap().success());
    let status = build.wait().unwrap();
    assert_eq!(status.code(), Some(130), "stopped as by the signal");
    assert!(!staging.exists(), "the staging folder is deleted");
    assert_eq!(fs::read_to_string(&page).unwrap(), before, "the previous output is as it was");
    let litter = litter(root);
    assert!(litter.is_empty(), "{litter:?}");
}
