//! Rendering: every page of the site, from Tera templates.
//!
//! Each page kind has one typed, serialisable context (documented in the
//! README for theme authors). Templates are the built-in defaults, each
//! replaceable by a file of the same name in the site's `templates/`. All
//! links are relative: every page carries `root`, the way back to the site
//! root (`""` or `"../"`), so the output works under any sub-path and from
//! disk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

use crate::annotate::AnnotatedArticle;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::index::SiteIndex;
use crate::load::SourceFile;
use crate::model::{FactValue, Kind};
use crate::resolve::Registry;
use crate::{graph, map, search, structured};

/// The built-in templates, used for every name the site does not provide.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("entity.html", include_str!("../templates/entity.html")),
    ("kind.html", include_str!("../templates/kind.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("pagination.html", include_str!("../templates/pagination.html")),
];

/// One rendered file of the output, by path relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// The compiled templates, with their sources for locating errors.
pub struct Templates {
    tera: Tera,
    /// Template name → (path to show, source text).
    sources: BTreeMap<String, (PathBuf, String)>,
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
fn template_error(e: &tera::Error, sources: &BTreeMap<String, (PathBuf, String)>) -> Diagnostic {
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

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
    /// One entry per kind, for navigation.
    kinds: Vec<NavKind<'a>>,
    /// The home page (relative to the root).
    home: &'static str,
}

#[derive(Serialize)]
struct NavKind<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct KindContext<'a> {
    id: &'a str,
    title: &'a str,
    singular: &'a str,
    schema: &'a str,
    folder: &'a str,
}

impl<'a> From<&'a Kind> for KindContext<'a> {
    fn from(kind: &'a Kind) -> Self {
        KindContext {
            id: &kind.id,
            title: &kind.title,
            singular: &kind.singular,
            schema: &kind.schema,
            folder: &kind.folder,
        }
    }
}

/// What every page's context has, next to its own fields.
#[derive(Serialize)]
struct Page_<'a, T: Serialize> {
    /// [`SiteContext`], the same for every page: built once as a Tera value.
    site: &'a tera::Value,
    /// Relative path back to the site root: `""` or `"../"`.
    root: &'static str,
    /// This page's path relative to the site root.
    path: &'a str,
    /// Absolute URL of this page when `base_url` is set.
    canonical: Option<String>,
    /// The page title for `<title>`.
    title: String,
    #[serde(flatten)]
    meta: Meta,
    #[serde(flatten)]
    page: T,
}

/// Metadata every page carries for its `<head>`.
#[derive(Serialize, Default)]
struct Meta {
    /// One sentence for `<meta name="description">` and Open Graph.
    description: Option<String>,
    /// Open Graph type: `article`, `profile`, `place` or `website`.
    og_type: &'static str,
    /// JSON-LD, already escaped for a `<script>` element.
    jsonld: String,
}

/// An entity as templates see it wherever it is linked to. Pages one
/// folder down link to it (`url` starts with `../`), and each is built once
/// as a Tera value and shared: Tera clones a [`tera::Value`] field instead of
/// serialising it again.
#[derive(Serialize)]
struct EntityLink<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    url: String,
    summary: Option<&'a str>,
    mentions: usize,
}

/// The 404 page has only the common variables.
#[derive(Serialize)]
struct NotFoundPage {}

#[derive(Serialize)]
struct HomePage<'a> {
    /// The articles of this home page.
    articles: Vec<ArticleLink<'a>>,
    /// With a single article, the home page leads straight to it.
    redirect: Option<String>,
    paginator: Paginator,
}

/// Where a page of a list of articles (the home pages, an entity's pages of
/// mentions) stands among the others; URLs relative to it.
#[derive(Serialize)]
struct Paginator {
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

#[derive(Serialize)]
struct ArticleLink<'a> {
    title: &'a str,
    url: String,
    date: Option<&'a str>,
    date_display: Option<String>,
    byline: Option<&'a str>,
    summary: Option<&'a str>,
    mentions: usize,
}

#[derive(Serialize)]
struct ArticlePage<'a> {
    article: ArticleContext<'a>,
    /// Who and what appears, grouped by kind, in order of appearance.
    cast: Vec<CastGroup<'a>>,
    /// Preview cards of the cast, as JSON safe inside `<script>`.
    cards_json: String,
    /// SVG map of the article's places, in journey order; null without places.
    map_svg: Option<String>,
    /// The places on the map, in its order: the map's text alternative.
    map_places: Vec<tera::Value>,
}

