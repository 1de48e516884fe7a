//! Stand-off annotations ([`crate::standoff`]) anchored in the text.
//!
//! The article is annotated once to learn its text: the plain text of each
//! block and the runs of text that are scanned for names. Each annotation's
//! quote is then found in that text (white space in it matching any white
//! space, within one block), narrowed by its prefix, suffix and occurrence,
//! and must lie within one run (not across emphasis or a link). The result
//! is a list of [`Mark`]s the second annotation writes where they fall.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{Annotation, AnnotationBody, EntityId, Spanned};
use crate::standoff::{find_quote, followed_by, preceded_by};

use super::Origin;

/// A run of scanned text in the first annotation: its block, its extent in
/// the block's text, and `(offset in block, offset in file)` of its pieces.
#[derive(Debug, Clone)]
pub(super) struct RunExtent {
    pub block: usize,
    pub range: Range<usize>,
    pub pieces: Vec<(usize, usize)>,
}

/// What the second annotation writes at a mark.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Forced {
    /// A mention of these entities; none: the text plain, never a mention.
    Mention(Vec<EntityId>),
    /// The repair of the printed text, a mention too when `entities` name any.
    Correction { should_read: String, entities: Vec<EntityId> },
    /// A reference to stand-off note `n` (of the article's, in order), at
    /// the end of the range.
    Note(usize),
}

/// An annotation anchored: where in which block, and what goes there.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mark {
    pub block: usize,
    pub range: Range<usize>,
    pub what: Forced,
}

impl Mark {
    /// Does it take its text over (a note only points at it)?
    pub fn covers(&self) -> bool {
        !matches!(self.what, Forced::Note(_))
    }
}

