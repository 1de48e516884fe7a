//! Parsing: front matter and YAML into the typed content model.
//!
//! Pure functions over `&str`; the only module that touches YAML. Every value
//! keeps the byte range it came from, so any later stage can point at the
//! exact line and column in the original file (front matter included).

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use rayon::prelude::*;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Diagnostics, Location};
use crate::lint::LintLevels;
use crate::load::SiteSources;
use crate::model::{is_slug, ArticleDoc, EntityDoc, FactDef, FactType, FactValue, Kind, Role, SiteConfig, Spanned};

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

/// The top-level keys of a YAML block mapping with their byte ranges (in the
/// YAML text). Used only to point diagnostics at the right line.
fn top_level_keys(yaml: &str) -> Vec<(String, Range<usize>)> {
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let starts_key = line.chars().next().is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '-' | '[' | '{'));
        if starts_key {
            if let Some(colon) = line.find(':') {
                let key = line[..colon].trim().trim_matches(['"', '\'']);
                keys.push((key.to_string(), offset..offset + colon));
            }
        }
        offset += line.len();
    }
    keys
}

/// Reads typed fields from one front matter mapping, collecting diagnostics.
struct Fields<'a> {
    path: &'a Path,
    text: &'a str,
    yaml_offset: usize,
    yaml_end: usize,
    map: Mapping,
    keys: Vec<(String, Range<usize>)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Parses `split.yaml` into a mapping; `None` (with diagnostics) if it is
    /// not a mapping.
    fn parse(path: &'a Path, text: &'a str, split: &Split<'a>) -> Result<Self, Diagnostic> {
        let value: Value = if split.yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_yaml::from_str(split.yaml).map_err(|e| yaml_error(path, text, split.yaml_offset, &e))?
        };
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => Mapping::new(),
            _ => {
                return Err(Diagnostic::error(
                    Code::InvalidValue,
                    "front matter must be a list of `field: value` lines",
                )
                .at(Location::from_range(path, text, split.yaml_offset..split.yaml_offset + 1)))
            }
        };
        Ok(Fields {
            path,
            text,
            yaml_offset: split.yaml_offset,
            yaml_end: split.yaml_offset + split.yaml.len(),
            map,
            keys: top_level_keys(split.yaml),
            diagnostics: Vec::new(),
        })
    }

    /// Byte range (in the file) of a top-level key, or the start of the YAML.
    fn key_span(&self, key: &str) -> Range<usize> {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.start + self.yaml_offset..r.end + self.yaml_offset)
            .unwrap_or(self.yaml_offset..self.yaml_offset)
    }

    /// Byte range of the value text of `key`: from the key to the next
    /// top-level key.
    fn value_region(&self, key: &str) -> Range<usize> {
        let start = self.key_span(key).start;
        let end =
            self.keys.iter().map(|(_, r)| r.start + self.yaml_offset).find(|&s| s > start).unwrap_or(self.yaml_end);
        start..end
    }

    /// Byte range of `needle` inside the value of `key` (or of its first
    /// word, when the value is folded over lines in the source), or of the
    /// key itself.
    fn span_of(&self, key: &str, needle: &str) -> Range<usize> {
        let region = self.value_region(key);
        let region_text = &self.text[region.clone()];
        let skip = region_text.find(':').map_or(0, |i| i + 1);
        let first_word = needle.split_whitespace().next().unwrap_or("");
        for needle in [needle, first_word] {
            if let Some(i) = region_text[skip..].find(needle).filter(|_| !needle.is_empty()) {
                let s = region.start + skip + i;
                return s..s + needle.len();
            }
        }
        self.key_span(key)
    }

    fn error(&mut self, code: Code, span: Range<usize>, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(code, message).at(Location::from_range(self.path, self.text, span));
        d.hint = hint;
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, key: &str, expected: &str, example: &str) {
        let span = self.key_span(key);
        self.error(
            Code::InvalidValue,
            span,
            format!("`{key}` must be {expected}"),
            Some(format!("write it like `{example}`")),
        );
    }

    /// Authority and source links must be web addresses: anything else
    /// (`javascript:`, `data:`, a bare word) is refused.
    fn check_web_url(&mut self, key: &str, url: &Spanned<String>) {
        let lower = url.value.trim().to_ascii_lowercase();
        if crate::model::is_dangerous_url(&url.value)
            || !(lower.starts_with("https://") || lower.starts_with("http://"))
        {
            self.error(
                Code::InvalidValue,
                url.span.clone(),
                format!("`{key}` must hold web addresses (http:// or https://), not `{}`", url.value),
                Some("write the full address, e.g. https://www.wikidata.org/wiki/Q10665".into()),
            );
        }
    }

    /// Reports every key not in `known`, with a did-you-mean.
    fn reject_unknown(&mut self, known: &[&str], what: &str) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .map(|k| scalar_text(k).unwrap_or_else(|| "?".into()))
            .filter(|k| !known.contains(&k.as_str()))
            .collect();
        for key in unknown {
            let hint = match did_you_mean(&key, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fields of {what} are: {}", known.join(", ")),
            };
            let span = self.key_span(&key);
            self.error(Code::UnknownField, span, format!("unknown field `{key}` in {what}"), Some(hint));
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key) {
            // An empty value or list is as good as absent: new files have them.
            Some(Value::Null) | None => None,
            Some(Value::Sequence(items)) if items.is_empty() => None,
            Some(v) => Some(v),
        }
    }

    fn text_field(&mut self, key: &str) -> Option<String> {
        let value = self.take(key)?;
        match scalar_text(&value) {
            Some(s) => Some(s),
            None => {
                self.wrong_type(key, "text", &format!("{key}: some text"));
                None
            }
        }
    }

    fn spanned_text(&mut self, key: &str) -> Option<Spanned<String>> {
        let value = self.text_field(key)?;
        let span = self.span_of(key, value.lines().next().unwrap_or(""));
        Some(Spanned { value, span })
    }

    fn list_field(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(value) = self.take(key) else { return Vec::new() };
        let items = match value {
            Value::Sequence(items) => items,
            _ => {
                self.wrong_type(key, "a list", &format!("{key}: [first, second]"));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match scalar_text(&item) {
                Some(s) => {
                    let span = self.span_of(key, s.lines().next().unwrap_or(""));
                    out.push(Spanned { value: s, span });
                }
                None => self.wrong_type(key, "a list of texts", &format!("{key}: [first, second]")),
            }
        }
        out
    }
}

