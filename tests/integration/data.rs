//! The site's data for reuse, read back as a consumer reads it:
//! `places.geojson` and each article's GeoJSON as GeoJSON (RFC 7946),
//! `entities.json` as JSON, `mentions.csv` with a CSV reader, each checked
//! against the pages that show the same things.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use gloss::Site;
use scraper::Selector;
use serde_json::Value;

use crate::support::{copy_dir, default_site, fixture, fixture_with, join, render, text, Pages};

/// The text of the output file at `path`.
fn file<'a>(site: &'a Site, path: &str) -> &'a str {
    let page = site.pages().iter().find(|p| p.path == path);
    &page.unwrap_or_else(|| panic!("no file {path}")).html
}

fn has_file(site: &Site, path: &str) -> bool {
    site.pages().iter().any(|p| p.path == path)
}

/// The features of a GeoJSON file, checked to be a FeatureCollection that
/// the `geojson` crate reads.
fn features(site: &Site, path: &str) -> Vec<Value> {
    let text = file(site, path);
    let parsed: geojson::GeoJson = text.parse().unwrap_or_else(|e| panic!("{path} is not GeoJSON: {e}"));
    assert!(matches!(parsed, geojson::GeoJson::FeatureCollection(_)), "{path} is no FeatureCollection");
    let value: Value = serde_json::from_str(text).unwrap();
    assert_eq!(value["type"], "FeatureCollection");
    value["features"].as_array().unwrap().clone()
}

/// `[longitude, latitude]` of a point, checked to be in range.
fn position(value: &Value) -> [f64; 2] {
    let pair = value.as_array().unwrap_or_else(|| panic!("no position: {value}"));
    assert_eq!(pair.len(), 2, "{value}");
    let (lon, lat) = (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap());
    assert!((-180.0..=180.0).contains(&lon), "longitude {lon} out of range in {value}");
    assert!((-90.0..=90.0).contains(&lat), "latitude {lat} out of range in {value}");
    [lon, lat]
}

/// An entity's `[longitude, latitude]` as its file gives them.
fn lon_lat(site: &Site, id: &str) -> [f64; 2] {
    let entity = site.registry.entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("no entity {id}"));
    let (lat, lon) = entity.coordinates.unwrap_or_else(|| panic!("{id} has no coordinates"));
    [lon, lat]
}

/// Each entity's number of mentions as the kind indexes show it.
fn mentions_on_kind_pages(site: &Site) -> BTreeMap<String, usize> {
    let pages = Pages::of(site);
    let mut counts = BTreeMap::new();
    for kind in ["people", "places", "organisations"] {
        let index = format!("{kind}/index.html");
        if !pages.pages.contains_key(&index) {
            continue;
        }
        for item in pages.select(&index, ".entity-list li") {
            let link = item.select(&Selector::parse("a").unwrap()).next().unwrap();
            let href = link.value().attr("href").unwrap();
            let id = href.rsplit('/').next().unwrap().trim_end_matches(".html").to_string();
            let count = item.select(&Selector::parse(".count").unwrap()).next().unwrap();
            let number = text(&count).split(' ').next().unwrap().parse().unwrap();
            counts.insert(id, number);
        }
    }
    counts
}

/// The rows of `mentions.csv`, by column name, checked to have the header.
fn mention_rows(site: &Site) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(file(site, "mentions.csv").as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["article", "anchor", "url", "text", "entities", "how"]);
    reader
        .records()
        .map(|record| header.iter().cloned().zip(record.unwrap().iter().map(String::from)).collect())
        .collect()
}

