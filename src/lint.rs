//! Lint levels: how much each kind of finding matters to a site.
//!
//! As rustc and clippy have them, every lint is `allow` (not reported),
//! `warn` (reported; fails only `--strict`) or `deny` (an error: `gloss
//! build` and `gloss check` fail on it). Every lint is `warn` (but
//! `unsourced_fact`, `allow`) unless `content/site.yaml` says otherwise:
//!
//! ```yaml
//! lints:
//!   unused_alias: allow      # a glossary shared by many articles
//!   possible_mention: deny
//! ```
//!
//! Stages report findings as warnings with their [`Code`]; the levels are
//! applied once, to the whole site's findings ([`LintLevels::apply`]).

use crate::diagnostic::{lint_of, Code, Diagnostics, Severity};

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

/// The levels a site sets; every other lint is at its default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintLevels {
    set: Vec<(Code, Level)>,
}

impl LintLevels {
    /// The level of the lint a finding with `code` belongs to; `None` for
    /// findings that are no lint (errors).
    pub fn level(&self, code: Code) -> Option<Level> {
        let lint = lint_of(code)?;
        let default = if lint.allowed_by_default { Level::Allow } else { Level::Warn };
        Some(self.set.iter().find(|(c, _)| *c == code).map_or(default, |&(_, level)| level))
    }

    /// Sets the level of the lint for findings with `code`.
    pub fn set(&mut self, code: Code, level: Level) {
        self.set.retain(|(c, _)| *c != code);
        self.set.push((code, level));
    }

    /// Applies the levels to a run's findings: allowed ones are dropped,
    /// denied ones become errors. Sorts them, and notes on the first
    /// finding of each lint which lint it is and how to change its level.
    pub fn apply(&self, diagnostics: &mut Diagnostics) {
        diagnostics.0.retain_mut(|d| {
            let Some(level) = self.level(d.code) else { return true };
            match level {
                Level::Allow => return false,
                Level::Warn => d.severity = Severity::Warning,
                Level::Deny => d.severity = Severity::Error,
            }
            true
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
    use std::path::Path;

    use super::*;
    use crate::diagnostic::{Diagnostic, Location};

    fn levels(yaml: &str) -> Result<LintLevels, Diagnostic> {
        let text = format!("title: T\nlints:\n{yaml}");
        crate::parse::parse_site_config(Path::new("content/site.yaml"), &text).map(|config| config.lints)
    }

    fn finding(code: Code, line: usize) -> Diagnostic {
        let text = "a\n".repeat(10);
        Diagnostic::warning(code, "x").at(Location::from_line_col(Path::new("a.md"), &text, line, 1))
    }

    #[test]
    fn the_readme_lists_every_lint() {
        let readme = include_str!("../README.md");
        for lint in crate::diagnostic::LINTS {
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
        // At the level, not at the lint's name.
        assert_eq!(error.location.as_ref().map(|l| (l.line, l.column)), Some((3, 17)));
        let error = levels("  raw_html: allow\n").and(levels("  - raw_html\n")).unwrap_err();
        assert_eq!((error.code, error.location.map(|l| (l.line, l.column))), (Code::InvalidValue, Some((3, 3))));
    }

    #[test]
    fn a_lint_set_twice_is_an_error_at_the_second() {
        let error = levels("  raw_html: allow\n  unused_alias: deny\n  raw_html: deny\n").unwrap_err();
        assert_eq!(error.code, Code::YamlSyntax);
        assert_eq!(error.location.as_ref().map(|l| (l.line, l.column)), Some((5, 3)));
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
