//! Helpers the map modules' tests share: sample pins, journeys and views,
//! maps drawn as from a page one folder below the site root, and readers for
//! the path data that maps and tiles write.

use super::clip::clip_segment;
use super::projection::View;
use super::tile::TILE_OVERLAP;
use super::{locator_map, route_map, Layers, Map, Pin, HEIGHT, WIDTH};

pub(super) fn pin(number: Option<usize>, name: &str, lat: f64, lon: f64) -> Pin {
    let href = format!("../places/{}.html", name.to_lowercase().replace(' ', "-"));
    Pin { number, name: name.into(), lat, lon, href, near: false }
}

pub(super) fn journey() -> Vec<Pin> {
    vec![
        pin(Some(1), "Pyongyang", 39.02, 125.75),
        pin(Some(2), "Khasan", 42.43, 130.64),
        pin(Some(3), "Komsomolsk-on-Amur", 50.55, 137.01),
        pin(Some(4), "Vladivostok", 43.12, 131.89),
    ]
}

pub(super) fn locator(pin: &Pin) -> Map {
    locator_map(pin, &[], "../", &format!("Map: location of {}", pin.name), &Layers::default())
}

pub(super) fn route(pins: &[Pin], draw_route: bool) -> Map {
    let valid: Vec<&Pin> = pins.iter().filter(|p| p.is_valid()).collect();
    let places: Vec<String> = valid
        .iter()
        .map(|p| match p.number {
            Some(n) => format!("{n} {}", p.name),
            None => p.name.clone(),
        })
        .collect();
    let plural = if valid.len() == 1 { "" } else { "s" };
    let title = format!("Map of {} place{plural}: {}", valid.len(), places.join(", "));
    let route_len = if draw_route { pins.len() } else { 0 };
    route_map(pins, route_len, "../", &title, &Layers::default())
}

/// Views of every kind: the world, locators from pole to pole and across
/// the antimeridian, routes from a few degrees to the whole world.
pub(super) fn sample_views() -> Vec<View> {
    let mut views = vec![View::world(), View::route(&journey().iter().collect::<Vec<_>>())];
    for (lat, lon) in [(43.12, 131.89), (64.73, 177.51), (-16.5, 179.9), (-78.0, -60.0), (80.0, 20.0), (0.0, -0.4)] {
        views.push(View::locator(lat, lon));
    }
    for spread in [2.0, 9.0, 30.0, 75.0, 150.0] {
        let stops = [pin(Some(1), "A", 50.0 - spread / 3.0, 170.0 - spread), pin(Some(2), "B", 50.0, 170.0 + spread)];
        views.push(View::route(&stops.iter().collect::<Vec<_>>()));
    }
    views
}

/// The `d` attributes of the paths of a class, in order.
pub(super) fn path_data<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
    let marker = format!(r#"<path class="{class}" d=""#);
    svg.match_indices(&marker)
        .map(|(i, _)| {
            let rest = &svg[i + marker.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Path data as subpaths of absolute points (M, m, L, l, Z only).
pub(super) fn parse_path(d: &str) -> Vec<Vec<[f64; 2]>> {
    let mut tokens: Vec<String> = Vec::new();
    for c in d.chars() {
        match c {
            'M' | 'm' | 'L' | 'l' | 'Z' | 'z' => tokens.push(c.to_string()),
            ' ' | ',' => tokens.push(String::new()),
            '-' => tokens.push("-".into()),
            c => match tokens.last_mut() {
                Some(t) if !t.is_empty() && !t.chars().all(char::is_alphabetic) => t.push(c),
                _ => tokens.push(c.to_string()),
            },
        }
    }
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
    let (mut subpaths, mut command, mut at, mut start) = (Vec::<Vec<[f64; 2]>>::new(), 'M', [0.0, 0.0], [0.0, 0.0]);
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if let Some(c) = t.chars().next().filter(|c| c.is_alphabetic()) {
            if c == 'z' || c == 'Z' {
                subpaths.last_mut().unwrap().push(start);
                at = start;
            }
            command = c;
            i += 1;
            continue;
        }
        let (x, y): (f64, f64) = (t.parse().unwrap(), tokens[i + 1].parse().unwrap());
        i += 2;
        match command {
            'M' | 'm' => {
                at = if command == 'M' { [x, y] } else { [at[0] + x, at[1] + y] };
                start = at;
                subpaths.push(vec![at]);
                command = if command == 'M' { 'L' } else { 'l' };
            }
            'L' => {
                at = [x, y];
                subpaths.last_mut().unwrap().push(at);
            }
            'l' => {
                at = [at[0] + x, at[1] + y];
                subpaths.last_mut().unwrap().push(at);
            }
            other => panic!("unexpected command {other}"),
        }
    }
    subpaths
}

/// The segments of a class's outlines in the tiles a map shows, each cut
/// to the part its tile shows and moved to where the map places the
/// tile: the outlines as the reader sees them.
pub(super) fn composed(map: &Map, class: &str) -> Vec<Vec<[f64; 2]>> {
    let svg = &map.svg;
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[start..start + tag[start..].find('"').unwrap()].parse().unwrap()
    };
    let images: Vec<&str> = svg
        .match_indices(r#"<image xlink:href="../"#)
        .map(|(i, _)| &svg[i..i + svg[i..].find("/>").unwrap()])
        .collect();
    assert_eq!(images.len(), map.tiles.len());
    let shown = [-TILE_OVERLAP, -TILE_OVERLAP, WIDTH + TILE_OVERLAP, HEIGHT + TILE_OVERLAP];
    let mut out = Vec::new();
    for (tag, tile) in images.iter().zip(&map.tiles) {
        assert!(tag.contains(&format!("{}\"", tile.path())), "{tag}");
        let [dx, dy] = [attr(tag, "x") + TILE_OVERLAP, attr(tag, "y") + TILE_OVERLAP];
        let tile_svg = tile.svg();
        for subpath in path_data(&tile_svg, class).iter().flat_map(|d| parse_path(d)) {
            for pair in subpath.windows(2) {
                if let Some((a, b)) = clip_segment(pair[0], pair[1], shown) {
                    out.push(vec![[a[0] + dx, a[1] + dy], [b[0] + dx, b[1] + dy]]);
                }
            }
        }
    }
    out
}

pub(super) fn all_land_points(map: &Map) -> Vec<Vec<[f64; 2]>> {
    composed(map, "land")
}

/// Numbers in [0, 1) from a fixed seed (xorshift): random-looking maps
/// that are the same on every run.
pub(super) fn random() -> impl FnMut() -> f64 {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}
