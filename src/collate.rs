//! Collation: the kind indexes, their letter groups, the search's entries
//! and equally related entities in the order of the site's language: the Unicode Collation
//! Algorithm with CLDR's tailoring for that language (ICU4X, its data
//! compiled in). `Ł` sorts after `L` in Polish, as its own letter; `Ä`
//! with `A` in German; Cyrillic in the Russian alphabet's order; Chinese
//! in pinyin order, filed under the Latin letters of pinyin.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;
use unicode_normalization::UnicodeNormalization;

/// The collation of one language.
pub struct Collation {
    /// Letters, then accents, then case.
    full: CollatorBorrowed<'static>,
    /// Letters only: is `Ä` an `A` (German) or a letter of its own
    /// (Swedish)?
    primary: CollatorBorrowed<'static>,
    /// In a collation in pinyin order (Chinese's default), where the Han
    /// characters of each Latin letter start: `(letter, boundary)`, A to
    /// Z; empty in any other collation. See [`Collation::initial`].
    pinyin: Vec<(char, String)>,
}

impl Collation {
    /// The collation of `language` (a language tag: `pl`, `de-AT`), made
    /// once per language; CLDR's root order for a language it has no
    /// tailoring for.
    pub fn of(language: &str) -> &'static Collation {
        static MADE: OnceLock<Mutex<HashMap<String, &'static Collation>>> = OnceLock::new();
        let mut made = MADE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        made.entry(language.to_ascii_lowercase()).or_insert_with(|| Box::leak(Box::new(Collation::new(language))))
    }

    fn new(language: &str) -> Collation {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let collator = |strength| {
            let mut options = CollatorOptions::default();
            options.strength = Some(strength);
            Collator::try_new(CollatorPreferences::from(&locale), options)
                .or_else(|_| Collator::try_new(CollatorPreferences::from(&Locale::UNKNOWN), options))
                .expect("the root collation is compiled in")
        };
        let primary = collator(Strength::Primary);
        let pinyin = pinyin_boundaries(&primary);
        Collation { full: collator(Strength::Tertiary), primary, pinyin }
    }

    /// The key a kind index sorts `name` by: its letter ([`Collation::initial`])
    /// where letters do not follow the collation (Latin names after every
    /// Han name in Chinese, yet filed under the same letters as they), then
    /// its [`Collation::sort_key`]. So each letter is one group.
    pub fn index_key(&self, name: &str) -> (Vec<u8>, Vec<u8>) {
        let letter = match self.pinyin.is_empty() {
            true => Vec::new(),
            false => {
                let mut key = Vec::new();
                let Ok(()) = self.primary.write_sort_key_to(&self.initial(name), &mut key);
                key
            }
        };
        (letter, self.sort_key(name))
    }

    /// The key an A–Z list sorts `name` by: its collation key, a leading
    /// English "the" left out.
    pub fn sort_key(&self, name: &str) -> Vec<u8> {
        let mut key = Vec::with_capacity(name.len() * 3);
        let Ok(()) = self.full.write_sort_key_to(without_article(name), &mut key);
        key
    }

    /// The letter `name` is filed under: its first letter as the language's
    /// alphabet sees it, upper case. An accented letter the language counts
    /// as its base letter is filed under that (German `Ärger` under `A`);
    /// one it counts as a letter of its own under itself (Polish `Łukasz`
    /// under `Ł`, Swedish `Åre` under `Å`). `#` when it has no letter or
    /// digit.
    ///
    /// In pinyin order, a Han character is filed under the Latin letter its
    /// pinyin starts with, as Chinese dictionaries and ICU's alphabetic
    /// index file it (`北京` under `B`, `上海` under `S`): the collation
    /// itself says where each letter's characters start, so the letters
    /// follow its order. A character read several ways is filed by the
    /// reading it sorts by.
    pub fn initial(&self, name: &str) -> String {
        let name = without_article(name);
        let Some(at) = name.find(char::is_alphanumeric) else { return "#".into() };
        let rest = &name[at..];
        let first = rest.chars().next().expect("found above");
        if is_han(first) && !self.pinyin.is_empty() {
            let after = self.pinyin.partition_point(|(_, boundary)| self.primary.compare(boundary, rest).is_le());
            if let Some((letter, _)) = after.checked_sub(1).map(|i| &self.pinyin[i]) {
                return letter.to_string();
            }
        }
        // The letter with its combining marks (`Ä` typed as `A` + `¨`).
        let end = rest[first.len_utf8()..]
            .find(|c: char| !unicode_normalization::char::is_combining_mark(c))
            .map_or(rest.len(), |i| i + first.len_utf8());
        let letter: String = rest[..end].nfc().collect();
        let base: String = letter.nfd().filter(|&c| !unicode_normalization::char::is_combining_mark(c)).nfc().collect();
        let shown = if !base.is_empty() && base != letter && self.primary.compare(&base, &letter) == Ordering::Equal {
            base
        } else {
            letter
        };
        upper(&shown)
    }
}

