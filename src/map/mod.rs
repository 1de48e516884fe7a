//! Locator maps, drawn at build time as SVG: no network, no map server.
//!
//! The outlines are Natural Earth's 1:110m countries and land (public
//! domain), shipped as TopoJSON in `data/countries-110m.json` (see
//! `data/README.md`), embedded in the binary and decoded once, on first use.
//!
//! [`locator_map`] frames the region around one place (or its streets, see
//! below); [`route_map`] frames
//! several places, numbered, the first of them (a journey's stops) joined
//! by a dashed route line.
//!
//! Natural Earth at 1:110m cannot show a city: places closer together than
//! its outlines can honestly part get a *plan* instead, at whatever scale
//! fits them, with a scale bar, the site's own layers ([`Layers`], GeoJSON
//! such as streets and rivers) and no outline of the world at all, and an
//! inset locating the plan at a scale the outlines do support.
//!
//! The outlines are not drawn into each map but into [`Tile`]s, files of
//! their own that every map over the same part of the world shows as
//! images; a map itself holds the sea, the tile images, the route, the pins
//! and their labels. The outlines are prepared once per zoom level and
//! shared, yet a map is byte for byte the same whichever maps were drawn
//! before it.
//!
//! One module per concern, from the data to the drawing:
//!
//! - `topojson`: the TopoJSON format, decoded into arcs, rings and borders;
//! - `world`: the world's land and borders, decoded once, unwrapped across
//!   the antimeridian and projected;
//! - `projection`: Mercator, the zoom levels, and the view each map frames;
//! - `clip`: polygons and lines clipped to a rectangle;
//! - `path`: SVG path data in tenths of a pixel, and line simplification;
//! - `level`: the outlines of one zoom level, written out once and moved
//!   into each view;
//! - `tile`: the cells of the base map, files of their own;
//! - `layer`: a site's own layers, GeoJSON, drawn on plans;
//! - `label`: where the pins' labels go, never over one another;
//! - `svg`: a map itself, with its style.

mod clip;
mod label;
mod layer;
mod level;
mod path;
mod projection;
mod svg;
#[cfg(test)]
mod testing;
mod tile;
mod topojson;
mod world;

pub use layer::Layers;
pub use tile::Tile;

use projection::{fit, ground_metres, inverse_mercator, View, NEIGHBOUR_M};
pub use svg::STYLESHEET;
use svg::{draw, Frame};

/// Size of the SVG's coordinate system (its viewBox), in pixels.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 400.0;

/// How much the other places of a route map may shrink it, together, from
/// the frame that fits the route alone: a route across the Russian Far East
/// stays the map's subject when the article also names Moscow.
const FRAME_SHRINK: f64 = 1.5;

/// A point to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    /// The label in the pin (1-based), or `None` for an unnumbered pin.
    pub number: Option<usize>,
    /// The place's name, shown beside the pin (plain text; it is escaped).
    pub name: String,
    /// Latitude and longitude in decimal degrees.
    pub lat: f64,
    pub lon: f64,
    /// Where the pin links to.
    pub href: String,
    /// A place near the map's subject, drawn as a lesser pin.
    pub near: bool,
}

impl Pin {
    fn is_valid(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite()
    }
}

/// A drawn map: an `<svg>` element, and the tiles of the base map it shows
/// (to be written beside the page, see [`Tile`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub svg: String,
    pub tiles: Vec<Tile>,
}

