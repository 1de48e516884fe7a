//! An article's annotations as W3C Web Annotations: the file
//! `articles/<slug>.annotations.jsonld` beside its page, for annotation
//! tools (Hypothesis, Recogito) and for anyone who wants the edition's
//! mentions as data.
//!
//! One `AnnotationCollection` (JSON-LD, the model's context) with its items
//! in one embedded `AnnotationPage`: an `Annotation` per mention (motivation
//! `identifying`), per reference to an editorial note, footnote or
//! stand-off (`commenting`), and per correction (`editing`, with the
//! correction's note), in text order. Each targets the article page with two
//! selectors of the same text: a `TextQuoteSelector` (the words, and up to
//! [`CONTEXT_CHARS`] characters either side) and a `TextPositionSelector`
//! counted in Unicode code points, as the model asks, over the article's
//! plain text ([`plain_text`]).
//!
//! Identifiers are IRIs: absolute under `base_url`; without one, relative
//! IRI references (the collection's `all-aboard.annotations.jsonld`, an
//! annotation's `#m-kim-jong-il-1`), which JSON-LD resolves against the
//! address the file is read from, so they are absolute IRIs wherever the
//! site is put. Authority links are sorted by
//! what they are ([`authority`]): a Wikidata or GeoNames record is the
//! identity of the thing (purpose `identifying`, given as the IRI the
//! authority mints for the thing itself), anything else a page about it
//! (`linking`).
//!
//! `crate::import` reads the same shapes back, with the same plain text
//! and the same reading of authority links.

use std::ops::Range;

use serde::Serialize;
use serde_json::value::RawValue;

use super::input::Input;
use super::structured::{self, push_script_str};
use super::{Page, Renderer};
use crate::annotate::{fill_notes, Mention};
use crate::diagnostic::Diagnostic;
use crate::model::{ArticleId, EntityId};
use crate::routes::{self, PageId};

/// The Web Annotation context: every annotation's, given once on the
/// collection.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// Characters of text a `TextQuoteSelector` keeps either side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// What separates two blocks in the plain text.
pub const BLOCK_SEPARATOR: &str = "\n\n";

/// An article's plain text, as the export's selectors count it: its blocks
/// ([`crate::annotate::AnnotatedArticle::blocks`]: the title, then every
/// paragraph, heading, list item and table cell) joined by a blank line.
pub fn plain_text(blocks: &[String]) -> String {
    blocks.join(BLOCK_SEPARATOR)
}

/// The plain text of an article, and where each block starts in it.
pub struct PlainText {
    pub text: String,
    /// Byte offset of each block in `text`.
    starts: Vec<usize>,
    /// Code point offset of each block in `text`.
    char_starts: Vec<usize>,
}

impl PlainText {
    pub fn new(blocks: &[String]) -> PlainText {
        let text = plain_text(blocks);
        let (mut starts, mut char_starts) = (Vec::with_capacity(blocks.len()), Vec::with_capacity(blocks.len()));
        let (mut at, mut chars) = (0, 0);
        let separator_chars = BLOCK_SEPARATOR.chars().count();
        for block in blocks {
            starts.push(at);
            char_starts.push(chars);
            at += block.len() + BLOCK_SEPARATOR.len();
            chars += block.chars().count() + separator_chars;
        }
        PlainText { text, starts, char_starts }
    }

    /// The block count.
    pub fn blocks(&self) -> usize {
        self.starts.len()
    }

    /// The text of block `block`.
    pub fn block(&self, block: usize) -> &str {
        let start = self.starts[block];
        let end = match block + 1 {
            next if next < self.blocks() => self.starts[next] - BLOCK_SEPARATOR.len(),
            _ => self.text.len(),
        };
        &self.text[start..end]
    }

    /// Byte offset of block `block` in the text.
    pub fn block_start(&self, block: usize) -> usize {
        self.starts[block]
    }

    /// The code point offset in the text of byte `at` of block `block`.
    pub fn char_offset(&self, block: usize, at: usize) -> usize {
        self.char_starts[block] + self.block(block)[..at].chars().count()
    }

