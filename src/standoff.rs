//! Stand-off annotations as editors write them: a list, in
//! `content/articles/<stem>.annotations.yaml` beside the article or under
//! `annotations:` in its front matter, of things attached to the text
//! without touching it. Each is anchored by a `quote` of the text, with
//! `prefix`, `suffix` or `occurrence` where the quote is found more than
//! once (the W3C TextQuoteSelector's terms), and is one of:
//!
//! - a mention: `entity: kim-jong-il` (or a list; an empty list: no mention
//!   at all, whatever names the quote holds);
//! - an editorial note: `note: Markdown`;
//! - a correction: `reads:` the printed text, `should_read:` the repair,
//!   with an optional `note` and `entity`.
//!
//! Parsed here into [`Annotation`]s; anchored in the text while it is
//! annotated (`annotate::standoff`). How a quote and its prefix and suffix
//! are found in a text is here too ([`find_quote`], [`preceded_by`],
//! [`followed_by`]): the build and `gloss import annotations` must find
//! exactly the same places.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::{Annotation, AnnotationBody, Spanned};
use crate::yaml::{Document, Fields, Node, Report};

/// How an annotations file's name ends, after the article's file stem.
pub const FILE_SUFFIX: &str = ".annotations.yaml";

const FIELDS: &[&str] = &["quote", "reads", "prefix", "suffix", "occurrence", "entity", "note", "should_read"];

/// Is this (a path under `content/articles/`) an annotations file?
pub fn is_annotations_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(FILE_SUFFIX) && n.len() > FILE_SUFFIX.len())
}

/// The article an annotations file belongs to: `x.annotations.yaml` → `x.md`.
pub fn article_path(annotations: &Path) -> PathBuf {
    let name = annotations.file_name().and_then(|n| n.to_str()).unwrap_or("");
    annotations.with_file_name(format!("{}.md", name.strip_suffix(FILE_SUFFIX).unwrap_or(name)))
}

/// The annotations file of an article: `x.md` → `x.annotations.yaml`.
pub fn file_of(article: &Path) -> PathBuf {
    let stem = article.file_stem().and_then(|n| n.to_str()).unwrap_or("");
    article.with_file_name(format!("{stem}{FILE_SUFFIX}"))
}

/// Parses an annotations file: a YAML list of annotations.
pub fn parse_file(path: &Path, text: &str) -> Result<Vec<Annotation>, Vec<Diagnostic>> {
    let doc = Document::parse(path, text, 0..text.len(), "annotations file").map_err(|d| vec![d])?;
    let mut report = Report::new(path, text);
    let root = doc.root();
    let annotations = match root.value() {
        serde_yaml::Value::Null => Vec::new(),
        _ => parse_list(&mut report, root, "the annotations file"),
    };
    match report.diagnostics.is_empty() {
        true => Ok(annotations),
        false => Err(report.diagnostics),
    }
}

/// Parses a list of annotations (`what` names it in messages); problems go
/// to `report`.
pub(crate) fn parse_list(report: &mut Report, node: Node, what: &str) -> Vec<Annotation> {
    let Some(items) = node.items() else {
        report.error(
            Code::InvalidValue,
            node.span(),
            format!("{what} must be a list of annotations"),
            Some(
                "write each as `- quote: the words annotated` followed by `entity:`, `note:` or `should_read:`".into(),
            ),
        );
        return Vec::new();
    };
    items.filter_map(|item| parse_one(report, item)).collect()
}

