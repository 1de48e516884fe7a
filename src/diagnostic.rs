//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of returning on the
//! first one, so a single run can list every mistake in every file. A
//! diagnostic carries its own location (file, 1-based line and column) and a
//! copy of the offending source line, so it can be printed without going back
//! to the disk.

use std::fmt;

use annotate_snippets::renderer::{Style, DEFAULT_ERROR_STYLE, DEFAULT_NOTE_STYLE, DEFAULT_WARNING_STYLE};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Not a problem: something a run left out, and why (no feed without a
    /// `base_url`). Never fails a build, even with `--strict`.
    Note,
}

/// What kind of problem a diagnostic describes. Tests match on this, not on
/// message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A file could not be read, or the output could not be written.
    Io,
    /// A file is not valid UTF-8.
    NotUtf8,
    /// The YAML in front matter or `site.yaml` does not parse.
    YamlSyntax,
    /// A front matter block was opened with `---` but never closed.
    UnclosedFrontMatter,
    /// A file that needs front matter has none.
    MissingFrontMatter,
    /// A field that gloss does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A field has the wrong type or an impossible value.
    InvalidValue,
    /// A file name that is not a slug.
    InvalidId,
    /// Two files with the same id.
    DuplicateId,
    /// An alias claimed by several entities, used where nothing settles it.
    AmbiguousAlias,
    /// A reference (`@id`, `related`, a fact) to an entity that does not exist.
    UnknownEntity,
    /// An article with nothing in its body.
    EmptyArticle,
    /// A template that does not parse or fails to render.
    Template,
    /// An output folder that would overwrite the site or something else.
    OutputPath,
    /// A swap into the output failed and the previous output could not be
    /// put back whole.
    OutputNotRestored,
    /// An entity that no article mentions.
    NeverMentioned,
    /// An alias that matches nowhere.
    UnusedAlias,
    /// An entity without a summary.
    MissingSummary,
    /// Text that equals a known name except for case, left unlinked.
    PossibleMention,
    /// A person's first name standing alone, left unlinked.
    FirstNameAlone,
    /// A shared alias settled by an antecedent many paragraphs before it.
    DistantAntecedent,
    /// A footnote defined twice.
    DuplicateFootnote,
    /// A folder under `content/` that is no kind's.
    UnknownFolder,
    /// A tag written two ways (`Far East`, `far east`).
    TagSpelling,
    /// An output a run leaves out (a feed without a `base_url`).
    LeftOut,
    /// A link or anchor in the rendered site that leads nowhere.
    BrokenLink,
    /// Raw HTML in Markdown, shown as text because the site does not allow it.
    RawHtml,
    /// An image that is not where the text says.
    MissingImage,
    /// An image without alternative text.
    MissingAlt,
    /// A stand-off annotation whose quote is not found once in the text,
    /// or an annotations file without its article.
    AnnotationAnchor,
    /// A fact or an authority link that names no source.
    Unsourced,
    /// A string the site's language has no text for (the English is
    /// used), or a key of a site's strings table that gloss does not use.
    MissingString,
}

/// One lint: its name in `site.yaml`, the findings it covers, and what it
/// reports (as the README's table of lints says it; a test keeps the two
/// the same).
#[derive(Debug)]
pub struct Lint {
    pub name: &'static str,
    pub code: Code,
    pub about: &'static str,
    /// Off unless a site turns it on: what most sites do not ask of
    /// themselves (a source for every fact).
    pub allowed_by_default: bool,
}

