//! A map itself: an `<svg>` holding the sea, the (at most four) tile
//! images, the route, the pins and their labels, in a nested `<svg>` the
//! size of the view, which hides whatever lies beyond it even where the page
//! gives the map another aspect ratio.
//!
//! The map imports its style from `map.css` (a built-in static file a site
//! may replace), scoped to `.gloss-map`, which keeps
//! it left to right on a right-to-left page (labels are anchored as laid
//! out here; the text of each is still set in its own direction), and whose colours
//! are CSS variables with light defaults, so a page can restyle it: `--map-sea`,
//! `--map-route`, `--map-pin`, `--map-pin-near`, `--map-pin-ring`, `--map-pin-text`,
//! `--map-text`, `--map-halo`, `--map-focus` (the tiles keep colours of
//! their own). The SVG has no ids (its accessible name is an `aria-label`
//! and a `<title>`) and no fixed size: it takes the width of its container
//! at a 3:2 ratio.

use std::fmt::Write as _;

use super::clip::Rect;
use super::label::{pin_radius, place_labels};
use super::layer::Layers;
use super::path::{coordinate, push_subpath};
use super::projection::View;
use super::tile::{Tile, TILE_OVERLAP};
use super::{Map, Pin, HEIGHT, WIDTH};

/// The maps' stylesheet, among the built-in static files: every map
/// imports it rather than carrying the same 2 KB itself.
pub const STYLESHEET: &str = "map.css";

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

/// What a map shows under its pins.
pub(super) enum Frame {
    /// The Natural Earth outlines, in tiles.
    Tiles(View),
    /// A plan: no outlines but the site's own layers, a scale bar, and an
    /// inset locating it at a scale the outlines support.
    Plan { view: View, inset: View },
}

/// The inset of a plan: its size in pixels and its margin from the edges.
const INSET: [f64; 2] = [150.0, 100.0];
const INSET_MARGIN: f64 = 8.0;
/// The longest a scale bar gets, in pixels.
const SCALE_BAR_MAX: f64 = 120.0;