    /// The selectors of `range` (bytes) of block `block`.
    pub fn selectors(&self, block: usize, range: Range<usize>) -> [Selector<'_>; 2] {
        let start = self.char_offset(block, range.start);
        let end = start + self.block(block)[range.clone()].chars().count();
        let bytes = self.starts[block] + range.start..self.starts[block] + range.end;
        [self.quote(bytes), Selector::Position { start, end }]
    }

    /// The `TextQuoteSelector` of `range` (bytes) of the text.
    fn quote(&self, range: Range<usize>) -> Selector<'_> {
        let before = &self.text[..range.start];
        let prefix_start = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
        let after = &self.text[range.end..];
        let suffix_end = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
        let (prefix, suffix) = (&before[prefix_start..], &after[..suffix_end]);
        Selector::Quote {
            exact: &self.text[range],
            prefix: (!prefix.is_empty()).then_some(prefix),
            suffix: (!suffix.is_empty()).then_some(suffix),
        }
    }
}

/// What an authority link is: the record of an authority that names the
/// thing itself, or a page about it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Authority {
    /// A Wikidata item: `Q` and its number.
    Wikidata(String),
    /// A GeoNames feature: its number.
    GeoNames(String),
    /// A Wikipedia article: language and title (spaces as `_`, decoded).
    Wikipedia { language: String, title: String },
    /// Any other web address, normalised: `https`, lower-case host without
    /// `www.`, no trailing slash, no fragment.
    Other(String),
}

/// Reads an authority link in any of the forms people write it:
/// `http(s)://www.wikidata.org/entity/Q…` or `/wiki/Q…`;
/// `http(s)://(www.)geonames.org/123/name.html` or `sws.geonames.org/123/`;
/// `https://en.wikipedia.org/wiki/Title` (the mobile `en.m.` host too).
/// `None` for what is no web address.
pub fn authority(uri: &str) -> Option<Authority> {
    let url = url::Url::parse(uri.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<String> =
        url.path_segments().map(|s| s.filter(|s| !s.is_empty()).map(percent_decode).collect()).unwrap_or_default();
    let first = segments.first().map(String::as_str);
    let second = segments.get(1).map(String::as_str);
    if host == "wikidata.org" || host == "m.wikidata.org" {
        let item = match (first, second) {
            (Some("wiki"), Some("Special:EntityPage")) => segments.get(2).map(String::as_str),
            (Some("entity" | "wiki"), Some(id)) => Some(id),
            _ => None,
        };
        if let Some(id) = item {
            if is_item(id) {
                return Some(Authority::Wikidata(id.to_ascii_uppercase()));
            }
        }
    }
    if host == "geonames.org" || host == "sws.geonames.org" {
        if let Some(id) = first.filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())) {
            return Some(Authority::GeoNames(id.to_string()));
        }
    }
    if let Some(language) = host.strip_suffix(".wikipedia.org") {
        if let (Some("wiki"), Some(_)) = (first, second) {
            let language = language.strip_suffix(".m").unwrap_or(language).to_string();
            let title = segments[1..].join("/").replace(' ', "_");
            return Some(Authority::Wikipedia { language, title });
        }
    }
    let mut other = format!("https://{host}");
    if let Some(port) = url.port() {
        other.push_str(&format!(":{port}"));
    }
    for segment in &segments {
        other.push('/');
        other.push_str(segment);
    }
    if let Some(query) = url.query() {
        other.push('?');
        other.push_str(query);
    }
    Some(Authority::Other(other))
}

