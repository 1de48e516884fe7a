//! Annotation: an article's Markdown to HTML, with every mention marked.
//!
//! An adapter over pulldown-cmark's event stream. Runs of text are scanned
//! with the alias matcher; `[text](@id)` links become explicit mentions,
//! `[text](@)` marks text that is never a mention. Code, links, images, raw
//! HTML and editorial text (footnotes, the introduction) are never scanned.
//! Every mention gets an anchor (`m-<entity>-<n>`) and a record with its
//! sentence, so glossary pages can quote it and link back to the spot.
//!
//! A run of text is scanned whole, soft line breaks included, so a name
//! wrapped over two lines is one mention. An alias that several entities
//! share goes to the one of them named unambiguously (or linked explicitly)
//! most recently before it in the article, as a reader would take it; with
//! no such antecedent it is an error. Every decision is recorded
//! ([`How`]), and so is every possible mention left unlinked
//! ([`Unlinked`]), for `gloss mentions` to show.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::context::{Quote, Sentences};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::matcher::Found;
use crate::model::{ArticleDoc, Spanned};
use crate::resolve::Registry;

/// One mention of one or more entities in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The entities referred to (several for `[the two Koreas](@a,b)`).
    pub entities: Vec<usize>,
    /// Which mention of its first entity it is, from 1: with that entity's
    /// id, it makes the fragment id ([`Mention::anchor`]).
    pub number: u32,
    /// Index of the paragraph (or heading, list item, cell) it is in.
    pub block: usize,
    /// Where it is in its block's text ([`AnnotatedArticle::blocks`]).
    pub range: Range<usize>,
    /// The part of its sentence quoted with it.
    pub quote: Quote,
    /// Where it is in the article, from 0 (start) to 1 (end).
    pub position: f64,
    /// How it was decided.
    pub how: How,
    /// Byte offset of its text in the article's file.
    pub source: usize,
}

/// How a mention was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The entity's name, found in the text.
    Name,
    /// One of the entity's aliases, claimed by no other entity.
    Alias,
    /// Written as `[text](@id)`.
    Explicit,
    /// An alias several entities share, settled by the last of them named
    /// before it: the mention of that index in the article.
    Antecedent { mention: u32 },
}

impl How {
    /// The decision in a word, as `gloss mentions` prints it.
    pub fn label(self) -> &'static str {
        match self {
            How::Name => "name",
            How::Alias => "alias",
            How::Explicit => "explicit",
            How::Antecedent { .. } => "antecedent",
        }
    }
}

/// A possible mention left unlinked: text an editor should look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlinked {
    /// Byte range in the article's file.
    pub source: Range<usize>,
    pub text: String,
    /// The entities it may mean.
    pub candidates: Vec<usize>,
    pub reason: Reason,
}

/// Why text was left unlinked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// It equals a name or alias except for case.
    CaseDiffers,
    /// It is a person's first name, standing alone.
    FirstName,
    /// An alias several entities share, with none of them named before it.
    Ambiguous,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::CaseDiffers => "case differs",
            Reason::FirstName => "first name",
            Reason::Ambiguous => "ambiguous",
        }
    }
}

/// How many blocks (paragraphs, headings, items) back an antecedent may be
/// before the choice it settles is worth a second look: a reader who meets
/// "Clinton" four paragraphs after "Hillary Clinton" may no longer know
/// which Clinton is meant.
pub const ANTECEDENT_REACH: usize = 3;

impl Mention {
    /// Written as `[text](@id)` rather than found by alias.
    pub fn explicit(&self) -> bool {
        self.how == How::Explicit
    }

    /// Fragment id of the mention on the article page: `m-<entity>-<n>`.
    /// Made when needed rather than stored: an archive has millions of
    /// mentions.
    pub fn anchor(&self, registry: &Registry) -> String {
        anchor(&registry.entities[self.entities[0]].id, self.number)
    }
}

fn anchor(entity_id: &str, number: u32) -> String {
    format!("m-{entity_id}-{number}")
}

/// An editorial footnote, numbered in order of first reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub id: String,
    pub number: usize,
    pub html: String,
    /// Whether the text refers to it (an unreferenced note has no way back).
    pub referenced: bool,
}

impl Footnote {
    /// Can the note be set beside the text, inside a line? Not with block
    /// content such as lists or quotes.
    pub fn fits_inline(&self) -> bool {
        let blocks = ["<ul", "<ol", "<pre", "<blockquote", "<table", "<h1", "<h2", "<h3", "<div", "<hr"];
        !blocks.iter().any(|b| self.html.contains(b))
    }

    /// Is it also set beside the text? Only a referenced note that fits.
    pub fn is_sidenote(&self) -> bool {
        self.referenced && self.fits_inline()
    }
}