/// Text of a scalar (strings, numbers, booleans); `None` for lists and maps.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A YAML syntax error, located in the original file.
fn yaml_error(path: &Path, text: &str, yaml_offset: usize, e: &serde_yaml::Error) -> Diagnostic {
    let message = e.to_string();
    // The library appends " at line L column C": the location is shown anyway.
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    let diagnostic = Diagnostic::error(Code::YamlSyntax, format!("invalid YAML: {message}"))
        .with_hint("check indentation, and quote text that contains `: ` or starts with a special character");
    let Some(loc) = e.location() else {
        return diagnostic.in_file(path);
    };
    let yaml = yaml_text(text, yaml_offset);
    if loc.line() > yaml.lines().count() {
        // The parser ran off the end of the front matter: something opened
        // on the last line (a bracket, a quote) was never closed. Point there.
        let content_end = yaml_offset + yaml.trim_end().len();
        return Diagnostic {
            message: format!("{} (the front matter ends before it is closed)", diagnostic.message),
            ..diagnostic
        }
        .at(Location::from_range(path, text, content_end..content_end));
    }
    let first_line = text[..yaml_offset].matches('\n').count();
    diagnostic.at(Location::from_line_col(path, text, first_line + loc.line(), loc.column()))
}

/// The YAML part of `text` starting at `yaml_offset`: up to the closing
/// `---`, or all of it for `site.yaml`.
fn yaml_text(text: &str, yaml_offset: usize) -> &str {
    let rest = &text[yaml_offset..];
    if yaml_offset == 0 {
        return rest;
    }
    let mut end = 0;
    for line in rest.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            break;
        }
        end += line.len();
    }
    &rest[..end]
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
];

