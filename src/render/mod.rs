//! Rendering: every page of the site, from Tera templates.
//!
//! Each page kind has one typed, serialisable context, built in its own
//! module ([`home`], [`article`], [`entity`], [`kind`]) and documented in
//! the README for theme authors. Templates are the built-in defaults, each
//! replaceable by a file of the same name in the site's `templates/`
//! ([`templates`]). Pages read the model only through [`input::Input`],
//! which records what each one read, so an update can tell which pages it
//! changes. All links are relative (see [`crate::routes`]).

pub(crate) mod annotations;
mod article;
mod context;
mod data;
mod entity;
mod feed;
pub mod format;
mod home;
pub mod input;
mod kind;
mod notes;
mod pagination;
mod search;
pub mod structured;
mod tags;
mod templates;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use typed_index_collections::TiVec;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::map;
use crate::model::{EntityId, KindId};
use crate::routes::{self, PageId};
use crate::strings::Strings;
use context::{Common, EntityLink, Meta, NavKind, SiteContext};
use input::{Dep, Input, RenderInput};
pub use templates::{load_templates, Templates, DEFAULT_TEMPLATES};

/// One rendered file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: PageId,
    /// Relative to the output root.
    pub path: String,
    pub html: String,
}

/// A page, and what rendering it read and showed.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub page: Page,
    /// The parts of the model it read (see [`input::Dep`]).
    pub deps: Vec<Dep>,
    /// The map tiles it shows.
    pub tiles: Vec<PageId>,
}

/// How many co-mentioned entities an entity page lists (declared relations
/// are always listed).
pub const MAX_RELATED: usize = 30;

/// Every output file of the site but the map tiles (see
/// [`routes::all_pages`]), as the index says.
pub fn all_pages(registry: &crate::resolve::Registry, index: &crate::index::SiteIndex) -> Vec<PageId> {
    routes::all_pages(registry, |e| index.articles_mentioning(e), |a| data::mapped(registry, index, a))
}

/// Renders the given pages (in parallel), then the map tiles they show, in
/// the order given (tiles last, by path).
pub fn render_pages(templates: &Templates, data: &RenderInput, ids: &[PageId]) -> Result<Vec<Rendered>, Diagnostics> {
    let pages = Mutex::new(Vec::with_capacity(ids.len()));
    render_each(templates, data, ids, |rendered| {
        pages.lock().expect("no thread panics holding the lock").push(rendered);
        Ok(())
    })?;
    let mut pages = pages.into_inner().expect("no thread panics holding the lock");
    let order: HashMap<PageId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    pages.sort_by(|a, b| {
        let rank = |r: &Rendered| order.get(&r.page.id).copied().unwrap_or(usize::MAX);
        rank(a).cmp(&rank(b)).then_with(|| a.page.path.cmp(&b.page.path))
    });
    Ok(pages)
}

/// Writes `mentions.csv` (see [`PageId::MentionsCsv`]) to `out` as it is
/// made, rather than whole in memory: at 100,000 articles it is the
/// largest output, close to a gigabyte.
pub fn write_mentions_csv(data: &RenderInput, out: &mut impl std::io::Write) -> std::io::Result<()> {
    data::write_mentions(&Input::new(data), out)
}

