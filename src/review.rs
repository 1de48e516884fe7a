//! The review of mentions (`gloss mentions`): every decision the annotator
//! made, and every possible mention it left unlinked, for an editor to
//! proofread before publishing.
//!
//! One row per mention (where it is, its text, the entity, how it was
//! decided: by name, alias, explicit link or antecedent) and per possible
//! mention (text that differs from a name only in case, a first name alone,
//! a shared alias nothing settles). Rows that deserve a second look are
//! marked: every unlinked one, and a shared alias settled by an antecedent
//! farther back than [`ANTECEDENT_REACH`] paragraphs.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::annotate::{AnnotatedArticle, How, Mention, Reason, ANTECEDENT_REACH};
use crate::diagnostic::LineIndex;
use crate::model::{ArticleId, EntityId};
use crate::AnnotatedSite;

/// One line of the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The article's file, relative to the site root.
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// As printed, white space made single spaces.
    pub text: String,
    /// Linked as a mention, or left as text.
    pub linked: bool,
    /// The entities meant (linked), or those it may mean (unlinked).
    pub entities: Vec<String>,
    /// `name`, `alias`, `explicit` or `antecedent` for a mention;
    /// `case differs`, `first name`, `ambiguous` or `inflected` for text
    /// left unlinked.
    pub decision: &'static str,
    /// What settled it, or what to look at.
    pub note: String,
    /// Worth a second look.
    pub review: bool,
}

/// What to list: every row, or one article's, or only those to review.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// An article's slug.
    pub article: Option<String>,
    pub review_only: bool,
}

/// The rows of the review, article by article (in file order), each in
/// text order.
pub fn rows(site: &AnnotatedSite, filter: &Filter) -> Vec<Row> {
    let AnnotatedSite { sources, registry, articles, .. } = site;
    let mut order: Vec<ArticleId> = articles.keys().collect();
    order.sort_by(|&a, &b| registry.articles[a].path.cmp(&registry.articles[b].path));
    let texts: std::collections::HashMap<&std::path::Path, &str> =
        sources.content.iter().map(|f| (f.path.as_path(), f.text.as_str())).collect();
    let mut rows = Vec::new();
    for a in order {
        let doc = &registry.articles[a];
        if filter.article.as_ref().is_some_and(|slug| *slug != doc.slug) {
            continue;
        }
        let text = texts.get(doc.path.as_path()).copied().unwrap_or("");
        let lines = LineIndex::new(text);
        let annotated = &articles[a];
        let mut article_rows: Vec<(usize, Row)> = Vec::new();
        let ids = |entities: &[EntityId]| -> Vec<String> {
            entities.iter().map(|&e| registry.entities[e].id.clone()).collect()
        };
        for mention in &annotated.mentions {
            let (line, column) = lines.line_column(mention.source);
            let (note, review) = match mention.how {
                How::Antecedent { mention: before } => {
                    let antecedent = &annotated.mentions[before as usize];
                    let (at_line, at_column) = lines.line_column(antecedent.source);
                    let back = mention.block - antecedent.block;
                    let named = printed(annotated, antecedent);
                    let mut note = format!("after `{named}` at {at_line}:{at_column}");
                    if back > ANTECEDENT_REACH {
                        note.push_str(&format!(", {back} paragraphs back"));
                    }
                    (note, back > ANTECEDENT_REACH)
                }
                _ => (String::new(), false),
            };
            if filter.review_only && !review {
                continue;
            }
            article_rows.push((
                mention.source,
                Row {
                    file: doc.path.clone(),
                    line,
                    column,
                    text: printed(annotated, mention),
                    linked: true,
                    entities: ids(&mention.entities),
                    decision: mention.how.label(),
                    note,
                    review,
                },
            ));
        }
        for unlinked in &annotated.unlinked {
            let (line, column) = lines.line_column(unlinked.source.start);
            let names: Vec<String> =
                unlinked.candidates.iter().map(|&e| format!("`{}`", registry.entities[e].name.value)).collect();
            let note = match unlinked.reason {
                Reason::CaseDiffers => format!("looks like {}", names.join(" or ")),
                Reason::FirstName => format!("first name of {}", names.join(" and of ")),
                Reason::Ambiguous => format!("could be {}; none is named before it", names.join(" or ")),
                Reason::Inflected => {
                    let base = &registry.matcher.patterns[unlinked.pattern].text;
                    format!("a form of `{base}` ({}); add `{}` to its aliases?", names.join(" or "), unlinked.text)
                }
            };
            article_rows.push((
                unlinked.source.start,
                Row {
                    file: doc.path.clone(),
                    line,
                    column,
                    text: unlinked.text.clone(),
                    linked: false,
                    entities: ids(&unlinked.candidates),
                    decision: unlinked.reason.label(),
                    note,
                    review: true,
                },
            ));
        }
        article_rows.sort_by_key(|(at, _)| *at);
        rows.extend(article_rows.into_iter().map(|(_, row)| row));
    }
    rows
}

/// "61 mentions (40 by name, 15 by alias, 5 explicit, 1 by antecedent); 2
/// possible mentions unlinked; 3 rows to review".
pub fn summary(rows: &[Row]) -> String {
    let count = |decision: &str| rows.iter().filter(|r| r.linked && r.decision == decision).count();
    let linked = rows.iter().filter(|r| r.linked).count();
    let unlinked = rows.len() - linked;
    let review = rows.iter().filter(|r| r.review).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} ({} by name, {} by alias, {} explicit, {} by antecedent); {} left unlinked; {} to review",
        plural(linked, "mention"),
        count("name"),
        count("alias"),
        count("explicit"),
        count("antecedent"),
        plural(unlinked, "possible mention"),
        plural(review, "row"),
    )
}

