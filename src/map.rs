//! Locator maps, drawn at build time as SVG: no network, no map server.
//!
//! The outlines are Natural Earth's 1:110m countries and land (public
//! domain), shipped as TopoJSON in `data/countries-110m.json` (see
//! `data/README.md`), embedded in the binary and decoded once, on first use.
//!
//! [`locator_map`] frames the region around one place; [`route_map`] frames
//! several places, numbered, optionally joined by a dashed route line.
//!
//! The projection is Mercator, with longitudes measured from the centre of
//! the view. Every outline is *unwrapped* once, when the data is decoded:
//! each point's longitude is moved by whole turns to lie within 180° of the
//! point before it, so a shape that crosses the antimeridian (Russia's
//! Chukotka, Fiji) becomes one continuous outline that may run past 180°.
//! A map then draws each outline shifted by the whole turn (…, −360°, 0,
//! +360°, …) that brings it into view. No path ever jumps across the map, so
//! a view across the antimeridian shows land on both sides without streaks.
//! A ring that encircles a pole (Antarctica) is closed along that pole.
//!
//! The points are projected once, when decoded. Maps come in fixed zoom
//! levels, four per doubling (a locator takes the nearest, a route map the
//! nearest that fits its pins); the first map at a level simplifies every
//! outline to half a pixel at that level, rounds it to a tenth of a pixel
//! and writes its relative moves out, once. A map then moves each outline
//! into place by whole tenths: it skips those whose bounding box misses the
//! view, copies the path data of those wholly inside the view plus a margin,
//! and clips the rest to it, still copying the runs of points the clipping
//! leaves alone. So output is byte for byte the same whichever maps were
//! drawn before.
//!
//! The outlines are not drawn into each map but into [`Tile`]s: files of
//! their own, each a view-sized cell of a level's plane, that every map
//! over the same cell shows as an `<image>`. A map itself holds the sea, the
//! (at most four) tile images, the route, the pins and their labels, in a
//! nested `<svg>` the size of the view, which hides whatever lies beyond it
//! even where the page gives the map another aspect ratio.
//!
//! The map carries its own `<style>`, scoped to `.gloss-map`, whose colours
//! are CSS variables with light defaults, so a page can restyle it: `--map-sea`,
//! `--map-route`, `--map-pin`, `--map-pin-ring`, `--map-pin-text`,
//! `--map-text`, `--map-halo`, `--map-focus`. The tiles, being images, cannot
//! see the page's CSS: their land and borders have fixed light and dark
//! colours (`prefers-color-scheme`). The SVG has no ids (its accessible name
//! is an `aria-label` and a `<title>`) and no fixed size: it takes the width
//! of its container at a 3:2 ratio.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::Value;

/// Natural Earth 1:110m countries and land, as TopoJSON (world-atlas 2.0.2).
const WORLD_TOPOJSON: &str = include_str!("../data/countries-110m.json");

/// Size of the SVG's coordinate system (its viewBox), in pixels.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 400.0;
/// Outlines are clipped to the view grown by this many pixels on each side.
const CLIP_MARGIN: f64 = 8.0;
/// Mercator is cut off at this latitude.
const MAX_LAT: f64 = 85.0;
/// Width of a locator map at the equator, in degrees of longitude.
const LOCATOR_SPAN: f64 = 36.0;
/// The narrowest a route map gets, in degrees of longitude.
const ROUTE_MIN_SPAN: f64 = 8.0;
/// Room left around the pins of a route map, in pixels, for their labels.
const ROUTE_PAD_X: f64 = 90.0;
const ROUTE_PAD_Y: f64 = 48.0;
/// Outlines are simplified to within this many pixels.
const TOLERANCE: f64 = 0.5;

const STYLE: &str = "<style>\
.gloss-map .ocean{fill:var(--map-sea,#cfe2ec)}\
.gloss-map .route{fill:none;stroke:var(--map-route,#5b3a29);stroke-width:2.2;stroke-dasharray:7 5;stroke-linecap:round;stroke-linejoin:round}\
.gloss-map .pin circle{fill:var(--map-pin,#b3261e);stroke:var(--map-pin-ring,#fff);stroke-width:2}\
.gloss-map .pin .num{fill:var(--map-pin-text,#fff);font:bold 11px sans-serif;text-anchor:middle}\
.gloss-map .label{fill:var(--map-text,#1d1d1d);font:13px sans-serif;paint-order:stroke;stroke:var(--map-halo,#fff);stroke-width:3px;stroke-linejoin:round}\
.gloss-map a:focus circle,.gloss-map a:hover circle{stroke:var(--map-focus,#1d1d1d)}\
</style>";

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

/// A locator map for one place: the region around it, with a pin. A pin
/// without finite coordinates gets a world map without a pin. `root` leads
/// from the page to the site root, where the tiles are.
pub fn locator_map(pin: &Pin, root: &str) -> Map {
    let title = format!("Map: location of {}", pin.name);
    let pins: Vec<&Pin> = std::iter::once(pin).filter(|p| p.is_valid()).collect();
    let view = match pins.first() {
        Some(p) => View::locator(p.lat, p.lon),
        None => View::world(),
    };
    draw(&view, &title, &pins, false, root)
}

/// A map of several places (the stops of a journey, say), framed to fit them
/// all, each pin showing its [`Pin::number`]; with `draw_route`, a dashed
/// line joins them in order. Pins without finite coordinates are left out.
pub fn route_map(pins: &[Pin], draw_route: bool, root: &str) -> Map {
    let pins: Vec<&Pin> = pins.iter().filter(|p| p.is_valid()).collect();
    let places: Vec<String> = pins
        .iter()
        .map(|p| match p.number {
            Some(n) => format!("{n} {}", p.name),
            None => p.name.clone(),
        })
        .collect();
    let title = format!("Map of {} place{}: {}", pins.len(), if pins.len() == 1 { "" } else { "s" }, places.join(", "));
    draw(&View::route(&pins), &title, &pins, draw_route, root)
}

// ---------------------------------------------------------------------------
// TopoJSON

/// A decoded TopoJSON topology: absolute arc coordinates and, per object, its
/// geometries as arc-index lists.
#[derive(Debug, Default)]
struct Topology {
    /// Each arc's points, `[x, y]` (longitude, latitude), absolute.
    arcs: Vec<Vec<[f64; 2]>>,
    /// Each object's geometries; a geometry collection is flattened, one
    /// feature per member.
    objects: BTreeMap<String, Vec<Feature>>,
}

/// One geometry as arc indices: a negative index `i` is arc `!i` reversed.
#[derive(Debug, Default, Clone, PartialEq)]
struct Feature {
    /// Polygons, each a list of rings (the first the outer one), each a list
    /// of arc indices.
    polygons: Vec<Vec<Vec<i64>>>,
    /// Lines, each a list of arc indices.
    lines: Vec<Vec<i64>>,
}

