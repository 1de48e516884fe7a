//! The alias matcher: finds every name and alias of every entity in a text
//! in one pass.
//!
//! Text and patterns are compared after folding typographic apostrophes and
//! hyphens to ASCII, so `Kim’s` and `Kim's` both match `Kim`, and letters
//! regardless of case, by Unicode simple case folding (a match that differs
//! in case is a near miss, reported for a warning). Matches must be whole
//! words (a word is a run of letters and digits of any script with their
//! combining marks; in scripts written without spaces, such as Chinese,
//! Japanese and Thai, each character starts one; a name also ends where
//! Korean particles follow it, `김정일` in `김정일은`), so a match can only
//! start where a word does, and that word (less any particles) must be the
//! pattern's first word:
//! the patterns are indexed by their first word, and the text is read word by
//! word with one hash lookup each. (An aho-corasick automaton over all
//! patterns did the same work byte by byte, walking a table too large for the
//! cache; this is several times faster at archive scale.) Among overlapping
//! candidates the leftmost, then the longest wins, so `Kim Yong Sam` is one
//! mention and never `Kim` + `Yong Sam`.
//!
//! White space is no boundary: a space in a pattern matches any run of white
//! space in the text (line breaks, tabs, no-break spaces), so a name broken
//! by a line wrap is still one mention. The matcher also looks for *probes*:
//! words that are no name or alias but suggest one (a person's first name
//! alone), reported where no real match covers them.

use std::borrow::Cow;
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::model::EntityId;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Where a pattern came from: an entity's name (`alias: None`) or one of its
/// aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub entity: EntityId,
    pub alias: Option<usize>,
}

/// A pattern of the matcher and every entity that claims it.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The alias as written (first claimant's spelling).
    pub text: String,
    /// The pattern as the matcher compares it: folded, white space
    /// collapsed to single spaces, maybe capitalised.
    folded: String,
    pub owners: Vec<Owner>,
    /// The distinct entities of `owners`, in id order (see
    /// [`Pattern::entities`]).
    entities: Vec<EntityId>,
    /// A probe, not a name: its matches are possible mentions, never links.
    pub probe: bool,
    /// Is `folded` ASCII?
    ascii: bool,
}

impl Pattern {
    fn new(text: &str, folded: String, probe: bool) -> Self {
        let ascii = folded.is_ascii();
        Pattern { text: text.to_string(), folded, owners: Vec::new(), entities: Vec::new(), probe, ascii }
    }

    /// The distinct entities claiming this pattern, in id order.
    pub fn entities(&self) -> &[EntityId] {
        &self.entities
    }
}

/// A whole-word match of a pattern in a text (byte offsets into that text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// Everything [`AliasMatcher::find_all`] finds in a text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Matches {
    /// Whole-word matches of names and aliases, leftmost-longest,
    /// non-overlapping.
    pub found: Vec<Found>,
    /// Near misses: text equal to a name or alias except for case, where no
    /// match is.
    pub near: Vec<Found>,
    /// Probes (see [`AliasMatcher::new`]) where neither of the above is.
    pub probes: Vec<Found>,
    /// Inflected forms of one-word names and aliases (see
    /// [`AliasMatcher::with_inflections`]) where none of the above is.
    pub inflected: Vec<Found>,
}

/// The patterns that start with one first word, split by the letter their
/// next word starts with: a first name thousands of people share
/// (`Elena`) is then not tried whole at every `Elena` of the text, only
/// with the names whose next word starts as the text's does.
#[derive(Debug, Clone, Default)]
struct Candidates {
    /// Patterns to try whatever follows: of one word, or that go on
    /// beyond ASCII (where the text's letter is found by case folding,
    /// not by its bytes).
    any: Vec<usize>,
    /// Those whose next word, after a space, starts with an ASCII byte,
    /// sorted by that byte.
    by_next: Vec<Next>,
    /// Those that go on without a space, with an ASCII byte: initials
    /// (`W. Alabeiard`), hyphens (`Jean-Paul`). An archive has hundreds of
    /// `A.`, and the text an `a` in every sentence.
    joined: Vec<Next>,
}

/// A pattern that goes on with an ASCII byte, and how: the first eight
/// bytes of what follows its first word, less spaces (a space of a
/// pattern matches any run of white space), ASCII lower-cased, to the
/// first byte beyond ASCII. The text is compared with them here, before
/// the pattern is: in an archive of thousands of names the patterns are
/// megabytes, and reading one that does not match is two cache misses.
#[derive(Debug, Clone, Copy)]
struct Next {
    /// The bytes, the first in the lowest.
    prefix: u64,
    /// Ones over the bytes of `prefix`.
    mask: u64,
    pattern: usize,
}

impl Next {
    fn new(pattern: usize, goes_on: &[u8]) -> Self {
        let (prefix, mask) = ascii_prefix(goes_on);
        Next { prefix, mask, pattern }
    }

    fn first_byte(&self) -> u8 {
        self.prefix as u8
    }

    /// Does the text that follows, as [`ascii_prefix`] packs it, agree
    /// with this pattern as far as both are known?
    fn may_match(&self, (text, known): (u64, u64)) -> bool {
        (self.prefix ^ text) & self.mask & known == 0
    }
}

/// The first eight bytes of `bytes` that are not ASCII white space, ASCII
/// lower-cased and packed as [`Next`] packs them, to the first byte beyond
/// ASCII; and ones over the bytes taken. Beyond ASCII, case folding may
/// still match a pattern (`ſ`, the long s, is `s`), and white space may go
/// on: nothing after is compared.
fn ascii_prefix(bytes: &[u8]) -> (u64, u64) {
    let (mut prefix, mut mask, mut taken) = (0, 0, 0);
    for &b in bytes {
        if taken == 8 || !b.is_ascii() {
            break;
        }
        if !b.is_ascii_whitespace() {
            prefix |= u64::from(b.to_ascii_lowercase()) << (8 * taken);
            mask |= 0xFF << (8 * taken);
            taken += 1;
        }
    }
    (prefix, mask)
}

impl Candidates {
    fn add(&mut self, pattern: usize, after_first: &str) {
        let next = Next::new(pattern, after_first.as_bytes());
        match after_first.as_bytes() {
            [b' ', b, ..] if b.is_ascii() => self.by_next.push(next),
            [b, ..] if b.is_ascii() && *b != b' ' => self.joined.push(next),
            _ => self.any.push(pattern),
        }
    }