#[derive(Serialize)]
struct ArticleContext<'a> {
    slug: &'a str,
    title: &'a str,
    title_html: &'a str,
    subtitle: Option<&'a str>,
    /// The subtitle with its mentions marked.
    subtitle_html: Option<&'a str>,
    date: Option<&'a str>,
    /// The date for readers: `20 August 2002`.
    date_display: Option<String>,
    dateline: Option<&'a str>,
    byline: Option<&'a str>,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    summary: Option<&'a str>,
    intro_html: Option<&'a str>,
    notes_html: &'a [String],
    body_html: &'a str,
    footnotes: Vec<FootnoteContext<'a>>,
    tags: &'a [String],
    mention_count: usize,
    /// Whether the front matter declares a `route` (else the map follows
    /// the order of first mention).
    route_declared: bool,
    /// Every footnote is also a sidenote (so wide screens can hide the list).
    all_sidenotes: bool,
}

#[derive(Serialize)]
struct FootnoteContext<'a> {
    id: &'a str,
    number: usize,
    html: &'a str,
    /// Also shown beside the text on wide screens.
    sidenote: bool,
    /// The text refers to it, so it can link back.
    referenced: bool,
}

#[derive(Serialize)]
struct CastGroup<'a> {
    kind: KindContext<'a>,
    /// Entity links with `count` (mentions in this article) and `first`
    /// (link to the first of them).
    members: Vec<tera::Value>,
}

#[derive(Serialize)]
struct EntityPage<'a> {
    /// The fact a preview card shows (life span, type and country…).
    key_fact: Option<String>,
    /// SVG locator map, for entities with coordinates.
    map_svg: Option<String>,
    entity: EntityContext<'a>,
    /// Mentions grouped by article: this page's articles.
    appearances: Vec<Appearance<'a>>,
    /// Mentions in all articles.
    mention_count: usize,
    paginator: Paginator,
    /// Entity links with `declared` and `co_mentions`.
    related: Vec<tera::Value>,
}

#[derive(Serialize)]
struct EntityContext<'a> {
    id: &'a str,
    name: &'a str,
    kind: KindContext<'a>,
    aliases: Vec<&'a str>,
    /// The forms the articles mention it by, most used first (`text`,
    /// `count`).
    forms: &'a [crate::index::Form],
    summary: Option<&'a str>,
    description_html: &'a str,
    facts: Vec<FactContext>,
    same_as: Vec<AuthorityLink<'a>>,
    coordinates: Option<[f64; 2]>,
}

#[derive(Serialize)]
struct FactContext {
    key: String,
    label: String,
    values: Vec<FactItem>,
}

#[derive(Serialize)]
struct FactItem {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct AuthorityLink<'a> {
    url: &'a str,
    label: String,
}

#[derive(Serialize)]
struct Appearance<'a> {
    title: &'a str,
    url: String,
    mentions: Vec<MentionContext<'a>>,
}

#[derive(Serialize)]
struct MentionContext<'a> {
    anchor: String,
    url: String,
    before: std::borrow::Cow<'a, str>,
    text: &'a str,
    after: std::borrow::Cow<'a, str>,
    position: f64,
}

/// An entity's link (see [`Renderer::entity_link`]) with more fields. Not a
/// struct with `#[serde(flatten)]`: that would serialise every field of the
/// shared link again each time instead of sharing its strings.
fn link_with<const N: usize>(link: tera::Value, fields: [(&'static str, tera::Value); N]) -> tera::Value {
    let mut map = link.into_map().unwrap_or_default();
    map.extend(fields.map(|(key, value)| (key.into(), value)));
    map.into()
}

#[derive(Serialize)]
struct KindPage<'a> {
    kind: KindContext<'a>,
    letters: Vec<Letter>,
    count: usize,
    /// Who appears with whom; null when fewer than two are co-mentioned.
    network: Option<Network>,
}

/// A co-mention network: an SVG and the same numbers as a table.
#[derive(Serialize)]
struct Network {
    svg: String,
    /// The entities, most mentioned first: the table's rows and columns.
    entities: Vec<tera::Value>,
    /// `counts[i][j]`: paragraphs mentioning both `entities[i]` and `[j]`.
    counts: Vec<Vec<usize>>,
}

#[derive(Serialize)]
struct Letter {
    letter: String,
    entities: Vec<tera::Value>,
}

/// Everything the renderer reads.
pub struct RenderInput<'a> {
    pub registry: &'a Registry,
    pub articles: &'a [AnnotatedArticle],
    pub index: &'a SiteIndex,
    /// Each entity's description, rendered to HTML.
    pub descriptions: &'a [String],
}

/// How many co-mentioned entities an entity page lists (declared relations
/// are always listed).
pub const MAX_RELATED: usize = 30;

/// Path of an article page relative to the site root.
pub fn article_path(slug: &str) -> String {
    format!("articles/{slug}.html")
}

