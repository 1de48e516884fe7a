//! SVG path data, written small: points rounded to whole tenths of a pixel,
//! an absolute move then relative lines, numbers with no needless space,
//! zero or decimal point. And the simplification of a line to within a
//! tolerance, which the outlines go through before they are written.

/// Rounds a subpath's points (in pixels) to whole tenths of a pixel into
/// `kept`, dropping repeats (and a ring's closing repeats). False when
/// nothing worth drawing is left: a line of fewer than two points, or a ring
/// of fewer than three or less than a pixel across.
pub(super) fn to_tenths(points: impl Iterator<Item = [f64; 2]>, closed: bool, kept: &mut Vec<[i64; 2]>) -> bool {
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
pub(super) fn push_move(out: &mut String, [x, y]: [i64; 2]) {
    out.push('M');
    push_number(out, x, true);
    push_number(out, y, false);
}

/// Writes the rest of a subpath after its first point, as relative lines
/// (and a close, for a ring).
pub(super) fn push_relative(out: &mut String, kept: &[[i64; 2]], closed: bool, mut offsets: Option<&mut Vec<u32>>) {
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
pub(super) fn push_subpath(out: &mut String, points: &[[f64; 2]], closed: bool, kept: &mut Vec<[i64; 2]>) {
    if to_tenths(points.iter().copied(), closed, kept) {
        push_move(out, kept[0]);
        push_relative(out, kept, closed, None);
    }
}

/// Simplifies a line to within `tolerance`: first drops each point within
/// `tolerance` of the last point kept (the final point stays), then applies
/// Douglas–Peucker, which keeps the ends and the points that stray more than
/// `tolerance` from the line between the points kept on either side.
pub(super) fn simplify(points: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
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

pub(super) fn tenth(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// Writes a number given in tenths ("-12.3", "4"), with a space before it
/// unless it follows a command letter or starts with a minus sign.
pub(super) fn push_number(out: &mut String, tenths: i64, after_command: bool) {
    if tenths < 0 {
        out.push('-');
    } else if !after_command {
        out.push(' ');
    }
    crate::html::push_tenths(out, tenths.unsigned_abs());
}

/// A pixel coordinate for an attribute, to a tenth.
pub(super) fn coordinate(v: f64) -> String {
    let mut s = String::new();
    push_number(&mut s, tenth(v), true);
    s
}