    /// The patterns that may match where the text's first word ends at
    /// byte `end` of `text`.
    fn for_text<'c>(&'c self, text: &str, end: usize) -> impl Iterator<Item = usize> + 'c {
        let bytes = text.as_bytes();
        let run = white_space_run(text, end);
        let at = end + run;
        let next: &[Next] = match bytes.get(at) {
            None => &[],
            // Nothing between the word and what follows.
            Some(_) if run == 0 => &self.joined,
            Some(b) if b.is_ascii() => {
                let b = b.to_ascii_lowercase();
                let from = self.by_next.partition_point(|n| n.first_byte() < b);
                let to = self.by_next.partition_point(|n| n.first_byte() <= b);
                &self.by_next[from..to]
            }
            Some(_) => &self.by_next,
        };
        let goes_on = ascii_prefix(bytes.get(at..).unwrap_or_default());
        self.any.iter().copied().chain(next.iter().filter(move |n| n.may_match(goes_on)).map(|n| n.pattern))
    }
}

/// All names and aliases of a site, compiled once.
#[derive(Debug, Clone)]
pub struct AliasMatcher {
    /// Pattern indices by [`first_key`] of their folded text, ASCII
    /// lower-cased.
    by_first_word: FxHashMap<Box<[u8]>, Candidates>,
    /// A bit per [`signature`] of those keys: most words of a text are no
    /// pattern's first word, and this says so without copying or hashing
    /// them (32 KB, so it stays in the cache).
    first_word_signatures: Box<[u64; SIGNATURE_WORDS]>,
    /// Does any pattern start with a character that is not part of a word
    /// (`'s-Hertogenbosch`)? Only then is every such character a candidate
    /// start too.
    starts_off_word: bool,
    pub patterns: Vec<Pattern>,
    /// Stems of one-word names and aliases (see
    /// [`AliasMatcher::with_inflections`]), and their patterns: empty
    /// unless some article's language inflects names.
    stems: FxHashMap<String, Vec<usize>>,
}

impl AliasMatcher {
    /// Builds the matcher from `(alias text, owner)` pairs. An alias that
    /// starts with a lower-case letter also matches capitalised, as at the
    /// start of a sentence ("the North" / "The North").
    ///
    /// `probes` are `(text, owner)` pairs of words worth reporting where
    /// they stand alone (a person's first name): matched exactly, never
    /// linked, and dropped when some alias spells the same.
    pub fn new<'a>(
        aliases: impl IntoIterator<Item = (&'a str, Owner)>,
        probes: impl IntoIterator<Item = (&'a str, Owner)>,
    ) -> Self {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (text, owner) in aliases {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            let normalized = collapse_white_space(&fold(trimmed).0);
            for variant in [Some(normalized.clone()), capitalized(&normalized)].into_iter().flatten() {
                let slot = *index.entry(variant.clone()).or_insert_with(|| {
                    patterns.push(Pattern::new(trimmed, variant, false));
                    patterns.len() - 1
                });
                if !patterns[slot].owners.contains(&owner) {
                    patterns[slot].owners.push(owner);
                }
            }
        }
        for (text, owner) in probes {
            let folded = collapse_white_space(&fold(text.trim()).0);
            if folded.is_empty() {
                continue;
            }
            let slot = *index.entry(folded.clone()).or_insert_with(|| {
                patterns.push(Pattern::new(text.trim(), folded, true));
                patterns.len() - 1
            });
            if patterns[slot].probe && !patterns[slot].owners.contains(&owner) {
                patterns[slot].owners.push(owner);
            }
        }
        let mut by_first_word: FxHashMap<Box<[u8]>, Candidates> = FxHashMap::default();
        let mut first_word_signatures = Box::new([0u64; SIGNATURE_WORDS]);
        let mut starts_off_word = false;
        for pattern in &mut patterns {
            pattern.entities = pattern.owners.iter().map(|o| o.entity).collect();
            pattern.entities.sort_unstable();
            pattern.entities.dedup();
        }
        let mut key = String::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let first = first_key(&pattern.folded, 0);
            let after_first = &pattern.folded[first.len()..];
            starts_off_word |= !pattern.folded.starts_with(is_word_char);
            let first = folded_key(first, &mut key);
            let bit = signature(first);
            first_word_signatures[bit / 64] |= 1 << (bit % 64);
            by_first_word.entry(first.into()).or_default().add(i, after_first);
        }
        for candidates in by_first_word.values_mut() {
            // Stable: the patterns of one letter stay in their order.
            candidates.by_next.sort_by_key(Next::first_byte);
        }
        AliasMatcher { by_first_word, first_word_signatures, starts_off_word, patterns, stems: FxHashMap::default() }
    }

    /// Also looks for inflected forms of one-word names and aliases: a
    /// word that is one (less a final vowel) and up to three more
    /// lower-case letters (`Путина` for `Путин`, `Wałęsy` for `Wałęsa`),
    /// left unlinked and reported as possible aliases (for languages that
    /// inflect names; in English it would only find `Berliner`).
    pub fn with_inflections(mut self) -> Self {
        for (i, pattern) in self.patterns.iter().enumerate() {
            let word = pattern.folded.as_str();
            if pattern.probe || !word.chars().all(is_word_char) || word.chars().any(unspaced) {
                continue;
            }
            let stem = stem(word);
            if stem.chars().count() >= 3 {
                self.stems.entry(stem.to_string()).or_default().push(i);
            }
        }
        self
    }

    /// Every whole-word match in `text`, leftmost-longest, non-overlapping.
    pub fn find(&self, text: &str) -> Vec<Found> {
        self.find_all(text).found
    }

