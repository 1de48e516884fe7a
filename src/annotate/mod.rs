//! Annotation: an article's Markdown to HTML, with every mention marked.
//!
//! An adapter over pulldown-cmark's event stream. Runs of text are scanned
//! with the alias matcher ([`mentions`]); `[text](@id)` links become
//! explicit mentions, `[text](@)` marks text that is never a mention. Code,
//! links, images, raw HTML and editorial text (footnotes, the introduction)
//! are never scanned. Every mention gets an anchor (`m-<entity>-<n>`) and a
//! record with its sentence, so glossary pages can quote it and link back
//! to the spot. A run of text is scanned whole, line breaks included
//! ([`text`]), so a name wrapped over two lines is one mention; a line
//! break between two Chinese or Japanese characters is no space at all, on
//! the page, in the plain text and to the matcher. Footnotes
//! are numbered and left as markers for the page's template ([`notes`]).

mod figures;
mod mentions;
mod notes;
mod standoff;
mod text;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{html, BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The destination a citation's link is given (see `render_mapped`).
const CITE: &str = "cite:";

use std::cell::OnceCell;

use crate::diagnostic::{Code, Diagnostic, LineIndex, Location};
use crate::model::{ArticleDoc, EntityDoc, Spanned};
use crate::resolve::Registry;
use figures::Figures;
pub use figures::Portrait;
use mentions::Mentions;
pub use mentions::{Correction, How, Mention, Reason, Unlinked, ANTECEDENT_REACH};
use mentions::{Placed, RunMark};
use notes::Notes;
pub(crate) use notes::{fill as fill_notes, has_notes, NoteRef};
pub use notes::{Footnote, NoteAnchor};
use standoff::{Forced, Mark, RunExtent};
use text::{align, Blocks, Run, VanishingBreaks};

/// An article after annotation.
#[derive(Debug, Clone)]
pub struct AnnotatedArticle {
    pub title_html: String,
    /// The body, with markers where footnotes are referred to (see
    /// [`fill_notes`]). Only the article's page and the feeds show it: a
    /// build lets it go once they are written.
    pub body_html: String,
    pub intro_html: Option<String>,
    pub notes_html: Vec<String>,
    pub footnotes: Vec<Footnote>,
    pub mentions: Vec<Mention>,
    /// Plain text of every block (paragraph, heading, item, cell), title
    /// first; [`Mention::block`] indexes it.
    pub blocks: Vec<String>,
    /// Patterns of the alias matcher the article uses: that matched at
    /// least once, or that are the whole text of an explicit link (an
    /// alias written inside a link counts as used). Found here, once per
    /// article, so the site's lints need not match every link again after
    /// each edit in `gloss serve`.
    pub matched_patterns: Vec<usize>,
    /// Possible mentions left unlinked, in text order.
    pub unlinked: Vec<Unlinked>,
    /// The annotated subtitle, when the article has one.
    pub subtitle_html: Option<String>,
    /// The site's images it shows, for their copies to be made.
    pub images: Vec<crate::images::Image>,
    /// Where the text refers to each note (footnotes and stand-off notes).
    pub note_anchors: Vec<NoteAnchor>,
    /// The edition's repairs of the printed text (stand-off corrections).
    pub corrections: Vec<Correction>,
    pub diagnostics: Vec<Diagnostic>,
}

impl AnnotatedArticle {
    /// A mention's text, as printed.
    pub fn mention_text(&self, mention: &Mention) -> &str {
        &self.blocks[mention.block][mention.range.clone()]
    }
}

/// An entity's description, rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    /// With markers where its notes are referred to.
    pub html: String,
    pub notes: Vec<Footnote>,
    /// The site's images it shows, the portrait's too.
    pub images: Vec<crate::images::Image>,
    pub portrait: Option<Portrait>,
}

