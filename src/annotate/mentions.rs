//! Mentions: each name found in a run of text, how it was decided, and
//! what was left unlinked.
//!
//! A shared alias goes to the one of its entities named unambiguously (by
//! name, own alias or explicit link) most recently before it in the text, as
//! a reader would take it; with no such antecedent it is an error. Text that
//! only looks like a name (different case, a first name alone) is left
//! unlinked and recorded, for `gloss mentions` and the lints.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::text::{shown, Run};
use super::Origin;
use crate::context::{Quote, Sentences};
use crate::diagnostic::{Code, Diagnostic};
use crate::matcher::Found;
use crate::model::EntityId;
use crate::resolve::Registry;

/// One mention of one or more entities in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The entities referred to (several for `[the two Koreas](@a,b)`).
    pub entities: Vec<EntityId>,
    /// Which mention of its first entity it is, from 1: with that entity's
    /// id, it makes the fragment id ([`Mention::anchor`]).
    pub number: u32,
    /// Index of the paragraph (or heading, list item, cell) it is in.
    pub block: usize,
    /// Where it is in its block's text ([`super::AnnotatedArticle::blocks`]).
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
    /// Attached by a stand-off annotation (`<slug>.annotations.yaml`, or
    /// `annotations:` in the front matter).
    Annotation,
}

impl How {
    /// The decision in a word, as `gloss mentions` prints it.
    pub fn label(self) -> &'static str {
        match self {
            How::Name => "name",
            How::Alias => "alias",
            How::Explicit => "explicit",
            How::Antecedent { .. } => "antecedent",
            How::Annotation => "annotation",
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
    pub candidates: Vec<EntityId>,
    pub reason: Reason,
    /// The matcher's pattern it looks like (`registry.matcher.patterns`).
    pub pattern: usize,
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
    /// A word that shares a one-word name's stem (`Путина` for `Путин`):
    /// an inflected form, perhaps, for the aliases. Listed by `gloss
    /// mentions`, not warned of.
    Inflected,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::CaseDiffers => "case differs",
            Reason::FirstName => "first name",
            Reason::Ambiguous => "ambiguous",
            Reason::Inflected => "inflected",
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

    /// [`Mention::anchor`], appended to `out`: a file of every mention
    /// reuses one string.
    pub fn push_anchor(&self, registry: &Registry, out: &mut String) {
        push_anchor(&registry.entities[self.entities[0]].id, self.number, out);
    }
}

fn anchor(entity_id: &str, number: u32) -> String {
    let mut anchor = String::with_capacity(entity_id.len() + 6);
    push_anchor(entity_id, number, &mut anchor);
    anchor
}

fn push_anchor(entity_id: &str, number: u32, out: &mut String) {
    out.push_str("m-");
    out.push_str(entity_id);
    out.push('-');
    out.push_str(itoa::Buffer::new().format(number));
}

/// A mention while annotating: offsets into its block's plain text.
#[derive(Debug)]
struct RawMention {
    entities: Vec<EntityId>,
    number: u32,
    block: usize,
    range: Range<usize>,
    how: How,
    source: usize,
}

/// The mentions of one text while it is annotated.
#[derive(Debug, Default)]
pub(super) struct Mentions {
    raw: Vec<RawMention>,
    /// Mentions so far per entity: the number in each anchor.
    counters: HashMap<EntityId, u32>,
    /// Patterns of the alias matcher that matched at least once.
    pub matched_patterns: HashSet<usize>,
    /// Per entity, its last mention that names it unambiguously (by name,
    /// own alias or explicit link): the antecedent for a shared alias.
    last_named: rustc_hash::FxHashMap<EntityId, u32>,
    pub unlinked: Vec<Unlinked>,
    /// The repairs of the printed text written so far.
    pub corrections: Vec<Correction>,
}

/// The edition's repair of the printed text, from a stand-off annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// Where the printed text is: its block, and its range in the block's
    /// plain text ([`super::AnnotatedArticle::blocks`]).
    pub block: usize,
    pub range: Range<usize>,
    /// The printed text, as it stands in the file.
    pub reads: String,
    pub should_read: String,
}