/// Every lint, in the order the README lists them.
pub const LINTS: &[Lint] = &[
    Lint {
        name: "possible_mention",
        code: Code::PossibleMention,
        about: "text equal to a name or alias but for case, left unlinked",
        allowed_by_default: false,
    },
    Lint {
        name: "first_name_alone",
        code: Code::FirstNameAlone,
        about: "a person's first name standing alone (`Angela` for Angela Merkel), left unlinked",
        allowed_by_default: false,
    },
    Lint {
        name: "distant_antecedent",
        code: Code::DistantAntecedent,
        about: "a shared alias settled by a name more than three paragraphs before it",
        allowed_by_default: false,
    },
    Lint { name: "unused_alias", code: Code::UnusedAlias, about: "an alias no article uses", allowed_by_default: false },
    Lint { name: "unmentioned_entity", code: Code::NeverMentioned, about: "an entity no article mentions", allowed_by_default: false },
    Lint { name: "missing_summary", code: Code::MissingSummary, about: "an entity without a summary", allowed_by_default: false },
    Lint { name: "raw_html", code: Code::RawHtml, about: "raw HTML shown as text (see `allow_html`)", allowed_by_default: false },
    Lint { name: "duplicate_footnote", code: Code::DuplicateFootnote, about: "a footnote defined twice", allowed_by_default: false },
    Lint { name: "unknown_folder", code: Code::UnknownFolder, about: "a folder in `content/` that is no kind's", allowed_by_default: false },
    Lint { name: "tag_spelling", code: Code::TagSpelling, about: "a tag written two ways (`Far East`, `far east`)", allowed_by_default: false },
    Lint { name: "missing_alt", code: Code::MissingAlt, about: "an image without alternative text (`![](photo.jpg)`)", allowed_by_default: false },
    Lint {
        name: "unsourced_fact",
        code: Code::Unsourced,
        about: "a fact or `same_as` link that names no source (`born: {value: 1942, source: kcna-1997}`); `allow` unless set",
        allowed_by_default: true,
    },
    Lint { name: "missing_string", code: Code::MissingString, about: "a string the site's language has no text for (the English is shown)", allowed_by_default: false },
];

/// The lint a finding belongs to, if it is one.
pub fn lint_of(code: Code) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.code == code)
}

/// A position in a source file, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the site root.
    pub path: PathBuf,
    /// 1-based line, counted in the whole file including front matter.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The line, for showing the span underlined: all of it, or (on a long
    /// line) [`CONTEXT_CHARS`] characters either side of the span, cut with
    /// an ellipsis.
    pub line_text: String,
    /// 1-based column of the span in `line_text`.
    pub text_column: usize,
    /// Length of the underlined span, in characters (at least 1).
    pub span_chars: usize,
}

/// How much of a line a diagnostic shows on either side of its span, in
/// characters: a pasted or generated line may run to megabytes, and a
/// thousand diagnostics on it must not copy it a thousand times.
pub const CONTEXT_CHARS: usize = 80;