/// Annotates one article. `href_prefix` leads from the article page to the
/// site root (`../`).
pub(crate) fn annotate_article(
    registry: &Registry,
    article: &ArticleDoc,
    file_text: &str,
    href_prefix: &str,
) -> AnnotatedArticle {
    let lines = OnceCell::new();
    let sources = &article.sources;
    let origin = Origin { registry, path: &article.path, file_text, href_prefix, lines: &lines, sources };
    let mut body = Annotator::new(origin, Mode::Text);
    let mut standoff_notes = Vec::new();
    let mut anchoring = Vec::new();
    if !article.annotations.is_empty() {
        // A first pass learns the text, to find the stand-off quotes in.
        let mut first = Annotator::new(origin, Mode::Text);
        first.runs = Some(Vec::new());
        first.render_scalar(&article.title);
        if let Some(subtitle) = &article.subtitle {
            first.render_scalar(subtitle);
        }
        first.render(article.body(file_text), article.body_offset);
        let runs = first.runs.take().unwrap_or_default();
        let (marks, notes) = standoff::anchor(origin, &article.annotations, &first.blocks.text, &runs, &mut anchoring);
        body.marks = marks;
        standoff_notes = notes;
    }
    let title_html = strip_paragraph(&body.render_scalar(&article.title));
    let subtitle_html = article.subtitle.as_ref().map(|s| strip_paragraph(&body.render_scalar(s)));
    // Copied to its exact size: it is held until every page is rendered,
    // and an archive's worth of growth slack is tens of megabytes
    // (`shrink_to_fit` would not do: mimalloc keeps a block that shrinks by
    // less than half where it is).
    let body_html = body.render(article.body(file_text), article.body_offset).as_str().to_owned();
    body.diagnostics.extend(anchoring);
    for (n, (markdown, at)) in standoff_notes.iter().enumerate() {
        let html = standoff_note(origin, markdown, at, &mut body.diagnostics);
        body.notes.define_html(&standoff_note_name(n), html);
    }
    let footnotes = body.notes.take(origin.path, file_text, &mut body.diagnostics);
    let note_anchors = body.notes.anchors(&footnotes);
    let mentions = body.mentions.finish(&body.blocks.text);

    let mut editorial = Annotator::new(origin, Mode::Editorial);
    let intro_html = article.intro.as_ref().map(|intro| editorial.render_scalar(intro));
    let notes_html = article.notes.iter().map(|note| editorial.render_scalar(note)).collect();
    body.report_uncited();
    editorial.report_uncited();

    let mut unlinked = std::mem::take(&mut body.mentions.unlinked);
    // Inflected forms are looked for when any article's language inflects
    // names; they are suggestions only in an article whose language does.
    if !crate::resolve::inflects_names(article.language.as_deref().unwrap_or(&registry.config.language)) {
        unlinked.retain(|u| u.reason != Reason::Inflected);
    }
    unlinked.sort_by_key(|u| u.source.start);
    let mut diagnostics = body.diagnostics;
    diagnostics.extend(editorial.diagnostics);
    let mut images = body.figures.shown;
    images.extend(editorial.figures.shown);
    let matched_patterns: Vec<usize> = body.mentions.matched_patterns.iter().copied().collect();
    let mut annotated = AnnotatedArticle {
        title_html,
        body_html,
        intro_html,
        notes_html,
        footnotes,
        mentions,
        blocks: std::mem::take(&mut body.blocks.text),
        matched_patterns,
        unlinked,
        subtitle_html,
        images,
        note_anchors,
        corrections: std::mem::take(&mut body.mentions.corrections),
        diagnostics,
    };
    let matcher = &registry.matcher;
    let explicit: Vec<usize> = annotated
        .mentions
        .iter()
        .filter(|m| m.explicit())
        .map(|m| annotated.mention_text(m))
        .flat_map(|text| {
            let whole = move |f: &crate::matcher::Found| f.start == 0 && f.end == text.len();
            matcher.find(text).into_iter().filter(whole).map(|f| f.pattern)
        })
        .collect();
    annotated.matched_patterns.extend(explicit);
    annotated.matched_patterns.sort_unstable();
    annotated.matched_patterns.dedup();
    annotated
}

/// About how long `events` are as HTML: their text and markup, and a tag's
/// worth for each. A mention's link is most of an annotated text's bytes
/// (twice its Markdown in copy dense with names), so the Markdown's length
/// is no guide.
fn html_len(events: &[Event]) -> usize {
    events
        .iter()
        .map(|event| match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => text.len() + 8,
            Event::Start(Tag::Link { dest_url, title, .. }) => dest_url.len() + title.len() + 24,
            _ => 8,
        })
        .sum()
}

/// The note name of the `n`th stand-off note: no Markdown footnote can
/// have it (it starts with a control character), and its id is
/// `annotation-<n>`.
fn standoff_note_name(n: usize) -> String {
    format!("\u{1}annotation-{}", n + 1)
}