/// Where the Han characters of each Latin letter start, in a collation in
/// pinyin order: CLDR's pinyin tailoring puts U+FDD0 followed by a letter
/// just before the first character whose pinyin starts with it (the
/// boundaries ICU's `AlphabeticIndex` reads, compiled into ICU4X's data
/// as well). A letter no pinyin starts with (`I`, `U`, `V`), or every
/// letter in another collation, has no such boundary: untailored, U+FDD0
/// sorts after every character that has a pinyin, so a boundary is one
/// that sorts before U+FDD0 alone.
fn pinyin_boundaries(primary: &CollatorBorrowed<'static>) -> Vec<(char, String)> {
    let boundaries: Vec<(char, String)> = ('A'..='Z')
        .map(|letter| (letter, format!("\u{FDD0}{letter}")))
        .filter(|(_, boundary)| primary.compare(boundary, "\u{FDD0}") == Ordering::Less)
        .collect();
    // In the collation's order, as letters are: else it is no pinyin.
    let ordered = boundaries.windows(2).all(|pair| primary.compare(&pair[0].1, &pair[1].1) == Ordering::Less);
    match ordered {
        true => boundaries,
        false => Vec::new(),
    }
}

/// A Han character (an ideograph, or `〇`).
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// `name` without a leading English "the " (`the Kremlin` files under K).
fn without_article(name: &str) -> &str {
    let trimmed = name.trim_start();
    match trimmed.get(..4) {
        Some(the) if the.eq_ignore_ascii_case("the ") => trimmed[4..].trim_start(),
        _ => trimmed,
    }
}

/// Upper case, where that is one letter for one (`ß` stays `ß`).
fn upper(letter: &str) -> String {
    let upper = letter.to_uppercase();
    if upper.chars().count() == letter.chars().count() {
        upper
    } else {
        letter.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted<'a>(language: &str, names: &[&'a str]) -> Vec<&'a str> {
        let collation = Collation::of(language);
        let mut names = names.to_vec();
        names.sort_by_cached_key(|n| collation.sort_key(n));
        names
    }

    #[test]
    fn each_language_sorts_as_its_readers_do() {
        assert_eq!(sorted("pl", &["Łukasz", "Marek", "Lech", "Zenon"]), ["Lech", "Łukasz", "Marek", "Zenon"]);
        assert_eq!(sorted("de", &["Zeppelin", "Ärger", "Abend", "Berg"]), ["Abend", "Ärger", "Berg", "Zeppelin"]);
        assert_eq!(sorted("sv", &["Zorn", "Åre", "Ärla", "Abisko"]), ["Abisko", "Zorn", "Åre", "Ärla"]);
        assert_eq!(
            sorted("ru", &["Юрий", "Ёлкин", "Борис", "Андрей", "Жуков"]),
            ["Андрей", "Борис", "Ёлкин", "Жуков", "Юрий"]
        );
        assert_eq!(sorted("en", &["the Kremlin", "Berlin", "kim"]), ["Berlin", "kim", "the Kremlin"]);
    }

    #[test]
    fn letters_are_filed_as_the_alphabet_has_them() {
        let pl = Collation::of("pl");
        assert_eq!([pl.initial("Łukasz"), pl.initial("Lech"), pl.initial("Óbuda")], ["Ł", "L", "Ó"]);
        let de = Collation::of("de");
        assert_eq!([de.initial("Ärger"), de.initial("A\u{308}rger"), de.initial("Öl")], ["A", "A", "O"]);
        let sv = Collation::of("sv");
        assert_eq!(sv.initial("Åre"), "Å");
        let ru = Collation::of("ru");
        assert_eq!([ru.initial("ёлкин"), ru.initial("Йошкар-Ола")], ["Е", "Й"]);
        let en = Collation::of("en");
        assert_eq!(
            [en.initial("the Kremlin"), en.initial("Øresund"), en.initial("1984"), en.initial("—")],
            ["K", "Ø", "1", "#"]
        );
        assert_eq!(Collation::of("not a tag!").initial("Zed"), "Z");
    }

    #[test]
    fn chinese_sorts_in_pinyin_and_files_under_its_letters() {
        // Běijīng, Chóngqìng, Guǎngzhōu, Nánjīng, Shànghǎi, Shēnzhèn,
        // Xī'ān: byte order would put 上 (U+4E0A) first. 长 is read cháng
        // (长春, Chángchūn) and zhǎng; CLDR sorts it as zhǎng, and it is
        // filed where it sorts.
        let names = ["上海", "北京", "深圳", "重庆", "西安", "广州", "南京", "长春"];
        let zh = Collation::of("zh");
        let initials: Vec<(String, &str)> = sorted("zh", &names).into_iter().map(|n| (zh.initial(n), n)).collect();
        let expected = [
            ("B", "北京"),
            ("C", "重庆"),
            ("G", "广州"),
            ("N", "南京"),
            ("S", "上海"),
            ("S", "深圳"),
            ("X", "西安"),
            ("Z", "长春"),
        ];
        let expected: Vec<(String, &str)> = expected.iter().map(|&(l, n)| (l.to_string(), n)).collect();
        assert_eq!(initials, expected);
        assert_eq!([zh.initial("〇"), zh.initial("Apple"), zh.initial("《人民日报》")], ["L", "A", "R"]);
        // Latin names join the letter they start with.
        let mut mixed = ["Zed", "Apple", "北京", "阿里巴巴"];
        mixed.sort_by_cached_key(|n| zh.index_key(n));
        assert_eq!(mixed, ["阿里巴巴", "Apple", "北京", "Zed"]);
        // Traditional Chinese sorts by strokes: no pinyin letters.
        assert_eq!(Collation::of("zh-Hant").initial("北京"), "北");
        assert_eq!(Collation::of("ja").initial("北京"), "北");
        // Elsewhere the letters follow the collation: the index key is it.
        let pl = Collation::of("pl");
        assert_eq!(pl.index_key("Łódź"), (Vec::new(), pl.sort_key("Łódź")));
    }
}