/// A stand-off mark within a run, ready to write: its range in the run's
/// text, and what goes there.
#[derive(Debug, Clone)]
pub(super) struct RunMark {
    pub range: Range<usize>,
    pub what: Placed,
}

impl RunMark {
    /// Does it take its text over (a note only points at its end)?
    fn covers(&self) -> bool {
        !matches!(self.what, Placed::Note(_))
    }
}

/// What a [`RunMark`] writes.
#[derive(Debug, Clone)]
pub(super) enum Placed {
    Mention(Vec<EntityId>),
    Correction {
        should_read: String,
        entities: Vec<EntityId>,
    },
    /// The marker of a note reference, at the end of the range.
    Note(Event<'static>),
}

impl Mentions {
    /// Opens an explicit mention of `entities`, whose text starts at byte
    /// `source` of the file and at `start` of `block`'s text; it is closed
    /// by [`Mentions::close`]. It names each of its entities for what follows.
    pub fn open_explicit(
        &mut self,
        origin: Origin,
        out: &mut Vec<Event<'static>>,
        entities: Vec<EntityId>,
        block: usize,
        start: usize,
        source: usize,
    ) -> usize {
        let named = entities.clone();
        let index = self.push(origin, out, entities, block, start..start, How::Explicit, source);
        for e in named {
            self.last_named.insert(e, index as u32);
        }
        index
    }

    /// The block an open mention is in.
    pub fn block_of(&self, mention: usize) -> usize {
        self.raw[mention].block
    }

    /// Closes an explicit mention where its text ends, at `end` of its block.
    pub fn close(&mut self, mention: usize, end: usize) {
        self.raw[mention].range.end = end;
    }

    /// Records a mention and writes its opening tag.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        origin: Origin,
        out: &mut Vec<Event<'static>>,
        entities: Vec<EntityId>,
        block: usize,
        range: Range<usize>,
        how: How,
        source: usize,
    ) -> usize {
        let first = entities[0];
        let counter = self.counters.entry(first).or_insert(0);
        *counter += 1;
        let entity = &origin.registry.entities[first];
        let number = *counter;
        let kind = &origin.registry.config.kinds[entity.kind];
        // Written piece by piece: this runs for every mention of the site.
        let mut tag = String::with_capacity(128);
        tag.push_str("<a class=\"mention mention-");
        tag.push_str(&kind.id);
        tag.push_str("\" id=\"");
        push_anchor(&entity.id, number, &mut tag);
        tag.push_str("\" href=\"");
        tag.push_str(origin.href_prefix);
        crate::routes::push_entity_path(origin.registry, &mut tag, first);
        tag.push_str("\" data-entity=\"");
        for (i, &e) in entities.iter().enumerate() {
            if i > 0 {
                tag.push(' ');
            }
            tag.push_str(&origin.registry.entities[e].id);
        }
        tag.push('"');
        if entities.len() > 1 {
            let names: Vec<&str> = entities.iter().map(|&e| origin.registry.entities[e].name.value.as_str()).collect();
            let _ = write!(tag, " title=\"{}\"", crate::html::escape(&names.join(", ")));
        }
        tag.push('>');
        out.push(Event::InlineHtml(CowStr::from(tag)));
        self.raw.push(RawMention { entities, number, block, range, how, source });
        self.raw.len() - 1
    }