    /// Whole-word matches (leftmost-longest, non-overlapping), the near
    /// misses and the probes of `text`.
    pub fn find_all(&self, text: &str) -> Matches {
        let (folded, map) = fold(text);
        let text = folded.as_bytes();
        let mut exact = Vec::new();
        let mut inexact = Vec::new();
        let mut probes = Vec::new();
        // Case-insensitive, so one pass also finds near misses ("the north"
        // for "the North"); exact case is checked per match.
        let mut key = Vec::new();
        let mut unicode_key = String::new();
        for_each_start(&folded, self.starts_off_word, |start, word_end, ascii| {
            let mut look_up = |key_end: usize| {
                let word = &text[start..key_end];
                let word: &[u8] = if ascii {
                    let bit = signature(word);
                    if self.first_word_signatures[bit / 64] & (1 << (bit % 64)) == 0 {
                        return;
                    }
                    key.clear();
                    key.extend(word.iter().map(u8::to_ascii_lowercase));
                    &key
                } else {
                    // Beyond ASCII, case is folded char by char (Cyrillic,
                    // Greek, Armenian…), so `ПУТИН` finds `Путин` as a near
                    // miss.
                    let folded_word = folded_key(&folded[start..key_end], &mut unicode_key);
                    let bit = signature(folded_word);
                    if self.first_word_signatures[bit / 64] & (1 << (bit % 64)) == 0 {
                        return;
                    }
                    folded_word
                };
                let Some(candidates) = self.by_first_word.get(word) else { return };
                for pattern in candidates.for_text(&folded, key_end) {
                    let wanted = &self.patterns[pattern];
                    let Some((end, same_case)) = match_at(&folded, start, &wanted.folded, wanted.ascii) else {
                        continue;
                    };
                    if !ends_name(&folded, end) {
                        continue;
                    }
                    let found = Found { start, end, pattern };
                    match (wanted.probe, same_case) {
                        (true, true) => probes.push(found),
                        (true, false) => {}
                        (false, true) => exact.push(found),
                        (false, false) => inexact.push(found),
                    }
                }
            };
            look_up(word_end);
            // A Korean word may be a name and its particles (`김정일은`):
            // the name is looked up without them.
            if !ascii && ends_in_hangul(&folded[..word_end]) {
                for (cut, _) in folded[start..word_end].char_indices().skip(1) {
                    if particles_at(&folded, start + cut) {
                        look_up(start + cut);
                    }
                }
            }
        });
        let found = leftmost_longest(exact);
        let near = without_overlaps(leftmost_longest(inexact), &found);
        let probes = without_overlaps(without_overlaps(leftmost_longest(probes), &found), &near);
        let inflected = if self.stems.is_empty() {
            Vec::new()
        } else {
            let mut inflected = Vec::new();
            for_each_start(&folded, false, |start, end, _| self.inflected(&folded, start, end, &mut inflected));
            without_overlaps(without_overlaps(without_overlaps(inflected, &found), &near), &probes)
        };
        let unfold = |list: Vec<Found>| -> Vec<Found> {
            match &map {
                Some(map) => list.into_iter().map(|f| Found { start: map[f.start], end: map[f.end], ..f }).collect(),
                None => list,
            }
        };
        Matches { found: unfold(found), near: unfold(near), probes: unfold(probes), inflected: unfold(inflected) }
    }

    /// Records the word `text[start..end]` if it is an inflected form of
    /// a one-word pattern: that pattern's stem and one to three lower-case
    /// letters, and no pattern itself.
    fn inflected(&self, text: &str, start: usize, end: usize, out: &mut Vec<Found>) {
        let word = &text[start..end];
        let mut cut = end - start;
        for _ in 0..3 {
            let Some(last) = word[..cut].chars().next_back() else { return };
            if !last.is_lowercase() {
                return;
            }
            cut -= last.len_utf8();
            let Some(patterns) = self.stems.get(&word[..cut]) else { continue };
            if let Some(&pattern) = patterns.iter().find(|&&p| self.patterns[p].folded != word) {
                out.push(Found { start, end, pattern });
            }
            return;
        }
    }
}

/// A one-word name less its final vowel, if it ends in one: the part its
/// inflected forms share (`Москв` of `Москва`, `Путин` of `Путин`).
fn stem(word: &str) -> &str {
    const VOWELS: &str = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿąęėįųаеёиоуыэюяіїєьйαεηιουωάέήίόύώ";
    match word.chars().next_back() {
        Some(last) if VOWELS.contains(last) && word.chars().count() > 3 => &word[..word.len() - last.len_utf8()],
        _ => word,
    }
}

/// `candidates` without those that overlap any of `taken` (both sorted).
fn without_overlaps(candidates: Vec<Found>, taken: &[Found]) -> Vec<Found> {
    if candidates.is_empty() || taken.is_empty() {
        return candidates;
    }
    candidates
        .into_iter()
        .filter(|n| {
            let after = taken.partition_point(|c| c.end <= n.start);
            taken.get(after).is_none_or(|c| c.start >= n.end)
        })
        .collect()
}

/// Compares the folded pattern `wanted` with `text` from byte `start`,
/// letters regardless of case ([`fold_case`]); each space of the pattern
/// matches a run of white space. Returns where the match ends and whether
/// its case is exact.
fn match_at(text: &str, start: usize, wanted: &str, ascii: bool) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    // Most text spaces a name as its pattern does: compare it whole first.
    if let Some(here) = bytes.get(start..start + wanted.len()) {
        if here.eq_ignore_ascii_case(wanted.as_bytes()) {
            return Some((start + wanted.len(), here == wanted.as_bytes()));
        }
    }
    let has_space = || wanted.as_bytes().contains(&b' ');
    if ascii {
        return if has_space() { match_ascii_at(text, start, wanted.as_bytes()) } else { None };
    }
    let mut at = start;
    let mut same_case = true;
    for w in wanted.chars() {
        if w == ' ' {
            let run = white_space_run(text, at);
            if run == 0 {
                return None;
            }
            at += run;
            continue;
        }
        let t = text.get(at..)?.chars().next()?;
        if t != w {
            if fold_case(t) != fold_case(w) {
                return None;
            }
            same_case = false;
        }
        at += t.len_utf8();
    }
    Some((at, same_case))
}

/// [`match_at`] for an ASCII pattern with spaces, byte by byte.
fn match_ascii_at(text: &str, start: usize, wanted: &[u8]) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let mut at = start;
    let mut same_case = true;
    for &w in wanted {
        if w == b' ' {
            let run = white_space_run(text, at);
            if run == 0 {
                return None;
            }
            at += run;
            continue;
        }
        let t = *bytes.get(at)?;
        if t != w {
            if !t.eq_ignore_ascii_case(&w) {
                return None;
            }
            same_case = false;
        }
        at += 1;
    }
    Some((at, same_case))
}

/// Simple Unicode case folding (one character for one, so offsets stay
/// put): lower case, and the letters whose lower case is no fold of theirs
/// (Greek final sigma and symbol variants, the long s) as case folding
/// maps them.
fn fold_case(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    let folded = match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    };
    match folded {
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        'ſ' => 's',
        '\u{345}' => 'ι',
        other => other,
    }
}

/// `word` case-folded ([`fold_case`]) as bytes, in `buffer`.
fn folded_key<'b>(word: &str, buffer: &'b mut String) -> &'b [u8] {
    buffer.clear();
    buffer.extend(word.chars().map(fold_case));
    buffer.as_bytes()
}

