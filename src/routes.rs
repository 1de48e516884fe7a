//! Routes: where every file of the output goes, and how pages link to each
//! other.
//!
//! The one module that builds output paths and relative links; every other
//! module asks it. A page is named by its [`PageId`], so code that needs to
//! know what a page is (a map tile, a search chunk) asks the id, never the
//! path. Links are always relative (`root` leads from a page back to the
//! site root), so the output works under any sub-path and from disk.

use crate::model::{ArticleId, EntityId, KindId, TagId};
use crate::resolve::Registry;

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// One of the home pages (by index from 0; see [`home_page_count`]).
    Home(usize),
    NotFound,
    Article(ArticleId),
    /// An article's annotations as a W3C Web Annotation collection
    /// (JSON-LD): `articles/<slug>.annotations.jsonld`.
    ArticleAnnotations(ArticleId),
    /// The A–Z index of a kind.
    Kind(KindId),
    /// Page `n` (from 0) of an entity: its page, then more of its mentions
    /// (see [`entity_page_count`]).
    Entity(EntityId, usize),
    /// The list of tags.
    Tags,
    /// Page `n` (from 0) of the articles of a tag (see [`tag_page_count`]).
    Tag(TagId, usize),
    /// The Atom feed of the articles.
    Feed,
    /// The Atom feed of the articles of a tag.
    TagFeed(TagId),
    /// The search index: names, titles and the text's words.
    SearchIndex,
    /// A chunk of the search index's text (see [`search_chunk_count`]).
    SearchText(usize),
    Sitemap,
    Robots,
    /// `places.geojson`: every entity with coordinates, as GeoJSON points.
    PlacesGeoJson,
    /// `articles/<slug>.geojson`: an article's places and its route (for
    /// an article whose map has places; see [`all_pages`]).
    ArticleGeoJson(ArticleId),
    /// `entities.json`: every entity, its facts, sources and counts.
    EntitiesJson,
    /// `mentions.csv`: every mention of every article.
    MentionsCsv,
    /// A map tile: a cell of a zoom level's plane that maps show.
    Tile {
        level: u8,
        col: i32,
        row: i32,
    },
}

impl PageId {
    /// Is it a map tile (written after the pages, not counted as one)?
    pub fn is_tile(self) -> bool {
        matches!(self, PageId::Tile { .. })
    }

    /// Is it part of the search index?
    pub fn is_search(self) -> bool {
        matches!(self, PageId::SearchIndex | PageId::SearchText(_))
    }

    /// Is it drawn from the whole site, and large: the search index and the
    /// site's data files? After an edit `gloss serve` draws these again
    /// only when one is asked for (see `Site::refresh`).
    pub fn is_whole_site(self) -> bool {
        self.is_search() || matches!(self, PageId::PlacesGeoJson | PageId::EntitiesJson | PageId::MentionsCsv)
    }

    /// Is it a page readers visit, listed in the sitemap?
    pub fn is_listed(self) -> bool {
        matches!(
            self,
            PageId::Home(_)
                | PageId::Article(_)
                | PageId::Kind(_)
                | PageId::Entity(..)
                | PageId::Tags
                | PageId::Tag(..)
        )
    }
}

/// The home page.
pub const HOME: &str = "index.html";

/// The page a host serves for any address it does not have.
pub const NOT_FOUND: &str = "404.html";

/// The search index's script.
pub const SEARCH_INDEX: &str = "search-index.js";

/// Articles per chunk of the search index's text: about a megabyte at 800
/// words an article.
pub const ARTICLES_PER_SEARCH_CHUNK: usize = 200;

/// The folder of the map tiles.
pub const TILES: &str = "maps/";

/// The list of tags.
pub const TAGS: &str = "tags/index.html";

/// The feed of the articles.
pub const FEED: &str = "atom.xml";

/// Every entity with coordinates, as GeoJSON.
pub const PLACES_GEOJSON: &str = "places.geojson";

/// Every entity, as JSON.
pub const ENTITIES_JSON: &str = "entities.json";

/// Every mention, as CSV.
pub const MENTIONS_CSV: &str = "mentions.csv";

