//! Templates: the built-in ones, each replaceable by a file of the same
//! name in the site's `templates/`, compiled once; and their errors, located
//! in the template's file.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;
use crate::strings::{Formats, Strings};

/// The built-in templates, used for every name the site does not provide.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("kind.html", include_str!("../../templates/kind.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("pagination.html", include_str!("../../templates/pagination.html")),
    ("note-ref.html", include_str!("../../templates/note-ref.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("article-list.html", include_str!("../../templates/article-list.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
];

/// The compiled templates, with their sources for locating errors.
pub struct Templates {
    pub(super) tera: Tera,
    /// Template name → (path to show, source text).
    pub(super) sources: BTreeMap<String, (PathBuf, String)>,
    /// The reader's text in the site's language, `t` in every template.
    pub(super) strings: Strings,
    /// Whether `entity.html` (with what it extends and includes) names
    /// `appearances`, the entity page's mentions with each one's fields:
    /// built only then, as the built-in template shows `mention_lists`,
    /// the same lists ready-made. Tera finds the names a template uses
    /// whatever its `if`s; a component that takes the name `@implicit`
    /// counts wherever it is defined, and a template Tera cannot read
    /// gets them.
    pub(super) entity_appearances: bool,
    /// Whether `article.html` names `cast`, each cast member's fields:
    /// built only then, as the built-in template shows `cast_lists`.
    pub(super) article_cast: bool,
}

impl Templates {
    /// Sets the strings table pages are written with (English until then),
    /// and the language the filters write numbers and dates in.
    pub fn set_strings(&mut self, strings: Strings) {
        register_filters(&mut self.tera, strings.formats());
        self.strings = strings;
    }

    /// The strings table pages are written with.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }
}

/// Compiles the templates: the defaults, overridden by the site's own.
pub fn load_templates(site_templates: &[SourceFile]) -> Result<Templates, Diagnostics> {
    let mut sources: BTreeMap<String, (PathBuf, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), (PathBuf::from(format!("(built-in) {name}")), text.to_string())))
        .collect();
    for file in site_templates {
        let name = file.path.to_string_lossy().replace('\\', "/");
        sources.insert(name, (Path::new("templates").join(&file.path), file.text.clone()));
    }
    let mut tera = Tera::new();
    let strings = Strings::for_site("en", None).0;
    register_filters(&mut tera, strings.formats());
    let all = sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => {
            // A component's `@implicit` argument reads the caller's
            // variable of that name without the caller naming it.
            let implicit: Vec<String> = tera
                .get_component_names()
                .filter_map(|component| tera.get_component_definition(component))
                .flat_map(|component| {
                    component
                        .args()
                        .iter()
                        .filter(|a| a.is_implicit())
                        .map(|a| a.name().to_string())
                        .collect::<Vec<_>>()
                })
                .collect();
            let names = |template, name: &str| {
                implicit.iter().any(|arg| arg == name)
                    || tera.get_template_variables(template).map_or(true, |names| names.contains(name))
            };
            let entity_appearances = names("entity.html", "appearances");
            let article_cast = names("article.html", "cast");
            Ok(Templates { tera, sources, strings, entity_appearances, article_cast })
        }
        Err(e) => Err(Diagnostics(vec![template_error(&e, &sources)])),
    }
}

/// Registers gloss's filters, writing in the language of `formats`.
/// Each holds its formats rather than look up the page's `t`: they run for
/// every count of every page.
fn register_filters(tera: &mut Tera, formats: &'static Formats) {
    tera.register_filter("fill", move |value: tera::Value, kwargs: tera::Kwargs, _: &tera::State| {
        fill_filter(formats, &value, &kwargs)
    });
    // `{{ count | num }}`: a number in the language's digits.
    tera.register_filter("num", move |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
        shown(formats, &value).into_owned()
    });
    tera.register_filter("long_date", move |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
        long_date(formats, &value)
    });
}

/// A value as a reader sees it: a whole number in the language's digits.
fn shown<'v>(formats: &'v Formats, value: &'v tera::Value) -> Cow<'v, str> {
    match (value.as_i64(), value.as_str()) {
        (Some(n), _) => match formats.small(n) {
            Some(count) => Cow::Borrowed(&count.digits),
            None => Cow::Owned(formats.number(n)),
        },
        (None, Some(text)) => Cow::Borrowed(text),
        (None, None) => Cow::Owned(value.to_string()),
    }
}

