//! The base map, in tiles: the outlines are not drawn into each map but
//! into [`Tile`]s, files of their own, each a view-sized cell of a zoom
//! level's plane, that every map over the same cell shows as an `<image>`.
//!
//! The tiles, being images, cannot see the page's CSS: their land and
//! borders have fixed light and dark colours (`prefers-color-scheme`).

use std::fmt::Write as _;

use super::level::level;
use super::projection::{level_scale, mercator_y, View, LEVELS, MAX_LAT};
use super::{HEIGHT, WIDTH};

/// How far each tile reaches over its neighbours, in pixels, so that no
/// hairline of sea shows along the seams when the map is scaled.
pub(super) const TILE_OVERLAP: f64 = 1.0;

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
    /// Where the tile is written, from the site root (see
    /// [`crate::routes::tile_path`]).
    pub fn path(&self) -> String {
        crate::routes::tile_path(self.level, self.col, self.row)
    }

    /// The tiles under a view, left to right, top to bottom.
    pub(super) fn covering(view: &View) -> Vec<Tile> {
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
    pub(super) fn offset(&self, view: &View) -> [f64; 2] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::testing::{all_land_points, journey, locator, parse_path, pin, route};

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
}
