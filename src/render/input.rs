//! What rendering reads, and the record of it.
//!
//! A page reads the site's model only through [`Input`], which notes each
//! read as a [`Dep`]: the article, entity or index entry read. So the pages
//! an edit affects are known from what the code that renders them actually
//! read, never from a second list kept by hand (`gloss serve` re-renders
//! exactly the pages whose deps changed).
//!
//! Not recorded is what only a full build can change: the settings, the
//! templates, which articles and entities exist, their ids, kinds, names,
//! aliases and dates (anything that moves pages or changes matching).

use std::cell::RefCell;

use crate::annotate::{AnnotatedArticle, Description, Mention};
use crate::index::{CastMember, Form, MentionRef, Relation, SiteIndex};
use typed_index_collections::TiSlice;

use crate::model::{ArticleDoc, ArticleId, EntityDoc, EntityId, Kind, KindId, SiteConfig, Tag, TagId};
use crate::resolve::Registry;
use crate::routes::{self, PageId};

/// Everything the renderer reads.
pub struct RenderInput<'a> {
    pub registry: &'a Registry,
    pub articles: &'a TiSlice<ArticleId, AnnotatedArticle>,
    pub index: &'a SiteIndex,
    /// Each entity's description, rendered to HTML.
    pub descriptions: &'a TiSlice<EntityId, Description>,
    /// The site's own map layers (a change to one rebuilds the whole site).
    pub map_layers: &'a crate::map::Layers,
    /// Whether pages note what they read: only an update of `gloss serve`
    /// asks, and noting costs a build time for nothing.
    pub records: bool,
}

/// One part of the model a page read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dep {
    /// An article's front matter and its annotated text (mentions, cast).
    Article(ArticleId),
    /// An entity's front matter: summary, facts, authority links.
    Entity(EntityId),
    /// An entity's description (only its own pages show it).
    Description(EntityId),
    /// What the index says of an entity: its mentions, forms and relations.
    Index(EntityId),
    /// An entity's coordinates alone (the maps of other pages read them).
    Coordinates(EntityId),
    /// The list of pages itself (the sitemap lists them).
    PageList,
    /// All of the model: a change to anything is a change to it.
    All,
}

/// The model as one page sees it, noting what it reads.
pub struct Input<'a> {
    data: &'a RenderInput<'a>,
    reads: RefCell<Vec<Dep>>,
    /// The map tiles the page shows.
    tiles: RefCell<Vec<PageId>>,
}

impl<'a> Input<'a> {
    pub fn new(data: &'a RenderInput<'a>) -> Self {
        Input { data, reads: RefCell::new(Vec::new()), tiles: RefCell::new(Vec::new()) }
    }

    /// What the page read (sorted, each once) and the tiles it shows.
    pub fn into_parts(self) -> (Vec<Dep>, Vec<PageId>) {
        let mut deps = self.reads.into_inner();
        deps.sort_unstable();
        deps.dedup();
        let mut tiles = self.tiles.into_inner();
        tiles.sort_unstable();
        tiles.dedup();
        (deps, tiles)
    }

    fn note(&self, dep: Dep) {
        if !self.data.records {
            return;
        }
        // Pages read the same part many times in a row (an article for each
        // of its mentions): keep one.
        let mut reads = self.reads.borrow_mut();
        if reads.last() != Some(&dep) {
            reads.push(dep);
        }
    }

    /// Notes that the page shows map tile `tile`.
    pub fn shows_tile(&self, tile: PageId) {
        self.tiles.borrow_mut().push(tile);
    }

    // Structure: what only a full build changes.

