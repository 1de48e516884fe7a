//! The strings table: every text a reader sees that gloss writes itself
//! (page titles, dates, facts, map and network labels, the search's
//! messages), kept in `strings.yaml` rather than in code, so that a
//! translation is a file, not a patch. The templates hold the rest of the
//! reader's text.
//!
//! A string may hold `{name}` placeholders, filled by [`Strings::fill`].

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use serde::Deserialize;

/// The built-in (English) table.
const ENGLISH: &str = include_str!("strings.yaml");

/// A strings table.
#[derive(Debug, Deserialize)]
pub struct Strings {
    months: [String; 12],
    #[serde(flatten)]
    text: HashMap<String, String>,
}

impl Strings {
    /// The built-in English table, parsed once.
    pub fn english() -> &'static Strings {
        static ENGLISH_TABLE: OnceLock<Strings> = OnceLock::new();
        ENGLISH_TABLE.get_or_init(|| serde_yaml::from_str(ENGLISH).expect("the built-in strings.yaml is valid"))
    }

    /// The string `key`. Every key gloss asks for is in the built-in table
    /// (a unit test reads them all); an unknown one comes back as `{key}`.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        debug_assert!(self.text.contains_key(key), "strings.yaml has no `{key}`");
        self.text.get(key).map_or(key, String::as_str)
    }

    /// The string `key` with its `{name}` placeholders filled from
    /// `values`; a placeholder without a value is left as it is.
    pub fn fill(&self, key: &str, values: &[(&str, &dyn Display)]) -> String {
        let template = self.get(key);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').map(|close| (&after[..close], close)) {
                Some((name, close)) => match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => {
                        out.push_str(&value.to_string());
                        rest = &after[close + 1..];
                    }
                    None => {
                        out.push('{');
                        rest = after;
                    }
                },
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The name of month `m` (1 to 12).
    pub fn month(&self, m: usize) -> &str {
        &self.months[m - 1]
    }

    /// The strings the search script shows (those named `search_*`), for
    /// the search index to carry.
    pub fn search(&self) -> std::collections::BTreeMap<&str, &str> {
        self.text.iter().filter(|(k, _)| k.starts_with("search_")).map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let strings = Strings::english();
        assert_eq!(strings.fill("title", &[("title", &"Kim"), ("site", &"All aboard")]), "Kim · All aboard");
        assert_eq!(strings.fill("born", &[]), "Born {born}");
        assert_eq!(strings.month(8), "August");
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
            for call in [".fill(\"", ".get(\""] {
                for (at, _) in source.match_indices(call) {
                    let key = &source[at + call.len()..];
                    let key = &key[..key.find('"').unwrap()];
                    if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        assert!(strings.text.contains_key(key), "strings.yaml has no `{key}`");
                        used += 1;
                    }
                }
            }
        }
        assert!(used > 10, "the code asks for the table's strings");
    }
}
