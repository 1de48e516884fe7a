//! The text being annotated: the plain text of each block (for sentence
//! context and search), the run of text waiting to be scanned, and where
//! each piece of it is in the file.

use std::collections::VecDeque;
use std::ops::Range;

use icu_properties::props::{EastAsianWidth, Script};
use icu_properties::CodePointMapData;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

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

/// Does a line break between `before` and `after` vanish? It does between
/// two characters of East Asian Width wide, fullwidth or halfwidth, neither
/// Hangul (Chinese and Japanese text, its punctuation, full-width forms),
/// as CSS Text 3's segment break transformation rules have it: editors
/// hard-wrap such text anywhere, and there a break is no space. Anywhere
/// else it is one.
pub(crate) fn break_vanishes(before: char, after: char) -> bool {
    let wide = |c: char| {
        !c.is_ascii()
            && matches!(
                CodePointMapData::<EastAsianWidth>::new().get(c),
                EastAsianWidth::Wide | EastAsianWidth::Fullwidth | EastAsianWidth::Halfwidth
            )
            && CodePointMapData::<Script>::new().get(c) != Script::Hangul
    };
    wide(before) && wide(after)
}

/// Markdown's events without the soft line breaks that vanish
/// ([`break_vanishes`]): the text on either side of one is read as one,
/// on the page, in the plain text and by the matcher, and each side keeps
/// its own place in the file. The characters on either side are those of
/// the text around the break, across the starts and ends of emphasis and
/// links (`中村\n**美和**`).
pub(super) struct VanishingBreaks<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    events: I,
    /// Events read ahead to find the character after a break.
    ahead: VecDeque<(Event<'a>, Range<usize>)>,
    /// The last character of the text before, when nothing but inline
    /// tags has come since.
    before: Option<char>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> VanishingBreaks<'a, I> {
    pub fn new(events: I) -> Self {
        VanishingBreaks { events, ahead: VecDeque::new(), before: None }
    }

    /// The first character of the text that comes next, when nothing but
    /// inline tags comes before it.
    fn after(&mut self) -> Option<char> {
        for at in 0.. {
            if at == self.ahead.len() {
                self.ahead.push_back(self.events.next()?);
            }
            match &self.ahead[at].0 {
                Event::Text(text) | Event::Code(text) => return text.chars().next(),
                event if is_inline_tag(event) => {}
                _ => return None,
            }
        }
        None
    }
}

/// The start or end of emphasis, strong emphasis, strikethrough or a link:
/// no break between the characters on either side.
fn is_inline_tag(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for VanishingBreaks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (event, range) = match self.ahead.pop_front() {
                Some(next) => next,
                None => self.events.next()?,
            };
            match &event {
                Event::SoftBreak => {
                    if let Some(before) = self.before {
                        if self.after().is_some_and(|after| break_vanishes(before, after)) {
                            continue;
                        }
                    }
                    self.before = None;
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(last) = text.chars().next_back() {
                        self.before = Some(last);
                    }
                }
                event if is_inline_tag(event) => {}
                _ => self.before = None,
            }
            return Some((event, range));
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
    fn breaks_vanish_between_chinese_and_japanese_characters_only() {
        for (before, after) in [('村', '美'), ('。', '京'), ('ア', 'イ'), ('ｱ', 'ｲ'), ('、', '（'), ('Ａ', '字')]
        {
            assert!(break_vanishes(before, after), "{before}{after}");
        }
        // Latin, Hangul, and either of them beside a CJK character.
        for (before, after) in [('a', 'b'), ('한', '국'), ('村', 'a'), ('a', '村'), ('村', '한'), ('é', '字')] {
            assert!(!break_vanishes(before, after), "{before}{after}");
        }
    }

    #[test]
    fn breaks_vanish_across_emphasis_and_links_and_stay_elsewhere() {
        let html = |markdown: &str| {
            let events = VanishingBreaks::new(pulldown_cmark::Parser::new(markdown).into_offset_iter());
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, events.map(|(event, _)| event));
            out
        };
        assert_eq!(html("中村\n美和さん"), "<p>中村美和さん</p>\n");
        // Spaces at the end of the line go with it.
        assert_eq!(html("中村 \n  美和さん"), "<p>中村美和さん</p>\n");
        assert_eq!(html("中村\n**美和**さん"), "<p>中村<strong>美和</strong>さん</p>\n");
        assert_eq!(html("[中村](x)\n美和"), "<p><a href=\"x\">中村</a>美和</p>\n");
        assert_eq!(html("Kim\nJong-il"), "<p>Kim\nJong-il</p>\n");
        assert_eq!(html("京都\nKyoto"), "<p>京都\nKyoto</p>\n");
        assert_eq!(html("서울\n특별시"), "<p>서울\n특별시</p>\n");
        // A hard break is a break.
        assert_eq!(html("京都\\\n市"), "<p>京都<br />\n市</p>\n");
    }

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