#[test]
fn default_site_places_geojson_has_every_located_entity_at_longitude_then_latitude() {
    let site = render(&default_site());
    let features = features(&site, "places.geojson");
    let located: Vec<&str> =
        site.registry.entities.iter().filter(|e| e.coordinates.is_some()).map(|e| e.id.as_str()).collect();
    assert!(located.len() >= 5, "the default site has places: {located:?}");
    let ids: Vec<&str> = features.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, located, "one feature per entity with coordinates, in order");
    let counts = mentions_on_kind_pages(&site);
    for feature in &features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "Point");
        let id = feature["id"].as_str().unwrap();
        assert_eq!(position(&feature["geometry"]["coordinates"]), lon_lat(&site, id), "{id}");
        let properties = &feature["properties"];
        assert_eq!(properties["id"], id);
        let url = properties["url"].as_str().unwrap();
        assert!(has_file(&site, url), "{id}: {url} is no page");
        assert!(!url.starts_with('/') && !url.starts_with("http"), "relative to the root without base_url: {url}");
        let name = &site.registry.entities.iter().find(|e| e.id == id).unwrap().name.value;
        assert_eq!(properties["name"], name.as_str());
        let page_id = url.rsplit('/').next().unwrap().trim_end_matches(".html");
        assert_eq!(properties["mentions"].as_u64().unwrap() as usize, counts[page_id], "{id}");
        assert!(properties["articles"].as_u64().unwrap() <= 1, "the default site has one article");
        assert!(properties["summary"].is_string(), "{id}: every entity of the default site has a summary");
    }
    // Vladivostok is on the Sea of Japan: far east, not in the Antarctic.
    let vladivostok = features.iter().find(|f| f["id"] == "vladivostok").unwrap();
    let [lon, lat] = position(&vladivostok["geometry"]["coordinates"]);
    assert!((lon - 131.9).abs() < 0.1 && (lat - 43.1).abs() < 0.1, "[{lon}, {lat}]");
    let properties = &vladivostok["properties"];
    assert_eq!(properties["kind"], "place");
    assert_eq!(properties["url"], "places/vladivostok.html");
    assert_eq!(properties["articles"], 1);
    assert!(properties["mentions"].as_u64().unwrap() >= 1);
    assert!(properties.get("number").is_none(), "numbers are the article maps'");
}

#[test]
fn city_walk_article_geojson_numbers_its_places_as_the_map_does_and_follows_the_route() {
    let site = render(&fixture("city-walk"));
    let pages = Pages::of(&site);
    let article = "articles/mauerweg.html";
    let links = pages.select(article, r#"head link[rel="alternate"][type="application/geo+json"]"#);
    assert_eq!(links.len(), 1, "the article's head links its GeoJSON");
    let path = join(article, links[0].value().attr("href").unwrap());
    assert_eq!(path, "articles/mauerweg.geojson");
    let features = features(&site, &path);

    // The points: one per place of the map, numbered as its list of places.
    let listed: Vec<String> = pages
        .select(article, "ol.map-places a")
        .iter()
        .map(|a| join(article, a.value().attr("href").unwrap()))
        .collect();
    let points: Vec<&Value> = features.iter().filter(|f| f["geometry"]["type"] == "Point").collect();
    assert_eq!(points.len(), listed.len());
    for (i, point) in points.iter().enumerate() {
        let id = point["id"].as_str().unwrap();
        assert_eq!(point["properties"]["number"], i + 1, "{id}");
        assert_eq!(point["properties"]["url"], listed[i].as_str(), "{id} is place {} on the map", i + 1);
        assert_eq!(position(&point["geometry"]["coordinates"]), lon_lat(&site, id));
        assert_eq!(point["properties"]["kind"], "place");
        // Its mentions in this article, as the text marks them; how many
        // articles name it is the site's file's to say.
        let marked = pages.select(article, &format!(r#"article.article a.mention[data-entity="{id}"]"#)).len();
        assert_eq!(point["properties"]["mentions"], marked, "{id}");
        assert!(point["properties"].get("articles").is_none(), "{id}");
    }

    // The route: a line through its stops, in order.
    let route = ["reichstag", "brandenburger-tor", "checkpoint-charlie", "museumsinsel"];
    let lines: Vec<&Value> = features.iter().filter(|f| f["geometry"]["type"] != "Point").collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["geometry"]["type"], "LineString", "Berlin is far from the antimeridian");
    assert_eq!(lines[0]["properties"]["name"], "Route");
    assert_eq!(lines[0]["properties"]["article"], "mauerweg");
    let vertices: Vec<[f64; 2]> =
        lines[0]["geometry"]["coordinates"].as_array().unwrap().iter().map(position).collect();
    let stops: Vec<[f64; 2]> = route.iter().map(|id| lon_lat(&site, id)).collect();
    assert_eq!(vertices, stops);
    let first: Vec<&str> = points[..route.len()].iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(first, route, "the route's stops are numbered first");
    // Berlin: longitude about 13.4, latitude about 52.5.
    assert!(vertices.iter().all(|[lon, lat]| (13.0..14.0).contains(lon) && (52.0..53.0).contains(lat)));
}

#[test]
fn every_article_with_a_map_has_a_geojson_file_and_links_it_and_no_other_does() {
    for root in
        [default_site(), fixture("city-walk"), fixture("editors-copy"), fixture("publishing"), fixture("two-articles")]
    {
        let site = render(&root);
        let pages = Pages::of(&site);
        for doc in &site.registry.articles {
            let page = format!("articles/{}.html", doc.slug);
            let geojson = format!("articles/{}.geojson", doc.slug);
            let has_map = !pages.select(&page, "figure.route-map").is_empty();
            let links = pages.select(&page, r#"link[type="application/geo+json"]"#);
            assert_eq!(has_file(&site, &geojson), has_map, "{}: {geojson}", root.display());
            assert_eq!(links.len(), usize::from(has_map), "{}: {page}", root.display());
            if has_map {
                let count = features(&site, &geojson).iter().filter(|f| f["geometry"]["type"] == "Point").count();
                assert_eq!(count, pages.select(&page, "ol.map-places li").len(), "{geojson}");
            }
        }
        assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());
    }
}

#[test]
fn a_route_without_two_located_stops_has_no_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("city-walk"), dir.path());
    let path = dir.path().join("content/articles/mauerweg.md");
    let text = fs::read_to_string(&path).unwrap();
    let text =
        text.replace("route: [reichstag, brandenburger-tor, checkpoint-charlie, museumsinsel]", "route: [reichstag]");
    fs::write(&path, text).unwrap();
    let site = render(dir.path());
    let features = features(&site, "articles/mauerweg.geojson");
    assert!(features.iter().all(|f| f["geometry"]["type"] == "Point"));
    assert_eq!(features[0]["id"], "reichstag");
    assert_eq!(features.len(), 6);
}