/// One output file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// One of the home pages (by index from 0; see [`home_page_count`]).
    Home(usize),
    NotFound,
    Article(usize),
    /// The A–Z index of a kind (by index into the kinds).
    Kind(usize),
    /// Page `n` (from 0) of an entity: its page, then more of its mentions
    /// (see [`entity_page_count`]).
    Entity(usize, usize),
    SearchIndex,
    /// A chunk of the search index's text (see [`search::chunk_count`]).
    SearchText(usize),
    Sitemap,
    Robots,
}

/// Every output file of the site, in a fixed order.
pub fn all_pages(registry: &Registry, index: &SiteIndex) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..home_page_count(registry)).map(PageId::Home).collect();
    ids.push(PageId::NotFound);
    ids.extend((0..registry.articles.len()).map(PageId::Article));
    ids.extend(
        (0..registry.config.kinds.len()).filter(|&k| registry.entities.iter().any(|e| e.kind == k)).map(PageId::Kind),
    );
    ids.extend((0..registry.entities.len()).flat_map(|e| entity_pages(registry, index, e)));
    ids.push(PageId::SearchIndex);
    ids.extend((0..search::chunk_count(registry)).map(PageId::SearchText));
    if registry.config.base_url.is_some() {
        ids.extend([PageId::Sitemap, PageId::Robots]);
    }
    ids
}

/// The output path of a page.
pub fn page_path(registry: &Registry, id: PageId) -> String {
    match id {
        PageId::Home(n) => home_path(n),
        PageId::NotFound => "404.html".into(),
        PageId::Article(a) => article_path(&registry.articles[a].slug),
        PageId::Kind(k) => format!("{}/index.html", registry.config.kinds[k].folder),
        PageId::Entity(e, n) => entity_page_path(registry, e, n),
        PageId::SearchIndex => search::INDEX_PATH.into(),
        PageId::SearchText(n) => search::chunk_path(n),
        PageId::Sitemap => "sitemap.xml".into(),
        PageId::Robots => "robots.txt".into(),
    }
}

/// How many pages list an entity's mentions: those of
/// `paginate_mentions_by` articles each, at least one.
pub fn entity_page_count(registry: &Registry, index: &SiteIndex, e: usize) -> usize {
    match registry.config.paginate_mentions_by {
        0 => 1,
        per_page => index.articles_mentioning(e).div_ceil(per_page).max(1),
    }
}

/// Every page of entity `e`.
pub fn entity_pages(registry: &Registry, index: &SiteIndex, e: usize) -> impl Iterator<Item = PageId> {
    (0..entity_page_count(registry, index, e)).map(move |n| PageId::Entity(e, n))
}

/// `<folder>/<id>.html`, then `<folder>/<id>.page-2.html`, … in the same
/// folder (no id has a dot), so every link on them is the same.
pub fn entity_page_path(registry: &Registry, e: usize, n: usize) -> String {
    let path = registry.entity_path(e);
    match n {
        0 => path,
        n => format!("{}.page-{}.html", path.trim_end_matches(".html"), n + 1),
    }
}

/// How many home pages list the articles: `paginate_by` each, at least one.
pub fn home_page_count(registry: &Registry) -> usize {
    match registry.config.paginate_by {
        0 => 1,
        per_page => registry.articles.len().div_ceil(per_page).max(1),
    }
}

/// The home page that lists article `a`.
pub fn home_page_of(registry: &Registry, a: usize) -> usize {
    a.checked_div(registry.config.paginate_by).unwrap_or(0)
}

/// `index.html`, then `page/2/index.html`, `page/3/index.html`, …
fn home_path(n: usize) -> String {
    match n {
        0 => "index.html".into(),
        n => format!("page/{}/index.html", n + 1),
    }
}

/// Renders the given pages (in parallel), in the order given.
pub fn render_pages(templates: &Templates, input: &RenderInput, ids: &[PageId]) -> Result<Vec<Page>, Diagnostics> {
    let pages = std::sync::Mutex::new(Vec::with_capacity(ids.len()));
    render_each(templates, input, ids, |page| {
        pages.lock().expect("no thread panics holding the lock").push(page);
        Ok(())
    })?;
    let mut pages = pages.into_inner().expect("no thread panics holding the lock");
    let order: HashMap<String, usize> =
        ids.iter().enumerate().map(|(i, id)| (page_path(input.registry, *id), i)).collect();
    // The pages in the order asked for, then the map tiles by path.
    pages.sort_by(|a, b| {
        let rank = |p: &Page| order.get(&p.path).copied().unwrap_or(usize::MAX);
        rank(a).cmp(&rank(b)).then_with(|| a.path.cmp(&b.path))
    });
    Ok(pages)
}

