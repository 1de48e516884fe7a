//! The outlines of the world prepared for one zoom level, once, on first
//! use, so that no map pays for more than moving them into place.
//!
//! The first view at a level simplifies every outline to half a pixel at
//! that level, rounds it to a tenth of a pixel and writes its relative moves
//! out, once. A view (a tile's, see [`Tile`]) then moves each outline into
//! place by whole tenths: it skips those whose bounding box misses the view,
//! copies the path data of those wholly inside the view plus a margin, and
//! clips the rest to it, still copying the runs of points the clipping
//! leaves alone. So output is byte for byte the same whichever maps were
//! drawn before.
//!
//! [`Tile`]: super::Tile

use std::sync::OnceLock;

use super::clip::{clip_line, clip_rect, clip_ring, Vertex, NEW};
use super::path::{push_move, push_number, push_relative, simplify, tenth, to_tenths};
use super::projection::{level_scale, View, LEVELS};
use super::world::{world, Shape, World};

/// Outlines are simplified to within this many pixels.
const TOLERANCE: f64 = 0.5;

/// The outlines, simplified for one zoom level, in whole tenths of a pixel of
/// that level's plane (x: longitude × scale, y: −Mercator y × scale), each
/// with its path data after the first point already written. A map at that
/// level moves each outline by whole tenths, so the path data of an outline
/// wholly inside the map is copied, and that of one crossing its edge is
/// clipped, copying the runs of points the clipping leaves alone.
#[derive(Debug)]
pub(super) struct Level {
    /// A whole turn (360° of longitude), in tenths of a pixel.
    turn: i64,
    pub(super) land: Vec<LevelShape>,
    pub(super) borders: Vec<LevelShape>,
}

#[derive(Debug)]
pub(super) struct LevelShape {
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
    pub(super) fn push_shapes(&self, out: &mut String, shapes: &[LevelShape], view: &View) {
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
/// like [`push_subpath`](super::path::push_subpath), but copying the path
/// data of each run of the outline's own points from
/// [`LevelShape::relative`].
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
pub(super) fn level(level: usize) -> &'static Level {
    static LEVEL: [OnceLock<Level>; LEVELS] = [const { OnceLock::new() }; LEVELS];
    let level = level.min(LEVELS - 1);
    LEVEL[level].get_or_init(|| Level::new(world(), level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::testing::{locator, parse_path, pin, sample_views};

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
}