#[test]
fn entities_json_has_every_entity_with_its_facts_and_the_counts_the_pages_show() {
    let site = render(&default_site());
    let value: Value = serde_json::from_str(file(&site, "entities.json")).unwrap();
    let entities = value["entities"].as_array().unwrap();
    let ids: Vec<&str> = entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = site.registry.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, registry, "every entity, in the registry's order");
    let counts = mentions_on_kind_pages(&site);
    let rows = mention_rows(&site);
    for entity in entities {
        let id = entity["id"].as_str().unwrap();
        let url = entity["url"].as_str().unwrap();
        assert!(has_file(&site, url), "{id}: {url}");
        assert_eq!(entity["mentions"].as_u64().unwrap() as usize, counts[id], "{id}: as its kind's index says");
        let mentioning: Vec<&BTreeMap<String, String>> =
            rows.iter().filter(|r| r["entities"].split(", ").any(|e| e == id)).collect();
        assert_eq!(entity["mentions"].as_u64().unwrap() as usize, mentioning.len(), "{id}: as mentions.csv lists");
        let articles: BTreeSet<&str> = mentioning.iter().map(|r| r["article"].as_str()).collect();
        assert_eq!(entity["articles"].as_u64().unwrap() as usize, articles.len(), "{id}");
        for key in ["name", "kind"] {
            assert!(entity[key].is_string(), "{id}: {key}");
        }
        for key in ["aliases", "same_as", "facts", "sources"] {
            assert!(entity[key].is_array(), "{id}: {key}");
        }
        for fact in entity["facts"].as_array().unwrap() {
            assert!(fact["key"].is_string() && fact["label"].is_string() && fact["type"].is_string(), "{fact}");
            assert!(fact["sources"].is_array(), "{fact}");
        }
        for link in entity["same_as"].as_array().unwrap() {
            assert!(link["url"].as_str().unwrap().starts_with("https://"), "{link}");
            assert!(link["sources"].is_array(), "{link}");
        }
    }
    let entity = |id: &str| entities.iter().find(|e| e["id"] == id).unwrap();
    let fact = |id: &str, key: &str| {
        let facts = entity(id)["facts"].as_array().unwrap().clone();
        facts.into_iter().find(|f| f["key"] == key).unwrap_or_else(|| panic!("{id} has no {key}"))
    };
    let vladivostok = entity("vladivostok");
    assert_eq!(vladivostok["kind"], "place");
    assert_eq!(vladivostok["url"], "places/vladivostok.html");
    assert_eq!(
        vladivostok["same_as"][0]["url"],
        "https://www.wikidata.org/wiki/Special:ItemByTitle/enwiki/Vladivostok"
    );
    assert_eq!(vladivostok["same_as"][0]["sources"], serde_json::json!(["wikipedia-vladivostok"]));
    let coordinates = fact("vladivostok", "coordinates");
    assert_eq!(coordinates["type"], "coordinates");
    assert_eq!(coordinates["value"], serde_json::json!({"lat": 43.13, "lon": 131.9}));
    let country = fact("vladivostok", "country");
    assert_eq!(
        (&country["type"], &country["value"], &country["label"]),
        (&"entity".into(), &"russia".into(), &"Country".into())
    );
    assert_eq!(fact("vladivostok", "type")["value"], "city and port");
    let kim = entity("kim-jong-il");
    assert_eq!(kim["kind"], "person");
    assert!(kim["aliases"].as_array().unwrap().iter().any(|a| a == "the Dear Leader"), "{}", kim["aliases"]);
    let born = fact("kim-jong-il", "born");
    assert_eq!((&born["type"], &born["value"]), (&"year".into(), &"1941 or 1942".into()), "a year in dispute is text");
    assert_eq!(fact("kim-jong-il", "died")["value"], 2011);
    let roles = fact("kim-jong-il", "roles");
    assert_eq!(roles["type"], "roles");
    assert!(roles["value"].as_array().unwrap().iter().all(|r| r["title"].is_string()), "{roles}");
}

