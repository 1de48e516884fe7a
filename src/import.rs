//! `gloss import annotations`: W3C Web Annotations, as Recogito and
//! Hypothesis export them, into an article's stand-off annotations file
//! (`content/articles/<slug>.annotations.yaml`, see [`crate::standoff`]).
//!
//! The export is read whole first ([`read_export`], a pure function): a
//! single annotation, a list of them, an `AnnotationCollection` with its
//! `first` page embedded, or an `AnnotationPage`. Each annotation needs a
//! `TextQuoteSelector`; a `TextPositionSelector`, a prefix and a suffix
//! only help choose among several places the quote is found. Its bodies
//! are links (a `SpecificResource`, a plain IRI, or any body whose
//! `source`, `id` or `value` is a Wikidata, GeoNames, Wikipedia or entity
//! page address), tags (`tagging`, `classifying` and `identifying` text,
//! which may name a kind: Recogito's `place` and `person`), comments
//! (`commenting` text, or text with no purpose, as Hypothesis writes it;
//! HTML as Markdown, links to entity pages as `@id` links) and repairs
//! (`editing` text: a correction of the quoted words).
//!
//! Then against the site: each link is matched to an entity by its
//! `same_as` (addresses normalised: Wikidata's entity and wiki forms, http
//! and https, a trailing slash are all one) or by the entity's own page; an
//! unknown authority gets a new entity file, made as `gloss new` makes one,
//! with `same_as` set. Each quote is anchored in the article's text as the
//! build anchors it, and written with as little as tells it apart: the
//! quote alone, a few words of prefix or suffix, or an `occurrence`. What
//! the article already has (a mention of the same entities on the same
//! words, the same note or correction, an item of the file) is left out;
//! a mention and a correction of the same words become one correction. Nothing is
//! written when the export or the annotations file does not parse, and the
//! file is only ever appended to.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::annotate::AnnotatedArticle;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{AnnotationBody, ArticleDoc, EntityId, FactType, Kind, KindId};
use crate::render::annotations::{authority, note_range, Authority, PlainText};
use crate::resolve::Registry;
use crate::standoff::{find_quote, followed_by, preceded_by, squash};

/// What `gloss import annotations` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The W3C Web Annotation export (JSON-LD).
    pub file: PathBuf,
    /// The article's slug.
    pub article: String,
    /// The kind of the entities it creates when an annotation does not say
    /// (by default people).
    pub kind: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Annotations read from the export.
    pub read: usize,
    /// The annotations file, from the site root.
    pub file: PathBuf,
    /// Mentions, notes and corrections written to it.
    pub mentions: usize,
    pub notes: usize,
    pub corrections: usize,
    /// Mentions, notes and corrections the article already had.
    pub present: usize,
    /// Entity files created, from the site root.
    pub created: Vec<PathBuf>,
    /// Annotations whose quote is not in the article's text.
    pub not_found: Vec<NotFound>,
    /// Annotations left out, and why.
    pub skipped: Vec<Skipped>,
    /// Authority links of entities the text already mentions where the
    /// annotation points, which their `same_as` lacks: worth adding by hand.
    pub suggestions: Vec<String>,
}

/// An annotation whose quote is not in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    pub id: Option<String>,
    pub quote: String,
}

/// An annotation left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: Option<String>,
    pub reason: String,
}

impl ImportReport {
    /// One line saying what was done.
    pub fn summary(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "Read {} from the export: wrote {}, {} and {} to {}; {} already in the article; created {}; {} not found in the text; {} left out",
            plural(self.read, "annotation", "annotations"),
            plural(self.mentions, "mention", "mentions"),
            plural(self.notes, "note", "notes"),
            plural(self.corrections, "correction", "corrections"),
            self.file.display(),
            self.present,
            plural(self.created.len(), "entity file", "entity files"),
            plural(self.not_found.len(), "quote", "quotes"),
            self.skipped.len(),
        )
    }
}

/// One annotation of the export, as far as gloss reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub id: Option<String>,
    pub exact: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    /// A `TextPositionSelector`'s start and end, in code points.
    pub position: Option<(usize, usize)>,
    /// Each link body: the addresses it gives (`source`, `id`, `value`).
    pub links: Vec<Vec<String>>,
    /// Tags, which may name a kind.
    pub tags: Vec<String>,
    /// Comments, as Markdown.
    pub comments: Vec<String>,
    /// Repairs of the quoted text (`editing` bodies): what it should read.
    pub edits: Vec<String>,
}

/// The annotations of an export, and those left out (with why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    pub annotations: Vec<Incoming>,
    pub skipped: Vec<Skipped>,
}

/// Reads a W3C Web Annotation export. A JSON syntax error, or a document
/// that holds no annotations at all, is an error at its line and column.
pub fn read_export(path: &Path, text: &str) -> Result<Export, Diagnostic> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(Code::InvalidValue, format!("the annotations do not parse as JSON: {e}"))
            .at(Location::from_line_col(path, text, e.line(), e.column()))
            .with_hint("export the annotations as W3C Web Annotations (JSON-LD) and pass that file")
    })?;
    let mut items = Vec::new();
    collect(&value, &mut items).map_err(|message| {
        Diagnostic::error(Code::InvalidValue, message).at(Location::from_line_col(path, text, 1, 1)).with_hint(
            "pass an Annotation, a list of them, an AnnotationCollection with its first page embedded, or an AnnotationPage",
        )
    })?;
    let mut export = Export::default();
    for item in items {
        match incoming(item) {
            Ok(annotation) => export.annotations.push(annotation),
            Err(reason) => export.skipped.push(Skipped { id: id_of(item), reason }),
        }
    }
    Ok(export)
}

/// A value that may be given once or as a list.
fn each(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(value) => vec![value],
    }
}

/// The strings of a value given once or as a list.
fn strings(value: Option<&Value>) -> Vec<&str> {
    each(value).into_iter().filter_map(Value::as_str).collect()
}