/// Renders the given pages in parallel and hands each to `sink` as soon as
/// it is done, then the map tiles they show. Every failure is reported,
/// each distinct one once.
pub fn render_each(
    templates: &Templates,
    data: &RenderInput,
    ids: &[PageId],
    sink: impl Fn(Rendered) -> Result<(), Diagnostic> + Sync,
) -> Result<(), Diagnostics> {
    let registry = data.registry;
    let config = &registry.config;
    let mut per_kind: TiVec<KindId, usize> = vec![0; config.kinds.len()].into();
    for entity in &registry.entities {
        per_kind[entity.kind] += 1;
    }
    let site = SiteContext {
        title: &config.title,
        language: &config.language,
        dir: crate::language::direction(&config.language),
        base_url: config.base_url.as_deref(),
        kinds: config
            .kinds
            .iter_enumerated()
            .zip(&per_kind)
            .filter(|(_, &count)| count > 0)
            .map(|((k, kind), &count)| NavKind {
                id: &kind.id,
                title: &kind.title,
                url: routes::kind_path(registry, k),
                count,
            })
            .collect(),
        home: routes::HOME,
        tags: (!registry.tags.is_empty()).then_some(routes::TAGS),
        feed: config.base_url.is_some().then_some(routes::FEED),
    };
    let renderer = Renderer {
        templates,
        strings: &templates.strings,
        t_value: tera::Value::from_serializable(&templates.strings.table()),
        site_title: &config.title,
        base_url: config.base_url.as_deref(),
        site_value: tera::Value::from_serializable(&site),
        entity_json: structured::EntityJson::new(registry.entities.len(), &templates.strings),
        entity_links: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        annotation_bodies: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        card_links: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        cast_items: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        locator_maps: registry.entities.iter().map(|_| OnceLock::new()).collect(),
        tiles: Mutex::new(BTreeSet::new()),
        feed_clock: OnceLock::new(),
        page_sizes: templates.sources.keys().map(|name| (name.as_str(), AtomicUsize::new(0))).collect(),
    };
    // The few pages that cover the whole site (the search index, the home
    // page, the kind indexes) are the largest: start them first, so they
    // do not end the build alone on one core.
    let whole_site = |id: &PageId| {
        matches!(
            id,
            PageId::SearchIndex | PageId::Home(_) | PageId::Kind(_) | PageId::MentionsCsv | PageId::EntitiesJson
        )
    };
    let mut ordered: Vec<PageId> = ids.iter().copied().filter(whole_site).collect();
    ordered.extend(ids.iter().copied().filter(|id| !whole_site(id)));
    let mut failures: Vec<Diagnostic> = ordered
        .par_iter()
        .with_max_len(1)
        .filter_map(|&id| {
            let input = Input::new(data);
            let page = renderer.render(id, &input);
            let (deps, tiles) = input.into_parts();
            page.and_then(|page| sink(Rendered { page, deps, tiles })).err()
        })
        .collect();
    // Then the map tiles those pages show.
    let tiles: Vec<map::Tile> =
        renderer.tiles.into_inner().expect("no thread panics holding the lock").into_iter().collect();
    failures.par_extend(tiles.par_iter().filter_map(|tile| {
        let id = tile_id(tile);
        let page = Page { id, path: routes::path(registry, id), html: tile.svg() };
        sink(Rendered { page, deps: Vec::new(), tiles: Vec::new() }).err()
    }));
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

/// The page id of a map tile.
fn tile_id(tile: &map::Tile) -> PageId {
    PageId::Tile { level: tile.level, col: tile.col, row: tile.row }
}

/// What every page shares while a set of pages renders: the templates, the
/// site's context, and what is worth making once (entity links, preview
/// cards, locator maps, the tiles shown). It holds none of the model: pages
/// read that through their [`Input`].
struct Renderer<'a> {
    templates: &'a Templates,
    /// The text gloss writes itself.
    strings: &'a Strings,
    site_title: &'a str,
    base_url: Option<&'a str>,
    /// [`SiteContext`] as templates see it.
    site_value: tera::Value,
    /// The strings table as templates see it (`t`).
    t_value: tera::Value,
    entity_json: structured::EntityJson<'a>,
    /// [`Renderer::entity_link`] of each entity, made when first needed.
    entity_links: TiVec<EntityId, OnceLock<tera::Value>>,
    /// [`Renderer::card_link`] of each entity, made when first needed.
    card_links: TiVec<EntityId, OnceLock<tera::Value>>,
    /// Each entity's item in a cast list, made when first needed (see
    /// [`article::cast_list`]).
    cast_items: TiVec<EntityId, OnceLock<article::CastItem>>,
    /// The bodies that the Web Annotations of each entity's mentions
    /// give, as JSON, made when first needed (see [`annotations`]).
    annotation_bodies: TiVec<EntityId, OnceLock<Box<serde_json::value::RawValue>>>,
    /// Each entity's locator map, made when first needed: every page of
    /// its mentions shows it.
    locator_maps: TiVec<EntityId, OnceLock<map::Map>>,
    /// The map tiles the pages rendered so far show.
    tiles: Mutex<BTreeSet<map::Tile>>,
    /// The times feeds give articles, made when the first feed is.
    feed_clock: OnceLock<feed::FeedClock>,
    /// The size of the page each template made last: Tera sizes its
    /// buffer from the template's own text, and an archive's pages are
    /// many times that (a page's buffer was copied as it grew).
    page_sizes: Vec<(&'a str, AtomicUsize)>,
}

impl<'a> Renderer<'a> {
    fn render(&self, id: PageId, input: &Input) -> Result<Page, Diagnostic> {
        let text = |html: String| Ok(Page { id, path: input.path(id), html });
        match id {
            PageId::SearchIndex => {
                let (registry, articles) = input.everything();
                text(search::search_index(registry, articles, self.strings))
            }
            PageId::SearchText(n) => {
                let (registry, articles) = input.everything();
                text(search::search_text(registry, articles, n))
            }
            PageId::Sitemap => {
                let paths: Vec<String> =
                    input.all_pages().into_iter().filter(|p| p.is_listed()).map(|p| input.path(p)).collect();
                let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                text(structured::sitemap(self.base_url.unwrap_or_default(), &paths))
            }
            PageId::Robots => text(structured::robots(self.base_url.unwrap_or_default())),
            PageId::PlacesGeoJson => text(data::places(input)),
            PageId::ArticleGeoJson(a) => text(data::article_places(input, a)),
            PageId::EntitiesJson => text(data::entities(input)),
            PageId::MentionsCsv => text(data::mentions(input)),
            PageId::Home(n) => home::render(self, input, n),
            PageId::NotFound => {
                let title = self.strings.fill("not_found_title", &[("site", &self.site_title)]);
                let meta = Meta { description: None, og_type: "website", jsonld: String::new() };
                self.page("404.html", id, input, title, meta, NotFound {})
            }
            PageId::Article(a) => article::render(self, input, a),
            PageId::ArticleAnnotations(a) => annotations::render(self, input, a),
            PageId::Kind(k) => kind::render(self, input, k),
            PageId::Tags => tags::render_index(self, input),
            PageId::Tag(t, n) => tags::render(self, input, t, n),
            PageId::Feed | PageId::TagFeed(_) => feed::render(self, input, id),
            PageId::Entity(e, n) => entity::render(self, input, e, n),
            PageId::Tile { .. } => unreachable!("tiles are drawn by the maps that show them"),
        }
    }

    /// `<title>` of a page: its own title and the site's.
    fn title(&self, title: &str) -> String {
        self.strings.fill("title", &[("title", &title), ("site", &self.site_title)])
    }

    /// Renders `template` for the page `id` with its own context `page`.
    fn page<T: Serialize>(
        &self,
        template: &str,
        id: PageId,
        input: &Input,
        title: String,
        meta: Meta,
        page: T,
    ) -> Result<Page, Diagnostic> {
        let path = input.path(id);
        let root = routes::root(&path);
        let canonical = self.base_url.map(|base| format!("{base}/{path}"));
        let context =
            Common { site: &self.site_value, t: &self.t_value, root: &root, path: &path, canonical, title, meta, page };
        let context = tera::Context::from_serialize(&context)
            .map_err(|e| Diagnostic::error(Code::Template, format!("cannot build the context of {path}: {e}")))?;
        let size = self.page_sizes.iter().find(|(name, _)| *name == template).map(|(_, size)| size);
        let mut html = Vec::with_capacity(size.map_or(0, |s| s.load(Ordering::Relaxed) / 8 * 9));
        (self.templates.tera)
            .render_to(template, &context, &mut html)
            .map_err(|e| templates::template_error(&e, &self.templates.sources))?;
        if let Some(size) = size {
            size.store(html.len(), Ordering::Relaxed);
        }
        let html = String::from_utf8(html).map_err(|_| {
            Diagnostic::error(Code::Template, format!("{template} wrote bytes that are no UTF-8 text for {path}"))
        })?;
        Ok(Page { id, path, html })
    }

    /// An entity's link, for a page one folder down.
    fn entity_link(&self, input: &Input, entity: EntityId) -> tera::Value {
        let e = input.entity(entity);
        let link = self.entity_links[entity].get_or_init(|| {
            tera::Value::from_serializable(&EntityLink {
                id: &e.id,
                name: &e.name.value,
                kind: &input.kind(e.kind).id,
                url: format!("../{}", input.entity_path(entity)),
                summary: e.summary.as_deref(),
            })
        });
        link.clone()
    }

    /// An entity's link with what its preview card shows besides (`fact`
    /// and `image`), for a page one folder down: a member of an article's
    /// cast.
    fn card_link(&self, input: &Input, entity: EntityId) -> tera::Value {
        // Read on every use, so each page that shows it records it.
        let link = self.entity_link(input, entity);
        let card = self.card_links[entity].get_or_init(|| {
            let shown = self.entity_json.card(input, entity);
            let fields = [
                ("fact", shown.fact.as_deref().map_or_else(tera::Value::none, tera::Value::from)),
                ("image", shown.image.as_ref().map_or_else(tera::Value::none, tera::Value::from_serializable)),
            ];
            let mut card = link.into_map().unwrap_or_default();
            // Room for the member's `count` and `first`, kept by each copy.
            card.reserve(fields.len() + 2);
            card.extend(fields.map(|(key, value)| (key.into(), value)));
            card.into()
        });
        card.clone()
    }

    /// A locator map for a place with coordinates, showing the places it
    /// is mentioned with (in a paragraph or an article) where they are close
    /// enough for a plan.
    fn locator_map(&self, input: &Input, entity: EntityId) -> Option<String> {
        input.coordinates(entity)?;
        // Its nearby places as the index keeps them (one dep, not the cast
        // of every article naming it), those with coordinates.
        let nearby: Vec<EntityId> =
            input.nearby(entity).iter().copied().filter(|&e| input.coordinates(e).is_some()).collect();
        let map = self.locator_maps[entity].get_or_init(|| {
            let own_page = format!("{}.html", input.id(entity));
            let title = self.strings.fill("locator_map_label", &[("place", &input.name(entity))]);
            let pin = self.pin(input, entity, None, own_page);
            let nearby: Vec<map::Pin> = nearby
                .iter()
                .map(|&e| map::Pin { near: true, ..self.pin(input, e, None, format!("../{}", input.entity_path(e))) })
                .collect();
            map::locator_map(&pin, &nearby, "../", &title, input.map_layers())
        });
        Some(self.keep_tiles(input, map))
    }

    /// Notes the tiles a map shows, to be written after the pages; returns
    /// its SVG.
    fn keep_tiles(&self, input: &Input, map: &map::Map) -> String {
        for tile in &map.tiles {
            input.shows_tile(tile_id(tile));
        }
        self.tiles.lock().expect("no thread panics holding the lock").extend(map.tiles.iter().cloned());
        map.svg.clone()
    }

    fn pin(&self, input: &Input, entity: EntityId, number: Option<usize>, href: String) -> map::Pin {
        let (lat, lon) = input.coordinates(entity).unwrap_or((f64::NAN, f64::NAN));
        map::Pin { number, name: input.name(entity).to_string(), lat, lon, href, near: false }
    }
}

/// The 404 page has only the common variables.
#[derive(Serialize)]
struct NotFound {}
