//! A map itself: an `<svg>` holding the sea, the (at most four) tile
//! images, the route, the pins and their labels, in a nested `<svg>` the
//! size of the view, which hides whatever lies beyond it even where the page
//! gives the map another aspect ratio.
//!
//! The map carries its own `<style>`, scoped to `.gloss-map`, whose colours
//! are CSS variables with light defaults, so a page can restyle it: `--map-sea`,
//! `--map-route`, `--map-pin`, `--map-pin-ring`, `--map-pin-text`,
//! `--map-text`, `--map-halo`, `--map-focus` (the tiles keep colours of
//! their own). The SVG has no ids (its accessible name is an `aria-label`
//! and a `<title>`) and no fixed size: it takes the width of its container
//! at a 3:2 ratio.

use std::fmt::Write as _;

use super::clip::Rect;
use super::label::{pin_radius, place_labels};
use super::path::{coordinate, push_subpath};
use super::projection::View;
use super::tile::{Tile, TILE_OVERLAP};
use super::{Map, Pin, HEIGHT, WIDTH};

const STYLE: &str = "<style>\
.gloss-map .ocean{fill:var(--map-sea,#cfe2ec)}\
.gloss-map .route{fill:none;stroke:var(--map-route,#5b3a29);stroke-width:2.2;stroke-dasharray:7 5;stroke-linecap:round;stroke-linejoin:round}\
.gloss-map .pin circle{fill:var(--map-pin,#b3261e);stroke:var(--map-pin-ring,#fff);stroke-width:2}\
.gloss-map .pin .num{fill:var(--map-pin-text,#fff);font:bold 11px sans-serif;text-anchor:middle}\
.gloss-map .label{fill:var(--map-text,#1d1d1d);font:13px sans-serif;paint-order:stroke;stroke:var(--map-halo,#fff);stroke-width:3px;stroke-linejoin:round}\
.gloss-map a:focus circle,.gloss-map a:hover circle{stroke:var(--map-focus,#1d1d1d)}\
</style>";

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

/// Draws a map of `view` with its title, pins and, with `draw_route`, the
/// route between them; `root` leads to the tiles.
pub(super) fn draw(view: &View, title: &str, pins: &[&Pin], draw_route: bool, root: &str) -> Map {
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
