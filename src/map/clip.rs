//! Clipping to a rectangle: polygons (Sutherland–Hodgman) and lines
//! (Liang–Barsky). Outlines are clipped to the view plus a margin, so their
//! cut edges lie out of sight. Each point carries its index in the outline,
//! so that the runs of points the clipping leaves alone can be copied from
//! path data already written rather than written anew.

use super::{HEIGHT, WIDTH};

/// Outlines are clipped to the view grown by this many pixels on each side.
const CLIP_MARGIN: f64 = 8.0;

/// A rectangle `[x0, y0, x1, y1]` in pixels.
pub(super) type Rect = [f64; 4];

pub(super) fn clip_rect() -> Rect {
    [-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, HEIGHT + CLIP_MARGIN]
}

/// A point while clipping, in pixels, with its index among the points of
/// the outline being clipped, or [`NEW`] for a point the clipping made.
pub(super) type Vertex = ([f64; 2], u32);
pub(super) const NEW: u32 = u32::MAX;

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
pub(super) fn clip_ring(polygon: &mut Vec<Vertex>, scratch: &mut Vec<Vertex>, rect: Rect, edges: [bool; 4]) {
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
pub(super) fn clip_segment(a: [f64; 2], b: [f64; 2], rect: Rect) -> Option<([f64; 2], [f64; 2])> {
    clip_segment_vertices((a, NEW), (b, NEW), rect).map(|(p, q)| (p.0, q.0))
}

/// A polyline clipped to a rectangle: the pieces inside it.
pub(super) fn clip_line(points: &[Vertex], rect: Rect) -> Vec<Vec<Vertex>> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