impl Topology {
    fn parse(text: &str) -> Result<Topology, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        if root.get("type").and_then(Value::as_str) != Some("Topology") {
            return Err("not a TopoJSON topology".into());
        }
        let transform = match root.get("transform") {
            None | Some(Value::Null) => None,
            Some(t) => Some((number_pair(t.get("scale"))?, number_pair(t.get("translate"))?)),
        };
        let mut arcs = Vec::new();
        for arc in root.get("arcs").and_then(Value::as_array).ok_or("the topology has no arcs")? {
            let positions = arc.as_array().ok_or("an arc is not an array")?;
            let mut points = Vec::with_capacity(positions.len());
            let (mut x, mut y) = (0.0, 0.0);
            for position in positions {
                let [a, b] = number_pair(Some(position))?;
                points.push(match transform {
                    // Quantized: each position is a delta from the previous one.
                    Some((scale, translate)) => {
                        x += a;
                        y += b;
                        [x * scale[0] + translate[0], y * scale[1] + translate[1]]
                    }
                    None => [a, b],
                });
            }
            arcs.push(points);
        }
        let mut objects = BTreeMap::new();
        if let Some(map) = root.get("objects").and_then(Value::as_object) {
            for (name, geometry) in map {
                let mut features = Vec::new();
                collect_features(geometry, arcs.len(), &mut features)?;
                objects.insert(name.clone(), features);
            }
        }
        Ok(Topology { arcs, objects })
    }

    /// The points of a ring or line given as arc indices, joined where one
    /// arc ends and the next begins.
    fn points(&self, arc_indices: &[i64]) -> Vec<[f64; 2]> {
        let mut out: Vec<[f64; 2]> = Vec::new();
        for &i in arc_indices {
            let (index, reversed) = if i >= 0 { (i, false) } else { (!i, true) };
            let Some(arc) = usize::try_from(index).ok().and_then(|i| self.arcs.get(i)) else { continue };
            // Consecutive arcs share their joining point: keep it once.
            out.pop();
            if reversed {
                out.extend(arc.iter().rev());
            } else {
                out.extend(arc.iter());
            }
        }
        out
    }

    /// Every ring of every polygon of an object.
    fn rings(&self, object: &str) -> Vec<Vec<[f64; 2]>> {
        let features = self.objects.get(object).map(Vec::as_slice).unwrap_or_default();
        features.iter().flat_map(|f| f.polygons.iter().flatten()).map(|ring| self.points(ring)).collect()
    }

    /// The arcs of an object shared by two or more of its features (for
    /// countries: the borders between them, without the coasts), in arc order.
    fn interior_mesh(&self, object: &str) -> Vec<Vec<[f64; 2]>> {
        let features = self.objects.get(object).map(Vec::as_slice).unwrap_or_default();
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); self.arcs.len()];
        for (f, feature) in features.iter().enumerate() {
            let lists = feature.polygons.iter().flatten().chain(&feature.lines);
            for &i in lists.flatten() {
                let index = if i >= 0 { i } else { !i };
                if let Some(list) = usize::try_from(index).ok().and_then(|i| users.get_mut(i)) {
                    if !list.contains(&f) {
                        list.push(f);
                    }
                }
            }
        }
        users.iter().zip(&self.arcs).filter(|(u, _)| u.len() >= 2).map(|(_, arc)| arc.clone()).collect()
    }
}

/// `[a, b]` from a JSON array of at least two numbers.
fn number_pair(value: Option<&Value>) -> Result<[f64; 2], String> {
    let items = value.and_then(Value::as_array).ok_or("expected an array of numbers")?;
    match items.as_slice() {
        [a, b, ..] => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => Ok([a, b]),
            _ => Err("expected numbers".into()),
        },
        _ => Err("expected at least two numbers".into()),
    }
}

/// Appends the features of a geometry (a collection's members, flattened).
fn collect_features(geometry: &Value, arc_count: usize, out: &mut Vec<Feature>) -> Result<(), String> {
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let arcs = geometry.get("arcs");
    let index_list = |value: &Value| -> Result<Vec<i64>, String> {
        let items = value.as_array().ok_or("expected a list of arc indices")?;
        items
            .iter()
            .map(|v| {
                let i = v.as_i64().ok_or("an arc index is not an integer")?;
                let index = if i >= 0 { i } else { !i };
                match usize::try_from(index) {
                    Ok(index) if index < arc_count => Ok(i),
                    _ => Err(format!("arc index {i} is out of range")),
                }
            })
            .collect()
    };
    fn items<'a>(value: Option<&'a Value>, kind: &str) -> Result<&'a [Value], String> {
        value.and_then(Value::as_array).map(Vec::as_slice).ok_or_else(|| format!("a {kind} has no arcs"))
    }
    let polygon =
        |value: &Value| -> Result<Vec<Vec<i64>>, String> { items(Some(value), kind)?.iter().map(index_list).collect() };
    match kind {
        "GeometryCollection" => {
            for member in geometry.get("geometries").and_then(Value::as_array).into_iter().flatten() {
                collect_features(member, arc_count, out)?;
            }
        }
        "Polygon" => out.push(Feature { polygons: vec![polygon(arcs.unwrap_or(&Value::Null))?], lines: vec![] }),
        "MultiPolygon" => {
            let polygons = items(arcs, kind)?.iter().map(polygon).collect::<Result<_, _>>()?;
            out.push(Feature { polygons, lines: vec![] });
        }
        "LineString" => out.push(Feature { polygons: vec![], lines: vec![index_list(arcs.unwrap_or(&Value::Null))?] }),
        "MultiLineString" => {
            let lines = items(arcs, kind)?.iter().map(index_list).collect::<Result<_, _>>()?;
            out.push(Feature { polygons: vec![], lines });
        }
        // Points and empty geometries draw nothing here.
        _ => out.push(Feature::default()),
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The world, decoded once

/// An outline with continuous longitudes (see the module docs).
#[derive(Debug, Clone)]
// Maps draw from `unit`; the points in degrees and their bounds are kept for
// the tests to check the unwrapping.
#[cfg_attr(not(test), allow(dead_code))]
struct Shape {
    /// The points projected once, when the data is decoded: longitude and
    /// Mercator y (see [`mercator_y`]), so a map need only scale and move them.
    unit: Vec<[f64; 2]>,
    closed: bool,
    /// Longitude and latitude.
    points: Vec<[f64; 2]>,
    lon_min: f64,
    lon_max: f64,
    lat_min: f64,
}

impl Shape {
    /// Unwraps longitudes: each lies within 180° of the previous point's. A
    /// closed ring that ends a whole turn from where it began encircles a
    /// pole, and is closed along it.
    fn new(points: &[[f64; 2]], closed: bool) -> Option<Shape> {
        let mut out: Vec<[f64; 2]> = Vec::with_capacity(points.len() + 2);
        for &[lon, lat] in points.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
            let lon = match out.last() {
                Some(prev) => prev[0] + wrap180(lon - prev[0]),
                None => lon,
            };
            out.push([lon, lat]);
        }
        if out.len() < 2 {
            return None;
        }
        let (first, last) = (out[0], out[out.len() - 1]);
        if closed && (last[0] - first[0]).abs() > 180.0 {
            let mean_lat = out.iter().map(|p| p[1]).sum::<f64>() / out.len() as f64;
            let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
            out.push([last[0], pole]);
            out.push([first[0], pole]);
        }
        let fold = |f: fn(f64, f64) -> f64, axis: usize, start: f64| out.iter().map(|p| p[axis]).fold(start, f);
        Some(Shape {
            unit: out.iter().map(|&[lon, lat]| [lon, mercator_y(lat)]).collect(),
            lon_min: fold(f64::min, 0, f64::INFINITY),
            lon_max: fold(f64::max, 0, f64::NEG_INFINITY),
            lat_min: fold(f64::min, 1, f64::INFINITY),
            points: out,
            closed,
        })
    }
}

#[derive(Debug, Default)]
struct World {
    /// Land rings (outer rings and holes alike; drawn even-odd).
    land: Vec<Shape>,
    /// Borders between countries.
    borders: Vec<Shape>,
}

impl World {
    fn from_topojson(text: &str) -> Result<World, String> {
        let topology = Topology::parse(text)?;
        let land = topology.rings("land").iter().filter_map(|r| Shape::new(r, true)).collect();
        let borders = topology.interior_mesh("countries").iter().filter_map(|l| Shape::new(l, false)).collect();
        Ok(World { land, borders })
    }
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    // The embedded file is tested to decode; should it not, maps show sea.
    WORLD.get_or_init(|| World::from_topojson(WORLD_TOPOJSON).unwrap_or_default())
}

// ---------------------------------------------------------------------------
// Projection and framing

/// `d` moved by whole turns into [-180, 180).
fn wrap180(d: f64) -> f64 {
    (d + 180.0).rem_euclid(360.0) - 180.0
}

/// Mercator's y, in degrees (so one unit is one degree of longitude).
fn mercator_y(lat: f64) -> f64 {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    (PI / 4.0 + lat / 2.0).tan().ln().to_degrees()
}