/// `Q` and digits: a Wikidata item's id.
fn is_item(id: &str) -> bool {
    id.len() > 1 && id[..1].eq_ignore_ascii_case("q") && id[1..].bytes().all(|b| b.is_ascii_digit())
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

impl Authority {
    /// The IRI the export gives it: the authority's own IRI of the thing
    /// for Wikidata and GeoNames, the page for anything else.
    pub fn iri(&self, written: &str) -> String {
        match self {
            Authority::Wikidata(id) => format!("http://www.wikidata.org/entity/{id}"),
            Authority::GeoNames(id) => format!("https://sws.geonames.org/{id}/"),
            _ => written.trim().to_string(),
        }
    }

    /// Why a body links to it: `identifying` for an authority's record of
    /// the thing itself ("associate the IRI that identifies a city with a
    /// mention of the city", as the model puts it), `linking` for a page
    /// about it.
    pub fn purpose(&self) -> &'static str {
        match self {
            Authority::Wikidata(_) | Authority::GeoNames(_) => "identifying",
            _ => "linking",
        }
    }
}

/// One annotation. Written by hand ([`Annotation::push_json`]), not by
/// serde: an archive has hundreds of thousands of them, and serde_json
/// escapes every key and constant byte by byte, then the whole is searched
/// again for what a script must not hold.
struct Annotation<'a> {
    id: String,
    motivation: &'static str,
    body: Bodies<'a>,
    target: Target<'a>,
}

impl Annotation<'_> {
    /// Appends the annotation as script-safe JSON, as serde_json and
    /// [`structured::script_json`] would write it.
    fn push_json(&self, out: &mut String) {
        out.push_str("{\"id\":");
        push_script_str(out, &self.id);
        out.push_str(",\"type\":\"Annotation\",\"motivation\":");
        push_script_str(out, self.motivation);
        out.push_str(",\"body\":");
        match &self.body {
            Bodies::Made(bodies) => out.push_str(&structured::script_json(bodies)),
            Bodies::Entity(json) => out.push_str(json.get()),
            Bodies::Entities(json) => out.push_str(json.get()),
        }
        out.push_str(",\"target\":{\"type\":\"SpecificResource\",\"source\":");
        out.push_str(self.target.source_json);
        out.push_str(",\"selector\":[");
        let [quote, position] = &self.target.selector;
        quote.push_json(out);
        out.push(',');
        position.push_json(out);
        out.push_str("]}}");
    }
}

/// An annotation's bodies: a mention's are its entities', made once for
/// each entity (an archive's articles name the same entities thousands of
/// times), as script-safe JSON.
enum Bodies<'a> {
    Made(Vec<Body>),
    /// One entity's.
    Entity(&'a RawValue),
    /// Several entities' together.
    Entities(Box<RawValue>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    /// A web resource, with the reason it is there.
    Resource {
        #[serde(rename = "type")]
        kind: &'static str,
        source: String,
        purpose: &'static str,
    },
    /// Text: a note (`commenting`) or a repair (`editing`).
    Text {
        #[serde(rename = "type")]
        kind: &'static str,
        value: String,
        format: &'static str,
        language: String,
        purpose: &'static str,
    },
}

/// A `SpecificResource` of the article page.
struct Target<'a> {
    /// The page's IRI, as a JSON string (the same in each annotation).
    source_json: &'a str,
    selector: [Selector<'a>; 2],
}

/// A selector of the article's plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector<'t> {
    /// A `TextQuoteSelector`.
    Quote { exact: &'t str, prefix: Option<&'t str>, suffix: Option<&'t str> },
    /// A `TextPositionSelector`.
    Position { start: usize, end: usize },
}

impl Selector<'_> {
    /// Appends the selector as script-safe JSON, as serde_json and
    /// [`structured::script_json`] would write it.
    fn push_json(&self, out: &mut String) {
        match self {
            Selector::Quote { exact, prefix, suffix } => {
                out.push_str("{\"type\":\"TextQuoteSelector\",\"exact\":");
                push_script_str(out, exact);
                for (key, text) in [(",\"prefix\":", prefix), (",\"suffix\":", suffix)] {
                    if let Some(text) = text {
                        out.push_str(key);
                        push_script_str(out, text);
                    }
                }
            }
            Selector::Position { start, end } => {
                out.push_str("{\"type\":\"TextPositionSelector\",\"start\":");
                out.push_str(itoa::Buffer::new().format(*start));
                out.push_str(",\"end\":");
                out.push_str(itoa::Buffer::new().format(*end));
            }
        }
        out.push('}');
    }
}

