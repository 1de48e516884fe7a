//! The strings tables: every text a reader sees (page titles, headings,
//! labels, facts, map and network labels, the search's messages), one table
//! per language in `strings/<lang>.yaml`, so that a translation is a file,
//! not a patch. A site overrides any string, or adds a language, in
//! `content/strings/<lang>.yaml`; a key its language lacks falls back to
//! English with a warning naming it.
//!
//! A string may hold `{name}` placeholders, filled by [`Strings::fill`]; a
//! string that depends on a number has one form per CLDR plural category
//! (`{one: …, other: …}`, and `few`, `many`… where the language has them).
//! Dates and numbers are written for the table's locale with ICU4X (CLDR
//! data compiled in): `20. August 2002`, `20 августа 2002 г.`, `2002年8月20日`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use icu_datetime::fieldsets::{MD, YMD};
use icu_datetime::input::Date;
use icu_datetime::DateTimeFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Location};

/// The shipped tables, by language (the first is the fallback).
pub const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("strings/en.yaml")),
    ("de", include_str!("strings/de.yaml")),
    ("fr", include_str!("strings/fr.yaml")),
    ("es", include_str!("strings/es.yaml")),
    ("ru", include_str!("strings/ru.yaml")),
    ("ar", include_str!("strings/ar.yaml")),
    ("ja", include_str!("strings/ja.yaml")),
];

/// Where a site's own table for `language` is, from the site root.
pub fn site_file(language: &str) -> std::path::PathBuf {
    Path::new("content/strings").join(format!("{language}.yaml"))
}

/// Is `relative` (from the site root) a site's strings table?
pub fn is_site_file(relative: &Path) -> bool {
    relative.parent() == Some(Path::new("content/strings")) && relative.extension().is_some_and(|e| e == "yaml")
}

/// One string: a text, or one text per plural category.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// What gloss itself writes into an annotated text (the HTML of articles
/// and descriptions, made before any template), in the site's language:
/// from its strings table, as HTML.
#[derive(Clone)]
pub struct Labels {
    /// Before and after the printed text a repair keeps in view
    /// (`printed_as`: `[printed: `, `]`).
    pub printed: (String, String),
    /// A citation's label (`source_n`: `Source {n}`), `{n}` not filled.
    source_n: String,
    /// The formats of the language: a citation's number in its digits.
    formats: &'static Formats,
}

impl Labels {
    /// A citation's number `n` in the language's digits, and its label
    /// (`Source 1`), as the templates write them.
    pub fn source(&self, n: usize) -> (String, String) {
        let number = self.formats.number(n as i64);
        let label = fill(&self.source_n, &[("n", &number)]);
        (number, label)
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Labels").field("locale", &self.formats.locale).finish_non_exhaustive()
    }
}

/// A strings table, with the formats of its locale.
pub struct Strings {
    text: HashMap<String, Entry>,
    formats: &'static Formats,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings").field("locale", &self.formats.locale).finish_non_exhaustive()
    }
}

/// A shipped table as written.
fn shipped(language: &str) -> Option<HashMap<String, Entry>> {
    TABLES
        .iter()
        .find(|(lang, _)| *lang == language)
        .map(|(_, text)| serde_yaml::from_str(text).expect("the shipped strings tables are valid"))
}