/// Parses an article file (`content/articles/<slug>.md`).
pub fn parse_article(path: &Path, text: &str) -> Result<ArticleDoc, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let mut f = Fields::parse(path, text, &split).map_err(|d| vec![d])?;
    f.reject_unknown(ARTICLE_FIELDS, "an article");
    let title = f.spanned_text("title");
    if title.is_none() && !f.diagnostics.iter().any(|d| d.code == Code::InvalidValue) {
        f.error(
            Code::MissingField,
            f.yaml_offset..f.yaml_offset,
            "this article has no `title`".into(),
            Some("add a line `title: ...` to the front matter".into()),
        );
    }
    let date = f.spanned_text("date");
    if let Some(date) = &date {
        if !is_iso_date(&date.value) {
            f.error(
                Code::InvalidValue,
                date.span.clone(),
                format!("`date` must be a date written YYYY-MM-DD, not `{}`", date.value),
                Some("for example `date: 2002-08-20`".into()),
            );
        }
    }
    let subtitle = f.spanned_text("subtitle");
    let dateline = f.text_field("dateline");
    let byline = f.text_field("byline");
    let source = f.text_field("source");
    let source_url = f.spanned_text("source_url");
    if let Some(url) = &source_url {
        f.check_web_url("source_url", url);
    }
    let source_url = source_url.map(|u| u.value);
    let summary = f.text_field("summary");
    let intro = f.spanned_text("intro");
    let notes = f.list_field("notes");
    let tags = f.list_field("tags").into_iter().map(|t| t.value).collect();
    let route = f.list_field("route");
    if split.body.trim().is_empty() {
        let end = text.len();
        f.error(
            Code::EmptyArticle,
            split.body_offset.min(end)..end,
            "this article has no text after its front matter".into(),
            Some("write the article's Markdown after the closing `---`".into()),
        );
    }
    let slug = file_stem(path);
    if !f.diagnostics.is_empty() {
        return Err(f.diagnostics);
    }
    Ok(ArticleDoc {
        slug,
        path: path.to_path_buf(),
        title: title.expect("checked above"),
        subtitle,
        date: date.map(|d| d.value),
        dateline,
        byline,
        source,
        source_url,
        summary,
        intro,
        notes,
        tags,
        route,
        body_offset: split.body_offset,
    })
}

/// Is `s` a plausible `YYYY-MM-DD` date?
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize, max: u32| p.len() == len && p.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    parts.len() == 3 && num(parts[0], 4, 9999) && num(parts[1], 2, 12) && num(parts[2], 2, 31)
}

const ENTITY_FIELDS: &[&str] = &["name", "sort_as", "aliases", "summary", "same_as", "related"];

/// Parses an entity file of kind `kinds[kind]`.
pub fn parse_entity(path: &Path, text: &str, kinds: &[Kind], kind: usize) -> Result<EntityDoc, Vec<Diagnostic>> {
    let split = split_front_matter(path, text).map_err(|d| vec![d])?;
    let mut f = Fields::parse(path, text, &split).map_err(|d| vec![d])?;
    let kind_def = &kinds[kind];
    let known: Vec<&str> = ENTITY_FIELDS.iter().copied().chain(kind_def.facts.iter().map(|d| d.key.as_str())).collect();
    f.reject_unknown(&known, &format!("a {} entity", kind_def.id));
    let name = f.spanned_text("name");
    if name.is_none() && !f.diagnostics.iter().any(|d| d.code == Code::InvalidValue) {
        f.error(
            Code::MissingField,
            f.yaml_offset..f.yaml_offset,
            "this entity has no `name`".into(),
            Some("add a line `name: ...` with the full name to the front matter".into()),
        );
    }
    let sort_as = f.text_field("sort_as").filter(|s| !s.trim().is_empty());
    let aliases = f.list_field("aliases");
    let summary = f.text_field("summary");
    let same_as = f.list_field("same_as");
    for url in &same_as {
        f.check_web_url("same_as", url);
    }
    let same_as: Vec<String> = same_as.into_iter().map(|s| s.value).collect();
    let related = f.list_field("related");
    let mut facts = Vec::new();
    for (i, def) in kind_def.facts.iter().enumerate() {
        if let Some(value) = f.take(&def.key) {
            if let Some(fact) = parse_fact(&mut f, def, value) {
                facts.push((i, fact));
            }
        }
    }
    let id = file_stem(path);
    if !is_slug(&id) {
        f.error(
            Code::InvalidId,
            0..0,
            format!("the file name `{id}` is not a valid id"),
            Some(format!(
                "ids are file names in lower-case letters, digits and hyphens: rename the file to `{}.md`",
                crate::model::slugify(&id)
            )),
        );
    }
    if !f.diagnostics.is_empty() {
        return Err(f.diagnostics);
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
        facts,
        body_offset: split.body_offset,
    })
}