/// `articles/<slug>.annotations.jsonld`.
pub(super) fn render(renderer: &Renderer, input: &Input, a: ArticleId) -> Result<Page, Diagnostic> {
    let id = PageId::ArticleAnnotations(a);
    let path = input.path(id);
    let (doc, annotated) = input.article(a);
    let text = PlainText::new(&annotated.blocks);
    // IRIs: absolute under `base_url`, else relative to this file.
    let iri = |to: &str| input.absolute(to).unwrap_or_else(|| routes::link(&path, to));
    let own = iri(&path);
    // An annotation's IRI: this file's, and its fragment. Relative, the
    // fragment alone resolves to the same IRI, and does not repeat the
    // file's name in each of an archive's thousands of annotations.
    let item = match input.absolute(&path) {
        Some(_) => own.as_str(),
        None => "",
    };
    let article = iri(&input.path(PageId::Article(a)));
    let mut article_json = String::new();
    push_script_str(&mut article_json, &article);
    let target = |block: usize, range: Range<usize>| Target {
        source_json: &article_json,
        selector: text.selectors(block, range),
    };
    let mut items: Vec<(usize, Annotation)> = Vec::with_capacity(annotated.mentions.len());
    for mention in &annotated.mentions {
        let mut id = String::with_capacity(item.len() + 40);
        id.push_str(item);
        id.push('#');
        input.push_anchor(mention, &mut id);
        let annotation = Annotation {
            id,
            motivation: "identifying",
            body: mention_bodies(renderer, input, mention, &iri),
            target: target(mention.block, mention.range.clone()),
        };
        items.push((text.block_start(mention.block) + mention.range.start, annotation));
    }
    let language = &input.config().language;
    let text_body = |value: String, format: &'static str, purpose: &'static str| Body::Text {
        kind: "TextualBody",
        value,
        format,
        language: language.clone(),
        purpose,
    };
    let note_body = |note: usize| {
        let html = fill_notes(&annotated.footnotes[note].html, &annotated.footnotes, &mut |_| String::new());
        // Its links within the page (to the page's sources) lead there
        // from this file too.
        let html = html.trim().replace("href=\"#", &format!("href=\"{article}#"));
        text_body(html, "text/html", "commenting")
    };
    // A note attached to exactly the words a correction repairs goes with
    // the correction: it is the correction's own note.
    let of_correction = |block: usize, range: &Range<usize>| {
        annotated.corrections.iter().position(|c| c.block == block && c.range == *range)
    };
    for (n, correction) in annotated.corrections.iter().enumerate() {
        let mut body = vec![text_body(correction.should_read.clone(), "text/plain", "editing")];
        body.extend(
            annotated
                .note_anchors
                .iter()
                .filter(|anchor| of_correction(anchor.block, &anchor.range) == Some(n))
                .map(|anchor| note_body(anchor.note)),
        );
        let annotation = Annotation {
            id: format!("{item}#correction-{}", n + 1),
            motivation: "editing",
            body: Bodies::Made(body),
            target: target(correction.block, correction.range.clone()),
        };
        items.push((text.block_start(correction.block) + correction.range.start, annotation));
    }
    let mut uses = vec![0; annotated.footnotes.len()];
    for anchor in &annotated.note_anchors {
        if of_correction(anchor.block, &anchor.range).is_some() {
            continue;
        }
        let Some(range) = note_range(text.block(anchor.block), anchor.range.clone()) else { continue };
        let note = &annotated.footnotes[anchor.note];
        uses[anchor.note] += 1;
        let id = match uses[anchor.note] {
            1 => format!("{item}#note-{}", note.id),
            n => format!("{item}#note-{}-{n}", note.id),
        };
        let annotation = Annotation {
            id,
            motivation: "commenting",
            body: Bodies::Made(vec![note_body(anchor.note)]),
            target: target(anchor.block, range.clone()),
        };
        items.push((text.block_start(anchor.block) + range.start, annotation));
    }
    items.sort_by_key(|(at, _)| *at);
    let label = renderer.strings.fill("annotations_label", &[("title", &doc.title.value)]);
    // The collection, its one page embedded (`first`, also `last`) when it
    // has items. Markup in notes is escaped as JSON allows (`<` can only be
    // inside a string), so nothing that reads the file as HTML (a browser
    // sniffing it, a link checker) ever meets a tag.
    let mut json = String::with_capacity(600 * items.len() + 600);
    json.push_str("{\"@context\":");
    push_script_str(&mut json, CONTEXT);
    json.push_str(",\"id\":");
    push_script_str(&mut json, &own);
    json.push_str(",\"type\":\"AnnotationCollection\",\"label\":");
    push_script_str(&mut json, &label);
    json.push_str(",\"total\":");
    json.push_str(itoa::Buffer::new().format(items.len()));
    if !items.is_empty() {
        let page_id = format!("{own}#page-1");
        json.push_str(",\"first\":{\"id\":");
        push_script_str(&mut json, &page_id);
        json.push_str(",\"type\":\"AnnotationPage\",\"partOf\":");
        push_script_str(&mut json, &own);
        json.push_str(",\"startIndex\":0,\"items\":[");
        for (n, (_, annotation)) in items.iter().enumerate() {
            if n > 0 {
                json.push(',');
            }
            annotation.push_json(&mut json);
        }
        json.push_str("]},\"last\":");
        push_script_str(&mut json, &page_id);
    }
    json.push_str("}\n");
    Ok(Page { id, path, html: json })
}

