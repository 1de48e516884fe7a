//! Collation: the kind indexes, their letter groups, the search's entries
//! and equally related entities in the order of the site's language: the Unicode Collation
//! Algorithm with CLDR's tailoring for that language (ICU4X, its data
//! compiled in). `Ł` sorts after `L` in Polish, as its own letter; `Ä`
//! with `A` in German; Cyrillic in the Russian alphabet's order.

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
        Collation { full: collator(Strength::Tertiary), primary: collator(Strength::Primary) }
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
    pub fn initial(&self, name: &str) -> String {
        let name = without_article(name);
        let Some(at) = name.find(char::is_alphanumeric) else { return "#".into() };
        let rest = &name[at..];
        let first = rest.chars().next().expect("found above");
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
}