/// A stand-off note's Markdown as HTML (editorial text: `[x](@id)` links,
/// nothing scanned); what it finds wrong is reported at the note.
fn standoff_note(article: Origin, markdown: &str, at: &Location, diagnostics: &mut Vec<Diagnostic>) -> String {
    let lines = OnceCell::new();
    let origin = Origin { path: &at.path, file_text: markdown, lines: &lines, ..article };
    let mut annotator = Annotator::new(origin, Mode::Editorial);
    let html = annotator.render(markdown, 0);
    annotator.report_uncited();
    diagnostics.extend(annotator.diagnostics.into_iter().map(|mut d| {
        d.location = Some(Box::new(at.clone()));
        d
    }));
    html
}
/// Renders an entity description: Markdown, with `[text](@id)` links as
/// plain glossary links (descriptions are not scanned for mentions), and
/// the entity's image.
pub(crate) fn render_description(
    registry: &Registry,
    entity: &EntityDoc,
    file_text: &str,
) -> (Description, Vec<Diagnostic>) {
    let lines = OnceCell::new();
    let path = entity.path.as_path();
    let origin = Origin { registry, path, file_text, href_prefix: "../", lines: &lines, sources: &entity.sources };
    let mut annotator = Annotator::new(origin, Mode::Editorial);
    let html = annotator.render(entity.body(file_text), entity.body_offset);
    annotator.report_uncited();
    let notes = annotator.notes.take(path, file_text, &mut annotator.diagnostics);
    let portrait = entity.image.as_ref().and_then(|image| {
        figures::portrait(origin, image, &entity.name.value, &mut annotator.figures, &mut annotator.diagnostics)
    });
    (Description { html, notes, images: annotator.figures.shown, portrait }, annotator.diagnostics)
}

fn strip_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")).unwrap_or(trimmed).to_string()
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// The file being annotated, and where its links lead.
#[derive(Clone, Copy)]
struct Origin<'r> {
    registry: &'r Registry,
    path: &'r Path,
    file_text: &'r str,
    /// From the page the text is shown on to the site root.
    href_prefix: &'r str,
    /// The file's lines, indexed when the first diagnostic needs them: a
    /// large article may have thousands, each located in log time.
    lines: &'r OnceCell<LineIndex<'r>>,
    /// What `[@id]` citations in the text may cite, numbered from 1.
    sources: &'r [crate::model::Source],
}

impl Origin<'_> {
    /// Where `range` of the file is, for a diagnostic.
    fn locate(&self, range: Range<usize>) -> Location {
        Location::from_index(self.path, self.lines.get_or_init(|| LineIndex::new(self.file_text)), range)
    }
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
    /// An explicit mention (its index among the mentions).
    Mention(usize),
    /// An `@` link in editorial text: a plain glossary link.
    EntityLink,
    /// `[text](@)` or a link whose ids are all unknown: the text alone.
    Dropped,
    /// A citation, `[@id]`: written whole at its start, its label hidden.
    Citation,
}

/// Walks one text's events: what is scanned, what is a link, where blocks
/// begin and end. The mentions, the notes and the text are each kept by
/// their own part.
struct Annotator<'r> {
    origin: Origin<'r>,
    mode: Mode,
    out: Vec<Event<'static>>,
    /// Nesting depth of things whose text is never scanned.
    no_scan: usize,
    links: Vec<OpenLink>,
    /// The run of text not scanned yet.
    run: Run,
    blocks: Blocks,
    mentions: Mentions,
    notes: Notes,
    figures: Figures,
    diagnostics: Vec<Diagnostic>,
    /// The runs scanned, when a first pass learns where the text is.
    runs: Option<Vec<RunExtent>>,
    /// Stand-off annotations anchored in the text, sorted.
    marks: Vec<Mark>,
    /// `[@id]` citations written so far.
    cited: usize,
    /// Where a paragraph of editorial text, or a footnote, started, with
    /// `cited` then: one that ends with no more cites nothing.
    paragraph: Option<(usize, usize)>,
    definition: Option<(usize, usize)>,
    /// Editorial paragraphs and notes that cite no source: where, and what.
    uncited: Vec<(usize, &'static str)>,
}

