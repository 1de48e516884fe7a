//! Where the pins' labels go: beside each pin, on the side where the label
//! stays in view and clear of the pins, the route and the labels placed
//! before it. The pins' sizes are here too, as the labels keep clear of
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

/// Where a label goes: its anchor point, text-anchor and box.
#[derive(Debug, Clone, Copy)]
pub(super) struct LabelSpot {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: &'static str,
    rect: Rect,
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

/// Places each label beside its pin, on the first side (right, left, above,
/// below) where it stays in view and clear of the pins, the other
/// `obstacles` and the labels placed before it; failing that, where it
/// overlaps least.
pub(super) fn place_labels(pins: &[(&Pin, [f64; 2])], obstacles: &[Rect]) -> Vec<LabelSpot> {
    let mut pin_boxes: Vec<Rect> = pins
        .iter()
        .map(|(pin, [x, y])| {
            let r = pin_radius(pin) + 1.0;
            [x - r, y - r, x + r, y + r]
        })
        .collect();
    pin_boxes.extend_from_slice(obstacles);
    let area = WIDTH * HEIGHT;
    let mut placed: Vec<LabelSpot> = Vec::new();
    let mut near: Vec<Rect> = Vec::new();
    for (pin, [x, y]) in pins {
        let (x, y) = (*x, *y);
        let r = pin_radius(pin);
        let w = pin.name.chars().count() as f64 * 7.0 + 2.0;
        let boxed = |tx: f64, ty: f64, anchor: &'static str| {
            let x0 = match anchor {
                "start" => tx,
                "end" => tx - w,
                _ => tx - w / 2.0,
            };
            LabelSpot { x: tx, y: ty, anchor, rect: [x0, ty - 10.0, x0 + w, ty + 3.0] }
        };
        let candidates = [
            boxed(x + r + 4.0, y + 4.5, "start"),
            boxed(x - r - 4.0, y + 4.5, "end"),
            boxed(x, y - r - 5.0, "middle"),
            boxed(x, y + r + 14.0, "middle"),
        ];
        // Only the boxes that reach the candidates can crowd them (leaving
        // out the others only leaves out zeros from the sums below).
        let reach = candidates.iter().fold(candidates[0].rect, |r, c| {
            [r[0].min(c.rect[0]), r[1].min(c.rect[1]), r[2].max(c.rect[2]), r[3].max(c.rect[3])]
        });
        near.clear();
        near.extend(pin_boxes.iter().filter(|b| overlap(reach, **b) > 0.0));
        let cost = |spot: &LabelSpot| {
            let visible = overlap(spot.rect, [2.0, 2.0, WIDTH - 2.0, HEIGHT - 2.0]);
            let box_area = (spot.rect[2] - spot.rect[0]) * (spot.rect[3] - spot.rect[1]);
            let hidden = (box_area - visible).max(0.0);
            let crowding: f64 = near.iter().map(|b| overlap(spot.rect, *b)).sum::<f64>()
                + placed.iter().map(|l| overlap(spot.rect, l.rect)).sum::<f64>();
            hidden * area + crowding
        };
        let mut best = candidates[0];
        let mut best_cost = cost(&best);
        for spot in &candidates[1..] {
            let c = cost(spot);
            if c < best_cost {
                best = *spot;
                best_cost = c;
            }
        }
        placed.push(best);
    }
    placed
}
