//! Maps as a reader sees them, on a city walk (`tests/fixtures/city-walk`:
//! six places within 5 km of central Berlin, a route through four, a
//! hand-drawn GeoJSON layer of streets, the Spree and the Tiergarten) and on
//! the default site's journey across the Russian Far East. Everything is
//! read back from the SVG in the pages: pins, labels, the route, the scale
//! bar, the inset and its tiles.

use std::fs;

use gloss::Site;

use crate::support::{copy_dir, default_site, fixture, render};

/// The page's first map, as written.
fn map_svg(site: &Site, path: &str) -> String {
    let page = site.pages().iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no page {path}"));
    let html = &page.html;
    let start = html.find(r#"<svg xmlns="http://www.w3.org/2000/svg""#).unwrap_or_else(|| panic!("no map on {path}"));
    let end = html[start..].find("</svg></svg>").unwrap() + start + "</svg></svg>".len();
    html[start..end].to_string()
}

fn attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    tag[start..start + tag[start..].find('"').unwrap()].to_string()
}

fn number(tag: &str, name: &str) -> f64 {
    attr(tag, name).parse().unwrap()
}

/// Each `<tag ...>…</tag>` (or `<tag .../>`) starting with `prefix`, up to its end.
fn elements<'a>(svg: &'a str, prefix: &str, end: &str) -> Vec<&'a str> {
    svg.match_indices(prefix).map(|(i, _)| &svg[i..i + svg[i..].find(end).unwrap() + end.len()]).collect()
}

#[derive(Debug)]
struct Pin {
    href: String,
    name: String,
    number: Option<String>,
    centre: [f64; 2],
    radius: f64,
    label: Option<[f64; 4]>,
    off: bool,
    /// A lesser pin: a place near the map's subject.
    near: bool,
}

/// The pins of a map with their labels' boxes, estimated as gloss lays
/// them out (13px sans-serif: 7.2 px a character, 14.5 px tall).
fn pins(svg: &str) -> Vec<Pin> {
    elements(svg, "<a href=", "</a>")
        .into_iter()
        .map(|a| {
            let title = &a[a.find("<title>").unwrap() + 7..a.find("</title>").unwrap()];
            let circle = elements(a, "<circle cx=", "/>")[0];
            let num = elements(a, r#"<text class="num""#, "</text>")
                .first()
                .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].to_string());
            let label = elements(a, r#"<text class="label""#, "</text>").first().map(|t| {
                let text = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                let (x, y) = (number(t, "x"), number(t, "y"));
                let w = text.chars().count() as f64 * 7.2 + 2.0;
                let x0 = match attr(t, "text-anchor").as_str() {
                    "start" => x,
                    "end" => x - w,
                    _ => x - w / 2.0,
                };
                [x0, y - 11.5, x0 + w, y + 3.0]
            });
            Pin {
                href: attr(a, "href"),
                name: title.to_string(),
                number: num,
                centre: [number(circle, "cx"), number(circle, "cy")],
                radius: number(circle, "r"),
                label,
                off: attr(a, "class") == "pin off",
                near: attr(a, "class") == "pin near",
            }
        })
        .collect()
}

fn overlaps(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Path data of M, m, l and L commands as absolute subpaths.
fn subpaths(d: &str) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut numbers = String::new();
    let mut command = ' ';
    let mut at = [0.0, 0.0];
    let mut flush = |command: char, numbers: &mut String, out: &mut Vec<Vec<[f64; 2]>>| {
        let spaced = numbers.replace('-', " -");
        let values: Vec<f64> = spaced.split_whitespace().map(|v| v.parse().unwrap()).collect();
        for pair in values.chunks(2) {
            match command {
                'M' => {
                    at = [pair[0], pair[1]];
                    out.push(vec![at]);
                }
                'l' => {
                    at = [at[0] + pair[0], at[1] + pair[1]];
                    out.last_mut().unwrap().push(at);
                }
                'L' => {
                    at = [pair[0], pair[1]];
                    out.last_mut().unwrap().push(at);
                }
                other => panic!("unexpected {other} in {d}"),
            }
        }
        numbers.clear();
    };
    for c in d.chars() {
        if c.is_ascii_alphabetic() {
            if command != ' ' {
                flush(command, &mut numbers, &mut out);
            }
            command = c;
        } else {
            numbers.push(c);
        }
    }
    flush(command, &mut numbers, &mut out);
    out
}

