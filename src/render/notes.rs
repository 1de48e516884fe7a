//! Editorial notes on a page: every reference the annotator marked becomes
//! the `note-ref.html` template (a superscript number, and the note beside
//! its first reference), so the markup is the theme's to change.

use serde::Serialize;

use super::{templates, Renderer};
use std::borrow::Cow;

use crate::annotate::{fill_notes, has_notes, Footnote, NoteRef};
use crate::diagnostic::Diagnostic;

/// `note` in `note-ref.html`.
#[derive(Serialize)]
struct NoteContext<'a> {
    id: &'a str,
    number: usize,
}

/// `html` with each note marker replaced by `note-ref.html`; borrowed when
/// it has none (most texts: it is not copied again for every page).
pub(super) fn fill<'h>(renderer: &Renderer, html: &'h str, notes: &[Footnote]) -> Result<Cow<'h, str>, Diagnostic> {
    if !has_notes(html) {
        return Ok(Cow::Borrowed(html));
    }
    let mut failure = None;
    let filled = fill_notes(html, notes, &mut |reference: &NoteRef| {
        let mut context = tera::Context::new();
        context.insert("note", &NoteContext { id: &reference.note.id, number: reference.note.number });
        context.insert("ref_id", &reference.ref_id);
        context.insert("sidenote", &reference.sidenote);
        match renderer.templates.tera.render("note-ref.html", &context) {
            Ok(markup) => markup.trim().to_string(),
            Err(e) => {
                failure.get_or_insert_with(|| templates::template_error(&e, &renderer.templates.sources));
                String::new()
            }
        }
    });
    match failure {
        Some(failure) => Err(failure),
        None => Ok(Cow::Owned(filled)),
    }
}

/// A note as the page's list of notes shows it.
#[derive(Serialize)]
pub(super) struct Note<'a> {
    id: &'a str,
    number: usize,
    /// Its text, its own references to other notes filled in.
    html: Cow<'a, str>,
    /// Also shown beside the text on wide screens.
    sidenote: bool,
    /// The text refers to it, so it can link back.
    referenced: bool,
}

/// The notes of a text, for its list of notes.
pub(super) fn list<'a>(renderer: &Renderer, notes: &'a [Footnote]) -> Result<Vec<Note<'a>>, Diagnostic> {
    notes
        .iter()
        .map(|note| {
            Ok(Note {
                id: &note.id,
                number: note.number,
                html: fill(renderer, &note.html, notes)?,
                sidenote: note.is_sidenote(),
                referenced: note.referenced,
            })
        })
        .collect()
}