/// Renders the given pages in parallel and hands each to `sink` as soon as
/// it is done. Every failure is reported, each distinct one once.
pub fn render_each(
    templates: &Templates,
    input: &RenderInput,
    ids: &[PageId],
    sink: impl Fn(Page) -> Result<(), Diagnostic> + Sync,
) -> Result<(), Diagnostics> {
    let registry = input.registry;
    let config = &registry.config;
    let mut per_kind = vec![0; config.kinds.len()];
    for entity in &registry.entities {
        per_kind[entity.kind] += 1;
    }
    let site = SiteContext {
        title: &config.title,
        language: &config.language,
        base_url: config.base_url.as_deref(),
        kinds: config
            .kinds
            .iter()
            .zip(&per_kind)
            .filter(|(_, &count)| count > 0)
            .map(|(k, &count)| NavKind { id: &k.id, title: &k.title, url: format!("{}/index.html", k.folder), count })
            .collect(),
        home: "index.html",
    };
    let renderer = Renderer {
        templates,
        input,
        site: &site,
        site_value: tera::Value::from_serializable(&site),
        entity_json: structured::EntityJson::new(registry),
        entity_links: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        locator_maps: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        tiles: Mutex::new(BTreeSet::new()),
    };
    // The few pages that cover the whole site (the search index, the home
    // page, the kind indexes) are the largest: start them first, so they
    // do not end the build alone on one core.
    let whole_site = |id: &PageId| matches!(id, PageId::SearchIndex | PageId::Home(_) | PageId::Kind(_));
    let mut ordered: Vec<PageId> = ids.iter().copied().filter(whole_site).collect();
    ordered.extend(ids.iter().copied().filter(|id| !whole_site(id)));
    let mut failures: Vec<Diagnostic> =
        ordered.par_iter().with_max_len(1).filter_map(|id| renderer.render(*id).and_then(&sink).err()).collect();
    // Then the map tiles those pages show.
    let tiles: Vec<map::Tile> =
        renderer.tiles.into_inner().expect("no thread panics holding the lock").into_iter().collect();
    failures.par_extend(tiles.par_iter().filter_map(|tile| sink(Page { path: tile.path(), html: tile.svg() }).err()));
    let mut diagnostics = Diagnostics::default();
    for failure in failures {
        // One broken template fails every page that uses it: say it once.
        if !diagnostics.0.contains(&failure) {
            diagnostics.push(failure);
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(())
    }
}

struct Renderer<'a> {
    templates: &'a Templates,
    input: &'a RenderInput<'a>,
    site: &'a SiteContext<'a>,
    /// `site` as templates see it.
    site_value: tera::Value,
    entity_json: structured::EntityJson,
    /// [`Renderer::entity_link`] of each entity, made when first needed.
    entity_links: Vec<OnceLock<tera::Value>>,
    /// Each entity's locator map, made when first needed: every page of
    /// its mentions shows it.
    locator_maps: Vec<OnceLock<Option<String>>>,
    /// The map tiles the pages rendered so far show.
    tiles: Mutex<BTreeSet<map::Tile>>,
}

