//! The search index, as static scripts: `search-index.js` holds every entity
//! (name, aliases, summary), every article (title, byline, summary) and a
//! word list; the paragraphs of the text are in `search/text-<n>.js`, a
//! chunk of [`routes::ARTICLES_PER_SEARCH_CHUNK`] articles each.
//!
//! The word list says, for every word of the text, which chunks hold it, so
//! a search loads only the chunks that can match: an archive's text runs to
//! tens of megabytes, a reader's search to a few chunks. Scripts, not JSON
//! fetched at run time, so search works from `file://` as well as on any
//! host. Paths are relative to the site root; the search script prefixes
//! them.
//!
//! Words are cut and folded as `static/gloss.js` does (see [`fold`] and
//! [`for_each_token`]): lower case, without accents, split on anything that
//! is neither a letter, a number nor a mark; scripts written without
//! spaces in character pairs.

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use typed_index_collections::TiSlice;

use crate::annotate::AnnotatedArticle;
use crate::model::{ArticleId, EntityId};

/// The annotated articles, by id.
type Articles = TiSlice<ArticleId, AnnotatedArticle>;
use super::structured::{push_script_str, write_script_json};
use crate::resolve::Registry;
use crate::routes::{self, article_path};
use crate::strings::Strings;

/// One search entry: an entity or an article.
#[derive(Serialize)]
struct Entry<'a> {
    t: &'a str,
    k: &'a str,
    a: &'a str,
    s: &'a str,
    u: &'a str,
}

