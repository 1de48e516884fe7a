//! Editorial footnotes: numbering, fragment ids, references and definitions.
//!
//! The annotator writes no note markup: where a reference stands it leaves
//! a marker (`<!--gloss-note:<id>:<use>-->`), and the page that shows the
//! text puts the `note-ref.html` template there ([`fill`]), with the note
//! beside its first reference as a sidenote. Markup lives in templates.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{html, CowStr, Event};

use crate::diagnostic::{Code, Diagnostic, Location};

/// An editorial footnote, numbered in order of first reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub id: String,
    pub number: usize,
    /// Its text as HTML, with markers where it refers to other notes.
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

/// Where the text refers to a note: the note, and the text it is attached
/// to, in the article's plain text ([`super::AnnotatedArticle::blocks`]):
/// the quote of a stand-off note; nothing (an empty range where the
/// reference stands) for a footnote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteAnchor {
    /// Its index in [`super::AnnotatedArticle::footnotes`].
    pub note: usize,
    pub block: usize,
    pub range: std::ops::Range<usize>,
}

/// Starts every note marker.
const MARK: &str = "<!--gloss-note:";

/// A reference to a note, as [`fill`] hands it to the template.
pub(crate) struct NoteRef<'a> {
    pub note: &'a Footnote,
    /// Its fragment id: `note-ref-<id>` for the first reference from the
    /// text (the target of the note's back link), `note-ref-<id>-<n>` for
    /// later ones; none for a reference inside a note.
    pub ref_id: Option<String>,
    /// The note's text to set beside the first reference, when it fits in
    /// a line: its HTML without paragraph tags.
    pub sidenote: Option<String>,
}

/// Does `html` refer to a note?
pub(crate) fn has_notes(html: &str) -> bool {
    memchr::memmem::find(html.as_bytes(), MARK.as_bytes()).is_some()
}

/// Replaces every note marker in `html` by `write(reference)`; markers of
/// notes that do not exist are dropped.
pub(crate) fn fill(html: &str, notes: &[Footnote], write: &mut dyn FnMut(&NoteRef) -> String) -> String {
    if !html.contains(MARK) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        let end = after.find("-->").unwrap_or(after.len());
        let (id, uses) = after[..end].rsplit_once(':').unwrap_or((&after[..end], "0"));
        rest = after.get(end + 3..).unwrap_or("");
        let Some(note) = notes.iter().find(|n| n.id == id) else { continue };
        let uses: usize = uses.parse().unwrap_or(0);
        let ref_id = match uses {
            0 => None,
            1 => Some(format!("note-ref-{id}")),
            n => Some(format!("note-ref-{id}-{n}")),
        };
        let sidenote = (uses == 1 && note.fits_inline()).then(|| {
            let html = fill(&note.html, notes, write);
            let inline = html.trim().replace("</p>\n<p>", " ").replace("<p>", "").replace("</p>", "");
            inline.trim().to_string()
        });
        out.push_str(&write(&NoteRef { note, ref_id, sidenote }));
    }
    out.push_str(rest);
    out
}

/// The notes of one text while it is annotated.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// The output saved while a definition is captured.
    saved_out: Option<Vec<Event<'static>>>,
    /// Definitions: name, rendered events, where in the file.
    defs: Vec<(String, Vec<Event<'static>>, usize)>,
    /// The fragment id of each note name, unique per page.
    ids: HashMap<String, String>,
    /// Numbers, in order of first reference.
    numbers: HashMap<String, usize>,
    /// References from the text so far, per note id.
    uses: HashMap<String, usize>,
    /// Notes referenced from the text (not only from other notes): the
    /// ones with a place for their back link to lead to.
    referenced: HashSet<String>,
    /// Where the text refers to each: note name, block, range.
    anchors: Vec<(String, usize, std::ops::Range<usize>)>,
}