impl<'a> Renderer<'a> {
    fn render(&self, id: PageId) -> Result<Page, Diagnostic> {
        let registry = self.input.registry;
        let text = |html: String| Ok(Page { path: page_path(registry, id), html });
        match id {
            PageId::SearchIndex => text(search::search_index(registry, self.input.articles)),
            PageId::SearchText(n) => text(search::search_text(registry, self.input.articles, n)),
            PageId::Sitemap => {
                let base = registry.config.base_url.as_deref().unwrap_or_default();
                let paths: Vec<String> = all_pages(registry, self.input.index)
                    .into_iter()
                    .filter(|p| {
                        matches!(p, PageId::Home(_) | PageId::Article(_) | PageId::Kind(_) | PageId::Entity(..))
                    })
                    .map(|p| page_path(registry, p))
                    .collect();
                let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                text(structured::sitemap(base, &paths))
            }
            PageId::Robots => text(structured::robots(registry.config.base_url.as_deref().unwrap_or_default())),
            PageId::Home(n) => self.home(n),
            PageId::NotFound => {
                let title = format!("Page not found · {}", self.site.title);
                let meta = Meta { description: None, og_type: "website", jsonld: String::new() };
                self.page("404.html", "404.html".into(), "", title, meta, NotFoundPage {})
            }
            PageId::Article(a) => self.article(a),
            PageId::Kind(k) => self.kind(k),
            PageId::Entity(e, n) => self.entity(e, n),
        }
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        path: String,
        root: &'static str,
        title: String,
        meta: Meta,
        page: T,
    ) -> Result<Page, Diagnostic> {
        let canonical = self.site.base_url.map(|base| format!("{base}/{path}"));
        let context = Page_ { site: &self.site_value, root, path: &path, canonical, title, meta, page };
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Diagnostic::error(Code::Template, format!("cannot build the context of {path}: {e}")))?;
        let html = (self.templates.tera)
            .render(template, &context)
            .map_err(|e| template_error(&e, &self.templates.sources))?;
        Ok(Page { path, html })
    }

    fn entity_link(&self, entity: usize) -> tera::Value {
        let link = self.entity_links[entity].get_or_init(|| {
            let registry = self.input.registry;
            let e = &registry.entities[entity];
            tera::Value::from_serializable(&EntityLink {
                id: &e.id,
                name: &e.name.value,
                kind: &registry.config.kinds[e.kind].id,
                url: format!("../{}", registry.entity_path(entity)),
                summary: e.summary.as_deref(),
                mentions: self.input.index.mentions_of[entity].len(),
            })
        });
        link.clone()
    }

    fn home(&self, n: usize) -> Result<Page, Diagnostic> {
        let registry = self.input.registry;
        let count = home_page_count(registry);
        let root = if n == 0 { "" } else { "../../" };
        let listed = (0..registry.articles.len()).filter(|&a| home_page_of(registry, a) == n);
        let articles: Vec<ArticleLink> = listed
            .map(|a| {
                let (doc, annotated) = (&registry.articles[a], &self.input.articles[a]);
                ArticleLink {
                    title: &doc.title.value,
                    url: format!("{root}{}", article_path(&doc.slug)),
                    date: doc.date.as_deref(),
                    date_display: doc.date.as_deref().map(display_date),
                    byline: doc.byline.as_deref(),
                    summary: doc.summary.as_deref(),
                    mentions: annotated.mentions.len(),
                }
            })
            .collect();
        let redirect = (registry.articles.len() == 1).then(|| articles[0].url.clone());
        let url = |page: usize| format!("{root}{}", home_path(page));
        let paginator = Paginator {
            current: n + 1,
            count,
            articles: registry.articles.len(),
            first: url(0),
            last: url(count - 1),
            previous: n.checked_sub(1).map(url),
            next: (n + 1 < count).then(|| url(n + 1)),
            pages: (0..count).map(|page| PagerLink { number: page + 1, url: url(page), current: page == n }).collect(),
        };
        let title = match n {
            0 => self.site.title.to_string(),
            n => format!("{} · page {} of {count}", self.site.title, n + 1),
        };
        let meta = Meta {
            description: redirect.is_some().then(|| articles[0].summary.map(str::to_string)).flatten(),
            og_type: "website",
            jsonld: structured::website_ld(registry, &title),
        };
        self.page("home.html", home_path(n), root, title, meta, HomePage { articles, redirect, paginator })
    }

    fn article(&self, a: usize) -> Result<Page, Diagnostic> {
        let registry = self.input.registry;
        let doc = &registry.articles[a];
        let annotated = &self.input.articles[a];
        let path = article_path(&doc.slug);
        let mut groups: Vec<CastGroup> = Vec::new();
        for (k, kind) in registry.config.kinds.iter().enumerate() {
            let members: Vec<tera::Value> = self.input.index.cast[a]
                .iter()
                .filter(|m| registry.entities[m.entity].kind == k)
                .map(|m| {
                    let first = format!("#{}", annotated.mentions[m.first_mention].anchor(registry));
                    link_with(self.entity_link(m.entity), [("count", m.mentions.into()), ("first", first.into())])
                })
                .collect();
            if !members.is_empty() {
                groups.push(CastGroup { kind: kind.into(), members });
            }
        }
        let article = ArticleContext {
            slug: &doc.slug,
            title: &doc.title.value,
            title_html: &annotated.title_html,
            subtitle: doc.subtitle.as_ref().map(|s| s.value.as_str()),
            subtitle_html: annotated.subtitle_html.as_deref(),
            date: doc.date.as_deref(),
            date_display: doc.date.as_deref().map(display_date),
            dateline: doc.dateline.as_deref(),
            byline: doc.byline.as_deref(),
            source: doc.source.as_deref(),
            source_url: doc.source_url.as_deref(),
            summary: doc.summary.as_deref(),
            intro_html: annotated.intro_html.as_deref(),
            notes_html: &annotated.notes_html,
            body_html: &annotated.body_html,
            footnotes: annotated
                .footnotes
                .iter()
                .map(|f| FootnoteContext {
                    id: &f.id,
                    number: f.number,
                    html: &f.html,
                    sidenote: f.is_sidenote(),
                    referenced: f.referenced,
                })
                .collect(),
            tags: &doc.tags,
            mention_count: annotated.mentions.len(),
            route_declared: !doc.route.is_empty(),
            all_sidenotes: annotated.footnotes.iter().all(|f| f.is_sidenote()),
        };
        let title = format!("{} · {}", doc.title.value, self.site.title);
        let cast = || self.input.index.cast[a].iter().map(|m| m.entity);
        let map_places = self.map_places(a);
        let meta = Meta {
            description: doc.summary.clone(),
            og_type: "article",
            jsonld: self.entity_json.article_ld(registry, a, cast()),
        };
        let page = ArticlePage {
            article,
            cast: groups,
            cards_json: self.entity_json.cards_json(registry, cast()),
            map_svg: self.route_map(a, &map_places),
            map_places: map_places.iter().map(|&e| self.entity_link(e)).collect(),
        };
        self.page("article.html", path, "../", title, meta, page)
    }

    fn kind(&self, k: usize) -> Result<Page, Diagnostic> {
        let registry = self.input.registry;
        let kind = &registry.config.kinds[k];
        let mut members: Vec<usize> =
            (0..registry.entities.len()).filter(|&e| registry.entities[e].kind == k).collect();
        members.sort_by_cached_key(|&e| sort_key(registry.entities[e].sort_name()));
        let mut letters: Vec<Letter> = Vec::new();
        for e in &members {
            let letter = initial(registry.entities[*e].sort_name());
            if letters.last().is_none_or(|l| l.letter != letter) {
                letters.push(Letter { letter, entities: Vec::new() });
            }
            let link = self.entity_link(*e);
            letters.last_mut().expect("pushed above").entities.push(link);
        }
        let path = format!("{}/index.html", kind.folder);
        let title = format!("{} · {}", kind.title, self.site.title);
        let meta = Meta {
            description: Some(format!("{} in {}, A to Z", kind.title, self.site.title)),
            og_type: "website",
            jsonld: structured::website_ld(registry, &title),
        };
        let network = self.network(&members, kind);
        self.page(
            "kind.html",
            path,
            "../",
            title,
            meta,
            KindPage { kind: kind.into(), letters, count: members.len(), network },
        )
    }

    fn entity(&self, e: usize, n: usize) -> Result<Page, Diagnostic> {
        let registry = self.input.registry;
        let index = self.input.index;
        let doc = &registry.entities[e];
        let kind = &registry.config.kinds[doc.kind];
        let description_html = &self.input.descriptions[e];
        let mut coordinates = None;
        let facts = doc
            .facts
            .iter()
            .map(|(i, fact)| {
                let def = &kind.facts[*i];
                let values = match &fact.value {
                    FactValue::Text(t) => vec![FactItem { text: t.clone(), url: None }],
                    FactValue::Year(y) => vec![FactItem { text: y.to_string(), url: None }],
                    FactValue::List(items) => items.iter().map(|t| FactItem { text: t.clone(), url: None }).collect(),
                    FactValue::Roles(roles) => roles
                        .iter()
                        .map(|r| {
                            let years = match (&r.from, &r.to) {
                                (Some(f), Some(t)) => format!(" ({f}–{t})"),
                                (Some(f), None) => format!(" (from {f})"),
                                (None, Some(t)) => format!(" (until {t})"),
                                (None, None) => String::new(),
                            };
                            FactItem { text: format!("{}{years}", r.title), url: None }
                        })
                        .collect(),
                    FactValue::Coordinates { lat, lon } => {
                        coordinates = Some([*lat, *lon]);
                        vec![FactItem { text: format_coordinates(*lat, *lon), url: None }]
                    }
                    FactValue::Entity(id) => {
                        let target = registry.lookup(id).expect("checked by resolve");
                        vec![FactItem {
                            text: registry.entities[target].name.value.clone(),
                            url: Some(format!("../{}", registry.entity_path(target))),
                        }]
                    }
                };
                FactContext { key: def.key.clone(), label: def.label.clone(), values }
            })
            .collect();
        // This page lists the articles from `first` up to `end`.
        let per_page = match registry.config.paginate_mentions_by {
            0 => usize::MAX,
            per_page => per_page,
        };
        let (first, end) = (n.saturating_mul(per_page), n.saturating_add(1).saturating_mul(per_page));
        let mut appearances: Vec<Appearance> = Vec::new();
        let mut current_article = None;
        let mut seen = 0;
        for r in &index.mentions_of[e] {
            // Mentions come article by article: one appearance each.
            if current_article != Some(r.article) {
                current_article = Some(r.article);
                seen += 1;
                if (first..end).contains(&(seen - 1)) {
                    let doc_a = &registry.articles[r.article];
                    let url = format!("../{}", article_path(&doc_a.slug));
                    appearances.push(Appearance { title: &doc_a.title.value, url, mentions: Vec::new() });
                }
            }
            if !(first..end).contains(&(seen - 1)) {
                continue;
            }
            let annotated = &self.input.articles[r.article];
            let mention = &annotated.mentions[r.mention];
            let (before, after) = mention.quote.around(&annotated.blocks[mention.block], mention.range.clone());
            let appearance = appearances.last_mut().expect("pushed above");
            let anchor = mention.anchor(registry);
            appearance.mentions.push(MentionContext {
                url: format!("{}#{anchor}", appearance.url),
                anchor,
                before,
                text: annotated.mention_text(mention),
                after,
                position: (mention.position * 1000.0).round() / 10.0,
            });
        }
        // The strongest relations: every declared one, and the most
        // co-mentioned up to a readable list (an archive relates everyone).
        let related = index.related[e]
            .iter()
            .enumerate()
            .filter(|(rank, r)| r.declared || *rank < MAX_RELATED)
            .map(|(_, r)| {
                let fields = [("declared", r.declared.into()), ("co_mentions", r.co_mentions.into())];
                link_with(self.entity_link(r.entity), fields)
            })
            .collect();
        let entity = EntityContext {
            id: &doc.id,
            name: &doc.name.value,
            kind: kind.into(),
            aliases: doc.aliases.iter().map(|a| a.value.as_str()).collect(),
            forms: &index.forms[e],
            summary: doc.summary.as_deref(),
            description_html,
            facts,
            same_as: doc.same_as.iter().map(|url| AuthorityLink { url, label: authority_label(url) }).collect(),
            coordinates,
        };
        let path = entity_page_path(registry, e, n);
        let count = entity_page_count(registry, index, e);
        let title = match n {
            0 => format!("{} · {}", doc.name.value, self.site.title),
            n => format!("{} · page {} of {count} · {}", doc.name.value, n + 1, self.site.title),
        };
        // The pages share a folder: a link to one is its file name.
        let url = |page: usize| entity_page_path(registry, e, page).rsplit('/').next().unwrap_or_default().to_string();
        let paginator = Paginator {
            current: n + 1,
            count,
            articles: index.articles_mentioning(e),
            first: url(0),
            last: url(count - 1),
            previous: n.checked_sub(1).map(url),
            next: (n + 1 < count).then(|| url(n + 1)),
            pages: (0..count).map(|page| PagerLink { number: page + 1, url: url(page), current: page == n }).collect(),
        };
        let og_type = match kind.schema.as_str() {
            "Person" => "profile",
            "Place" => "place",
            _ => "website",
        };
        let meta = Meta { description: doc.summary.clone(), og_type, jsonld: structured::entity_ld(registry, e) };
        let page = EntityPage {
            entity,
            appearances,
            mention_count: index.mentions_of[e].len(),
            paginator,
            related,
            key_fact: structured::key_fact(registry, e),
            map_svg: self.locator_map(e),
        };
        self.page("entity.html", path, "../", title, meta, page)
    }

    /// Who appears with whom among `members` (of one kind): the most
    /// mentioned, up to 24, joined by co-mentions in the same paragraph.
    fn network(&self, members: &[usize], kind: &Kind) -> Option<Network> {
        let index = self.input.index;
        let mut nodes: Vec<usize> = members.iter().copied().filter(|&e| !index.mentions_of[e].is_empty()).collect();
        nodes.sort_by_key(|&e| std::cmp::Reverse(index.mentions_of[e].len()));
        nodes.truncate(24);
        let position: HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let mut counts = vec![vec![0; nodes.len()]; nodes.len()];
        let mut edges = Vec::new();
        for (i, &e) in nodes.iter().enumerate() {
            for relation in &index.related[e] {
                if let Some(&j) = position.get(&relation.entity) {
                    counts[i][j] = relation.co_mentions;
                    if i < j && relation.co_mentions > 0 {
                        edges.push((i, j, relation.co_mentions));
                    }
                }
            }
        }
        if edges.is_empty() {
            return None;
        }
        let names: Vec<graph::Node> = nodes
            .iter()
            .map(|&e| graph::Node {
                name: &self.input.registry.entities[e].name.value,
                href: format!("../{}", self.input.registry.entity_path(e)),
                mentions: index.mentions_of[e].len(),
            })
            .collect();
        let label = format!(
            "Network of {} {} mentioned in the same paragraph; the table below gives the numbers",
            nodes.len(),
            kind.title.to_lowercase()
        );
        Some(Network {
            svg: graph::network_svg(&names, &edges, &label),
            entities: nodes.iter().map(|&e| self.entity_link(e)).collect(),
            counts,
        })
    }

    /// The places an article's map shows, in order: its `route` if
    /// declared, else every place with coordinates in order of first mention.
    fn map_places(&self, article: usize) -> Vec<usize> {
        let registry = self.input.registry;
        let route: Vec<usize> =
            registry.articles[article].route.iter().filter_map(|r| registry.lookup(&r.value)).collect();
        let candidates =
            if route.is_empty() { self.input.index.cast[article].iter().map(|m| m.entity).collect() } else { route };
        candidates.into_iter().filter(|&e| coordinates(registry, e).is_some()).collect()
    }

    /// The SVG map of an article's places, numbered in order, joined by the
    /// route line when the article declares its journey.
    fn route_map(&self, article: usize, places: &[usize]) -> Option<String> {
        if places.is_empty() {
            return None;
        }
        let pins: Vec<map::Pin> = places
            .iter()
            .enumerate()
            .map(|(i, &e)| self.pin(e, Some(i + 1), format!("../{}", self.input.registry.entity_path(e))))
            .collect();
        let declared = !self.input.registry.articles[article].route.is_empty();
        Some(self.keep_tiles(map::route_map(&pins, declared, "../")))
    }

    /// A locator map for a place with coordinates.
    fn locator_map(&self, entity: usize) -> Option<String> {
        let map = self.locator_maps[entity].get_or_init(|| {
            coordinates(self.input.registry, entity)?;
            let own_page = format!("{}.html", self.input.registry.entities[entity].id);
            Some(self.keep_tiles(map::locator_map(&self.pin(entity, None, own_page), "../")))
        });
        map.clone()
    }

    /// Notes the tiles a map shows, to be written after the pages; returns
    /// its SVG.
    fn keep_tiles(&self, map: map::Map) -> String {
        self.tiles.lock().expect("no thread panics holding the lock").extend(map.tiles);
        map.svg
    }

    fn pin(&self, entity: usize, number: Option<usize>, href: String) -> map::Pin {
        let registry = self.input.registry;
        let (lat, lon) = coordinates(registry, entity).unwrap_or((f64::NAN, f64::NAN));
        map::Pin { number, name: registry.entities[entity].name.value.clone(), lat, lon, href }
    }
}