/// The contents of `search-index.js`: the entries, the number of chunks
/// (`c`), the text's words in order (`v`) with, for each, the chunks that
/// hold it (`m`, a bit mask in hexadecimal, chunk 0 the lowest bit), and the
/// strings the search shows (`t`, from the strings table).
pub fn search_index(registry: &Registry, articles: &Articles, strings: &Strings) -> String {
    let mut out = Vec::with_capacity(registry.entities.len() * 300 + articles.len() * 300);
    out.extend_from_slice(b"window.glossSearch = {\"e\": [");
    let mut count = 0;
    // Entities as the indexes file them, so results that score alike come
    // in that order.
    let mut filed: Vec<EntityId> = registry.entities.keys().collect();
    let collation = crate::collate::Collation::of(&registry.config.language);
    filed.sort_by_cached_key(|&e| collation.index_key(registry.entities[e].sort_name()));
    for e in filed {
        let entity = &registry.entities[e];
        let aliases = entity.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>().join(" · ");
        let entry = Entry {
            t: &entity.name.value,
            k: &registry.config.kinds[entity.kind].singular,
            a: &aliases,
            s: entity.summary.as_deref().unwrap_or(""),
            u: &routes::entity_path(registry, e),
        };
        push(&mut out, &mut count, &entry);
    }
    for doc in &registry.articles {
        let entry = Entry {
            t: &doc.title.value,
            k: strings.get("search_article"),
            a: doc.byline.as_deref().unwrap_or(""),
            s: doc.summary.as_deref().unwrap_or(""),
            u: &article_path(&doc.slug),
        };
        push(&mut out, &mut count, &entry);
    }
    let chunks = routes::search_chunk_count(registry);
    // In the order JavaScript compares strings (UTF-16 code units), for the
    // script's binary search.
    let mut words: Vec<(String, Vec<u64>)> = chunk_words(registry, articles, chunks).into_iter().collect();
    words.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.extend_from_slice(format!("], \"c\": {chunks}, \"v\": [").as_bytes());
    let mut count = 0;
    for (word, _) in &words {
        push(&mut out, &mut count, word);
    }
    out.extend_from_slice(b"], \"m\": [");
    let mut count = 0;
    for (_, mask) in &words {
        push(&mut out, &mut count, &hex(mask));
    }
    out.extend_from_slice(b"], \"t\": ");
    write_script_json(&mut out, &strings.search());
    out.extend_from_slice(b"};\n");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// The contents of chunk `n` of the text: its articles' paragraphs, each
/// linked to its first mention when it has one: `{"s": text, "p": entry,
/// "h": anchor}`. A paragraph names its article by its entry's position
/// (`p`) and its first mention by anchor (`h`, left out when it has none)
/// instead of repeating the article's title, kind and address: at archive
/// scale those repeats would be a fifth of the text. Written by hand, not
/// by serde: an archive's whole text passes here (see `push_script_str`).
pub fn search_text(registry: &Registry, articles: &Articles, n: usize) -> String {
    let texts: usize =
        routes::search_chunk_articles(registry, n).flat_map(|a| &articles[a].blocks).map(|b| b.len() + 40).sum();
    let mut out = String::with_capacity(texts + 100);
    out.push_str(&format!("(window.glossSearchText = window.glossSearchText || [])[{n}] = ["));
    let mut count = 0;
    let mut anchors: Vec<Option<String>> = Vec::new();
    for a in routes::search_chunk_articles(registry, n) {
        let annotated = &articles[a];
        anchors.clear();
        anchors.resize(annotated.blocks.len(), None);
        for mention in &annotated.mentions {
            anchors[mention.block].get_or_insert_with(|| mention.anchor(registry));
        }
        // Articles follow the entities in the index's entries.
        let entry = registry.entities.len() + a.index();
        for (block, text) in paragraphs(annotated) {
            if count > 0 {
                out.push(',');
            }
            count += 1;
            out.push_str("{\"s\":");
            push_script_str(&mut out, text);
            out.push_str(",\"p\":");
            out.push_str(itoa::Buffer::new().format(entry));
            if let Some(anchor) = &anchors[block] {
                out.push_str(",\"h\":");
                push_script_str(&mut out, anchor);
            }
            out.push('}');
        }
    }
    out.push_str("];\n");
    out
}

/// The paragraphs of an article that search shows: every block but the
/// title, trimmed, when not empty.
fn paragraphs(article: &AnnotatedArticle) -> impl Iterator<Item = (usize, &str)> {
    article.blocks.iter().enumerate().skip(1).map(|(i, b)| (i, b.trim())).filter(|(_, b)| !b.is_empty())
}

/// Every word of the text (paragraphs with their article's title, as the
/// search script matches them) and the chunks it occurs in.
fn chunk_words(registry: &Registry, articles: &Articles, chunks: usize) -> HashMap<String, Vec<u64>> {
    let per_chunk: Vec<FxHashSet<String>> = (0..chunks)
        .into_par_iter()
        .map(|n| {
            let mut words = FxHashSet::default();
            for a in routes::search_chunk_articles(registry, n) {
                let title = &registry.articles[a].title.value;
                for text in std::iter::once(title.as_str()).chain(paragraphs(&articles[a]).map(|(_, t)| t)) {
                    for_each_word(text, |word| {
                        if !words.contains(word) {
                            words.insert(word.to_string());
                        }
                    });
                }
            }
            words
        })
        .collect();
    let mut all: HashMap<String, Vec<u64>> = HashMap::new();
    for (n, words) in per_chunk.into_iter().enumerate() {
        for word in words {
            all.entry(word).or_insert_with(|| vec![0; chunks.div_ceil(64)])[n / 64] |= 1 << (n % 64);
        }
    }
    all
}

/// Calls `visit` with each folded word of `text` ([`fold`], cut as
/// [`for_each_token`] cuts it).
fn for_each_word(text: &str, mut visit: impl FnMut(&str)) {
    // Most text has no letter outside ASCII (typographic quotes and dashes
    // only part words): then folding is lower-casing, word by word.
    let plain = text.is_ascii()
        || text.chars().all(|c| c.is_ascii() || !(c.is_alphanumeric() || canonical_combining_class(c) != 0));
    if plain {
        // Bytes, not characters: in plain text a word is a run of ASCII
        // letters and digits, whatever the other bytes are.
        let bytes = text.as_bytes();
        let mut lower = String::new();
        let mut at = 0;
        while at < bytes.len() {
            while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if start == at {
                break;
            }
            let word = &text[start..at];
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                visit(&lower);
            } else {
                visit(word);
            }
        }
        return;
    }
    for_each_token(&fold(text), visit);
}

