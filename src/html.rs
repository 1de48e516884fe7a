//! Escaping text that gloss writes into markup of its own (attributes,
//! SVG labels), where no template's autoescape applies.

/// `s` with `&`, `<`, `>`, `"` and `'` escaped: safe in text and in a
/// double-quoted attribute.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped as [`escape`] does, which is also how templates
/// escape: markup made here matches theirs byte for byte.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail");
}

/// Appends a number given in tenths as markup writes it: `12.5`, and
/// `12` for a whole number (as Rust prints the `f64` rounded to tenths),
/// without going through `core::fmt` (an archive's entity pages place
/// hundreds of thousands of ticks, its maps millions of path steps).
pub(crate) fn push_tenths(out: &mut String, tenths: u64) {
    out.push_str(itoa::Buffer::new().format(tenths / 10));
    let fraction = (tenths % 10) as u8;
    if fraction != 0 {
        out.push('.');
        out.push(char::from(b'0' + fraction));
    }
}
