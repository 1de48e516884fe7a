//! A site's own basemap layers: GeoJSON files (streets, rivers, parks, say,
//! exported from OpenStreetMap) declared by `map_layers:` in `site.yaml`,
//! drawn under the pins of plans, the maps of places too close together for
//! the Natural Earth outlines (see [`View::plan`]).
//!
//! A file is parsed once per build, its lines and rings projected once
//! (and unwrapped across the antimeridian, so a plan of Taveuni or Chukotka
//! gets its streets whole); a plan then draws only the outlines whose bounds
//! meet it, each clipped to the plan (plus a margin), simplified to half a
//! pixel and dropped when less than a pixel long, up to [`MAX_PATH_BYTES`]
//! of path data: water, parks and main roads first, then the nearest to
//! the middle first. So a huge file costs each map only the part of it the
//! map shows, and what a full plan leaves out is the least telling.
//!
//! How a feature is drawn follows its OpenStreetMap tags, as an export
//! keeps them in its properties (`highway`, `waterway`, `natural`,
//! `leisure`, `landuse`, `railway`, `building`), else its geometry: a line,
//! or an area. Points are left out: places are pins.

use std::fmt::Write as _;

use geojson::{GeoJson, Geometry, GeometryValue, JsonObject, Position};
use serde_json::Value;

use super::clip::{clip_line, clip_rect, clip_ring, Vertex, NEW};
use super::path::{push_subpath, simplify};
use super::projection::{mercator_y, wrap180, View};

/// The most path data one plan holds of a site's layers, in bytes: beyond
/// it, outlines are left out (see [`Style::RANK`]).
const MAX_PATH_BYTES: usize = 96 * 1024;

/// How a feature is drawn, in the order drawn (areas under lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Style {
    Area,
    Green,
    Water,
    Building,
    Rail,
    Street,
    MajorStreet,
    Waterway,
    Line,
}

impl Style {
    const ALL: [Style; 9] = [
        Style::Area,
        Style::Green,
        Style::Water,
        Style::Building,
        Style::Waterway,
        Style::Rail,
        Style::Street,
        Style::MajorStreet,
        Style::Line,
    ];

    /// Which outlines a full plan keeps first: what places a reader (water,
    /// parks, main roads), then the rest, buildings last.
    const RANK: [Style; 9] = [
        Style::Water,
        Style::Waterway,
        Style::Green,
        Style::MajorStreet,
        Style::Rail,
        Style::Street,
        Style::Area,
        Style::Line,
        Style::Building,
    ];

    fn rank(self) -> usize {
        Style::RANK.iter().position(|s| *s == self).unwrap_or(Style::RANK.len())
    }

    fn class(self) -> &'static str {
        match self {
            Style::Area => "l-area",
            Style::Green => "l-green",
            Style::Water => "l-water",
            Style::Building => "l-building",
            Style::Rail => "l-rail",
            Style::Street => "l-street",
            Style::MajorStreet => "l-major",
            Style::Waterway => "l-waterway",
            Style::Line => "l-line",
        }
    }

    fn of(properties: Option<&JsonObject>, closed: bool) -> Style {
        let tag = |key: &str| properties.and_then(|p| p.get(key)).and_then(Value::as_str);
        if let Some(kind) = tag("highway") {
            return match kind {
                "motorway" | "trunk" | "primary" | "secondary" | "motorway_link" | "trunk_link" | "primary_link" => {
                    Style::MajorStreet
                }
                _ => Style::Street,
            };
        }
        if tag("railway").is_some() {
            return Style::Rail;
        }
        if tag("building").is_some() {
            return Style::Building;
        }
        let water = tag("natural") == Some("water")
            || tag("water").is_some()
            || matches!(tag("landuse"), Some("reservoir" | "basin"))
            || matches!(tag("waterway"), Some("riverbank" | "dock"));
        if water && closed {
            return Style::Water;
        }
        if tag("waterway").is_some() || water {
            return Style::Waterway;
        }
        let green = matches!(tag("leisure"), Some("park" | "garden" | "playground" | "pitch"))
            || matches!(tag("landuse"), Some("grass" | "forest" | "meadow" | "cemetery" | "recreation_ground"))
            || matches!(tag("natural"), Some("wood" | "scrub" | "grassland"));
        match (green, closed) {
            (true, true) => Style::Green,
            (_, true) => Style::Area,
            (_, false) => Style::Line,
        }
    }
}