/// `{{ t.page_n_of | fill(n=2, count=5) }}`: a string of the table with its
/// `{name}` placeholders filled from the arguments (whole numbers in the
/// language's digits). A plural string (a map of forms) takes the form
/// for `n`'s plural category. Called for every count of every page: it
/// copies nothing it can borrow.
fn fill_filter(formats: &Formats, value: &tera::Value, kwargs: &tera::Kwargs) -> tera::TeraResult<String> {
    let template = match value.as_map() {
        Some(forms) => {
            let n = kwargs.get::<tera::Value>("n")?.and_then(|n| n.as_f64()).unwrap_or(0.0);
            let form = forms
                .get(&tera::value::Key::from(formats.category(n)))
                .or_else(|| forms.get(&tera::value::Key::from("other")));
            Cow::Borrowed(form.and_then(|f| f.as_str()).unwrap_or_default())
        }
        None => shown(formats, value),
    };
    Ok(crate::strings::fill_with(&template, |name, out| {
        let (_, value) = kwargs.iter().find(|(key, _)| key.as_str() == Some(name))?;
        out.push_str(&shown(formats, value));
        Some(())
    }))
}

/// `{{ s.accessed | long_date }}`: an ISO date as the language writes it
/// (`30 November 2026`); anything else as it is.
fn long_date(formats: &Formats, value: &tera::Value) -> String {
    let text = value.as_str().map_or_else(|| value.to_string(), str::to_string);
    formats.iso_date(&text).unwrap_or(text)
}

/// A Tera error as a located diagnostic in the template's file.
pub(super) fn template_error(e: &tera::Error, sources: &BTreeMap<String, (PathBuf, String)>) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(report) => {
            let (path, text) = sources
                .get(report.filename())
                .map(|(p, t)| (p.clone(), t.as_str()))
                .unwrap_or_else(|| (PathBuf::from(report.filename()), ""));
            let span = report.span();
            let mut location = Location::from_line_col(&path, text, span.start_line, span.start_col + 1);
            if span.start_line == span.end_line {
                location.span_chars = span.end_col.saturating_sub(span.start_col).max(1);
            }
            let diagnostic =
                Diagnostic::error(Code::Template, format!("in template `{}`: {}", report.filename(), report.message()))
                    .at(location);
            if report.message().contains("not defined") {
                diagnostic.with_hint(
                    "optional values may be null: test them with `{% if x %}`; the README lists every variable",
                )
            } else {
                diagnostic
            }
        }
        None => Diagnostic::error(Code::Template, format!("template error: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_template(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    #[test]
    fn only_a_theme_naming_the_fields_gloss_writes_itself_has_them_built() {
        let built_in = load_templates(&[]).unwrap();
        assert!(!built_in.entity_appearances, "the built-in entity page needs no appearances");
        assert!(!built_in.article_cast, "the built-in article page needs no cast");
        // Named in a partial that entity.html includes…
        let partial = site_template("mention-list.html", "{% for a in appearances %}{{ a.title }}{% endfor %}");
        let entity = site_template(
            "entity.html",
            r#"{% extends "base.html" %}{% block content %}{% include "mention-list.html" %}{% endblock content %}"#,
        );
        assert!(load_templates(&[partial, entity]).unwrap().entity_appearances);
        // …or in the template it extends, inside an `if`.
        let base = include_str!("../../templates/base.html").replace("<main", "{% if appearances %}x{% endif %}<main");
        assert!(load_templates(&[site_template("base.html", &base)]).unwrap().entity_appearances);
        // …or by a component that reads it from its caller unnamed.
        let components = site_template(
            "components.html",
            "{% component cast_list(@cast) %}{% for group in cast %}{{ group.kind.id }}{% endfor %}{% endcomponent cast_list %}",
        );
        let article = site_template(
            "article.html",
            r#"{% extends "base.html" %}{% block content %}{{<cast_list />}}{% endblock content %}"#,
        );
        let themed = load_templates(&[components, article]).unwrap();
        assert!(themed.article_cast && !themed.entity_appearances);
    }
}