fn has_type(value: &Value, name: &str) -> bool {
    strings(value.get("type").or_else(|| value.get("@type")))
        .iter()
        .any(|t| t.eq_ignore_ascii_case(name) || t.rsplit([':', '#', '/']).next() == Some(name))
}

fn id_of(value: &Value) -> Option<String> {
    value.get("id").or_else(|| value.get("@id")).and_then(Value::as_str).map(str::to_string)
}

/// Gathers the annotations of a document: one, a list, a collection's
/// embedded first page (and any further embedded pages), or a page.
fn collect<'v>(value: &'v Value, out: &mut Vec<&'v Value>) -> Result<(), String> {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, out)?;
            }
            Ok(())
        }
        Value::Object(_) if has_type(value, "AnnotationCollection") => match value.get("first") {
            Some(Value::String(page)) => Err(format!(
                "the collection's first page is only named (`{page}`), not included: gloss reads files, it fetches nothing"
            )),
            Some(page) => collect(page, out),
            None => Ok(()),
        },
        Value::Object(_) if has_type(value, "AnnotationPage") || value.get("items").is_some() => {
            for item in each(value.get("items")) {
                collect(item, out)?;
            }
            match value.get("next") {
                Some(next @ Value::Object(_)) => collect(next, out),
                _ => Ok(()),
            }
        }
        Value::Object(_) if has_type(value, "Annotation") || value.get("target").is_some() => {
            out.push(value);
            Ok(())
        }
        Value::Object(_) => Err("this JSON holds no Web Annotation (no `type: Annotation`, no `target`)".into()),
        _ => Err("this JSON is not a Web Annotation, a list of them, a collection or a page".into()),
    }
}

/// Reads one annotation: its quote and its bodies.
fn incoming(annotation: &Value) -> Result<Incoming, String> {
    let mut quote = None;
    let mut position = None;
    for target in each(annotation.get("target")) {
        for selector in each(target.get("selector")) {
            if has_type(selector, "TextQuoteSelector") {
                if let Some(exact) = selector.get("exact").and_then(Value::as_str).filter(|e| !e.trim().is_empty()) {
                    let text = |key: &str| selector.get(key).and_then(Value::as_str).map(str::to_string);
                    quote.get_or_insert((exact.to_string(), text("prefix"), text("suffix")));
                }
            } else if has_type(selector, "TextPositionSelector") {
                let number = |key: &str| selector.get(key).and_then(Value::as_u64).map(|n| n as usize);
                if let (Some(start), Some(end)) = (number("start"), number("end")) {
                    position.get_or_insert((start, end));
                }
            }
        }
        if quote.is_some() {
            break;
        }
    }
    let Some((exact, prefix, suffix)) = quote else {
        return Err("it has no TextQuoteSelector: nothing says which words of the text it is about".into());
    };
    let mut result = Incoming {
        id: id_of(annotation),
        exact,
        prefix,
        suffix,
        position,
        links: Vec::new(),
        tags: Vec::new(),
        comments: Vec::new(),
        edits: Vec::new(),
    };
    if let Some(value) = annotation.get("bodyValue").and_then(Value::as_str) {
        result.comments.push(value.to_string());
    }
    for body in each(annotation.get("body")) {
        read_body(body, &mut result);
    }
    Ok(result)
}

/// Sorts one body into links, tags, comments and repairs.
fn read_body(body: &Value, into: &mut Incoming) {
    if let Some(iri) = body.as_str() {
        into.links.push(vec![iri.to_string()]);
        return;
    }
    if !body.is_object() {
        return;
    }
    let mut addresses: Vec<String> = Vec::new();
    match body.get("source") {
        Some(Value::String(source)) => addresses.push(source.clone()),
        Some(source) => addresses.extend(id_of(source)),
        None => {}
    }
    addresses.extend(id_of(body));
    let value = body.get("value").and_then(Value::as_str);
    addresses.extend(value.filter(|v| looks_like_address(v)).map(str::to_string));
    let purposes = strings(body.get("purpose"));
    let is = |p: &str| purposes.iter().any(|q| q.eq_ignore_ascii_case(p));
    let specific = has_type(body, "SpecificResource");
    // A body that points somewhere is a link, whatever its purpose.
    if (specific || addresses.iter().any(|a| authority(a).is_some_and(|a| !matches!(a, Authority::Other(_)))))
        && !addresses.is_empty()
    {
        into.links.push(addresses);
        return;
    }
    let Some(value) = value else { return };
    if is("editing") {
        into.edits.push(value.to_string());
    } else if is("tagging") || is("classifying") || is("identifying") {
        into.tags.push(value.to_string());
    } else if purposes.is_empty() || is("commenting") || is("describing") || is("replying") {
        let format = body.get("format").and_then(Value::as_str).unwrap_or("");
        let text = if format.eq_ignore_ascii_case("text/html") { html_to_markdown(value) } else { value.trim().into() };
        if !text.is_empty() {
            into.comments.push(text);
        }
    }
}

fn looks_like_address(value: &str) -> bool {
    let value = value.trim();
    value.starts_with("http://") || value.starts_with("https://")
}