impl<'r> Annotator<'r> {
    fn new(origin: Origin<'r>, mode: Mode) -> Self {
        Annotator {
            origin,
            mode,
            out: Vec::new(),
            no_scan: usize::from(mode == Mode::Editorial),
            links: Vec::new(),
            run: Run::default(),
            blocks: Blocks::default(),
            mentions: Mentions::default(),
            notes: Notes::default(),
            figures: Figures::default(),
            diagnostics: Vec::new(),
            runs: None,
            marks: Vec::new(),
            cited: 0,
            paragraph: None,
            definition: None,
            uncited: Vec::new(),
        }
    }

    /// Reports the editorial paragraphs and notes that cite no source (the
    /// `unsourced_fact` lint, when a site turns it on).
    fn report_uncited(&mut self) {
        let level = self.origin.registry.config.lints.level(Code::Unsourced);
        if level == Some(crate::lint::Level::Allow) {
            self.uncited.clear();
            return;
        }
        for (at, what) in std::mem::take(&mut self.uncited) {
            self.diagnostics.push(
                Diagnostic::warning(Code::Unsourced, format!("{what} cites no source"))
                    .at(self.origin.locate(at..at))
                    .with_hint("end the sentence that states the fact with `[@id]`, citing one of `sources:`"),
            );
        }
    }

    /// Writes a citation, `[@a; @b]`: each source's number, linking to the
    /// page's list of sources. `ids` is the reference as written.
    fn cite(&mut self, ids: &str, source: Range<usize>) {
        let origin = self.origin;
        let mut html = String::new();
        for id in ids.split(';').map(|id| id.trim().trim_start_matches('@').trim()).filter(|id| !id.is_empty()) {
            match origin.sources.iter().position(|s| s.id == id) {
                Some(i) => {
                    let n = i + 1;
                    let (number, label) = origin.registry.config.labels.source(n);
                    let _ = std::fmt::Write::write_fmt(
                        &mut html,
                        format_args!("<a href=\"#source-{n}\" aria-label=\"{label}\">[{number}]</a>"),
                    );
                }
                None => {
                    let known: Vec<&str> = origin.sources.iter().map(|s| s.id.as_str()).collect();
                    let hint = match crate::diagnostic::did_you_mean(id, known.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if known.is_empty() => "list it under `sources:` in the front matter, with this id".into(),
                        None => format!("the sources listed are: {}", known.join(", ")),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(Code::InvalidValue, format!("no source has the id `{id}`"))
                            .at(origin.locate(source.clone()))
                            .with_hint(hint),
                    );
                }
            }
        }
        if !html.is_empty() {
            // Set close to the words it supports, as footnote numbers are:
            // `in 1980 [@nobel].` reads `in 1980[1].`
            loop {
                match self.out.last_mut() {
                    Some(Event::SoftBreak) => {
                        self.out.pop();
                    }
                    Some(Event::Text(text)) if text.ends_with(char::is_whitespace) => {
                        let trimmed = text.trim_end().to_string();
                        match trimmed.is_empty() {
                            true => {
                                self.out.pop();
                            }
                            false => *text = CowStr::from(trimmed),
                        }
                    }
                    _ => break,
                }
            }
            self.cited += 1;
            self.out.push(Event::InlineHtml(CowStr::from(format!("<sup class=\"source-ref\">{html}</sup>"))));
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
        let map = align(&scalar.value, self.origin.file_text, scalar.span.clone());
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
        // `[@id]` and `[@a; @b]` are citations, as in pandoc.
        let citation = |link: BrokenLink<'_>| {
            let label = link.reference.trim();
            label.starts_with('@').then(|| (CowStr::from(format!("{CITE}{label}")), CowStr::from("")))
        };
        let parser = Parser::new_with_broken_link_callback(markdown, markdown_options(), Some(citation));
        // About one event to 20 bytes of news copy dense with names (one to
        // 14 at most): room for them all at once, not in ten doublings.
        self.out.reserve(markdown.len() / 16);
        for (event, range) in VanishingBreaks::new(parser.into_offset_iter()) {
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
        let mut html_out = String::with_capacity(html_len(&self.out));
        html::push_html(&mut html_out, std::mem::take(&mut self.out).into_iter());
        html_out
    }

    fn event(&mut self, event: Event<'_>, source: Range<usize>) {
        // A citation's label (`@id`) is not shown: its number is.
        if matches!(self.links.last(), Some(OpenLink::Citation)) && !matches!(event, Event::End(TagEnd::Link)) {
            return;
        }
        // A line break inside scanned text (one that has not vanished, see
        // `VanishingBreaks`) is white space like any other:
        // the run goes on, so a wrapped name is matched whole. A soft break
        // is written as the newline it is in the source, a hard one as the
        // `<br>` it is.
        if matches!(event, Event::SoftBreak | Event::HardBreak) && self.no_scan == 0 && !self.run.is_empty() {
            self.run.push_break(matches!(event, Event::HardBreak), source.start);
            self.blocks.push_str(" ");
            return;
        }
        if let Event::Text(text) = &event {
            if self.no_scan == 0 {
                let block_offset = self.blocks.len();
                self.run.push(text, source.start, block_offset);
            } else {
                self.out.push(Event::Text(owned(text)));
            }
            self.blocks.push_str(text);
            return;
        }
        self.flush();
        match event {
            Event::Start(tag) => self.start(tag, source),
            Event::End(tag) => self.end(tag),
            Event::Code(code) => {
                self.blocks.push_str(&code);
                self.out.push(Event::Code(owned(&code)));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.blocks.push_str(" ");
                self.out.push(if matches!(event, Event::SoftBreak) { Event::SoftBreak } else { Event::HardBreak });
            }
            Event::FootnoteReference(name) => {
                let marker = self.notes.reference(&name);
                if self.mode == Mode::Text {
                    let (block, at) = (self.blocks.current(), self.blocks.len());
                    self.notes.anchor(&name, block, at..at);
                }
                self.out.push(marker);
            }
            Event::Html(html) | Event::InlineHtml(html) if !self.origin.registry.config.allow_html => {
                self.report_raw_html(&html, source);
                self.out.push(Event::Text(owned(&html)));
            }
            other => self.out.push(other.into_static()),
        }
    }

    /// Scans the run of text waiting, and writes it out.
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let block = self.blocks.current();
        let extent = run.block_offset..run.block_offset + run.text.len();
        if let Some(runs) = &mut self.runs {
            runs.push(RunExtent { block, range: extent.clone(), pieces: run.pieces_in_block() });
        }
        let mut marks = Vec::new();
        for mark in &self.marks {
            if mark.block != block || mark.range.start < extent.start || mark.range.end > extent.end {
                continue;
            }
            let what = match &mark.what {
                Forced::Mention(entities) => Placed::Mention(entities.clone()),
                Forced::Correction { should_read, entities } => {
                    Placed::Correction { should_read: should_read.clone(), entities: entities.clone() }
                }
                Forced::Note(n) => {
                    let name = standoff_note_name(*n);
                    let marker = self.notes.reference(&name);
                    self.notes.anchor(&name, block, mark.range.clone());
                    Placed::Note(marker)
                }
            };
            let range = mark.range.start - extent.start..mark.range.end - extent.start;
            marks.push(RunMark { range, what });
        }
        self.mentions.scan(self.origin, &run, block, &marks, &mut self.out, &mut self.diagnostics);
    }