impl AnnotatedArticle {
    /// A mention's text, as printed.
    pub fn mention_text(&self, mention: &Mention) -> &str {
        &self.blocks[mention.block][mention.range.clone()]
    }
}

/// An article after annotation.
#[derive(Debug, Clone)]
pub struct AnnotatedArticle {
    pub title_html: String,
    pub body_html: String,
    pub intro_html: Option<String>,
    pub notes_html: Vec<String>,
    pub footnotes: Vec<Footnote>,
    pub mentions: Vec<Mention>,
    /// Plain text of every block (paragraph, heading, item, cell), title
    /// first; [`Mention::block`] indexes it.
    pub blocks: Vec<String>,
    /// Patterns of the alias matcher that matched at least once.
    pub matched_patterns: Vec<usize>,
    /// Possible mentions left unlinked, in text order.
    pub unlinked: Vec<Unlinked>,
    /// The annotated subtitle, when the article has one.
    pub subtitle_html: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Annotates one article. `href_prefix` leads from the article page to the
/// site root (`../`).
pub fn annotate_article(
    registry: &Registry,
    article: &ArticleDoc,
    file_text: &str,
    href_prefix: &str,
) -> AnnotatedArticle {
    let mut body = Annotator::new(registry, &article.path, file_text, href_prefix, Mode::Text);
    let title_html = strip_paragraph(&body.render_scalar(&article.title));
    let subtitle_html = article.subtitle.as_ref().map(|s| strip_paragraph(&body.render_scalar(s)));
    let body_html = body.render(article.body(file_text), article.body_offset);
    let footnotes = body.take_footnotes();
    let body_html = fill_sidenotes(&body_html, &footnotes);
    let mentions = body.finish_mentions();

    let mut editorial = Annotator::new(registry, &article.path, file_text, href_prefix, Mode::Editorial);
    let intro_html = article.intro.as_ref().map(|intro| editorial.render_scalar(intro));
    let notes_html = article.notes.iter().map(|note| editorial.render_scalar(note)).collect();

    body.unlinked.sort_by_key(|u| u.source.start);
    let mut diagnostics = body.diagnostics;
    diagnostics.extend(editorial.diagnostics);
    let mut matched_patterns: Vec<usize> = body.matched_patterns.into_iter().collect();
    matched_patterns.sort_unstable();
    AnnotatedArticle {
        title_html,
        body_html,
        intro_html,
        notes_html,
        footnotes,
        mentions,
        blocks: std::mem::take(&mut body.blocks),
        matched_patterns,
        unlinked: std::mem::take(&mut body.unlinked),
        subtitle_html,
        diagnostics,
    }
}

/// Renders an entity description: Markdown, with `[text](@id)` links as
/// plain glossary links (descriptions are not scanned for mentions).
pub fn render_description(
    registry: &Registry,
    path: &Path,
    file_text: &str,
    markdown: &str,
    offset: usize,
) -> (String, Vec<Diagnostic>) {
    let mut annotator = Annotator::new(registry, path, file_text, "../", Mode::Editorial);
    let html = annotator.render(markdown, offset);
    let footnotes = annotator.take_footnotes();
    let mut html = fill_sidenotes(&html, &footnotes);
    if !footnotes.is_empty() {
        html.push_str("<ol class=\"description-notes\">");
        for note in &footnotes {
            let back = if note.referenced {
                format!(" <a class=\"note-back\" href=\"#note-ref-{}\" aria-label=\"Back to the text\">↩</a>", note.id)
            } else {
                String::new()
            };
            let _ = write!(html, "<li id=\"note-{}\" value=\"{}\">{}{back}</li>", note.id, note.number, note.html);
        }
        html.push_str("</ol>");
    }
    (html, annotator.diagnostics)
}

/// Marks where a sidenote goes: `<!--gloss-sidenote:<id>-->`.
const SIDENOTE_MARK: &str = "<!--gloss-sidenote:";

/// Puts each footnote's text beside its first reference. The stylesheet
/// shows either these sidenotes (wide screens) or the numbered notes under
/// the text (narrow screens, print), never both. A note with block content
/// (lists, quotes) has no sidenote: it would not fit inside a line.
fn fill_sidenotes(html: &str, footnotes: &[Footnote]) -> String {
    if !html.contains(SIDENOTE_MARK) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + footnotes.iter().map(|f| f.html.len() + 80).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(SIDENOTE_MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + SIDENOTE_MARK.len()..];
        let end = after.find("-->").unwrap_or(after.len());
        let id = &after[..end];
        rest = after.get(end + 3..).unwrap_or("");
        let Some(note) = footnotes.iter().find(|f| f.id == id && f.fits_inline()) else { continue };
        let inline = note.html.trim().replace("</p>\n<p>", " ").replace("<p>", "").replace("</p>", "");
        let _ = write!(
            out,
            "<span class=\"sidenote\" role=\"note\"><span class=\"sidenote-number\">{}</span> {}</span>",
            note.number,
            inline.trim()
        );
    }
    out.push_str(rest);
    out
}

