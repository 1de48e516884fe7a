//! Parsing: front matter and `site.yaml` into the typed content model.
//!
//! Pure functions over `&str`. The YAML itself is read by the `yaml` module,
//! whose nodes know where they are written; this module says which fields
//! each file has and what they must hold, in one style for every file.
//! Every value keeps the byte range it came from, so any later stage can
//! point at the exact line and column in the original file (front matter
//! included).

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Deserialize;
use serde_yaml::Value;

use rayon::prelude::*;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics, Location, LINTS};
use crate::lint::{Level, LintLevels};
use crate::load::SiteSources;
use typed_index_collections::TiSlice;

use crate::model::{
    is_slug, Annotation, ArticleDoc, Citations, DataFiles, EntityDoc, EntityImage, EntityRef, FactDef, FactRole,
    FactType, FactValue, Kind, KindId, Role, SiteConfig, SortBy, Source, Spanned,
};
use crate::yaml::{Document, Fields, Node, Report};

/// The kinds every site has unless `site.yaml` declares its own.
pub const DEFAULT_KINDS: &str = include_str!("kinds.yaml");

/// A file split into its YAML front matter and Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits `---` front matter from the body. A UTF-8 byte-order mark and CRLF
/// line endings are accepted.
pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(Code::MissingFrontMatter, "this file has no front matter")
            .at(Location::from_range(path, text, start..start))
            .with_hint(
                "start the file with a line `---`, then YAML fields such as `name: ...`, then a closing `---`",
            ));
    }
    let yaml_offset = start + first_line_end;
    let mut line_start = yaml_offset;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i + 1);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: &text[yaml_offset..line_start],
                yaml_offset,
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        line_start = line_end;
    }
    Err(Diagnostic::error(Code::UnclosedFrontMatter, "front matter is opened here but never closed")
        .at(Location::from_range(path, text, start..start + 3))
        .with_hint("add a line `---` after the last YAML field, before the text"))
}

/// The front matter of a file, as YAML.
fn front_matter(report: &Report, split: &Split) -> Result<Document, Diagnostic> {
    let yaml = split.yaml_offset..split.yaml_offset + split.yaml.len();
    Document::parse(report.path, report.text, yaml, "front matter")
}

/// The fields of a front matter's top mapping.
fn top_fields<'d>(doc: &'d Document, report: &Report) -> Result<Fields<'d>, Diagnostic> {
    Fields::of(doc.root()).ok_or_else(|| {
        Diagnostic::error(Code::InvalidValue, "front matter must be a list of `field: value` lines")
            .at(Location::from_range(report.path, report.text, doc.root().span()))
    })
}

/// Authority and source links must be web addresses: anything else
/// (`javascript:`, `data:`, a bare word) is refused.
fn check_web_url(report: &mut Report, key: &str, url: &Spanned<String>) {
    let lower = url.value.trim().to_ascii_lowercase();
    if crate::model::is_dangerous_url(&url.value) || !(lower.starts_with("https://") || lower.starts_with("http://")) {
        report.error(
            Code::InvalidValue,
            url.span.clone(),
            format!("`{key}` must hold web addresses (http:// or https://), not `{}`", url.value),
            Some("write the full address, e.g. https://www.wikidata.org/wiki/Q10665".into()),
        );
    }
}

const ARTICLE_FIELDS: &[&str] = &[
    "title",
    "subtitle",
    "date",
    "dateline",
    "byline",
    "source",
    "source_url",
    "summary",
    "intro",
    "notes",
    "tags",
    "route",
    "sources",
    "annotations",
    "language",
    "translations",
    "draft",
    "weight",
    "updated",
];

/// Parses an article file (`content/articles/<slug>.md`).
pub fn parse_article(path: &Path, text: &str) -> Result<ArticleDoc, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let mut report = Report::new(path, text);
    let doc = front_matter(&report, &split).map_err(|d| vec![d])?;
    let f = top_fields(&doc, &report).map_err(|d| vec![d])?;
    f.reject_unknown(&mut report, ARTICLE_FIELDS, "an article");
    let title = f.text(&mut report, "title");
    if title.is_none() && !report.has(Code::InvalidValue) {
        report.error(
            Code::MissingField,
            split.yaml_offset..split.yaml_offset,
            "this article has no `title`".into(),
            Some("add a line `title: ...` to the front matter".into()),
        );
    }
    let mut iso_date = |key: &str| {
        let date = f.text(&mut report, key)?;
        if !is_iso_date(&date.value) {
            report.error(
                Code::InvalidValue,
                date.span.clone(),
                format!("`{key}` must be a date written YYYY-MM-DD, not `{}`", date.value),
                Some(format!("for example `{key}: 2002-08-20`")),
            );
        }
        Some(date.value)
    };
    let (date, updated) = (iso_date("date"), iso_date("updated"));
    let subtitle = f.text(&mut report, "subtitle");
    let mut text_of = |key: &str| f.text(&mut report, key).map(|t| t.value);
    let (dateline, byline, source) = (text_of("dateline"), text_of("byline"), text_of("source"));
    let source_url = f.text(&mut report, "source_url");
    if let Some(url) = &source_url {
        check_web_url(&mut report, "source_url", url);
    }
    let source_url = source_url.map(|u| u.value);
    let summary = f.text(&mut report, "summary").map(|t| t.value);
    let intro = f.text(&mut report, "intro");
    let notes = f.list(&mut report, "notes");
    let tags = f.list(&mut report, "tags");
    let route = f.list(&mut report, "route");
    let draft = f.get("draft").is_some_and(|node| {
        bool::deserialize(node.value()).unwrap_or_else(|_| {
            report.wrong_type("draft", node, "true or false", "draft: true");
            false
        })
    });
    let language = f.text(&mut report, "language");
    if let Some(tag) = language.as_ref().filter(|t| !crate::language::is_valid_tag(&t.value)) {
        report.error(
            Code::InvalidValue,
            tag.span.clone(),
            format!("`language` must be a language tag such as `de` or `pt-BR`, not `{}`", tag.value),
            None,
        );
    }
    let language = language.map(|t| t.value);
    let translations = parse_translations(&mut report, &f);
    let sources = parse_sources(&mut report, &f);
    let annotations = match f.get("annotations") {
        Some(node) => crate::standoff::parse_list(&mut report, node, "`annotations`"),
        None => Vec::new(),
    };
    let weight = f.get("weight").and_then(|node| {
        let weight = node.value().as_i64();
        if weight.is_none() {
            report.wrong_type("weight", node, "a whole number", "weight: 10");
        }
        weight
    });
    if split.body.trim().is_empty() {
        let end = text.len();
        report.error(
            Code::EmptyArticle,
            split.body_offset.min(end)..end,
            "this article has no text after its front matter".into(),
            Some("write the article's Markdown after the closing `---`".into()),
        );
    }
    let slug = article_slug(path);
    if !report.diagnostics.is_empty() {
        return Err(report.diagnostics);
    }
    Ok(ArticleDoc {
        slug,
        path: path.to_path_buf(),
        title: title.expect("checked above"),
        subtitle,
        date,
        updated,
        dateline,
        byline,
        source,
        source_url,
        summary,
        intro,
        notes,
        tags,
        route,
        draft,
        weight,
        language,
        translations,
        sources,
        annotations,
        body_offset: split.body_offset,
    })
}