#[test]
fn mentions_csv_has_a_row_for_every_mention_each_at_its_anchor() {
    let site = render(&default_site());
    let pages = Pages::of(&site);
    let rows = mention_rows(&site);
    let slug = &site.registry.articles[gloss::model::ArticleId::from(0)].slug;
    let page = format!("articles/{slug}.html");
    let marked = pages.select(&page, r#"[class~="mention"]"#);
    assert_eq!(rows.len(), 61, "the default site's article has 61 mentions");
    assert_eq!(rows.len(), marked.len(), "one row per mention marked on the page");
    let ids: BTreeSet<String> = pages.ids(&page).into_iter().collect();
    let entities: BTreeSet<&str> = site.registry.entities.iter().map(|e| e.id.as_str()).collect();
    for (row, element) in rows.iter().zip(&marked) {
        assert_eq!(&row["article"], slug);
        let anchor = &row["anchor"];
        assert!(anchor.starts_with("m-"), "{anchor}");
        assert!(ids.contains(anchor), "{anchor} is no id on {page}");
        assert_eq!(row["url"], format!("{page}#{anchor}"));
        assert_eq!(element.value().attr("id"), Some(anchor.as_str()), "in the page's order");
        assert_eq!(row["text"], text(element), "{anchor}: the text as printed");
        for id in row["entities"].split(", ") {
            assert!(entities.contains(id), "{anchor}: {id}");
        }
        let marked: Vec<&str> = element.value().attr("data-entity").unwrap().split(' ').collect();
        assert_eq!(marked, row["entities"].split(", ").collect::<Vec<_>>(), "{anchor}");
        assert!(["name", "alias", "explicit", "antecedent", "annotation"].contains(&row["how"].as_str()), "{row:?}");
    }
    let anchors: BTreeSet<&str> = rows.iter().map(|r| r["anchor"].as_str()).collect();
    assert_eq!(anchors.len(), rows.len(), "each anchor once");

    // The same text, entities and decisions as `gloss mentions --format csv`.
    let review = gloss::review::rows(&gloss::annotate_site(&default_site()).unwrap(), &Default::default());
    let linked: Vec<(String, String, String)> = review
        .iter()
        .filter(|r| r.linked)
        .map(|r| (r.text.clone(), r.entities.join(", "), r.decision.into()))
        .collect();
    let listed: Vec<(String, String, String)> =
        rows.iter().map(|r| (r["text"].clone(), r["entities"].clone(), r["how"].clone())).collect();
    assert_eq!(listed, linked);
}

#[test]
fn data_urls_are_absolute_under_a_base_url() {
    let dir = fixture_with("city-walk", "base_url: https://example.org/walk\n");
    let site = render(dir.path());
    for path in ["places.geojson", "articles/mauerweg.geojson"] {
        for feature in features(&site, path).iter().filter(|f| f["geometry"]["type"] == "Point") {
            let url = feature["properties"]["url"].as_str().unwrap();
            assert!(url.starts_with("https://example.org/walk/places/"), "{path}: {url}");
        }
    }
    let value: Value = serde_json::from_str(file(&site, "entities.json")).unwrap();
    assert_eq!(value["entities"][0]["url"].as_str().unwrap(), "https://example.org/walk/places/alexanderplatz.html");
    let rows = mention_rows(&site);
    assert!(rows[0]["url"].starts_with("https://example.org/walk/articles/mauerweg.html#m-"), "{:?}", rows[0]);
}

#[test]
fn kind_indexes_link_the_data_files_the_site_has() {
    let site = render(&default_site());
    let pages = Pages::of(&site);
    for index in ["people/index.html", "places/index.html", "organisations/index.html"] {
        let links = pages.select(index, ".downloads a");
        let names: Vec<String> = links.iter().map(text).collect();
        assert_eq!(names, ["entities.json", "mentions.csv", "places.geojson"], "{index}");
        for link in &links {
            let href = link.value().attr("href").unwrap();
            assert!(href.starts_with("../"), "relative: {href}");
            assert!(has_file(&site, &join(index, href)), "{index}: {href}");
        }
    }
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());

    // A site without coordinates has no places.geojson, and no link to it.
    let site = render(&fixture("editors-copy"));
    assert!(!has_file(&site, "places.geojson"));
    let pages = Pages::of(&site);
    let names: Vec<String> = pages.select("people/index.html", ".downloads a").iter().map(text).collect();
    assert_eq!(names, ["entities.json", "mentions.csv"]);
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());
}

