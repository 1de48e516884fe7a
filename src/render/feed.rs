//! The Atom feeds: the newest articles of the site, and of each tag, with
//! their whole annotated text. A feed is read away from the site, so every
//! link in it is absolute: feeds are written only for a site with a
//! `base_url`.

use std::collections::HashMap;

use serde::Serialize;
use typed_index_collections::TiVec;
use url::Url;

use super::context::Meta;
use super::input::Input;
use super::{Page, Renderer};
use crate::annotate::{fill_notes, AnnotatedArticle, NoteRef};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::ArticleId;
use crate::routes::{self, PageId};

/// `feed` in `atom.xml`.
#[derive(Serialize)]
struct FeedPage<'a> {
    feed: FeedContext<'a>,
}

#[derive(Serialize)]
struct FeedContext<'a> {
    title: String,
    /// The feed's own URL, which is also its id.
    url: String,
    /// The page the feed follows (the home page, or the tag's page).
    page: String,
    /// When the newest entry was last updated (RFC 3339).
    updated: String,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    /// The article's URL, which is also the entry's id.
    url: String,
    published: Option<String>,
    updated: String,
    byline: Option<&'a str>,
    summary: Option<&'a str>,
    /// Tag names.
    tags: Vec<&'a str>,
    /// The editor's introduction, the annotated text and its notes, every
    /// link absolute.
    content_html: String,
}

/// The feed `id`: the site's ([`PageId::Feed`]) or a tag's
/// ([`PageId::TagFeed`]).
pub(super) fn render(renderer: &Renderer, input: &Input, id: PageId) -> Result<Page, Diagnostic> {
    let absolute = |path: &str| input.absolute(path).expect("feeds are written only with a base_url");
    let (title, page, articles): (String, String, Vec<ArticleId>) = match id {
        PageId::TagFeed(t) => {
            let tag = &input.tags()[t];
            (renderer.title(&tag.name), absolute(&input.path(PageId::Tag(t, 0))), tag.articles.clone())
        }
        _ => (renderer.site_title.to_string(), absolute(routes::HOME), input.article_ids().collect()),
    };
    let entries = newest(input, &articles)
        .into_iter()
        .map(|a| entry(renderer, input, a))
        .collect::<Result<Vec<Entry>, Diagnostic>>()?;
    // An empty feed is as old as the site's oldest possible news.
    let updated = entries.iter().map(|e| e.updated.as_str()).max().unwrap_or("1970-01-01T00:00:00Z").to_string();
    let feed = FeedContext { title: title.clone(), url: absolute(&input.path(id)), page, updated, entries };
    let meta = Meta { description: None, og_type: "website", jsonld: String::new() };
    let mut page = renderer.page("atom.xml", id, input, title, meta, FeedPage { feed })?;
    page.html = xml_chars(&page.html);
    Ok(page)
}

/// The dated articles among `articles`, newest first (in the site's order
/// within a day), at most `feed_limit` of them. An undated article has no
/// place in a feed: readers order entries by date.
fn newest(input: &Input, articles: &[ArticleId]) -> Vec<ArticleId> {
    let mut dated: Vec<(ArticleId, &str)> = articles.iter().filter_map(|&a| Some((a, input.date(a)?))).collect();
    dated.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
    let limit = match input.config().feed_limit {
        0 => usize::MAX,
        limit => limit,
    };
    dated.into_iter().take(limit).map(|(a, _)| a).collect()
}

fn entry<'a>(renderer: &Renderer, input: &Input<'a>, a: ArticleId) -> Result<Entry<'a>, Diagnostic> {
    let (doc, annotated) = input.article(a);
    let url = input.absolute(&input.article_path(a)).expect("feeds are written only with a base_url");
    let base = Url::parse(&url).map_err(|e| {
        Diagnostic::error(Code::InvalidValue, format!("the article's address `{url}` is not a URL: {e}"))
            .with_hint("check `base_url` in content/site.yaml")
    })?;
    let clock = renderer
        .feed_clock
        .get_or_init(|| FeedClock::new(input.article_count(), |a| (input.date(a), input.updated(a))));
    let published = doc.date.as_deref().map(|date| timestamp(date, clock.published[a]));
    let updated =
        doc.updated.as_deref().or(doc.date.as_deref()).map(|d| timestamp(d, clock.updated[a])).unwrap_or_default();
    Ok(Entry {
        title: &doc.title.value,
        published,
        updated,
        byline: doc.byline.as_deref(),
        summary: doc.summary.as_deref(),
        tags: input.article_tags(a).iter().map(|&t| input.tags()[t].name.as_str()).collect(),
        content_html: absolute_links(&content(annotated), &base),
        url,
    })
}

