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

/// The network as SVG. `edges` are `(a, b, paragraphs)` over `nodes`.
pub fn network_svg(nodes: &[Node], edges: &[(usize, usize, usize)], label: &str) -> String {
    const SIZE: f64 = 560.0;
    const RADIUS: f64 = 190.0;
    let centre = SIZE / 2.0;
    let n = nodes.len().max(1) as f64;
    let position = |i: usize| {
        let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n;
        (centre + RADIUS * angle.cos(), centre + RADIUS * angle.sin(), angle)
    };
    let max_edge = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    let max_mentions = nodes.iter().map(|n| n.mentions).max().unwrap_or(1).max(1) as f64;
    let mut svg = format!(
        "<svg class=\"network\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {SIZE} {SIZE}\" role=\"group\" aria-label=\"{}\">",
        escape(label)
    );
    for &(a, b, count) in edges {
        let (x1, y1, _) = position(a);
        let (x2, y2, _) = position(b);
        let width = 1.0 + 5.0 * count as f64 / max_edge;
        let _ = write!(
            svg,
            "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke-width=\"{width:.1}\"/>"
        );
    }
    for (i, node) in nodes.iter().enumerate() {
        let (x, y, angle) = position(i);
        let r = 4.0 + 8.0 * (node.mentions as f64 / max_mentions).sqrt();
        let (lx, ly) = (x + (r + 6.0) * angle.cos(), y + (r + 6.0) * angle.sin());
        let anchor = if angle.cos() > 0.2 {
            "start"
        } else if angle.cos() < -0.2 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            svg,
            "<a href=\"{}\"><circle class=\"node\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/><text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text></a>",
            escape(&node.href),
            ly + 4.0,
            escape(node.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
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