/// An HTML note as Markdown: paragraphs, line breaks, emphasis, code and
/// links kept; gloss's citation marks as `[@source-1]` (by the page's
/// numbering: see [`relink`]); any other markup dropped; entities decoded;
/// Markdown's own characters in the text escaped.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut links: Vec<Option<String>> = Vec::new();
    // Within gloss's citation marks (`<sup class="source-ref">`): the
    // sources cited, by their fragment (`source-1`).
    let mut citing: Option<Vec<String>> = None;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let Some(end) = after.find('>') else {
                push_text(&mut out, rest);
                break;
            };
            let tag = &after[..end];
            rest = &after[end + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(cited) = citing.as_mut() {
                match (name.as_str(), closing) {
                    ("a", false) => cited
                        .extend(attribute(tag, "href").and_then(|h| h.rsplit_once('#').map(|(_, f)| f.to_string()))),
                    ("sup", true) => {
                        let _ = write!(out, "[@{}]", cited.join("; @"));
                        citing = None;
                    }
                    _ => {}
                }
                continue;
            }
            match (name.as_str(), closing) {
                ("sup", false) if attribute(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "source-ref")) => {
                    citing = Some(Vec::new());
                }
                ("p" | "div" | "li" | "blockquote", true) => out.push_str("\n\n"),
                ("br", _) => out.push('\n'),
                ("em" | "i", _) => out.push('*'),
                ("strong" | "b", _) => out.push_str("**"),
                ("code", _) => out.push('`'),
                ("a", false) => {
                    let href = attribute(tag, "href");
                    if href.is_some() {
                        out.push('[');
                    }
                    links.push(href);
                }
                ("a", true) => {
                    if let Some(Some(href)) = links.pop() {
                        let _ = write!(out, "]({href})");
                    }
                }
                _ => {}
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        if citing.is_none() {
            push_text(&mut out, &rest[..end]);
        }
        rest = &rest[end..];
    }
    let paragraphs: Vec<String> = out
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join("\n"))
        .filter(|p| !p.trim().is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// Text of an HTML note, decoded and escaped for Markdown.
fn push_text(out: &mut String, text: &str) {
    for c in decode_entities(text).chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '`' | '\\') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(decode_entities(value))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A place in the article's text: a block and a byte range in it.
type Spot = (usize, Range<usize>);

/// The article's text, and how the build finds quotes in it.
struct Text {
    plain: PlainText,
}

impl Text {
    /// Every place a quote is found, block by block.
    fn find(&self, quote: &str) -> Vec<Spot> {
        (0..self.plain.blocks())
            .flat_map(|b| find_quote(self.plain.block(b), quote).into_iter().map(move |r| (b, r)))
            .collect()
    }

    /// Byte range of a spot in the plain text.
    fn span(&self, (block, range): &Spot) -> Range<usize> {
        let start = self.plain.block_start(*block);
        start + range.start..start + range.end
    }

    /// Does the text right before the spot end with `prefix` (white space
    /// aside)? As the build checks it.
    fn prefix_matches(&self, spot: &Spot, prefix: &str) -> bool {
        preceded_by(&self.plain.text, self.span(spot).start, prefix)
    }

    /// Does the text right after the spot start with `suffix`?
    fn suffix_matches(&self, spot: &Spot, suffix: &str) -> bool {
        followed_by(&self.plain.text, self.span(spot).end, suffix)
    }

    /// Where an existing item of the annotations file is anchored, as the
    /// build anchors it.
    fn anchor_item(
        &self,
        quote: &str,
        prefix: Option<&str>,
        suffix: Option<&str>,
        occurrence: Option<usize>,
    ) -> Option<Spot> {
        let found: Vec<Spot> = self
            .find(quote)
            .into_iter()
            .filter(|s| {
                prefix.is_none_or(|p| self.prefix_matches(s, p)) && suffix.is_none_or(|x| self.suffix_matches(s, x))
            })
            .collect();
        match (found.len(), occurrence) {
            (1, None | Some(1)) => found.into_iter().next(),
            (n, Some(k)) if k >= 1 && k <= n => found.into_iter().nth(k - 1),
            _ => None,
        }
    }

    /// Where an imported annotation's quote is: of the places it is
    /// found, the one its position names, else the one its prefix and
    /// suffix fit best (the first of equals).
    fn locate(&self, annotation: &Incoming) -> Option<Spot> {
        let found = self.find(&annotation.exact);
        if found.len() <= 1 {
            return found.into_iter().next();
        }
        if let Some((start, _)) = annotation.position {
            let at = |s: &Spot| self.plain.char_offset(s.0, s.1.start);
            if let Some(spot) = found.iter().find(|s| at(s) == start) {
                return Some(spot.clone());
            }
        }
        let score = |spot: &Spot| {
            let span = self.span(spot);
            let text = &self.plain.text;
            let before = annotation.prefix.as_deref().map_or(0, |p| {
                let from = floor(text, span.start.saturating_sub(p.len() * 4 + 64));
                common_suffix(&squash(&text[from..span.start]), &squash(p))
            });
            let after = annotation.suffix.as_deref().map_or(0, |s| {
                let to = ceil(text, (span.end + s.len() * 4 + 64).min(text.len()));
                common_prefix(&squash(&text[span.end..to]), &squash(s))
            });
            before + after
        };
        let best = found.iter().map(score).max().unwrap_or(0);
        found.into_iter().find(|s| score(s) == best)
    }

    /// The least that anchors `spot` where the build will find it: the
    /// quote alone when it is found once, else with the fewest words of
    /// prefix or suffix that tell it apart, else its `occurrence`.
    fn anchor(&self, spot: &Spot) -> Anchor {
        let (block, range) = spot;
        let text = self.plain.block(*block);
        let quote = text[range.clone()].to_string();
        let found = self.find(&quote);
        let mut anchor = Anchor { quote, prefix: None, suffix: None, occurrence: None };
        if found.len() <= 1 {
            return anchor;
        }
        let before: Vec<&str> = text[..range.start].split_whitespace().collect();
        let after: Vec<&str> = text[range.end..].split_whitespace().collect();
        for words in 1..=before.len().max(after.len()).min(8) {
            if words <= before.len() {
                let prefix = before[before.len() - words..].join(" ");
                let left: Vec<&Spot> = found.iter().filter(|s| self.prefix_matches(s, &prefix)).collect();
                if left.len() == 1 && left[0] == spot {
                    anchor.prefix = Some(prefix);
                    return anchor;
                }
            }
            if words <= after.len() {
                let suffix = after[..words].join(" ");
                let left: Vec<&Spot> = found.iter().filter(|s| self.suffix_matches(s, &suffix)).collect();
                if left.len() == 1 && left[0] == spot {
                    anchor.suffix = Some(suffix);
                    return anchor;
                }
            }
        }
        anchor.occurrence = found.iter().position(|s| s == spot).map(|i| i + 1);
        anchor
    }
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// How an item of the annotations file names its place.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    quote: String,
    prefix: Option<String>,
    suffix: Option<String>,
    occurrence: Option<usize>,
}

/// An item to write.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Mention(Anchor, Vec<String>),
    Note(Anchor, String),
    /// A repair of the quoted text, with its note and the entities the
    /// words mention.
    Correction {
        anchor: Anchor,
        should_read: String,
        note: Option<String>,
        entities: Vec<String>,
    },
}