/// Folds text for search, as `fold` in `static/gloss.js` folds the query
/// (`tests/data/search-folding.json` holds both to the same words): lower
/// case; diacritics dropped (Unicode NFD, then the combining marks that
/// are accents and points: Latin, Greek and Cyrillic accents, Hebrew
/// points, Arabic harakat, but not the vowel signs of Indic scripts or the
/// kana voicing marks, which make other letters), recomposed (NFC); and
/// the letters that carry their stroke or ligature in their shape (`ł`,
/// `ø`, `đ`, `ß`, `æ`…) spelled as a reader without them types them. So
/// `walesa` finds `Wałęsa`.
pub(crate) fn fold(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd().filter(|&c| !is_diacritic(c)).nfc() {
        match c {
            'ß' => out.push_str("ss"),
            'þ' => out.push_str("th"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ł' | 'ŀ' => out.push('l'),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            'ħ' => out.push('h'),
            'ŧ' => out.push('t'),
            'ſ' => out.push('s'),
            'ς' => out.push('σ'),
            '\u{2018}' | '\u{2019}' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// A combining mark that search ignores (see [`fold`]).
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        // Hebrew points and cantillation
        | '\u{0591}'..='\u{05BD}' | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
        // Arabic harakat and Quranic marks
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}'
    )
}

/// Calls `visit` with each word of folded text, as `words` in
/// `static/gloss.js` cuts it: words are runs of letters, numbers and
/// combining marks (JavaScript's `[\p{Alphabetic}\p{N}\p{M}]`); a run of a
/// script written without spaces (Chinese, Japanese, Thai…) gives each pair
/// of its characters, then its last character alone, so any part of it
/// typed (of one character or more) starts some word.
fn for_each_token(folded: &str, mut visit: impl FnMut(&str)) {
    let in_word = |c: char| c.is_alphanumeric() || is_mark(c);
    for word in folded.split(|c: char| !in_word(c)).filter(|w| !w.is_empty()) {
        let mut rest = word;
        while let Some(first) = rest.chars().next() {
            let spaced = !crate::matcher::unspaced(first);
            let end = rest.find(|c: char| crate::matcher::unspaced(c) == spaced).unwrap_or(rest.len());
            let (run, after) = rest.split_at(end);
            if spaced {
                visit(run);
            } else {
                let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
                for (i, &start) in starts.iter().enumerate() {
                    let end = starts.get(i + 2).copied().unwrap_or(run.len());
                    if i + 1 < starts.len() || starts.len() == 1 {
                        visit(&run[start..end]);
                    }
                }
                if starts.len() > 1 {
                    visit(&run[starts[starts.len() - 1]..]);
                }
            }
            rest = after;
        }
    }
}

/// A combining mark (General Category M).
fn is_mark(c: char) -> bool {
    !c.is_ascii() && unicode_normalization::char::is_combining_mark(c)
}

/// A chunk mask in hexadecimal, most significant digit first, no leading
/// zeros.
fn hex(mask: &[u64]) -> String {
    let mut digits: String = mask.iter().rev().map(|word| format!("{word:016x}")).collect();
    let zeros = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..zeros.min(digits.len() - 1));
    digits
}

/// Appends one entry to the array being written.
fn push<T: Serialize + ?Sized>(out: &mut Vec<u8>, count: &mut usize, entry: &T) {
    if *count > 0 {
        out.push(b',');
    }
    *count += 1;
    write_script_json(out, entry);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_cut_as_the_search_script_does() {
        let mut words = Vec::new();
        for_each_word("Kim’s train reached Komsomolsk-on-Amur; Ségolène ÉTÉ 2002", |w| words.push(w.to_string()));
        assert_eq!(words, ["kim", "s", "train", "reached", "komsomolsk", "on", "amur", "segolene", "ete", "2002"]);
        // Typographic punctuation only parts words; a decomposed accent is
        // dropped, not a break.
        words.clear();
        for_each_word("“Kim’s” — KIM", |w| words.push(w.to_string()));
        for_each_word("Se\u{301}gole\u{300}ne", |w| words.push(w.to_string()));
        assert_eq!(words, ["kim", "s", "kim", "segolene"]);
    }

    /// The table the reader's script is held to as well
    /// (`tests/browser/search-folding.test.mjs`).
    #[test]
    fn words_are_folded_as_the_shared_table_says() {
        let table: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/search-folding.json")).unwrap();
        for case in table["cases"].as_array().unwrap() {
            let text = case[0].as_str().unwrap();
            let mut words = Vec::new();
            for_each_word(text, |w| words.push(w.to_string()));
            let expected: Vec<&str> = case[1].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
            assert_eq!(words, expected, "{text}");
        }
    }

    #[test]
    fn masks_are_hexadecimal_without_leading_zeros() {
        assert_eq!(hex(&[0]), "0");
        assert_eq!(hex(&[0b1010]), "a");
        assert_eq!(hex(&[1, 1]), "10000000000000001");
    }
}