/// Length in bytes of the run of white space at byte `from` of `text`: a
/// line break, a tab and a no-break space (U+00A0, U+202F) are white space
/// like a space.
fn white_space_run(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&b) = bytes.get(at) {
        let len = if b.is_ascii() {
            usize::from(b.is_ascii_whitespace())
        } else {
            text[at..].chars().next().filter(|c| c.is_whitespace()).map_or(0, char::len_utf8)
        };
        if len == 0 {
            break;
        }
        at += len;
    }
    at - from
}

/// `text` with every run of white space made one space.
fn collapse_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps the leftmost, then longest, of overlapping candidates.
fn leftmost_longest(mut candidates: Vec<Found>) -> Vec<Found> {
    candidates.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut chosen: Vec<Found> = Vec::with_capacity(candidates.len());
    let mut covered = 0;
    for found in candidates {
        if found.start >= covered {
            covered = found.end;
            chosen.push(found);
        }
    }
    chosen
}

/// 64-bit words in [`AliasMatcher::first_word_signatures`]: 2^18 bits, a
/// few for each first word of ten thousand entities' names and aliases.
const SIGNATURE_WORDS: usize = 1 << 12;

/// An 18-bit digest of a first word, the same whatever its ASCII case: its
/// length, first three bytes and last. (Without the last, a text's common
/// words passed for one of an archive's ten thousand names twice as often
/// as a name was there.)
fn signature(word: &[u8]) -> usize {
    let byte = |i: usize| word.get(i).map_or(0, |b| u64::from(b.to_ascii_lowercase()));
    let last = byte(word.len().wrapping_sub(1));
    let mixed = (byte(0) | byte(1) << 8 | byte(2) << 16 | last << 24 | (word.len().min(255) as u64) << 32)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 46) as usize
}

/// The part of `text` from byte `at` that indexes patterns: the word that
/// starts there, the one character there (with its combining marks) when it
/// is of a script written without spaces, or the one character there when
/// it is not part of a word.
fn first_key(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    match rest.chars().next() {
        Some(c) if unspaced(c) => &rest[..c.len_utf8() + marks_at(&rest[c.len_utf8()..])],
        Some(c) if is_word_char(c) => {
            &rest[..rest.find(|c: char| !is_word_char(c) || unspaced(c)).unwrap_or(rest.len())]
        }
        Some(c) => &rest[..c.len_utf8()],
        None => rest,
    }
}

/// Length in bytes of the combining marks that start `text`.
fn marks_at(text: &str) -> usize {
    text.find(|c: char| !is_mark(c)).unwrap_or(text.len())
}

/// Calls `visit(start, key_end)` for every place in `text` where a match may
/// start, with the end of the [`first_key`] there: each word, each
/// character of a script written without spaces, and when `off_word` is
/// set, every character that is not part of a word.
fn for_each_start(text: &str, off_word: bool, mut visit: impl FnMut(usize, usize, bool)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let byte = bytes[at];
        // ASCII without decoding: most text is.
        let (class, len) = if byte.is_ascii() {
            (if byte.is_ascii_alphanumeric() { Class::Word } else { Class::Off }, 1)
        } else {
            class_of(text, at)
        };
        at += len;
        match class {
            Class::Off => {
                if off_word {
                    visit(start, at, len == 1);
                }
            }
            Class::Unspaced => {
                at += marks_at(&text[at..]);
                visit(start, at, false);
            }
            Class::Word => {
                let mut ascii = len == 1;
                while at < bytes.len() {
                    let byte = bytes[at];
                    if byte.is_ascii() {
                        if !byte.is_ascii_alphanumeric() {
                            break;
                        }
                        at += 1;
                        continue;
                    }
                    let (class, len) = class_of(text, at);
                    if class != Class::Word {
                        break;
                    }
                    ascii = false;
                    at += len;
                }
                visit(start, at, ascii);
            }
        }
    }
}

/// What a character is to [`for_each_start`].
#[derive(PartialEq)]
enum Class {
    Off,
    Word,
    Unspaced,
}

/// The class and byte length of the (non-ASCII) character at byte `at`.
#[inline(never)]
fn class_of(text: &str, at: usize) -> (Class, usize) {
    text[at..].chars().next().map_or((Class::Off, 1), |c| {
        let class = match c {
            c if unspaced(c) => Class::Unspaced,
            c if is_word_char(c) => Class::Word,
            _ => Class::Off,
        };
        (class, c.len_utf8())
    })
}

/// Does a name that ends at byte `at` of `text` end a word there? At a word
/// boundary, or where Korean particles follow it ([`particles_at`]):
/// `김정일` in `김정일은`, `UN` in `UN의`.
fn ends_name(text: &str, at: usize) -> bool {
    is_word_boundary(text, at) || (starts_with_hangul(&text[at..]) && particles_at(text, at))
}

/// Korean particles (조사), the endings Korean writes attached to the noun
/// they follow: `김정일은`, `서울에서`, `김대중 대통령과`. The common case,
/// conjunctive and auxiliary particles of Korean school grammar (each a
/// 조사 in the National Institute of Korean Language's Standard Korean
/// Language Dictionary, 표준국어대사전), both forms of each (after a
/// consonant and after a vowel: `은`/`는`, `으로`/`로`), and the forms of
/// the copula `이다` (a particle in that grammar, 서술격 조사) that news
/// prose writes after a name. The vocative particles (`아`, `이여`) are
/// left out: articles hardly address anyone (`야` is in, as the auxiliary
/// particle it is too). Particles stack (`에서는`, `과의`, `에서부터는`):
/// see [`particles_at`]. Neither form is checked against the name's last
/// syllable: a misspelt particle still ends the name.
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    // Case particles (격 조사): subject (이, 가, honorific 께서), object,
    // genitive.
    "이", "가", "께서", "을", "를", "의",
    // Adverbial case particles (부사격 조사): place and time, recipient and
    // source, direction, means and capacity, comparison, company.
    "에", "에서", "에게", "께", "한테", "더러", "에게서", "한테서", "로", "으로", "로서", "으로서", "로써", "으로써",
    "처럼", "만큼", "보다", "같이", "하고", "이랑", "랑",
    // Conjunctive particles (접속 조사).
    "와", "과", "이며", "며", "이나", "나",
    // Auxiliary particles (보조사).
    "은", "는", "도", "만", "까지", "부터", "마저", "조차", "밖에", "마다", "뿐", "대로", "요", "이야", "야",
    "이야말로", "야말로", "이라도", "라도", "이든지", "든지", "이든", "든", "커녕", "이나마", "나마",
    // The copula (서술격 조사 이다).
    "이다", "이고", "이었다", "였다", "입니다", "이라는", "라는", "이라고", "라고", "이자",
];