impl Strings {
    /// The built-in English table, parsed once.
    pub fn english() -> &'static Strings {
        static ENGLISH_TABLE: OnceLock<Strings> = OnceLock::new();
        ENGLISH_TABLE.get_or_init(|| Strings::from_table(shipped("en").expect("English is shipped"), "en"))
    }

    fn from_table(text: HashMap<String, Entry>, language: &str) -> Strings {
        // A language with a region or script (`en-US`, `ar-EG`) is its own
        // locale; a bare one uses its table's (`en` writes `20 August 2002`).
        let locale = match (language.contains(['-', '_']), text.get("locale")) {
            (false, Some(Entry::Text(locale))) => locale.clone(),
            _ => language.to_string(),
        };
        let formats = Formats::get(&locale);
        let mut text = text;
        text.insert("locale".into(), Entry::Text(formats.locale.clone()));
        Strings { text, formats }
    }

    /// The table for a site in `language`: the shipped one of its language
    /// (`de` for `de-AT`), overridden by the site's own file (path and text)
    /// when it has one; every key it still lacks is the English, each
    /// reported once.
    pub fn for_site(language: &str, site: Option<(&Path, &str)>) -> (Strings, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let base = language.split(['-', '_']).next().unwrap_or(language).to_ascii_lowercase();
        let shipped_table = shipped(&base);
        let has_table = shipped_table.is_some() || site.is_some();
        let mut text = shipped_table.unwrap_or_default();
        let english = &Strings::english().text;
        if let Some((path, source)) = site {
            match serde_yaml::from_str::<Option<HashMap<String, Entry>>>(source) {
                Ok(own) => {
                    for (key, entry) in own.unwrap_or_default() {
                        if !english.contains_key(&key) {
                            diagnostics.push(
                                Diagnostic::warning(Code::MissingString, format!("`{key}` is no string gloss uses"))
                                    .at(key_location(path, source, &key))
                                    .with_hint("the keys are those of gloss's English table, src/strings/en.yaml"),
                            );
                        }
                        text.insert(key, entry);
                    }
                }
                Err(e) => {
                    let mut d = Diagnostic::error(Code::InvalidValue, format!("this strings table is not valid: {e}"));
                    d = match e.location() {
                        Some(at) => d.at(Location::from_range(path, source, at.index()..at.index())),
                        None => d.in_file(path),
                    };
                    diagnostics.push(d);
                }
            }
        }
        if !has_table && base != "en" {
            diagnostics.push(
                Diagnostic::warning(
                    Code::MissingString,
                    format!("gloss has no strings table for `{language}`: every string is the English"),
                )
                .in_file(Path::new("content/site.yaml"))
                .with_hint(format!("translate src/strings/en.yaml into {}", site_file(language).display())),
            );
        }
        // A language without a table of its own is still dated as it
        // writes dates.
        text.entry("locale".to_string()).or_insert_with(|| Entry::Text(language.to_string()));
        let mut missing: Vec<&String> = english.keys().filter(|k| !text.contains_key(*k)).collect();
        missing.sort();
        for key in missing {
            if has_table {
                let message = format!("the string `{key}` has no `{language}` text: the English is used");
                let d = Diagnostic::warning(Code::MissingString, message);
                let d = match site {
                    Some((path, _)) => d.in_file(path),
                    None => d,
                };
                diagnostics.push(d.with_hint(format!("add `{key}` to {}", site_file(language).display())));
            }
            text.insert(key.clone(), english[key].clone());
        }
        (Strings::from_table(text, language), diagnostics)
    }

    /// The string `key` (a plural one's `other` form). Every key gloss asks
    /// for is in the English table (a unit test reads them all), so in
    /// every table; an unknown one comes back as `{key}`.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        debug_assert!(self.text.contains_key(key), "the strings table has no `{key}`");
        match self.text.get(key) {
            Some(Entry::Text(text)) => text,
            Some(Entry::Plural(forms)) => forms.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// Whether the table has a string `key`.
    pub fn has(&self, key: &str) -> bool {
        self.text.contains_key(key)
    }

    /// The string `key` for the number `n`: its form for `n`'s plural
    /// category, with `{n}` filled (in the locale's digits).
    pub fn plural(&self, key: &str, n: usize, values: &[(&str, &dyn Display)]) -> String {
        let template = match self.text.get(key) {
            Some(Entry::Plural(forms)) => self.formats.pick(forms, n as f64),
            _ => self.get(key),
        };
        let n = self.number(n);
        let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n)];
        all.extend_from_slice(values);
        fill(template, &all)
    }

    /// The string `key` with its `{name}` placeholders filled from
    /// `values`; a placeholder without a value is left as it is.
    pub fn fill(&self, key: &str, values: &[(&str, &dyn Display)]) -> String {
        fill(self.get(key), values)
    }

    /// A kind's name inside a sentence: lower-cased where the language
    /// does so (`people`, not `Personen` → `personen`).
    pub fn kind_in_text(&self, title: &str) -> String {
        match self.get("lowercase_kinds") {
            "yes" => title.to_lowercase(),
            _ => title.to_string(),
        }
    }

    /// What a repair writes around the printed text, as HTML: `printed_as`
    /// before and after its `{printed}` (`[printed: ` and `]`).
    pub fn printed_label(&self) -> (String, String) {
        let label = crate::html::escape(self.get("printed_as"));
        match label.split_once("{printed}") {
            Some((before, after)) => (before.to_string(), after.to_string()),
            None => (format!("{label} "), String::new()),
        }
    }

    /// What gloss writes into an annotated text itself, in this language.
    pub fn labels(&self) -> Labels {
        Labels {
            printed: self.printed_label(),
            source_n: crate::html::escape(self.get("source_n")),
            formats: self.formats,
        }
    }

    /// The CLDR formats of its locale.
    pub fn formats(&self) -> &'static Formats {
        self.formats
    }

    /// `n` in the locale's digits.
    pub fn number(&self, n: usize) -> String {
        self.formats.number(n as i64)
    }

    /// A date in full, as the locale writes it (`20 August 2002`,
    /// `20. August 2002`); `None` for no such date.
    pub fn date(&self, year: i32, month: u8, day: u8) -> Option<String> {
        let date = Date::try_new_iso(year, month, day).ok()?;
        Some(self.formats.date.format(&date).to_string())
    }

    /// A day and month (`20 August`, `20. August`).
    pub fn day_month(&self, year: i32, month: u8, day: u8) -> Option<String> {
        let date = Date::try_new_iso(year, month, day).ok()?;
        Some(self.formats.day_month.format(&date).to_string())
    }

    /// The whole table, for templates (`t.mentions`; a plural string is a
    /// map of its forms, for the `fill` filter).
    pub fn table(&self) -> BTreeMap<&str, &Entry> {
        self.text.iter().map(|(k, v)| (k.as_str(), v)).collect()
    }

    /// The strings the search script shows (those named `search_*`), for
    /// the search index to carry: a plural one with all its forms, for the
    /// script to pick the one of its count.
    pub fn search(&self) -> BTreeMap<&str, &Entry> {
        self.text.iter().filter(|(k, _)| k.starts_with("search_")).map(|(k, v)| (k.as_str(), v)).collect()
    }
}

