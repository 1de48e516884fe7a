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
    /// The first and last pages and those within [`NEAR`] of this one,
    /// in order: `number`, `url`, `current`, and `gap_before` where pages
    /// are left out before it. Not every page: an archive has thousands of
    /// home pages, and links to all of them on each would grow as the
    /// square of its articles.
    pages: Vec<PagerLink>,
}

/// How many pages either side of the current one `pages` lists.
const NEAR: usize = 2;

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages are left out between the one before and this one.
    gap_before: bool,
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
            pages: listed_pages(n, count)
                .into_iter()
                .scan(None, |last: &mut Option<usize>, page| {
                    let gap_before = last.is_some_and(|last| page > last + 1);
                    *last = Some(page);
                    Some(PagerLink { number: page + 1, url: url(page), current: page == n, gap_before })
                })
                .collect(),
        }
    }
}

/// The pages (from 0) a pager on page `n` of `count` lists: the first, the
/// last, and those within [`NEAR`] of `n`.
fn listed_pages(n: usize, count: usize) -> Vec<usize> {
    let last = count.saturating_sub(1);
    let near = n.saturating_sub(NEAR)..=n.saturating_add(NEAR).min(last);
    let mut pages: Vec<usize> = [0, last].into_iter().chain(near).collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(n: usize, count: usize) -> Vec<(usize, bool)> {
        let pager = Paginator::new(n, count, count * 10, |page| format!("p{page}"));
        pager.pages.iter().map(|p| (p.number, p.gap_before)).collect()
    }

    #[test]
    fn a_pager_lists_the_ends_and_the_pages_near_this_one() {
        assert_eq!(listed(0, 1), [(1, false)]);
        assert_eq!(listed(2, 5), [(1, false), (2, false), (3, false), (4, false), (5, false)]);
        assert_eq!(listed(0, 2000), [(1, false), (2, false), (3, false), (2000, true)]);
        assert_eq!(
            listed(999, 2000),
            [(1, false), (998, true), (999, false), (1000, false), (1001, false), (1002, false), (2000, true)]
        );
        assert_eq!(listed(1999, 2000), [(1, false), (1998, true), (1999, false), (2000, false)]);
        let pager = Paginator::new(6, 20, 200, |page| format!("p{page}"));
        let current: Vec<&str> = pager.pages.iter().filter(|p| p.current).map(|p| p.url.as_str()).collect();
        assert_eq!(current, ["p6"]);
    }
}
