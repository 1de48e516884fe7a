//! Who appears with whom: a co-mention network drawn as SVG at build time.
//!
//! Nodes sit on a circle in the order given (most mentioned first); an edge
//! joins two entities mentioned in the same paragraph, thicker the more
//! often. The same numbers are offered as a table next to it, which is the
//! accessible equivalent; the SVG itself only carries a summary label.

use std::fmt::Write;

/// An entity in the network.
pub struct Node<'a> {
    pub name: &'a str,
    pub href: String,
    pub mentions: usize,
}

/// The labels' font size, in the SVG's units (the stylesheet may set
/// another; the extent leaves room for this one).
const FONT: f64 = 14.0;

/// The network as SVG. `edges` are `(a, b, paragraphs)` over `nodes`. The
/// `viewBox` is the drawing's extent, labels included (their width
/// estimated from their letters), so that no label is clipped.
pub fn network_svg(nodes: &[Node], edges: &[(usize, usize, usize)], label: &str) -> String {
    const RADIUS: f64 = 190.0;
    let n = nodes.len().max(1) as f64;
    let position = |i: usize| {
        let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n;
        (RADIUS * angle.cos(), RADIUS * angle.sin(), angle)
    };
    let max_edge = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    let max_mentions = nodes.iter().map(|n| n.mentions).max().unwrap_or(1).max(1) as f64;
    let mut extent = Extent::default();
    let mut body = String::new();
    for &(a, b, count) in edges {
        let (x1, y1, _) = position(a);
        let (x2, y2, _) = position(b);
        let width = 1.0 + 5.0 * count as f64 / max_edge;
        let _ = write!(
            body,
            "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke-width=\"{width:.1}\"/>"
        );
    }
    for (i, node) in nodes.iter().enumerate() {
        let (x, y, angle) = position(i);
        let r = 4.0 + 8.0 * (node.mentions as f64 / max_mentions).sqrt();
        extent.add(x - r, y - r);
        extent.add(x + r, y + r);
        let (cos, sin) = (angle.cos(), angle.sin());
        let (lx, ly) = (x + (r + 6.0) * cos, y + (r + 6.0) * sin);
        // The baseline: level with the dot at the sides, above it at the
        // top, below it at the bottom.
        let baseline = ly + FONT * (0.35 + 0.4 * sin);
        let width = label_width(node.name);
        let (anchor, left) = if cos > 0.2 {
            ("start", lx)
        } else if cos < -0.2 {
            ("end", lx - width)
        } else {
            ("middle", lx - width / 2.0)
        };
        extent.add(left, baseline - FONT);
        extent.add(left + width, baseline + FONT * 0.3);
        let _ = write!(
            body,
            "<a href=\"{}\"><circle class=\"node\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/><text x=\"{lx:.1}\" y=\"{baseline:.1}\" text-anchor=\"{anchor}\">{}</text></a>",
            crate::html::escape(&node.href),
            crate::html::escape(node.name)
        );
    }
    let margin = 8.0;
    let (x, y) = (extent.min_x - margin, extent.min_y - margin);
    let (w, h) = (extent.max_x - extent.min_x + 2.0 * margin, extent.max_y - extent.min_y + 2.0 * margin);
    let mut svg = format!(
        "<svg class=\"network\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{x:.0} {y:.0} {w:.0} {h:.0}\" font-size=\"{FONT}\" role=\"group\" aria-label=\"{}\">",
        crate::html::escape(label)
    );
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

/// The box everything drawn fits in.
struct Extent {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Default for Extent {
    fn default() -> Self {
        Extent { min_x: f64::MAX, min_y: f64::MAX, max_x: f64::MIN, max_y: f64::MIN }
    }
}

impl Extent {
    fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }
}

/// A generous estimate of a label's width at [`FONT`] in a sans-serif
/// face: narrow letters, capitals and wide (CJK, full-width) characters
/// counted apart. Generous, since a label too long for its box is clipped.
pub fn label_width(text: &str) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'I' | '.' | ',' | '\'' | '’' | ' ' | '-' | 'f' | 't' | 'r' => 0.36,
            'm' | 'w' | 'M' | 'W' => 0.9,
            c if c.is_uppercase() => 0.72,
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FF60}' => 1.05,
            _ => 0.6,
        })
        .sum();
    ems * FONT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_node_per_entity_and_an_edge_per_pair() {
        let nodes = [
            Node { name: "Kim <Jong-il>", href: "kim.html".into(), mentions: 13 },
            Node { name: "Putin", href: "putin.html".into(), mentions: 4 },
            Node { name: "Pulikovsky", href: "p.html".into(), mentions: 3 },
        ];
        let svg = network_svg(&nodes, &[(0, 1, 2), (0, 2, 1)], "3 people");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("<line").count(), 2);
        assert!(svg.contains("Kim &lt;Jong-il&gt;"));
        assert!(svg.contains("aria-label=\"3 people\""));
    }
}