/// Is `s` a plausible `YYYY-MM-DD` date?
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, max: u32| p.len() == len && p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    parts.len() == 3 && num(parts[0], 4, 9999) && num(parts[1], 2, 12) && num(parts[2], 2, 31)
}

const ENTITY_FIELDS: &[&str] = &["name", "sort_as", "aliases", "summary", "same_as", "related", "image", "sources"];

/// The fields of a source (`sources:` of an entity or an article).
const SOURCE_FIELDS: &[&str] = &["id", "title", "publisher", "site", "date", "url", "accessed", "quote", "page"];

/// `sources:`: each with an `id` facts cite it by and a `title`; its URL a
/// web address, its dates as written (`accessed` a full date).
fn parse_sources(report: &mut Report, f: &Fields) -> Vec<Source> {
    let Some(node) = f.get("sources") else { return Vec::new() };
    let example =
        "sources: [{id: kcna-1997, title: \"Biography of Kim Jong Il\", publisher: KCNA, date: 1997, url: https://…}]";
    let Some(items) = node.items() else {
        report.wrong_type("sources", node, "a list of sources", example);
        return Vec::new();
    };
    let mut sources: Vec<Source> = Vec::new();
    for item in items {
        let Some(s) = Fields::of(item).filter(|_| !item.value().is_null()) else {
            report.wrong_type("sources", item, "a list of sources, each a mapping", example);
            continue;
        };
        s.reject_unknown(report, SOURCE_FIELDS, "a source");
        let (id, title) =
            (s.required_text(report, "id", "this source"), s.required_text(report, "title", "this source"));
        let url = s.text(report, "url");
        if let Some(url) = &url {
            check_web_url(report, "url", url);
        }
        let accessed = s.text(report, "accessed");
        if let Some(accessed) = accessed.as_ref().filter(|a| !is_iso_date(&a.value)) {
            report.error(
                Code::InvalidValue,
                accessed.span.clone(),
                format!("`accessed` must be a date written YYYY-MM-DD, not `{}`", accessed.value),
                Some("the day the address was last read, e.g. `accessed: 2026-11-30`".into()),
            );
        }
        let (Some(id), Some(title)) = (id, title) else { continue };
        if !is_slug(&id.value) {
            report.error(
                Code::InvalidValue,
                id.span.clone(),
                format!("the source id `{}` is not an id", id.value),
                Some(format!("use lower-case letters, digits and hyphens: `{}`", crate::model::slugify(&id.value))),
            );
        } else if sources.iter().any(|other| other.id == id.value) {
            report.error(
                Code::InvalidValue,
                id.span.clone(),
                format!("two sources have the id `{}`", id.value),
                Some("give each source its own id".into()),
            );
            continue;
        }
        let text = |report: &mut Report, key| s.text(report, key).map(|t| t.value);
        let publisher = text(report, "publisher").or_else(|| text(report, "site"));
        sources.push(Source {
            id: id.value,
            title: title.value,
            publisher,
            date: text(report, "date"),
            url: url.map(|u| u.value),
            accessed: accessed.map(|a| a.value),
            quote: text(report, "quote"),
            page: text(report, "page"),
        });
    }
    sources
}

/// `translations: {de: der-zug, fr: le-train}`: the language of each, and
/// the slug of the article that is it.
fn parse_translations(report: &mut Report, f: &Fields) -> Vec<(String, Spanned<String>)> {
    let Some(node) = f.get("translations") else { return Vec::new() };
    let Some(entries) = node.entries() else {
        report.wrong_type("translations", node, "a mapping of languages to articles", "translations: {de: der-zug}");
        return Vec::new();
    };
    let mut translations = Vec::new();
    for (key, value) in entries {
        let tag = key.text().unwrap_or_default();
        if !crate::language::is_valid_tag(&tag) {
            report.error(
                Code::InvalidValue,
                key.span(),
                format!("`{tag}` is not a language tag"),
                Some("name each translation by its language: `translations: {de: der-zug}`".into()),
            );
            continue;
        }
        match value.text() {
            Some(slug) => translations.push((tag, Spanned { value: slug, span: value.span() })),
            None => report.wrong_type("translations", value, "the slug of an article", "translations: {de: der-zug}"),
        }
    }
    translations
}

/// A value that may name its sources: `born: 1942`, or
/// `born: {value: 1942, source: kcna-1997}` (`source` one id or a list).
/// Returns the value's node and the source ids cited, with their spans.
fn cited<'d>(report: &mut Report, key: &str, node: Node<'d>) -> (Node<'d>, Vec<Spanned<String>>) {
    let Some(f) = Fields::of(node).filter(|f| f.raw("value").is_some()) else { return (node, Vec::new()) };
    f.reject_unknown(report, &["value", "source"], &format!("`{key}` with its source"));
    let ids = match f.get("source") {
        None => Vec::new(),
        Some(source) => match (source.text(), source.items()) {
            (Some(id), _) => vec![Spanned { value: id, span: source.span() }],
            (None, Some(items)) => items.filter_map(|i| Some(Spanned { value: i.text()?, span: i.span() })).collect(),
            (None, None) => {
                report.wrong_type("source", source, "a source id or a list of them", "source: kcna-1997");
                Vec::new()
            }
        },
    };
    (f.raw("value").expect("checked above"), ids)
}

/// The indexes in `sources` of the ids cited; an unknown id is an error.
fn cite(report: &mut Report, sources: &[Source], ids: &[Spanned<String>]) -> Vec<usize> {
    ids.iter()
        .filter_map(|id| {
            let found = sources.iter().position(|s| s.id == id.value);
            if found.is_none() {
                let known: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
                let hint = match did_you_mean(&id.value, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => "list it under `sources:` with this id".into(),
                    None => format!("the sources listed are: {}", known.join(", ")),
                };
                report.error(
                    Code::InvalidValue,
                    id.span.clone(),
                    format!("no source has the id `{}`", id.value),
                    Some(hint),
                );
            }
            found
        })
        .collect()
}

/// The fields of an entity's `image` when it is a mapping.
const IMAGE_FIELDS: &[&str] = &["src", "alt", "credit", "licence", "licence_url"];