/// Where a link body leads.
enum Link {
    Entity(EntityId),
    /// An authority no entity names: its normalised form, the address as
    /// given, and the kind its form implies (GeoNames: a place).
    Unknown(Authority, String),
}

/// The site's entities by their authority links and their pages.
struct Entities<'r> {
    registry: &'r Registry,
    by_link: HashMap<Authority, EntityId>,
}

impl<'r> Entities<'r> {
    fn new(registry: &'r Registry) -> Self {
        let mut by_link = HashMap::new();
        for (id, entity) in registry.entities.iter_enumerated() {
            for link in &entity.same_as {
                if let Some(key) = authority(link) {
                    by_link.entry(key).or_insert(id);
                }
            }
        }
        Entities { registry, by_link }
    }

    /// What a link body's addresses lead to: an entity of the site (by an
    /// authority link or its page), an authority no entity has, or nothing
    /// gloss knows.
    fn link(&self, addresses: &[String]) -> Option<Link> {
        for address in addresses {
            if let Some(entity) = self.page(address) {
                return Some(Link::Entity(entity));
            }
            if let Some(entity) = authority(address).and_then(|key| self.by_link.get(&key)) {
                return Some(Link::Entity(*entity));
            }
        }
        addresses.iter().find_map(|address| match authority(address)? {
            Authority::Other(_) => None,
            key => Some(Link::Unknown(key, address.trim().to_string())),
        })
    }

    /// The entity whose page `address` is: `…/<folder>/<id>.html`.
    fn page(&self, address: &str) -> Option<EntityId> {
        let path = address.split(['#', '?']).next()?;
        let mut segments = path.rsplit('/');
        let id = segments.next()?.strip_suffix(".html")?;
        let folder = segments.next()?;
        let entity = self.registry.lookup(id)?;
        let e = &self.registry.entities[entity];
        (self.registry.config.kinds[e.kind].folder == folder).then_some(entity)
    }
}

/// A note's Markdown as the site writes it: links to entity pages (as an
/// exported note's HTML has them) as glossary links,
/// `[the leader](@kim-jong-il)`, and citations by the page's numbering
/// (`[@source-2]`) by the ids of the article's `sources`.
fn relink(markdown: &str, entities: &Entities, sources: &[crate::model::Source]) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        out.push_str(&rest[..at + 2]);
        match entities.page(&after[..end]) {
            Some(entity) => {
                out.push('@');
                out.push_str(&entities.registry.entities[entity].id);
            }
            None => out.push_str(&after[..end]),
        }
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let source = |token: &str| {
        let n: usize = token.strip_prefix("@source-")?.parse().ok()?;
        sources.get(n.checked_sub(1)?).map(|s| format!("@{}", s.id))
    };
    let mut cited = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("[@") {
        let Some(end) = rest[at..].find(']').map(|e| at + e) else { break };
        cited.push_str(&rest[..at + 1]);
        let tokens: Vec<String> =
            rest[at + 1..end].split(';').map(|t| source(t.trim()).unwrap_or_else(|| t.trim().to_string())).collect();
        cited.push_str(&tokens.join("; "));
        cited.push(']');
        rest = &rest[end + 1..];
    }
    cited.push_str(rest);
    cited
}

/// The kind a word names (`place`, `Places`, `person`), if any.
fn kind_named(kinds: &typed_index_collections::TiSlice<KindId, Kind>, word: &str) -> Option<KindId> {
    let word = word.trim().to_lowercase();
    let word = match word.as_str() {
        "organization" => "organisation".to_string(),
        "organizations" => "organisations".to_string(),
        _ => word,
    };
    kinds
        .iter_enumerated()
        .find(|(_, k)| [&k.id, &k.folder, &k.title, &k.singular].iter().any(|n| n.to_lowercase() == word))
        .map(|(id, _)| id)
}

/// The kind for places: `place`, else the first kind with coordinates.
fn place_kind(kinds: &typed_index_collections::TiSlice<KindId, Kind>) -> Option<KindId> {
    kind_named(kinds, "place").or_else(|| {
        kinds.iter_enumerated().find(|(_, k)| k.facts.iter().any(|f| f.ty == FactType::Coordinates)).map(|(id, _)| id)
    })
}

/// The name a new entity gets from a quote: without a possessive `’s`.
fn name_from_quote(quote: &str) -> String {
    let name = squash(quote);
    let name = ["’s", "'s", "’", "'"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(&name);
    name.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ')' | '.')).to_string()
}

/// How an authority link is written in a new entity's `same_as`: the
/// address readers open.
fn same_as_link(key: &Authority, given: &str) -> String {
    match key {
        Authority::Wikidata(id) => format!("https://www.wikidata.org/wiki/{id}"),
        Authority::GeoNames(id) => format!("https://www.geonames.org/{id}/"),
        _ => given.to_string(),
    }
}