/// How many particles may stack after a name: three, as in `에서부터는`
/// (from-at + from + topic).
const MOST_PARTICLES: usize = 3;

/// Is `text` from byte `at` one to [`MOST_PARTICLES`] Korean particles
/// ([`PARTICLES`]) and then a word boundary? (`은` in `김정일은,`; not in
/// `김정일은행`, where `행` is no particle.)
fn particles_at(text: &str, at: usize) -> bool {
    fn from(text: &str, at: usize, left: usize) -> bool {
        let rest = &text[at..];
        PARTICLES.iter().any(|p| {
            rest.starts_with(p)
                && (is_word_boundary(text, at + p.len()) || left > 1 && from(text, at + p.len(), left - 1))
        })
    }
    from(text, at, MOST_PARTICLES)
}

/// A Hangul syllable (U+AC00 to U+D7A3): every particle is written in them.
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn starts_with_hangul(text: &str) -> bool {
    text.chars().next().is_some_and(is_hangul_syllable)
}

fn ends_in_hangul(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_hangul_syllable)
}

/// Is there a word boundary at byte `at` of `text`? Not between two word
/// characters, unless one is of a script written without spaces; never
/// before a combining mark that belongs to the character before it.
fn is_word_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    if let (Some(&before), Some(&after)) = (at.checked_sub(1).and_then(|i| bytes.get(i)), bytes.get(at)) {
        if before.is_ascii() && after.is_ascii() {
            return !(before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric());
        }
    }
    let Some(after) = text[at..].chars().next() else { return true };
    let before_text = &text[..at];
    let Some(mut before) = before_text.chars().next_back() else { return true };
    if is_mark(before) {
        // Marks after a character of a script without spaces are its own;
        // otherwise they are word characters like letters.
        if let Some(base) = before_text.chars().rev().find(|&c| !is_mark(c)).filter(|&c| unspaced(c)) {
            before = base;
        }
    }
    if !is_word_char(before) {
        return true;
    }
    if is_mark(after) {
        return false;
    }
    !is_word_char(after) || unspaced(before) || unspaced(after)
}

/// Part of a word: a letter or digit of any script, or a combining mark
/// (Devanagari vowel signs, Hebrew points, Arabic harakat), or a
/// zero-width (non-)joiner, which Persian and Indic words hold. (Not UAX
/// #29's word boundaries: they make `Kim's` and `U.S.` one word, where a
/// possessive must end a name, and cut ideographs one by one all the same.)
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && (is_mark(c) || c == '\u{200C}' || c == '\u{200D}'))
}

/// A combining mark (General Category M).
fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// Is `c` of a script written without spaces between words (Han, kana,
/// Thai, Lao, Khmer, Myanmar)? Names in them match anywhere, without word
/// boundaries. (`static/gloss.js` has the same ranges, for search.)
pub(crate) fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}' // Khmer
        | '\u{3005}'..='\u{3007}' // 々 〆 〇
        | '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' // kana
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' // Han
        | '\u{A9E0}'..='\u{A9FF}' | '\u{AA60}'..='\u{AA7F}' // Myanmar
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{20000}'..='\u{3FFFF}' // Han
    )
}

/// The first letter upper-cased, when that changes anything.
fn capitalized(s: &str) -> Option<String> {
    let first = s.chars().next()?;
    if !first.is_lowercase() {
        return None;
    }
    let mut out: String = first.to_uppercase().collect();
    out.push_str(&s[first.len_utf8()..]);
    Some(out)
}