impl Notes {
    /// The marker of a reference to note `name`. A reference inside a note
    /// links to its note, but is no place to come back to: the note it
    /// sits in may even be a duplicate that is left out.
    pub fn reference(&mut self, name: &str) -> Event<'static> {
        let next = self.numbers.len() + 1;
        self.numbers.entry(name.to_string()).or_insert(next);
        let id = self.id(name);
        let uses = if self.saved_out.is_some() {
            0
        } else {
            self.referenced.insert(name.to_string());
            let uses = self.uses.entry(id.clone()).or_insert(0);
            *uses += 1;
            *uses
        };
        Event::InlineHtml(CowStr::from(format!("{MARK}{id}:{uses}-->")))
    }

    /// Notes that the reference to note `name` just made is attached to
    /// `range` of `block`.
    pub fn anchor(&mut self, name: &str, block: usize, range: std::ops::Range<usize>) {
        self.anchors.push((name.to_string(), block, range));
    }

    /// Defines note `name` as ready HTML (a stand-off note, not Markdown).
    pub fn define_html(&mut self, name: &str, html: String) {
        self.defs.push((name.to_string(), vec![Event::Html(CowStr::from(html))], 0));
    }

    /// Where the text refers to each of `notes` (as [`Notes::take`] made
    /// them), in text order.
    pub fn anchors(&mut self, notes: &[Footnote]) -> Vec<NoteAnchor> {
        let anchors = std::mem::take(&mut self.anchors);
        anchors
            .into_iter()
            .filter_map(|(name, block, range)| {
                let id = self.id(&name);
                let note = notes.iter().position(|n| n.id == id)?;
                Some(NoteAnchor { note, block, range })
            })
            .collect()
    }

    /// A definition starts at byte `at` of the file: its events are
    /// captured from `out` until [`Notes::end_definition`].
    pub fn start_definition(&mut self, name: &str, at: usize, out: &mut Vec<Event<'static>>) {
        self.saved_out = Some(std::mem::take(out));
        self.defs.push((name.to_string(), Vec::new(), at));
    }

    /// The definition ends: `out` gets back what it held before.
    pub fn end_definition(&mut self, out: &mut Vec<Event<'static>>) {
        let captured = std::mem::replace(out, self.saved_out.take().unwrap_or_default());
        if let Some(def) = self.defs.last_mut() {
            def.1 = captured;
        }
    }

    /// The fragment id for a note name: its slug, made unique on the page
    /// when two names slug alike.
    fn id(&mut self, name: &str) -> String {
        if let Some(id) = self.ids.get(name) {
            return id.clone();
        }
        let slug = crate::model::slugify(name);
        let base = if slug.is_empty() { "n".to_string() } else { slug };
        let mut id = base.clone();
        let mut n = 1;
        while self.ids.values().any(|taken| *taken == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.ids.insert(name.to_string(), id.clone());
        id
    }

    /// The notes, numbered in order of first reference (unreferenced ones
    /// last). A name defined twice keeps its first definition; the second
    /// is reported into `diagnostics`.
    pub fn take(&mut self, path: &Path, file_text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Footnote> {
        let mut defs = std::mem::take(&mut self.defs);
        let mut seen = HashSet::new();
        defs.retain(|(name, _, at)| {
            let first = seen.insert(name.clone());
            if !first {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::DuplicateFootnote,
                        format!("the footnote `[^{name}]` is defined twice; this one is ignored"),
                    )
                    .at(Location::from_range(path, file_text, *at..*at + name.len() + 3))
                    .with_hint("give each note its own name"),
                );
            }
            first
        });
        let mut next = self.numbers.len();
        defs.sort_by_key(|(name, _, _)| self.numbers.get(name).copied().unwrap_or(usize::MAX));
        defs.into_iter()
            .map(|(name, events, _)| {
                let number = self.numbers.get(&name).copied().unwrap_or_else(|| {
                    next += 1;
                    next
                });
                let mut html_out = String::new();
                html::push_html(&mut html_out, events.into_iter());
                let referenced = self.referenced.contains(&name);
                Footnote { id: self.id(&name), number, html: html_out, referenced }
            })
            .collect()
    }
}
