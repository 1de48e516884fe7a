//! Lint levels: how much each kind of finding matters to a site.
//!
//! As rustc and clippy have them, every lint is `allow` (not reported),
//! `warn` (reported; fails only `--strict`) or `deny` (an error: `gloss
//! build` and `gloss check` fail on it). Every lint is `warn` unless
//! `content/site.yaml` says otherwise:
//!
//! ```yaml
//! lints:
//!   unused_alias: allow      # a glossary shared by many articles
//!   possible_mention: deny
//! ```
//!
//! Stages report findings as warnings with their [`Code`]; the levels are
//! applied once, to the whole site's findings ([`LintLevels::apply`]).

use std::path::Path;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics, Location, Severity};

/// How much a lint matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// One lint: its name in `site.yaml`, the findings it covers, and what it
/// reports (as the README's table of lints says it; a test keeps the two
/// the same).
#[derive(Debug)]
pub struct Lint {
    pub name: &'static str,
    pub code: Code,
    pub about: &'static str,
}

/// Every lint, in the order the README lists them.
pub const LINTS: &[Lint] = &[
    Lint {
        name: "possible_mention",
        code: Code::PossibleMention,
        about: "text equal to a name or alias but for case, left unlinked",
    },
    Lint {
        name: "first_name_alone",
        code: Code::FirstNameAlone,
        about: "a person's first name standing alone (`Angela` for Angela Merkel), left unlinked",
    },
    Lint {
        name: "distant_antecedent",
        code: Code::DistantAntecedent,
        about: "a shared alias settled by a name more than three paragraphs before it",
    },
    Lint { name: "unused_alias", code: Code::UnusedAlias, about: "an alias no article uses" },
    Lint { name: "unmentioned_entity", code: Code::NeverMentioned, about: "an entity no article mentions" },
    Lint { name: "missing_summary", code: Code::MissingSummary, about: "an entity without a summary" },
    Lint { name: "raw_html", code: Code::RawHtml, about: "raw HTML shown as text (see `allow_html`)" },
    Lint { name: "duplicate_footnote", code: Code::DuplicateFootnote, about: "a footnote defined twice" },
    Lint { name: "unknown_folder", code: Code::UnknownFolder, about: "a folder in `content/` that is no kind's" },
];

/// The lint a finding belongs to, if it is one.
pub fn lint_of(code: Code) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.code == code)
}

/// The levels a site sets; every other lint is `warn`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintLevels {
    set: Vec<(Code, Level)>,
}

impl LintLevels {
    /// The level of the lint a finding with `code` belongs to; `None` for
    /// findings that are no lint (errors).
    pub fn level(&self, code: Code) -> Option<Level> {
        lint_of(code)?;
        Some(self.set.iter().find(|(c, _)| *c == code).map_or(Level::Warn, |&(_, level)| level))
    }