/// An entity's coordinates, if it has any.
fn coordinates(registry: &Registry, entity: usize) -> Option<(f64, f64)> {
    registry.entities[entity].facts.iter().find_map(|(_, fact)| match fact.value {
        FactValue::Coordinates { lat, lon } => Some((lat, lon)),
        _ => None,
    })
}

/// `2002-08-20` → `20 August 2002` (dates are checked when parsed).
pub fn display_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => iso.to_string(),
    }
}

/// `43.12° N, 131.89° E`.
fn format_coordinates(lat: f64, lon: f64) -> String {
    let ns = if lat < 0.0 { 'S' } else { 'N' };
    let ew = if lon < 0.0 { 'W' } else { 'E' };
    format!("{:.2}° {ns}, {:.2}° {ew}", lat.abs(), lon.abs())
}

/// A readable name for an authority link.
fn authority_label(url: &str) -> String {
    let host = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or(url);
    let known = [
        ("wikidata.org", "Wikidata"),
        ("wikipedia.org", "Wikipedia"),
        ("geonames.org", "GeoNames"),
        ("viaf.org", "VIAF"),
        ("openstreetmap.org", "OpenStreetMap"),
        ("britannica.com", "Britannica"),
    ];
    known
        .iter()
        .find(|(domain, _)| host == *domain || host.ends_with(&format!(".{domain}")))
        .map_or_else(|| host.trim_start_matches("www.").to_string(), |(_, label)| label.to_string())
}