/// A map of one place: the region around it, with a pin; or a plan of it
/// (with an inset of the region) where the outlines cannot show its
/// surroundings: where some of the `nearby` places (those it is mentioned
/// with, say) are within [`NEIGHBOUR_M`], or where the site's `layers`
/// cover it. A plan shows those neighbours, as lesser pins ([`Pin::near`]);
/// the rest of `nearby` are left off. A pin without finite coordinates gets a world map
/// without a pin. `root` leads from the page to the site root, where the
/// tiles are. `title` is the map's accessible name.
pub fn locator_map(pin: &Pin, nearby: &[Pin], root: &str, title: &str, layers: &Layers) -> Map {
    if !pin.is_valid() {
        return draw(&Frame::Tiles(View::world()), title, &[], 0, root, layers);
    }
    // Not what is pinned on the very same spot (a country at its capital).
    let close: Vec<&Pin> =
        nearby.iter().filter(|n| n.is_valid() && (1.0..NEIGHBOUR_M).contains(&ground_metres(pin, n))).collect();
    let plan = match close.is_empty() && !layers.cover(pin.lat, pin.lon) {
        true => None,
        false => View::plan_around(pin, &close),
    };
    let inset = View::locator(pin.lat, pin.lon);
    match plan {
        Some(view) => {
            let pins: Vec<&Pin> = std::iter::once(pin).chain(close).collect();
            draw(&Frame::Plan { view, inset }, title, &pins, 0, root, layers)
        }
        None => draw(&Frame::Tiles(inset), title, &[pin], 0, root, layers),
    }
}