/// An entity's `image`: a path (`image: img/kim.jpg`) or a mapping with
/// its credit and licence.
fn entity_image(report: &mut Report, node: Node) -> Option<EntityImage> {
    if let Some(src) = node.text() {
        return Some(EntityImage {
            src: Spanned { value: src, span: node.span() },
            alt: None,
            credit: None,
            licence: None,
            licence_url: None,
        });
    }
    let Some(f) = Fields::of(node) else {
        report.wrong_type(
            "image",
            node,
            "a path or a mapping",
            "image: {src: img/kim.jpg, credit: \"Photo: AFP\", licence: CC BY 4.0}",
        );
        return None;
    };
    f.reject_unknown(report, IMAGE_FIELDS, "an entity's `image`");
    let src = f.required_text(report, "src", "this image")?;
    let licence_url = f.text(report, "licence_url");
    if let Some(url) = &licence_url {
        check_web_url(report, "licence_url", url);
    }
    let text = |report: &mut Report, key| f.text(report, key).map(|t| t.value);
    Some(EntityImage {
        src,
        alt: text(report, "alt"),
        credit: text(report, "credit"),
        licence: text(report, "licence"),
        licence_url: licence_url.map(|u| u.value),
    })
}

/// Parses an entity file of kind `kinds[kind]`.
pub fn parse_entity(
    path: &Path,
    text: &str,
    kinds: &TiSlice<KindId, Kind>,
    kind: KindId,
) -> Result<EntityDoc, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let mut report = Report::new(path, text);
    let doc = front_matter(&report, &split).map_err(|d| vec![d])?;
    let f = top_fields(&doc, &report).map_err(|d| vec![d])?;
    let kind_def = &kinds[kind];
    let known: Vec<&str> = ENTITY_FIELDS.iter().copied().chain(kind_def.facts.iter().map(|d| d.key.as_str())).collect();
    f.reject_unknown(&mut report, &known, &format!("a {} entity", kind_def.id));
    let name = f.text(&mut report, "name");
    if name.is_none() && !report.has(Code::InvalidValue) {
        report.error(
            Code::MissingField,
            split.yaml_offset..split.yaml_offset,
            "this entity has no `name`".into(),
            Some("add a line `name: ...` with the full name to the front matter".into()),
        );
    }
    let sort_as = f.text(&mut report, "sort_as").map(|s| s.value).filter(|s| !s.trim().is_empty());
    let aliases = f.list(&mut report, "aliases");
    let summary = f.text(&mut report, "summary").map(|s| s.value);
    let sources = parse_sources(&mut report, &f);
    let mut cited_by = Citations::default();
    let mut same_as = Vec::new();
    if let Some(node) = f.get("same_as") {
        let example = "same_as: [https://www.wikidata.org/wiki/Q10665]";
        let items: Vec<Node> = match node.items() {
            Some(items) => items.collect(),
            None if node.text().is_some() => vec![node],
            None => {
                report.wrong_type("same_as", node, "a list of web addresses", example);
                Vec::new()
            }
        };
        for item in items {
            // `- https://…`, or `- {value: https://…, source: wikidata}`.
            let (value, ids) = cited(&mut report, "same_as", item);
            let Some(url) = value.text() else {
                report.wrong_type("same_as", item, "a list of web addresses", example);
                continue;
            };
            let url = Spanned { value: url, span: value.span() };
            check_web_url(&mut report, "same_as", &url);
            cited_by.same_as.push(cite(&mut report, &sources, &ids));
            same_as.push(url.value);
        }
    }
    let related = f.list(&mut report, "related");
    let image = f.get("image").and_then(|node| entity_image(&mut report, node));
    let mut facts = Vec::new();
    for (i, def) in kind_def.facts.iter().enumerate() {
        let Some(node) = f.get(&def.key) else { continue };
        let (node, ids) = cited(&mut report, &def.key, node);
        match fact_value(&mut report, def, node) {
            Ok(value) => {
                facts.push((i, Spanned { value, span: node.span() }));
                cited_by.facts.push(cite(&mut report, &sources, &ids));
            }
            Err(Some(at)) => {
                let (expected, example) = fact_expectation(def);
                report.wrong_type(&def.key, at, expected, &example);
            }
            Err(None) => {}
        }
    }
    let id = file_stem(path);
    if !is_slug(&id) {
        report.error(
            Code::InvalidId,
            0..0,
            format!("the file name `{id}` is not a valid id"),
            Some(format!(
                "ids are file names in lower-case letters, digits and hyphens: rename the file to `{}.md`",
                crate::model::slugify(&id)
            )),
        );
    }
    if !report.diagnostics.is_empty() {
        return Err(report.diagnostics);
    }
    Ok(EntityDoc {
        id,
        kind,
        path: path.to_path_buf(),
        name: name.expect("checked above"),
        sort_as,
        aliases,
        summary,
        same_as,
        related,
        image,
        coordinates: crate::model::coordinates_of(&facts),
        facts,
        sources,
        cited: cited_by,
        body_offset: split.body_offset,
    })
}

/// What a fact of type `def.ty` must be, and an example.
fn fact_expectation(def: &FactDef) -> (&'static str, String) {
    let key = &def.key;
    match def.ty {
        FactType::Text => ("text", format!("{key}: some text")),
        FactType::Year => ("a year, or text when sources disagree", format!("{key}: 1942")),
        FactType::Entity => ("the id of an entity", format!("{key}: russia")),
        FactType::List => ("a list of texts", format!("{key}: [first, second]")),
        FactType::Roles => {
            ("a list of roles", format!("{key}: [{{title: Minister of Railways, from: 1998, to: 2003}}]"))
        }
        FactType::Coordinates => ("a [latitude, longitude] pair", format!("{key}: [43.12, 131.89]")),
    }
}