/// Every output file of the site but the map tiles (which the maps name as
/// they are drawn), in a fixed order; `mentioning(e)` says how many
/// articles mention entity `e` (each page of its mentions lists so many),
/// and `mapped(a)` whether article `a`'s map has places (then it has a
/// GeoJSON file of them).
pub fn all_pages(
    registry: &Registry,
    mentioning: impl Fn(EntityId) -> usize,
    mapped: impl Fn(ArticleId) -> bool,
) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..home_page_count(registry)).map(PageId::Home).collect();
    ids.push(PageId::NotFound);
    ids.extend(registry.articles.keys().map(PageId::Article));
    let data = registry.config.data_files;
    if data.annotations {
        ids.extend(registry.articles.keys().map(PageId::ArticleAnnotations));
    }
    ids.extend(
        registry.config.kinds.keys().filter(|&k| registry.entities.iter().any(|e| e.kind == k)).map(PageId::Kind),
    );
    ids.extend(registry.entities.keys().flat_map(|e| entity_pages(registry, e, mentioning(e))));
    if !registry.tags.is_empty() {
        ids.push(PageId::Tags);
        ids.extend(registry.tags.keys().flat_map(|t| (0..tag_page_count(registry, t)).map(move |n| PageId::Tag(t, n))));
    }
    ids.push(PageId::SearchIndex);
    ids.extend((0..search_chunk_count(registry)).map(PageId::SearchText));
    if data.entities && !registry.entities.is_empty() {
        ids.push(PageId::EntitiesJson);
    }
    if data.geojson && registry.entities.iter().any(|e| e.coordinates.is_some()) {
        ids.push(PageId::PlacesGeoJson);
    }
    if data.mentions && !registry.articles.is_empty() {
        ids.push(PageId::MentionsCsv);
    }
    if data.geojson {
        ids.extend(registry.articles.keys().filter(|&a| mapped(a)).map(PageId::ArticleGeoJson));
    }
    if registry.config.base_url.is_some() {
        ids.extend([PageId::Sitemap, PageId::Feed]);
        ids.extend(registry.tags.keys().map(PageId::TagFeed));
        if robots_apply(registry) {
            ids.push(PageId::Robots);
        }
    }
    ids
}

/// The output path of a page, from the site root.
pub fn path(registry: &Registry, id: PageId) -> String {
    match id {
        PageId::Home(n) => home_path(n),
        PageId::NotFound => NOT_FOUND.into(),
        PageId::Article(a) => article_path(&registry.articles[a].slug),
        PageId::ArticleAnnotations(a) => article_annotations_path(&registry.articles[a].slug),
        PageId::Kind(k) => kind_path(registry, k),
        PageId::Entity(e, n) => entity_page_path(registry, e, n),
        PageId::Tags => TAGS.into(),
        PageId::Tag(t, n) => tag_path(registry, t, n),
        PageId::Feed => FEED.into(),
        PageId::TagFeed(t) => format!("tags/{}.xml", registry.tags[t].slug),
        PageId::SearchIndex => SEARCH_INDEX.into(),
        PageId::SearchText(n) => format!("search/text-{n}.js"),
        PageId::Sitemap => "sitemap.xml".into(),
        PageId::Robots => "robots.txt".into(),
        PageId::PlacesGeoJson => PLACES_GEOJSON.into(),
        PageId::ArticleGeoJson(a) => article_geojson_path(&registry.articles[a].slug),
        PageId::EntitiesJson => ENTITIES_JSON.into(),
        PageId::MentionsCsv => MENTIONS_CSV.into(),
        PageId::Tile { level, col, row } => tile_path(level, col, row),
    }
}

/// `maps/<level>/<col>_<row>.svg`: a map tile.
pub fn tile_path(level: u8, col: i32, row: i32) -> String {
    format!("{TILES}{level}/{col}_{row}.svg")
}

/// `articles/<slug>.html`.
pub fn article_path(slug: &str) -> String {
    format!("articles/{slug}.html")
}

/// `articles/<slug>.annotations.jsonld`: an article's annotations, beside
/// its page.
pub fn article_annotations_path(slug: &str) -> String {
    format!("articles/{slug}.annotations.jsonld")
}

/// `articles/<slug>.geojson`: the places of an article.
pub fn article_geojson_path(slug: &str) -> String {
    format!("articles/{slug}.geojson")
}

/// `<folder>/index.html`: the A–Z index of kind `k`.
pub fn kind_path(registry: &Registry, k: KindId) -> String {
    format!("{}/index.html", registry.config.kinds[k].folder)
}

/// `<folder>/<id>.html`: an entity's page.
pub fn entity_path(registry: &Registry, entity: EntityId) -> String {
    let e = &registry.entities[entity];
    let mut path = String::with_capacity(registry.config.kinds[e.kind].folder.len() + e.id.len() + 6);
    push_entity_path(registry, &mut path, entity);
    path
}

/// [`entity_path`], appended to `out`: annotation writes one for every
/// mention of the site.
pub fn push_entity_path(registry: &Registry, out: &mut String, entity: EntityId) {
    let e = &registry.entities[entity];
    out.push_str(&registry.config.kinds[e.kind].folder);
    out.push('/');
    out.push_str(&e.id);
    out.push_str(".html");
}

/// How many pages list the mentions of an entity in `articles` articles:
/// `paginate_mentions_by` articles each, at least one.
pub fn entity_page_count(registry: &Registry, articles: usize) -> usize {
    page_count(articles, registry.config.paginate_mentions_by)
}

/// Every page of entity `e`, mentioned in `articles` articles.
fn entity_pages(registry: &Registry, e: EntityId, articles: usize) -> impl Iterator<Item = PageId> {
    (0..entity_page_count(registry, articles)).map(move |n| PageId::Entity(e, n))
}