    /// Reads the `lints:` mapping of `site.yaml` (`text`, at `path`).
    pub fn parse(path: &Path, text: &str, value: &serde_yaml::Value) -> Result<Self, Diagnostic> {
        let lints_at = text.find("lints:").unwrap_or(0);
        let at = |needle: &str| {
            let start = text[lints_at..].find(needle).map_or(lints_at, |i| lints_at + i);
            Location::from_range(path, text, start..start + needle.len())
        };
        let Some(map) = value.as_mapping() else {
            return Err(Diagnostic::error(Code::InvalidValue, "`lints` must map lint names to levels")
                .at(at("lints"))
                .with_hint("for example `lints: {unused_alias: allow, possible_mention: deny}`"));
        };
        let mut levels = LintLevels::default();
        for (key, value) in map {
            let name = key.as_str().unwrap_or_default();
            let Some(lint) = LINTS.iter().find(|l| l.name == name) else {
                let hint = match did_you_mean(name, LINTS.iter().map(|l| l.name)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        let lints: Vec<String> = LINTS.iter().map(|l| format!("{} ({})", l.name, l.about)).collect();
                        format!("the lints are: {}", lints.join("; "))
                    }
                };
                return Err(Diagnostic::error(Code::UnknownField, format!("there is no lint `{name}`"))
                    .at(at(name))
                    .with_hint(hint));
            };
            let level = match value.as_str() {
                Some("allow") => Level::Allow,
                Some("warn") => Level::Warn,
                Some("deny") => Level::Deny,
                _ => {
                    let written = serde_yaml::to_string(value).unwrap_or_default();
                    return Err(Diagnostic::error(
                        Code::InvalidValue,
                        format!("the level of `{name}` must be allow, warn or deny, not `{}`", written.trim()),
                    )
                    .at(at(name))
                    .with_hint(format!("for example `{name}: allow`")));
                }
            };
            levels.set.retain(|(code, _)| *code != lint.code);
            levels.set.push((lint.code, level));
        }
        Ok(levels)
    }

    /// Applies the levels to a run's findings: allowed ones are dropped,
    /// denied ones become errors. Sorts them, and notes on the first
    /// finding of each lint which lint it is and how to change its level.
    pub fn apply(&self, diagnostics: &mut Diagnostics) {
        diagnostics.0.retain_mut(|d| match self.level(d.code) {
            Some(Level::Allow) => false,
            Some(Level::Warn) => {
                d.severity = Severity::Warning;
                true
            }
            Some(Level::Deny) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        });
        diagnostics.sort();
        let mut noted: Vec<Code> = Vec::new();
        for d in &mut diagnostics.0 {
            let (Some(lint), Some(level)) = (lint_of(d.code), self.level(d.code)) else { continue };
            if noted.contains(&d.code) {
                continue;
            }
            noted.push(d.code);
            let explicit = self.set.iter().any(|(c, _)| *c == d.code);
            d.note = Some(if explicit {
                format!("`{}` is set to `{}` in content/site.yaml", lint.name, level.name())
            } else {
                format!(
                    "`{}` is `warn` by default: `lints: {{{}: allow}}` in content/site.yaml turns it off, `deny` makes it an error",
                    lint.name, lint.name
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(yaml: &str) -> Result<LintLevels, Diagnostic> {
        let text = format!("title: T\nlints:\n{yaml}");
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        LintLevels::parse(Path::new("content/site.yaml"), &text, &value)
    }

    fn finding(code: Code, line: usize) -> Diagnostic {
        let text = "a\n".repeat(10);
        Diagnostic::warning(code, "x").at(Location::from_line_col(Path::new("a.md"), &text, line, 1))
    }

    #[test]
    fn the_readme_lists_every_lint() {
        let readme = include_str!("../README.md");
        for lint in LINTS {
            let row = format!("| `{}` | {} |", lint.name, lint.about);
            assert!(readme.contains(&row), "README.md has no row {row}");
        }
    }

    #[test]
    fn every_lint_is_warn_unless_set() {
        let levels = levels("  unused_alias: allow\n  possible_mention: deny\n").unwrap();
        assert_eq!(levels.level(Code::UnusedAlias), Some(Level::Allow));
        assert_eq!(levels.level(Code::PossibleMention), Some(Level::Deny));
        assert_eq!(levels.level(Code::MissingSummary), Some(Level::Warn));
        assert_eq!(levels.level(Code::YamlSyntax), None);
    }

    #[test]
    fn unknown_lints_and_levels_are_located_errors() {
        let error = levels("  unused_alais: allow\n").unwrap_err();
        assert_eq!(error.code, Code::UnknownField);
        assert_eq!(error.location.as_ref().map(|l| (l.line, l.column)), Some((3, 3)));
        assert_eq!(error.hint.as_deref(), Some("did you mean `unused_alias`?"));
        let error = levels("  unused_alias: off\n").unwrap_err();
        assert_eq!(error.code, Code::InvalidValue);
        assert!(error.message.contains("allow, warn or deny"), "{}", error.message);
    }

    #[test]
    fn apply_drops_allowed_denies_denied_and_notes_each_lint_once() {
        let levels = levels("  unused_alias: allow\n  missing_summary: deny\n").unwrap();
        let mut found = Diagnostics(vec![
            finding(Code::UnusedAlias, 1),
            finding(Code::MissingSummary, 2),
            finding(Code::PossibleMention, 3),
            finding(Code::PossibleMention, 4),
        ]);
        levels.apply(&mut found);
        let seen: Vec<(Code, Severity, bool)> =
            found.0.iter().map(|d| (d.code, d.severity, d.note.is_some())).collect();
        assert_eq!(
            seen,
            [
                (Code::MissingSummary, Severity::Error, true),
                (Code::PossibleMention, Severity::Warning, true),
                (Code::PossibleMention, Severity::Warning, false),
            ]
        );
    }
}
