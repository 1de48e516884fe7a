//! Machine-readable extras: JSON-LD for every page, what preview cards
//! show, `sitemap.xml` and `robots.txt`.
//!
//! Everything here ends up inside HTML or XML written by gloss, so every
//! string is escaped for where it goes: JSON inside `<script>` cannot close
//! the element or open a comment, and is safe against U+2028/U+2029.

use std::io::Write as _;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};
use typed_index_collections::TiVec;

use super::input::Input;
use crate::model::{ArticleId, EntityId, EntityRef, FactRole, FactValue};
use crate::routes;
use crate::strings::Strings;

/// Serialises `value` for a `<script>` element: `<`, `>` and `&` become
/// `\u003c` and friends, so no `</script>` or `<!--` can appear, and the line
/// separators U+2028/U+2029 are escaped too.
pub fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    write_script_json(&mut out, value);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`script_json`], appended to `out` (the search index of an archive runs
/// to tens of megabytes: it is written in place, and copied again only
/// when it has something to escape).
pub fn write_script_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let start = out.len();
    serde_json::to_writer(&mut *out, value).expect("gloss's values always serialise");
    // serde_json writes many small pieces: escape the whole once, rather
    // than search each piece.
    if let Some(first) = next_special(&out[start..]) {
        let json = out.split_off(start + first);
        ScriptSafe(out).write_all(&json).expect("writing to memory cannot fail");
    }
}

/// Appends `text` as a JSON string, escaped as [`script_json`] escapes it
/// (serde_json's escapes, then `<`, `>`, `&`, U+2028 and U+2029): for JSON
/// written piece by piece where serde's machinery costs more than the
/// text (an archive's hundreds of thousands of Web Annotations, and the
/// whole of its text for search). Eight bytes are looked at together, as
/// most text has nothing to escape in them.
pub fn push_script_str(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = text.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let end = (at + 8).min(bytes.len());
        if let Ok(word) = <[u8; 8]>::try_from(&bytes[at..end]) {
            if !may_need_escape(u64::from_le_bytes(word)) {
                at = end;
                continue;
            }
        }
        while at < end {
            let b = bytes[at];
            let (escape, len): (&str, usize) = match b {
                b'"' => ("\\\"", 1),
                b'\\' => ("\\\\", 1),
                b'\n' => ("\\n", 1),
                b'\r' => ("\\r", 1),
                b'\t' => ("\\t", 1),
                0x08 => ("\\b", 1),
                0x0C => ("\\f", 1),
                b'<' => ("\\u003c", 1),
                b'>' => ("\\u003e", 1),
                b'&' => ("\\u0026", 1),
                0..=0x1F => ("", 1),
                0xE2 if bytes[at + 1..].starts_with(&[0x80, 0xA8]) => ("\\u2028", 3),
                0xE2 if bytes[at + 1..].starts_with(&[0x80, 0xA9]) => ("\\u2029", 3),
                _ => {
                    at += 1;
                    continue;
                }
            };
            out.push_str(&text[copied..at]);
            if escape.is_empty() {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            } else {
                out.push_str(escape);
            }
            at += len;
            copied = at;
        }
    }
    out.push_str(&text[copied..]);
    out.push('"');
}

/// Whether any of eight bytes may need [`push_script_str`]'s escapes: a
/// control character, `"`, `\`, `<`, `>`, `&`, or any byte of a character
/// beyond ASCII (U+2028 and U+2029 among them). Exact for the first five
/// tests as a whole (the borrows of `x - 1` only reach bytes above a byte
/// that is zero).
fn may_need_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |y: u64| y.wrapping_sub(ONES) & !y & HIGHS;
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    let special = [b'"', b'\\', b'<', b'>', b'&'].iter().fold(0, |any, &b| any | zero_byte(x ^ (ONES * u64::from(b))));
    (control | special | (x & HIGHS)) != 0
}

