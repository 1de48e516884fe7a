//! The tag pages: the list of tags, and each tag's articles, paginated as
//! the home pages are.

use serde::Serialize;

use super::context::Meta;
use super::home::{article_link, ArticleLink};
use super::input::Input;
use super::pagination::Paginator;
use super::{structured, Page, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{ArticleId, TagId};
use crate::routes::{self, PageId};

/// A tag as the pages that list or show it see it.
#[derive(Serialize)]
pub(super) struct TagLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    /// Its page, relative to the page showing it.
    pub url: String,
    /// How many articles carry it.
    pub articles: usize,
}

impl<'a> TagLink<'a> {
    /// Tag `t`, linked from the page at `path`.
    pub fn new(input: &Input<'a>, path: &str, t: TagId) -> Self {
        let tag = &input.tags()[t];
        TagLink {
            name: &tag.name,
            slug: &tag.slug,
            url: routes::link(path, &input.path(PageId::Tag(t, 0))),
            articles: tag.articles.len(),
        }
    }
}

#[derive(Serialize)]
struct TagsPage<'a> {
    /// Every tag, A to Z.
    tags: Vec<TagLink<'a>>,
}

#[derive(Serialize)]
struct TagPage<'a> {
    tag: TagContext<'a>,
    /// The articles of this page of the tag's.
    articles: Vec<ArticleLink<'a>>,
    paginator: Paginator,
}

#[derive(Serialize)]
struct TagContext<'a> {
    name: &'a str,
    slug: &'a str,
    /// The list of tags.
    index: String,
    /// The tag's feed, when the site has one.
    feed: Option<String>,
}

/// `tags/index.html`.
pub(super) fn render_index(renderer: &Renderer, input: &Input) -> Result<Page, Diagnostic> {
    let path = input.path(PageId::Tags);
    let tags = input.tags().keys().map(|t| TagLink::new(input, &path, t)).collect();
    let title = renderer.title(renderer.strings.get("tags_title"));
    let meta = Meta { description: None, og_type: "website", jsonld: structured::website_ld(input, &title) };
    renderer.page("tags.html", PageId::Tags, input, title, meta, TagsPage { tags })
}

/// Page `n` (from 0) of the articles of tag `t`.
pub(super) fn render(renderer: &Renderer, input: &Input, t: TagId, n: usize) -> Result<Page, Diagnostic> {
    let id = PageId::Tag(t, n);
    let path = input.path(id);
    let tag = &input.tags()[t];
    let per_page = match input.config().paginate_by {
        0 => tag.articles.len().max(1),
        per_page => per_page,
    };
    let articles: Vec<ArticleLink> = tag
        .articles
        .iter()
        .skip(n * per_page)
        .take(per_page)
        .map(|&a: &ArticleId| article_link(renderer, input, &path, a))
        .collect();
    let count = input.tag_page_count(t);
    let paginator =
        Paginator::new(n, count, tag.articles.len(), |page| routes::link(&path, &input.path(PageId::Tag(t, page))));
    let feed = input.has_feeds().then(|| routes::link(&path, &input.path(PageId::TagFeed(t))));
    let context = TagContext { name: &tag.name, slug: &tag.slug, index: routes::link(&path, routes::TAGS), feed };
    let title = match n {
        0 => renderer.title(&tag.name),
        n => renderer.strings.fill(
            "title_page_n",
            &[
                ("title", &tag.name),
                ("n", &renderer.strings.number(n + 1)),
                ("count", &renderer.strings.number(count)),
                ("site", &renderer.site_title),
            ],
        ),
    };
    let meta = Meta { description: None, og_type: "website", jsonld: structured::website_ld(input, &title) };
    renderer.page("tag.html", id, input, title, meta, TagPage { tag: context, articles, paginator })
}