/// The entities of a row as one field: "a, b" for a mention of several
/// (see [`linked_entities`]), "a or b" for the candidates of unlinked text.
fn entities_field(row: &Row) -> String {
    match row.linked {
        true => linked_entities(&row.entities),
        false => row.entities.join(" or "),
    }
}

/// The ids of a mention's entities as one field: "a, b" for a mention of
/// several. Every list of mentions (`gloss mentions`, the site's
/// `mentions.csv`) writes them so.
pub(crate) fn linked_entities<S: AsRef<str>>(ids: &[S]) -> String {
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    ids.join(", ")
}

/// A mention's text as printed, white space made single spaces, as every
/// list of mentions gives it.
pub(crate) fn printed(article: &AnnotatedArticle, mention: &Mention) -> String {
    single_spaced(article.mention_text(mention)).into_owned()
}

/// Writes the rows as an aligned table, for a terminal. A `?` in the first
/// column marks rows to review.
pub fn write_table(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    const MAX_TEXT: usize = 40;
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let how = if r.linked { r.decision.to_string() } else { format!("unlinked: {}", r.decision) };
            [
                format!("{}:{}:{}", r.file.display(), r.line, r.column),
                clip(&r.text, MAX_TEXT),
                entities_field(r),
                how,
                r.note.clone(),
            ]
        })
        .collect();
    let header = ["LOCATION", "TEXT", "ENTITY", "HOW", "NOTE"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, mark: &str, cells: &[String]| -> io::Result<()> {
        let mut text = mark.to_string();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.extend(std::iter::repeat_n(' ', widths[i] - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, "  ", &header.map(String::from))?;
    for (row, cells) in rows.iter().zip(&cells) {
        line(out, if row.review { "? " } else { "  " }, cells)?;
    }
    Ok(())
}

/// Writes the rows as CSV with a header line.
pub fn write_csv(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let header = ["file", "line", "column", "text", "linked", "entities", "decision", "note", "review"];
    let records = rows.iter().map(|r| {
        [
            r.file.display().to_string(),
            r.line.to_string(),
            r.column.to_string(),
            r.text.clone(),
            r.linked.to_string(),
            entities_field(r),
            r.decision.to_string(),
            r.note.clone(),
            r.review.to_string(),
        ]
    });
    write_csv_records(out, &header, records)
}

/// Writes a header line, then one line per record, as CSV (RFC 4180
/// quoting: a field with a comma, a quote or a line break is quoted, its
/// quotes doubled). `gloss mentions --format csv` and the site's
/// `mentions.csv` are both written by it.
pub(crate) fn write_csv_records<R>(
    out: &mut dyn Write,
    header: &[&str],
    records: impl IntoIterator<Item = R>,
) -> io::Result<()>
where
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(header)?;
    for record in records {
        writer.write_record(record)?;
    }
    writer.flush()
}

/// Writes the rows as a JSON array of objects.
pub fn write_json(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows)?;
    writeln!(out)
}

/// `text` with every run of white space made one space; borrowed when it
/// is so already.
pub(crate) fn single_spaced(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let trimmed = !text.starts_with(' ') && !text.ends_with(' ');
    let plain = trimmed
        && if text.is_ascii() {
            bytes
                .iter()
                .enumerate()
                .all(|(i, &b)| b == b' ' && bytes.get(i + 1) != Some(&b' ') || !b.is_ascii_whitespace())
        } else {
            !text.contains("  ") && text.chars().all(|c| c == ' ' || !c.is_whitespace())
        };
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(max - 1).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, linked: bool, review: bool) -> Row {
        Row {
            file: PathBuf::from("content/articles/a.md"),
            line: 4,
            column: 12,
            text: text.into(),
            linked,
            entities: vec!["bill-clinton".into(), "hillary-clinton".into()],
            decision: if linked { "explicit" } else { "ambiguous" },
            note: "a note, with a comma".into(),
            review,
        }
    }

    #[test]
    fn text_is_single_spaced_as_split_and_joined_and_borrowed_when_it_is_already() {
        for text in
            ["Kim Jong-il", "Kim\nJong-il", " Kim ", "Kim  Jong", "Zoë\u{a0}Müller", "Zoë\tMüller", "Ана\nЛукић", ""]
        {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let spaced = single_spaced(text);
            assert_eq!(spaced, expected, "{text:?}");
            assert_eq!(matches!(spaced, Cow::Borrowed(_)), text == expected, "{text:?}");
        }
    }

    #[test]
    fn tables_align_and_mark_rows_to_review() {
        let mut out = Vec::new();
        write_table(&mut out, &[row("the Clintons", true, false), row("Clinton", false, true)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("  LOCATION"), "{text}");
        assert!(lines[1].starts_with("  content/articles/a.md:4:12  the Clintons  bill-clinton, hillary-clinton"));
        assert!(lines[2].starts_with("? content/articles/a.md:4:12  Clinton       bill-clinton or hillary-clinton"));
        assert!(lines[2].contains("unlinked: ambiguous"), "{text}");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut out = Vec::new();
        write_csv(&mut out, &[row("Kim \"the Dear Leader\"", true, false)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("content/articles/a.md,4,12,\"Kim \"\"the Dear Leader\"\"\",true,\"bill-clinton, hillary-clinton\",explicit,\"a note, with a comma\",false")
        );
    }

    #[test]
    fn summaries_count_decisions() {
        let rows = [row("a", true, false), row("b", false, true)];
        assert_eq!(
            summary(&rows),
            "1 mention (0 by name, 0 by alias, 1 explicit, 0 by antecedent); 1 possible mention left unlinked; 1 row to review"
        );
    }
}