/// Imports the annotations of `options.file` into the article's
/// annotations file. Fails, writing nothing, when the export or the site's
/// annotations do not parse, or the article does not exist.
pub fn import_annotations(options: &ImportOptions) -> Result<ImportReport, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let export_text = fs::read_to_string(&options.file)
        .map_err(|e| one(Diagnostic::error(Code::Io, format!("cannot read {}: {e}", options.file.display()))))?;
    let export = read_export(&options.file, &export_text).map_err(one)?;
    let site = crate::annotate_site(&options.root)?;
    let registry = &site.registry;
    let Some((a, doc)) = registry.articles.iter_enumerated().find(|(_, d)| d.slug == options.article) else {
        let slugs = registry.articles.iter().map(|a| a.slug.as_str());
        let hint = match crate::diagnostic::did_you_mean(&options.article, slugs) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "give the article's file name without .md".to_string(),
        };
        return Err(one(Diagnostic::error(Code::UnknownEntity, format!("there is no article `{}`", options.article))
            .with_hint(hint)));
    };
    let relative = crate::standoff::file_of(&doc.path);
    let path = options.root.join(&relative);
    let existing = match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(one(Diagnostic::error(Code::Io, format!("cannot read {}: {e}", path.display())))),
    };
    // The article and its annotations must parse: nothing is written
    // into a file gloss cannot read back.
    let broken: Vec<Diagnostic> = site
        .diagnostics
        .0
        .iter()
        .filter(|d| d.is_error() && d.location.as_ref().is_some_and(|l| l.path == relative || l.path == doc.path))
        .filter(|d| d.code != Code::AnnotationAnchor && d.code != Code::UnknownEntity && d.code != Code::AmbiguousAlias)
        .cloned()
        .collect();
    if !broken.is_empty() {
        return Err(Diagnostics(broken));
    }
    if let Some(text) = &existing {
        crate::standoff::parse_file(&relative, text).map_err(Diagnostics)?;
    }
    let default_kind = match &options.kind {
        Some(kind) => Some(kind_named(&registry.config.kinds, kind).ok_or_else(|| {
            let known: Vec<&str> = registry.config.kinds.iter().map(|k| k.id.as_str()).collect();
            one(Diagnostic::error(Code::UnknownField, format!("there is no kind `{kind}`"))
                .with_hint(format!("the kinds of this site are: {}", known.join(", "))))
        })?),
        None => kind_named(&registry.config.kinds, "person"),
    }
    .or_else(|| registry.config.kinds.keys().next());

    let annotated = &site.articles[a];
    let text = Text { plain: PlainText::new(&annotated.blocks) };
    let entities = Entities::new(registry);
    let mut present = Present::new(&entities, doc, annotated, &text);
    let mut report = ImportReport {
        read: export.annotations.len() + export.skipped.len(),
        file: relative.clone(),
        skipped: export.skipped.clone(),
        ..ImportReport::default()
    };
    let mut items: Vec<(Spot, Item)> = Vec::new();
    // New entities, each made once: by authority link, their id.
    let mut created: HashMap<Authority, String> = HashMap::new();
    let mut taken: HashSet<String> = registry.entities.iter().map(|e| e.id.clone()).collect();
    for annotation in &export.annotations {
        let Some(spot) = text.locate(annotation) else {
            report.not_found.push(NotFound { id: annotation.id.clone(), quote: annotation.exact.clone() });
            continue;
        };
        let anchor = text.anchor(&spot);
        let mut ids: Vec<String> = Vec::new();
        let hinted = annotation.tags.iter().find_map(|t| kind_named(&registry.config.kinds, t));
        for addresses in &annotation.links {
            let id = match entities.link(addresses) {
                Some(Link::Entity(e)) => registry.entities[e].id.clone(),
                Some(Link::Unknown(key, given)) => {
                    // The text there already names one entity: more likely
                    // a link its file lacks than a new entity.
                    if let Some(e) = present.single_mention(&spot) {
                        let entity = &registry.entities[e];
                        report.suggestions.push(format!(
                            "{}: the text there mentions {} ({}); if it is the same, add {} to its same_as",
                            annotation.id.as_deref().unwrap_or("an annotation"),
                            entity.name.value,
                            entity.path.display(),
                            same_as_link(&key, &given)
                        ));
                        entity.id.clone()
                    } else if let Some(id) = created.get(&key) {
                        id.clone()
                    } else {
                        let kind = match key {
                            Authority::GeoNames(_) => hinted.or_else(|| place_kind(&registry.config.kinds)),
                            _ => hinted.or(default_kind),
                        };
                        let Some(kind) = kind else { continue };
                        let name = name_from_quote(&annotation.exact);
                        let made = create_entity(
                            &options.root,
                            &registry.config.kinds[kind],
                            &name,
                            &mut taken,
                            &same_as_link(&key, &given),
                        )
                        .map_err(one)?;
                        report.created.push(made.1);
                        created.insert(key, made.0.clone());
                        made.0
                    }
                }
                None => continue,
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut comments = annotation.comments.iter().map(|c| relink(c, &entities, &doc.sources));
        if let Some(should_read) = annotation.edits.first() {
            let item = Item::Correction {
                anchor: anchor.clone(),
                should_read: should_read.clone(),
                note: comments.next(),
                entities: ids,
            };
            keep(&mut present, &mut items, &spot, item, &mut report, annotation.id.as_ref());
        } else if !ids.is_empty() {
            keep(
                &mut present,
                &mut items,
                &spot,
                Item::Mention(anchor.clone(), ids),
                &mut report,
                annotation.id.as_ref(),
            );
        }
        for comment in comments {
            let item = Item::Note(anchor.clone(), comment);
            keep(&mut present, &mut items, &spot, item, &mut report, annotation.id.as_ref());
        }
        if annotation.links.is_empty() && annotation.comments.is_empty() && annotation.edits.is_empty() {
            report.skipped.push(Skipped {
                id: annotation.id.clone(),
                reason:
                    "it neither links an entity, comments nor repairs the text (tags alone say nothing gloss keeps)"
                        .into(),
            });
        }
    }
    if !items.is_empty() {
        let items: Vec<Item> = items.into_iter().map(|(_, item)| item).collect();
        let updated = append_items(existing.as_deref(), &items);
        fs::write(&path, updated)
            .map_err(|e| one(Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display()))))?;
    }
    Ok(report)
}