impl Location {
    /// Locates a byte range of `text` (the whole file at `path`). Counts the
    /// lines before it: to locate many ranges in one file, build a
    /// [`LineIndex`] once and use [`Location::from_index`].
    pub fn from_range(path: &Path, text: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..start]).count() + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        Self::on_line(path, text, line, line_start, range)
    }

    /// Locates a byte range of the text `index` was built on, in time
    /// logarithmic in the number of lines.
    pub fn from_index(path: &Path, index: &LineIndex, range: Range<usize>) -> Self {
        let start = floor_char_boundary(index.text, range.start.min(index.text.len()));
        let line = index.starts.partition_point(|&s| s <= start);
        Self::on_line(path, index.text, line, index.starts[line - 1], range)
    }

    /// Locates `range` on the line `line` (1-based), which starts at byte
    /// `line_start` of `text`.
    fn on_line(path: &Path, text: &str, line: usize, line_start: usize, range: Range<usize>) -> Self {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let column = text[line_start..start].chars().count() + 1;
        let span_chars = text[start..end.min(line_start + line_text.len()).max(start)].chars().count().max(1);
        Self::shown(path, line, line_text, column, span_chars)
    }

    /// Locates a 1-based line and column given by a parser (YAML, Tera).
    pub fn from_line_col(path: &Path, text: &str, line: usize, column: usize) -> Self {
        let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        Self::shown(path, line, line_text, column.max(1), 1)
    }

    /// The location, with as much of its line as a reader needs.
    fn shown(path: &Path, line: usize, line_text: &str, column: usize, span_chars: usize) -> Self {
        let location = |line_text: String, text_column: usize, span_chars: usize| Location {
            path: path.to_path_buf(),
            line,
            column,
            line_text,
            text_column,
            span_chars,
        };
        // Most lines are short enough to show whole, in bytes and so in
        // characters.
        if line_text.len() <= 2 * CONTEXT_CHARS + span_chars {
            return location(line_text.to_string(), column, span_chars);
        }
        let from = (column - 1).saturating_sub(CONTEXT_CHARS);
        let span_chars = span_chars.min(CONTEXT_CHARS);
        let to = column - 1 + span_chars + CONTEXT_CHARS;
        let byte = |chars: usize| line_text.char_indices().nth(chars).map_or(line_text.len(), |(i, _)| i);
        let (start, end) = (byte(from), byte(to));
        let mut shown = String::with_capacity(end - start + 8);
        if start > 0 {
            shown.push('…');
        }
        shown.push_str(&line_text[start..end]);
        if end < line_text.len() {
            shown.push('…');
        }
        location(shown, column - from + usize::from(start > 0), span_chars)
    }
}

/// Where each line of a text starts: locates many offsets in one file
/// without counting its lines again for each.
#[derive(Debug)]
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