fn strip_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")).unwrap_or(trimmed).to_string()
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Article text: scanned for mentions.
    Text,
    /// Editorial text: `@` links become plain links, nothing is scanned.
    Editorial,
}

/// What an open link turned into, so its end can be closed the same way.
#[derive(Debug, Clone, Copy)]
enum OpenLink {
    /// An ordinary link, passed through.
    Plain,
    /// An explicit mention: index into `raw_mentions`.
    Mention(usize),
    /// An `@` link in editorial text: a plain glossary link.
    EntityLink,
    /// `[text](@)` or a link whose ids are all unknown: the text alone.
    Dropped,
}

/// A mention while annotating: offsets into its block's plain text.
#[derive(Debug)]
struct RawMention {
    entities: Vec<usize>,
    number: u32,
    block: usize,
    range: Range<usize>,
    how: How,
    source: usize,
}

/// A run of adjacent text events, merged so aliases are found across the
/// splits pulldown-cmark makes (at escapes, entities, brackets).
#[derive(Debug, Default)]
struct PendingText {
    text: String,
    /// (offset in `text`, offset in the file) of each merged piece.
    pieces: Vec<(usize, usize)>,
    /// Offset of `text` in its block's plain text.
    block_offset: usize,
    /// Offsets in `text` of hard line breaks, held there as `\n` and
    /// written out as `<br>` again.
    hard_breaks: Vec<usize>,
}

struct Annotator<'r> {
    registry: &'r Registry,
    path: &'r Path,
    file_text: &'r str,
    href_prefix: &'r str,
    mode: Mode,
    out: Vec<Event<'static>>,
    /// Nesting depth of things whose text is never scanned.
    no_scan: usize,
    links: Vec<OpenLink>,
    pending: PendingText,
    /// Plain text of every block, for sentence context.
    blocks: Vec<String>,
    open_blocks: Vec<usize>,
    raw_mentions: Vec<RawMention>,
    counters: HashMap<usize, u32>,
    /// Output saved while a footnote definition is captured.
    saved_out: Option<Vec<Event<'static>>>,
    /// Footnote definitions: name, rendered events, where in the file.
    footnote_defs: Vec<(String, Vec<Event<'static>>, usize)>,
    /// The fragment id of each footnote name, unique per page.
    note_ids: HashMap<String, String>,
    footnote_numbers: HashMap<String, usize>,
    /// References written so far per footnote id.
    counters_for_notes: HashMap<String, usize>,
    /// Notes referenced from the text (not only from other notes): the
    /// ones with a place for their back link to lead to.
    referenced_notes: HashSet<String>,
    matched_patterns: HashSet<usize>,
    /// Per entity, its last mention that names it unambiguously (by name,
    /// own alias or explicit link): the antecedent for a shared alias.
    last_named: rustc_hash::FxHashMap<usize, u32>,
    unlinked: Vec<Unlinked>,
    diagnostics: Vec<Diagnostic>,
}

impl<'r> Annotator<'r> {
    fn new(registry: &'r Registry, path: &'r Path, file_text: &'r str, href_prefix: &'r str, mode: Mode) -> Self {
        Annotator {
            registry,
            path,
            file_text,
            href_prefix,
            mode,
            out: Vec::new(),
            no_scan: usize::from(mode == Mode::Editorial),
            links: Vec::new(),
            pending: PendingText::default(),
            blocks: Vec::new(),
            open_blocks: Vec::new(),
            raw_mentions: Vec::new(),
            counters: HashMap::new(),
            saved_out: None,
            footnote_defs: Vec::new(),
            note_ids: HashMap::new(),
            footnote_numbers: HashMap::new(),
            counters_for_notes: HashMap::new(),
            referenced_notes: HashSet::new(),
            matched_patterns: Default::default(),
            last_named: Default::default(),
            unlinked: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Annotates `markdown` (found at byte `offset` of the file) to HTML.
    fn render(&mut self, markdown: &str, offset: usize) -> String {
        self.render_mapped(markdown, &[(0, offset)])
    }

    /// Annotates the Markdown of a YAML scalar (a title, an introduction),
    /// locating what it finds in the file through [`align`]: a scalar's
    /// value is its source without quotes, folds and indentation.
    fn render_scalar(&mut self, scalar: &Spanned<String>) -> String {
        let map = align(&scalar.value, self.file_text, scalar.span.clone());
        self.render_mapped(&scalar.value, &map)
    }

    /// Annotates `markdown`, whose offsets map to the file through `map`:
    /// `(offset in markdown, offset in file)` pairs, sorted, each the start
    /// of a stretch copied unchanged.
    fn render_mapped(&mut self, markdown: &str, map: &[(usize, usize)]) -> String {
        let in_file = |at: usize| {
            let (from, to) = map[map.partition_point(|&(m, _)| m <= at).saturating_sub(1)];
            to + at.saturating_sub(from)
        };
        for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
            // A text that spans several stretches of the map is passed on
            // in pieces, one a stretch, so each is located in the file on
            // its own (runs of text are joined again for matching).
            if let Event::Text(text) = &event {
                if map.len() > 1 && text.len() == range.len() {
                    let mut cut = range.start;
                    let inner = map.iter().map(|&(m, _)| m).filter(|&m| m > range.start && m < range.end);
                    for at in inner.chain(std::iter::once(range.end)) {
                        let piece = &text[cut - range.start..at - range.start];
                        self.event(Event::Text(CowStr::Borrowed(piece)), in_file(cut)..in_file(at));
                        cut = at;
                    }
                    continue;
                }
            }
            self.event(event, in_file(range.start)..in_file(range.end));
        }
        self.flush();
        let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut html_out, std::mem::take(&mut self.out).into_iter());
        html_out
    }