fn parse_one(report: &mut Report, item: Node) -> Option<Annotation> {
    let Some(f) = Fields::of(item).filter(|_| !matches!(item.value(), serde_yaml::Value::Null)) else {
        report.error(
            Code::InvalidValue,
            item.span(),
            "an annotation must be a mapping of fields".into(),
            Some("write it like `- quote: the Dear Leader` and, indented below, `entity: kim-jong-il`".into()),
        );
        return None;
    };
    f.reject_unknown(report, FIELDS, "an annotation");
    let (quote, reads) = (f.text(report, "quote"), f.text(report, "reads"));
    let should_read = f.text(report, "should_read");
    let anchor = match (quote, reads) {
        (Some(quote), None) => quote,
        (None, Some(reads)) => reads,
        (Some(_), Some(reads)) => {
            report.error(
                Code::InvalidValue,
                reads.span,
                "an annotation has either `quote` or `reads`, not both".into(),
                Some("a correction names the printed text in `reads`; drop `quote`".into()),
            );
            return None;
        }
        (None, None) => {
            report.error(
                Code::MissingField,
                item.span().start..item.span().start,
                "this annotation has no `quote`: nothing says where in the text it goes".into(),
                Some("add `quote: ` with the words of the text it is about (`reads:` for a correction)".into()),
            );
            return None;
        }
    };
    if anchor.value.trim().is_empty() {
        report.error(Code::InvalidValue, anchor.span.clone(), "the quote is empty".into(), None);
        return None;
    }
    let occurrence = f.get("occurrence").and_then(|node| match node.value().as_u64() {
        Some(n) if n >= 1 => Some(n as usize),
        _ => {
            report.wrong_type("occurrence", node, "a whole number from 1", "occurrence: 2");
            None
        }
    });
    let entities = f.raw("entity").map(|node| entity_ids(report, node));
    let note = f.text(report, "note").map(|n| n.value);
    let body = match (should_read, entities, note) {
        (Some(should_read), entities, note) => {
            AnnotationBody::Correction { should_read: should_read.value, note, entities: entities.unwrap_or_default() }
        }
        (None, Some(entities), None) => AnnotationBody::Mention(entities),
        (None, None, Some(note)) => AnnotationBody::Note(note),
        (None, Some(_), Some(_)) => {
            report.error(
                Code::InvalidValue,
                item.span(),
                "an annotation is a mention or a note, not both".into(),
                Some("write two annotations with the same quote: one with `entity:`, one with `note:`".into()),
            );
            return None;
        }
        (None, None, None) => {
            report.error(
                Code::MissingField,
                anchor.span.clone(),
                format!("the annotation on `{}` says nothing about it", anchor.value),
                Some(
                    "add `entity: <id>` (a mention), `note: ...` (a note) or `should_read: ...` (a correction)".into(),
                ),
            );
            return None;
        }
    };
    Some(Annotation {
        at: Location::from_range(report.path, report.text, anchor.span.clone()),
        quote: anchor.value,
        prefix: f.text(report, "prefix").map(|t| t.value),
        suffix: f.text(report, "suffix").map(|t| t.value),
        occurrence,
        body,
    })
}

/// `entity: id`, `entity: [a, b]`, or `entity: []` / `entity: null` (no mention).
fn entity_ids(report: &mut Report, node: Node) -> Vec<Spanned<String>> {
    if let Some(value) = node.text() {
        return vec![Spanned { value, span: node.span() }];
    }
    match node.items() {
        Some(items) => items
            .filter_map(|item| match item.text() {
                Some(value) => Some(Spanned { value, span: item.span() }),
                None => {
                    report.wrong_type("entity", item, "an entity id", "entity: kim-jong-il");
                    None
                }
            })
            .collect(),
        None if matches!(node.value(), serde_yaml::Value::Null) => Vec::new(),
        None => {
            report.wrong_type("entity", node, "an entity id or a list of them", "entity: kim-jong-il");
            Vec::new()
        }
    }
}