/// Zoom levels: at level `k` a map shows `360° / 2^(k / LEVEL_STEPS)` of
/// longitude. Every map is drawn at one of them, so the outlines can be
/// simplified and written out once per level (see [`Level`]), not per map.
const LEVELS: usize = 22;
const LEVEL_STEPS: f64 = 4.0;

/// Pixels per degree of longitude at a zoom level.
fn level_scale(level: usize) -> f64 {
    WIDTH / 360.0 * (level as f64 / LEVEL_STEPS).exp2()
}

/// The (fractional) zoom level of a scale.
fn level_of(scale: f64) -> f64 {
    let level = (scale / (WIDTH / 360.0)).log2() * LEVEL_STEPS;
    if level.is_finite() {
        level.clamp(0.0, (LEVELS - 1) as f64)
    } else {
        0.0
    }
}

/// The part of the (Mercator) plane shown, and its scale.
#[derive(Debug, Clone, Copy)]
struct View {
    /// Longitude at the left edge, and Mercator y at the top.
    left: f64,
    top: f64,
    /// Pixels per degree of longitude: [`level_scale`] of `level`.
    scale: f64,
    level: usize,
}

impl View {
    /// A view at a zoom level centred on `(x, y)` (longitude, Mercator y),
    /// kept within the Mercator cut-off vertically where it fits.
    fn centred(x: f64, y: f64, level: usize) -> View {
        let level = level.min(LEVELS - 1);
        let scale = level_scale(level);
        let (half_w, half_h) = (WIDTH / 2.0 / scale, HEIGHT / 2.0 / scale);
        let (y_max, y_min) = (mercator_y(MAX_LAT), mercator_y(-MAX_LAT));
        let y = if 2.0 * half_h >= y_max - y_min { 0.0 } else { y.clamp(y_min + half_h, y_max - half_h) };
        View { left: x - half_w, top: y + half_h, scale, level }
    }

    fn world() -> View {
        View::centred(0.0, 0.0, 0)
    }

    /// Roughly 36° of longitude around the place, wider toward the poles (at
    /// the nearest zoom level).
    fn locator(lat: f64, lon: f64) -> View {
        let span = (LOCATOR_SPAN / lat.to_radians().cos().max(0.1).sqrt()).min(100.0);
        View::centred(wrap180(lon), mercator_y(lat), level_of(WIDTH / span).round() as usize)
    }

    /// Fits every pin, with room for labels, at least [`ROUTE_MIN_SPAN`] wide.
    fn route(pins: &[&Pin]) -> View {
        if pins.is_empty() {
            return View::world();
        }
        let centre = circular_centre(pins.iter().map(|p| p.lon));
        let xs = pins.iter().map(|p| centre + wrap180(p.lon - centre));
        let ys = pins.iter().map(|p| mercator_y(p.lat));
        let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
        let fit_x = (WIDTH - 2.0 * ROUTE_PAD_X) / (x1 - x0).max(1e-9);
        let fit_y = (HEIGHT - 2.0 * ROUTE_PAD_Y) / (y1 - y0).max(1e-9);
        let scale = fit_x.min(fit_y).clamp(WIDTH / 360.0, WIDTH / ROUTE_MIN_SPAN);
        // The zoom level at or just below that scale: the pins only get more room.
        let mut level = (level_of(scale) + 1e-9).floor() as usize;
        while level > 0 && level_scale(level) > scale {
            level -= 1;
        }
        View::centred((x0 + x1) / 2.0, (y0 + y1) / 2.0, level)
    }

    fn centre_lon(&self) -> f64 {
        self.left + WIDTH / 2.0 / self.scale
    }

    /// The pixel position of a point; `lon` is taken as is (not wrapped).
    fn project(&self, lon: f64, lat: f64) -> [f64; 2] {
        [(lon - self.left) * self.scale, (self.top - mercator_y(lat)) * self.scale]
    }

    /// The pixel position of a place, its longitude taken within 180° of the
    /// view's centre.
    fn place(&self, lat: f64, lon: f64) -> [f64; 2] {
        let centre = self.centre_lon();
        self.project(centre + wrap180(lon - centre), lat)
    }
}

/// The middle of the shortest arc of longitudes holding them all.
fn circular_centre(lons: impl Iterator<Item = f64>) -> f64 {
    let mut lons: Vec<f64> = lons.map(wrap180).collect();
    lons.sort_by(f64::total_cmp);
    let n = lons.len();
    if n == 0 {
        return 0.0;
    }
    // The widest gap between neighbours (the last one wraps round) is left out.
    let (mut widest, mut after) = (-1.0, 0);
    for i in 0..n {
        let next = if i + 1 < n { lons[i + 1] } else { lons[0] + 360.0 };
        if next - lons[i] > widest {
            widest = next - lons[i];
            after = (i + 1) % n;
        }
    }
    let start = lons[after];
    wrap180(start + (360.0 - widest) / 2.0)
}

// ---------------------------------------------------------------------------
// Clipping

/// A rectangle `[x0, y0, x1, y1]` in pixels.
type Rect = [f64; 4];

fn clip_rect() -> Rect {
    [-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, HEIGHT + CLIP_MARGIN]
}

/// A point while clipping, in pixels, with its index among the points of
/// the outline being clipped, or [`NEW`] for a point the clipping made.
type Vertex = ([f64; 2], u32);
const NEW: u32 = u32::MAX;

/// Sutherland–Hodgman: a polygon clipped to a rectangle. A concave polygon
/// may gain zero-width slivers along the rectangle's edges; they lie in the
/// clip margin, outside the view.
#[cfg(test)]
fn clip_polygon(points: &[[f64; 2]], rect: Rect) -> Vec<[f64; 2]> {
    let mut polygon: Vec<Vertex> = points.iter().map(|&p| (p, NEW)).collect();
    clip_ring(&mut polygon, &mut Vec::new(), rect, [true; 4]);
    polygon.into_iter().map(|(p, _)| p).collect()
}

/// Sutherland–Hodgman in place (see [`clip_polygon`]), against those edges
/// of the rectangle (left, right, top, bottom) that `edges` asks for: an
/// outline wholly inside an edge needs no pass against it. The points the
/// clipping keeps keep their tags.
fn clip_ring(polygon: &mut Vec<Vertex>, scratch: &mut Vec<Vertex>, rect: Rect, edges: [bool; 4]) {
    for edge in (0..4).filter(|&e| edges[e]) {
        let Some(&last) = polygon.last() else { break };
        let inside = |p: [f64; 2]| match edge {
            0 => p[0] >= rect[0],
            1 => p[0] <= rect[2],
            2 => p[1] >= rect[1],
            _ => p[1] <= rect[3],
        };
        let cross = |a: [f64; 2], b: [f64; 2]| -> Vertex {
            let point = match edge {
                0 | 1 => {
                    let x = if edge == 0 { rect[0] } else { rect[2] };
                    [x, a[1] + (x - a[0]) / (b[0] - a[0]) * (b[1] - a[1])]
                }
                _ => {
                    let y = if edge == 2 { rect[1] } else { rect[3] };
                    [a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]), y]
                }
            };
            (point, NEW)
        };
        scratch.clear();
        let mut prev = last.0;
        let mut prev_inside = inside(prev);
        for &cur in polygon.iter() {
            let cur_inside = inside(cur.0);
            match (prev_inside, cur_inside) {
                (true, true) => scratch.push(cur),
                (true, false) => scratch.push(cross(prev, cur.0)),
                (false, true) => {
                    scratch.push(cross(prev, cur.0));
                    scratch.push(cur);
                }
                (false, false) => {}
            }
            prev = cur.0;
            prev_inside = cur_inside;
        }
        std::mem::swap(polygon, scratch);
    }
}