/// One line or ring of a layer, projected: longitude (unwrapped: no step
/// between two points is more than 180°, so it may run beyond ±180) and
/// Mercator y.
#[derive(Debug, Clone)]
struct Outline {
    style: Style,
    closed: bool,
    unit: Vec<[f64; 2]>,
    /// `[x0, y0, x1, y1]` of `unit`.
    bbox: [f64; 4],
}

/// The layers of a site, in the order `map_layers` lists them.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    outlines: Vec<Outline>,
    /// The bounds of them all, as `outlines`' (none when empty).
    bbox: Option<[f64; 4]>,
}

/// Why a layer file could not be read: what, and where when known (line and
/// column, from 1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LayerError {
    pub message: String,
    pub line_column: Option<(usize, usize)>,
}

impl Layers {
    /// Adds the features of a GeoJSON file (a feature collection, a
    /// feature or a bare geometry).
    pub fn add(&mut self, text: &str) -> Result<(), LayerError> {
        let geojson: GeoJson = text.parse().map_err(|e: geojson::Error| {
            let line_column = match &e {
                geojson::Error::MalformedGeoJson(json) if json.line() > 0 => Some((json.line(), json.column())),
                _ => None,
            };
            let message = match &e {
                geojson::Error::MalformedGeoJson(json) => format!("not valid GeoJSON: {json}"),
                other => format!("not valid GeoJSON: {other}"),
            };
            LayerError { message, line_column }
        })?;
        let mut add = |geometry: &Geometry, properties: Option<&JsonObject>| self.add_geometry(geometry, properties);
        match &geojson {
            GeoJson::Geometry(g) => add(g, None),
            GeoJson::Feature(f) => {
                if let Some(g) = &f.geometry {
                    add(g, f.properties.as_ref());
                }
            }
            GeoJson::FeatureCollection(c) => {
                for f in &c.features {
                    if let Some(g) = &f.geometry {
                        add(g, f.properties.as_ref());
                    }
                }
            }
        }
        self.bbox = self
            .outlines
            .iter()
            .map(|o| o.bbox)
            .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]);
        Ok(())
    }

    fn add_geometry(&mut self, geometry: &Geometry, properties: Option<&JsonObject>) {
        let mut push = |positions: &[Position], closed: bool| {
            let mut unit: Vec<[f64; 2]> = positions
                .iter()
                .filter_map(|p| match p.as_slice() {
                    [lon, lat, ..] if lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0 => {
                        Some([*lon, mercator_y(*lat)])
                    }
                    _ => None,
                })
                .collect();
            // Across the antimeridian the short way: 179.9 then -179.9 is 0.2° east.
            for i in 1..unit.len() {
                let previous = unit[i - 1][0];
                unit[i][0] = previous + wrap180(unit[i][0] - previous);
            }
            if unit.len() < 2 {
                return;
            }
            let fold = |f: fn(f64, f64) -> f64, axis: usize| unit.iter().map(|p| p[axis]).reduce(f).unwrap_or(0.0);
            let bbox = [fold(f64::min, 0), fold(f64::min, 1), fold(f64::max, 0), fold(f64::max, 1)];
            self.outlines.push(Outline { style: Style::of(properties, closed), closed, unit, bbox });
        };
        match &geometry.value {
            GeometryValue::Point { .. } | GeometryValue::MultiPoint { .. } => {}
            GeometryValue::LineString { coordinates } => push(coordinates, false),
            GeometryValue::MultiLineString { coordinates } => coordinates.iter().for_each(|l| push(l, false)),
            GeometryValue::Polygon { coordinates } => coordinates.iter().for_each(|r| push(r, true)),
            GeometryValue::MultiPolygon { coordinates } => coordinates.iter().flatten().for_each(|r| push(r, true)),
            GeometryValue::GeometryCollection { geometries } => {
                geometries.iter().for_each(|g| self.add_geometry(g, properties))
            }
        }
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.outlines.is_empty()
    }

    /// Whether the layers' bounds hold a place (its longitude taken a turn
    /// either way too).
    pub(super) fn cover(&self, lat: f64, lon: f64) -> bool {
        let y = mercator_y(lat);
        self.bbox.is_some_and(|[x0, y0, x1, y1]| {
            (y0..=y1).contains(&y) && [0.0, -360.0, 360.0].iter().any(|turn| (x0..=x1).contains(&(lon + turn)))
        })
    }

    /// Writes the layers' outlines that a plan shows, one `<path>` per style.
    pub(super) fn draw(&self, svg: &mut String, view: &View) {
        let rect = clip_rect();
        let (lon0, lon1) = (view.left + rect[0] / view.scale, view.left + rect[2] / view.scale);
        let (y1, y0) = (view.top - rect[1] / view.scale, view.top - rect[3] / view.scale);
        let middle = [(lon0 + lon1) / 2.0, (y0 + y1) / 2.0];
        // The outlines the plan meets, shifted by whole turns to where it
        // is, in the order they are kept: by rank, then nearest first.
        let mut shown: Vec<(usize, f64, f64, &Outline)> = Vec::new();
        for outline in &self.outlines {
            let [a, b, c, d] = outline.bbox;
            // Too small to see at this scale.
            if d < y0 || b > y1 || (c - a).max(d - b) * view.scale < 1.0 {
                continue;
            }
            for turn in [0.0, -360.0, 360.0] {
                if c + turn >= lon0 && a + turn <= lon1 {
                    let centre = [(a + c) / 2.0 + turn, (b + d) / 2.0];
                    let distance = (centre[0] - middle[0]).hypot(centre[1] - middle[1]);
                    shown.push((outline.style.rank(), distance, turn, outline));
                }
            }
        }
        shown.sort_by(|p, q| p.0.cmp(&q.0).then(p.1.total_cmp(&q.1)));
        let mut data: Vec<String> = vec![String::new(); Style::ALL.len()];
        let (mut vertices, mut scratch, mut kept) = (Vec::<Vertex>::new(), Vec::new(), Vec::new());
        let mut bytes = 0;
        for (_, _, turn, outline) in shown {
            let out = &mut data[Style::ALL.iter().position(|s| *s == outline.style).unwrap_or(0)];
            let before = out.len();
            vertices.clear();
            vertices.extend(outline.unit.iter().map(|&[x, y]| (view.project_unit(x + turn, y), NEW)));
            if outline.closed {
                clip_ring(&mut vertices, &mut scratch, rect, [true; 4]);
                let points: Vec<[f64; 2]> = vertices.iter().map(|v| v.0).collect();
                push_subpath(out, &simplify(&points, 0.5), true, &mut kept);
            } else {
                for piece in clip_line(&vertices, rect) {
                    let points: Vec<[f64; 2]> = piece.iter().map(|v| v.0).collect();
                    push_subpath(out, &simplify(&points, 0.5), false, &mut kept);
                }
            }
            bytes += out.len() - before;
            if bytes > MAX_PATH_BYTES {
                out.truncate(before);
                break;
            }
        }
        for (style, d) in Style::ALL.iter().zip(&data) {
            if !d.is_empty() {
                let _ = write!(svg, r#"<path class="{}" d="{d}"/>"#, style.class());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_layer_errors_say_where() {
        let mut layers = Layers::default();
        let error = layers.add("{\"type\": \"FeatureCollection\",\n  \"features\": [,]}").unwrap_err();
        assert_eq!(error.line_column.map(|(l, _)| l), Some(2), "{error:?}");
        assert!(layers.add(r#"{"type": "Nothing"}"#).is_err());
        assert!(layers.is_empty());
    }

    #[test]
    fn map_layer_styles_follow_the_tags() {
        let mut layers = Layers::default();
        layers
            .add(
                r#"{"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[13.37,52.51],[13.39,52.52]]}},
                {"type":"Feature","properties":{"waterway":"river"},"geometry":{"type":"LineString","coordinates":[[13.37,52.52],[13.40,52.52]]}},
                {"type":"Feature","properties":{"leisure":"park"},"geometry":{"type":"Polygon","coordinates":[[[13.35,52.51],[13.37,52.51],[13.37,52.52],[13.35,52.51]]]}},
                {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[13.3,52.5]}}]}"#,
            )
            .unwrap();
        let styles: Vec<Style> = layers.outlines.iter().map(|o| o.style).collect();
        assert_eq!(styles, [Style::MajorStreet, Style::Waterway, Style::Green]);
        assert!(layers.cover(52.515, 13.38) && !layers.cover(48.85, 2.35));
    }

    fn plan_of(layers: &Layers, lat: f64, lon: f64) -> String {
        let view = View::plan_around(&crate::map::testing::pin(None, "Here", lat, lon), &[]).unwrap();
        let mut svg = String::new();
        layers.draw(&mut svg, &view);
        svg
    }

    fn feature(tags: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{{{tags}}},"geometry":{geometry}}}"#)
    }

    #[test]
    fn map_layer_streets_cross_the_antimeridian_whole() {
        // Taveuni, Fiji: a road across 180° and a village just east of it.
        let road = feature(
            r#""highway":"primary""#,
            r#"{"type":"LineString","coordinates":[[179.995,-16.8],[-179.995,-16.8]]}"#,
        );
        let village = feature(
            r#""landuse":"residential""#,
            r#"{"type":"Polygon","coordinates":[[[-179.999,-16.801],[-179.996,-16.801],[-179.996,-16.799],[-179.999,-16.801]]]}"#,
        );
        let mut layers = Layers::default();
        layers.add(&format!(r#"{{"type":"FeatureCollection","features":[{road},{village}]}}"#)).unwrap();
        assert!(layers.cover(-16.8, 180.0) && layers.cover(-16.8, -180.0));
        for lon in [179.999, -179.999] {
            let svg = plan_of(&layers, -16.8, lon);
            let road = crate::map::testing::path_data(&svg, "l-major");
            assert_eq!(road.len(), 1, "{lon}: the road");
            // 0.01° of longitude about the middle (213 px at this scale),
            // not a streak across the plan.
            let xs: Vec<f64> = crate::map::testing::parse_path(road[0]).concat().iter().map(|p| p[0]).collect();
            let (min, max) = (xs.iter().copied().fold(f64::MAX, f64::min), xs.iter().copied().fold(f64::MIN, f64::max));
            assert!(min > 100.0 && max < 500.0 && (max - min - 213.0).abs() < 5.0, "{lon}: {svg}");
            assert!(svg.contains(r#"class="l-area""#), "{lon}: the village east of 180°: {svg}");
        }
    }

    #[test]
    fn map_layer_a_full_plan_keeps_the_river_before_the_buildings() {
        // Thousands of buildings listed first, then the river.
        let mut features = Vec::new();
        for i in 0..4000 {
            let (x, y) = (13.37 + f64::from(i % 80) * 0.0006, 52.505 + f64::from(i / 80) * 0.0004);
            features.push(feature(
                r#""building":"yes""#,
                &format!(
                    r#"{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}"#,
                    x + 0.0004,
                    x + 0.0004,
                    y + 0.0003,
                    y + 0.0003
                ),
            ));
        }
        features.push(feature(
            r#""waterway":"river""#,
            r#"{"type":"LineString","coordinates":[[13.36,52.52],[13.42,52.51]]}"#,
        ));
        let mut layers = Layers::default();
        layers.add(&format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))).unwrap();
        let svg = plan_of(&layers, 52.515, 13.39);
        assert!(svg.len() <= MAX_PATH_BYTES + 1024, "{} bytes", svg.len());
        assert!(svg.contains(r#"class="l-waterway""#), "the river is left out");
        assert!(svg.contains(r#"class="l-building""#));
    }
}
