//! Where a point goes on a map: the projection, the zoom levels, and the
//! view each map frames.
//!
//! The projection is Mercator, with longitudes measured from the centre of
//! the view. Maps come in fixed zoom levels, four per doubling, so that the
//! outlines are prepared once per level, not once per map: a locator takes
//! the nearest level, a route map the nearest that fits its pins.

use std::f64::consts::PI;

use super::{Pin, HEIGHT, WIDTH};

/// Mercator is cut off at this latitude.
pub(super) const MAX_LAT: f64 = 85.0;
/// Width of a locator map at the equator, in degrees of longitude.
const LOCATOR_SPAN: f64 = 36.0;
/// The narrowest a route map gets, in degrees of longitude.
const ROUTE_MIN_SPAN: f64 = 8.0;
/// Room left around the pins of a route map, in pixels, for their labels.
const ROUTE_PAD_X: f64 = 90.0;
const ROUTE_PAD_Y: f64 = 48.0;
/// Pins that would fit a frame this many times finer than the narrowest
/// route map get a plan instead (see [`View::plan`]): on that map they would
/// crowd into a few dozen pixels. A city is a plan; two cities 150 km
/// apart are not.
const PLAN_FACTOR: f64 = 4.0;
/// The narrowest a plan gets, in metres across.
const PLAN_MIN_SPAN_M: f64 = 1500.0;
/// The narrowest plan of one place, in metres across.
pub(super) const PLAN_LOCATOR_SPAN_M: f64 = 3000.0;
/// How far off a place's neighbours may be for its own map to be a plan
/// of them all, in metres: a city, not a region the outlines can show.
pub(super) const NEIGHBOUR_M: f64 = 10_000.0;
/// Metres in a degree of longitude at the equator (WGS 84, to a metre).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// `d` moved by whole turns into [-180, 180).
pub(super) fn wrap180(d: f64) -> f64 {
    (d + 180.0).rem_euclid(360.0) - 180.0
}

/// Mercator's y, in degrees (so one unit is one degree of longitude).
pub(super) fn mercator_y(lat: f64) -> f64 {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    (PI / 4.0 + lat / 2.0).tan().ln().to_degrees()
}

/// Zoom levels: at level `k` a map shows `360° / 2^(k / LEVEL_STEPS)` of
/// longitude. Every map is drawn at one of them, so the outlines can be
/// simplified and written out once per level (see
/// [`Level`](super::level::Level)), not per map.
pub(super) const LEVELS: usize = 22;
const LEVEL_STEPS: f64 = 4.0;