/// Anchors `annotations` in the text of the first annotation; returns the
/// marks, sorted, and the notes' Markdown (with where each is written).
/// Every quote not found, found more than once, or across formatting is
/// reported into `diagnostics`, and left out.
pub(super) fn anchor(
    origin: Origin,
    annotations: &[Annotation],
    blocks: &[String],
    runs: &[RunExtent],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Mark>, Vec<(String, Location)>) {
    let mut marks: Vec<(Mark, &Location)> = Vec::new();
    let mut notes = Vec::new();
    let plain = blocks.join("\n\n");
    let mut block_starts = Vec::with_capacity(blocks.len());
    let mut at = 0;
    for block in blocks {
        block_starts.push(at);
        at += block.len() + 2;
    }
    // Where a place in a block is in the article's file.
    let file_offset = |block: usize, offset: usize| -> Option<usize> {
        let run = runs.iter().find(|r| r.block == block && r.range.start <= offset && offset <= r.range.end)?;
        let i = run.pieces.partition_point(|&(b, _)| b <= offset).saturating_sub(1);
        let (b, f) = *run.pieces.get(i)?;
        Some(f + offset - b)
    };
    let described = |block: usize, offset: usize| match file_offset(block, offset) {
        Some(f) => {
            let l = origin.locate(f..f);
            format!("line {}:{}", l.line, l.column)
        }
        None if block == 0 => "the title".to_string(),
        None => format!("paragraph {block}"),
    };
    for annotation in annotations {
        let report = |diagnostics: &mut Vec<Diagnostic>, message: String, hint: String| {
            diagnostics
                .push(Diagnostic::error(Code::AnnotationAnchor, message).at(annotation.at.clone()).with_hint(hint));
        };
        let quote = super::text::shown(&annotation.quote);
        let found: Vec<(usize, Range<usize>)> = blocks
            .iter()
            .enumerate()
            .flat_map(|(b, text)| find_quote(text, &annotation.quote).into_iter().map(move |r| (b, r)))
            .collect();
        if found.is_empty() {
            let folded = quote.to_lowercase();
            let hint = match blocks.iter().find_map(|t| {
                let lower = t.to_lowercase();
                let i = lower.find(&folded)?;
                t.get(i..i + folded.len()).map(str::to_string)
            }) {
                Some(near) => format!("the text has `{near}`: a quote matches letter case exactly"),
                None => "copy the words from the article: a quote matches within one paragraph (or the title), white space aside".into(),
            };
            report(diagnostics, format!("the quote `{quote}` is not in the article's text"), hint);
            continue;
        }
        let matches_context = |(b, r): &(usize, Range<usize>)| {
            let (start, end) = (block_starts[*b] + r.start, block_starts[*b] + r.end);
            annotation.prefix.as_ref().is_none_or(|p| preceded_by(&plain, start, p))
                && annotation.suffix.as_ref().is_none_or(|s| followed_by(&plain, end, s))
        };
        let all = found.len();
        let found: Vec<(usize, Range<usize>)> = found.into_iter().filter(matches_context).collect();
        let places = |list: &[(usize, Range<usize>)]| {
            list.iter().map(|(b, r)| described(*b, r.start)).collect::<Vec<_>>().join(", ")
        };
        let chosen = match (found.len(), annotation.occurrence) {
            (0, _) => {
                report(
                    diagnostics,
                    format!("the quote `{quote}` is in the text {all} times, but never with this prefix and suffix"),
                    "check `prefix` and `suffix`: they are the text right before and right after the quote".into(),
                );
                continue;
            }
            (1, None | Some(1)) => found[0].clone(),
            (n, None) => {
                report(
                    diagnostics,
                    format!("the quote `{quote}` is in the text {n} times: at {}", places(&found)),
                    format!(
                        "say which with `occurrence:` (1 to {n}), or add a `prefix` or `suffix` that tells them apart"
                    ),
                );
                continue;
            }
            (n, Some(k)) if k > n => {
                report(
                    diagnostics,
                    format!("`occurrence: {k}`, but the quote `{quote}` is in the text only {n} times"),
                    format!("the matches are at {}", places(&found)),
                );
                continue;
            }
            (_, Some(k)) => found[k - 1].clone(),
        };
        let (block, range) = chosen;
        let inside = |at: &Range<usize>| {
            runs.iter().any(|r| r.block == block && r.range.start <= at.start && at.end <= r.range.end)
        };
        let entities = |ids: &[Spanned<String>], diagnostics: &mut Vec<Diagnostic>| -> Vec<EntityId> {
            ids.iter()
                .filter_map(|id| origin.registry.reference(&id.value, || annotation.at.clone(), diagnostics))
                .collect()
        };
        let mut pending: Vec<Mark> = Vec::new();
        match &annotation.body {
            AnnotationBody::Mention(ids) => {
                let ids = entities(ids, diagnostics);
                pending.push(Mark { block, range: range.clone(), what: Forced::Mention(ids) });
            }
            AnnotationBody::Note(text) => {
                notes.push((text.clone(), annotation.at.clone()));
                pending.push(Mark { block, range: range.clone(), what: Forced::Note(notes.len() - 1) });
            }
            AnnotationBody::Correction { should_read, note, entities: ids } => {
                let ids = entities(ids, diagnostics);
                pending.push(Mark {
                    block,
                    range: range.clone(),
                    what: Forced::Correction { should_read: should_read.clone(), entities: ids },
                });
                if let Some(note) = note {
                    notes.push((note.clone(), annotation.at.clone()));
                    pending.push(Mark { block, range: range.clone(), what: Forced::Note(notes.len() - 1) });
                }
            }
        }
        if !inside(&range) {
            report(
                diagnostics,
                format!("the quote `{quote}` runs across emphasis, a link or code, or lies inside one"),
                "quote text within one stretch of plain text: a link's text is annotated in the link itself".into(),
            );
            continue;
        }
        for mark in pending {
            let clash = mark.covers().then(|| {
                marks.iter().find(|(m, _)| {
                    m.covers()
                        && m.block == mark.block
                        && m.range.start < mark.range.end
                        && mark.range.start < m.range.end
                })
            });
            if let Some(Some((_, other))) = clash {
                report(
                    diagnostics,
                    format!("the quote `{quote}` overlaps the annotation at line {}", other.line),
                    "annotations that mark text (mentions, corrections) cannot overlap; make one quote shorter".into(),
                );
                continue;
            }
            marks.push((mark, &annotation.at));
        }
    }
    let mut marks: Vec<Mark> = marks.into_iter().map(|(m, _)| m).collect();
    marks.sort_by_key(|m| (m.block, m.range.start, m.range.end));
    (marks, notes)
}