    /// Scans a run of text (of `block`) for names and writes it out,
    /// mentions marked, and the stand-off `marks` that fall in it (their
    /// ranges in the run's text) where they are: their text is theirs,
    /// whatever names it holds.
    #[allow(clippy::too_many_arguments)]
    pub fn scan(
        &mut self,
        origin: Origin,
        run: &Run,
        block: usize,
        marks: &[RunMark],
        out: &mut Vec<Event<'static>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let matcher = &origin.registry.matcher;
        let matches = matcher.find_all(&run.text);
        let covered =
            |found: &Found| marks.iter().any(|m| m.covers() && m.range.start < found.end && found.start < m.range.end);
        for near in matches.near.iter().filter(|f| !covered(f)) {
            self.report_unlinked(origin, run, diagnostics, near, Reason::CaseDiffers);
        }
        for probe in matches.probes.iter().filter(|f| !covered(f)) {
            self.report_unlinked(origin, run, diagnostics, probe, Reason::FirstName);
        }
        for inflected in matches.inflected.iter().filter(|f| !covered(f)) {
            self.report_unlinked(origin, run, diagnostics, inflected, Reason::Inflected);
        }
        // What is written, in text order: a note at the end of its quote,
        // before anything that starts there.
        enum Item<'m> {
            Found(Found),
            Mark(&'m RunMark),
        }
        let mut items: Vec<(usize, bool, Item)> =
            matches.found.into_iter().filter(|f| !covered(f)).map(|f| (f.start, true, Item::Found(f))).collect();
        for mark in marks {
            let at = if mark.covers() { mark.range.start } else { mark.range.end };
            items.push((at, mark.covers(), Item::Mark(mark)));
        }
        items.sort_by_key(|(at, covers, _)| (*at, *covers));
        let mut written = 0;
        for (_, _, item) in items {
            let found = match item {
                Item::Found(found) => found,
                Item::Mark(mark) => {
                    self.place(origin, run, block, mark, &mut written, out);
                    continue;
                }
            };
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
                        self.report_unlinked(origin, run, diagnostics, &found, Reason::Ambiguous);
                        continue;
                    }
                },
            };
            if found.start > written {
                run.write(written..found.start, out);
            }
            let range = run.block_offset + found.start..run.block_offset + found.end;
            let source = run.file_range(&found);
            let index = self.push(origin, out, vec![entity], block, range, how, source.start);
            match how {
                How::Antecedent { mention } => {
                    let back = block - self.raw[mention as usize].block;
                    if back > ANTECEDENT_REACH {
                        let candidates = candidates.to_vec();
                        self.report_distant_antecedent(
                            origin,
                            run,
                            diagnostics,
                            &found,
                            entity,
                            mention as usize,
                            back,
                            &candidates,
                        );
                    }
                }
                _ => {
                    self.last_named.insert(entity, index as u32);
                }
            }
            run.write(found.start..found.end, out);
            out.push(Event::InlineHtml("</a>".into()));
            written = found.end;
        }
        if written < run.text.len() {
            run.write(written..run.text.len(), out);
        }
    }

    /// Writes a stand-off mark where it falls in the run, and the text
    /// before it.
    fn place(
        &mut self,
        origin: Origin,
        run: &Run,
        block: usize,
        mark: &RunMark,
        written: &mut usize,
        out: &mut Vec<Event<'static>>,
    ) {
        let range = mark.range.clone();
        let at = if mark.covers() { range.start } else { range.end };
        if at > *written {
            run.write(*written..at, out);
            *written = at;
        }
        let in_block = run.block_offset + range.start..run.block_offset + range.end;
        let source = run.file_range(&Found { start: range.start, end: range.end, pattern: 0 }).start;
        let open = |this: &mut Self, out: &mut Vec<Event<'static>>, entities: &[EntityId]| {
            if entities.is_empty() {
                return false;
            }
            let index = this.push(origin, out, entities.to_vec(), block, in_block.clone(), How::Annotation, source);
            for &e in entities {
                this.last_named.insert(e, index as u32);
            }
            true
        };
        match &mark.what {
            Placed::Note(marker) => out.push(marker.clone()),
            Placed::Mention(entities) => {
                let linked = open(self, out, entities);
                run.write(range.clone(), out);
                if linked {
                    out.push(Event::InlineHtml("</a>".into()));
                }
                *written = range.end;
            }
            Placed::Correction { should_read, entities } => {
                out.push(Event::InlineHtml("<span class=\"repair\">".into()));
                let linked = open(self, out, entities);
                out.push(Event::InlineHtml("<ins>".into()));
                out.push(Event::Text(CowStr::from(should_read.clone())));
                out.push(Event::InlineHtml(if linked { "</ins></a>" } else { "</ins>" }.into()));
                let (before, after) = &origin.registry.config.labels.printed;
                out.push(Event::InlineHtml(format!(" <span class=\"printed\">{before}<del>").into()));
                run.write(range.clone(), out);
                out.push(Event::InlineHtml(format!("</del>{after}</span></span>").into()));
                self.corrections.push(Correction {
                    block,
                    range: in_block,
                    reads: run.text[range.clone()].to_string(),
                    should_read: should_read.clone(),
                });
                *written = range.end;
            }
        }
    }

    /// The candidate named unambiguously most recently, and that mention.
    fn antecedent(&self, candidates: &[EntityId]) -> Option<(EntityId, u32)> {
        candidates.iter().filter_map(|&e| Some((e, *self.last_named.get(&e)?))).max_by_key(|&(_, mention)| mention)
    }

    /// Records a possible mention left unlinked, and reports it: a warning
    /// for text that only looks like a name, an error for a shared alias
    /// that nothing settles.
    fn report_unlinked(
        &mut self,
        origin: Origin,
        run: &Run,
        diagnostics: &mut Vec<Diagnostic>,
        found: &Found,
        reason: Reason,
    ) {
        let text = shown(&run.text[found.start..found.end]);
        let pattern = &origin.registry.matcher.patterns[found.pattern];
        let candidates = pattern.entities().to_vec();
        let range = run.file_range(found);
        let entities = &origin.registry.entities;
        let named = |e: EntityId| format!("`{}` ({})", entities[e].name.value, entities[e].id);
        let links = candidates.iter().map(|&e| format!("`[{text}](@{})`", entities[e].id)).collect::<Vec<_>>();
        let diagnostic = match reason {
            // Only listed for review: a stem is a guess.
            Reason::Inflected => {
                self.unlinked.push(Unlinked { source: range, text, candidates, reason, pattern: found.pattern });
                return;
            }
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
        diagnostics.push(diagnostic.at(origin.locate(range.clone())));
        self.unlinked.push(Unlinked { source: range, text, candidates, reason, pattern: found.pattern });
    }

    /// A shared alias settled by an antecedent many paragraphs back: linked,
    /// but worth a second look.
    #[allow(clippy::too_many_arguments)]
    fn report_distant_antecedent(
        &self,
        origin: Origin,
        run: &Run,
        diagnostics: &mut Vec<Diagnostic>,
        found: &Found,
        entity: EntityId,
        antecedent: usize,
        back: usize,
        candidates: &[EntityId],
    ) {
        let text = shown(&run.text[found.start..found.end]);
        let entities = &origin.registry.entities;
        let meant = &entities[entity];
        let at = origin.locate(self.raw[antecedent].source..self.raw[antecedent].source);
        let others: Vec<String> =
            candidates.iter().filter(|&&e| e != entity).map(|&e| format!("`{}`", entities[e].id)).collect();
        diagnostics.push(
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
            .at(origin.locate(run.file_range(found)))
            .with_hint(format!("confirm it with `[{text}](@{})`, or name {} again nearer", meant.id, meant.name.value)),
        );
    }

    /// Turns raw mentions into records with their sentence and position.
    pub fn finish(&mut self, blocks: &[String]) -> Vec<Mention> {
        let mut block_starts = Vec::with_capacity(blocks.len());
        let mut total = 0;
        for block in blocks {
            block_starts.push(total);
            total += block.len();
        }
        let total = total.max(1) as f64;
        // Sentence ends are found once per block, not once per mention, so a
        // paragraph with thousands of mentions stays linear.
        let mut sentences: Vec<Option<Sentences>> = (0..blocks.len()).map(|_| None).collect();
        std::mem::take(&mut self.raw)
            .into_iter()
            .map(|raw| {
                let text = &blocks[raw.block];
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
