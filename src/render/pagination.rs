//! Pagination: where a page of a list of articles (the home pages, an
//! entity's pages of mentions) stands among the others.

use serde::Serialize;

/// `paginator` in templates; URLs relative to the page.
#[derive(Serialize)]
pub(super) struct Paginator {
    /// This page's number, from 1.
    current: usize,
    /// How many pages the list has.
    count: usize,
    /// How many articles the list has.
    articles: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
    /// Every page of the list: `number`, `url`, `current`.
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

impl Paginator {
    /// Page `n` (from 0) of `count` pages listing `articles` articles;
    /// `url(page)` links to a page from this one.
    pub fn new(n: usize, count: usize, articles: usize, url: impl Fn(usize) -> String) -> Self {
        Paginator {
            current: n + 1,
            count,
            articles,
            first: url(0),
            last: url(count - 1),
            previous: n.checked_sub(1).map(&url),
            next: (n + 1 < count).then(|| url(n + 1)),
            pages: (0..count).map(|page| PagerLink { number: page + 1, url: url(page), current: page == n }).collect(),
        }
    }
}
