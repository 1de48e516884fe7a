//! The text being annotated: the plain text of each block (for sentence
//! context and search), the run of text waiting to be scanned, and where
//! each piece of it is in the file.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use crate::matcher::Found;

/// The plain text of every block (paragraph, heading, item, cell) of the
/// text annotated so far, and which blocks are open.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    pub text: Vec<String>,
    open: Vec<usize>,
}

impl Blocks {
    /// A block starts.
    pub fn open(&mut self) {
        self.text.push(String::new());
        self.open.push(self.text.len() - 1);
    }

    /// The innermost block ends.
    pub fn close(&mut self) {
        self.open.pop();
    }

    /// The innermost open block; text outside any block (a title) opens one.
    pub fn current(&mut self) -> usize {
        match self.open.last() {
            Some(&block) => block,
            None => {
                self.open();
                self.text.len() - 1
            }
        }
    }

    /// Adds text to the innermost block.
    pub fn push_str(&mut self, text: &str) {
        let block = self.current();
        self.text[block].push_str(text);
    }

    /// How long the innermost block's text is so far.
    pub fn len(&mut self) -> usize {
        let block = self.current();
        self.text[block].len()
    }
}

/// A run of adjacent text events, merged so names are found across the
/// splits pulldown-cmark makes (escapes, entities, brackets, line breaks).
#[derive(Debug, Default)]
pub(super) struct Run {
    pub text: String,
    /// (offset in `text`, offset in the file) of each merged piece.
    pieces: Vec<(usize, usize)>,
    /// Offset of `text` in its block's plain text.
    pub block_offset: usize,
    /// Offsets in `text` of hard line breaks, held there as `\n` and
    /// written out as `<br>` again.
    hard_breaks: Vec<usize>,
}

impl Run {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Adds a piece of text found at byte `source` of the file; the run
    /// starts at `block_offset` of its block.
    pub fn push(&mut self, text: &str, source: usize, block_offset: usize) {
        if self.text.is_empty() {
            self.block_offset = block_offset;
        }
        self.pieces.push((self.text.len(), source));
        self.text.push_str(text);
    }

    /// Adds a line break at byte `source`: white space for matching.
    pub fn push_break(&mut self, hard: bool, source: usize) {
        if hard {
            self.hard_breaks.push(self.text.len());
        }
        self.pieces.push((self.text.len(), source));
        self.text.push('\n');
    }

    /// `(offset in its block, offset in the file)` of each piece.
    pub fn pieces_in_block(&self) -> Vec<(usize, usize)> {
        self.pieces.iter().map(|&(at, file)| (self.block_offset + at, file)).collect()
    }

    /// Where in the file a match in the run is. Each end is mapped through
    /// its own piece: the run may join several lines of the file.
    pub fn file_range(&self, found: &Found) -> Range<usize> {
        let in_file = |offset: usize| {
            let at = self.pieces.partition_point(|&(p, _)| p <= offset);
            let (piece, file) = self.pieces.get(at.wrapping_sub(1)).copied().unwrap_or((0, 0));
            file + offset - piece
        };
        let start = in_file(found.start);
        let end = if found.end > found.start { in_file(found.end - 1) + 1 } else { start };
        start..end.max(start)
    }

    /// Writes out `range` of the run, its hard line breaks as breaks.
    pub fn write(&self, range: Range<usize>, out: &mut Vec<Event<'static>>) {
        let mut from = range.start;
        let breaks = self.hard_breaks.iter().copied().filter(|&at| range.contains(&at));
        for at in breaks.chain(std::iter::once(range.end)) {
            if at > from {
                out.push(Event::Text(CowStr::from(self.text[from..at].to_string())));
            }
            if at < range.end {
                out.push(Event::HardBreak);
            }
            from = at + 1;
        }
    }
}

/// Aligns a YAML scalar's `value` with its source, `file_text[span]`: each
/// word of the value is looked for in turn in the source, giving the
/// `(offset in value, offset in file)` of each. Folded lines, indentation,
/// quotes and comments between words drop out; a word the source spells
/// otherwise (an escape) keeps the last good position.
pub(super) fn align(value: &str, file_text: &str, span: Range<usize>) -> Vec<(usize, usize)> {
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
pub(super) fn shown(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_align_word_by_word_across_folds() {
        let file = "subtitle: \"Angela Merkel, Mikhail\n  Gorbachev and Lech\"\n";
        let value = "Angela Merkel, Mikhail Gorbachev and Lech";
        let start = file.find('A').unwrap();
        let map = align(value, file, start..file.len());
        let in_file = |at: usize| {
            let (from, to) = map[map.partition_point(|&(m, _)| m <= at) - 1];
            to + at - from
        };
        let lech = value.find("Lech").unwrap();
        assert_eq!(&file[in_file(lech)..in_file(lech) + 4], "Lech");
    }
}