/// Liang–Barsky: the part of segment `a`–`b` inside a rectangle, as the
/// fractions of the way from `a` to `b` where it starts and ends.
fn segment_span(a: [f64; 2], b: [f64; 2], rect: Rect) -> Option<(f64, f64)> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a[0] - rect[0]), (dx, rect[2] - a[0]), (-dy, a[1] - rect[1]), (dy, rect[3] - a[1])] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// The part of segment `a`–`b` inside a rectangle (the ends keep their tags
/// where they are inside).
fn clip_segment_vertices(a: Vertex, b: Vertex, rect: Rect) -> Option<(Vertex, Vertex)> {
    let (t0, t1) = segment_span(a.0, b.0, rect)?;
    let at = |t: f64| ([a.0[0] + t * (b.0[0] - a.0[0]), a.0[1] + t * (b.0[1] - a.0[1])], NEW);
    Some((if t0 > 0.0 { at(t0) } else { a }, if t1 < 1.0 { at(t1) } else { b }))
}

/// Liang–Barsky: the part of segment `a`–`b` inside a rectangle.
#[cfg(test)]
fn clip_segment(a: [f64; 2], b: [f64; 2], rect: Rect) -> Option<([f64; 2], [f64; 2])> {
    clip_segment_vertices((a, NEW), (b, NEW), rect).map(|(p, q)| (p.0, q.0))
}

/// A polyline clipped to a rectangle: the pieces inside it.
fn clip_line(points: &[Vertex], rect: Rect) -> Vec<Vec<Vertex>> {
    let mut pieces: Vec<Vec<Vertex>> = Vec::new();
    for pair in points.windows(2) {
        let Some((p, q)) = clip_segment_vertices(pair[0], pair[1], rect) else { continue };
        match pieces.last_mut() {
            Some(piece) if piece.last().map(|v| v.0) == Some(p.0) => piece.push(q),
            _ => pieces.push(vec![p, q]),
        }
    }
    pieces
}

/// A polyline clipped to a rectangle: the pieces inside it.
#[cfg(test)]
fn clip_polyline(points: &[[f64; 2]], rect: Rect) -> Vec<Vec<[f64; 2]>> {
    let points: Vec<Vertex> = points.iter().map(|&p| (p, NEW)).collect();
    clip_line(&points, rect).into_iter().map(|piece| piece.into_iter().map(|(p, _)| p).collect()).collect()
}

// ---------------------------------------------------------------------------
// Path data

/// Rounds a subpath's points (in pixels) to whole tenths of a pixel into
/// `kept`, dropping repeats (and a ring's closing repeats). False when
/// nothing worth drawing is left: a line of fewer than two points, or a ring
/// of fewer than three or less than a pixel across.
fn to_tenths(points: impl Iterator<Item = [f64; 2]>, closed: bool, kept: &mut Vec<[i64; 2]>) -> bool {
    kept.clear();
    for p in points.filter(|p| p[0].is_finite() && p[1].is_finite()) {
        let p = [tenth(p[0]), tenth(p[1])];
        if kept.last() != Some(&p) {
            kept.push(p);
        }
    }
    if closed {
        while kept.len() > 1 && kept[kept.len() - 1] == kept[0] {
            kept.pop();
        }
        let extent = |axis: usize| {
            let values = kept.iter().map(|p| p[axis]);
            values.clone().max().unwrap_or(0) - values.min().unwrap_or(0)
        };
        kept.len() >= 3 && (extent(0) >= 10 || extent(1) >= 10)
    } else {
        kept.len() >= 2
    }
}

/// Writes an absolute move to a point given in tenths.
fn push_move(out: &mut String, [x, y]: [i64; 2]) {
    out.push('M');
    push_number(out, x, true);
    push_number(out, y, false);
}

/// Writes the rest of a subpath after its first point, as relative lines
/// (and a close, for a ring).
fn push_relative(out: &mut String, kept: &[[i64; 2]], closed: bool, mut offsets: Option<&mut Vec<u32>>) {
    out.push('l');
    let mut first_number = true;
    let mut mark = |out: &String| {
        if let Some(offsets) = offsets.as_deref_mut() {
            offsets.push(u32::try_from(out.len()).unwrap_or(u32::MAX));
        }
    };
    // The first point has no move to it: it starts where the second's does.
    mark(out);
    for pair in kept.windows(2) {
        mark(out);
        push_number(out, pair[1][0] - pair[0][0], first_number);
        push_number(out, pair[1][1] - pair[0][1], false);
        first_number = false;
    }
    mark(out);
    if closed {
        out.push('z');
    }
}

/// Writes a subpath given in pixels, as is (not simplified): an absolute
/// move, then relative lines, in whole tenths of a pixel. A ring less than a
/// pixel across is left out.
fn push_subpath(out: &mut String, points: &[[f64; 2]], closed: bool, kept: &mut Vec<[i64; 2]>) {
    if to_tenths(points.iter().copied(), closed, kept) {
        push_move(out, kept[0]);
        push_relative(out, kept, closed, None);
    }
}

/// Simplifies a line to within `tolerance`: first drops each point within
/// `tolerance` of the last point kept (the final point stays), then applies
/// Douglas–Peucker, which keeps the ends and the points that stray more than
/// `tolerance` from the line between the points kept on either side.
fn simplify(points: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    let limit = tolerance * tolerance;
    let mut near: Vec<[f64; 2]> = Vec::with_capacity(points.len());
    let mut end = None;
    for &p in points.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
        end = Some(p);
        match near.last() {
            Some(&q) if distance2(p, q) < limit => {}
            _ => near.push(p),
        }
    }
    if let Some(end) = end {
        if near.last() != Some(&end) {
            if near.len() >= 2 {
                near.pop();
            }
            near.push(end);
        }
    }
    let n = near.len();
    if n < 3 {
        return near;
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0, n - 1)];
    while let Some((a, b)) = stack.pop() {
        let (mut worst, mut index) = (limit, None);
        let (pa, pb) = (near[a], near[b]);
        for (i, &p) in near.iter().enumerate().take(b).skip(a + 1) {
            let d = distance2_to_segment(p, pa, pb);
            if d > worst {
                worst = d;
                index = Some(i);
            }
        }
        if let Some(i) = index {
            keep[i] = true;
            stack.push((a, i));
            stack.push((i, b));
        }
    }
    near.iter().zip(&keep).filter(|(_, &k)| k).map(|(p, _)| *p).collect()
}

fn distance2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

/// The squared distance from `p` to the segment `a`–`b`.
fn distance2_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0) } else { 0.0 };
    distance2(p, [a[0] + t * dx, a[1] + t * dy])
}

fn tenth(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// Writes a number given in tenths ("-12.3", "4"), with a space before it
/// unless it follows a command letter or starts with a minus sign.
fn push_number(out: &mut String, tenths: i64, after_command: bool) {
    if tenths < 0 {
        out.push('-');
    } else if !after_command {
        out.push(' ');
    }
    let abs = tenths.unsigned_abs();
    let (mut whole, fraction) = (abs / 10, (abs % 10) as u8);
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
    if fraction != 0 {
        out.push('.');
        out.push(char::from(b'0' + fraction));
    }
}

/// A pixel coordinate for an attribute, to a tenth.
fn coordinate(v: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, tenth(v), true);
    s
}

// ---------------------------------------------------------------------------
// Outlines per zoom level

/// The outlines, simplified for one zoom level, in whole tenths of a pixel of
/// that level's plane (x: longitude × scale, y: −Mercator y × scale), each
/// with its path data after the first point already written. A map at that
/// level moves each outline by whole tenths, so the path data of an outline
/// wholly inside the map is copied, and that of one crossing its edge is
/// clipped, copying the runs of points the clipping leaves alone.
#[derive(Debug)]
struct Level {
    /// A whole turn (360° of longitude), in tenths of a pixel.
    turn: i64,
    land: Vec<LevelShape>,
    borders: Vec<LevelShape>,
}