/// Folds text for matching: Unicode NFC (so a name typed with combining
/// accents matches one typed precomposed) and typographic apostrophes and
/// hyphens to ASCII. When that changes anything, also returns a map from
/// each folded byte offset (and the end) to the original offset.
pub fn fold(text: &str) -> (Cow<'_, str>, Option<Vec<usize>>) {
    let folds = |c: char| match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => Some('\''),
        '\u{2010}' | '\u{2011}' => Some('-'),
        _ => None,
    };
    // Most text is ASCII, which is composed and has nothing to fold.
    if text.is_ascii() {
        return (Cow::Borrowed(text), None);
    }
    let composed = is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if composed && !text.chars().any(|c| folds(c).is_some()) {
        return (Cow::Borrowed(text), None);
    }
    let mut folded = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut segment = String::new();
    let push = |segment: &str, start: usize, folded: &mut String, map: &mut Vec<usize>| {
        let nfc: Cow<str> = if composed { Cow::Borrowed(segment) } else { Cow::Owned(segment.nfc().collect()) };
        for c in nfc.chars() {
            let out = folds(c).unwrap_or(c);
            map.extend(std::iter::repeat_n(start, out.len_utf8()));
            folded.push(out);
        }
    };
    // A segment is a starter and the combining marks after it: the unit
    // that composition works on, and the unit offsets map back to.
    let mut segment_start = 0;
    for (offset, c) in text.char_indices() {
        if canonical_combining_class(c) == 0 && !segment.is_empty() {
            push(&segment, segment_start, &mut folded, &mut map);
            segment.clear();
            segment_start = offset;
        }
        segment.push(c);
    }
    push(&segment, segment_start, &mut folded, &mut map);
    map.push(text.len());
    (Cow::Owned(folded), Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(aliases: &[(&str, usize)]) -> AliasMatcher {
        AliasMatcher::new(aliases.iter().map(|&(a, e)| (a, Owner { entity: e.into(), alias: None })), [])
    }

    /// A matcher of generated aliases and probes, the `i`th of each owned
    /// by entity `i`.
    fn numbered(aliases: &[String], probes: &[String]) -> AliasMatcher {
        fn owned(list: &[String]) -> impl Iterator<Item = (&str, Owner)> {
            list.iter().enumerate().map(|(i, a)| (a.as_str(), Owner { entity: i.into(), alias: None }))
        }
        AliasMatcher::new(owned(aliases), owned(probes))
    }

    fn found<'t>(m: &AliasMatcher, text: &'t str) -> Vec<(&'t str, usize)> {
        let owner = |f: &Found| m.patterns[f.pattern].owners[0].entity.index();
        m.find(text).into_iter().map(|f| (&text[f.start..f.end], owner(&f))).collect()
    }

    #[test]
    fn longest_match_wins() {
        let m = matcher(&[("Kim", 0), ("Kim Yong Sam", 1)]);
        assert_eq!(found(&m, "Kim met Kim Yong Sam."), [("Kim", 0), ("Kim Yong Sam", 1)]);
    }

    #[test]
    fn names_sharing_a_first_word_are_told_apart_by_the_next() {
        let m = matcher(&[
            ("Elena", 0),
            ("Elena Vorona", 1),
            ("Elena Siklabreski", 2),
            ("Elena von Ost", 3),
            ("Elena Østby", 4),
            ("Elena Kovač", 5),
        ]);
        let text = "Elena\nSiklabreski met Elena\u{a0}Vorona, Elena  von\tOst, Elena Østby and Elena.";
        let expected = [
            ("Elena\nSiklabreski", 2),
            ("Elena\u{a0}Vorona", 1),
            ("Elena  von\tOst", 3),
            ("Elena Østby", 4),
            ("Elena", 0),
        ];
        assert_eq!(found(&m, text), expected);
        assert_eq!(found(&m, "Elena Varga and Elena-Vorona"), [("Elena", 0), ("Elena", 0)]);
        // In upper case they are near misses, beyond ASCII too.
        let m = matcher(&[("Elena Vorona", 1), ("Elena Siklabreski", 2), ("Elena Østby", 4)]);
        let Matches { found, near, .. } = m.find_all("ELENA VORONA and ELENA ØSTBY");
        assert!(found.is_empty(), "{found:?}");
        let near: Vec<usize> = near.iter().map(|f| m.patterns[f.pattern].owners[0].entity.index()).collect();
        assert_eq!(near, [1, 4]);
    }

    #[test]
    fn names_sharing_the_start_of_their_next_word_are_told_apart() {
        let m = matcher(&[
            ("Ana Voronova", 0),
            ("Ana Voronovskaja", 1),
            ("Ana Voronovitch Sr", 2),
            ("Ana Sovač", 3),
            ("Ana Sosolić", 4),
        ]);
        let text = "Ana Voronovskaja, Ana\nVORONOVA, Ana Voronovitch\tSr, Ana Voronov, Ana Voronovitch.";
        // Found, then near misses (the second differs in case).
        let expected = [("Ana Voronovskaja", 1), ("Ana Voronovitch\tSr", 2), ("Ana\nVORONOVA", 0)];
        let Matches { found: exact, near, .. } = m.find_all(text);
        let spans: Vec<(&str, usize)> = exact
            .iter()
            .chain(&near)
            .map(|f| (&text[f.start..f.end], m.patterns[f.pattern].owners[0].entity.index()))
            .collect();
        assert_eq!(spans, expected);
        // Initials are told apart by what follows them, not tried at every
        // `a` of the text.
        let m = matcher(&[("W. Alabeiard", 0), ("W. Beikizsen", 1), ("A. Diprasen", 2), ("Jean-Paul Sartre", 3)]);
        let text =
            "A spokesperson for W. Alabeiard and W.\nBeikizsen met A. Diprasen, a W. Smith and Jean-Paul  Sartre.";
        let expected = [("W. Alabeiard", 0), ("W.\nBeikizsen", 1), ("A. Diprasen", 2), ("Jean-Paul  Sartre", 3)];
        assert_eq!(found(&m, text), expected);
        let m = matcher(&[("Ana Sovač", 3), ("Ana Sosolić", 4)]);
        // The next word is compared ahead only as far as it is ASCII: past
        // that, case folding decides (`ſ`, the long s, folds to `s`).
        let text = "Ana ſovač and Ana Soſolić";
        let near: Vec<&str> = m.find_all(text).near.iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(near, ["Ana ſovač", "Ana Soſolić"]);
    }

    #[test]
    fn whole_words_only() {
        let m = matcher(&[("Kim", 0), ("Korea", 1)]);
        assert_eq!(found(&m, "Kimchi in North Korean towns"), []);
    }

    #[test]
    fn possessives_and_typographic_apostrophes() {
        let m = matcher(&[("Kim", 0), ("Russia's far east", 1)]);
        assert_eq!(found(&m, "Kim’s train crossed Russia’s far east."), [("Kim", 0), ("Russia’s far east", 1)]);
        assert_eq!(found(&m, "Kim's train"), [("Kim", 0)]);
    }

    #[test]
    fn hyphen_variants_match() {
        let m = matcher(&[("Komsomolsk-on-Amur", 0)]);
        assert_eq!(found(&m, "to Komsomolsk\u{2011}on\u{2011}Amur."), [("Komsomolsk\u{2011}on\u{2011}Amur", 0)]);
    }

    #[test]
    fn composed_and_decomposed_names_match_each_other() {
        let composed = "Kim Dae-jung met Ségolène Royal";
        let decomposed = "Kim Dae-jung met Se\u{301}gole\u{300}ne Royal";
        for alias in ["Ségolène Royal", "Se\u{301}gole\u{300}ne Royal"] {
            let m = matcher(&[(alias, 0)]);
            assert_eq!(found(&m, composed), [("Ségolène Royal", 0)]);
            assert_eq!(found(&m, decomposed), [("Se\u{301}gole\u{300}ne Royal", 0)]);
        }
    }

    #[test]
    fn lower_case_aliases_match_at_sentence_start() {
        let m = matcher(&[("the North", 0)]);
        assert_eq!(found(&m, "The North engages, as the North does."), [("The North", 0), ("the North", 0)]);
    }

    #[test]
    fn a_rejected_longer_candidate_leaves_room_for_a_shorter_one() {
        let m = matcher(&[("Kim", 0), ("Kim Yong", 1)]);
        assert_eq!(found(&m, "Kim Yongbyon"), [("Kim", 0)]);
    }

    #[test]
    fn near_misses_differ_only_in_case() {
        let m = matcher(&[("the North", 0), ("Kim", 1)]);
        let Matches { found, near, .. } = m.find_all("the north and KIM met Kim");
        assert_eq!(found.len(), 1);
        let near: Vec<(usize, usize)> = near.iter().map(|f| (f.start, f.end)).collect();
        assert_eq!(near, [(0, 9), (14, 17)]);
    }

    #[test]
    fn names_match_across_any_white_space() {
        let m = matcher(&[("Angela Merkel", 0), ("Berlin", 1), ("Berlin Wall", 2), ("the former Soviet leader", 3)]);
        assert_eq!(found(&m, "Angela\nMerkel"), [("Angela\nMerkel", 0)]);
        assert_eq!(found(&m, "Angela \t\n  Merkel"), [("Angela \t\n  Merkel", 0)]);
        assert_eq!(
            found(&m, "Angela\u{a0}Merkel and Angela\u{202f}Merkel"),
            [("Angela\u{a0}Merkel", 0), ("Angela\u{202f}Merkel", 0)]
        );
        // The longest match still wins across the break.
        assert_eq!(found(&m, "the Berlin\nWall fell in Berlin"), [("Berlin\nWall", 2), ("Berlin", 1)]);
        assert_eq!(found(&m, "The former Soviet\nleader"), [("The former Soviet\nleader", 3)]);
        // A space in the pattern needs some white space in the text.
        assert_eq!(found(&m, "AngelaMerkel"), []);
    }

    #[test]
    fn aliases_written_with_odd_spacing_match_plain_text() {
        let m = matcher(&[(" Angela \u{a0} Merkel ", 0)]);
        assert_eq!(found(&m, "Angela Merkel"), [("Angela Merkel", 0)]);
    }

    #[test]
    fn probes_report_only_where_no_name_matches() {
        let owner = Owner { entity: 0.into(), alias: None };
        let m = AliasMatcher::new([("Angela Merkel", owner), ("Merkel", owner)], [("Angela", owner)]);
        let matches = m.find_all("Angela said so; Angela Merkel agreed. angela");
        let probes: Vec<(usize, usize)> = matches.probes.iter().map(|f| (f.start, f.end)).collect();
        assert_eq!(probes, [(0, 6)]);
        assert_eq!(matches.found.len(), 1);
        // A probe that some alias spells is that alias, nothing more.
        let m = AliasMatcher::new([("Angela", owner)], [("Angela", owner)]);
        assert_eq!(m.find_all("Angela").probes, []);
        assert_eq!(m.find_all("Angela").found.len(), 1);
    }

    #[test]
    fn words_of_any_script_are_whole_words() {
        let m = matcher(&[("Путин", 0), ("Αθήνα", 1), ("الرياض", 2), ("ירושלים", 3), ("हिन्दी", 4)]);
        assert_eq!(found(&m, "Путин, Путина, Путинизм. Путин."), [("Путин", 0), ("Путин", 0)]);
        assert_eq!(found(&m, "Αθήνα Αθήνας"), [("Αθήνα", 1)]);
        assert_eq!(found(&m, "الرياض الرياضة"), [("الرياض", 2)]);
        assert_eq!(found(&m, "בירושלים ירושלים"), [("ירושלים", 3)]);
        // A vowel sign (a combining mark) continues the word.
        let m = matcher(&[("हिन", 0)]);
        assert_eq!(found(&m, "हिन्दी"), []);
    }

    #[test]
    fn names_in_scripts_without_spaces_match_anywhere() {
        let m = matcher(&[("安倍晋三", 0), ("安倍", 1), ("東京", 2), ("Sony", 3)]);
        assert_eq!(
            found(&m, "昨日安倍晋三首相は東京都で。安倍氏はSony株式会社へ"),
            [("安倍晋三", 0), ("東京", 2), ("安倍", 1), ("Sony", 3)]
        );
        // A Thai name does not end inside a letter and its vowel sign.
        let m = matcher(&[("กร", 0)]);
        assert_eq!(found(&m, "กรุงเทพ"), []);
        assert_eq!(found(&m, "ไปกรเทพ"), [("กร", 0)]);
    }

    #[test]
    fn korean_names_match_before_their_particles() {
        let m = matcher(&[("김정일", 0), ("김대중 대통령", 1), ("평양", 2), ("서울", 3), ("UN", 4), ("김정", 5)]);
        // The mention is the name; the particle stays outside it.
        assert_eq!(
            found(&m, "김정일은 2000년 6월 평양에서 김대중 대통령과 만났다."),
            [("김정일", 0), ("평양", 2), ("김대중 대통령", 1)]
        );
        assert_eq!(
            found(&m, "김정일이 서울을 방문하지 않았고, 김정일의 답방은 UN의 관심사였다."),
            [("김정일", 0), ("서울", 3), ("김정일", 0), ("UN", 4)]
        );
        // Particles stack: locative + topic, company + genitive, from + topic.
        assert_eq!(
            found(&m, "서울에서는 김대중 대통령과의 회담을, 평양에서부터는 김정일에게도 알렸다."),
            [("서울", 3), ("김대중 대통령", 1), ("평양", 2), ("김정일", 0)]
        );
        // The copula is a particle too; a name alone is still a name.
        assert_eq!(found(&m, "그가 김정일이다. 김정일"), [("김정일", 0), ("김정일", 0)]);
        // Not inside other words: `은행` (bank) is no particle, nor `성`.
        assert_eq!(found(&m, "김정일은행 김정일성 서울대학교 평양냉면"), []);
        // `김정` is no name in `김정일은`: `일은` is no particle.
        assert_eq!(found(&m, "김정일은"), [("김정일", 0)]);
        // A short name and a particle may spell a longer name: the longer
        // wins where it is a name too.
        assert_eq!(found(&m, "김정은"), [("김정", 5)]);
        let m = matcher(&[("김정", 0), ("김정은", 1)]);
        assert_eq!(found(&m, "김정은은 김정은"), [("김정은", 1), ("김정은", 1)]);
    }

    #[test]
    fn particles_end_at_a_word_boundary() {
        assert!(particles_at("은,", 0));
        assert!(particles_at("에서부터는 ", 0));
        assert!(!particles_at("은행", 0));
        assert!(!particles_at("", 0));
        assert!(!particles_at("에게서부터는도", 0));
    }

    #[test]
    fn case_differs_by_unicode_case_folding() {
        let m = matcher(&[("Путин", 0), ("Σάμος", 1), ("Ærø", 2)]);
        let matches = m.find_all("ПУТИН и Путин; ΣΆΜΟΣ; ærø");
        assert_eq!(matches.found.len(), 1);
        let near: Vec<&str> = matches.near.iter().map(|f| &"ПУТИН и Путин; ΣΆΜΟΣ; ærø"[f.start..f.end]).collect();
        assert_eq!(near, ["ПУТИН", "ΣΆΜΟΣ", "ærø"]);
        assert_eq!(fold_case('ς'), 'σ');
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let m = matcher(&[("Путин", 0), ("Москва", 1), ("Wałęsa", 2), ("Ли", 3)]).with_inflections();
        let text = "Путина и Путину, Путин. В Москве, Москву. Wałęsy. Лиса, Путинцевы.";
        let inflected: Vec<&str> = m.find_all(text).inflected.iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(inflected, ["Путина", "Путину", "Москве", "Москву", "Wałęsy"]);
        assert_eq!(matcher(&[("Путин", 0)]).find_all(text).inflected, []);
    }

    #[test]
    fn shared_aliases_keep_every_owner() {
        let m = matcher(&[("Kim", 0), ("Kim", 1)]);
        assert_eq!(m.patterns[0].entities(), [EntityId::from(0), EntityId::from(1)]);
    }

    /// The definition, by brute force: white space collapsed to single
    /// spaces (offsets mapped back), then every pattern tried at every
    /// offset.
    fn reference(m: &AliasMatcher, original: &str) -> Matches {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut chars = original.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if c.is_whitespace() {
                while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                    chars.next();
                }
                text.push(' ');
                map.push(at);
            } else {
                text.push(c);
                map.extend((0..c.len_utf8()).map(|i| at + i));
            }
        }
        map.push(original.len());
        let text = text.as_str();
        let (exact, inexact): (Vec<Found>, Vec<Found>) = (0..=text.len())
            .filter(|&start| text.is_char_boundary(start) && is_word_boundary(text, start))
            .flat_map(|start| m.patterns.iter().enumerate().map(move |(pattern, p)| (start, pattern, p)))
            .filter_map(|(start, pattern, p)| {
                let here = text.as_bytes().get(start..start + p.folded.len())?;
                let end = start + p.folded.len();
                (here.eq_ignore_ascii_case(p.folded.as_bytes()) && ends_name(text, end)).then_some(Found {
                    start,
                    end,
                    pattern,
                })
            })
            .partition(|f| text[f.start..f.end] == m.patterns[f.pattern].folded);
        let (probes, exact): (Vec<Found>, Vec<Found>) = exact.into_iter().partition(|f| m.patterns[f.pattern].probe);
        let inexact: Vec<Found> = inexact.into_iter().filter(|f| !m.patterns[f.pattern].probe).collect();
        let overlaps = |a: &Found, b: &Found| a.start < b.end && b.start < a.end;
        let found = leftmost_longest(exact);
        let near: Vec<Found> =
            leftmost_longest(inexact).into_iter().filter(|n| !found.iter().any(|c| overlaps(c, n))).collect();
        let probes: Vec<Found> = leftmost_longest(probes)
            .into_iter()
            .filter(|p| !found.iter().chain(&near).any(|c| overlaps(c, p)))
            .collect();
        let unmap = |list: Vec<Found>| list.into_iter().map(|f| Found { start: map[f.start], end: map[f.end], ..f });
        Matches {
            found: unmap(found).collect(),
            near: unmap(near).collect(),
            probes: unmap(probes).collect(),
            inflected: Vec::new(),
        }
    }

    proptest::proptest! {
        #[test]
        fn word_index_finds_what_brute_force_finds(
            aliases in proptest::collection::vec("(the |'|-)?[KkYy][io]m?( [Yy]ong| Sam|-il|'s)?", 1..8),
            probes in proptest::collection::vec("[KkYy][io]m?|Yong|Sam", 0..3),
            pieces in proptest::collection::vec(
                "[KkYy][io]m?|[Yy]ong|Sam|the|THE|-il|'s|é| |[ .,'-]|[ \t\n\u{a0}\u{202f}]{1,3}",
                0..60,
            ),
        ) {
            let text = pieces.concat();
            let m = numbered(&aliases, &probes);
            proptest::prop_assert_eq!(m.find_all(&text), reference(&m, &text));
        }

        /// Names that share their first word and the start of the next,
        /// or an initial, which the matcher compares ahead of the whole
        /// name: whole, cut short, in other case, or going on beyond ASCII.
        #[test]
        fn names_sharing_the_start_of_their_next_word_are_found_as_brute_force_finds_them(
            aliases in proptest::collection::vec("(Ana |ANA |the |A\\. |a\\.|Ana-)(Vorono|VORONO|vorono|Vé)(vitch|v|vska|vskaja|ß|é)?( Sr)?", 1..8),
            pieces in proptest::collection::vec("Ana|ANA|the|A|a|Vorono|VORONO|Vé|vitch|v|vska|vskaja|ß|é|Sr|[ .,'-]|[ \t\n\u{a0}]{1,2}", 0..60),
        ) {
            let text = pieces.concat();
            let m = numbered(&aliases, &[]);
            proptest::prop_assert_eq!(m.find_all(&text), reference(&m, &text));
        }

        /// Korean: names before particles, found as brute force finds
        /// them.
        #[test]
        fn korean_particles_are_found_as_brute_force_finds_them(
            aliases in proptest::collection::vec("(김|정|일|UN)(정|일)?( 대통령)?", 1..6),
            pieces in proptest::collection::vec("김|정|일|은|는|의|에서|과|행|UN|대통령| |[ .,]", 0..40),
        ) {
            let text = pieces.concat();
            let m = numbered(&aliases, &[]);
            proptest::prop_assert_eq!(m.find_all(&text), reference(&m, &text));
        }

        /// Names as editors wrap them: random white space (spaces, tabs,
        /// line breaks, no-break spaces) between the words of each name,
        /// and each name is found whole, as brute force finds it.
        #[test]
        fn names_broken_by_any_white_space_are_found_whole(
            names in proptest::collection::vec(("[A-Z][a-z]{1,6}", "[A-Z][a-z]{1,6}", proptest::option::of("[A-Z][a-z]{1,6}")), 1..5),
            text in proptest::collection::vec((0usize..5, "[ \t\n\u{a0}\u{202f}]{1,4}", "[ \t\n\u{a0}\u{202f}]{1,4}", "( and | said |, )"), 1..12),
        ) {
            let full: Vec<String> = names.iter().map(|(a, b, c)| match c {
                Some(c) => format!("{a} {b} {c}"),
                None => format!("{a} {b}"),
            }).collect();
            let m = matcher(&full.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect::<Vec<_>>());
            let mut written = String::new();
            for (pick, space1, space2, joint) in &text {
                let (a, b, c) = &names[pick % names.len()];
                written.push_str(a);
                written.push_str(space1);
                written.push_str(b);
                if let Some(c) = c {
                    written.push_str(space2);
                    written.push_str(c);
                }
                written.push_str(joint);
            }
            let matches = m.find_all(&written);
            proptest::prop_assert_eq!(&matches, &reference(&m, &written));
            // Every name written is found whole (a shorter name never wins
            // over the longer one it starts).
            proptest::prop_assert_eq!(matches.found.len(), text.len());
        }
    }
}