/// Sort key for A–Z lists: case-insensitive, leading "the" ignored.
pub(crate) fn sort_key(name: &str) -> String {
    let lower = name.to_lowercase();
    lower.strip_prefix("the ").unwrap_or(&lower).to_string()
}

/// The letter an entity is filed under.
fn initial(name: &str) -> String {
    sort_key(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_else(|| "#".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_like_an_atlas() {
        assert_eq!(format_coordinates(43.1155, 131.8855), "43.12° N, 131.89° E");
        assert_eq!(format_coordinates(-33.9, -70.6), "33.90° S, 70.60° W");
    }

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(display_date("2002-08-20"), "20 August 2002");
        assert_eq!(display_date("2002-01-01"), "1 January 2002");
    }

    #[test]
    fn authority_links_are_named() {
        assert_eq!(authority_label("https://www.wikidata.org/wiki/Q10867"), "Wikidata");
        assert_eq!(authority_label("https://en.wikipedia.org/wiki/Kim_Jong_il"), "Wikipedia");
        assert_eq!(authority_label("https://example.org/x"), "example.org");
    }

    #[test]
    fn a_to_z_ignores_the_article() {
        assert_eq!(initial("the Kremlin"), "K");
        assert_eq!(initial("Øresund"), "Ø");
    }
}