/// Escapes, on the way through, what may not appear in a `<script>`.
/// serde_json writes strings in slices cut at character boundaries, so a
/// U+2028 is never split across two writes.
struct ScriptSafe<'a>(&'a mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The bytes to escape are rare: find each with memchr's vector
        // search and copy the runs between them whole.
        let mut copied = 0;
        let mut from = 0;
        while let Some(at) = next_special(&buf[from..]).map(|at| from + at) {
            let escape: Option<&[u8]> = match buf[at] {
                b'<' => Some(b"\\u003c"),
                b'>' => Some(b"\\u003e"),
                b'&' => Some(b"\\u0026"),
                _ => match buf.get(at + 1..at + 3) {
                    Some([0x80, 0xA8]) => Some(b"\\u2028"),
                    Some([0x80, 0xA9]) => Some(b"\\u2029"),
                    _ => None,
                },
            };
            from = at + 1;
            if let Some(escape) = escape {
                self.0.extend_from_slice(&buf[copied..at]);
                self.0.extend_from_slice(escape);
                copied = at + if buf[at] == 0xE2 { 3 } else { 1 };
                from = copied;
            }
        }
        self.0.extend_from_slice(&buf[copied..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// schema.org data for one entity (without `@context`).
pub fn entity_data(input: &Input, entity: EntityId) -> Value {
    let e = input.entity(entity);
    let kind = input.kind(e.kind);
    let mut data = Map::new();
    data.insert("@type".into(), json!(kind.schema));
    data.insert("name".into(), json!(e.name.value));
    if !e.aliases.is_empty() {
        data.insert("alternateName".into(), json!(e.aliases.iter().map(|a| &a.value).collect::<Vec<_>>()));
    }
    if let Some(summary) = &e.summary {
        data.insert("description".into(), json!(summary));
    }
    if !e.same_as.is_empty() {
        data.insert("sameAs".into(), json!(e.same_as));
    }
    if !e.sources.is_empty() {
        data.insert("citation".into(), Value::Array(e.sources.iter().map(citation).collect()));
    }
    if let Some(url) = input.absolute(&input.entity_path(entity)) {
        data.insert("url".into(), json!(url));
    }
    if let Some(portrait) = &input.description(entity).portrait {
        data.insert("image".into(), image_object(input, portrait));
    }
    for (i, fact) in &e.facts {
        let text = match &fact.value {
            FactValue::Year(y) => Some(y.to_string()),
            FactValue::Text(t) => Some(t.clone()),
            _ => None,
        };
        match (kind.facts[*i].role, &fact.value, text) {
            (Some(FactRole::Birth), _, Some(t)) => {
                data.insert("birthDate".into(), json!(t));
            }
            (Some(FactRole::Death), _, Some(t)) => {
                data.insert("deathDate".into(), json!(t));
            }
            (Some(FactRole::Founding), _, Some(t)) => {
                data.insert("foundingDate".into(), json!(t));
            }
            (Some(FactRole::Location), FactValue::Entity(EntityRef { entity: Some(place), .. }), _) => {
                let key = if kind.schema == "Place" { "containedInPlace" } else { "location" };
                let mut place_data = json!({"@type": "Place", "name": input.name(*place)});
                if let Some(url) = input.absolute(&input.entity_path(*place)) {
                    place_data["url"] = json!(url);
                }
                data.insert(key.into(), place_data);
            }
            (_, FactValue::Coordinates { lat, lon }, _) => {
                data.insert("geo".into(), json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}));
            }
            _ => {}
        }
    }
    Value::Object(data)
}

/// An entity's image as a schema.org `ImageObject`: its address (absolute
/// with a `base_url`), size, credit and licence.
fn image_object(input: &Input, portrait: &crate::annotate::Portrait) -> Value {
    let url = match portrait.remote {
        true => Some(portrait.path.clone()),
        false => input.absolute(&portrait.path),
    };
    let mut image = json!({"@type": "ImageObject", "caption": portrait.alt});
    let fields = [
        ("contentUrl", url.map(Value::from)),
        ("width", portrait.width.map(Value::from)),
        ("height", portrait.height.map(Value::from)),
        ("creditText", portrait.credit.clone().map(Value::from)),
        ("license", portrait.licence_url.clone().or(portrait.licence.clone()).map(Value::from)),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            image[key] = value;
        }
    }
    image
}

/// JSON-LD of an entity page.
/// A source as schema.org cites a work.
fn citation(source: &crate::model::Source) -> Value {
    let mut work = json!({"@type": "CreativeWork", "name": source.title});
    if let Some(url) = &source.url {
        work["url"] = json!(url);
    }
    if let Some(publisher) = &source.publisher {
        work["publisher"] = json!({"@type": "Organization", "name": publisher});
    }
    if let Some(date) = &source.date {
        work["datePublished"] = json!(date);
    }
    if let Some(page) = &source.page {
        work["pagination"] = json!(page);
    }
    work
}

pub fn entity_ld(input: &Input, entity: EntityId) -> String {
    let mut data = entity_data(input, entity);
    data["@context"] = json!("https://schema.org");
    script_json(&data)
}

/// Each entity's JSON-LD reference and preview card, made once when first
/// needed: an archive's articles name the same entities thousands of times.
pub struct EntityJson<'a> {
    strings: &'a Strings,
    references: TiVec<EntityId, OnceLock<Box<RawValue>>>,
    cards: TiVec<EntityId, OnceLock<Card>>,
}

/// What an entity's preview card shows beyond its link (see
/// [`EntityJson::card`]).
pub struct Card {
    /// Its key fact (life span, type and country…).
    pub fact: Option<String>,
    /// The smallest copy of its portrait.
    pub image: Option<Thumbnail>,
}