/// Draws a map of `frame` with its title and pins; the first `route_len`
/// pins are joined in order by the route line. Pins beyond the frame are
/// drawn at its edge, pointing their way. `root` leads to the tiles.
pub(super) fn draw(frame: &Frame, title: &str, pins: &[&Pin], route_len: usize, root: &str, layers: &Layers) -> Map {
    let title = escape(title);
    let mut svg = String::with_capacity(4 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 {WIDTH} {HEIGHT}" class="gloss-map" role="group" aria-label="{title}"><title>{title}</title><style>@import url("{root}{STYLESHEET}");</style><svg width="{WIDTH}" height="{HEIGHT}">"#
    );
    let mut tiles = Vec::new();
    let view = match frame {
        Frame::Tiles(view) => {
            let _ = write!(svg, r#"<rect class="ocean" width="{WIDTH}" height="{HEIGHT}"/>"#);
            tiles = Tile::covering(view);
            push_tiles(&mut svg, &tiles, view, root);
            view
        }
        Frame::Plan { view, .. } => {
            let _ = write!(svg, r#"<rect class="plan" width="{WIDTH}" height="{HEIGHT}"/>"#);
            layers.draw(&mut svg, view);
            view
        }
    };
    let mut placed: Vec<(&Pin, [f64; 2])> = Vec::with_capacity(pins.len());
    let mut off: Vec<Option<[f64; 2]>> = Vec::with_capacity(pins.len());
    for &pin in pins {
        let [x, y] = view.place(pin.lat, pin.lon);
        let inside = (0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y);
        // Room at the edge for the pin and the wedge pointing beyond it.
        let r = pin_radius(pin) + 8.0;
        if inside || !x.is_finite() || !y.is_finite() {
            placed.push((pin, [x, y]));
            off.push(None);
            continue;
        }
        // At the edge, where the line from the middle towards it leaves the
        // map, moved along the edge clear of the markers before it.
        let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
        let (dx, dy) = (x - cx, y - cy);
        let t = ((cx - r) / dx.abs()).min((cy - r) / dy.abs());
        let edge = [cx + dx * t, cy + dy * t];
        let clear = |at: &[f64; 2]| !placed.iter().any(|(p, q)| (q[0] - at[0]).hypot(q[1] - at[1]) < pin_radius(p) + r);
        // Steps along the edge, nearest first, either way: a bounded walk
        // (a crowded edge keeps the first spot rather than looping).
        let on_side = (edge[0] - r).abs() < 0.5 || (edge[0] - (WIDTH - r)).abs() < 0.5;
        let along = |k: f64| match on_side {
            true => [edge[0], (edge[1] + k * 2.0 * r).clamp(r, HEIGHT - r)],
            false => [(edge[0] + k * 2.0 * r).clamp(r, WIDTH - r), edge[1]],
        };
        let at = (0..64).flat_map(|k| [f64::from(k), -f64::from(k)]).map(along).find(|at| clear(at)).unwrap_or(edge);
        let length = dx.hypot(dy).max(1e-9);
        placed.push((pin, at));
        off.push(Some([dx / length, dy / length]));
    }
    // The route runs through where the stops are, before any pin is moved.
    let route_len = route_len.min(placed.len());
    let stops: Vec<[f64; 2]> = placed[..route_len].iter().map(|(_, xy)| *xy).collect();
    let true_spots: Vec<[f64; 2]> = placed.iter().map(|(_, xy)| *xy).collect();
    dodge(&mut placed, &off);
    // Labels keep off the route (small boxes every few pixels along it), and
    // off the inset and the scale bar.
    let mut route_boxes: Vec<Rect> = Vec::new();
    if route_len >= 2 {
        let points = stops;
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
    let mut obstacles: Vec<Rect> = Vec::new();
    if let Frame::Plan { view, inset } = frame {
        let (inset_box, bar_box) = plan_furniture(&mut svg, &mut tiles, view, inset, &placed, root);
        obstacles.extend([inset_box, bar_box]);
    }
    let labels = place_labels(&placed, &obstacles, &route_boxes);
    for ((((pin, [x, y]), label), direction), spot) in placed.iter().zip(&labels).zip(&off).zip(&true_spots) {
        let name = escape(&pin.name);
        let (cx, cy) = (coordinate(*x), coordinate(*y));
        let class = match (direction.is_some(), pin.near) {
            (true, _) => "pin off",
            (false, true) => "pin near",
            (false, false) => "pin",
        };
        let _ = write!(svg, r#"<a href="{}" class="{class}"><title>{name}</title>"#, escape(&pin.href));
        let r = pin_radius(pin);
        if direction.is_none() && (spot[0] - x).hypot(spot[1] - y) > 0.5 {
            // Moved off another pin: a dot where the place is, and a line to it.
            let _ = write!(
                svg,
                r#"<path class="leader" d="M{} {}L{} {}"/><circle class="spot" cx="{}" cy="{}" r="2"/>"#,
                coordinate(spot[0]),
                coordinate(spot[1]),
                cx,
                cy,
                coordinate(spot[0]),
                coordinate(spot[1])
            );
        }
        if let Some([ux, uy]) = direction {
            // A wedge pointing the way to the place.
            let tip = [x + ux * (r + 5.0), y + uy * (r + 5.0)];
            let side = |s: f64| [x + ux * (r - 2.0) - uy * s * 5.0, y + uy * (r - 2.0) + ux * s * 5.0];
            let [a, b] = [side(1.0), side(-1.0)];
            let _ = write!(
                svg,
                r#"<path class="toward" d="M{} {}L{} {}L{} {}z"/>"#,
                coordinate(tip[0]),
                coordinate(tip[1]),
                coordinate(a[0]),
                coordinate(a[1]),
                coordinate(b[0]),
                coordinate(b[1])
            );
        }
        let _ = write!(svg, r#"<circle cx="{cx}" cy="{cy}" r="{r}"/>"#);
        if let Some(n) = pin.number {
            let _ = write!(svg, r#"<text class="num" x="{cx}" y="{}">{n}</text>"#, coordinate(y + 4.0));
        }
        if let Some(label) = label {
            if let Some([a, b]) = label.leader {
                let _ = write!(
                    svg,
                    r#"<path class="leader" d="M{} {}L{} {}"/>"#,
                    coordinate(a[0]),
                    coordinate(a[1]),
                    coordinate(b[0]),
                    coordinate(b[1])
                );
            }
            let _ = write!(
                svg,
                r#"<text class="label" x="{}" y="{}" text-anchor="{}">{name}</text>"#,
                coordinate(label.x),
                coordinate(label.y),
                label.anchor
            );
        }
        svg.push_str("</a>");
    }
    svg.push_str("</svg></svg>");
    Map { svg, tiles }
}

/// Moves each pin that would cover one before it (beyond the route's
/// stops, which stay where they are unless they cover each other) just
/// clear of it, away from it, so that no pin hides another.
fn dodge(placed: &mut [(&Pin, [f64; 2])], off: &[Option<[f64; 2]>]) {
    for i in 1..placed.len() {
        if off[i].is_some() || !placed[i].1.iter().all(|v| v.is_finite()) {
            continue;
        }
        for _ in 0..16 {
            let (pin, [x, y]) = placed[i];
            let Some(j) = (0..i).find(|&j| {
                let (other, [u, v]) = placed[j];
                (x - u).hypot(y - v) < pin_radius(pin) + pin_radius(other) + 1.0
            }) else {
                break;
            };
            let (other, [u, v]) = placed[j];
            let (dx, dy) = (x - u, y - v);
            let length = dx.hypot(dy);
            // Coincident pins part to the lower right.
            let (ux, uy) = if length > 1e-6 { (dx / length, dy / length) } else { (0.6, 0.8) };
            let gap = pin_radius(pin) + pin_radius(other) + 1.5;
            let r = pin_radius(pin) + 1.0;
            placed[i].1 = [(u + ux * gap).clamp(r, WIDTH - r), (v + uy * gap).clamp(r, HEIGHT - r)];
        }
    }
}

/// The tile images under a view.
fn push_tiles(svg: &mut String, tiles: &[Tile], view: &View, root: &str) {
    for tile in tiles {
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
}

/// A plan's inset (in the corner that hides fewest pins) and scale bar (in
/// a bottom corner the inset leaves free); returns their boxes.
fn plan_furniture(
    svg: &mut String,
    tiles: &mut Vec<Tile>,
    view: &View,
    inset: &View,
    placed: &[(&Pin, [f64; 2])],
    root: &str,
) -> (Rect, Rect) {
    let [w, h] = INSET;
    let m = INSET_MARGIN;
    let corners = [[WIDTH - m - w, HEIGHT - m - h], [WIDTH - m - w, m], [m, HEIGHT - m - h], [m, m]];
    let hidden = |[x, y]: [f64; 2]| {
        placed
            .iter()
            .filter(|(p, q)| {
                let r = pin_radius(p) + 14.0;
                q[0] + r > x && q[0] - r < x + w && q[1] + r > y && q[1] - r < y + h
            })
            .count()
    };
    let mut corner = corners[0];
    for c in &corners[1..] {
        if hidden(*c) < hidden(corner) {
            corner = *c;
        }
    }
    let [ix, iy] = corner;
    let inset_tiles = Tile::covering(inset);
    let _ = write!(
        svg,
        r#"<svg class="inset" x="{ix}" y="{iy}" width="{w}" height="{h}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect class="ocean" width="{WIDTH}" height="{HEIGHT}"/>"#
    );
    push_tiles(svg, &inset_tiles, inset, root);
    // Where the plan is, as the inset sees it: a ring round its middle.
    let centre_lat = super::projection::inverse_mercator(view.top - HEIGHT / 2.0 / view.scale);
    let [px, py] = inset.place(centre_lat, view.centre_lon());
    let _ = write!(
        svg,
        r#"<circle class="here" cx="{}" cy="{}" r="22"/><rect class="frame" width="{WIDTH}" height="{HEIGHT}"/></svg>"#,
        coordinate(px),
        coordinate(py)
    );
    tiles.extend(inset_tiles);
    // The scale bar: the longest round length up to SCALE_BAR_MAX pixels.
    let mpp = view.metres_per_pixel();
    let most = SCALE_BAR_MAX * mpp;
    let mut metres = 10f64.powf(most.log10().floor());
    for step in [5.0, 2.0] {
        if metres * step <= most {
            metres *= step;
            break;
        }
    }
    let length = metres / mpp;
    let text = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    let bx = if ix < WIDTH / 2.0 && iy > HEIGHT / 2.0 { WIDTH - m - length - 4.0 } else { m + 4.0 };
    let by = HEIGHT - m - 4.0;
    let _ = write!(
        svg,
        r#"<g class="scale"><path d="M{} {}v4h{}v-4"/><text x="{}" y="{}">{text}</text></g>"#,
        coordinate(bx),
        coordinate(by - 4.0),
        coordinate(length),
        coordinate(bx),
        coordinate(by - 8.0)
    );
    let text_w = text.chars().count() as f64 * 7.0 + 4.0;
    let bar_box = [bx - 2.0, by - 20.0, bx + length.max(text_w) + 2.0, by + 2.0];
    ([ix - 2.0, iy - 2.0, ix + w + 2.0, iy + h + 2.0], bar_box)
}