/// A map of several places, each pin showing its [`Pin::number`]; the first
/// `route_len` (a journey's stops) are joined in order by a dashed line.
/// It is framed to fit the route and those other places that do not shrink
/// it more than [`FRAME_SHRINK`]-fold, or on a plan those that keep it a
/// plan (all the places, without a route); the rest are
/// drawn at its edge, pointing their way. Places too close together for
/// the world's outlines get a plan (see the module docs). Pins without
/// finite coordinates are left out. `title` is the map's accessible name.
pub fn route_map(pins: &[Pin], route_len: usize, root: &str, title: &str, layers: &Layers) -> Map {
    let route_len = pins.iter().take(route_len).filter(|p| p.is_valid()).count();
    let pins: Vec<&Pin> = pins.iter().filter(|p| p.is_valid()).collect();
    let framed: Vec<&Pin> = if route_len >= 2 {
        let mut framed = pins[..route_len].to_vec();
        let route_fit = fit(&framed).1;
        // On a plan, every place that keeps it a plan: a city is small.
        let plan = View::plan(&framed).is_some();
        for &extra in &pins[route_len..] {
            framed.push(extra);
            let kept = match plan {
                true => View::plan(&framed).is_some(),
                false => fit(&framed).1 * FRAME_SHRINK >= route_fit,
            };
            if !kept {
                framed.pop();
            }
        }
        framed
    } else {
        pins.clone()
    };
    let frame = match View::plan(&framed) {
        Some(view) => {
            let lat = inverse_mercator(view.top - HEIGHT / 2.0 / view.scale);
            Frame::Plan { view, inset: View::locator(lat, view.centre_lon()) }
        }
        None => Frame::Tiles(View::route(&framed)),
    };
    draw(&frame, title, &pins, route_len, root, layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_of_places_far_off_the_route_is_drawn_in_bounded_time() {
        // Two stops in Berlin and 150 places in the same direction far to
        // the east: every one goes to the same stretch of the edge.
        let mut pins = vec![
            crate::map::testing::pin(Some(1), "Brandenburg Gate", 52.5163, 13.3777),
            crate::map::testing::pin(Some(2), "Alexanderplatz", 52.5219, 13.4132),
        ];
        for i in 0..150 {
            pins.push(crate::map::testing::pin(None, &format!("Far {i}"), 52.0 + f64::from(i) * 0.001, 120.0));
        }
        let map = route_map(&pins, 2, "../", "A crowd", &Layers::default());
        assert!(map.svg.contains("Brandenburg Gate"));
    }
    use crate::map::clip::clip_segment;
    use crate::map::projection::wrap180;
    use crate::map::testing::{all_land_points, composed, journey, locator, parse_path, path_data, pin, route};
    use crate::map::world::world;

    /// The longest horizontal extent of any segment's visible part: a streak
    /// across the map would be as wide as the map.
    fn widest_visible_segment(subpaths: &[Vec<[f64; 2]>]) -> f64 {
        let view = [0.0, 0.0, WIDTH, HEIGHT];
        subpaths
            .iter()
            .flat_map(|s| s.windows(2))
            .filter_map(|pair| clip_segment(pair[0], pair[1], view))
            .map(|(a, b)| (b[0] - a[0]).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn map_locator_vladivostok_has_land_and_a_linked_pin() {
        let map = locator(&pin(None, "Vladivostok", 43.12, 131.89));
        let svg = &map.svg;
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 600 400""#), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="group" aria-label="Map: location of Vladivostok""#));
        assert!(svg.contains("<title>Map: location of Vladivostok</title>"));
        let land = all_land_points(&map);
        assert!(land.len() > 3, "{} land subpaths", land.len());
        assert!(!composed(&map, "border").is_empty(), "borders of Russia, China and North Korea");
        assert!(svg.contains(r#"<a href="../places/vladivostok.html" class="pin">"#));
        // The pin is in the middle of the map, unnumbered.
        assert!(svg.contains(r#"<circle cx="300" cy="200" r="6.5"/>"#), "{svg}");
        assert!(!svg.contains(r#"class="num""#));
        assert!(svg.contains(">Vladivostok</text></a>"));
        // No ids that could clash with another map on the page.
        assert!(!svg.contains(" id="));
    }

    #[test]
    fn map_across_the_antimeridian_has_no_streaks() {
        let anadyr = pin(None, "Anadyr", 64.73, 177.51);
        let view = View::locator(anadyr.lat, anadyr.lon);
        let meridian = view.project(180.0, 0.0)[0];
        assert!(meridian > 0.0 && meridian < WIDTH, "the view spans 180°");
        let map = locator(&anadyr);
        let land = all_land_points(&map);
        let xs = land.iter().flatten().map(|p| p[0]);
        // Chukotka is drawn on both sides of the antimeridian.
        assert!(xs.clone().any(|x| x > meridian + 20.0 && x < WIDTH), "land east of 180°");
        assert!(xs.clone().any(|x| x < meridian - 20.0 && x > 0.0), "land west of 180°");
        let widest = widest_visible_segment(&land);
        assert!(widest < WIDTH / 2.0, "a land segment {widest} px wide");
        let widest = widest_visible_segment(&composed(&map, "border"));
        assert!(widest < WIDTH / 2.0, "a border segment {widest} px wide");

        // The check has teeth: the same rings with each longitude merely
        // wrapped to the view's centre, not unwrapped, streak.
        let centre = view.centre_lon();
        let naive: Vec<Vec<[f64; 2]>> = world()
            .land
            .iter()
            .map(|s| s.points.iter().map(|p| view.project(centre + wrap180(p[0] - centre), p[1])).collect())
            .collect();
        assert!(widest_visible_segment(&naive) > WIDTH / 2.0);

        // A journey that crosses the antimeridian too.
        let mut stops = journey();
        stops.push(pin(Some(5), "Anadyr", 64.73, 177.51));
        stops.push(pin(Some(6), "Nome", 64.50, -165.41));
        let map = route(&stops, true);
        let land = all_land_points(&map);
        assert!(widest_visible_segment(&land) < WIDTH / 2.0);
        let route = parse_path(path_data(&map.svg, "route")[0]);
        let last = route.last().unwrap().last().unwrap();
        let before = route.last().unwrap()[0];
        assert!(last[0] > before[0], "Nome is drawn east of Anadyr");
        assert!(widest_visible_segment(&route) < WIDTH / 2.0);
    }

    #[test]
    fn map_route_numbers_pins_in_order() {
        let map = route(&journey(), true);
        let svg = &map.svg;
        assert!(
            svg.contains(r#"aria-label="Map of 4 places: 1 Pyongyang, 2 Khasan, 3 Komsomolsk-on-Amur, 4 Vladivostok""#)
        );
        let numbers: Vec<&str> = svg
            .match_indices(r#"<text class="num""#)
            .map(|(i, _)| {
                let rest = &svg[i..];
                &rest[rest.find('>').unwrap() + 1..rest.find("</text>").unwrap()]
            })
            .collect();
        assert_eq!(numbers, ["1", "2", "3", "4"]);
        let hrefs: Vec<&str> = svg
            .match_indices(r#"<a href=""#)
            .map(|(i, m)| {
                let rest = &svg[i + m.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        assert_eq!(
            hrefs,
            [
                "../places/pyongyang.html",
                "../places/khasan.html",
                "../places/komsomolsk-on-amur.html",
                "../places/vladivostok.html"
            ]
        );
        // The route visits the pins in order: one subpath per leg.
        let route_data = path_data(svg, "route");
        assert_eq!(route_data.len(), 1);
        let legs = parse_path(route_data[0]);
        assert_eq!(legs.len(), 3);
        let view = View::route(&journey().iter().collect::<Vec<_>>());
        for (leg, stops) in legs.iter().zip(journey().windows(2)) {
            for (point, stop) in leg.iter().zip(stops) {
                let [x, y] = view.place(stop.lat, stop.lon);
                assert!((point[0] - x).abs() < 0.2 && (point[1] - y).abs() < 0.2);
            }
        }
        // Every pin is inside the map.
        for stop in journey() {
            let [x, y] = view.place(stop.lat, stop.lon);
            assert!((0.0..WIDTH).contains(&x) && (0.0..HEIGHT).contains(&y), "{} at {x},{y}", stop.name);
        }
        assert!(!route(&journey(), false).svg.contains(r#"class="route""#));
    }

    #[test]
    fn map_output_is_deterministic() {
        assert_eq!(route(&journey(), true), route(&journey(), true));
        let place = pin(Some(2), "Khasan", 42.43, 130.64);
        assert_eq!(locator(&place), locator(&place.clone()));
        let tile = locator(&place).tiles[0];
        assert_eq!(tile.svg(), tile.svg());
    }

    #[test]
    fn map_stays_small() {
        let maps = [
            locator(&pin(None, "Vladivostok", 43.12, 131.89)),
            locator(&pin(None, "Moscow", 55.76, 37.62)),
            locator(&pin(None, "Anadyr", 64.73, 177.51)),
            locator(&pin(None, "Bern", 46.95, 7.45)),
            locator(&pin(None, "South Pole", -90.0, 0.0)),
            route(&journey(), true),
            route(&[pin(Some(1), "Moscow", 55.76, 37.62), pin(Some(2), "Vladivostok", 43.12, 131.89)], true),
            route(&[pin(Some(1), "Lima", -12.05, -77.04), pin(Some(2), "Tokyo", 35.68, 139.69)], true),
            route(&[], false),
        ];
        for map in &maps {
            // The outlines are in the tiles; the page holds sea, pins and route.
            assert!(map.svg.len() < 4 * 1024, "{} bytes: {}", map.svg.len(), &map.svg[..200]);
            assert!((1..=4).contains(&map.tiles.len()), "{:?}", map.tiles);
            for tile in &map.tiles {
                let svg = tile.svg();
                assert!(svg.len() < 40 * 1024, "{} bytes: {}", svg.len(), &svg[..200]);
            }
        }
    }

    #[test]
    fn map_escapes_text_and_survives_bad_input() {
        let mut odd = pin(Some(1), "Fish & <Chips> \"Ltd\"", 10.0, 20.0);
        odd.href = "a.html?x=1&y=\"2\"".into();
        let svg = locator(&odd).svg;
        assert!(svg.contains("Fish &amp; &lt;Chips&gt; &quot;Ltd&quot;"));
        assert!(svg.contains(r#"href="a.html?x=1&amp;y=&quot;2&quot;""#));
        assert!(!svg.contains("<Chips>"));

        let nowhere = pin(None, "Nowhere", f64::NAN, f64::INFINITY);
        let svg = locator(&nowhere).svg;
        assert!(svg.ends_with("</svg>") && !svg.contains("<circle"));
        let svg = route(&[nowhere.clone(), pin(Some(2), "Khasan", 42.43, 130.64)], true).svg;
        assert!(svg.contains("Map of 1 place: 2 Khasan") && svg.matches("<circle").count() == 1);
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (1e300, -1e300), (0.0, 540.0)] {
            let map = route(&[pin(Some(1), "A", lat, lon), pin(Some(2), "B", -lat, lon)], true);
            assert!(map.svg.ends_with("</svg>") && map.tiles.iter().all(|t| t.svg().ends_with("</svg>\n")));
            let map = locator(&pin(None, "C", lat, lon));
            assert!(map.svg.ends_with("</svg>") && map.tiles.iter().all(|t| t.svg().ends_with("</svg>\n")));
        }
    }

    /// A timing probe, not a check:
    /// `cargo test --release --lib map_timing_probe -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn map_timing_probe() {
        let mut next = crate::map::testing::random();
        // Journeys of 2 to 6 stops, from a few degrees across to the whole world.
        let mut journeys = |count: usize, max_spread: f64| -> Vec<Vec<Pin>> {
            (0..count)
                .map(|_| {
                    let (lat, lon) = (next() * 140.0 - 60.0, next() * 360.0 - 180.0);
                    let spread = max_spread.powf(next());
                    let stops = 2 + (next() * 5.0) as usize;
                    (0..stops)
                        .map(|i| {
                            let la = (lat + (next() - 0.5) * spread).clamp(-80.0, 80.0);
                            pin(Some(i + 1), &format!("Place {i}"), la, lon + (next() - 0.5) * spread * 2.0)
                        })
                        .collect()
                })
                .collect()
        };
        let mixed = journeys(2000, 360.0);
        let wide = journeys(500, 1.0);
        let wide: Vec<Vec<Pin>> = wide
            .into_iter()
            .enumerate()
            .map(|(j, stops)| {
                let lon = j as f64 * 47.0;
                stops.into_iter().enumerate().map(|(i, p)| Pin { lon: lon + i as f64 * 97.0, ..p }).collect()
            })
            .collect();
        let places: Vec<Pin> =
            (0..700).map(|i| pin(None, &format!("Town {i}"), next() * 150.0 - 70.0, next() * 360.0 - 180.0)).collect();
        world();
        for pass in ["first", "second"] {
            let mut bytes = 0;
            let mut time = |name: &str, f: &mut dyn FnMut() -> (usize, usize)| {
                let start = std::time::Instant::now();
                let (count, size) = f();
                let elapsed = start.elapsed().as_secs_f64() * 1000.0;
                bytes += size;
                eprint!(
                    "{count} {name}: {elapsed:.1} ms ({:.4} ms/map, {} B/map); ",
                    elapsed / count as f64,
                    size / count
                );
            };
            eprint!("{pass} pass: ");
            time("mixed route maps", &mut || (mixed.len(), mixed.iter().map(|s| route(s, true).svg.len()).sum()));
            time("world-wide route maps", &mut || (wide.len(), wide.iter().map(|s| route(s, true).svg.len()).sum()));
            time("locator maps", &mut || (places.len(), places.iter().map(|p| locator(p).svg.len()).sum()));
            eprintln!("{bytes} bytes");
        }
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let maps = mixed.iter().chain(&wide).map(|s| route(s, true));
        for map in maps.chain(places.iter().map(locator)) {
            let tiles: String = map.tiles.iter().map(Tile::svg).collect();
            for byte in map.svg.bytes().chain(tiles.bytes()) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
            }
        }
        eprintln!("hash of all maps: {hash:016x}");
    }
}
