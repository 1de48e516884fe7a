//! Where the pins' labels go: beside each pin, on the first of several spots
//! round it (then further out, with a leader line) where the label stays in
//! view and clear of every pin, every label placed before it and the other
//! obstacles (an inset, a scale bar), and as clear of the route as can be.
//! A label with no such spot is left out: its pin keeps its number, its
//! `<title>`, and its line in the list of places beside the map, so labels
//! never overlap. The pins' sizes are here too, as the labels keep clear of
//! them.

use super::clip::Rect;
use super::{Pin, HEIGHT, WIDTH};

/// A pin's radius in pixels.
pub(super) fn pin_radius(pin: &Pin) -> f64 {
    match pin.number {
        None => 6.5,
        Some(n) if n < 10 => 9.0,
        Some(n) if n < 100 => 10.5,
        Some(_) => 12.5,
    }
}

/// The width a label is given per character, in pixels (13px sans-serif).
pub(super) const CHAR_WIDTH: f64 = 7.2;

/// A label's box when its text is anchored at `(x, y)`: `[x0, y0, x1, y1]`,
/// as a browser sets 13px sans-serif (ascent about 11.2 px, descent 2.8).
pub(super) fn label_box(name: &str, x: f64, y: f64, anchor: &str) -> Rect {
    let w = name.chars().count() as f64 * CHAR_WIDTH + 2.0;
    let x0 = match anchor {
        "start" => x,
        "end" => x - w,
        _ => x - w / 2.0,
    };
    [x0, y - 11.5, x0 + w, y + 3.0]
}

/// Where a label goes: its anchor point, text-anchor and box, and the leader
/// line from the pin when it stands off.
#[derive(Debug, Clone, Copy)]
pub(super) struct LabelSpot {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: &'static str,
    rect: Rect,
    /// From the pin's edge to the label, for a label set further out.
    pub(super) leader: Option<[[f64; 2]; 2]>,
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

/// Places each label (in order) on the first spot round its pin, nearest
/// first, that is wholly in view and overlaps no pin, no `obstacles` and no
/// label placed before it, preferring among the nearest ring of spots the
/// one that crosses the route (`soft`) least; `None` where no spot is free.
pub(super) fn place_labels(pins: &[(&Pin, [f64; 2])], obstacles: &[Rect], soft: &[Rect]) -> Vec<Option<LabelSpot>> {
    let mut hard: Vec<Rect> = pins
        .iter()
        .map(|(pin, [x, y])| {
            let r = pin_radius(pin) + 1.0;
            [x - r, y - r, x + r, y + r]
        })
        .collect();
    hard.extend_from_slice(obstacles);
    let view = [2.0, 2.0, WIDTH - 2.0, HEIGHT - 2.0];
    let mut placed = Vec::with_capacity(pins.len());
    for (pin, [x, y]) in pins {
        let (x, y) = (*x, *y);
        let r = pin_radius(pin);
        let mut chosen = None;
        for (ring, far) in [0.0, 16.0, 34.0].into_iter().enumerate() {
            let d = r + 4.0 + far;
            let diagonal = d * std::f64::consts::FRAC_1_SQRT_2;
            let spots: [(f64, f64, &str, [f64; 2]); 8] = [
                (x + d, y + 4.5, "start", [1.0, 0.0]),
                (x - d, y + 4.5, "end", [-1.0, 0.0]),
                (x, y - d - 1.0, "middle", [0.0, -1.0]),
                (x, y + d + 10.0, "middle", [0.0, 1.0]),
                (x + diagonal, y - diagonal + 2.0, "start", [1.0, -1.0]),
                (x - diagonal, y - diagonal + 2.0, "end", [-1.0, -1.0]),
                (x + diagonal, y + diagonal + 8.0, "start", [1.0, 1.0]),
                (x - diagonal, y + diagonal + 8.0, "end", [-1.0, 1.0]),
            ];
            let mut best: Option<(f64, LabelSpot)> = None;
            for (tx, ty, anchor, [dx, dy]) in spots {
                let rect = label_box(&pin.name, tx, ty, anchor);
                let inside = rect[0] >= view[0] && rect[1] >= view[1] && rect[2] <= view[2] && rect[3] <= view[3];
                let free = inside
                    && !hard.iter().any(|b| overlap(rect, *b) > 0.0)
                    && !placed.iter().flatten().any(|l: &LabelSpot| overlap(rect, l.rect) > 0.0);
                if !free {
                    continue;
                }
                let crossing: f64 = soft.iter().map(|b| overlap(rect, *b)).sum();
                let leader = (ring > 0).then(|| {
                    let n = (dx * dx + dy * dy).sqrt();
                    let (ux, uy) = (dx / n, dy / n);
                    let end = [x + ux * (d - 3.0), y + uy * (d - 3.0)];
                    [[x + ux * (r + 1.5), y + uy * (r + 1.5)], end]
                });
                let spot = LabelSpot { x: tx, y: ty, anchor, rect, leader };
                if best.as_ref().is_none_or(|(c, _)| crossing < *c) {
                    best = Some((crossing, spot));
                }
                if crossing == 0.0 {
                    break;
                }
            }
            if let Some((_, spot)) = best {
                chosen = Some(spot);
                break;
            }
        }
        placed.push(chosen);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::testing::pin;

    #[test]
    fn map_labels_never_overlap_labels_pins_or_obstacles() {
        let mut next = crate::map::testing::random();
        let names = ["Reichstag", "Brandenburger Tor", "Checkpoint Charlie", "Museumsinsel", "Alexanderplatz"];
        for round in 0..300 {
            // Crowds: from a few pins far apart to many in one small cluster.
            let count = 2 + round % 14;
            let spread = 20.0 + next() * 500.0;
            let pins: Vec<Pin> = (0..count).map(|i| pin(Some(i + 1), names[i % names.len()], 0.0, 0.0)).collect();
            let placed: Vec<(&Pin, [f64; 2])> = pins
                .iter()
                .map(|p| (p, [50.0 + next() * spread.min(500.0), 50.0 + next() * spread.min(300.0)]))
                .collect();
            let obstacles = [[442.0, 292.0, 594.0, 394.0]];
            let labels = place_labels(&placed, &obstacles, &[]);
            let boxes: Vec<Rect> = labels.iter().flatten().map(|l| l.rect).collect();
            for (i, a) in boxes.iter().enumerate() {
                assert!(a[0] >= 0.0 && a[1] >= 0.0 && a[2] <= WIDTH && a[3] <= HEIGHT, "{a:?}");
                assert!(boxes[i + 1..].iter().all(|b| overlap(*a, *b) == 0.0), "round {round}");
                assert!(obstacles.iter().all(|b| overlap(*a, *b) == 0.0), "round {round}");
                for (p, [x, y]) in &placed {
                    let r = pin_radius(p);
                    assert_eq!(overlap(*a, [x - r, y - r, x + r, y + r]), 0.0, "round {round}");
                }
            }
            // A loose map keeps every label.
            if count <= 3 && spread > 400.0 {
                let kept = labels.iter().flatten().count();
                assert!(kept + 1 >= count, "round {round}: {kept} of {count}");
            }
        }
    }
}
