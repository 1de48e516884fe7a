//! The home pages: the articles, newest first, `paginate_by` a page; with a
//! single article, a page that leads straight to it.

use serde::Serialize;

use super::context::Meta;
use super::format::display_date;
use super::input::Input;
use super::pagination::Paginator;
use super::{structured, Page, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::ArticleId;
use crate::routes::{self, PageId};

#[derive(Serialize)]
struct HomePage<'a> {
    /// The articles of this home page.
    articles: Vec<ArticleLink<'a>>,
    /// With a single article, the home page leads straight to it.
    redirect: Option<String>,
    paginator: Paginator,
}

/// An article in a list of them (the home pages, a tag's pages).
#[derive(Serialize)]
pub(super) struct ArticleLink<'a> {
    title: &'a str,
    url: String,
    date: Option<&'a str>,
    date_display: Option<String>,
    byline: Option<&'a str>,
    summary: Option<&'a str>,
    mentions: usize,
}

/// Home page `n` (from 0).
pub(super) fn render(renderer: &Renderer, input: &Input, n: usize) -> Result<Page, Diagnostic> {
    let id = PageId::Home(n);
    let path = input.path(id);
    let count = input.home_page_count();
    let total = input.article_count();
    let articles: Vec<ArticleLink> =
        input.home_page_articles(n).map(|a| article_link(renderer, input, &path, a)).collect();
    let redirect = (total == 1).then(|| articles[0].url.clone());
    let paginator = Paginator::new(n, count, total, |page| routes::link(&path, &routes::home_path(page)));
    let title = match n {
        0 => renderer.site_title.to_string(),
        n => renderer.strings.fill(
            "home_title_page_n",
            &[
                ("site", &renderer.site_title),
                ("n", &renderer.strings.number(n + 1)),
                ("count", &renderer.strings.number(count)),
            ],
        ),
    };
    let meta = Meta {
        description: redirect.is_some().then(|| articles[0].summary.map(str::to_string)).flatten(),
        og_type: "website",
        jsonld: structured::website_ld(input, &title),
    };
    renderer.page("home.html", id, input, title, meta, HomePage { articles, redirect, paginator })
}

/// Article `a` as a list on the page at `path` shows it.
pub(super) fn article_link<'a>(renderer: &Renderer, input: &Input<'a>, path: &str, a: ArticleId) -> ArticleLink<'a> {
    let (doc, annotated) = input.article(a);
    ArticleLink {
        title: &doc.title.value,
        url: routes::link(path, &input.article_path(a)),
        date: doc.date.as_deref(),
        date_display: doc.date.as_deref().map(|d| display_date(renderer.strings, d)),
        byline: doc.byline.as_deref(),
        summary: doc.summary.as_deref(),
        mentions: annotated.mentions.len(),
    }
}