/// Checks one fact value against its declared type. `Err(Some(node))`:
/// `node` (the value or one of its items) is not what the type needs;
/// `Err(None)`: what is wrong is reported.
fn fact_value<'d>(report: &mut Report, def: &FactDef, node: Node<'d>) -> Result<FactValue, Option<Node<'d>>> {
    let wrong = Err(Some(node));
    match def.ty {
        FactType::Text => node.text().map(FactValue::Text).ok_or(Some(node)),
        FactType::Year => match node.value() {
            Value::Number(n) => n.as_i64().map(FactValue::Year).ok_or(Some(node)),
            Value::String(s) => Ok(FactValue::Text(s.clone())),
            _ => wrong,
        },
        FactType::Entity => match node.value() {
            Value::String(s) => Ok(FactValue::Entity(EntityRef { id: s.clone(), entity: None })),
            _ => wrong,
        },
        FactType::List => {
            let items = node.items().ok_or(Some(node))?;
            let mut list = Vec::new();
            let mut failed = false;
            for item in items {
                match item.text() {
                    Some(text) => list.push(text),
                    None => {
                        let (expected, example) = fact_expectation(def);
                        report.wrong_type(&def.key, item, expected, &example);
                        failed = true;
                    }
                }
            }
            if failed {
                Err(None)
            } else {
                Ok(FactValue::List(list))
            }
        }
        FactType::Roles => {
            let items = node.items().ok_or(Some(node))?;
            let mut roles = Vec::new();
            let mut failed = false;
            for item in items {
                match parse_role(report, item) {
                    Ok(role) => roles.push(role),
                    Err(at) => {
                        if let Some(at) = at {
                            let (expected, example) = fact_expectation(def);
                            report.wrong_type(&def.key, at, expected, &example);
                        }
                        failed = true;
                    }
                }
            }
            if failed {
                Err(None)
            } else {
                Ok(FactValue::Roles(roles))
            }
        }
        FactType::Coordinates => {
            let pair: Vec<Node> = node.items().ok_or(Some(node))?.collect();
            let [lat_at, lon_at] = pair[..] else { return wrong };
            let lat = lat_at.value().as_f64().ok_or(Some(lat_at))?;
            let lon = lon_at.value().as_f64().ok_or(Some(lon_at))?;
            let out = if !(-90.0..=90.0).contains(&lat) {
                lat_at
            } else if !(-180.0..=180.0).contains(&lon) {
                lon_at
            } else {
                return Ok(FactValue::Coordinates { lat, lon });
            };
            report.error(
                Code::InvalidValue,
                out.span(),
                format!("coordinates [{lat}, {lon}] are out of range"),
                Some("latitude comes first and lies between -90 and 90; longitude between -180 and 180".into()),
            );
            Err(None)
        }
    }
}

const ROLE_FIELDS: &[&str] = &["title", "from", "to"];

/// A role is a plain string or `{title, from, to}`. `Err(Some(item))`: it
/// is neither; `Err(None)`: what is wrong is reported.
fn parse_role<'d>(report: &mut Report, item: Node<'d>) -> Result<Role, Option<Node<'d>>> {
    if let Some(title) = item.text() {
        return Ok(Role { title, from: None, to: None });
    }
    let Value::Mapping(_) = item.value() else { return Err(Some(item)) };
    let fields = Fields::of(item).ok_or(Some(item))?;
    let before = report.diagnostics.len();
    fields.reject_unknown(report, ROLE_FIELDS, "a role");
    let title = fields.required_text(report, "title", "this role");
    let from = fields.text(report, "from").map(|t| t.value);
    let to = fields.text(report, "to").map(|t| t.value);
    if report.diagnostics.len() > before {
        return Err(None);
    }
    match title {
        Some(title) if !title.value.trim().is_empty() => Ok(Role { title: title.value, from, to }),
        _ => Err(Some(item)),
    }
}

fn default_language() -> String {
    "en".into()
}

/// An archive's home page lists this many articles, then links on.
const DEFAULT_PAGINATE_BY: usize = 50;

/// An entity's page lists its mentions in this many articles, then links on
/// (a few hundred kilobytes a page).
const DEFAULT_PAGINATE_MENTIONS_BY: usize = 200;

const SITE_FIELDS: &[&str] = &[
    "title",
    "language",
    "base_url",
    "allow_html",
    "paginate_by",
    "paginate_mentions_by",
    "sort_by",
    "feed_limit",
    "kinds",
    "lints",
    "map_layers",
    "data_files",
];

/// Articles in a feed unless `feed_limit` says otherwise: a reader's feed
/// needs the latest, not an archive.
const DEFAULT_FEED_LIMIT: usize = 20;

/// Parses `content/site.yaml`; kinds default to [`DEFAULT_KINDS`]. Of
/// several mistakes, the first in the file is reported.
pub fn parse_site_config(path: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let doc = Document::parse(path, text, start..text.len(), "site.yaml")?;
    let mut report = Report::new(path, text);
    let config = site_config(&mut report, doc.root());
    let first = report.diagnostics.into_iter().min_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    match (first, config) {
        (Some(error), _) | (None, Err(error)) => Err(error),
        (None, Ok(config)) => Ok(config),
    }
}

fn site_config(report: &mut Report, root: Node) -> Result<SiteConfig, Diagnostic> {
    let Some(f) = Fields::of(root) else {
        return Err(Diagnostic::error(Code::InvalidValue, "site.yaml must be a list of `field: value` lines")
            .at(Location::from_range(report.path, report.text, root.span()))
            .with_hint("for example `title: My edition`"));
    };
    f.reject_unknown(report, SITE_FIELDS, "site.yaml");
    let title = f.required_text(report, "title", "site.yaml");
    let language = f.text(report, "language");
    if let Some(language) = &language {
        let tag = &language.value;
        if !crate::language::is_valid_tag(tag) {
            report.error(
                Code::InvalidValue,
                language.span.clone(),
                format!("`language` must be a language tag such as `en` or `pt-BR`, not `{tag}`"),
                None,
            );
        }
    }
    let base_url = f.text(report, "base_url");
    if let Some(url) = &base_url {
        if let Err(message) = check_base_url("`base_url`", &url.value) {
            report.error(
                Code::InvalidValue,
                url.span.clone(),
                message,
                Some("for example `base_url: https://example.org/editions/kim`".into()),
            );
        }
    }
    let allow_html = f.get("allow_html").is_some_and(|node| {
        bool::deserialize(node.value()).unwrap_or_else(|_| {
            report.wrong_type("allow_html", node, "true or false", "allow_html: true");
            false
        })
    });
    let paginate_by = page_size(report, &f, "paginate_by", DEFAULT_PAGINATE_BY, "home page");
    let paginate_mentions_by =
        page_size(report, &f, "paginate_mentions_by", DEFAULT_PAGINATE_MENTIONS_BY, "page of an entity's mentions");
    let sort_by = match f.text(report, "sort_by") {
        None => SortBy::Date,
        Some(order) => match order.value.as_str() {
            "date" => SortBy::Date,
            "weight" => SortBy::Weight,
            "title" => SortBy::Title,
            other => {
                report.error(
                    Code::InvalidValue,
                    order.span.clone(),
                    format!("`sort_by` must be date, weight or title, not `{other}`"),
                    Some("for example `sort_by: date` (newest first, the default)".into()),
                );
                SortBy::Date
            }
        },
    };
    let feed_limit = page_size(report, &f, "feed_limit", DEFAULT_FEED_LIMIT, "feed");
    let kinds = match f.raw("kinds").filter(|node| !node.value().is_null()) {
        Some(node) => parse_kinds(report, node),
        None => DEFAULT_KIND_LIST.clone(),
    };
    let lints = f.get("lints").map_or_else(LintLevels::default, |node| parse_lints(report, node));
    let map_layers = f.list(report, "map_layers");
    for layer in &map_layers {
        let path = Path::new(&layer.value);
        let inside = path.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || !layer.value.to_ascii_lowercase().ends_with(".geojson") {
            report.error(
                Code::InvalidValue,
                layer.span.clone(),
                format!("a map layer must be a `.geojson` file under content/, not `{}`", layer.value),
                Some("for example `map_layers: [maps/streets.geojson]` for content/maps/streets.geojson".into()),
            );
        }
    }
    // `data_files: []` writes none; no `data_files`, or an empty one, all.
    let data_files = match f.raw("data_files").filter(|node| !node.value().is_null()) {
        None => DataFiles::ALL,
        Some(_) => {
            let mut files = DataFiles::NONE;
            for name in f.list(report, "data_files") {
                if !files.include(&name.value) {
                    let hint = match did_you_mean(&name.value, DataFiles::NAMES) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "for example `data_files: [geojson, mentions]`; `[]` writes none".to_string(),
                    };
                    report.error(
                        Code::InvalidValue,
                        name.span.clone(),
                        format!("`data_files` lists {}, not `{}`", DataFiles::NAMES.join(", "), name.value),
                        Some(hint),
                    );
                }
            }
            files
        }
    };
    Ok(SiteConfig {
        data_files,
        map_layers,
        lints,
        title: title.map(|t| t.value).unwrap_or_default(),
        language: language.map_or_else(default_language, |l| l.value),
        base_url: base_url.map(|u| u.value.trim_end_matches('/').to_string()),
        allow_html,
        paginate_by,
        paginate_mentions_by,
        sort_by,
        feed_limit,
        kinds: kinds.into(),
        labels: crate::strings::Strings::english().labels(),
    })
}