    pub fn config(&self) -> &'a SiteConfig {
        &self.data.registry.config
    }

    /// The site's own map layers: only a full build changes them.
    pub fn map_layers(&self) -> &'a crate::map::Layers {
        self.data.map_layers
    }

    pub fn kind(&self, k: KindId) -> &'a Kind {
        &self.data.registry.config.kinds[k]
    }

    /// The kind of entity `e`.
    pub fn kind_of(&self, e: EntityId) -> KindId {
        self.data.registry.entities[e].kind
    }

    pub fn article_count(&self) -> usize {
        self.data.registry.articles.len()
    }

    /// Every entity, in the registry's order (by kind, then id).
    pub fn entity_ids(&self) -> impl Iterator<Item = EntityId> + 'a {
        self.data.registry.entities.keys()
    }

    /// The entities of kind `k`, in id order.
    pub fn entities_of_kind(&self, k: KindId) -> impl Iterator<Item = EntityId> + 'a {
        self.data.registry.entities.iter_enumerated().filter(move |(_, e)| e.kind == k).map(|(id, _)| id)
    }

    /// Every article, newest first.
    pub fn article_ids(&self) -> impl Iterator<Item = ArticleId> + 'a {
        self.data.registry.articles.keys()
    }

    /// Every tag, A to Z (which articles carry which tags is structure: a
    /// change to it is a full build).
    pub fn tags(&self) -> &'a TiSlice<TagId, Tag> {
        &self.data.registry.tags
    }

    /// Article `a`'s tags, as it lists them.
    pub fn article_tags(&self, a: ArticleId) -> &'a [TagId] {
        &self.data.registry.article_tags[a]
    }

    /// How many pages list the articles of tag `t`.
    pub fn tag_page_count(&self, t: TagId) -> usize {
        routes::tag_page_count(self.data.registry, t)
    }

    /// Article `a`'s date: a change to it is a full build.
    pub fn date(&self, a: ArticleId) -> Option<&'a str> {
        self.data.registry.articles[a].date.as_deref()
    }

    /// When article `a` was last revised, if it says: a change to it is a
    /// full build.
    pub fn updated(&self, a: ArticleId) -> Option<&'a str> {
        self.data.registry.articles[a].updated.as_deref()
    }

    /// Are feeds written? Only with a `base_url`: a feed's links are
    /// absolute.
    pub fn has_feeds(&self) -> bool {
        self.data.registry.config.base_url.is_some()
    }

    /// An entity's name: a change to it is a full build.
    pub fn name(&self, e: EntityId) -> &'a str {
        &self.data.registry.entities[e].name.value
    }

    /// The name as indexes file it.
    pub fn sort_name(&self, e: EntityId) -> &'a str {
        self.data.registry.entities[e].sort_name()
    }

    /// The id of entity `e`.
    pub fn id(&self, e: EntityId) -> &'a str {
        &self.data.registry.entities[e].id
    }

    /// Appends a mention's fragment id on its article page to `out`.
    pub fn push_anchor(&self, mention: &Mention, out: &mut String) {
        mention.push_anchor(self.data.registry, out);
    }

    /// Where a page is written.
    pub fn path(&self, id: PageId) -> String {
        routes::path(self.data.registry, id)
    }

    /// Where entity `e`'s page is.
    pub fn entity_path(&self, e: EntityId) -> String {
        routes::entity_path(self.data.registry, e)
    }

    /// Where article `a` is.
    pub fn article_path(&self, a: ArticleId) -> String {
        routes::article_path(&self.data.registry.articles[a].slug)
    }

    /// The absolute URL of `path`, with `base_url` set.
    pub fn absolute(&self, path: &str) -> Option<String> {
        routes::absolute(self.data.registry, path)
    }

    /// The articles home page `n` lists.
    pub fn home_page_articles(&self, n: usize) -> impl Iterator<Item = ArticleId> + 'a {
        routes::home_page_articles(self.data.registry, n)
    }

    pub fn home_page_count(&self) -> usize {
        routes::home_page_count(self.data.registry)
    }

    // Content: recorded.

    /// An article's front matter and annotated text.
    pub fn article(&self, a: ArticleId) -> (&'a ArticleDoc, &'a AnnotatedArticle) {
        self.note(Dep::Article(a));
        (&self.data.registry.articles[a], &self.data.articles[a])
    }

    /// The places of article `a`'s declared journey, in order.
    pub fn route(&self, a: ArticleId) -> &'a [EntityId] {
        self.note(Dep::Article(a));
        &self.data.registry.routes[a]
    }

    /// Article `a` in other languages (language, article). Which articles
    /// exist and their slugs change only with a full build.
    pub fn translations(&self, a: ArticleId) -> &'a [(String, ArticleId)] {
        &self.data.registry.translations[a]
    }

    /// Who appears in article `a`.
    pub fn cast(&self, a: ArticleId) -> &'a [CastMember] {
        self.note(Dep::Article(a));
        &self.data.index.cast[a]
    }

    /// An entity's file.
    pub fn entity(&self, e: EntityId) -> &'a EntityDoc {
        self.note(Dep::Entity(e));
        &self.data.registry.entities[e]
    }

    /// An entity's coordinates, when it has them (for the maps of pages
    /// that read nothing else of it).
    pub fn coordinates(&self, e: EntityId) -> Option<(f64, f64)> {
        self.note(Dep::Coordinates(e));
        self.data.registry.entities[e].coordinates
    }

    /// An entity's description.
    pub fn description(&self, e: EntityId) -> &'a Description {
        self.note(Dep::Description(e));
        &self.data.descriptions[e]
    }

    /// Every mention of entity `e`, article by article.
    pub fn mentions_of(&self, e: EntityId) -> &'a [MentionRef] {
        self.note(Dep::Index(e));
        &self.data.index.mentions_of[e]
    }

    /// How many articles mention entity `e`.
    pub fn articles_mentioning(&self, e: EntityId) -> usize {
        self.note(Dep::Index(e));
        self.data.index.articles_mentioning(e)
    }

    /// The forms the articles use for entity `e`.
    pub fn forms(&self, e: EntityId) -> &'a [Form] {
        self.note(Dep::Index(e));
        &self.data.index.forms[e]
    }

    /// The entities related to entity `e` (with coordinates) or in the
    /// cast of an article mentioning it, in id order: what its locator
    /// map may show.
    pub fn nearby(&self, e: EntityId) -> &'a [EntityId] {
        self.note(Dep::Index(e));
        &self.data.index.nearby[e]
    }

    /// Entity `e`'s relations, most related first.
    pub fn related(&self, e: EntityId) -> &'a [Relation] {
        self.note(Dep::Index(e));
        &self.data.index.related[e]
    }

    /// How many pages list entity `e`'s mentions.
    pub fn entity_page_count(&self, e: EntityId) -> usize {
        self.note(Dep::Index(e));
        routes::entity_page_count(self.data.registry, self.data.index.articles_mentioning(e))
    }

    /// Every page of the site but the tiles.
    pub fn all_pages(&self) -> Vec<PageId> {
        self.note(Dep::PageList);
        super::all_pages(self.data.registry, self.data.index)
    }

    /// The whole model, for the pages that read all of it (the search
    /// index): they are drawn again on any change.
    pub fn everything(&self) -> (&'a Registry, &'a TiSlice<ArticleId, AnnotatedArticle>) {
        self.note(Dep::All);
        (self.data.registry, self.data.articles)
    }
}
