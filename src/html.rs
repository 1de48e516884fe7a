//! Escaping text that gloss writes into markup of its own (attributes,
//! SVG labels), where no template's autoescape applies.

/// `s` with `&`, `<`, `>`, `"` and `'` escaped: safe in text and in a
/// double-quoted attribute.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}