/// Metres between two places (haversine, on a sphere of 6,371 km).
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, lo1, la2, lo2) = (a[0].to_radians(), a[1].to_radians(), b[0].to_radians(), b[1].to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

/// The scale bar: metres a pixel, as it claims them.
fn scale_bar(svg: &str) -> (String, f64) {
    let group = elements(svg, r#"<g class="scale">"#, "</g>");
    assert_eq!(group.len(), 1, "one scale bar: {svg}");
    let d = attr(group[0], "d");
    let length: f64 = d[d.find('h').unwrap() + 1..d.rfind('v').unwrap()].parse().unwrap();
    let text = &group[0][group[0].find("<text").unwrap()..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()];
    let (value, unit) = text.split_once(' ').unwrap();
    let value: f64 = value.parse().unwrap();
    let metres = if unit == "km" { value * 1000.0 } else { value };
    (text.to_string(), metres / length)
}

/// The zoom levels of the tiles an element shows (`maps/<level>/…`).
fn tile_levels(svg: &str) -> Vec<u32> {
    elements(svg, r#"<image xlink:href=""#, "/>")
        .iter()
        .map(|image| {
            let href = attr(image, "xlink:href");
            let level = href.split("maps/").nth(1).unwrap().split('/').next().unwrap();
            level.parse().unwrap()
        })
        .collect()
}

const PLACES: [(&str, [f64; 2]); 6] = [
    ("reichstag", [52.5186, 13.3762]),
    ("brandenburger-tor", [52.5163, 13.3777]),
    ("checkpoint-charlie", [52.5075, 13.3904]),
    ("museumsinsel", [52.5169, 13.4019]),
    ("alexanderplatz", [52.5219, 13.4132]),
    ("gedenkstaette-berliner-mauer", [52.5354, 13.3900]),
];

fn coordinates_of(href: &str) -> [f64; 2] {
    PLACES.iter().find(|(id, _)| href.ends_with(&format!("/{id}.html"))).unwrap().1
}

/// Checks what a reader of a plan sees: pins where the places are at the
/// scale the bar claims, labels apart, an inset at a scale the Natural
/// Earth outlines support, and no outline of the world on the plan itself.
fn assert_honest_plan(svg: &str) -> f64 {
    let (text, per_pixel) = scale_bar(svg);
    let across = per_pixel * 600.0;
    assert!((500.0..20_000.0).contains(&across), "a plan {across} m across ({text})");
    // The inset: Natural Earth tiles at a zoom level that shows at least 8°
    // of longitude (360° / 2^(level / 4) across), nothing finer.
    let inset = elements(svg, r#"<svg class="inset""#, "</svg>");
    assert_eq!(inset.len(), 1, "one inset");
    let levels = tile_levels(inset[0]);
    assert!(!levels.is_empty());
    for level in &levels {
        let span = 360.0 / 2f64.powf(f64::from(*level) / 4.0);
        assert!(span >= 8.0, "the inset shows {span}° across");
    }
    // No coastline or border is drawn at street scale: the only tiles are the inset's.
    assert_eq!(tile_levels(svg).len(), levels.len(), "tiles outside the inset");
    // Every label clear of every other label and every pin.
    let pins = pins(svg);
    for (i, a) in pins.iter().enumerate() {
        for (j, b) in pins.iter().enumerate() {
            let pin_box =
                [b.centre[0] - b.radius, b.centre[1] - b.radius, b.centre[0] + b.radius, b.centre[1] + b.radius];
            if let Some(label) = a.label {
                assert!(!overlaps(label, pin_box), "{}'s label covers the pin of {}", a.name, b.name);
                if i != j {
                    if let Some(other) = b.label {
                        assert!(!overlaps(label, other), "the labels of {} and {} overlap", a.name, b.name);
                    }
                }
            }
        }
    }
    per_pixel
}

#[test]
fn city_walk_article_map_is_a_plan_of_every_place_with_the_route_in_order() {
    let site = render(&fixture("city-walk"));
    let svg = map_svg(&site, "articles/mauerweg.html");
    let per_pixel = assert_honest_plan(&svg);
    let pins = pins(&svg);
    // Every place, in the frame, numbered: the route's four first, in order.
    let hrefs: Vec<&str> = pins.iter().map(|p| p.href.trim_start_matches("../places/")).collect();
    assert_eq!(
        hrefs,
        [
            "reichstag.html",
            "brandenburger-tor.html",
            "checkpoint-charlie.html",
            "museumsinsel.html",
            "alexanderplatz.html",
            "gedenkstaette-berliner-mauer.html"
        ]
    );
    let numbers: Vec<&str> = pins.iter().map(|p| p.number.as_deref().unwrap()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6"]);
    assert!(pins.iter().any(|p| p.name == "Gedenkstätte Berliner Mauer"));
    for pin in &pins {
        assert!(!pin.off, "{} is not in the frame", pin.name);
        let [x, y] = pin.centre;
        assert!((0.0..600.0).contains(&x) && (0.0..400.0).contains(&y), "{} at {x},{y}", pin.name);
        assert!(pin.label.is_some(), "{} has room for its label", pin.name);
    }
    // No two pins on top of each other.
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            let apart = (a.centre[0] - b.centre[0]).hypot(a.centre[1] - b.centre[1]);
            assert!(apart > a.radius + b.radius, "{} and {} overlap", a.name, b.name);
        }
    }
    // The pins are as far apart as the places, at the scale the bar says.
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            let pixels = (a.centre[0] - b.centre[0]).hypot(a.centre[1] - b.centre[1]);
            let ground = metres(coordinates_of(&a.href), coordinates_of(&b.href));
            let drawn = pixels * per_pixel;
            assert!(
                (drawn - ground).abs() < ground * 0.02 + 15.0,
                "{} to {}: {drawn} m drawn, {ground} m",
                a.name,
                b.name
            );
        }
    }
    // The route: one leg per pair of stops, from each stop to the next.
    let route = elements(&svg, r#"<path class="route""#, "/>");
    assert_eq!(route.len(), 1);
    let legs = subpaths(&attr(route[0], "d"));
    assert_eq!(legs.len(), 3, "{legs:?}");
    for (leg, stops) in legs.iter().zip(pins[..4].windows(2)) {
        let (start, end) = (leg[0], *leg.last().unwrap());
        for (point, stop) in [(start, &stops[0]), (end, &stops[1])] {
            assert!((point[0] - stop.centre[0]).abs() < 0.2 && (point[1] - stop.centre[1]).abs() < 0.2, "{leg:?}");
        }
    }
    // The site's own layer: the Spree, the main streets, the Tiergarten.
    for class in ["l-waterway", "l-major", "l-green"] {
        assert!(svg.contains(&format!(r#"<path class="{class}" d="M"#)), "no {class}");
    }
    // The list beside the map names the same places in the same order.
    let page = &site.pages().iter().find(|p| p.path == "articles/mauerweg.html").unwrap().html;
    let list = &page[page.find(r#"<ol class="map-places">"#).unwrap()..];
    let list = &list[..list.find("</ol>").unwrap()];
    let listed: Vec<String> = elements(list, "<a href=", "</a>").iter().map(|a| attr(a, "href")).collect();
    assert_eq!(listed, pins.iter().map(|p| p.href.clone()).collect::<Vec<_>>());
}

/// Checks a place's own map: a plan of it, its neighbours as lesser
/// pins where they are at the scale the bar claims; the site's streets when
/// `streets`.
fn assert_place_plan(site: &Site, id: &str, streets: bool) {
    let svg = map_svg(site, &format!("places/{id}.html"));
    let per_pixel = assert_honest_plan(&svg);
    let pins = pins(&svg);
    assert!(pins.len() >= 2, "{id}: the places it is mentioned with are on its plan");
    let own = &pins[0];
    assert_eq!((own.near, own.href.as_str()), (false, format!("{id}.html").as_str()));
    let here = coordinates_of(&format!("/{id}.html"));
    for near in &pins[1..] {
        assert!(near.near && !near.off, "{id}: {near:?}");
        let (dx, dy) = (near.centre[0] - own.centre[0], near.centre[1] - own.centre[1]);
        let drawn = dx.hypot(dy) * per_pixel;
        let real = metres(here, coordinates_of(&near.href));
        assert!(
            (drawn - real).abs() < real * 0.05 + 2.0 * per_pixel,
            "{id} to {}: {drawn} m drawn, {real} m",
            near.name
        );
    }
    assert_eq!(svg.contains(r#"<path class="l-"#), streets, "{id}: the site's streets");
}

#[test]
fn city_walk_monument_gets_a_street_plan_not_a_continent() {
    let site = render(&fixture("city-walk"));
    for (id, _) in PLACES {
        assert_place_plan(&site, id, true);
    }
}

#[test]
fn city_walk_without_layers_still_maps_a_monument_among_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("city-walk"), dir.path());
    let config = dir.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&config).unwrap();
    fs::write(&config, &yaml[..yaml.find("map_layers:").unwrap()]).unwrap();
    let site = render(dir.path());
    for (id, _) in PLACES {
        assert_place_plan(&site, id, false);
    }
}

#[test]
fn default_site_places_keep_their_regional_maps() {
    let site = render(&default_site());
    for page in site.pages().iter().filter(|p| p.path.starts_with("places/") && !p.path.ends_with("index.html")) {
        let svg = map_svg(&site, &page.path);
        assert!(!svg.contains(r#"<g class="scale">"#), "{} has a plan", page.path);
        assert_eq!(pins(&svg).len(), 1, "{}", page.path);
    }
}

/// The city walk in a folder of its own, with its layer replaced.
fn city_walk_with_layer(geojson: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("city-walk"), dir.path());
    fs::write(dir.path().join("content/maps/mitte.geojson"), geojson).unwrap();
    dir
}

#[test]
fn city_walk_broken_or_missing_layers_are_errors_naming_the_file() {
    let dir =
        city_walk_with_layer("{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\",,}\n]}\n");
    let errors = gloss::render_site(dir.path()).map(|_| ()).unwrap_err();
    let shown: Vec<String> = errors.0.iter().map(|d| d.to_string()).collect();
    let error = shown.iter().find(|e| e.contains("mitte.geojson")).unwrap_or_else(|| panic!("{shown:?}"));
    assert!(error.contains("content/maps/mitte.geojson:3:"), "{error}");
    assert!(error.contains("GeoJSON"), "{error}");

    let dir = city_walk_with_layer(r#"{"type": "Feature", "geometry": {"type": "Circle", "coordinates": []}}"#);
    let errors = gloss::render_site(dir.path()).map(|_| ()).unwrap_err();
    assert!(errors.0.iter().any(|d| d.to_string().contains("mitte.geojson")), "{errors:?}");

    let dir = city_walk_with_layer("{}");
    fs::remove_file(dir.path().join("content/maps/mitte.geojson")).unwrap();
    let errors = gloss::render_site(dir.path()).map(|_| ()).unwrap_err();
    let shown: Vec<String> = errors.0.iter().map(|d| d.to_string()).collect();
    assert!(shown.iter().any(|e| e.contains("content/site.yaml:5:") && e.contains("maps/mitte.geojson")), "{shown:?}");
}

#[test]
fn city_walk_huge_layer_costs_each_map_only_what_it_shows() {
    // 20,000 streets of 50 points each, over a square degree around Berlin.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut features = Vec::new();
    for _ in 0..20_000 {
        let (mut lon, mut lat) = (12.9 + next(), 52.0 + next());
        let mut points = Vec::new();
        for _ in 0..50 {
            lon += (next() - 0.5) * 0.001;
            lat += (next() - 0.5) * 0.001;
            points.push(format!("[{lon:.6},{lat:.6}]"));
        }
        features.push(format!(
            r#"{{"type":"Feature","properties":{{"highway":"residential"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
            points.join(",")
        ));
    }
    let dir = city_walk_with_layer(&format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",")));
    let site = render(dir.path());
    for page in site.pages().iter().filter(|p| p.path.starts_with("places/") || p.path.starts_with("articles/")) {
        if let Some(start) = page.html.find("<svg xmlns") {
            let svg = &page.html[start..];
            let svg = &svg[..svg.find("</svg></svg>").unwrap()];
            assert!(svg.len() < 128 * 1024, "{}: a map of {} bytes", page.path, svg.len());
        }
    }
}

#[test]
fn default_site_journey_stays_a_map_of_the_far_east() {
    let site = render(&default_site());
    let path = site.pages().iter().find(|p| p.path.starts_with("articles/")).unwrap().path.clone();
    let svg = map_svg(&site, &path);
    // The Natural Earth outlines, no plan.
    assert!(!svg.contains(r#"<g class="scale">"#) && !svg.contains(r#"class="inset""#));
    assert!(!tile_levels(&svg).is_empty());
    let pins = pins(&svg);
    let names: Vec<&str> = pins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names[..4], ["Pyongyang", "Khasan", "Komsomolsk-on-Amur", "Vladivostok"]);
    // Every place of the article is on the map: far ones at its edge.
    for name in ["Russia", "Moscow", "North Korea", "Russian Far East"] {
        assert!(names.contains(&name), "{name} is not on the map: {names:?}");
    }
    let off: Vec<&str> = pins.iter().filter(|p| p.off).map(|p| p.name.as_str()).collect();
    assert!(off.contains(&"Moscow") && !off.contains(&"Vladivostok"), "{off:?}");
    // The route still fills the map: its stops span most of its height.
    let ys: Vec<f64> = pins[..4].iter().map(|p| p.centre[1]).collect();
    let spread = ys.iter().cloned().fold(f64::MIN, f64::max) - ys.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 200.0, "the route spans {spread} px of 400");
    let route = elements(&svg, r#"<path class="route""#, "/>");
    assert_eq!(subpaths(&attr(route[0], "d")).len(), 3);
    for (i, a) in pins.iter().enumerate() {
        for b in &pins[i + 1..] {
            if let (Some(x), Some(y)) = (a.label, b.label) {
                assert!(!overlaps(x, y), "the labels of {} and {} overlap", a.name, b.name);
            }
        }
    }
}