#[derive(Debug)]
struct LevelShape {
    /// The points kept, in tenths (a ring's first point is not repeated).
    points: Vec<[i64; 2]>,
    /// `[x0, y0, x1, y1]`, in tenths.
    bbox: [i64; 4],
    /// The path data after the first point (see [`push_relative`]).
    relative: Box<str>,
    /// Where in `relative` the move to each point starts; the last entry is
    /// where the moves end.
    offsets: Box<[u32]>,
    closed: bool,
}

impl Level {
    fn new(world: &World, level: usize) -> Level {
        let scale = level_scale(level);
        let outlines = |shapes: &[Shape]| {
            let (mut pixels, mut kept, mut out) = (Vec::new(), Vec::new(), Vec::with_capacity(shapes.len()));
            for shape in shapes {
                pixels.clear();
                pixels.extend(shape.unit.iter().map(|&[x, y]| [x * scale, -y * scale]));
                let simple = simplify(&pixels, TOLERANCE);
                if !to_tenths(simple.into_iter(), shape.closed, &mut kept) {
                    continue;
                }
                let fold = |f: fn(i64, i64) -> i64, axis: usize| kept.iter().map(|p| p[axis]).reduce(f).unwrap_or(0);
                let bbox = [fold(i64::min, 0), fold(i64::min, 1), fold(i64::max, 0), fold(i64::max, 1)];
                let mut relative = String::with_capacity(kept.len() * 8);
                let mut offsets = Vec::with_capacity(kept.len() + 1);
                push_relative(&mut relative, &kept, shape.closed, Some(&mut offsets));
                out.push(LevelShape {
                    points: kept.clone(),
                    bbox,
                    relative: relative.into(),
                    offsets: offsets.into(),
                    closed: shape.closed,
                });
            }
            out
        };
        Level { turn: tenth(360.0 * scale), land: outlines(&world.land), borders: outlines(&world.borders) }
    }

    /// Writes the path data of the outlines that touch the view, each moved
    /// by the whole turns that bring it over the view, clipped to the view
    /// plus a margin.
    fn push_shapes(&self, out: &mut String, shapes: &[LevelShape], view: &View) {
        let rect = clip_rect();
        let clip = rect.map(tenth);
        // Where the level's origin falls in the view, in tenths.
        let (tx, ty) = (tenth(-view.left * view.scale), tenth(view.top * view.scale));
        let turn = self.turn.max(1);
        let (mut vertices, mut scratch, mut kept) = (Vec::new(), Vec::new(), Vec::new());
        for shape in shapes {
            let [x0, y0, x1, y1] = shape.bbox;
            let (y0, y1) = (y0.saturating_add(ty), y1.saturating_add(ty));
            if y1 < clip[1] || y0 > clip[3] {
                continue;
            }
            let (x0, x1) = (x0.saturating_add(tx), x1.saturating_add(tx));
            // The turns that bring the shape over the view.
            let first = -(x1.saturating_sub(clip[0])).div_euclid(turn);
            let last = clip[2].saturating_sub(x0).div_euclid(turn);
            if last.saturating_sub(first) > 4 {
                continue;
            }
            for k in first..=last {
                let shift = [tx + k * turn, ty];
                // The edges of the clip rectangle (left, right, top, bottom) the outline crosses.
                let edges = [x0 + k * turn < clip[0], x1 + k * turn > clip[2], y0 < clip[1], y1 > clip[3]];
                if edges == [false; 4] {
                    let [x, y] = shape.points[0];
                    push_move(out, [x + shift[0], y + shift[1]]);
                    out.push_str(&shape.relative);
                    continue;
                }
                gather_for_clipping(&mut vertices, shape, shift, clip);
                if shape.closed {
                    clip_ring(&mut vertices, &mut scratch, rect, edges);
                    push_clipped(out, &vertices, shape, shift, &mut kept);
                } else {
                    for piece in clip_line(&vertices, rect) {
                        push_clipped(out, &piece, shape, shift, &mut kept);
                    }
                }
            }
        }
    }
}

/// Which sides of a rectangle (in tenths) a point lies beyond, as bits.
fn outcode(p: [i64; 2], clip: [i64; 4]) -> u8 {
    u8::from(p[0] < clip[0])
        | u8::from(p[0] > clip[2]) << 1
        | u8::from(p[1] < clip[1]) << 2
        | u8::from(p[1] > clip[3]) << 3
}

/// An outline's points, moved by `shift` and in pixels, ready to clip. A
/// point is left out when it and the points on either side lie beyond the
/// same side of the clip rectangle: the line then runs beyond that side
/// either way, which changes neither what is drawn inside nor, for a ring,
/// which points inside it encloses.
fn gather_for_clipping(out: &mut Vec<Vertex>, shape: &LevelShape, shift: [i64; 2], clip: [i64; 4]) {
    out.clear();
    let points = &shape.points;
    let n = points.len();
    let at = |i: usize| [points[i][0] + shift[0], points[i][1] + shift[1]];
    let pixels = |p: [i64; 2]| [p[0] as f64 / 10.0, p[1] as f64 / 10.0];
    let Some(&first) = points.first() else { return };
    let first = [first[0] + shift[0], first[1] + shift[1]];
    let (mut kept_code, mut code) = (0, outcode(first, clip));
    let mut point = first;
    for i in 0..n {
        let next = if i + 1 < n {
            Some(at(i + 1))
        } else if shape.closed {
            Some(first)
        } else {
            None
        };
        let next_code = next.map_or(0, |p| outcode(p, clip));
        if i == 0 || next.is_none() || kept_code & code & next_code == 0 {
            out.push((pixels(point), i as u32));
            kept_code = code;
        }
        if let Some(next) = next {
            (point, code) = (next, next_code);
        }
    }
}

/// Writes an outline (or a piece of one) after clipping, in whole tenths,
/// like [`push_subpath`], but copying the path data of each run of the
/// outline's own points from [`LevelShape::relative`].
fn push_clipped(
    out: &mut String,
    vertices: &[Vertex],
    shape: &LevelShape,
    shift: [i64; 2],
    kept: &mut Vec<([i64; 2], u32)>,
) {
    let closed = shape.closed;
    kept.clear();
    for &(p, tag) in vertices {
        let q = match shape.points.get(tag as usize) {
            Some(o) => [o[0] + shift[0], o[1] + shift[1]],
            None => [tenth(p[0]), tenth(p[1])],
        };
        if kept.last().map(|k| k.0) != Some(q) {
            kept.push((q, tag));
        }
    }
    if closed {
        while kept.len() > 1 && kept[kept.len() - 1].0 == kept[0].0 {
            kept.pop();
        }
        let extent = |axis: usize| {
            let values = kept.iter().map(|p| p.0[axis]);
            values.clone().max().unwrap_or(0) - values.min().unwrap_or(0)
        };
        if kept.len() < 3 || (extent(0) < 10 && extent(1) < 10) {
            return;
        }
    } else if kept.len() < 2 {
        return;
    }
    push_move(out, kept[0].0);
    out.push('l');
    let follows = |a: u32, b: u32| a != NEW && b != NEW && b == a + 1;
    let mut first_number = true;
    let mut k = 1;
    while k < kept.len() {
        let ((prev, prev_tag), (q, tag)) = (kept[k - 1], kept[k]);
        if follows(prev_tag, tag) {
            let mut end = k;
            while end + 1 < kept.len() && follows(kept[end].1, kept[end + 1].1) {
                end += 1;
            }
            let (from, to) = (shape.offsets[tag as usize], shape.offsets[kept[end].1 as usize + 1]);
            // The copy starts with a space, a minus sign or (for the move to
            // the second point) the number itself.
            let text = &shape.relative[from as usize..to as usize];
            if first_number {
                out.push_str(text.strip_prefix(' ').unwrap_or(text));
            } else {
                if !text.starts_with([' ', '-']) {
                    out.push(' ');
                }
                out.push_str(text);
            }
            k = end + 1;
        } else {
            push_number(out, q[0] - prev[0], first_number);
            push_number(out, q[1] - prev[1], false);
            k += 1;
        }
        first_number = false;
    }
    if closed {
        out.push('z');
    }
}