/// The words a note is attached to: its quote, or for a footnote (whose
/// number stands at one point of the text) the word the number follows,
/// else the word it comes before. `None` in a block without words.
pub fn note_range(block: &str, range: Range<usize>) -> Option<Range<usize>> {
    if !range.is_empty() {
        return Some(range);
    }
    let before = block[..range.start].trim_end();
    if !before.is_empty() {
        let start =
            before.rfind(char::is_whitespace).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        return Some(start..before.len());
    }
    let after = &block[range.start..];
    let start = range.start + (after.len() - after.trim_start().len());
    let end = block[start..].find(char::is_whitespace).map_or(block.len(), |i| start + i);
    (end > start).then_some(start..end)
}

/// The bodies of a mention: each entity's page (`identifying`: the
/// edition's own record of who or what it is), then its authority links.
/// Every annotations file is in `articles/`, so an entity's bodies are the
/// same in all of them.
fn mention_bodies<'r>(
    renderer: &'r Renderer,
    input: &Input,
    mention: &Mention,
    iri: &dyn Fn(&str) -> String,
) -> Bodies<'r> {
    let of = |entity: EntityId| -> &'r RawValue {
        // Read on every use, so each file that gives them records it.
        let e = input.entity(entity);
        renderer.annotation_bodies[entity].get_or_init(|| {
            let mut bodies = vec![Body::Resource {
                kind: "SpecificResource",
                source: iri(&input.entity_path(entity)),
                purpose: "identifying",
            }];
            for link in &e.same_as {
                let Some(authority) = authority(link) else { continue };
                bodies.push(Body::Resource {
                    kind: "SpecificResource",
                    source: authority.iri(link),
                    purpose: authority.purpose(),
                });
            }
            RawValue::from_string(structured::script_json(&bodies)).expect("serde_json writes valid JSON")
        })
    };
    match mention.entities.as_slice() {
        [one] => Bodies::Entity(of(*one)),
        several => {
            let inner: Vec<&str> = several.iter().map(|&e| of(e).get()).map(|j| &j[1..j.len() - 1]).collect();
            let json = format!("[{}]", inner.join(","));
            Bodies::Entities(RawValue::from_string(json).expect("joined arrays are an array"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points_across_blocks() {
        let blocks = vec!["Wałęsa’s day".to_string(), "In Gdańsk, Wałęsa spoke.".to_string()];
        let text = PlainText::new(&blocks);
        let block = text.block(1);
        let start = block.find("Wałęsa").unwrap();
        let [quote, position] = text.selectors(1, start..start + "Wałęsa".len());
        let Selector::Position { start, end, .. } = position else { panic!() };
        let chars: Vec<char> = text.text.chars().collect();
        assert_eq!(chars[start..end].iter().collect::<String>(), "Wałęsa");
        assert_eq!(start, "Wałęsa’s day\n\nIn Gdańsk, ".chars().count());
        let Selector::Quote { exact, prefix, suffix, .. } = quote else { panic!() };
        assert_eq!(exact, "Wałęsa");
        assert_eq!(prefix, Some("Wałęsa’s day\n\nIn Gdańsk, "));
        assert_eq!(suffix, Some(" spoke."));
        assert_eq!(text.block(0), "Wałęsa’s day");
    }

    #[test]
    fn quote_context_is_at_most_32_code_points() {
        let blocks = vec![format!("{}Kim{}", "ä".repeat(40), "ö".repeat(40))];
        let text = PlainText::new(&blocks);
        let [quote, _] = text.selectors(0, 80..83);
        let Selector::Quote { exact, prefix, suffix, .. } = quote else { panic!() };
        assert_eq!(exact, "Kim");
        assert_eq!(prefix.unwrap(), "ä".repeat(32));
        assert_eq!(suffix.unwrap(), "ö".repeat(32));
    }

    #[test]
    fn a_footnote_selects_the_word_its_number_follows() {
        let block = "the Far-Eastern University, a centre";
        let at = "the Far-Eastern University,".len();
        assert_eq!(note_range(block, at..at), Some(16..at));
        assert_eq!(note_range(block, at + 1..at + 1), Some(16..at), "after a space too");
        assert_eq!(note_range(block, 0..0), Some(0..3), "at the start: the word after");
        assert_eq!(note_range(block, 4..15), Some(4..15), "a quote is its own range");
        assert_eq!(note_range("  ", 1..1), None);
        let walesa = "Wałęsa’s".len();
        assert_eq!(note_range("Wałęsa’s", walesa..walesa), Some(0..walesa));
    }

    #[test]
    fn authority_links_are_read_in_every_form() {
        let wikidata = Some(Authority::Wikidata("Q10665".into()));
        assert_eq!(authority("https://www.wikidata.org/wiki/Q10665"), wikidata);
        assert_eq!(authority("http://www.wikidata.org/entity/Q10665"), wikidata);
        assert_eq!(authority("https://wikidata.org/wiki/Special:EntityPage/Q10665/"), wikidata);
        let geonames = Some(Authority::GeoNames("2013348".into()));
        assert_eq!(authority("https://www.geonames.org/2013348/vladivostok.html"), geonames);
        assert_eq!(authority("http://sws.geonames.org/2013348/"), geonames);
        assert_eq!(authority("https://geonames.org/2013348"), geonames);
        let wikipedia = Some(Authority::Wikipedia { language: "en".into(), title: "Kim_Jong_Il".into() });
        assert_eq!(authority("https://en.wikipedia.org/wiki/Kim_Jong_Il"), wikipedia);
        assert_eq!(authority("http://en.m.wikipedia.org/wiki/Kim%20Jong%20Il"), wikipedia);
        assert_eq!(
            authority("http://www.example.org/a/b/#x"),
            Some(Authority::Other("https://example.org/a/b".into()))
        );
        assert_eq!(authority("kim-jong-il"), None);
        assert_eq!(authority("mailto:kim@example.org"), None);
    }

    #[test]
    fn authorities_are_identities_and_pages_are_links() {
        let wikidata = authority("https://www.wikidata.org/wiki/Q10665").unwrap();
        assert_eq!(wikidata.iri("x"), "http://www.wikidata.org/entity/Q10665");
        assert_eq!(wikidata.purpose(), "identifying");
        let page = "https://en.wikipedia.org/wiki/Kim_Jong_Il";
        assert_eq!(authority(page).unwrap().iri(page), page);
        assert_eq!(authority(page).unwrap().purpose(), "linking");
    }
}