/// Where `key:` is in a strings file (its first line starting with it).
fn key_location(path: &Path, source: &str, key: &str) -> Location {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')) {
            return Location::from_range(path, source, offset..offset + key.len());
        }
        offset += line.len();
    }
    Location::from_range(path, source, 0..0)
}

/// `template` with its `{name}` placeholders filled from `values`.
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    fill_with(template, |name, out| {
        use std::fmt::Write as _;
        let (_, value) = values.iter().find(|(n, _)| *n == name)?;
        let _ = write!(out, "{value}");
        Some(())
    })
}

/// `template` with each `{name}` placeholder filled by `put(name, out)`,
/// which appends its value, or returns `None` to leave it as it is.
pub fn fill_with(template: &str, mut put: impl FnMut(&str, &mut String) -> Option<()>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if put(name, &mut out).is_some() => rest = &after[close + 1..],
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The CLDR formats of one locale.
pub struct Formats {
    /// The locale as ICU4X understood it (`en-GB`).
    pub locale: String,
    /// The locale as it was asked for.
    asked: String,
    date: DateTimeFormatter<YMD>,
    day_month: DateTimeFormatter<MD>,
    decimal: DecimalFormatter,
    plurals: PluralRules,
    /// The counts pages show most, each written and given its plural
    /// category once (every count of every page went through ICU4X's
    /// formatter and `core::fmt`).
    small: Box<[OnceLock<Count>]>,
}

/// A count as the locale writes it, and its CLDR plural category.
pub struct Count {
    pub digits: Box<str>,
    pub category: &'static str,
}

/// Counts below this are written once per locale ([`Formats::small`]).
const SMALL_NUMBERS: usize = 1024;

impl Formats {
    /// The formats of `locale` (English for one ICU4X cannot read), made
    /// once per locale.
    pub fn get(locale: &str) -> &'static Formats {
        // Templates ask for every number they show: each thread remembers
        // the last locale rather than take the lock.
        thread_local!(static LAST: std::cell::Cell<Option<&'static Formats>> = const { std::cell::Cell::new(None) });
        if let Some(last) = LAST.get().filter(|f| f.asked == locale) {
            return last;
        }
        let formats = Formats::made(locale);
        LAST.set(Some(formats));
        formats
    }

    fn made(locale: &str) -> &'static Formats {
        static MADE: OnceLock<Mutex<HashMap<String, &'static Formats>>> = OnceLock::new();
        let mut made = MADE.get_or_init(Default::default).lock().expect("no thread panics holding the lock");
        if let Some(formats) = made.get(locale) {
            return formats;
        }
        let parsed: Locale = locale.parse().unwrap_or_else(|_| "en-GB".parse().expect("a valid locale"));
        let mut options = DecimalFormatterOptions::default();
        options.grouping_strategy = Some(GroupingStrategy::Min2);
        let formats = Formats {
            asked: locale.to_string(),
            locale: parsed.to_string(),
            date: DateTimeFormatter::try_new((&parsed).into(), YMD::long()).expect("compiled data has every locale"),
            day_month: DateTimeFormatter::try_new((&parsed).into(), MD::long())
                .expect("compiled data has every locale"),
            decimal: DecimalFormatter::try_new((&parsed).into(), options).expect("compiled data has every locale"),
            plurals: PluralRules::try_new_cardinal((&parsed).into()).expect("compiled data has every locale"),
            small: (0..SMALL_NUMBERS).map(|_| OnceLock::new()).collect(),
        };
        let formats: &'static Formats = Box::leak(Box::new(formats));
        made.insert(locale.to_string(), formats);
        formats
    }

    /// `n` in the locale's digits.
    pub fn number(&self, n: i64) -> String {
        match self.small(n) {
            Some(count) => count.digits.to_string(),
            None => self.decimal.format(&n.into()).to_string(),
        }
    }

    /// A count below [`SMALL_NUMBERS`] in the locale's digits and its
    /// plural category, made when first asked for.
    pub fn small(&self, n: i64) -> Option<&Count> {
        let slot = self.small.get(usize::try_from(n).ok()?)?;
        Some(slot.get_or_init(|| Count {
            digits: self.decimal.format(&n.into()).to_string().into_boxed_str(),
            category: self.category_of(n as u64),
        }))
    }

    /// An ISO date (`2026-11-30`) as the locale writes it in full; `None`
    /// for anything else.
    pub fn iso_date(&self, iso: &str) -> Option<String> {
        let mut parts = iso.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if (y.len(), m.len(), d.len()) != (4, 2, 2) {
            return None;
        }
        let date = Date::try_new_iso(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()?;
        Some(self.date.format(&date).to_string())
    }

    /// The CLDR plural category of `n`.
    pub fn category(&self, n: f64) -> &'static str {
        // Counts are whole numbers.
        let n = n.max(0.0) as u64;
        match self.small(n as i64) {
            Some(count) => count.category,
            None => self.category_of(n),
        }
    }

    fn category_of(&self, n: u64) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// The form of a plural string for `n` (its `other` form when it has
    /// none for `n`'s category).
    pub fn pick<'f>(&self, forms: &'f BTreeMap<String, String>, n: f64) -> &'f str {
        forms.get(self.category(n)).or_else(|| forms.get("other")).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_remembered_are_those_icu_writes() {
        for locale in ["en", "ar-EG", "ru", "ja"] {
            let formats = Formats::get(locale);
            // Twice each: made, then remembered; either side of the limit.
            for n in [0, 1, 2, 5, 11, 21, 101, 1023, 1024, 1025, 12_345, 0, 1, 2, 5, 11, 21, 101, 1023] {
                let icu = formats.decimal.format(&n.into()).to_string();
                assert_eq!(formats.number(n), icu, "{locale} {n}");
                assert_eq!(formats.category(n as f64), formats.category_of(n as u64), "{locale} {n}");
            }
            assert!(formats.small(-1).is_none() && formats.small(SMALL_NUMBERS as i64).is_none());
        }
        assert_eq!(Formats::get("ar-EG").number(21), "٢١");
        assert_eq!(Formats::get("ru").category(21.0), "one");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let strings = Strings::english();
        assert_eq!(strings.fill("title", &[("title", &"Kim"), ("site", &"All aboard")]), "Kim · All aboard");
        assert_eq!(strings.fill("born", &[]), "Born {born}");
        assert_eq!(strings.date(2002, 8, 20).unwrap(), "20 August 2002");
        assert_eq!(strings.plural("n_mentions", 1, &[]), "1 mention");
        assert_eq!(strings.plural("n_mentions", 61, &[]), "61 mentions");
    }

    #[test]
    fn dates_numbers_and_plurals_follow_the_language() {
        let (de, _) = Strings::for_site("de", None);
        assert_eq!(de.date(2002, 8, 20).unwrap(), "20. August 2002");
        assert_eq!(de.day_month(2002, 8, 20).unwrap(), "20. August");
        let (fr, _) = Strings::for_site("fr", None);
        assert_eq!(fr.date(2002, 8, 20).unwrap(), "20 août 2002");
        let (ru, _) = Strings::for_site("ru", None);
        assert_eq!(ru.date(2002, 8, 20).unwrap(), "20 августа 2002\u{202f}г.");
        assert_eq!(ru.plural("n_mentions", 1, &[]), "1 упоминание");
        assert_eq!(ru.plural("n_mentions", 3, &[]), "3 упоминания");
        assert_eq!(ru.plural("n_mentions", 11, &[]), "11 упоминаний");
        let (us, _) = Strings::for_site("en-US", None);
        assert_eq!(us.date(2002, 8, 20).unwrap(), "August 20, 2002");
        let (ja, _) = Strings::for_site("ja", None);
        assert_eq!(ja.date(2002, 8, 20).unwrap(), "2002年8月20日");
        assert_eq!(ja.plural("n_mentions", 1, &[]), "言及1件");
        let (eg, _) = Strings::for_site("ar-EG", None);
        assert_eq!(eg.number(61), "٦١");
    }

    #[test]
    fn every_shipped_table_has_every_english_key_and_only_those() {
        let english = &Strings::english().text;
        for (language, text) in TABLES {
            let table: HashMap<String, Entry> = serde_yaml::from_str(text).unwrap();
            for (key, entry) in english {
                let own = table.get(key).unwrap_or_else(|| panic!("strings/{language}.yaml has no `{key}`"));
                assert_eq!(
                    matches!(entry, Entry::Plural(_)),
                    matches!(own, Entry::Plural(_)),
                    "`{key}` in strings/{language}.yaml: a plural string in English is one in every language"
                );
                if let Entry::Plural(forms) = own {
                    assert!(forms.contains_key("other"), "`{key}` in strings/{language}.yaml has no `other` form");
                }
            }
            for key in table.keys() {
                assert!(english.contains_key(key), "strings/{language}.yaml has `{key}`, which English has not");
            }
            let (_, warnings) = Strings::for_site(language, None);
            assert!(warnings.is_empty(), "{language}: {warnings:?}");
        }
    }

    #[test]
    fn a_repairs_label_is_the_html_around_the_printed_text() {
        let label = |language: &str, own: Option<&str>| {
            let path = Path::new("content/strings/x.yaml");
            Strings::for_site(language, own.map(|text| (path, text))).0.printed_label()
        };
        assert_eq!(label("en", None), ("[printed: ".to_string(), "]".to_string()));
        assert_eq!(label("ja", None), ("［原文：".to_string(), "］".to_string()));
        // A site's own, escaped; without `{printed}`, the label comes first.
        assert_eq!(label("en", Some("printed_as: \"<sic> {printed}\"")), ("&lt;sic&gt; ".to_string(), String::new()));
        assert_eq!(label("en", Some("printed_as: \"sic:\"")), ("sic: ".to_string(), String::new()));
    }

    #[test]
    fn a_citations_label_is_the_languages_with_its_digits() {
        let source = |language: &str, own: Option<&str>| {
            let path = Path::new("content/strings/x.yaml");
            Strings::for_site(language, own.map(|text| (path, text))).0.labels().source(2)
        };
        assert_eq!(source("en", None), ("2".to_string(), "Source 2".to_string()));
        assert_eq!(source("ja", None), ("2".to_string(), "出典2".to_string()));
        assert_eq!(source("en", Some("source_n: \"<Quelle> {n}\"")), ("2".to_string(), "&lt;Quelle&gt; 2".to_string()));
    }

    #[test]
    fn a_missing_key_is_english_and_reported_once_at_the_sites_file() {
        let path = Path::new("content/strings/xx.yaml");
        let (strings, warnings) = Strings::for_site("xx", Some((path, "close: Zu\n")));
        assert_eq!(strings.get("close"), "Zu");
        assert_eq!(strings.get("mentions"), "Mentions");
        let about_mentions: Vec<_> = warnings.iter().filter(|d| d.message.contains("`mentions`")).collect();
        assert_eq!(about_mentions.len(), 1);
        assert!(about_mentions[0].message.contains("`xx`"));
    }

    #[test]
    fn every_key_gloss_uses_is_in_the_table() {
        // The keys named in the code, found by reading it.
        let sources = [
            include_str!("render/mod.rs"),
            include_str!("render/home.rs"),
            include_str!("render/article.rs"),
            include_str!("render/entity.rs"),
            include_str!("render/kind.rs"),
            include_str!("render/format.rs"),
            include_str!("render/structured.rs"),
            include_str!("render/notes.rs"),
            include_str!("render/search.rs"),
            include_str!("render/tags.rs"),
            include_str!("render/feed.rs"),
            include_str!("render/annotations.rs"),
        ];
        let strings = Strings::english();
        let mut used = 0;
        for source in sources {
            for call in [".fill(\"", ".get(\"", ".plural(\""] {
                for (at, _) in source.match_indices(call) {
                    let key = &source[at + call.len()..];
                    let key = &key[..key.find('"').unwrap()];
                    if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        assert!(strings.text.contains_key(key), "the English table has no `{key}`");
                        used += 1;
                    }
                }
            }
        }
        assert!(used > 10, "the code asks for the table's strings");
    }
}
