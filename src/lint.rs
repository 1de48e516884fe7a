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

use crate::diagnostic::{did_you_mean, Code, Diagnostics, Severity};
use crate::yaml::{Node, Report};

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

    /// Reads the `lints:` mapping of `site.yaml`, reporting an unknown lint
    /// at its name and a wrong level at the level.
    pub(crate) fn parse(report: &mut Report, lints: Node) -> Self {
        let mut levels = LintLevels::default();
        let Some(entries) = lints.entries() else {
            report.error(
                Code::InvalidValue,
                lints.span(),
                "`lints` must map lint names to levels".into(),
                Some("for example `lints: {unused_alias: allow, possible_mention: deny}`".into()),
            );
            return levels;
        };
        for (key, value) in entries {
            let name = key.text().unwrap_or_default();
            let Some(lint) = LINTS.iter().find(|l| l.name == name) else {
                let hint = match did_you_mean(&name, LINTS.iter().map(|l| l.name)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        let lints: Vec<String> = LINTS.iter().map(|l| format!("{} ({})", l.name, l.about)).collect();
                        format!("the lints are: {}", lints.join("; "))
                    }
                };
                report.error(Code::UnknownField, key.span(), format!("there is no lint `{name}`"), Some(hint));
                continue;
            };
            let level = match value.value().as_str() {
                Some("allow") => Level::Allow,
                Some("warn") => Level::Warn,
                Some("deny") => Level::Deny,
                _ => {
                    let written = serde_yaml::to_string(value.value()).unwrap_or_default();
                    report.error(
                        Code::InvalidValue,
                        value.span(),
                        format!("the level of `{name}` must be allow, warn or deny, not `{}`", written.trim()),
                        Some(format!("for example `{name}: allow`")),
                    );
                    continue;
                }
            };
            levels.set.push((lint.code, level));
        }
        levels
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