/// Adds `item` at `spot` to what is written, unless the article or the
/// import already has it. A mention and a correction of the same words
/// are one item (two would overlap, which the build refuses): the
/// correction, mentioning the entities.
fn keep(
    present: &mut Present,
    items: &mut Vec<(Spot, Item)>,
    spot: &Spot,
    item: Item,
    report: &mut ImportReport,
    id: Option<&String>,
) {
    if present.has(spot, &item) || items.iter().any(|(s, i)| s == spot && *i == item) {
        report.present += 1;
        return;
    }
    match item {
        Item::Mention(anchor, ids) => {
            if present.corrections.iter().any(|(s, _)| s == spot) {
                report.skipped.push(Skipped {
                    id: id.cloned(),
                    reason: format!(
                        "the text has a correction of `{}`: add `entity: {}` to it",
                        anchor.quote,
                        ids.join(", ")
                    ),
                });
                return;
            }
            let folded = items.iter_mut().find_map(|(s, i)| match i {
                Item::Correction { entities, .. } if s == spot && entities.is_empty() => Some(entities),
                _ => None,
            });
            match folded {
                Some(entities) => entities.clone_from(&ids),
                None => items.push((spot.clone(), Item::Mention(anchor, ids.clone()))),
            }
            present.mentions.push((spot.clone(), ids));
            report.mentions += 1;
        }
        Item::Note(anchor, note) => {
            present.notes.push((spot.clone(), squash(&note)));
            items.push((spot.clone(), Item::Note(anchor, note)));
            report.notes += 1;
        }
        Item::Correction { anchor, should_read, note, mut entities } => {
            // A mention of the same words already taken: it goes into the
            // correction.
            if let Some(at) =
                items.iter().position(|(s, i)| s == spot && matches!(i, Item::Mention(..)) && entities.is_empty())
            {
                if let (_, Item::Mention(_, ids)) = items.remove(at) {
                    entities = ids;
                }
            }
            present.corrections.push((spot.clone(), should_read.clone()));
            if let Some(note) = &note {
                present.notes.push((spot.clone(), squash(note)));
            }
            items.push((spot.clone(), Item::Correction { anchor, should_read, note, entities }));
            report.corrections += 1;
        }
    }
}

/// What the article already has, by place: mentions (found by names, by
/// links or by the annotations file) and notes.
struct Present {
    /// Each mention's place, and its entities' ids.
    mentions: Vec<(Spot, Vec<String>)>,
    /// Each note's place, and its text squashed.
    notes: Vec<(Spot, String)>,
    /// Each correction's place, and what it should read.
    corrections: Vec<(Spot, String)>,
    /// How many entities each mention has, for [`Present::single_mention`].
    single: Vec<(Spot, EntityId)>,
}

impl Present {
    fn new(entities: &Entities, doc: &ArticleDoc, annotated: &AnnotatedArticle, text: &Text) -> Present {
        let registry = entities.registry;
        let mut present =
            Present { mentions: Vec::new(), notes: Vec::new(), corrections: Vec::new(), single: Vec::new() };
        for mention in &annotated.mentions {
            let ids = mention.entities.iter().map(|&e| registry.entities[e].id.clone()).collect();
            let spot = (mention.block, mention.range.clone());
            if let [only] = mention.entities[..] {
                present.single.push((spot.clone(), only));
            }
            present.mentions.push((spot, ids));
        }
        for anchor in &annotated.note_anchors {
            let Some(range) = note_range(&annotated.blocks[anchor.block], anchor.range.clone()) else { continue };
            let note = relink(&html_to_markdown(&annotated.footnotes[anchor.note].html), entities, &doc.sources);
            present.notes.push(((anchor.block, range), squash(&note)));
        }
        for correction in &annotated.corrections {
            present.corrections.push(((correction.block, correction.range.clone()), correction.should_read.clone()));
        }
        for item in &doc.annotations {
            let Some(spot) =
                text.anchor_item(&item.quote, item.prefix.as_deref(), item.suffix.as_deref(), item.occurrence)
            else {
                continue;
            };
            match &item.body {
                AnnotationBody::Mention(ids) => {
                    present.mentions.push((spot, ids.iter().map(|id| id.value.clone()).collect()));
                }
                AnnotationBody::Note(note) => present.notes.push((spot, squash(note))),
                AnnotationBody::Correction { note, entities, should_read } => {
                    present.corrections.push((spot.clone(), should_read.clone()));
                    if !entities.is_empty() {
                        present.mentions.push((spot.clone(), entities.iter().map(|id| id.value.clone()).collect()));
                    }
                    if let Some(note) = note {
                        present.notes.push((spot, squash(note)));
                    }
                }
            }
        }
        present
    }

    fn has(&self, spot: &Spot, item: &Item) -> bool {
        let has_note = |note: &str| {
            let note = squash(note);
            self.notes.iter().any(|(s, have)| s.0 == spot.0 && s.1.end == spot.1.end && *have == note)
        };
        match item {
            Item::Mention(_, ids) => self.mentions.iter().any(|(s, have)| s == spot && same_set(have, ids)),
            Item::Note(_, note) => has_note(note),
            Item::Correction { should_read, .. } => {
                self.corrections.iter().any(|(s, have)| s == spot && have == should_read)
            }
        }
    }