/// Largest char boundary of `text` at or below `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Where it is; `None` for problems that are not in one file.
    pub location: Option<Box<Location>>,
    /// A path to name when there is no line to point at (a whole file).
    pub path: Option<PathBuf>,
    /// How to fix it, when gloss can tell.
    pub hint: Option<String>,
    /// Something more to know: for a lint, its name and level.
    pub note: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            path: None,
            hint: None,
            note: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Diagnostic::error(code, message) }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.path = Some(location.path.clone());
        self.location = Some(Box::new(location));
        self
    }

    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// Renders the diagnostic: `path:line:col: error: message` (with the
    /// lint's name for a lint: `warning[unused_alias]`), then the source
    /// line with the span underlined (by annotate-snippets, the renderer
    /// rustc uses), then the hint and the note. `colour` adds ANSI styles.
    pub fn render(&self, colour: bool) -> String {
        let (level, severity) = match self.severity {
            Severity::Error => (Level::ERROR, "error"),
            Severity::Warning => (Level::WARNING, "warning"),
            Severity::Note => (Level::NOTE, "note"),
        };
        let title = match lint_of(self.code) {
            Some(lint) => format!("{severity}[{}]", lint.name),
            None => severity.to_string(),
        };
        let place = match (&self.location, &self.path) {
            (Some(loc), _) => format!("{}:{}:{}: ", loc.path.display(), loc.line, loc.column),
            (None, Some(path)) => format!("{}: ", path.display()),
            (None, None) => String::new(),
        };
        let mut out = if colour {
            let style = match self.severity {
                Severity::Error => DEFAULT_ERROR_STYLE,
                Severity::Warning => DEFAULT_WARNING_STYLE,
                Severity::Note => DEFAULT_NOTE_STYLE,
            };
            let bold = Style::new().bold();
            format!("{bold}{place}{bold:#}{style}{title}:{style:#} {bold}{}{bold:#}", self.message)
        } else {
            format!("{place}{title}: {}", self.message)
        };
        let mut group = Group::with_level(level.clone());
        if let Some(loc) = &self.location {
            let start = char_to_byte(&loc.line_text, loc.text_column - 1);
            let end = char_to_byte(&loc.line_text, loc.text_column - 1 + loc.span_chars).max(start);
            group = group.element(
                Snippet::source(loc.line_text.as_str())
                    .line_start(loc.line)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        if let Some(note) = &self.note {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if self.location.is_some() || self.hint.is_some() || self.note.is_some() {
            let renderer = if colour { Renderer::styled() } else { Renderer::plain() };
            out.push('\n');
            out.push_str(renderer.render(&[group]).trim_end());
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// The plain rendering (see [`Diagnostic::render`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Byte offset of the `chars`-th character of `s` (or its end).
fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Sorts by file and position so output does not depend on thread timing.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| (d.path.clone(), d.location.as_ref().map(|l| (l.line, l.column)), d.severity);
            key(a).cmp(&key(b))
        });
    }
}

/// The closest candidate to `input` by edit distance, if close enough to be
/// a plausible typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(input, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_byte_ranges_as_line_and_column() {
        let text = "---\nname: Kim\naliases: 3\n";
        let at = text.find("3").unwrap();
        let loc = Location::from_range(Path::new("people/kim.md"), text, at..at + 1);
        assert_eq!((loc.line, loc.column), (3, 10));
        assert_eq!(loc.line_text, "aliases: 3");
    }

    #[test]
    fn a_line_index_locates_as_location_does() {
        let text = "---\nname: Kim’s\n\nLine four é X\n";
        let index = LineIndex::new(text);
        for at in [0, 4, 10, text.find('X').unwrap(), text.len()] {
            let loc = Location::from_range(Path::new("a.md"), text, at..at);
            assert_eq!(index.line_column(at), (loc.line, loc.column), "at {at}");
        }
    }

    #[test]
    fn a_line_index_gives_the_locations_counting_gives() {
        let long = format!("{}é X{}", "a ".repeat(200), " b".repeat(200));
        let text = format!("---\nname: Kim\n\n{long}\nend\n");
        let index = LineIndex::new(&text);
        for at in [0, 4, 9, text.find('X').unwrap(), text.find("end").unwrap(), text.len()] {
            let path = Path::new("a.md");
            assert_eq!(Location::from_index(path, &index, at..at + 1), Location::from_range(path, &text, at..at + 1));
        }
    }

    #[test]
    fn long_lines_show_the_span_in_its_neighbourhood() {
        let line = format!("{}Kim{}", "x".repeat(5000), "y".repeat(5000));
        let loc = Location::from_range(Path::new("a.md"), &line, 5000..5003);
        assert_eq!((loc.line, loc.column, loc.span_chars), (1, 5001, 3));
        assert_eq!(loc.line_text.chars().count(), 2 * CONTEXT_CHARS + 3 + 2);
        let shown: String = loc.line_text.chars().skip(loc.text_column - 1).take(3).collect();
        assert_eq!(shown, "Kim");
        assert!(Diagnostic::error(Code::PossibleMention, "m").at(loc).to_string().contains("^^^"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "Kim’s train: X";
        let at = text.find('X').unwrap();
        let loc = Location::from_range(Path::new("a.md"), text, at..at + 1);
        assert_eq!(loc.column, 14);
    }

    #[test]
    fn prints_path_line_column_and_underline() {
        let text = "---\nalises: [Kim]\n---\n";
        let loc = Location::from_range(Path::new("people/kim.md"), text, 4..10);
        let d = Diagnostic::error(Code::UnknownField, "unknown field `alises`")
            .at(loc)
            .with_hint("did you mean `aliases`?");
        let shown = d.to_string();
        assert!(shown.starts_with("people/kim.md:2:1: error: unknown field `alises`"));
        assert!(shown.contains("2 | alises: [Kim]\n  | ^^^^^^"));
        assert!(shown.ends_with("= help: did you mean `aliases`?"));
    }

    #[test]
    fn suggests_close_names_only() {
        let fields = ["name", "aliases", "summary"];
        assert_eq!(did_you_mean("alises", fields), Some("aliases"));
        assert_eq!(did_you_mean("zzzzzzzz", fields), None);
    }
}
