//! Templates: the built-in ones, each replaceable by a file of the same
//! name in the site's `templates/`, compiled once; and their errors, located
//! in the template's file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;

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
    let all = sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(Templates { tera, sources }),
        Err(e) => Err(Diagnostics(vec![template_error(&e, &sources)])),
    }
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