    /// The one entity the text mentions exactly at `spot`, if it mentions one.
    fn single_mention(&self, spot: &Spot) -> Option<EntityId> {
        self.single.iter().find(|(s, _)| s == spot).map(|(_, e)| *e)
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// Creates an entity file for `name` of `kind`, as `gloss new` does, with
/// `same_as` set; an id already taken gets `-2`, `-3`, … Returns its id and
/// path from the root.
fn create_entity(
    root: &Path,
    kind: &Kind,
    name: &str,
    taken: &mut HashSet<String>,
    same_as: &str,
) -> Result<(String, PathBuf), Diagnostic> {
    let base = match crate::model::slugify(name) {
        slug if slug.is_empty() => kind.id.clone(),
        slug => slug,
    };
    let folder = root.join("content").join(&kind.folder);
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) || folder.join(format!("{id}.md")).exists() {
        n += 1;
        id = format!("{base}-{n}");
    }
    let relative = crate::scaffold::new_entity(root, &kind.id, name, Some(&id))?;
    let path = root.join(&relative);
    let text = fs::read_to_string(&path)
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot read {}: {e}", path.display())))?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if let Some(line) = lines.iter_mut().find(|l| l.starts_with("same_as:")) {
        *line = format!("same_as:\n  - {}", yaml_scalar(same_as));
    }
    let mut updated = lines.join("\n");
    updated.push('\n');
    fs::write(&path, updated)
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot write {}: {e}", path.display())))?;
    taken.insert(id.clone());
    Ok((id, relative))
}

/// The annotations file with `items` added at its end; its own text kept
/// as it is. A file that holds no item yet (empty, comments, `[]`) keeps
/// its comments only.
fn append_items(existing: Option<&str>, items: &[Item]) -> String {
    let mut out = String::new();
    if let Some(text) = existing {
        let has_items = text.lines().any(|l| {
            let l = l.trim_start();
            !l.is_empty() && !l.starts_with('#') && l != "[]" && l != "---"
        });
        if has_items {
            out.push_str(text);
        } else {
            for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
                out.push_str(line);
                out.push('\n');
            }
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    }
    for item in items {
        let (key, anchor) = match item {
            Item::Mention(anchor, _) | Item::Note(anchor, _) => ("quote", anchor),
            Item::Correction { anchor, .. } => ("reads", anchor),
        };
        let _ = writeln!(out, "- {key}: {}", yaml_scalar(&anchor.quote));
        if let Some(prefix) = &anchor.prefix {
            let _ = writeln!(out, "  prefix: {}", yaml_scalar(prefix));
        }
        if let Some(suffix) = &anchor.suffix {
            let _ = writeln!(out, "  suffix: {}", yaml_scalar(suffix));
        }
        if let Some(occurrence) = anchor.occurrence {
            let _ = writeln!(out, "  occurrence: {occurrence}");
        }
        let entity = |out: &mut String, ids: &[String]| {
            let value = match ids {
                [] => return,
                [one] => yaml_scalar(one),
                many => format!("[{}]", many.iter().map(|id| yaml_scalar(id)).collect::<Vec<_>>().join(", ")),
            };
            let _ = writeln!(out, "  entity: {value}");
        };
        match item {
            Item::Mention(_, ids) => entity(&mut out, ids),
            Item::Note(_, note) => {
                let _ = writeln!(out, "  note: {}", yaml_scalar(note));
            }
            Item::Correction { should_read, note, entities, .. } => {
                let _ = writeln!(out, "  should_read: {}", yaml_scalar(should_read));
                entity(&mut out, entities);
                if let Some(note) = note {
                    let _ = writeln!(out, "  note: {}", yaml_scalar(note));
                }
            }
        }
    }
    out
}