/// The outlines at a zoom level, prepared on first use.
fn level(level: usize) -> &'static Level {
    static LEVEL: [OnceLock<Level>; LEVELS] = [const { OnceLock::new() }; LEVELS];
    let level = level.min(LEVELS - 1);
    LEVEL[level].get_or_init(|| Level::new(world(), level))
}

// ---------------------------------------------------------------------------
// Tiles

/// The folder of the tiles in the output.
pub const TILES: &str = "maps/";

/// Is the output file at `path` a map tile? Tiles are not counted as pages,
/// and a tile's content depends only on its path.
pub fn is_tile(path: &str) -> bool {
    path.starts_with(TILES)
}

/// How far each tile reaches over its neighbours, in pixels, so that no
/// hairline of sea shows along the seams when the map is scaled.
const TILE_OVERLAP: f64 = 1.0;

/// The colours of land and borders in the tiles: an image cannot see the
/// page's CSS variables, so they are the map's defaults, with the dark ones
/// of gloss's own style sheet.
const TILE_STYLE: &str = "<style>\
.land{fill:#e8e4d8;fill-rule:evenodd;stroke:#a9b9c0;stroke-width:.6;stroke-linejoin:round}\
.border{fill:none;stroke:#aaa08a;stroke-width:.8;stroke-dasharray:3 2;stroke-linejoin:round}\
@media (prefers-color-scheme:dark){.land{fill:#3a3d38}.border{stroke:#5b5e58}}\
</style>";

/// One cell of the base map: the land and borders of a `WIDTH` × `HEIGHT`
/// rectangle of a zoom level's plane (x: longitude × scale, y: −Mercator y ×
/// scale), an SVG file of its own at [`Tile::path`]. A map shows the (at most
/// four) tiles under its view as images and draws only its sea, pins and
/// route itself, so the outlines that every map of a region shares are
/// written once per site instead of once per page: at 10,000 articles that
/// is a quarter of the output. A tile depends on nothing but its place, so
/// the same tile is the same file on every site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tile {
    pub level: u8,
    pub col: i32,
    pub row: i32,
}

impl Tile {
    /// Where the tile is written, from the site root (in [`TILES`]).
    pub fn path(&self) -> String {
        format!("{TILES}{}/{}_{}.svg", self.level, self.col, self.row)
    }

    /// The tiles under a view, left to right, top to bottom.
    fn covering(view: &View) -> Vec<Tile> {
        let [x, y] = [view.left * view.scale, -view.top * view.scale];
        let cols = (x / WIDTH).floor() as i32..=((x + WIDTH) / WIDTH).ceil() as i32 - 1;
        // Rows wholly beyond the Mercator cut-off hold no land.
        let edge = mercator_y(MAX_LAT) * view.scale;
        let rows = ((y / HEIGHT).floor() as i32..=((y + HEIGHT) / HEIGHT).ceil() as i32 - 1)
            .filter(|&row| f64::from(row) * HEIGHT < edge && f64::from(row + 1) * HEIGHT > -edge);
        let level = view.level as u8;
        rows.flat_map(|row| cols.clone().map(move |col| Tile { level, col, row })).collect()
    }

    /// Where the tile's top left corner falls in a view, in pixels.
    fn offset(&self, view: &View) -> [f64; 2] {
        [f64::from(self.col) * WIDTH - view.left * view.scale, f64::from(self.row) * HEIGHT + view.top * view.scale]
    }

    /// The view of the plane the tile covers.
    fn view(&self) -> View {
        let level = usize::from(self.level).min(LEVELS - 1);
        let scale = level_scale(level);
        View { left: f64::from(self.col) * WIDTH / scale, top: -f64::from(self.row) * HEIGHT / scale, scale, level }
    }