/// Every place `quote` is in `text`: its words in order, any white space
/// between them matching any white space (a line break in the source is a
/// space in a block's text), never overlapping.
pub fn find_quote(text: &str, quote: &str) -> Vec<Range<usize>> {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let Some((first, rest)) = words.split_first() else { return Vec::new() };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(first) {
        let start = from + i;
        let mut end = start + first.len();
        let whole = rest.iter().all(|word| {
            let after = &text[end..];
            let gap = after.len() - after.trim_start().len();
            if gap == 0 || !after[gap..].starts_with(word) {
                return false;
            }
            end += gap + word.len();
            true
        });
        if whole {
            found.push(start..end);
            from = end;
        } else {
            from = start + first.chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

/// Does `text` end with `prefix` just before byte `at`, white space aside?
pub fn preceded_by(text: &str, at: usize, prefix: &str) -> bool {
    let mut from = at.saturating_sub(prefix.len() * 4 + 64);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    squash(&text[from..at]).ends_with(&squash(prefix))
}

/// Does `text` go on with `suffix` from byte `at`, white space aside?
pub fn followed_by(text: &str, at: usize, suffix: &str) -> bool {
    let mut to = (at + suffix.len() * 4 + 64).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    squash(&text[at..to]).starts_with(&squash(suffix))
}

/// White space collapsed to single spaces, and trimmed.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_of_each_kind_parse_with_where_they_are() {
        let text = "- quote: the Dear Leader\n  entity: kim-jong-il\n- quote: solution\n  note: The closing mark is missing.\n- reads: Pulikovksy\n  should_read: Pulikovsky\n  occurrence: 2\n- quote: the North\n  entity: []\n";
        let list = parse_file(Path::new("content/articles/a.annotations.yaml"), text).unwrap();
        assert_eq!(list.len(), 4);
        assert!(matches!(&list[0].body, AnnotationBody::Mention(ids) if ids[0].value == "kim-jong-il"));
        assert_eq!(list[1].body, AnnotationBody::Note("The closing mark is missing.".into()));
        assert_eq!(list[2].quote, "Pulikovksy");
        assert_eq!(list[2].occurrence, Some(2));
        assert!(matches!(&list[2].body, AnnotationBody::Correction { should_read, .. } if should_read == "Pulikovsky"));
        assert_eq!(list[3].body, AnnotationBody::Mention(vec![]));
        assert_eq!((list[2].at.line, list[2].at.column), (5, 10));
    }

    #[test]
    fn an_annotation_that_says_nothing_or_has_no_quote_is_an_error_at_its_line() {
        let errors = parse_file(
            Path::new("a.annotations.yaml"),
            "- quote: Kim\n- entity: kim\n- quote: X\n  occurence: 2\n  entity: x\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.location.as_ref().unwrap().line).collect();
        assert_eq!(lines, [1, 2, 4], "{errors:?}");
        assert!(errors[2].hint.as_deref().unwrap().contains("occurrence"));
    }

    #[test]
    fn annotations_files_pair_with_their_articles() {
        let file = Path::new("content/articles/all-aboard.annotations.yaml");
        assert!(is_annotations_file(file) && !is_annotations_file(Path::new("content/articles/.annotations.yaml")));
        assert_eq!(article_path(file), Path::new("content/articles/all-aboard.md"));
        assert_eq!(file_of(Path::new("content/articles/all-aboard.md")), file);
    }

    #[test]
    fn quotes_match_across_any_white_space() {
        let text = "Kim Jong-il, the Dear\nLeader, met the  Dear Leader's host.";
        assert_eq!(find_quote(text, "the Dear Leader"), [13..28, 34..50]);
        assert_eq!(find_quote(text, "  Dear   Leader "), [17..28, 39..50]);
        assert!(find_quote(text, "the Dear Leaders").is_empty());
        assert_eq!(find_quote("ааа", "аа"), vec![0..4]);
    }

    #[test]
    fn prefixes_and_suffixes_match_white_space_aside() {
        let text = "met the\n Dear Leader at Khasan";
        let at = find_quote(text, "Dear Leader")[0].clone();
        assert!(preceded_by(text, at.start, "met the ") && !preceded_by(text, at.start, "met a"));
        assert!(followed_by(text, at.end, " at  Khasan") && !followed_by(text, at.end, " in"));
    }
}