#[test]
fn an_edit_brings_the_data_files_up_to_date_as_a_full_build_makes_them() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("city-walk"), dir.path());
    let mut site = render(dir.path());
    // Move the Reichstag a little: its point and the route's first vertex move.
    let changed = dir.path().join("content/places/reichstag.md");
    let text = fs::read_to_string(&changed).unwrap();
    fs::write(&changed, text.replace("coordinates: [52.5186, 13.3762]", "coordinates: [52.5187, 13.3763]")).unwrap();
    let update = site.update(dir.path(), &[changed]).unwrap();
    assert!(matches!(update, gloss::Update::Pages(_)), "a partial rebuild: {update:?}");
    let gloss::Update::Pages(paths) = update else { unreachable!() };
    assert!(paths.contains(&"articles/mauerweg.geojson".to_string()), "{paths:?}");
    let whole_site = site.stale_pages().iter().filter(|id| id.is_whole_site()).count();
    assert!(whole_site >= 4, "the whole-site files wait to be asked for");
    site.refresh_all().unwrap();
    let full = render(dir.path());
    for path in ["places.geojson", "articles/mauerweg.geojson", "entities.json", "mentions.csv"] {
        assert_eq!(file(&site, path), file(&full, path), "{path}");
    }
    let features = features(&site, "places.geojson");
    let reichstag = features.iter().find(|f| f["id"] == "reichstag").unwrap();
    assert_eq!(position(&reichstag["geometry"]["coordinates"]), [13.3763, 52.5187]);
}