    /// The tile's SVG: land and borders on a transparent ground (the map
    /// under it draws the sea).
    pub fn svg(&self) -> String {
        let view = self.view();
        let level = level(view.level);
        let (w, h, o) = (WIDTH + 2.0 * TILE_OVERLAP, HEIGHT + 2.0 * TILE_OVERLAP, -TILE_OVERLAP);
        let mut svg = String::with_capacity(16 * 1024);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="{o} {o} {w} {h}">{TILE_STYLE}"#
        );
        for (class, shapes) in [("land", &level.land), ("border", &level.borders)] {
            let start = svg.len();
            let _ = write!(svg, r#"<path class="{class}" d=""#);
            let data = svg.len();
            level.push_shapes(&mut svg, shapes, &view);
            if svg.len() == data {
                svg.truncate(start);
            } else {
                svg.push_str(r#""/>"#);
            }
        }
        svg.push_str("</svg>\n");
        svg
    }
}

// ---------------------------------------------------------------------------
// Pins and labels

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A pin's radius in pixels.
fn pin_radius(pin: &Pin) -> f64 {
    match pin.number {
        None => 6.5,
        Some(n) if n < 10 => 9.0,
        Some(n) if n < 100 => 10.5,
        Some(_) => 12.5,
    }
}

/// Where a label goes: its anchor point, text-anchor and box.
#[derive(Debug, Clone, Copy)]
struct LabelSpot {
    x: f64,
    y: f64,
    anchor: &'static str,
    rect: Rect,
}

fn overlap(a: Rect, b: Rect) -> f64 {
    let w = a[2].min(b[2]) - a[0].max(b[0]);
    let h = a[3].min(b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 {
        w * h
    } else {
        0.0
    }
}

/// Places each label beside its pin, on the first side (right, left, above,
/// below) where it stays in view and clear of the pins, the other
/// `obstacles` and the labels placed before it; failing that, where it
/// overlaps least.
fn place_labels(pins: &[(&Pin, [f64; 2])], obstacles: &[Rect]) -> Vec<LabelSpot> {
    let mut pin_boxes: Vec<Rect> = pins
        .iter()
        .map(|(pin, [x, y])| {
            let r = pin_radius(pin) + 1.0;
            [x - r, y - r, x + r, y + r]
        })
        .collect();
    pin_boxes.extend_from_slice(obstacles);
    let area = WIDTH * HEIGHT;
    let mut placed: Vec<LabelSpot> = Vec::new();
    let mut near: Vec<Rect> = Vec::new();
    for (pin, [x, y]) in pins {
        let (x, y) = (*x, *y);
        let r = pin_radius(pin);
        let w = pin.name.chars().count() as f64 * 7.0 + 2.0;
        let boxed = |tx: f64, ty: f64, anchor: &'static str| {
            let x0 = match anchor {
                "start" => tx,
                "end" => tx - w,
                _ => tx - w / 2.0,
            };
            LabelSpot { x: tx, y: ty, anchor, rect: [x0, ty - 10.0, x0 + w, ty + 3.0] }
        };
        let candidates = [
            boxed(x + r + 4.0, y + 4.5, "start"),
            boxed(x - r - 4.0, y + 4.5, "end"),
            boxed(x, y - r - 5.0, "middle"),
            boxed(x, y + r + 14.0, "middle"),
        ];
        // Only the boxes that reach the candidates can crowd them (leaving
        // out the others only leaves out zeros from the sums below).
        let reach = candidates.iter().fold(candidates[0].rect, |r, c| {
            [r[0].min(c.rect[0]), r[1].min(c.rect[1]), r[2].max(c.rect[2]), r[3].max(c.rect[3])]
        });
        near.clear();
        near.extend(pin_boxes.iter().filter(|b| overlap(reach, **b) > 0.0));
        let cost = |spot: &LabelSpot| {
            let visible = overlap(spot.rect, [2.0, 2.0, WIDTH - 2.0, HEIGHT - 2.0]);
            let box_area = (spot.rect[2] - spot.rect[0]) * (spot.rect[3] - spot.rect[1]);
            let hidden = (box_area - visible).max(0.0);
            let crowding: f64 = near.iter().map(|b| overlap(spot.rect, *b)).sum::<f64>()
                + placed.iter().map(|l| overlap(spot.rect, l.rect)).sum::<f64>();
            hidden * area + crowding
        };
        let mut best = candidates[0];
        let mut best_cost = cost(&best);
        for spot in &candidates[1..] {
            let c = cost(spot);
            if c < best_cost {
                best = *spot;
                best_cost = c;
            }
        }
        placed.push(best);
    }
    placed
}

// ---------------------------------------------------------------------------
// The SVG

fn draw(view: &View, title: &str, pins: &[&Pin], draw_route: bool, root: &str) -> Map {
    let title = escape(title);
    let mut svg = String::with_capacity(4 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {WIDTH} {HEIGHT}" class="gloss-map" role="group" aria-label="{title}"><title>{title}</title>{STYLE}<svg width="{WIDTH}" height="{HEIGHT}"><rect class="ocean" width="{WIDTH}" height="{HEIGHT}"/>"#
    );
    let tiles = Tile::covering(view);
    for tile in &tiles {
        let [x, y] = tile.offset(view);
        let _ = write!(
            svg,
            r#"<image xlink:href="{root}{}" x="{}" y="{}" width="{}" height="{}"/>"#,
            tile.path(),
            coordinate(x - TILE_OVERLAP),
            coordinate(y - TILE_OVERLAP),
            WIDTH + 2.0 * TILE_OVERLAP,
            HEIGHT + 2.0 * TILE_OVERLAP,
        );
    }
    let placed: Vec<(&Pin, [f64; 2])> = pins.iter().map(|&p| (p, view.place(p.lat, p.lon))).collect();
    // Labels keep off the route: small boxes every few pixels along it.
    let mut route_boxes: Vec<Rect> = Vec::new();
    if draw_route && placed.len() >= 2 {
        let points: Vec<[f64; 2]> = placed.iter().map(|(_, xy)| *xy).collect();
        let (mut route, mut kept) = (String::new(), Vec::new());
        // Every stop is kept, however close to the one before.
        for pair in points.windows(2) {
            push_subpath(&mut route, pair, false, &mut kept);
            let [a, b] = [pair[0], pair[1]];
            let steps = ((b[0] - a[0]).hypot(b[1] - a[1]) / 4.0).ceil().clamp(1.0, 1000.0) as usize;
            route_boxes.extend((0..=steps).map(|i| {
                let t = i as f64 / steps as f64;
                let [x, y] = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
                [x - 1.5, y - 1.5, x + 1.5, y + 1.5]
            }));
        }
        let _ = write!(svg, r#"<path class="route" d="{route}"/>"#);
    }
    let labels = place_labels(&placed, &route_boxes);
    for ((pin, [x, y]), label) in placed.iter().zip(&labels) {
        let name = escape(&pin.name);
        let (cx, cy) = (coordinate(*x), coordinate(*y));
        let _ = write!(
            svg,
            r#"<a href="{}" class="pin"><title>{name}</title><circle cx="{cx}" cy="{cy}" r="{}"/>"#,
            escape(&pin.href),
            pin_radius(pin)
        );
        if let Some(n) = pin.number {
            let _ = write!(svg, r#"<text class="num" x="{cx}" y="{}">{n}</text>"#, coordinate(y + 4.0));
        }
        let _ = write!(
            svg,
            r#"<text class="label" x="{}" y="{}" text-anchor="{}">{name}</text></a>"#,
            coordinate(label.x),
            coordinate(label.y),
            label.anchor
        );
    }
    svg.push_str("</svg></svg>");
    Map { svg, tiles }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(number: Option<usize>, name: &str, lat: f64, lon: f64) -> Pin {
        let href = format!("../places/{}.html", name.to_lowercase().replace(' ', "-"));
        Pin { number, name: name.into(), lat, lon, href }
    }

    fn journey() -> Vec<Pin> {
        vec![
            pin(Some(1), "Pyongyang", 39.02, 125.75),
            pin(Some(2), "Khasan", 42.43, 130.64),
            pin(Some(3), "Komsomolsk-on-Amur", 50.55, 137.01),
            pin(Some(4), "Vladivostok", 43.12, 131.89),
        ]
    }

    /// The `d` attributes of the paths of a class, in order.
    fn path_data<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
        let marker = format!(r#"<path class="{class}" d=""#);
        svg.match_indices(&marker)
            .map(|(i, _)| {
                let rest = &svg[i + marker.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    /// Path data as subpaths of absolute points (M, m, L, l, Z only).
    fn parse_path(d: &str) -> Vec<Vec<[f64; 2]>> {
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

    fn locator(pin: &Pin) -> Map {
        locator_map(pin, "../")
    }

    fn route(pins: &[Pin], draw_route: bool) -> Map {
        route_map(pins, draw_route, "../")
    }

    /// The segments of a class's outlines in the tiles a map shows, each cut
    /// to the part its tile shows and moved to where the map places the
    /// tile: the outlines as the reader sees them.
    fn composed(map: &Map, class: &str) -> Vec<Vec<[f64; 2]>> {
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

    fn all_land_points(map: &Map) -> Vec<Vec<[f64; 2]>> {
        composed(map, "land")
    }

    /// Two squares side by side, sharing one edge (arc 0), quantized with a
    /// transform: output x = 10 + 0.5 qx, y = -4 + 2 qy.
    const TINY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 2], "translate": [10, -4]},
        "objects": {
            "shapes": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]]},
                {"type": "Point", "coordinates": [1, 1]}
            ]},
            "line": {"type": "LineString", "arcs": [-3]}
        },
        "arcs": [
            [[2, 0], [0, 2]],
            [[2, 2], [-2, 0], [0, -2], [2, 0]],
            [[2, 0], [2, 0], [0, 2], [-2, 0]]
        ]
    }"#;

    #[test]
    fn map_decodes_quantized_topojson() {
        let topology = Topology::parse(TINY).unwrap();
        // Delta decoding, then scale and translate.
        assert_eq!(topology.arcs[0], vec![[11.0, -4.0], [11.0, 0.0]]);
        assert_eq!(topology.arcs[1], vec![[11.0, 0.0], [10.0, 0.0], [10.0, -4.0], [11.0, -4.0]]);
        assert_eq!(topology.arcs[2], vec![[11.0, -4.0], [12.0, -4.0], [12.0, 0.0], [11.0, 0.0]]);
        let shapes = &topology.objects["shapes"];
        assert_eq!(shapes.len(), 3);
        assert_eq!(shapes[0].polygons, vec![vec![vec![0, 1]]]);
        assert_eq!(shapes[1].polygons, vec![vec![vec![2, -1]]]);
        // A ring joins its arcs, keeping each joining point once.
        let a = vec![[11.0, -4.0], [11.0, 0.0], [10.0, 0.0], [10.0, -4.0], [11.0, -4.0]];
        assert_eq!(topology.points(&[0, 1]), a);
        // -1 (that is ~0) is arc 0 reversed.
        let b = vec![[11.0, -4.0], [12.0, -4.0], [12.0, 0.0], [11.0, 0.0], [11.0, -4.0]];
        assert_eq!(topology.points(&[2, -1]), b);
        assert_eq!(topology.rings("shapes"), vec![a, b]);
        let line = &topology.objects["line"][0].lines;
        assert_eq!(line, &vec![vec![-3]]);
        assert_eq!(topology.points(&line[0]), vec![[11.0, 0.0], [12.0, 0.0], [12.0, -4.0], [11.0, -4.0]]);
        // The one arc the two squares share is their border.
        assert_eq!(topology.interior_mesh("shapes"), vec![topology.arcs[0].clone()]);
        assert!(topology.interior_mesh("line").is_empty() && topology.rings("missing").is_empty());
    }

    #[test]
    fn map_decodes_unquantized_topojson_and_rejects_bad_input() {
        let plain = r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[0]]}},
            "arcs":[[[1.5,2],[3,2],[3,4],[1.5,2]]]}"#;
        let topology = Topology::parse(plain).unwrap();
        assert_eq!(topology.points(&[0]), vec![[1.5, 2.0], [3.0, 2.0], [3.0, 4.0], [1.5, 2.0]]);
        assert!(Topology::parse("{").is_err());
        assert!(Topology::parse(r#"{"type":"FeatureCollection"}"#).is_err());
        let out_of_range = r#"{"type":"Topology","objects":{"a":{"type":"Polygon","arcs":[[5]]}},"arcs":[]}"#;
        assert!(Topology::parse(out_of_range).is_err());
    }

    #[test]
    fn map_embedded_world_decodes() {
        let world = World::from_topojson(WORLD_TOPOJSON).unwrap();
        assert!(world.land.len() > 100, "{} land rings", world.land.len());
        assert!(world.borders.len() > 100, "{} border lines", world.borders.len());
        // Antarctica encircles the south pole and is closed along it.
        assert!(world.land.iter().any(|s| s.lon_max - s.lon_min >= 359.0 && s.lat_min == -90.0));
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

    #[test]
    fn map_circular_centre_takes_the_short_way_round() {
        assert_eq!(circular_centre([10.0, 20.0].into_iter()), 15.0);
        assert!(wrap180(circular_centre([170.0, -170.0].into_iter()) - 180.0).abs() < 1e-9);
        assert!((circular_centre([125.75, 177.51, -165.41].into_iter()) - 160.17).abs() < 1e-9);
        assert_eq!(circular_centre(std::iter::empty()), 0.0);
    }

    #[test]
    fn map_clipping() {
        let rect = [0.0, 0.0, 10.0, 10.0];
        assert_eq!(clip_segment([-5.0, 5.0], [15.0, 5.0], rect), Some(([0.0, 5.0], [10.0, 5.0])));
        assert_eq!(clip_segment([-5.0, -5.0], [-1.0, 20.0], rect), None);
        let square = clip_polygon(&[[-5.0, -5.0], [5.0, -5.0], [5.0, 5.0], [-5.0, 5.0]], rect);
        assert_eq!(square, vec![[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 5.0]]);
        assert!(clip_polygon(&[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]], rect).is_empty());
        assert_eq!(clip_polyline(&[[-5.0, 5.0], [5.0, 5.0], [5.0, 15.0], [20.0, 15.0]], rect).len(), 1);
    }
    #[test]
    fn map_tiles_compose_the_outlines_of_the_view() {
        // Every point of an outline drawn for the view as a whole is where
        // the tiles put it, to the tenth of a pixel, and the other way round.
        let inside = |p: &[f64; 2]| p[0] > 0.5 && p[0] < WIDTH - 0.5 && p[1] > 0.5 && p[1] < HEIGHT - 0.5;
        for (view, map) in [
            (View::locator(43.12, 131.89), locator(&pin(None, "Vladivostok", 43.12, 131.89))),
            (View::locator(64.73, 177.51), locator(&pin(None, "Anadyr", 64.73, 177.51))),
            (View::route(&journey().iter().collect::<Vec<_>>()), route(&journey(), true)),
        ] {
            let level = level(view.level);
            let mut whole = String::new();
            level.push_shapes(&mut whole, &level.land, &view);
            let whole: Vec<[f64; 2]> = parse_path(&whole).into_iter().flatten().filter(inside).collect();
            // Segment ends that are outline points, not cuts at a tile's edge.
            let cut = |p: &[f64; 2]| {
                map.tiles.iter().any(|t| {
                    let [x, y] = t.offset(&view);
                    [p[0] - x, p[1] - y]
                        .iter()
                        .zip([WIDTH, HEIGHT])
                        .any(|(v, size)| (v + TILE_OVERLAP).abs() < 0.06 || (v - size - TILE_OVERLAP).abs() < 0.06)
                })
            };
            let tiled: Vec<[f64; 2]> =
                all_land_points(&map).into_iter().flatten().filter(|p| inside(p) && !cut(p)).collect();
            assert!(whole.len() > 20, "{view:?}");
            let near = |a: &[f64; 2], points: &[[f64; 2]]| {
                points.iter().any(|b| (a[0] - b[0]).abs() < 0.11 && (a[1] - b[1]).abs() < 0.11)
            };
            for p in &whole {
                assert!(near(p, &tiled), "{p:?} of the view is in no tile ({view:?})");
            }
            for p in &tiled {
                assert!(near(p, &whole), "{p:?} of a tile is not in the view ({view:?})");
            }
        }
    }

    /// Views of every kind: the world, locators from pole to pole and across
    /// the antimeridian, routes from a few degrees to the whole world.
    fn sample_views() -> Vec<View> {
        let mut views = vec![View::world(), View::route(&journey().iter().collect::<Vec<_>>())];
        for (lat, lon) in [(43.12, 131.89), (64.73, 177.51), (-16.5, 179.9), (-78.0, -60.0), (80.0, 20.0), (0.0, -0.4)]
        {
            views.push(View::locator(lat, lon));
        }
        for spread in [2.0, 9.0, 30.0, 75.0, 150.0] {
            let stops =
                [pin(Some(1), "A", 50.0 - spread / 3.0, 170.0 - spread), pin(Some(2), "B", 50.0, 170.0 + spread)];
            views.push(View::route(&stops.iter().collect::<Vec<_>>()));
        }
        views
    }

    #[test]
    fn map_prepared_levels_do_not_change_the_output() {
        // The outlines a view draws are the same whether its level was
        // prepared before (and cached) or is prepared afresh.
        for view in sample_views() {
            let cached = level(view.level);
            let fresh = Level::new(world(), view.level);
            for (a, b) in [(&cached.land, &fresh.land), (&cached.borders, &fresh.borders)] {
                let (mut warm, mut cold) = (String::new(), String::new());
                cached.push_shapes(&mut warm, a, &view);
                fresh.push_shapes(&mut cold, b, &view);
                assert_eq!(warm, cold, "{view:?}");
            }
        }
        let place = pin(None, "Suva", -18.14, 178.44);
        assert_eq!(locator(&place), locator(&place));
    }

    #[test]
    fn map_outlines_are_well_formed_and_clipped() {
        // Every path parses, stays within the clip rectangle, and the copied
        // runs of points land where the points are.
        let [x0, y0, x1, y1] = clip_rect();
        for view in sample_views() {
            let level = level(view.level);
            for shapes in [&level.land, &level.borders] {
                let mut d = String::new();
                level.push_shapes(&mut d, shapes, &view);
                assert!(!d.contains(".."), "{d}");
                for point in parse_path(&d).iter().flatten() {
                    let inside = |v: f64, lo: f64, hi: f64| v >= lo - 0.051 && v <= hi + 0.051;
                    assert!(inside(point[0], x0, x1) && inside(point[1], y0, y1), "{point:?} in {view:?}");
                }
            }
        }
    }

    #[test]
    fn map_views_use_the_zoom_levels() {
        for view in sample_views() {
            assert!(view.level < LEVELS && view.scale == level_scale(view.level), "{view:?}");
        }
        // A locator keeps its place in the middle; a route fits its pins.
        let view = View::locator(-16.5, 179.9);
        let [x, y] = view.place(-16.5, 179.9);
        assert!((x - WIDTH / 2.0).abs() < 1e-6 && (y - HEIGHT / 2.0).abs() < 1e-6);
        let stops = [pin(Some(1), "A", 10.0, -170.0), pin(Some(2), "B", 40.0, 170.0), pin(Some(3), "C", -30.0, 150.0)];
        let view = View::route(&stops.iter().collect::<Vec<_>>());
        for stop in &stops {
            let [x, y] = view.place(stop.lat, stop.lon);
            assert!((ROUTE_PAD_X - 1.0..WIDTH - ROUTE_PAD_X + 1.0).contains(&x), "{x}");
            assert!((ROUTE_PAD_Y - 1.0..HEIGHT - ROUTE_PAD_Y + 1.0).contains(&y), "{y}");
        }
    }

    /// A timing probe, not a check:
    /// `cargo test --release --lib map_timing_probe -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn map_timing_probe() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
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
