//! The world's outlines, decoded once, on first use, from the embedded
//! Natural Earth data: the land's rings and the borders between countries.
//!
//! Every outline is *unwrapped* once, when the data is decoded: each point's
//! longitude is moved by whole turns to lie within 180° of the point before
//! it, so a shape that crosses the antimeridian (Russia's Chukotka, Fiji)
//! becomes one continuous outline that may run past 180°. A map then draws
//! each outline shifted by the whole turn (…, −360°, 0, +360°, …) that
//! brings it into view (see [`Level::push_shapes`]). No path ever jumps
//! across the map, so a view across the antimeridian shows land on both
//! sides without streaks. A ring that encircles a pole (Antarctica) is
//! closed along that pole.
//!
//! The points are projected once, too, when decoded, so a map need only
//! scale and move them.
//!
//! [`Level::push_shapes`]: super::level::Level::push_shapes

use std::sync::OnceLock;

use super::projection::{mercator_y, wrap180};
use super::topojson::Topology;

/// Natural Earth 1:110m countries and land, as TopoJSON (world-atlas 2.0.2).
const WORLD_TOPOJSON: &str = include_str!("../../data/countries-110m.json");

/// An outline with continuous longitudes (see the module docs).
#[derive(Debug, Clone)]
// Maps draw from `unit`; the points in degrees and their bounds are kept for
// the tests to check the unwrapping.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Shape {
    /// The points projected once, when the data is decoded: longitude and
    /// Mercator y (see [`mercator_y`]), so a map need only scale and move them.
    pub(super) unit: Vec<[f64; 2]>,
    pub(super) closed: bool,
    /// Longitude and latitude.
    pub(super) points: Vec<[f64; 2]>,
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
pub(super) struct World {
    /// Land rings (outer rings and holes alike; drawn even-odd).
    pub(super) land: Vec<Shape>,
    /// Borders between countries.
    pub(super) borders: Vec<Shape>,
}

impl World {
    fn from_topojson(text: &str) -> Result<World, String> {
        let topology = Topology::parse(text)?;
        let land = topology.rings("land").iter().filter_map(|r| Shape::new(r, true)).collect();
        let borders = topology.interior_mesh("countries").iter().filter_map(|l| Shape::new(l, false)).collect();
        Ok(World { land, borders })
    }
}

pub(super) fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    // The embedded file is tested to decode; should it not, maps show sea.
    WORLD.get_or_init(|| World::from_topojson(WORLD_TOPOJSON).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_embedded_world_decodes() {
        let world = World::from_topojson(WORLD_TOPOJSON).unwrap();
        assert!(world.land.len() > 100, "{} land rings", world.land.len());
        assert!(world.borders.len() > 100, "{} border lines", world.borders.len());
        // Antarctica encircles the south pole and is closed along it.
        assert!(world.land.iter().any(|s| s.lon_max - s.lon_min >= 359.0 && s.lat_min == -90.0));
    }
}