    fn event(&mut self, event: Event<'_>, source: Range<usize>) {
        // A line break inside scanned text is white space like any other:
        // the run goes on, so a wrapped name is matched whole. A soft break
        // is written as the newline it is in the source, a hard one as the
        // `<br>` it is.
        if matches!(event, Event::SoftBreak | Event::HardBreak) && self.no_scan == 0 && !self.pending.text.is_empty() {
            let block = self.current_block();
            if matches!(event, Event::HardBreak) {
                self.pending.hard_breaks.push(self.pending.text.len());
            }
            self.pending.pieces.push((self.pending.text.len(), source.start));
            self.pending.text.push('\n');
            self.blocks[block].push(' ');
            return;
        }
        if let Event::Text(text) = &event {
            let block = self.current_block();
            if self.no_scan == 0 {
                if self.pending.text.is_empty() {
                    self.pending.block_offset = self.blocks[block].len();
                }
                self.pending.pieces.push((self.pending.text.len(), source.start));
                self.pending.text.push_str(text);
            } else {
                self.out.push(Event::Text(owned(text)));
            }
            self.blocks[block].push_str(text);
            return;
        }
        self.flush();
        match event {
            Event::Start(tag) => self.start(tag, source),
            Event::End(tag) => self.end(tag),
            Event::Code(code) => {
                let block = self.current_block();
                self.blocks[block].push_str(&code);
                self.out.push(Event::Code(owned(&code)));
            }
            Event::SoftBreak | Event::HardBreak => {
                let block = self.current_block();
                self.blocks[block].push(' ');
                self.out.push(if matches!(event, Event::SoftBreak) { Event::SoftBreak } else { Event::HardBreak });
            }
            Event::FootnoteReference(name) => {
                let next = self.footnote_numbers.len() + 1;
                let number = *self.footnote_numbers.entry(name.to_string()).or_insert(next);
                let id = self.note_id(&name);
                // A reference inside a note links to its note, but is no
                // place to come back to: the note it sits in may even be a
                // duplicate that is left out.
                if self.saved_out.is_some() {
                    self.out.push(Event::InlineHtml(CowStr::from(format!(
                        "<sup class=\"note-ref\"><a href=\"#note-{id}\" role=\"doc-noteref\">{number}</a></sup>"
                    ))));
                    return;
                }
                self.referenced_notes.insert(name.to_string());
                // The first reference is `note-ref-<id>`, the target of the
                // note's back link; later ones get a counter to stay unique.
                let uses = self.counters_for_notes.entry(id.clone()).or_insert(0);
                *uses += 1;
                let ref_id = if *uses == 1 { format!("note-ref-{id}") } else { format!("note-ref-{id}-{uses}") };
                // The first reference also carries the note as a sidenote,
                // filled in once the definitions are known.
                let sidenote = if *uses == 1 { format!("{SIDENOTE_MARK}{id}-->") } else { String::new() };
                self.out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"note-ref\"><a href=\"#note-{id}\" id=\"{ref_id}\" role=\"doc-noteref\">{number}</a></sup>{sidenote}"
                ))));
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.registry.config.allow_html => {
                self.report_raw_html(&html, source);
                self.out.push(Event::Text(owned(&html)));
            }
            other => self.out.push(other.into_static()),
        }
    }

    /// Raw HTML is shown as text unless the site allows it; say so once per
    /// spot, where it is.
    fn report_raw_html(&mut self, html: &str, source: Range<usize>) {
        let shown = html.trim().chars().take(40).collect::<String>();
        self.diagnostics.push(
            Diagnostic::warning(Code::RawHtml, format!("raw HTML `{shown}` is shown as text, not as markup"))
                .at(Location::from_range(self.path, self.file_text, source))
                .with_hint("write it in Markdown instead, or set `allow_html: true` in content/site.yaml if you trust every author"),
        );
    }

    fn start(&mut self, tag: Tag<'_>, source: Range<usize>) {
        match &tag {
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::TableCell
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {
                self.blocks.push(String::new());
                self.open_blocks.push(self.blocks.len() - 1);
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } if crate::model::is_dangerous_url(dest_url) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::InvalidValue, format!("links to `{}` are not allowed", scheme_of(dest_url)))
                        .at(Location::from_range(self.path, self.file_text, source.clone()))
                        .with_hint("javascript:, vbscript: and data: addresses can run code in readers' browsers; link to a web page instead"),
                );
                self.no_scan += 1;
                if matches!(tag, Tag::Link { .. }) {
                    self.links.push(OpenLink::Dropped);
                    return;
                }
            }
            Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_) => self.no_scan += 1,
            // Without `allow_html`, an HTML block is shown as text instead.
            Tag::HtmlBlock if !self.registry.config.allow_html => {
                self.out.push(Event::Start(Tag::Paragraph));
                return;
            }
            Tag::FootnoteDefinition(name) => {
                self.no_scan += 1;
                self.saved_out = Some(std::mem::take(&mut self.out));
                self.footnote_defs.push((name.to_string(), Vec::new(), source.start));
                return;
            }
            Tag::Link { dest_url, .. } => {
                self.no_scan += 1;
                let open = match dest_url.strip_prefix('@') {
                    Some(ids) => self.open_entity_link(ids, source),
                    None => OpenLink::Plain,
                };
                self.links.push(open);
                if !matches!(open, OpenLink::Plain) {
                    return;
                }
            }
            _ => {}
        }
        self.out.push(Event::Start(tag.into_static()));
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.open_blocks.pop();
            }
            TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_) => self.no_scan -= 1,
            TagEnd::HtmlBlock if !self.registry.config.allow_html => {
                self.out.push(Event::End(TagEnd::Paragraph));
                return;
            }
            TagEnd::FootnoteDefinition => {
                self.no_scan -= 1;
                let captured = std::mem::replace(&mut self.out, self.saved_out.take().unwrap_or_default());
                if let Some(def) = self.footnote_defs.last_mut() {
                    def.1 = captured;
                }
                return;
            }
            TagEnd::Link => {
                self.no_scan -= 1;
                match self.links.pop() {
                    Some(OpenLink::Mention(i)) => {
                        let block = self.raw_mentions[i].block;
                        self.raw_mentions[i].range.end = self.blocks[block].len();
                        self.out.push(Event::InlineHtml("</a>".into()));
                        return;
                    }
                    Some(OpenLink::EntityLink) => {
                        self.out.push(Event::InlineHtml("</a>".into()));
                        return;
                    }
                    Some(OpenLink::Dropped) => return,
                    Some(OpenLink::Plain) | None => {}
                }
            }
            _ => {}
        }
        self.out.push(Event::End(tag));
    }

    /// Opens `[text](@ids)`: an explicit mention, a glossary link in
    /// editorial text, or (with no ids) a span that is never a mention.
    fn open_entity_link(&mut self, ids: &str, source: Range<usize>) -> OpenLink {
        let mut entities = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            let at = self
                .file_text
                .get(source.clone())
                .and_then(|s| s.find(id))
                .map_or(source.clone(), |i| source.start + i..source.start + i + id.len());
            let found = self.registry.reference(id, self.path, self.file_text, at, &mut self.diagnostics);
            if let Some(e) = found.filter(|e| !entities.contains(e)) {
                entities.push(e);
            }
        }
        let Some(&first) = entities.first() else {
            return OpenLink::Dropped;
        };
        let href = format!("{}{}", self.href_prefix, crate::routes::entity_path(self.registry, first));
        if self.mode == Mode::Editorial || self.no_scan > 1 {
            self.out.push(Event::InlineHtml(CowStr::from(format!("<a class=\"entity-link\" href=\"{href}\">"))));
            return OpenLink::EntityLink;
        }
        let block = self.current_block();
        let start = self.blocks[block].len();
        // The link text starts after its `[`.
        let text_start = (source.start + 1).min(source.end);
        let named = entities.clone();
        let index = self.push_mention(entities, block, start..start, How::Explicit, text_start);
        for e in named {
            self.last_named.insert(e, index as u32);
        }
        OpenLink::Mention(index)
    }

    /// Records a mention and writes its opening tag.
    fn push_mention(
        &mut self,
        entities: Vec<usize>,
        block: usize,
        range: Range<usize>,
        how: How,
        source: usize,
    ) -> usize {
        let first = entities[0];
        let counter = self.counters.entry(first).or_insert(0);
        *counter += 1;
        let entity = &self.registry.entities[first];
        let number = *counter;
        let kind = &self.registry.config.kinds[entity.kind];
        // Written piece by piece: this runs for every mention of the site.
        let mut tag = String::with_capacity(128);
        tag.push_str("<a class=\"mention mention-");
        tag.push_str(&kind.id);
        tag.push_str("\" id=\"");
        tag.push_str(&anchor(&entity.id, number));
        tag.push_str("\" href=\"");
        tag.push_str(self.href_prefix);
        crate::routes::push_entity_path(self.registry, &mut tag, first);
        tag.push_str("\" data-entity=\"");
        for (i, &e) in entities.iter().enumerate() {
            if i > 0 {
                tag.push(' ');
            }
            tag.push_str(&self.registry.entities[e].id);
        }
        tag.push('"');
        if entities.len() > 1 {
            let names: Vec<&str> = entities.iter().map(|&e| self.registry.entities[e].name.value.as_str()).collect();
            let _ = write!(tag, " title=\"{}\"", escape_attr(&names.join(", ")));
        }
        tag.push('>');
        self.out.push(Event::InlineHtml(CowStr::from(tag)));
        self.raw_mentions.push(RawMention { entities, number, block, range, how, source });
        self.raw_mentions.len() - 1
    }

    /// Scans the pending run of text for aliases and writes it out.
    fn flush(&mut self) {
        if self.pending.text.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let block = self.current_block();
        let mut written = 0;
        let matcher = &self.registry.matcher;
        let matches = matcher.find_all(&pending.text);
        for near in &matches.near {
            self.report_unlinked(&pending, near, Reason::CaseDiffers);
        }
        for probe in &matches.probes {
            self.report_unlinked(&pending, probe, Reason::FirstName);
        }
        for found in matches.found {
            let pattern = &matcher.patterns[found.pattern];
            self.matched_patterns.insert(found.pattern);
            let candidates = pattern.entities();
            let (entity, how) = match *candidates {
                [e] => {
                    let by_name = pattern.owners.iter().any(|o| o.entity == e && o.alias.is_none());
                    (e, if by_name { How::Name } else { How::Alias })
                }
                _ => match self.antecedent(candidates) {
                    Some((e, mention)) => (e, How::Antecedent { mention }),
                    None => {
                        self.report_unlinked(&pending, &found, Reason::Ambiguous);
                        continue;
                    }
                },
            };
            if found.start > written {
                self.push_pending(&pending, written..found.start);
            }
            let range = pending.block_offset + found.start..pending.block_offset + found.end;
            let source = Self::file_range(&pending, &found);
            let index = self.push_mention(vec![entity], block, range, how, source.start);
            match how {
                How::Antecedent { mention } => {
                    let back = block - self.raw_mentions[mention as usize].block;
                    if back > ANTECEDENT_REACH {
                        let candidates = candidates.to_vec();
                        self.report_distant_antecedent(&pending, &found, entity, mention as usize, back, &candidates);
                    }
                }
                _ => {
                    self.last_named.insert(entity, index as u32);
                }
            }
            self.push_pending(&pending, found.start..found.end);
            self.out.push(Event::InlineHtml("</a>".into()));
            written = found.end;
        }
        if written < pending.text.len() {
            self.push_pending(&pending, written..pending.text.len());
        }
    }

    /// Writes out `range` of the pending text, its hard line breaks as
    /// breaks.
    fn push_pending(&mut self, pending: &PendingText, range: Range<usize>) {
        let mut from = range.start;
        let breaks = pending.hard_breaks.iter().copied().filter(|&at| range.contains(&at));
        for at in breaks.chain(std::iter::once(range.end)) {
            if at > from {
                self.out.push(Event::Text(CowStr::from(pending.text[from..at].to_string())));
            }
            if at < range.end {
                self.out.push(Event::HardBreak);
            }
            from = at + 1;
        }
    }

    /// The candidate named unambiguously most recently, and that mention.
    fn antecedent(&self, candidates: &[usize]) -> Option<(usize, u32)> {
        candidates.iter().filter_map(|&e| Some((e, *self.last_named.get(&e)?))).max_by_key(|&(_, mention)| mention)
    }

    /// Where in the file a match in the pending text is. The run may join
    /// several pieces of the file (lines, escapes): each end is mapped
    /// through its own piece.
    fn file_range(pending: &PendingText, found: &Found) -> Range<usize> {
        let in_file = |offset: usize| {
            let at = pending.pieces.partition_point(|&(p, _)| p <= offset);
            let (piece, file) = pending.pieces.get(at.wrapping_sub(1)).copied().unwrap_or((0, 0));
            file + offset - piece
        };
        let start = in_file(found.start);
        let end = if found.end > found.start { in_file(found.end - 1) + 1 } else { start };
        start..end.max(start)
    }

    /// Records a possible mention left unlinked, and reports it: a warning
    /// for text that only looks like a name, an error for a shared alias
    /// that nothing settles.
    fn report_unlinked(&mut self, pending: &PendingText, found: &Found, reason: Reason) {
        let text = shown(&pending.text[found.start..found.end]);
        let pattern = &self.registry.matcher.patterns[found.pattern];
        let candidates = pattern.entities().to_vec();
        let range = Self::file_range(pending, found);
        let entities = &self.registry.entities;
        let named = |e: usize| format!("`{}` ({})", entities[e].name.value, entities[e].id);
        let links = candidates.iter().map(|&e| format!("`[{text}](@{})`", entities[e].id)).collect::<Vec<_>>();
        let diagnostic = match reason {
            Reason::CaseDiffers => Diagnostic::warning(
                Code::PossibleMention,
                format!(
                    "`{text}` looks like `{}` ({}) but differs in case, so it is not linked",
                    pattern.text, entities[candidates[0]].id
                ),
            )
            .with_hint(format!("link it with {}, or mark it as no mention with `[{text}](@)`", links.join(" or "))),
            Reason::FirstName => Diagnostic::warning(
                Code::FirstNameAlone,
                format!(
                    "`{text}` alone is the first name of {}, so it is not linked",
                    candidates.iter().map(|&e| named(e)).collect::<Vec<_>>().join(" and of ")
                ),
            )
            .with_hint(format!(
                "link it with {}, add `{text}` to the aliases, or mark it as no mention with `[{text}](@)`",
                links.join(" or ")
            )),
            Reason::Ambiguous => {
                let claimants: Vec<String> = candidates
                    .iter()
                    .map(|&e| format!("`{}` ({})", entities[e].id, entities[e].path.display()))
                    .collect();
                Diagnostic::error(
                    Code::AmbiguousAlias,
                    format!("`{text}` could mean {}: none of them is named before it", claimants.join(" or ")),
                )
                .with_hint(format!(
                    "link it to the one meant: {}; or name that one in full earlier in the article; or write `[{text}](@)` if it is no mention",
                    links.join(", ")
                ))
            }
        };
        self.diagnostics.push(diagnostic.at(Location::from_range(self.path, self.file_text, range.clone())));
        self.unlinked.push(Unlinked { source: range, text, candidates, reason });
    }

    /// A shared alias settled by an antecedent many paragraphs back: linked,
    /// but worth a second look.
    fn report_distant_antecedent(
        &mut self,
        pending: &PendingText,
        found: &Found,
        entity: usize,
        antecedent: usize,
        back: usize,
        candidates: &[usize],
    ) {
        let text = shown(&pending.text[found.start..found.end]);
        let entities = &self.registry.entities;
        let meant = &entities[entity];
        let at = Location::from_range(
            self.path,
            self.file_text,
            self.raw_mentions[antecedent].source..self.raw_mentions[antecedent].source,
        );
        let others: Vec<String> =
            candidates.iter().filter(|&&e| e != entity).map(|&e| format!("`{}`", entities[e].id)).collect();
        self.diagnostics.push(
            Diagnostic::warning(
                Code::DistantAntecedent,
                format!(
                    "`{text}` is taken to mean `{}`, last named {back} paragraphs before (line {}); {} {} the name",
                    meant.id,
                    at.line,
                    others.join(" and "),
                    if others.len() == 1 { "shares" } else { "share" }
                ),
            )
            .at(Location::from_range(self.path, self.file_text, Self::file_range(pending, found)))
            .with_hint(format!("confirm it with `[{text}](@{})`, or name {} again nearer", meant.id, meant.name.value)),
        );
    }

    fn current_block(&mut self) -> usize {
        match self.open_blocks.last() {
            Some(&block) => block,
            None => {
                self.blocks.push(String::new());
                self.open_blocks.push(self.blocks.len() - 1);
                self.blocks.len() - 1
            }
        }
    }

    /// The footnote definitions, numbered in order of first reference;
    /// unreferenced ones last.
    /// The fragment id for a footnote name: its slug, made unique on the
    /// page when two names slug alike.
    fn note_id(&mut self, name: &str) -> String {
        if let Some(id) = self.note_ids.get(name) {
            return id.clone();
        }
        let base = note_id(name);
        let mut id = base.clone();
        let mut n = 1;
        while self.note_ids.values().any(|taken| *taken == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.note_ids.insert(name.to_string(), id.clone());
        id
    }

    fn take_footnotes(&mut self) -> Vec<Footnote> {
        let mut defs = std::mem::take(&mut self.footnote_defs);
        // A name defined twice keeps its first definition.
        let mut seen = std::collections::HashSet::new();
        let mut duplicates = Vec::new();
        defs.retain(|(name, _, at)| {
            let first = seen.insert(name.clone());
            if !first {
                duplicates.push((name.clone(), *at));
            }
            first
        });
        for (name, at) in duplicates {
            self.diagnostics.push(
                Diagnostic::warning(
                    Code::DuplicateFootnote,
                    format!("the footnote `[^{name}]` is defined twice; this one is ignored"),
                )
                .at(Location::from_range(self.path, self.file_text, at..at + name.len() + 3))
                .with_hint("give each note its own name"),
            );
        }
        let mut next = self.footnote_numbers.len();
        defs.sort_by_key(|(name, _, _)| self.footnote_numbers.get(name).copied().unwrap_or(usize::MAX));
        defs.into_iter()
            .map(|(name, events, _)| {
                let number = self.footnote_numbers.get(&name).copied().unwrap_or_else(|| {
                    next += 1;
                    next
                });
                let mut html_out = String::new();
                html::push_html(&mut html_out, events.into_iter());
                let referenced = self.referenced_notes.contains(&name);
                Footnote { id: self.note_id(&name), number, html: html_out, referenced }
            })
            .collect()
    }

    /// Turns raw mentions into records with their sentence and position.
    fn finish_mentions(&mut self) -> Vec<Mention> {
        let mut block_starts = Vec::with_capacity(self.blocks.len());
        let mut total = 0;
        for block in &self.blocks {
            block_starts.push(total);
            total += block.len();
        }
        let total = total.max(1) as f64;
        // Sentence ends are found once per block, not once per mention, so a
        // paragraph with thousands of mentions stays linear.
        let mut sentences: Vec<Option<Sentences>> = (0..self.blocks.len()).map(|_| None).collect();
        std::mem::take(&mut self.raw_mentions)
            .into_iter()
            .map(|raw| {
                let text = &self.blocks[raw.block];
                let sentences = sentences[raw.block].get_or_insert_with(|| Sentences::new(text));
                let quote = sentences.quote(raw.range.clone());
                Mention {
                    entities: raw.entities,
                    number: raw.number,
                    block: raw.block,
                    range: raw.range.clone(),
                    quote,
                    position: (block_starts[raw.block] + raw.range.start) as f64 / total,
                    how: raw.how,
                    source: raw.source,
                }
            })
            .collect()
    }
}