#[test]
fn a_site_writes_only_the_data_files_it_lists_and_links_only_those() {
    let all = render(&fixture("city-walk"));
    let article = "articles/mauerweg";
    for path in ["places.geojson", "entities.json", "mentions.csv"] {
        assert!(has_file(&all, path), "by default: {path}");
    }
    assert!(has_file(&all, &format!("{article}.annotations.jsonld")) && has_file(&all, &format!("{article}.geojson")));

    let dir = fixture_with("city-walk", "data_files: [geojson]\n");
    let site = render(dir.path());
    let pages = Pages::of(&site);
    assert!(has_file(&site, "places.geojson") && has_file(&site, &format!("{article}.geojson")));
    for path in ["entities.json", "mentions.csv", &format!("{article}.annotations.jsonld")] {
        assert!(!has_file(&site, path), "not asked for: {path}");
    }
    assert!(pages.select(&format!("{article}.html"), r#"link[type^="application/ld+json"]"#).is_empty());
    let downloads: Vec<String> = pages.select("places/index.html", ".downloads a").iter().map(text).collect();
    assert_eq!(downloads, ["places.geojson"]);
    assert!(pages.broken_links().is_empty(), "{:?}", pages.broken_links());

    let dir = fixture_with("city-walk", "data_files: []\n");
    let site = render(dir.path());
    let data: Vec<&str> = site
        .pages()
        .iter()
        .map(|p| p.path.as_str())
        .filter(|p| [".json", ".jsonld", ".geojson", ".csv"].iter().any(|e| p.ends_with(e)))
        .collect();
    assert!(data.is_empty(), "{data:?}");
    assert!(Pages::of(&site).select(&format!("{article}.html"), r#"link[rel="alternate"]"#).is_empty());
}

#[test]
fn an_unknown_data_file_is_named_at_its_place_with_the_nearest() {
    let dir = fixture_with("city-walk", "data_files: [geojson, annotation]\n");
    let Err(errors) = gloss::render_site(dir.path()) else { panic!("built with an unknown data file") };
    let error = &errors.0[0];
    let location = error.location.as_ref().unwrap();
    assert!(location.path.ends_with("content/site.yaml"), "{error}");
    assert_eq!(location.column, 23, "{error}");
    assert!(error.message.contains("not `annotation`"), "{error}");
    assert_eq!(error.hint.as_deref(), Some("did you mean `annotations`?"));
}

/// `gloss build` writes `mentions.csv` as it makes it, not whole in memory
/// (at 100,000 articles it is close to a gigabyte), its rows made in
/// parallel batches of articles: the file it writes is the one a site
/// built in memory holds, byte for byte, in the site's order of articles.
#[test]
fn the_mentions_file_a_build_streams_is_the_one_rendered_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::create_dir_all(root.join("content/people")).unwrap();
    fs::create_dir_all(root.join("content/places")).unwrap();
    fs::write(root.join("content/site.yaml"), "title: Wire copy\n").unwrap();
    fs::write(root.join("content/people/ana-lukic.md"), "---\nname: Ana Lukić\naliases: [Lukić]\n---\n").unwrap();
    fs::write(root.join("content/places/split.md"), "---\nname: Split\n---\n").unwrap();
    // More articles than a batch holds, dated out of order of their files.
    for i in 0..700 {
        let body = format!("Ana Lukić, in Split on day {i},\nsaid “the port, and the\nbudget” mattered. Lukić left.");
        let text = format!("---\ntitle: “Day {i}”\ndate: 2024-{:02}-{:02}\n---\n{body}\n", 1 + i % 12, 1 + i % 28);
        fs::write(root.join(format!("content/articles/day-{i}.md")), text).unwrap();
    }
    let streamed = built_mentions(&root, &dir.path().join("out"));
    assert_eq!(streamed, file(&render(&root), "mentions.csv"));
    assert_eq!(streamed.lines().count(), 1 + 700 * 3, "{}", &streamed[..500]);
    let default = built_mentions(&default_site(), &dir.path().join("default"));
    assert_eq!(default, file(&render(&default_site()), "mentions.csv"));
}

/// The `mentions.csv` that `gloss build` writes for the site at `root`.
fn built_mentions(root: &Path, output: &Path) -> String {
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    fs::read_to_string(output.join("mentions.csv")).unwrap()
}