/// Checks one fact value against its declared type.
fn parse_fact(f: &mut Fields, def: &FactDef, value: Value) -> Option<Spanned<FactValue>> {
    let key = def.key.as_str();
    let span = f.key_span(key);
    let parsed = match def.ty {
        FactType::Text => scalar_text(&value).map(FactValue::Text),
        FactType::Year => match &value {
            Value::Number(n) => n.as_i64().map(FactValue::Year),
            Value::String(s) => Some(FactValue::Text(s.clone())),
            _ => None,
        },
        FactType::Entity => match &value {
            Value::String(s) => Some(FactValue::Entity(s.clone())),
            _ => None,
        },
        FactType::List => match &value {
            Value::Sequence(items) => items.iter().map(scalar_text).collect::<Option<Vec<_>>>().map(FactValue::List),
            _ => None,
        },
        FactType::Roles => match &value {
            Value::Sequence(items) => items.iter().map(parse_role).collect::<Option<Vec<_>>>().map(FactValue::Roles),
            _ => None,
        },
        FactType::Coordinates => {
            let pair = value.as_sequence().filter(|s| s.len() == 2);
            match pair.and_then(|s| Some((s[0].as_f64()?, s[1].as_f64()?))) {
                Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                    Some(FactValue::Coordinates { lat, lon })
                }
                Some((lat, lon)) => {
                    f.error(
                        Code::InvalidValue,
                        span,
                        format!("coordinates [{lat}, {lon}] are out of range"),
                        Some("latitude comes first and lies between -90 and 90; longitude between -180 and 180".into()),
                    );
                    return None;
                }
                None => None,
            }
        }
    };
    match parsed {
        Some(value) => Some(Spanned { value, span }),
        None => {
            let (expected, example) = match def.ty {
                FactType::Text => ("text", format!("{key}: some text")),
                FactType::Year => ("a year, or text when sources disagree", format!("{key}: 1942")),
                FactType::Entity => ("the id of an entity", format!("{key}: russia")),
                FactType::List => ("a list of texts", format!("{key}: [first, second]")),
                FactType::Roles => {
                    ("a list of roles", format!("{key}: [{{title: Minister of Railways, from: 1998, to: 2003}}]"))
                }
                FactType::Coordinates => ("a [latitude, longitude] pair", format!("{key}: [43.12, 131.89]")),
            };
            f.wrong_type(key, expected, &example);
            None
        }
    }
}

/// A role is a plain string or `{title, from, to}`.
fn parse_role(value: &Value) -> Option<Role> {
    if let Some(title) = scalar_text(value) {
        return Some(Role { title, from: None, to: None });
    }
    let map = value.as_mapping()?;
    let mut role = Role { title: String::new(), from: None, to: None };
    for (k, v) in map {
        match k.as_str()? {
            "title" => role.title = scalar_text(v)?,
            "from" => role.from = Some(scalar_text(v)?),
            "to" => role.to = Some(scalar_text(v)?),
            _ => return None,
        }
    }
    (!role.title.is_empty()).then_some(role)
}