/// The scheme of a URL, for messages (`javascript:`).
fn scheme_of(url: &str) -> String {
    let url = url.trim();
    url.find(':').map_or(url, |i| &url[..=i]).chars().take(20).collect()
}

/// Aligns a YAML scalar's `value` with its source, `file_text[span]`: each
/// word of the value is looked for in turn in the source, giving the
/// `(offset in value, offset in file)` of each. Folded lines, indentation,
/// quotes and comments between words drop out; a word the source spells
/// otherwise (an escape) keeps the last good position.
fn align(value: &str, file_text: &str, span: Range<usize>) -> Vec<(usize, usize)> {
    // The source of a scalar is not much longer than its value: the window
    // keeps a word the source spells otherwise from being sought through
    // the whole file.
    let mut end = (span.start + value.len() * 4 + 256).min(file_text.len());
    while !file_text.is_char_boundary(end) {
        end -= 1;
    }
    let source = file_text.get(span.start..end).unwrap_or("");
    let mut map = vec![(0, span.start)];
    let mut cursor = 0;
    let mut word_start = None;
    for (i, c) in value.char_indices().chain(std::iter::once((value.len(), ' '))) {
        match (c.is_whitespace(), word_start) {
            (false, None) => word_start = Some(i),
            (true, Some(start)) => {
                word_start = None;
                let word = &value[start..i];
                if let Some(found) = source[cursor..].find(word) {
                    map.push((start, span.start + cursor + found));
                    cursor += found + word.len();
                }
            }
            _ => {}
        }
    }
    map
}

/// Text as a message shows it: white space (a line break inside a name)
/// as single spaces.
fn shown(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn owned(text: &str) -> CowStr<'static> {
    CowStr::from(text.to_string())
}

/// A footnote name made safe for an id attribute.
fn note_id(name: &str) -> String {
    let slug = crate::model::slugify(name);
    if slug.is_empty() {
        "n".into()
    } else {
        slug
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}
