//! Context: the sentence a mention stands in, as glossary pages quote it.
//!
//! A block's sentence ends are found once, in one pass; each mention then
//! finds its sentence by binary search and trims it to a readable length
//! around the mention, so the cost stays linear in the size of the text even
//! for a paragraph with thousands of mentions.

use std::borrow::Cow;
use std::ops::Range;

/// Longest context quoted on either side of a mention, in characters.
pub const MAX_CONTEXT_CHARS: usize = 200;

/// The sentence ends of one block of plain text.
#[derive(Debug)]
pub struct Sentences<'t> {
    text: &'t str,
    /// (byte of the `.`/`!`/`?`, byte just past it and its closing quotes).
    ends: Vec<(usize, usize)>,
}

impl<'t> Sentences<'t> {
    /// Finds every sentence end: `.`, `!` or `?`, then closing quotes or
    /// brackets, then white space or the end of the text.
    pub fn new(text: &'t str) -> Self {
        let mut ends = Vec::new();
        // The marks are ASCII, so memchr finds them without decoding the text.
        for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
            let mut after = i + 1;
            let mut rest = text[after..].chars();
            let next = loop {
                match rest.next() {
                    Some(c @ ('"' | '\'' | '’' | '”' | ')' | ']' | '»')) => after += c.len_utf8(),
                    other => break other,
                }
            };
            if next.is_none_or(char::is_whitespace) {
                ends.push((i, after));
            }
        }
        Sentences { text, ends }
    }

    /// The whole sentence around `range`, as byte bounds.
    pub fn bounds(&self, range: Range<usize>) -> (usize, usize) {
        let text = self.text;
        // The last sentence end wholly before the mention.
        let previous = self.ends.partition_point(|&(_, after)| after <= range.start);
        let mut start = if previous == 0 { 0 } else { self.ends[previous - 1].1 };
        let gap = &text[start..range.start];
        start += gap.len() - gap.trim_start().len();
        // The first sentence end at or after the mention's end.
        let next = self.ends.partition_point(|&(i, _)| i < range.end);
        let end = match self.ends.get(next) {
            Some(&(_, after)) => text[..after].trim_end().len(),
            None => text.trim_end().len().max(range.end),
        };
        (start, end)
    }

    /// What to quote around the mention at `range`: its sentence, trimmed
    /// to [`MAX_CONTEXT_CHARS`] a side. Ranges, not copies: a site keeps
    /// hundreds of thousands of these.
    pub fn quote(&self, range: Range<usize>) -> Quote {
        let (start, end) = self.bounds(range.clone());
        let clipped_start = clamp_start(self.text, start, range.start);
        let clipped_end = clamp_end(self.text, range.end, end);
        Quote { span: clipped_start..clipped_end, cut_before: clipped_start > start, cut_after: clipped_end < end }
    }

    /// The text before and after the mention at `range`, with an ellipsis
    /// where something was cut (see [`Quote::around`]).
    #[cfg(test)]
    fn context(&self, range: Range<usize>) -> (String, String) {
        let (before, after) = self.quote(range.clone()).around(self.text, range);
        (before.into_owned(), after.into_owned())
    }
}

/// The part of a block quoted around a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Byte range in the block's text, mention included.
    pub span: Range<usize>,
    pub cut_before: bool,
    pub cut_after: bool,
}

impl Quote {
    /// The text before and after the mention at `mention` (within the
    /// block text `text`), with an ellipsis where something was cut.
    pub fn around<'t>(&self, text: &'t str, mention: Range<usize>) -> (Cow<'t, str>, Cow<'t, str>) {
        let before = text[self.span.start..mention.start].trim_start();
        let after = text[mention.end..self.span.end].trim_end();
        (
            if self.cut_before { Cow::Owned(format!("…{before}")) } else { Cow::Borrowed(before) },
            if self.cut_after { Cow::Owned(format!("{after}…")) } else { Cow::Borrowed(after) },
        )
    }
}

/// Moves `start` forward so at most [`MAX_CONTEXT_CHARS`] precede `limit`,
/// cutting at a space. Walks back from `limit` only, so it costs
/// O(MAX_CONTEXT_CHARS) however long the sentence.
fn clamp_start(text: &str, start: usize, limit: usize) -> usize {
    match text[start..limit].char_indices().rev().nth(MAX_CONTEXT_CHARS - 1) {
        Some((i, _)) if i > 0 => {
            let cut = start + i;
            text[cut..limit].find(' ').map_or(cut, |j| cut + j + 1)
        }
        _ => start,
    }
}

/// Moves `end` back so at most [`MAX_CONTEXT_CHARS`] follow `from`, cutting
/// at a space.
fn clamp_end(text: &str, from: usize, end: usize) -> usize {
    match text[from..end].char_indices().nth(MAX_CONTEXT_CHARS) {
        Some((i, _)) => text[from..from + i].rfind(' ').map_or(from + i, |j| from + j),
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str, word: &str) -> String {
        let at = text.find(word).unwrap();
        let (s, e) = Sentences::new(text).bounds(at..at + word.len());
        text[s..e].to_string()
    }

    #[test]
    fn sentence_around_a_mention() {
        assert_eq!(
            sentence("Kim left. He met Putin in Vladivostok! Then home.", "Putin"),
            "He met Putin in Vladivostok!"
        );
        assert_eq!(sentence("Kim left. He met Putin", "Putin"), "He met Putin");
        assert_eq!(sentence("Putin. Then", "Putin"), "Putin.");
    }

    #[test]
    fn sentence_ends_after_closing_quotes() {
        assert_eq!(sentence("He said “go.” Putin agreed. Later.", "Putin"), "Putin agreed.");
    }

    #[test]
    fn abbreviations_without_a_following_space_do_not_end_sentences() {
        assert_eq!(
            sentence("The U.S.-Korea talks with Putin ended.", "Putin"),
            "The U.S.-Korea talks with Putin ended."
        );
    }

    #[test]
    fn long_sentences_are_trimmed_around_the_mention_with_ellipses() {
        let text = format!("{} Putin {}", "word ".repeat(100), "more ".repeat(100));
        let at = text.find("Putin").unwrap();
        let (before, after) = Sentences::new(&text).context(at..at + 5);
        assert!(before.starts_with('…') && after.ends_with('…'));
        assert!(before.chars().count() <= MAX_CONTEXT_CHARS + 1);
        assert!(after.chars().count() <= MAX_CONTEXT_CHARS + 1);
    }

    #[test]
    fn short_contexts_are_whole() {
        let text = "Kim met Putin.";
        let (before, after) = Sentences::new(text).context(8..13);
        assert_eq!((before.as_str(), after.as_str()), ("Kim met ", "."));
    }
}