/// An article's text for a feed reader, which shows no sidenotes and no
/// preview cards: the introduction, the text with numbered references,
/// then the notes.
fn content(article: &AnnotatedArticle) -> String {
    let notes = &article.footnotes;
    let mut reference = |r: &NoteRef| format!("<sup><a href=\"#note-{}\">{}</a></sup>", r.note.id, r.note.number);
    let mut html = String::new();
    if let Some(intro) = &article.intro_html {
        html.push_str(&fill_notes(intro, notes, &mut reference));
        html.push_str("<hr>\n");
    }
    html.push_str(&fill_notes(&article.body_html, notes, &mut reference));
    if !notes.is_empty() {
        html.push_str("<hr>\n<ol>\n");
        for note in notes {
            html.push_str(&format!("<li id=\"note-{}\" value=\"{}\">", note.id, note.number));
            html.push_str(&fill_notes(&note.html, notes, &mut reference));
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n");
    }
    html
}

/// `2002-08-20` as an RFC 3339 time: the start of the day (UTC), and
/// `second` seconds.
fn timestamp(date: &str, second: u32) -> String {
    format!("{date}T{:02}:{:02}:{:02}Z", second / 3600 % 24, second / 60 % 60, second % 60)
}

/// The times of day feeds give articles dated only by the day.
///
/// Articles of one day are a second apart, in the site's order (the first
/// listed is the latest): feed readers take entries with the same time for
/// one revised entry, and the W3C validator warns of them. The same for
/// every feed, so an article has one time wherever it appears.
pub(super) struct FeedClock {
    /// Seconds after midnight of each article's `date`.
    pub published: TiVec<ArticleId, u32>,
    /// Seconds after midnight of each article's `updated` (or `date`).
    pub updated: TiVec<ArticleId, u32>,
}

impl FeedClock {
    /// The clock of the site's articles, as `day(a)` dates each.
    pub fn new<'a>(articles: usize, day: impl Fn(ArticleId) -> (Option<&'a str>, Option<&'a str>)) -> Self {
        let mut later: HashMap<&str, u32> = HashMap::new();
        let mut later_updated: HashMap<&str, u32> = HashMap::new();
        let mut clock = FeedClock { published: vec![0; articles].into(), updated: vec![0; articles].into() };
        // From the last article listed to the first: each is a second later
        // than those of its day listed after it.
        for a in (0..articles).rev().map(ArticleId::from) {
            let (date, updated) = day(a);
            if let Some(date) = date {
                let count = later.entry(date).or_default();
                clock.published[a] = *count;
                *count += 1;
            }
            if let Some(updated) = updated.or(date) {
                let count = later_updated.entry(updated).or_default();
                clock.updated[a] = *count;
                *count += 1;
            }
        }
        clock
    }
}

/// `html` with every `href`, `src` and `srcset` resolved against `base`.
///
/// The HTML is gloss's own (pulldown-cmark's and the annotator's), where an
/// attribute value is always double-quoted and a `"` in text is always
/// escaped: `href="` can only begin an attribute. A value that does not
/// resolve is left as it is.
fn absolute_links(html: &str, base: &Url) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some((at, name)) = next_attribute(rest) {
        let value_start = at + name.len() + 2;
        let Some(len) = rest[value_start..].find('"') else { break };
        out.push_str(&rest[..value_start]);
        let value = &rest[value_start..value_start + len];
        if name == "srcset" {
            let candidates: Vec<String> = value
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    let (link, descriptor) = candidate.split_once(' ').unwrap_or((candidate, ""));
                    format!("{} {descriptor}", resolve(link, base)).trim_end().to_string()
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&resolve(value, base));
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// The next ` href="`, ` src="` or ` srcset="` in `html`: where it starts
/// (after the space) and the attribute's name. One pass over `html`, from
/// one `="` to the next, so a whole document is linear.
fn next_attribute(html: &str) -> Option<(usize, &'static str)> {
    let mut from = 0;
    loop {
        let equals = from + html[from..].find("=\"")?;
        let before = &html[..equals];
        let found = ["href", "src", "srcset"].into_iter().find(|name| {
            before.ends_with(name) && before[..before.len() - name.len()].ends_with(|c: char| c.is_ascii_whitespace())
        });
        if let Some(name) = found {
            return Some((equals - name.len(), name));
        }
        from = equals + 2;
    }
}

/// A link (HTML-escaped, as in an attribute) resolved against `base`.
fn resolve(link: &str, base: &Url) -> String {
    let unescaped = link.replace("&amp;", "&");
    match base.join(&unescaped) {
        Ok(url) => url.as_str().replace('&', "&amp;"),
        Err(_) => link.to_string(),
    }
}

/// `xml` without the characters XML 1.0 forbids (control characters other
/// than tab and line breaks, which Markdown passes through): a feed with
/// one is not read at all.
fn xml_chars(xml: &str) -> String {
    xml.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute_against_the_article() {
        let base = Url::parse("https://example.org/ed/articles/kim.html").unwrap();
        let html = concat!(
            r#"<p><a class="mention" href="../people/kim.html#m-1" id="m-1">Kim</a> "#,
            r##"<a href="https://other.org/x?a=1&amp;b=2">out</a> <sup><a href="#note-1">1</a></sup> "##,
            r#"<img src="photo.jpg" srcset="photo-480.jpg 480w, photo-960.jpg 960w" alt="A photo"> "#,
            r#"the word href=&quot;here&quot;</p>"#
        );
        let out = absolute_links(html, &base);
        assert!(out.contains(r#"href="https://example.org/ed/people/kim.html#m-1" id="m-1""#), "{out}");
        assert!(out.contains(r#"href="https://other.org/x?a=1&amp;b=2""#), "{out}");
        assert!(out.contains(r##"href="https://example.org/ed/articles/kim.html#note-1""##), "{out}");
        assert!(out.contains(r#"src="https://example.org/ed/articles/photo.jpg""#), "{out}");
        assert!(
            out.contains(r#"srcset="https://example.org/ed/articles/photo-480.jpg 480w, https://example.org/ed/articles/photo-960.jpg 960w""#),
            "{out}"
        );
        assert!(out.contains(r#"alt="A photo""#));
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_chars("a\u{c}b\tc\u{1}\n"), "ab\tc\n");
    }
}