/// An image as a preview card shows it: `src` from a page one folder
/// down, and `alt`.
#[derive(Serialize)]
pub struct Thumbnail {
    pub src: String,
    pub alt: String,
}

impl<'a> EntityJson<'a> {
    /// Room for `n` entities, whose key facts read `strings`.
    pub fn new(n: usize, strings: &'a Strings) -> EntityJson<'a> {
        EntityJson {
            strings,
            references: (0..n).map(|_| OnceLock::new()).collect(),
            cards: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// An entity as an article's JSON-LD mentions it: its type, name and
    /// authority links (and address, with a `base_url`), as script-safe
    /// JSON. The rest of [`entity_data`] is on the entity's own page; an
    /// article naming forty entities does not repeat it.
    fn reference(&self, input: &Input, entity: EntityId) -> &RawValue {
        // Read on every use, so each page that shows it records it.
        let e = input.entity(entity);
        self.references[entity].get_or_init(|| {
            let mut data = Map::new();
            data.insert("@type".into(), json!(input.kind(e.kind).schema));
            data.insert("name".into(), json!(e.name.value));
            if !e.same_as.is_empty() {
                data.insert("sameAs".into(), json!(e.same_as));
            }
            if let Some(url) = input.absolute(&input.entity_path(entity)) {
                data.insert("url".into(), json!(url));
            }
            raw(&data)
        })
    }

    /// What an entity's preview card shows beyond its link (name, kind,
    /// summary). An article's cast list carries it, and gloss.js makes the
    /// cards from that list.
    pub fn card(&self, input: &Input, entity: EntityId) -> &Card {
        self.cards[entity].get_or_init(|| Card {
            fact: key_fact(self.strings, input, entity),
            image: input.description(entity).portrait.as_ref().map(|portrait| Thumbnail {
                src: match portrait.remote {
                    true => portrait.thumbnail.clone(),
                    false => format!("../{}", portrait.thumbnail),
                },
                alt: portrait.alt.clone(),
            }),
        })
    }

    /// JSON-LD of an article page: a `NewsArticle` with everyone it mentions.
    pub fn article_ld(&self, input: &Input, article: ArticleId, cast: impl Iterator<Item = EntityId>) -> String {
        /// Fields in alphabetical order, as in every other JSON-LD object.
        #[derive(Serialize)]
        struct NewsArticle<'a> {
            #[serde(rename = "@context")]
            context: &'a str,
            #[serde(rename = "@type")]
            kind: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            author: Option<Value>,
            #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
            date_modified: Option<&'a str>,
            #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
            date_published: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            description: Option<&'a str>,
            headline: &'a str,
            #[serde(rename = "inLanguage")]
            in_language: &'a str,
            #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
            is_based_on: Option<&'a str>,
            /// The tags.
            #[serde(skip_serializing_if = "Vec::is_empty")]
            keywords: Vec<&'a str>,
            mentions: Vec<&'a RawValue>,
            #[serde(skip_serializing_if = "Option::is_none")]
            publisher: Option<Value>,
            #[serde(skip_serializing_if = "Option::is_none")]
            url: Option<String>,
        }
        let (doc, _) = input.article(article);
        let organisation = |name: &String| json!({"@type": "Organization", "name": name});
        script_json(&NewsArticle {
            context: "https://schema.org",
            kind: "NewsArticle",
            author: doc.byline.as_ref().map(organisation),
            date_modified: doc.updated.as_deref(),
            date_published: doc.date.as_deref(),
            description: doc.summary.as_deref(),
            headline: &doc.title.value,
            in_language: doc.language.as_deref().unwrap_or(&input.config().language),
            is_based_on: doc.source_url.as_deref(),
            keywords: input.article_tags(article).iter().map(|&t| input.tags()[t].name.as_str()).collect(),
            mentions: cast.map(|e| self.reference(input, e)).collect(),
            publisher: doc.source.as_ref().map(organisation),
            url: input.absolute(&input.article_path(article)),
        })
    }
}

/// Where the next byte that may need escaping is: `<`, `>`, `&`, or 0xE2,
/// the first byte of U+2028 and U+2029.
fn next_special(bytes: &[u8]) -> Option<usize> {
    let markup = memchr::memchr3(b'<', b'>', b'&', bytes);
    let separator = memchr::memchr(0xE2, &bytes[..markup.unwrap_or(bytes.len())]);
    separator.or(markup)
}

/// A value as script-safe JSON that serialises verbatim.
fn raw<T: Serialize + ?Sized>(value: &T) -> Box<RawValue> {
    RawValue::from_string(script_json(value)).expect("serde_json writes valid JSON")
}

/// JSON-LD of the home and index pages.
pub fn website_ld(input: &Input, title: &str) -> String {
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": title,
        "inLanguage": input.config().language,
    });
    if let Some(url) = input.absolute(routes::HOME) {
        data["url"] = json!(url);
    }
    script_json(&data)
}