/// Pixels per degree of longitude at a zoom level.
pub(super) fn level_scale(level: usize) -> f64 {
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
pub(super) struct View {
    /// Longitude at the left edge, and Mercator y at the top.
    pub(super) left: f64,
    pub(super) top: f64,
    /// Pixels per degree of longitude: [`level_scale`] of `level`.
    pub(super) scale: f64,
    pub(super) level: usize,
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

    pub(super) fn world() -> View {
        View::centred(0.0, 0.0, 0)
    }

    /// Roughly 36° of longitude around the place, wider toward the poles (at
    /// the nearest zoom level).
    pub(super) fn locator(lat: f64, lon: f64) -> View {
        let span = (LOCATOR_SPAN / lat.to_radians().cos().max(0.1).sqrt()).min(100.0);
        View::centred(wrap180(lon), mercator_y(lat), level_of(WIDTH / span).round() as usize)
    }

    /// Fits every pin, with room for labels, at least [`ROUTE_MIN_SPAN`] wide.
    pub(super) fn route(pins: &[&Pin]) -> View {
        if pins.is_empty() {
            return View::world();
        }
        let ([x0, y0, x1, y1], fit) = fit(pins);
        let scale = fit.clamp(WIDTH / 360.0, WIDTH / ROUTE_MIN_SPAN);
        // The zoom level at or just below that scale: the pins only get more room.
        let mut level = (level_of(scale) + 1e-9).floor() as usize;
        while level > 0 && level_scale(level) > scale {
            level -= 1;
        }
        View::centred((x0 + x1) / 2.0, (y0 + y1) / 2.0, level)
    }

    /// A plan of pins too close together for the Natural Earth outlines:
    /// at whatever scale fits them (at least [`PLAN_MIN_SPAN_M`] across), with
    /// no zoom level (it shows no tiles). `None` when the pins are far enough
    /// apart for [`View::route`].
    pub(super) fn plan(pins: &[&Pin]) -> Option<View> {
        if pins.is_empty() {
            return None;
        }
        let ([x0, y0, x1, y1], fit) = fit(pins);
        // One place alone (or several at one spot) has no extent to fit.
        if x1 - x0 < 1e-9 && y1 - y0 < 1e-9 {
            return None;
        }
        if fit.is_nan() || fit <= PLAN_FACTOR * WIDTH / ROUTE_MIN_SPAN {
            return None;
        }
        let lat = inverse_mercator((y0 + y1) / 2.0);
        Some(View::plan_at((x0 + x1) / 2.0, (y0 + y1) / 2.0, fit.min(plan_scale(lat, PLAN_MIN_SPAN_M))))
    }

    /// A plan of a place: [`PLAN_LOCATOR_SPAN_M`] across, centred on it,
    /// or as much wider as fits `others` too. `None` when one of them is too
    /// far off for a plan.
    pub(super) fn plan_around(place: &Pin, others: &[&Pin]) -> Option<View> {
        let pins: Vec<&Pin> = std::iter::once(place).chain(others.iter().copied()).collect();
        let ([x0, y0, x1, y1], fit) = fit(&pins);
        if fit.is_nan() || fit <= PLAN_FACTOR * WIDTH / ROUTE_MIN_SPAN {
            return None;
        }
        let (x, y) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        Some(View::plan_at(wrap180(x), y, fit.min(plan_scale(inverse_mercator(y), PLAN_LOCATOR_SPAN_M))))
    }

    fn plan_at(x: f64, y: f64, scale: f64) -> View {
        View { left: x - WIDTH / 2.0 / scale, top: y + HEIGHT / 2.0 / scale, scale, level: LEVELS - 1 }
    }

    /// Ground metres per pixel at the middle of the view (Mercator is
    /// conformal: the same across and down).
    pub(super) fn metres_per_pixel(&self) -> f64 {
        let lat = inverse_mercator(self.top - HEIGHT / 2.0 / self.scale);
        METRES_PER_DEGREE * lat.to_radians().cos() / self.scale
    }

    pub(super) fn centre_lon(&self) -> f64 {
        self.left + WIDTH / 2.0 / self.scale
    }

    /// The pixel position of a point; `lon` is taken as is (not wrapped).
    pub(super) fn project(&self, lon: f64, lat: f64) -> [f64; 2] {
        [(lon - self.left) * self.scale, (self.top - mercator_y(lat)) * self.scale]
    }

    /// The pixel position of a point given as longitude and Mercator y.
    pub(super) fn project_unit(&self, x: f64, y: f64) -> [f64; 2] {
        [(x - self.left) * self.scale, (self.top - y) * self.scale]
    }

    /// The pixel position of a place, its longitude taken within 180° of the
    /// view's centre.
    pub(super) fn place(&self, lat: f64, lon: f64) -> [f64; 2] {
        let centre = self.centre_lon();
        self.project(centre + wrap180(lon - centre), lat)
    }
}

/// The pixels per degree of longitude at which a view `metres` across at
/// latitude `lat` is [`WIDTH`] wide.
fn plan_scale(lat: f64, metres: f64) -> f64 {
    WIDTH * METRES_PER_DEGREE * lat.clamp(-MAX_LAT, MAX_LAT).to_radians().cos() / metres
}

/// Metres between two places, near enough for a plane (at city scale).
pub(super) fn ground_metres(a: &Pin, b: &Pin) -> f64 {
    let cos = ((a.lat + b.lat) / 2.0).to_radians().cos();
    (wrap180(a.lon - b.lon) * cos).hypot(a.lat - b.lat) * METRES_PER_DEGREE
}

/// The latitude of a Mercator y (in degrees).
pub(super) fn inverse_mercator(y: f64) -> f64 {
    (2.0 * y.to_radians().exp().atan() - PI / 2.0).to_degrees()
}

/// The pins' bounds `[x0, y0, x1, y1]` (longitude taken the short way round,
/// Mercator y) and the scale that fits them with room for labels, unclamped.
pub(super) fn fit(pins: &[&Pin]) -> ([f64; 4], f64) {
    let centre = circular_centre(pins.iter().map(|p| p.lon));
    let xs = pins.iter().map(|p| centre + wrap180(p.lon - centre));
    let ys = pins.iter().map(|p| mercator_y(p.lat));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let fit_x = (WIDTH - 2.0 * ROUTE_PAD_X) / (x1 - x0).max(1e-9);
    let fit_y = (HEIGHT - 2.0 * ROUTE_PAD_Y) / (y1 - y0).max(1e-9);
    ([x0, y0, x1, y1], fit_x.min(fit_y))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::testing::{pin, sample_views};

    #[test]
    fn map_circular_centre_takes_the_short_way_round() {
        assert_eq!(circular_centre([10.0, 20.0].into_iter()), 15.0);
        assert!(wrap180(circular_centre([170.0, -170.0].into_iter()) - 180.0).abs() < 1e-9);
        assert!((circular_centre([125.75, 177.51, -165.41].into_iter()) - 160.17).abs() < 1e-9);
        assert_eq!(circular_centre(std::iter::empty()), 0.0);
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

    #[test]
    fn map_plans_only_where_the_outlines_cannot_part_the_places() {
        let walk = [pin(Some(1), "Reichstag", 52.5186, 13.3762), pin(Some(2), "Alexanderplatz", 52.5219, 13.4132)];
        let view = View::plan(&walk.iter().collect::<Vec<_>>()).expect("a walk is a plan");
        let across = view.metres_per_pixel() * WIDTH;
        assert!((2_500.0..6_000.0).contains(&across), "{across} m across");
        for p in &walk {
            let [x, y] = view.place(p.lat, p.lon);
            assert!((0.0..WIDTH).contains(&x) && (0.0..HEIGHT).contains(&y));
        }
        // Two pins a few metres apart: a plan no narrower than the minimum.
        let near = [pin(Some(1), "A", 52.5, 13.4), pin(Some(2), "B", 52.5, 13.4001)];
        let view = View::plan(&near.iter().collect::<Vec<_>>()).unwrap();
        assert!((view.metres_per_pixel() * WIDTH - PLAN_MIN_SPAN_M).abs() < 1.0);
        // A journey, or one place alone, keeps the Natural Earth outlines.
        assert!(View::plan(&crate::map::testing::journey().iter().collect::<Vec<_>>()).is_none());
        assert!(View::plan(&[&walk[0]]).is_none());
        let a_region = [pin(Some(1), "Berlin", 52.52, 13.40), pin(Some(2), "Leipzig", 51.34, 12.37)];
        assert!(View::plan(&a_region.iter().collect::<Vec<_>>()).is_none());
    }
}