/// Reads the `lints:` mapping of `site.yaml`, reporting an unknown lint
/// at its name and a wrong level at the level.
fn parse_lints(report: &mut Report, lints: Node) -> LintLevels {
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
        levels.set(lint.code, level);
    }
    levels
}

/// Checks a base URL (`what` names where it was given): a web address with
/// nothing a page could not carry in an attribute.
pub(crate) fn check_base_url(what: &str, value: &str) -> Result<(), String> {
    let lower = value.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if !web || value.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '`')) {
        return Err(format!("{what} must be a web address, not `{value}`"));
    }
    Ok(())
}

/// A page size: a whole number, 0 for one page.
fn page_size(report: &mut Report, f: &Fields, key: &str, default: usize, what: &str) -> usize {
    let Some(node) = f.raw(key).filter(|node| !node.value().is_null()) else { return default };
    match node.value().as_u64().and_then(|n| usize::try_from(n).ok()) {
        Some(n) => n,
        None => {
            let written = serde_yaml::to_string(node.value()).unwrap_or_default();
            report.error(
                Code::InvalidValue,
                node.span(),
                format!("`{key}` must be a whole number of articles per {what}, not `{}`", written.trim()),
                Some(format!("for example `{key}: {default}`; `{key}: 0` puts them all on one page")),
            );
            default
        }
    }
}

/// The kinds [`DEFAULT_KINDS`] declares.
static DEFAULT_KIND_LIST: LazyLock<Vec<Kind>> = LazyLock::new(|| {
    let path = Path::new("src/kinds.yaml");
    let doc = Document::parse(path, DEFAULT_KINDS, 0..DEFAULT_KINDS.len(), "kinds.yaml").expect("kinds.yaml parses");
    let mut report = Report::new(path, DEFAULT_KINDS);
    let kinds = parse_kinds(&mut report, doc.root());
    assert!(report.diagnostics.is_empty(), "the built-in kinds.yaml is valid: {:?}", report.diagnostics);
    kinds
});

/// Folders of the output that are not a kind's: the articles, the tags,
/// the home pages after the first, the map tiles and the search index.
const RESERVED_FOLDERS: &[&str] = &["articles", "tags", "page", "maps", "search"];

const KIND_FIELDS: &[&str] = &["id", "folder", "title", "singular", "schema", "facts"];

/// Reads a list of kinds: each with an id and a folder no other kind has.
fn parse_kinds(report: &mut Report, node: Node) -> Vec<Kind> {
    let example = "kinds: [{id: ship, folder: ships, title: Ships, singular: Ship}]";
    let Some(items) = node.items() else {
        report.wrong_type("kinds", node, "a list of kinds", example);
        return Vec::new();
    };
    let mut kinds: Vec<Kind> = Vec::new();
    // Where each kind's id and folder are written.
    let mut declared: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for item in items {
        let Some(f) = Fields::of(item).filter(|_| !item.value().is_null()) else {
            report.wrong_type("kinds", item, "a list of kinds", example);
            continue;
        };
        f.reject_unknown(report, KIND_FIELDS, "a kind");
        let [id, folder, title, singular] =
            ["id", "folder", "title", "singular"].map(|key| f.required_text(report, key, "this kind"));
        let schema = f.text(report, "schema").map_or_else(|| "Thing".to_string(), |s| s.value);
        let facts = f.get("facts").map(|facts| parse_fact_defs(report, facts)).unwrap_or_default();
        let (Some(id), Some(folder), Some(title), Some(singular)) = (id, folder, title, singular) else { continue };
        let first = |span: &Range<usize>| {
            let line = report.text[..span.start].matches('\n').count() + 1;
            Some(format!("it is first declared on line {line}"))
        };
        let twice = format!("kind `{}` (folder `{}`) is declared twice", id.value, folder.value);
        let problem = if !is_slug(&folder.value) || RESERVED_FOLDERS.contains(&folder.value.as_str()) {
            let message = format!(
                "kind `{}` has folder `{}`: a folder must be a slug other than {}",
                id.value,
                folder.value,
                RESERVED_FOLDERS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
            );
            Some((folder.span.clone(), message, None))
        } else if let Some(i) = kinds.iter().position(|k| k.id == id.value) {
            Some((id.span.clone(), twice, first(&declared[i].0)))
        } else if let Some(i) = kinds.iter().position(|k| k.folder == folder.value) {
            Some((folder.span.clone(), twice, first(&declared[i].1)))
        } else {
            None
        };
        if let Some((span, message, hint)) = problem {
            report.error(Code::InvalidValue, span, message, hint);
            continue;
        }
        declared.push((id.span, folder.span));
        kinds.push(Kind {
            id: id.value,
            folder: folder.value,
            title: title.value,
            singular: singular.value,
            schema,
            facts,
        });
    }
    kinds
}

const FACT_FIELDS: &[&str] = &["key", "label", "type", "role"];