/// `<folder>/<id>.html`, then `<folder>/<id>.page-2.html`, … in the same
/// folder (no id has a dot), so every link on them is the same.
pub fn entity_page_path(registry: &Registry, e: EntityId, n: usize) -> String {
    let path = entity_path(registry, e);
    match n {
        0 => path,
        n => format!("{}.page-{}.html", path.trim_end_matches(".html"), n + 1),
    }
}

/// `tags/<slug>.html`, then `tags/<slug>.page-2.html`, …: page `n` of
/// the articles of tag `t`.
pub fn tag_path(registry: &Registry, t: TagId, n: usize) -> String {
    let slug = &registry.tags[t].slug;
    match n {
        0 => format!("tags/{slug}.html"),
        n => format!("tags/{slug}.page-{}.html", n + 1),
    }
}

/// How many pages list the articles of tag `t`: `paginate_by` each.
pub fn tag_page_count(registry: &Registry, t: TagId) -> usize {
    page_count(registry.tags[t].articles.len(), registry.config.paginate_by)
}

/// Does `robots.txt` apply? Crawlers read it only at the root of a host:
/// under a sub-path (`https://example.org/kim`) it would be ignored.
pub fn robots_apply(registry: &Registry) -> bool {
    registry.config.base_url.as_deref().is_some_and(|url| {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        !after_scheme.trim_end_matches('/').contains('/')
    })
}

/// How many pages list `items` things, `per_page` each (0: all on one), at
/// least one.
fn page_count(items: usize, per_page: usize) -> usize {
    match per_page {
        0 => 1,
        per_page => items.div_ceil(per_page).max(1),
    }
}

/// How many home pages list the articles: `paginate_by` each, at least one.
pub fn home_page_count(registry: &Registry) -> usize {
    page_count(registry.articles.len(), registry.config.paginate_by)
}

/// The articles home page `n` lists, `paginate_by` a page in the
/// registry's order (newest first).
pub fn home_page_articles(registry: &Registry, n: usize) -> impl Iterator<Item = ArticleId> {
    let count = registry.articles.len();
    let (start, end) = match registry.config.paginate_by {
        0 => (0, count),
        per_page => (n.saturating_mul(per_page).min(count), n.saturating_add(1).saturating_mul(per_page).min(count)),
    };
    (start..end).map(ArticleId::from)
}

/// `index.html`, then `page/2/index.html`, `page/3/index.html`, …
pub fn home_path(n: usize) -> String {
    match n {
        0 => HOME.into(),
        n => format!("page/{}/index.html", n + 1),
    }
}

/// How many chunks of text the search index has.
pub fn search_chunk_count(registry: &Registry) -> usize {
    registry.articles.len().div_ceil(ARTICLES_PER_SEARCH_CHUNK)
}

/// The articles in chunk `n` of the search index's text.
pub fn search_chunk_articles(registry: &Registry, n: usize) -> impl Iterator<Item = ArticleId> {
    let start = n * ARTICLES_PER_SEARCH_CHUNK;
    let end = (start + ARTICLES_PER_SEARCH_CHUNK).min(registry.articles.len());
    (start.min(end)..end).map(ArticleId::from)
}

/// The way back to the site root from the file at `path` (from the root):
/// `""`, `"../"`, `"../../"`, … one `../` a folder.
pub fn root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A relative link from the page at `from` to the file at `to` (both from
/// the site root): up to the folder they share, then down (`tags/a.html` to
/// `tags/b.html` is `b.html`).
pub fn link(from: &str, to: &str) -> String {
    let folder = |path: &str| path.rfind('/').map_or(0, |i| i + 1);
    let (from_folder, to_folder) = (&from[..folder(from)], &to[..folder(to)]);
    // The longest common prefix of whole folders.
    let shared = from_folder
        .match_indices('/')
        .map(|(i, _)| i + 1)
        .take_while(|&end| to_folder.len() >= end && from_folder[..end] == to_folder[..end])
        .last()
        .unwrap_or(0);
    let mut link = root(&from[shared..]);
    link.push_str(&to[shared..]);
    link
}

/// The file name of `path`: the link to a page in the same folder.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The absolute URL of `path` under the site's `base_url`, if it has one.
pub fn absolute(registry: &Registry, path: &str) -> Option<String> {
    registry.config.base_url.as_ref().map(|base| format!("{base}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_lead_back_from_any_depth() {
        assert_eq!(root("index.html"), "");
        assert_eq!(root("people/kim.html"), "../");
        assert_eq!(root("page/2/index.html"), "../../");
        assert_eq!(link("articles/a.html", "people/kim.html"), "../people/kim.html");
        assert_eq!(link("tags/a.html", "tags/b.html"), "b.html");
        assert_eq!(link("page/2/index.html", "page/3/index.html"), "../3/index.html");
        assert_eq!(link("page/2/index.html", "index.html"), "../../index.html");
        assert_eq!(link("index.html", "tags/b.html"), "tags/b.html");
        assert_eq!(link("tags/index.html", "tagsx/b.html"), "../tagsx/b.html");
    }
}