    /// Raw HTML is shown as text unless the site allows it; say so once per
    /// spot, where it is.
    fn report_raw_html(&mut self, html: &str, source: Range<usize>) {
        let shown = html.trim().chars().take(40).collect::<String>();
        self.diagnostics.push(
            Diagnostic::warning(Code::RawHtml, format!("raw HTML `{shown}` is shown as text, not as markup"))
                .at(self.origin.locate(source))
                .with_hint("write it in Markdown instead, or set `allow_html: true` in content/site.yaml if you trust every author"),
        );
    }

    fn start(&mut self, tag: Tag<'_>, source: Range<usize>) {
        match &tag {
            Tag::Paragraph => {
                self.blocks.open();
                self.figures.paragraph(self.out.len());
                if self.mode == Mode::Editorial && self.definition.is_none() {
                    self.paragraph = Some((source.start, self.cited));
                }
            }
            Tag::Link { dest_url, .. } if dest_url.starts_with(CITE) => {
                self.cite(&dest_url[CITE.len()..], source);
                self.no_scan += 1;
                self.links.push(OpenLink::Citation);
                return;
            }
            Tag::Heading { .. }
            | Tag::Item
            | Tag::TableCell
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => self.blocks.open(),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } if crate::model::is_dangerous_url(dest_url) => {
                self.diagnostics.push(
                    Diagnostic::error(Code::InvalidValue, format!("links to `{}` are not allowed", scheme_of(dest_url)))
                        .at(self.origin.locate(source.clone()))
                        .with_hint("javascript:, vbscript: and data: addresses can run code in readers' browsers; link to a web page instead"),
                );
                self.no_scan += 1;
                if matches!(tag, Tag::Link { .. }) {
                    self.links.push(OpenLink::Dropped);
                    return;
                }
                self.figures.start(dest_url, "", source, true, &self.out);
                return;
            }
            Tag::Image { dest_url, title, .. } => {
                self.no_scan += 1;
                self.figures.start(dest_url, title, source, false, &self.out);
                return;
            }
            Tag::CodeBlock(_) | Tag::MetadataBlock(_) => self.no_scan += 1,
            // Without `allow_html`, an HTML block is shown as text instead.
            Tag::HtmlBlock if !self.origin.registry.config.allow_html => {
                self.out.push(Event::Start(Tag::Paragraph));
                return;
            }
            Tag::FootnoteDefinition(name) => {
                self.no_scan += 1;
                self.definition = Some((source.start, self.cited));
                self.notes.start_definition(name, source.start, &mut self.out);
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
            TagEnd::Paragraph => {
                self.blocks.close();
                if let Some((at, cited)) = self.paragraph.take() {
                    if self.cited == cited {
                        self.uncited.push((at, "this paragraph"));
                    }
                }
                if self.figures.end_paragraph(&mut self.out) {
                    return;
                }
            }
            TagEnd::Image => {
                self.no_scan -= 1;
                self.figures.end(self.origin, &mut self.out, &mut self.diagnostics);
                return;
            }
            TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.blocks.close(),
            TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => self.no_scan -= 1,
            TagEnd::HtmlBlock if !self.origin.registry.config.allow_html => {
                self.out.push(Event::End(TagEnd::Paragraph));
                return;
            }
            TagEnd::FootnoteDefinition => {
                self.no_scan -= 1;
                if let Some((at, cited)) = self.definition.take() {
                    if self.cited == cited {
                        self.uncited.push((at, "this note"));
                    }
                }
                self.notes.end_definition(&mut self.out);
                return;
            }
            TagEnd::Link => {
                self.no_scan -= 1;
                match self.links.pop() {
                    Some(OpenLink::Mention(i)) => {
                        let block = self.mentions.block_of(i);
                        self.mentions.close(i, self.blocks.text[block].len());
                        self.out.push(Event::InlineHtml("</a>".into()));
                        return;
                    }
                    Some(OpenLink::EntityLink) => {
                        self.out.push(Event::InlineHtml("</a>".into()));
                        return;
                    }
                    Some(OpenLink::Dropped | OpenLink::Citation) => return,
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
        let origin = self.origin;
        let Origin { registry, file_text, href_prefix, .. } = origin;
        let mut entities = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            let at = file_text
                .get(source.clone())
                .and_then(|s| s.find(id))
                .map_or(source.clone(), |i| source.start + i..source.start + i + id.len());
            let found = registry.reference(id, || origin.locate(at), &mut self.diagnostics);
            if let Some(e) = found.filter(|e| !entities.contains(e)) {
                entities.push(e);
            }
        }
        let Some(&first) = entities.first() else {
            return OpenLink::Dropped;
        };
        if self.mode == Mode::Editorial || self.no_scan > 1 {
            let href = format!("{href_prefix}{}", crate::routes::entity_path(registry, first));
            self.out.push(Event::InlineHtml(CowStr::from(format!("<a class=\"entity-link\" href=\"{href}\">"))));
            return OpenLink::EntityLink;
        }
        let block = self.blocks.current();
        let start = self.blocks.len();
        // The link text starts after its `[`.
        let text_start = (source.start + 1).min(source.end);
        let index = self.mentions.open_explicit(self.origin, &mut self.out, entities, block, start, text_start);
        OpenLink::Mention(index)
    }
}

/// The scheme of a URL, for messages (`javascript:`).
fn scheme_of(url: &str) -> String {
    let url = url.trim();
    url.find(':').map_or(url, |i| &url[..=i]).chars().take(20).collect()
}

fn owned(text: &str) -> CowStr<'static> {
    CowStr::from(text.to_string())
}