/// Reads a kind's list of facts.
fn parse_fact_defs(report: &mut Report, node: Node) -> Vec<FactDef> {
    let example = "facts: [{key: launched, label: Launched, type: year}]";
    let Some(items) = node.items() else {
        report.wrong_type("facts", node, "a list of facts", example);
        return Vec::new();
    };
    let mut facts = Vec::new();
    for item in items {
        let Some(f) = Fields::of(item).filter(|_| !item.value().is_null()) else {
            report.wrong_type("facts", item, "a list of facts", example);
            continue;
        };
        f.reject_unknown(report, FACT_FIELDS, "a fact");
        let [key, label, ty] = ["key", "label", "type"].map(|key| f.required_text(report, key, "this fact"));
        let (Some(key), Some(label), Some(ty)) = (key, label, ty) else { continue };
        let ty = match ty.value.as_str() {
            "text" => FactType::Text,
            "year" => FactType::Year,
            "roles" => FactType::Roles,
            "coordinates" => FactType::Coordinates,
            "entity" => FactType::Entity,
            "list" => FactType::List,
            other => {
                report.error(
                    Code::InvalidValue,
                    ty.span,
                    format!(
                        "unknown fact type `{other}`, expected one of text, year, roles, coordinates, entity, list"
                    ),
                    None,
                );
                continue;
            }
        };
        let role = match f.text(report, "role") {
            None => None,
            Some(role) => match FactRole::ALL.iter().find(|(name, _)| *name == role.value) {
                Some(&(_, role)) => Some(role),
                None => {
                    let names: Vec<&str> = FactRole::ALL.iter().map(|(name, _)| *name).collect();
                    let hint = match did_you_mean(&role.value, names.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "a role is one of {}; leave it out for a fact that is only listed",
                            names.join(", ")
                        ),
                    };
                    report.error(
                        Code::InvalidValue,
                        role.span,
                        format!("unknown fact role `{}`", role.value),
                        Some(hint),
                    );
                    continue;
                }
            },
        };
        facts.push(FactDef { key: key.value, label: label.value, ty, role });
    }
    facts
}

/// The id of a content file: its file name without `.md`.
pub fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// An article's slug: its file name without `.md`, or, for an article that
/// is a folder (`articles/<slug>/index.md`, with its images beside it), the
/// folder's name.
pub fn article_slug(path: &Path) -> String {
    match path.parent().and_then(Path::file_name) {
        Some(folder) if path.file_name().is_some_and(|n| n == "index.md") => folder.to_string_lossy().into_owned(),
        _ => file_stem(path),
    }
}

/// Every parsed file of a site, before resolution.
#[derive(Debug)]
pub struct ParsedSite {
    pub config: SiteConfig,
    pub articles: Vec<ArticleDoc>,
    pub entities: Vec<EntityDoc>,
    /// Everything found wrong while parsing, errors and warnings.
    pub diagnostics: Diagnostics,
    /// Ids of entity files that failed to parse: references to them are not
    /// reported again as unknown.
    pub broken_ids: HashSet<String>,
}

/// Parses `site.yaml` and every content file, sorting each into articles or
/// a kind by its folder. Reports every problem in every file: a broken
/// `site.yaml` is reported and the default kinds are used to go on checking.
pub fn parse_site(sources: &SiteSources) -> ParsedSite {
    let mut diagnostics = Diagnostics::default();
    let config = match &sources.site_yaml {
        Some(file) => parse_site_config(&file.path, &file.text),
        None => Err(Diagnostic::error(Code::Io, "there is no content/site.yaml")
            .in_file(Path::new("content/site.yaml"))
            .with_hint("create content/site.yaml with at least a line `title: ...`")),
    };
    let config = config.unwrap_or_else(|d| {
        diagnostics.push(d);
        parse_site_config(Path::new("content/site.yaml"), "title: untitled").expect("the fallback parses")
    });
    enum Parsed {
        Article(ArticleDoc),
        Entity(EntityDoc),
        /// An article's annotations file, and the article's path.
        Annotations(PathBuf, Vec<Annotation>, PathBuf),
    }
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = sources
        .content
        .par_iter()
        .filter_map(|file| {
            let folder = content_folder(&file.path)?;
            if crate::strings::is_site_file(&file.path) {
                return None; // A strings table, read when rendering.
            }
            if folder == "articles" && crate::standoff::is_annotations_file(&file.path) {
                let article = crate::standoff::article_path(&file.path);
                let parsed = crate::standoff::parse_file(&file.path, &file.text);
                return Some(parsed.map(|list| Parsed::Annotations(article, list, file.path.clone())));
            }
            if folder == "articles" {
                return Some(parse_article(&file.path, &file.text).map(Parsed::Article));
            }
            match config.kinds.iter_enumerated().find(|(_, k)| k.folder == folder).map(|(id, _)| id) {
                Some(kind) => Some(parse_entity(&file.path, &file.text, &config.kinds, kind).map(Parsed::Entity)),
                None => Some(Err(vec![Diagnostic::warning(
                    Code::UnknownFolder,
                    format!("`content/{folder}` is not a folder gloss knows; this file is ignored"),
                )
                .in_file(&file.path)
                .with_hint(format!(
                    "articles go in content/articles; entities in {}",
                    config.kinds.iter().map(|k| format!("content/{}", k.folder)).collect::<Vec<_>>().join(", ")
                ))])),
            }
        })
        .collect();
    let mut articles: Vec<ArticleDoc> = Vec::new();
    let mut entities = Vec::new();
    let mut broken_ids = HashSet::new();
    let mut annotations = Vec::new();
    for result in results {
        match result {
            Ok(Parsed::Article(a)) => articles.push(a),
            Ok(Parsed::Entity(e)) => entities.push(e),
            Ok(Parsed::Annotations(article, list, path)) => annotations.push((article, list, path)),
            Err(ds) => {
                if let Some(path) = ds.iter().find(|d| d.is_error()).and_then(|d| d.path.as_ref()) {
                    broken_ids.insert(file_stem(path));
                }
                diagnostics.extend(ds)
            }
        }
    }
    // An article whose front matter failed has its annotations checked no
    // further; one with no article at all is reported.
    let failed: HashSet<&Path> =
        diagnostics.0.iter().filter(|d| d.is_error()).filter_map(|d| d.path.as_deref()).collect();
    let mut orphans = Vec::new();
    for (article, list, path) in annotations {
        match articles.iter_mut().find(|a| a.path == article) {
            Some(doc) => doc.annotations.extend(list),
            None if failed.contains(article.as_path()) => {}
            None => orphans.push(
                Diagnostic::error(
                    Code::AnnotationAnchor,
                    format!("there is no article `{}` for these annotations", article.display()),
                )
                .in_file(&path)
                .with_hint(format!(
                    "an annotations file is named after its article: rename it, or write the article `{}`",
                    article.display()
                )),
            ),
        }
    }
    diagnostics.extend(orphans);
    ParsedSite { config, articles, entities, diagnostics, broken_ids }
}