/// `content/site.yaml`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSpec {
    title: String,
    #[serde(default = "default_language")]
    language: String,
    base_url: Option<String>,
    #[serde(default)]
    allow_html: bool,
    /// Checked after parsing, for a clearer message than serde's.
    paginate_by: Option<serde_yaml::Value>,
    paginate_mentions_by: Option<serde_yaml::Value>,
    kinds: Option<Vec<KindSpec>>,
    /// Checked by [`LintLevels::parse`], which locates its mistakes.
    lints: Option<serde_yaml::Value>,
}

fn default_language() -> String {
    "en".into()
}

/// An archive's home page lists this many articles, then links on.
const DEFAULT_PAGINATE_BY: usize = 50;

/// An entity's page lists its mentions in this many articles, then links on
/// (a few hundred kilobytes a page).
const DEFAULT_PAGINATE_MENTIONS_BY: usize = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindSpec {
    id: String,
    folder: String,
    title: String,
    singular: String,
    #[serde(default = "default_schema")]
    schema: String,
    #[serde(default)]
    facts: Vec<FactSpec>,
}

fn default_schema() -> String {
    "Thing".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactSpec {
    key: String,
    label: String,
    #[serde(rename = "type")]
    ty: FactType,
}

impl<'de> Deserialize<'de> for FactType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "text" => FactType::Text,
            "year" => FactType::Year,
            "roles" => FactType::Roles,
            "coordinates" => FactType::Coordinates,
            "entity" => FactType::Entity,
            "list" => FactType::List,
            other => {
                return Err(serde::de::Error::custom(format!(
                    "unknown fact type `{other}`, expected one of text, year, roles, coordinates, entity, list"
                )))
            }
        })
    }
}