/// The fact a preview shows: a life span, a type and where it is or when
/// it was founded, else the first fact there is. Facts are found by their
/// role (see `kinds.yaml`), whatever a kind calls them.
pub fn key_fact(strings: &Strings, input: &Input, entity: EntityId) -> Option<String> {
    let e = input.entity(entity);
    let kind = input.kind(e.kind);
    let text = |role: FactRole| {
        e.facts.iter().find(|(i, _)| kind.facts[*i].role == Some(role)).and_then(|(_, f)| match &f.value {
            FactValue::Year(y) => Some(y.to_string()),
            FactValue::Text(t) => Some(t.clone()),
            FactValue::Entity(reference) => reference.entity.map(|t| input.name(t).to_string()),
            _ => None,
        })
    };
    match (text(FactRole::Birth), text(FactRole::Death)) {
        (Some(born), Some(died)) => return Some(strings.fill("life_span", &[("born", &born), ("died", &died)])),
        (Some(born), None) => return Some(strings.fill("born", &[("born", &born)])),
        _ => {}
    }
    if let Some(ty) = text(FactRole::Type) {
        let mut ty = ty;
        if let Some(upper) = ty.get(..1).map(str::to_uppercase) {
            ty.replace_range(..1, &upper);
        }
        return Some(match text(FactRole::Location) {
            Some(place) => strings.fill("type_in_place", &[("type", &ty), ("place", &place)]),
            None => match text(FactRole::Founding) {
                Some(year) => strings.fill("type_founded", &[("type", &ty), ("year", &year)]),
                None => ty,
            },
        });
    }
    e.facts.first().and_then(|(i, f)| {
        let value = match &f.value {
            FactValue::Year(y) => y.to_string(),
            FactValue::Text(t) => t.clone(),
            _ => return None,
        };
        Some(strings.fill("fact", &[("label", &kind.facts[*i].label), ("value", &value)]))
    })
}

/// `sitemap.xml` for the given page paths (needs `base_url`).
pub fn sitemap(base_url: &str, paths: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let mut loc = String::new();
        pulldown_cmark_escape::escape_html(&mut loc, &format!("{base_url}/{path}")).expect("writing to a String");
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt` pointing at the sitemap.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_break_out_of_its_element() {
        let hostile = json!({
            "summary": "</script><script>alert(1)</script> <!-- \u{2028} a&b > c \u{2029}",
            "typography": "Kim’s train — “at last”…",
        });
        let safe = script_json(&hostile);
        assert!(!safe.contains("</"));
        assert!(!safe.contains("<!--"));
        assert!(!safe.contains(['\u{2028}', '\u{2029}', '&', '>']));
        // Other characters that start with the same byte as U+2028 pass as they are.
        assert!(safe.contains("Kim’s train — “at last”…"), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, hostile);
    }

    #[test]
    fn strings_written_by_hand_are_escaped_as_serde_writes_them() {
        let mut samples: Vec<String> = [
            "</script><!-- a&b > c \u{2028} \u{2029}",
            "Kim’s train — “at last”… \u{2027}\u{202A}",
            "quote \" backslash \\ tab\t line\n return\r \u{8} \u{c} \u{0} \u{1f} \u{7f}",
            "",
        ]
        .map(String::from)
        .into();
        samples.extend((0..128u8).map(|b| format!("a{}b", char::from(b))));
        // Each in every place of the eight bytes looked at together, and
        // across two of them.
        for special in ["\"", "\\", "<", ">", "&", "\n", "\u{1}", "\u{1f}", "\u{2028}", "\u{2029}", "’", "é"] {
            for at in 0..17 {
                samples.push(format!("{}{special}{}", "x".repeat(at), "y".repeat(17 - at)));
            }
        }
        for text in samples {
            let mut out = String::new();
            push_script_str(&mut out, &text);
            assert_eq!(out, script_json(&text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_written_by_hand_is_what_serde_writes(text in "\\PC*|[\\x00-\\x7f\u{2028}\u{2029}]*") {
            let mut out = String::new();
            push_script_str(&mut out, &text);
            proptest::prop_assert_eq!(out, script_json(&text));
        }
    }

    #[test]
    fn sitemap_lists_absolute_urls() {
        let xml = sitemap("https://example.org/ed", &["index.html", "people/a&b.html"]);
        assert!(xml.contains("<loc>https://example.org/ed/index.html</loc>"));
        assert!(xml.contains("people/a&amp;b.html"));
        assert!(robots("https://example.org/ed").contains("Sitemap: https://example.org/ed/sitemap.xml"));
    }
}