/// The first folder below `content/` of a content file's path
/// (`content/people/kim.md` → `people`).
fn content_folder(path: &Path) -> Option<String> {
    let mut components = path.components().skip(1);
    let folder = components.next()?.as_os_str().to_str()?.to_string();
    components.next().map(|_| folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use typed_index_collections::TiVec;

    fn kinds() -> TiVec<KindId, Kind> {
        parse_site_config(Path::new("site.yaml"), "title: T").unwrap().kinds
    }

    fn entity(text: &str) -> Result<EntityDoc, Vec<Diagnostic>> {
        parse_entity(Path::new("people/kim-jong-il.md"), text, &kinds(), KindId::from(0))
    }

    #[test]
    fn splits_front_matter_with_offsets() {
        let text = "---\nname: Kim\n---\nBody\n";
        let split = split_front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(split.yaml, "name: Kim\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(&text[split.body_offset..], "Body\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\nname: Kim\r\n---\r\nBody\r\n";
        let split = split_front_matter(Path::new("a.md"), text).unwrap();
        assert_eq!(split.yaml, "name: Kim\r\n");
        assert_eq!(split.body, "Body\r\n");
    }

    #[test]
    fn unclosed_front_matter_is_located() {
        let err = split_front_matter(Path::new("a.md"), "---\nname: Kim\nBody\n").unwrap_err();
        assert_eq!(err.code, Code::UnclosedFrontMatter);
        assert_eq!(err.location.unwrap().line, 1);
    }

    #[test]
    fn parses_a_person_with_facts() {
        let text = "---\nname: Kim Jong-il\naliases: [Kim, the Dear Leader]\nborn: \"1941 or 1942\"\ndied: 2011\nroles:\n  - {title: Leader, from: 1994, to: 2011}\n---\nDescription.\n";
        let e = entity(text).unwrap();
        assert_eq!(e.id, "kim-jong-il");
        assert_eq!(e.name.value, "Kim Jong-il");
        assert_eq!(e.aliases.len(), 2);
        assert_eq!(e.facts.len(), 3);
        assert_eq!(e.facts[1].1.value, FactValue::Year(2011));
        assert_eq!(e.body(text), "Description.\n");
    }

    #[test]
    fn unknown_field_suggests_the_right_one_at_its_line() {
        let errs = entity("---\nname: Kim\nalises: [Kim]\n---\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].code, Code::UnknownField);
        assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `aliases`?"));
    }

    #[test]
    fn missing_name_and_wrong_type_are_both_reported() {
        let errs = entity("---\naliases: 3\n---\n").unwrap_err();
        let codes: Vec<Code> = errs.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::InvalidValue), "{errs:?}");
        let errs = entity("---\nsummary: x\n---\n").unwrap_err();
        assert_eq!(errs[0].code, Code::MissingField);
    }

    #[test]
    fn yaml_syntax_errors_count_lines_from_the_file_start() {
        let errs = entity("---\nname: Kim\naliases: [Kim\n---\n").unwrap_err();
        assert_eq!(errs[0].code, Code::YamlSyntax);
        assert!(errs[0].location.as_ref().unwrap().line >= 3);
    }

    #[test]
    fn coordinates_out_of_range() {
        let kinds = kinds();
        let place = kinds.iter_enumerated().find(|(_, k)| k.id == "place").unwrap().0;
        let errs =
            parse_entity(Path::new("places/x.md"), "---\nname: X\ncoordinates: [131.9, 43.1]\n---\n", &kinds, place)
                .unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidValue);
        // At the number out of range: the latitude.
        assert_eq!(at(&errs[0]), (3, 15));
        let errs =
            parse_entity(Path::new("places/x.md"), "---\nname: X\ncoordinates: [43.1, -181]\n---\n", &kinds, place)
                .unwrap_err();
        assert_eq!(at(&errs[0]), (3, 21));
        let errs =
            parse_entity(Path::new("places/x.md"), "---\nname: X\ncoordinates: [43.1, east]\n---\n", &kinds, place)
                .unwrap_err();
        assert_eq!((errs[0].code, at(&errs[0])), (Code::InvalidValue, (3, 21)));
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        let location = d.location.as_ref().expect("located");
        (location.line, location.column)
    }

    #[test]
    fn each_alias_spans_its_own_text() {
        let text = "---\nname: Kim Jong-il\naliases: [Kim Jong-Il, Kim, \"the Dear Leader\"]\n---\n";
        let e = entity(text).unwrap();
        let spans: Vec<&str> = e.aliases.iter().map(|a| &text[a.span.clone()]).collect();
        assert_eq!(spans, ["Kim Jong-Il", "Kim", "\"the Dear Leader\""]);
        assert_eq!(&text[e.name.span.clone()], "Kim Jong-il");
    }

    #[test]
    fn errors_inside_lists_and_mappings_are_at_their_node() {
        // An unknown key of a role, with a did-you-mean.
        let errs = entity("---\nname: Kim\nroles: [{title: X, form: 1994}]\n---\n").unwrap_err();
        assert_eq!((errs[0].code, at(&errs[0])), (Code::UnknownField, (3, 20)));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `from`?"));
        // A role that is a list; a role without a title.
        let errs = entity("---\nname: Kim\nroles:\n  - Leader\n  - [x]\n  - {from: 1994}\n---\n").unwrap_err();
        let found: Vec<(Code, (usize, usize))> = errs.iter().map(|d| (d.code, at(d))).collect();
        assert_eq!(found, [(Code::InvalidValue, (5, 5)), (Code::MissingField, (6, 5))]);
        // An item of a list of texts that is no text.
        let errs = entity("---\nname: Kim\naliases: [Kim, {a: b}]\n---\n").unwrap_err();
        assert_eq!((errs[0].code, at(&errs[0])), (Code::InvalidValue, (3, 16)));
        assert_eq!(errs[0].message, "`aliases` must be a list of texts");
    }

    #[test]
    fn article_text_spans_start_at_or_before_their_first_word() {
        let text = "---\ntitle: \"All aboard!\"\nsubtitle: Plain words\nintro: |\n  The editor\n  writes.\nnotes:\n  - >\n    A folded\n    note.\n---\nBody.\n";
        let a = parse_article(Path::new("articles/a.md"), text).unwrap();
        assert_eq!(&text[a.title.span.clone()], "\"All aboard!\"");
        assert_eq!(&text[a.subtitle.unwrap().span], "Plain words");
        assert_eq!(&text[a.intro.unwrap().span], "The editor\n  writes.");
        assert_eq!(&text[a.notes[0].span.clone()], "A folded\n    note.");
    }

    /// 1 MB of one long anchored text repeated by alias: refused where the
    /// anchor stands, before anything expands it.
    #[test]
    fn an_alias_bomb_in_front_matter_is_refused() {
        let mut text = format!("---\ntitle: T\ns: &s \"{}\"\ntags: [", "x".repeat(4096));
        while text.len() < 1 << 20 {
            text.push_str("*s, ");
        }
        text.push_str("*s]\n---\nBody.\n");
        let errs = parse_article(Path::new("articles/a.md"), &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].code, at(&errs[0])), (Code::YamlSyntax, (3, 4)));
        assert!(errs[0].message.contains("anchors and aliases are not supported in front matter"));
    }

    /// 200 KB of `[`: refused at the first list too deep.
    #[test]
    fn a_nesting_bomb_in_front_matter_is_refused() {
        let text = format!("---\ntitle: T\ntags: {}\n---\nBody.\n", "[".repeat(200_000));
        let errs = parse_article(Path::new("articles/a.md"), &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].code, at(&errs[0])), (Code::YamlSyntax, (3, "tags: ".len() + 64)));
    }

    #[test]
    fn ids_must_be_slugs() {
        let errs =
            parse_entity(Path::new("people/Kim Jong.md"), "---\nname: Kim\n---\n", &kinds(), 0.into()).unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidId);
    }

    #[test]
    fn article_requires_a_title_and_a_body() {
        let errs = parse_article(Path::new("articles/a.md"), "---\ndate: 2002-08-20\n---\n\n").unwrap_err();
        let codes: Vec<Code> = errs.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::MissingField, Code::EmptyArticle]);
    }

    #[test]
    fn base_url_and_language_are_checked() {
        let site = |text: &str| parse_site_config(Path::new("content/site.yaml"), text).map(|_| ()).unwrap_err();
        let bad_url = site("title: T\nbase_url: javascript:alert(1)\n");
        assert_eq!((bad_url.code, bad_url.location.unwrap().line), (Code::InvalidValue, 2));
        let bad_language = site("title: T\nlanguage: 'en\" onload=\"x'\n");
        assert_eq!(bad_language.location.unwrap().line, 2);
        assert!(parse_site_config(Path::new("s"), "title: T\nlanguage: pt-BR\nbase_url: https://e.org/a/").is_ok());
    }

    #[test]
    fn paginate_by_is_a_count_and_defaults_to_fifty() {
        let config = |text: &str| parse_site_config(Path::new("content/site.yaml"), text);
        assert_eq!(config("title: T\n").unwrap().paginate_by, 50);
        assert_eq!(config("title: T\n").unwrap().paginate_mentions_by, 200);
        let error = config("title: T\npaginate_mentions_by: -3\n").map(|_| ()).unwrap_err();
        assert_eq!(error.location.as_ref().map(|l| (l.line, l.column)), Some((2, 23)), "{}", error.message);
        assert_eq!(config("title: T\npaginate_by: 0\n").unwrap().paginate_by, 0);
        for bad in ["-1", "ten", "2.5"] {
            let error = config(&format!("title: T\npaginate_by: {bad}\n")).map(|_| ()).unwrap_err();
            let location = error.location.as_ref().expect("located");
            assert_eq!((location.line, location.column), (2, 14), "{bad}: {}", error.message);
        }
    }

    #[test]
    fn site_yaml_reads_like_front_matter() {
        let site = |text: &str| parse_site_config(Path::new("content/site.yaml"), text).map(|_| ()).unwrap_err();
        let error = site("title: T\nlanguag: en\n");
        assert_eq!((error.code, at(&error)), (Code::UnknownField, (2, 1)));
        assert_eq!(error.hint.as_deref(), Some("did you mean `language`?"));
        let error = site("title: T\nallow_html: yes\n");
        assert_eq!((error.code, at(&error)), (Code::InvalidValue, (2, 13)));
        let error = site("language: en\n");
        assert_eq!(error.code, Code::MissingField);
        let error = site("title: T\ntitle: U\n");
        assert_eq!((error.code, at(&error)), (Code::YamlSyntax, (2, 1)));
        let error = site("title: T\nkinds: [{id: ship, folder: ships, title: Ships, singular: Ship, schema: [x]}]\n");
        assert_eq!((error.code, at(&error)), (Code::InvalidValue, (2, 73)));
        let error = site("title: T\nkinds:\n  - id: ship\n    folder: ships\n    title: Ships\n    singular: Ship\n    facts:\n      - {key: launched, label: Launched, type: date}\n");
        assert_eq!((error.code, at(&error)), (Code::InvalidValue, (8, 48)));
        assert!(error.message.contains("unknown fact type `date`"), "{}", error.message);
        let error = site("title: T\nkinds:\n  - id: ship\n    folder: ships\n    title: Ships\n    singular: Ship\n    facts:\n      - {key: launched, label: Launched, type: year, role: brith}\n");
        assert_eq!((error.code, at(&error)), (Code::InvalidValue, (8, 60)));
        assert_eq!(error.hint.as_deref(), Some("did you mean `birth`?"));
        let error = site("title: T\nkinds:\n  - {id: ship, title: Ships, singular: Ship}\n");
        assert_eq!((error.code, at(&error)), (Code::MissingField, (3, 5)));
        assert_eq!(site("\u{feff}title: T\ntitle: U\n").code, Code::YamlSyntax);
    }

    #[test]
    fn a_kind_declared_twice_is_reported_at_the_second() {
        let site = |kinds: &str| {
            let text = format!("title: T\nkinds:\n  - {{id: ship, folder: ships, title: S, singular: S}}\n{kinds}");
            parse_site_config(Path::new("content/site.yaml"), &text).map(|_| ()).unwrap_err()
        };
        let same_id = site("  - {id: ship, folder: boats, title: B, singular: B}\n");
        assert_eq!((same_id.code, at(&same_id)), (Code::InvalidValue, (4, 10)));
        assert_eq!(same_id.hint.as_deref(), Some("it is first declared on line 3"));
        let same_folder = site("  - {id: boat, folder: ships, title: B, singular: B}\n");
        assert_eq!(at(&same_folder), (4, 24));
        let articles = site("  - {id: boat, folder: articles, title: B, singular: B}\n");
        assert_eq!(at(&articles), (4, 24));
        assert!(articles.message.contains("a folder must be a slug other than `articles`, `tags`"));
        let tags = site("  - {id: label, folder: tags, title: B, singular: B}\n");
        assert_eq!((tags.code, at(&tags)), (Code::InvalidValue, (4, 25)));
    }

    #[test]
    fn default_kinds_are_people_places_organisations() {
        let folders: Vec<String> = kinds().into_iter().map(|k| k.folder).collect();
        assert_eq!(folders, ["people", "places", "organisations"]);
    }
}