/// Parses `content/site.yaml`; kinds default to [`DEFAULT_KINDS`].
pub fn parse_site_config(path: &Path, text: &str) -> Result<SiteConfig, Diagnostic> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let spec: SiteSpec = serde_yaml::from_str(text_no_bom).map_err(|e| yaml_error(path, text, 0, &e))?;
    let kinds = match spec.kinds {
        Some(kinds) => kinds,
        None => default_kind_specs(),
    };
    let kinds: Vec<Kind> = kinds
        .into_iter()
        .map(|k| Kind {
            id: k.id,
            folder: k.folder,
            title: k.title,
            singular: k.singular,
            schema: k.schema,
            facts: k.facts.into_iter().map(|f| FactDef { key: f.key, label: f.label, ty: f.ty }).collect(),
        })
        .collect();
    for (i, kind) in kinds.iter().enumerate() {
        let problem = if !is_slug(&kind.folder) || kind.folder == "articles" {
            Some(format!(
                "kind `{}` has folder `{}`: a folder must be a slug other than `articles`",
                kind.id, kind.folder
            ))
        } else if kinds[..i].iter().any(|k| k.folder == kind.folder || k.id == kind.id) {
            Some(format!("kind `{}` (folder `{}`) is declared twice", kind.id, kind.folder))
        } else {
            None
        };
        if let Some(message) = problem {
            let at = text.find(&format!("folder: {}", kind.folder)).unwrap_or(0);
            return Err(Diagnostic::error(Code::InvalidValue, message).at(Location::from_range(path, text, at..at)));
        }
    }
    let at_key = |key: &str| {
        let at = text.find(&format!("{key}:")).unwrap_or(0);
        Location::from_range(path, text, at..at + key.len())
    };
    if let Some(url) = &spec.base_url {
        let lower = url.to_ascii_lowercase();
        let web = lower.starts_with("https://") || lower.starts_with("http://");
        if !web || url.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '`')) {
            return Err(Diagnostic::error(
                Code::InvalidValue,
                format!("`base_url` must be a web address, not `{url}`"),
            )
            .at(at_key("base_url"))
            .with_hint("for example `base_url: https://example.org/editions/kim`"));
        }
    }
    let is_tag_part = |p: &str| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric());
    if !spec.language.split('-').all(is_tag_part) || !spec.language.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(Diagnostic::error(
            Code::InvalidValue,
            format!("`language` must be a language tag such as `en` or `pt-BR`, not `{}`", spec.language),
        )
        .at(at_key("language")));
    }
    // A page size: a whole number, 0 for one page.
    let page_size = |key: &str, value: &Option<serde_yaml::Value>, default: usize, what: &str| match value {
        None => Ok(default),
        Some(value) => value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| {
            let written = serde_yaml::to_string(value).unwrap_or_default();
            let after_key = text.find(&format!("{key}:")).map_or(0, |at| at + key.len() + 1);
            let at = after_key + text[after_key..].len() - text[after_key..].trim_start_matches([' ', '\t']).len();
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{key}` must be a whole number of articles per {what}, not `{}`", written.trim()),
            )
            .at(Location::from_range(path, text, at..at))
            .with_hint(format!("for example `{key}: {default}`; `{key}: 0` puts them all on one page"))
        }),
    };
    let paginate_by = page_size("paginate_by", &spec.paginate_by, DEFAULT_PAGINATE_BY, "home page")?;
    let paginate_mentions_by = page_size(
        "paginate_mentions_by",
        &spec.paginate_mentions_by,
        DEFAULT_PAGINATE_MENTIONS_BY,
        "page of an entity's mentions",
    )?;
    let lints = match &spec.lints {
        Some(value) => LintLevels::parse(path, text, value)?,
        None => LintLevels::default(),
    };
    Ok(SiteConfig {
        lints,
        title: spec.title,
        language: spec.language,
        base_url: spec.base_url.map(|u| u.trim_end_matches('/').to_string()),
        allow_html: spec.allow_html,
        paginate_by,
        paginate_mentions_by,
        kinds,
    })
}

fn default_kind_specs() -> Vec<KindSpec> {
    serde_yaml::from_str(DEFAULT_KINDS).expect("the built-in kinds.yaml is valid")
}

/// The id of a content file: its file name without `.md`.
pub fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
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
    }
    let results: Vec<Result<Parsed, Vec<Diagnostic>>> = sources
        .content
        .par_iter()
        .filter_map(|file| {
            let folder = content_folder(&file.path)?;
            if folder == "articles" {
                return Some(parse_article(&file.path, &file.text).map(Parsed::Article));
            }
            match config.kinds.iter().position(|k| k.folder == folder) {
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
    let mut articles = Vec::new();
    let mut entities = Vec::new();
    let mut broken_ids = HashSet::new();
    for result in results {
        match result {
            Ok(Parsed::Article(a)) => articles.push(a),
            Ok(Parsed::Entity(e)) => entities.push(e),
            Err(ds) => {
                if let Some(path) = ds.iter().find(|d| d.is_error()).and_then(|d| d.path.as_ref()) {
                    broken_ids.insert(file_stem(path));
                }
                diagnostics.extend(ds)
            }
        }
    }
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

    fn kinds() -> Vec<Kind> {
        parse_site_config(Path::new("site.yaml"), "title: T").unwrap().kinds
    }

    fn entity(text: &str) -> Result<EntityDoc, Vec<Diagnostic>> {
        parse_entity(Path::new("people/kim-jong-il.md"), text, &kinds(), 0)
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
        let place = kinds.iter().position(|k| k.id == "place").unwrap();
        let errs =
            parse_entity(Path::new("places/x.md"), "---\nname: X\ncoordinates: [131.9, 43.1]\n---\n", &kinds, place)
                .unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidValue);
        assert_eq!(errs[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn ids_must_be_slugs() {
        let errs = parse_entity(Path::new("people/Kim Jong.md"), "---\nname: Kim\n---\n", &kinds(), 0).unwrap_err();
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
    fn default_kinds_are_people_places_organisations() {
        let folders: Vec<String> = kinds().into_iter().map(|k| k.folder).collect();
        assert_eq!(folders, ["people", "places", "organisations"]);
    }
}