/// A YAML scalar for `s`: plain where YAML reads it back as the same
/// string, double-quoted otherwise.
fn yaml_scalar(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(&lower.as_str());
    let plain = !s.is_empty()
        && !reserved
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_ascii_digit() || c == '.' || c == '+')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'));
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(blocks: &[&str]) -> Text {
        let blocks: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
        Text { plain: PlainText::new(&blocks) }
    }

    #[test]
    fn exports_of_every_shape_are_read() {
        let one = r#"{"type": "Annotation", "target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "Kim"}}, "body": "http://www.wikidata.org/entity/Q10665"}"#;
        let export = read_export(Path::new("a.jsonld"), one).unwrap();
        assert_eq!(export.annotations.len(), 1);
        assert_eq!(export.annotations[0].links, [vec!["http://www.wikidata.org/entity/Q10665".to_string()]]);
        let collection = format!(
            r#"{{"type": "AnnotationCollection", "first": {{"type": "AnnotationPage", "items": [{one}, {one}]}}}}"#
        );
        assert_eq!(read_export(Path::new("a.jsonld"), &collection).unwrap().annotations.len(), 2);
        let page = format!(r#"{{"type": "AnnotationPage", "items": [{one}]}}"#);
        assert_eq!(read_export(Path::new("a.jsonld"), &page).unwrap().annotations.len(), 1);
        let list = format!("[{one}, {one}, {one}]");
        assert_eq!(read_export(Path::new("a.jsonld"), &list).unwrap().annotations.len(), 3);
    }

    #[test]
    fn a_broken_export_is_an_error_at_its_line_and_column() {
        let error = read_export(Path::new("a.jsonld"), "[\n  {\"type\": \"Annotation\",\n  }\n]").unwrap_err();
        let location = error.location.unwrap();
        assert_eq!((location.line, location.column), (3, 3));
        let error = read_export(Path::new("a.jsonld"), r#"{"type": "AnnotationCollection", "first": "page1.json"}"#)
            .unwrap_err();
        assert!(error.message.contains("fetches nothing"), "{}", error.message);
    }

    #[test]
    fn annotations_without_a_quote_are_left_out_with_why() {
        let json = r#"[{"id": "a1", "type": "Annotation", "target": {"source": "x", "selector": {"type": "FragmentSelector", "value": "t=1"}}}]"#;
        let export = read_export(Path::new("a.jsonld"), json).unwrap();
        assert!(export.annotations.is_empty());
        assert_eq!(export.skipped[0].id.as_deref(), Some("a1"));
    }

    #[test]
    fn bodies_are_sorted_into_links_tags_and_comments() {
        let json = r#"{"type": "Annotation", "target": [{"source": "x", "selector": [
            {"type": "TextPositionSelector", "start": 3, "end": 6},
            {"type": "TextQuoteSelector", "exact": "Kim", "prefix": "by ", "suffix": "’s"}]}],
          "body": [
            {"type": "SpecificResource", "purpose": "identifying", "value": "http://sws.geonames.org/2013348/"},
            {"type": "TextualBody", "purpose": "tagging", "value": "place"},
            {"type": "TextualBody", "value": "A *comment*.", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "commenting", "format": "text/html", "value": "<p>Read <em>this</em> &amp; <a href=\"https://x.org/\">that</a>.</p>"},
            {"type": "TextualBody", "purpose": "identifying", "value": "Vladivostok", "id": "https://www.wikidata.org/wiki/Q959"}]}"#;
        let export = read_export(Path::new("a.jsonld"), json).unwrap();
        let a = &export.annotations[0];
        assert_eq!(a.position, Some((3, 6)));
        assert_eq!((a.prefix.as_deref(), a.suffix.as_deref()), (Some("by "), Some("’s")));
        assert_eq!(
            a.links,
            [
                vec!["http://sws.geonames.org/2013348/".to_string()],
                vec!["https://www.wikidata.org/wiki/Q959".to_string()]
            ]
        );
        assert_eq!(a.tags, ["place"]);
        assert_eq!(a.comments, ["A *comment*.", "Read *this* & [that](https://x.org/)."]);
    }

    #[test]
    fn citation_marks_become_citations_by_number() {
        let html = "<p>Hung there <sup class=\"source-ref\"><a href=\"strike.html#source-1\" aria-label=\"Source 1\">[1]</a><a href=\"#source-3\">[3]</a></sup>.</p>";
        assert_eq!(html_to_markdown(html), "Hung there [@source-1; @source-3].");
    }

    #[test]
    fn html_notes_become_markdown() {
        assert_eq!(html_to_markdown("<p>One *star*</p>\n<p>Two<br>lines</p>"), "One \\*star\\*\n\nTwo\nlines");
        assert_eq!(html_to_markdown("<strong>x</strong> &#8220;q&#x201D; &lt;"), "**x** “q” <");
    }

    #[test]
    fn anchors_are_as_short_as_tell_them_apart() {
        let t = text(&["Title", "Kim met Putin. Then Kim left.", "Kim again"]);
        let spots = t.find("Kim");
        assert_eq!(spots.len(), 3);
        let second = t.anchor(&spots[1]);
        assert_eq!((second.prefix.as_deref(), second.suffix.as_deref(), second.occurrence), (Some("Then"), None, None));
        let first = t.anchor(&spots[0]);
        assert_eq!((first.prefix.as_deref(), first.suffix.as_deref()), (None, Some("met")));
        let third = t.anchor(&spots[2]);
        assert_eq!((third.prefix.as_deref(), third.suffix.as_deref()), (None, Some("again")));
        let only = t.anchor(&t.find("Putin")[0]);
        assert_eq!(only, Anchor { quote: "Putin".into(), prefix: None, suffix: None, occurrence: None });
        // Each anchor finds its spot again as the build does.
        for (spot, anchor) in spots.iter().zip([first, second, third]) {
            let found =
                t.anchor_item(&anchor.quote, anchor.prefix.as_deref(), anchor.suffix.as_deref(), anchor.occurrence);
            assert_eq!(found.as_ref(), Some(spot));
        }
        let same = text(&["Kim Kim Kim"]);
        let spots = same.find("Kim");
        let anchor = same.anchor(&spots[1]);
        assert_eq!(
            same.anchor_item(&anchor.quote, anchor.prefix.as_deref(), anchor.suffix.as_deref(), anchor.occurrence)
                .as_ref(),
            Some(&spots[1])
        );
    }

    #[test]
    fn quotes_are_located_by_position_then_by_context() {
        let t = text(&["Kim and Kim"]);
        let mut a = Incoming {
            id: None,
            exact: "Kim".into(),
            prefix: None,
            suffix: None,
            position: Some((8, 11)),
            links: vec![],
            tags: vec![],
            comments: vec![],
            edits: vec![],
        };
        assert_eq!(t.locate(&a), Some((0, 8..11)));
        a.position = None;
        a.prefix = Some("and ".into());
        assert_eq!(t.locate(&a), Some((0, 8..11)));
        a.prefix = None;
        a.suffix = Some(" and".into());
        assert_eq!(t.locate(&a), Some((0, 0..3)));
        a.exact = "Putin".into();
        assert_eq!(t.locate(&a), None);
    }

    #[test]
    fn yaml_scalars_read_back_as_written() {
        assert_eq!(yaml_scalar("the Dear Leader"), "the Dear Leader");
        assert_eq!(yaml_scalar("“solution"), "“solution");
        assert_eq!(yaml_scalar("2002"), "\"2002\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("two\nlines \"q\""), "\"two\\nlines \\\"q\\\"\"");
        assert_eq!(yaml_scalar("- x"), "\"- x\"");
    }

    #[test]
    fn names_come_from_quotes_without_possessives() {
        assert_eq!(name_from_quote("Kim’s"), "Kim");
        assert_eq!(name_from_quote("Vladivostok,"), "Vladivostok");
        assert_eq!(name_from_quote("Lech\n Wałęsa"), "Lech Wałęsa");
    }

    #[test]
    fn items_are_appended_and_an_empty_file_keeps_its_comments() {
        let anchor = Anchor { quote: "Kim".into(), prefix: Some("Then".into()), suffix: None, occurrence: None };
        let items =
            [Item::Mention(anchor.clone(), vec!["kim-jong-il".into()]), Item::Note(anchor, "A note: here.".into())];
        let text = append_items(Some("# Notes\n[]\n"), &items);
        assert_eq!(text, "# Notes\n- quote: Kim\n  prefix: Then\n  entity: kim-jong-il\n- quote: Kim\n  prefix: Then\n  note: \"A note: here.\"\n");
        let more = append_items(Some("- quote: X\n  entity: x"), &items[..1]);
        assert!(more.starts_with("- quote: X\n  entity: x\n- quote: Kim\n"), "{more}");
    }
}
