//! gloss: a static site generator for annotated articles.
//!
//! The pipeline (one module per stage): `load` reads the site, `parse`
//! turns files into the content model, [`resolve`] builds the entity
//! registry and alias matcher, [`annotate`] marks mentions in each article,
//! [`index`] collects backlinks and co-mentions, `render` fills the
//! templates (every path and link from `routes`) and `write` swaps the
//! finished site into place. Everything is loaded and resolved before
//! anything is rendered, so every page sees every mention.
//!
//! The public API is what the command line and the tests use: [`build`],
//! [`check_site`], [`serve()`], [`render_site`] and [`annotate_site`], and
//! the site model they return ([`Site`]: its [`model`], [`resolve`]d
//! registry, [`annotate`]d articles and [`index`]), with [`diagnostic`]s.
//! Every stage is private to the crate.

pub mod annotate;
mod check;
mod collate;
mod context;
pub mod diagnostic;
mod graph;
mod html;
mod images;
mod import;
mod incremental;
pub mod index;
pub mod language;
mod lint;
mod load;
mod map;
mod matcher;
pub mod model;
mod pages;
mod parse;
mod render;
pub mod resolve;
pub mod review;
mod routes;
mod scaffold;
mod serve;
pub mod standoff;
mod strings;
mod write;
mod yaml;

pub use check::CheckCounts;
pub use import::{import_annotations, ImportOptions, ImportReport};
pub use incremental::Update;
pub use load::{SiteSources, SourceFile};
pub use render::Page;
pub use routes::PageId;
pub use scaffold::{init_site, new_entity};
pub use serve::{serve, ServeOptions};
pub use write::delete_staging_on_signal;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::annotate::AnnotatedArticle;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use crate::index::SiteIndex;
use crate::model::{ArticleId, EntityId};
use crate::pages::{Pages, Place};
use crate::render::input::{Dep, RenderInput};
use crate::render::Rendered;
use crate::resolve::Registry;
use typed_index_collections::TiVec;

/// A built site: its pages (in memory, or in `gloss serve`'s folder; see
/// [`pages`]), and what was learnt on the way.
pub struct Site {
    /// What the run overrides of the site's settings (kept for rebuilds).
    pub options: SiteOptions,
    /// What the site was built from (kept so it can be rebuilt in part).
    pub sources: load::SiteSources,
    pub registry: Registry,
    pub articles: TiVec<ArticleId, AnnotatedArticle>,
    /// Drafts left out of the site, annotated: what they mention counts as
    /// mentioned.
    pub drafts: Vec<AnnotatedArticle>,
    /// Each entity's description, rendered.
    pub descriptions: TiVec<EntityId, annotate::Description>,
    pub index: SiteIndex,
    /// Every output file, map tiles included, in the order rendered: held
    /// in memory, or written to a folder (see [`Site::pages`]).
    pages: Pages,
    /// What each page (not tile) read and the tiles it shows: how an update
    /// knows which pages it changes.
    records: incremental::Records,
    /// The site's lint findings at their levels (see [`lint`]): warnings,
    /// and errors for denied lints, which fail `build` and `check` but not
    /// a preview.
    pub warnings: Diagnostics,
    /// What the site leaves out and why (see [`publishing_notes`]).
    pub notes: Diagnostics,
    templates: render::Templates,
    /// Pages whose file predates the last update: the files that read the
    /// whole site (see [`PageId::is_whole_site`]), rendered when asked
    /// for, and the pages beyond an update's budget (see
    /// [`Site::set_update_budget`]).
    stale: BTreeSet<PageId>,
    /// How many pages an update renders before it returns, besides the
    /// edited files' own pages and pages that appear.
    update_budget: usize,
    /// Set when an update failed halfway: the next one builds everything.
    needs_full_build: bool,
    /// Warnings of parsing, and of each entity's description: kept so an
    /// incremental update can put the site's warnings together again.
    parse_warnings: Vec<Diagnostic>,
    description_warnings: TiVec<EntityId, Vec<Diagnostic>>,
    /// The site's own map layers (`map_layers:`), read once.
    map_layers: map::Layers,
}

impl Site {
    /// Every file the output holds as it is, `(path in the output, file)`:
    /// `static/`, the files of article folders, and copies of large
    /// images (made now, unless the cache has them).
    pub(crate) fn copies(&self) -> Result<Vec<(PathBuf, PathBuf)>, Diagnostic> {
        let root = &self.sources.root;
        let statics = self.sources.static_files.iter().map(|f| (f.clone(), root.join("static").join(f)));
        let bundled = self.registry.images.bundled().map(|(from, to)| (PathBuf::from(to), root.join(from)));
        let shown =
            self.articles.iter().flat_map(|a| &a.images).chain(self.descriptions.iter().flat_map(|d| &d.images));
        let resized = images::make_copies(root, shown)?.into_iter().map(|(to, from)| (PathBuf::from(to), from));
        Ok(statics.chain(bundled).chain(resized).collect())
    }

    /// Puts together every warning of the site: parsing, descriptions,
    /// articles, and the checks that need the whole site.
    fn collect_warnings(&mut self) {
        let text_of = self.sources.text_by_path();
        let entity_texts: TiVec<EntityId, &str> = self.registry.entities.iter().map(|e| text_of(&e.path)).collect();
        let mut warnings: Vec<Diagnostic> = self.parse_warnings.clone();
        warnings.extend(self.description_warnings.iter().flatten().cloned());
        let annotated = self.articles.iter().chain(&self.drafts);
        warnings.extend(annotated.flat_map(|a| a.diagnostics.iter().filter(|d| !d.is_error()).cloned()));
        warnings.extend(index::lint(&self.registry, &self.drafts, &self.index, &entity_texts));
        self.warnings = Diagnostics(warnings);
        self.registry.config.lints.apply(&mut self.warnings);
    }

    fn input(&self) -> RenderInput<'_> {
        RenderInput {
            registry: &self.registry,
            articles: &self.articles,
            index: &self.index,
            descriptions: &self.descriptions,
            map_layers: &self.map_layers,
            records: true,
        }
    }

    /// Renders the given pages, and the tiles they show.
    fn render(&self, ids: &[PageId]) -> Result<Vec<Rendered>, Diagnostics> {
        render::render_pages(&self.templates, &self.input(), ids)
    }

    /// Takes in freshly rendered pages: each replaces the page of the same
    /// id, with its record. Returns the paths of the pages (not tiles)
    /// whose bytes changed, or that are new.
    fn store(&mut self, rendered: Vec<Rendered>) -> Result<Vec<String>, Diagnostic> {
        let mut changed = Vec::new();
        for Rendered { page, deps, tiles } in rendered {
            let (tile, path) = (page.id.is_tile(), page.path.clone());
            if !tile {
                self.records.insert(page.id, Record { deps, tiles });
            }
            let written = self.pages.put(page).map_err(|e| pages_io("write", &path, e))?;
            if written && !tile {
                changed.push(path);
            }
        }
        Ok(changed)
    }

    /// Every page, held in memory, as [`render_site`] builds a site: the
    /// pages of `gloss serve`'s site are in a folder, not here (this is
    /// empty), and [`Site::page`] reads them one at a time.
    pub fn pages(&self) -> &[Arc<Page>] {
        self.pages.held()
    }

    /// The files of the output besides pages: the built-in static files,
    /// the site's own, its article folders' files and copies of its images
    /// (paths from the output root).
    pub fn static_outputs(&self) -> Vec<String> {
        let mut files: Vec<String> = write::DEFAULT_STATIC.iter().map(|(name, _)| name.to_string()).collect();
        files.extend(self.sources.static_files.iter().map(|p| p.to_string_lossy().replace('\\', "/")));
        files.extend(self.registry.images.bundled().map(|(_, to)| to.clone()));
        files.extend(self.shown_images().flat_map(|i| &i.copies).map(|c| c.path.clone()));
        files
    }

    /// Every image of the site that a published page shows.
    fn shown_images(&self) -> impl Iterator<Item = &images::Image> {
        self.articles.iter().flat_map(|a| &a.images).chain(self.descriptions.iter().flat_map(|d| &d.images))
    }

    /// Checks the pages as a reader meets them (see [`check_site`]): every
    /// link and anchor, unique ids, reachability.
    pub fn check(&self) -> (Vec<Diagnostic>, CheckCounts) {
        let pages = match self.pages.all() {
            Ok(pages) => pages,
            Err(e) => return (vec![pages_io("read", "the pages", e)], CheckCounts::default()),
        };
        check::check_pages(&pages, &self.static_outputs())
    }

    pub fn mention_count(&self) -> usize {
        self.articles.iter().map(|a| a.mentions.len()).sum()
    }

    /// "1 article, 6 people, 12 places": what the site holds, for summaries.
    pub fn describe(&self) -> String {
        let articles = self.registry.articles.len();
        let mut parts = vec![format!("{articles} article{}", if articles == 1 { "" } else { "s" })];
        // For the editor, in English: a built-in kind by its English name.
        let (english, local) = (strings::Strings::english(), self.templates.strings());
        let editors = |text: &str, key: String| match english.has(&key) && local.get(&key) == text {
            true => english.get(&key).to_string(),
            false => text.to_string(),
        };
        for (k, kind) in self.registry.config.kinds.iter_enumerated() {
            let n = self.registry.entities.iter().filter(|e| e.kind == k).count();
            if n > 0 {
                let label = match n {
                    1 => editors(&kind.singular, format!("kind_{}_singular", kind.id)),
                    _ => editors(&kind.title, format!("kind_{}_title", kind.id)),
                };
                parts.push(format!("{n} {}", label.to_lowercase()));
            }
        }
        parts.join(", ")
    }
}

/// An error reading or writing the pages of `gloss serve`'s folder.
fn pages_io(action: &str, path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("cannot {action} {path} in the folder of pages being served: {e}"))
}

/// What rendering a page read, and the map tiles it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    deps: Vec<Dep>,
    tiles: Vec<PageId>,
}

/// Runs the whole pipeline except writing. Errors from every file are
/// reported together.
pub fn render_site(root: &Path) -> Result<Site, Diagnostics> {
    render_site_with(root, &SiteOptions::default())
}

/// [`render_site`], with `options` overriding the site's settings.
pub fn render_site_with(root: &Path, options: &SiteOptions) -> Result<Site, Diagnostics> {
    let (sources, diagnostics) = load::load(root)?;
    render_sources_with(sources, diagnostics, options)
}

/// Runs every stage after loading on a site held in memory (as the fuzz
/// target and property tests do), adding to the diagnostics of loading.
pub fn render_sources(sources: load::SiteSources, diagnostics: Diagnostics) -> Result<Site, Diagnostics> {
    render_sources_with(sources, diagnostics, &SiteOptions::default())
}

/// [`render_sources`], with `options` overriding the site's settings.
fn render_sources_with(
    sources: load::SiteSources,
    diagnostics: Diagnostics,
    options: &SiteOptions,
) -> Result<Site, Diagnostics> {
    render_sources_in(sources, diagnostics, options, Place::Memory)
}

/// [`render_site_with`], its pages put in `place`: `gloss serve`'s are
/// written to a fresh folder of its own as they are rendered, so the site
/// is never held in memory whole.
pub(crate) fn render_site_in(root: &Path, options: &SiteOptions, place: Place) -> Result<Site, Diagnostics> {
    let (sources, diagnostics) = load::load(root)?;
    render_sources_in(sources, diagnostics, options, place)
}

fn render_sources_in(
    sources: load::SiteSources,
    diagnostics: Diagnostics,
    options: &SiteOptions,
    place: Place,
) -> Result<Site, Diagnostics> {
    let mut site = prepare(sources, diagnostics, options, Texts::Keep)?;
    let ids = render::all_pages(&site.registry, &site.index);
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    match place {
        Place::Memory => {
            let rendered = site.render(&ids)?;
            site.store(rendered).map_err(one)?;
        }
        Place::Folder(serve) => {
            let folder = serve.fresh().map_err(|e| one(pages_io("make a folder for", "the pages", e)))?;
            let done = Mutex::new(Vec::with_capacity(ids.len()));
            render::render_each(&site.templates, &site.input(), &ids, |Rendered { page, deps, tiles }| {
                folder.write_new(&page.path, page.html.as_bytes()).map_err(|e| pages_io("write", &page.path, e))?;
                let record = (!page.id.is_tile()).then_some(Record { deps, tiles });
                done.lock().expect("no thread panics holding the lock").push((page.id, page.path, record));
                Ok(())
            })?;
            let mut done = done.into_inner().expect("no thread panics holding the lock");
            // In the order given, tiles last by path, as in memory.
            let order: HashMap<PageId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            done.sort_by(|a, b| {
                let rank = |id: &PageId| order.get(id).copied().unwrap_or(usize::MAX);
                rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.1.cmp(&b.1))
            });
            let mut pages = Vec::with_capacity(done.len());
            for (id, path, record) in done {
                if let Some(record) = record {
                    site.records.insert(id, record);
                }
                pages.push((id, path));
            }
            site.pages = Pages::in_folder(folder, serve, pages);
        }
    }
    site.records.listed = ids;
    Ok(site)
}

/// The strings table of the site's language (the site's own file over
/// gloss's), with the settings that come from it: the built-in kinds' names
/// and the labels an article's HTML is written with.
fn site_strings(
    config: &mut model::SiteConfig,
    sources: &load::SiteSources,
    diagnostics: &mut Diagnostics,
) -> strings::Strings {
    let own = strings::site_file(&config.language);
    let own = sources.content.iter().find(|f| f.path == own).map(|f| (f.path.as_path(), f.text.as_str()));
    let (table, problems) = strings::Strings::for_site(&config.language, own);
    diagnostics.extend(problems);
    localize_kinds(&table, &mut config.kinds.raw);
    config.labels = table.labels();
    table
}

/// The built-in kinds' headings and fact labels in the site's language:
/// each that is still the English of the strings table (`kind_person_title`,
/// `fact_born`) becomes the table's text; a site's own names stay as written.
fn localize_kinds(strings: &strings::Strings, kinds: &mut [model::Kind]) {
    let english = strings::Strings::english();
    let localize = |text: &mut String, key: String| {
        if english.has(&key) && *text == english.get(&key) {
            *text = strings.get(&key).to_string();
        }
    };
    for kind in kinds {
        localize(&mut kind.title, format!("kind_{}_title", kind.id));
        localize(&mut kind.singular, format!("kind_{}_singular", kind.id));
        for fact in &mut kind.facts {
            localize(&mut fact.label, format!("fact_{}", fact.key));
        }
    }
}

/// Every stage up to rendering: the site with everything but its pages.
fn prepare(
    mut sources: load::SiteSources,
    mut diagnostics: Diagnostics,
    options: &SiteOptions,
    texts: Texts,
) -> Result<Site, Diagnostics> {
    let templates = render::load_templates(&sources.templates);
    let mut parsed = parse::parse_site(&sources);
    if let Some(url) = &options.base_url {
        match parse::check_base_url("`--base-url`", url) {
            Ok(()) => parsed.config.base_url = Some(url.trim_end_matches('/').to_string()),
            Err(message) => diagnostics.push(
                Diagnostic::error(Code::InvalidValue, message)
                    .with_hint("for example `--base-url https://preview.example.org/kim`"),
            ),
        }
    }
    // Drafts are left out of the site, but read and annotated all the same:
    // their mistakes are reported, and what they mention counts as
    // mentioned.
    let drafts: Vec<model::ArticleDoc> = match options.drafts {
        true => Vec::new(),
        false => {
            let (drafts, published) = std::mem::take(&mut parsed.articles).into_iter().partition(|a| a.draft);
            parsed.articles = published;
            drafts
        }
    };
    let parse_diagnostics = parsed.diagnostics.0.clone();
    diagnostics.extend(parse_diagnostics.iter().cloned());
    let resolved_from = diagnostics.0.len();
    let mut registry = resolve::resolve(parsed, &sources, &mut diagnostics);
    let map_layers = read_map_layers(&registry.config, &sources, &mut diagnostics);
    // The strings of the site's language, before annotation: a repair's
    // label is written in it. Its warnings are the site's, as those of
    // reading the files are.
    let strings = site_strings(&mut registry.config, &sources, &mut diagnostics);
    // Warnings of reading and resolving the files: kept until a full build.
    let parse_warnings: Vec<Diagnostic> =
        diagnostics.0[resolved_from..].iter().chain(&parse_diagnostics).filter(|d| !d.is_error()).cloned().collect();

    let articles = annotate_articles(&registry, &mut sources, texts);
    let text_of = sources.text_by_path();
    let drafts: Vec<AnnotatedArticle> = drafts
        .par_iter()
        .map(|draft| annotate::annotate_article(&registry, draft, text_of(&draft.path), "../"))
        .collect();
    for article in articles.iter().chain(&drafts) {
        diagnostics.extend(article.diagnostics.iter().cloned());
    }
    let entity_texts: Vec<&str> = registry.entities.iter().map(|e| text_of(&e.path)).collect();
    let rendered: Vec<(annotate::Description, Vec<Diagnostic>)> = registry
        .entities
        .raw
        .par_iter()
        .zip(&entity_texts)
        .map(|(entity, text)| annotate::render_description(&registry, entity, text))
        .collect();
    let mut descriptions = TiVec::with_capacity(rendered.len());
    let mut description_warnings = TiVec::with_capacity(rendered.len());
    for (html, problems) in rendered {
        descriptions.push(html);
        description_warnings.push(problems.iter().filter(|d| !d.is_error()).cloned().collect());
        diagnostics.extend(problems);
    }
    let templates = match templates {
        Ok(templates) => Some(templates),
        Err(problems) => {
            diagnostics.extend(problems.0);
            None
        }
    };
    let templates = templates.map(|mut templates| {
        templates.set_strings(strings);
        templates
    });
    let Some(templates) = templates.filter(|_| !diagnostics.has_errors()) else {
        registry.config.lints.apply(&mut diagnostics);
        return Err(diagnostics);
    };
    let index = SiteIndex::build(&registry, &articles);
    drop(text_of);
    let notes = publishing_notes(&registry);
    let mut site = Site {
        options: options.clone(),
        sources,
        registry,
        articles,
        drafts,
        descriptions,
        index,
        pages: Pages::in_memory(),
        records: incremental::Records::default(),
        warnings: Diagnostics::default(),
        notes,
        templates,
        stale: BTreeSet::new(),
        update_budget: incremental::UPDATE_BUDGET,
        needs_full_build: false,
        parse_warnings,
        description_warnings,
        map_layers,
    };
    site.collect_warnings();
    Ok(site)
}

/// The map layers `site.yaml` declares, each a GeoJSON file under
/// `content/`: a file that is missing, or is not GeoJSON, is an error in it
/// (at its line and column when the JSON itself is broken).
fn read_map_layers(
    config: &model::SiteConfig,
    sources: &load::SiteSources,
    diagnostics: &mut Diagnostics,
) -> map::Layers {
    let mut layers = map::Layers::default();
    let site_yaml = sources.site_yaml.as_ref();
    for declared in &config.map_layers {
        let path = Path::new("content").join(&declared.value);
        let Some(file) = sources.geojson.iter().find(|f| f.path == path) else {
            let mut error = Diagnostic::error(
                Code::Io,
                format!("the map layer `{}` cannot be read: there is no UTF-8 file {}", declared.value, path.display()),
            )
            .with_hint("map layers are GeoJSON files under content/, named from there: `maps/streets.geojson`");
            if let Some(yaml) = site_yaml {
                error = error.at(Location::from_range(&yaml.path, &yaml.text, declared.span.clone()));
            }
            diagnostics.push(error);
            continue;
        };
        if let Err(e) = layers.add(&file.text) {
            let mut error = Diagnostic::error(Code::InvalidValue, format!("this map layer is {}", e.message))
                .in_file(&file.path)
                .with_hint("a map layer is a GeoJSON feature collection (RFC 7946), as exported from OpenStreetMap");
            if let Some((line, column)) = e.line_column {
                let offset: usize = file.text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
                let line_text = file.text[offset..].split('\n').next().unwrap_or("");
                let at =
                    offset + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
                error = error.at(Location::from_range(&file.path, &file.text, at..at));
            }
            diagnostics.push(error);
        }
    }
    layers
}

/// What a build of `registry` leaves out that a publisher would look for,
/// and why: each said once.
fn publishing_notes(registry: &Registry) -> Diagnostics {
    let mut notes = Diagnostics::default();
    let site_yaml = Path::new("content/site.yaml");
    match registry.config.base_url.as_deref() {
        None if !registry.articles.is_empty() => notes.push(
            Diagnostic::note(
                Code::LeftOut,
                "no feed is written: a feed needs absolute links, and the site has no `base_url`",
            )
            .in_file(site_yaml)
            .with_hint("set `base_url: https://…` in content/site.yaml, or pass `--base-url`"),
        ),
        None => {}
        Some(url) => {
            if !routes::robots_apply(registry) {
                notes.push(
                    Diagnostic::note(
                        Code::LeftOut,
                        format!(
                            "no robots.txt is written: crawlers read it only at the root of a host, not under `{url}`"
                        ),
                    )
                    .in_file(site_yaml)
                    .with_hint("to guide crawlers, put a robots.txt at the host's root naming this site's sitemap.xml"),
                );
            }
            let undated: Vec<&str> =
                registry.articles.iter().filter(|a| a.date.is_none()).map(|a| a.slug.as_str()).collect();
            if !undated.is_empty() {
                notes.push(
                    Diagnostic::note(
                        Code::LeftOut,
                        format!(
                            "{} left out of the feeds, which order articles by date: {}",
                            match undated.len() {
                                1 => "1 article without a `date` is".to_string(),
                                n => format!("{n} articles without a `date` are"),
                            },
                            list_some(&undated)
                        ),
                    )
                    .with_hint("give each a `date: YYYY-MM-DD`"),
                );
            }
        }
    }
    notes
}

/// `a, b, c, d, e and 7 more`: a list said in a line.
fn list_some(items: &[&str]) -> String {
    const SHOWN: usize = 5;
    match items.len() {
        n if n > SHOWN => format!("{} and {} more", items[..SHOWN].join(", "), n - SHOWN),
        _ => items.join(", "),
    }
}

/// Whether the articles' text is kept once they are annotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Texts {
    /// For `gloss serve`, which compares each file saved with what it read,
    /// and for `gloss check` and `gloss mentions`.
    Keep,
    /// For a build: nothing after annotation reads an article's text. Let
    /// go as each article is done, an archive's half gigabyte is taken
    /// again by the annotated articles, not asked anew of the system.
    LetGo,
}

/// Annotates every article of the registry, in parallel.
fn annotate_articles(
    registry: &Registry,
    sources: &mut load::SiteSources,
    texts: Texts,
) -> TiVec<ArticleId, AnnotatedArticle> {
    let mut slots: rustc_hash::FxHashMap<&std::ffi::OsStr, &mut String> =
        sources.content.iter_mut().map(|load::SourceFile { path, text }| (path.as_os_str(), text)).collect();
    let articles: Vec<(&model::ArticleDoc, Option<&mut String>)> =
        registry.articles.iter().map(|article| (article, slots.remove(article.path.as_os_str()))).collect();
    let articles: Vec<AnnotatedArticle> = articles
        .into_par_iter()
        .map(|(article, text)| {
            let annotated =
                annotate::annotate_article(registry, article, text.as_deref().map_or("", String::as_str), "../");
            if let (Texts::LetGo, Some(text)) = (texts, text) {
                drop(std::mem::take(text));
            }
            annotated
        })
        .collect();
    articles.into()
}

/// A site loaded, resolved and annotated, and nothing more: what `gloss
/// mentions` reports on.
pub struct AnnotatedSite {
    pub sources: load::SiteSources,
    pub registry: Registry,
    /// In the order of [`Registry::articles`].
    pub articles: TiVec<ArticleId, AnnotatedArticle>,
    /// Errors of every stage so far (a shared alias nothing settles among
    /// them), and lint findings at their levels.
    pub diagnostics: Diagnostics,
}

/// Runs the pipeline up to annotation. Errors in the content do not stop
/// it: a report of mentions is most useful exactly when some are wrong.
/// Fails only when the site cannot be read at all.
pub fn annotate_site(root: &Path) -> Result<AnnotatedSite, Diagnostics> {
    let (mut sources, mut diagnostics) = load::load(root)?;
    let parsed = parse::parse_site(&sources);
    diagnostics.extend(parsed.diagnostics.0.iter().cloned());
    let mut registry = resolve::resolve(parsed, &sources, &mut diagnostics);
    // The articles' HTML is written in the site's language.
    site_strings(&mut registry.config, &sources, &mut diagnostics);
    let articles = annotate_articles(&registry, &mut sources, Texts::Keep);
    for article in &articles {
        diagnostics.extend(article.diagnostics.iter().cloned());
    }
    registry.config.lints.apply(&mut diagnostics);
    Ok(AnnotatedSite { sources, registry, articles, diagnostics })
}

/// The outcome of `gloss check`: the site in memory and everything found
/// wrong with it, content and rendered pages alike.
pub struct CheckReport {
    pub site: Site,
    /// Content warnings, then problems in the rendered pages.
    pub diagnostics: Diagnostics,
    pub counts: check::CheckCounts,
}

/// Runs the whole pipeline without writing anything, then checks the
/// rendered pages: links, anchors, unique ids, reachability.
pub fn check_site(root: &Path, options: &SiteOptions) -> Result<CheckReport, Diagnostics> {
    let site = render_site_with(root, options)?;
    let (problems, counts) = site.check();
    let mut diagnostics = site.warnings.clone();
    diagnostics.extend(problems);
    diagnostics.extend(site.notes.0.iter().cloned());
    Ok(CheckReport { site, diagnostics, counts })
}

/// Options of `gloss build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Replace an existing output folder that gloss did not create.
    pub force: bool,
    pub site: SiteOptions,
}

/// What a run may override of a site's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteOptions {
    /// Publish drafts too (`--drafts`; `gloss serve` always shows them).
    pub drafts: bool,
    /// This base URL instead of `site.yaml`'s (`--base-url`), for a preview
    /// deploy.
    pub base_url: Option<String>,
}

/// What a successful build did.
pub struct BuildReport {
    /// What the site holds ("1 article, 6 people, …"; see [`Site::describe`]).
    pub summary: String,
    pub mentions: usize,
    /// The site's warnings, then its notes.
    pub warnings: Diagnostics,
    /// Pages written.
    pub pages: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
}

/// What a build reports as it goes, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Everything is loaded and annotated; this many pages are to be written.
    Rendering { pages: usize },
    /// One more page is written.
    PageWritten,
}

/// Builds the site at `options.root` into its output folder. On any error the
/// previous output is left as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_with_progress(options, &|_| {})
}

/// [`build`], telling `progress` how far it got.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    write::check_output_path(&options.root, &output).map_err(|d| Diagnostics(vec![d]))?;
    let (sources, diagnostics) = load::load(&options.root)?;
    let mut site = prepare(sources, diagnostics, &options.site, Texts::LetGo)?;
    // A denied lint fails a build, as an error does.
    if site.warnings.has_errors() {
        return Err(site.warnings);
    }
    // Rendering needs none of the content's text: what annotation left
    // (the entities' files, the drafts') is let go too.
    drop(std::mem::take(&mut site.sources.content));
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let staging = write::Staging::create(&options.root, &output, options.force).map_err(one)?;
    // Each page is written as soon as it is rendered, in parallel, so a
    // large site is never held in memory whole.
    let ids = render::all_pages(&site.registry, &site.index);
    progress(Progress::Rendering { pages: ids.len() });
    // The articles' HTML is most of the model, and only their own pages
    // and the feeds show it: those are written first, then it is let go.
    let (first, rest): (Vec<PageId>, Vec<PageId>) =
        ids.iter().partition(|id| matches!(id, PageId::Article(_) | PageId::Feed | PageId::TagFeed(_)));
    let (csv, rest): (Vec<PageId>, Vec<PageId>) = rest.into_iter().partition(|id| *id == PageId::MentionsCsv);
    // A map tile shown by pages of both parts is written once.
    let tiles = std::sync::Mutex::new(HashSet::new());
    let sink = |rendered: Rendered| {
        let page = &rendered.page;
        if page.id.is_tile() && !tiles.lock().expect("no thread panics holding the lock").insert(page.id) {
            return Ok(());
        }
        staging.write(page)?;
        // The bar counts the pages announced above; map tiles come after.
        if !page.id.is_tile() {
            progress(Progress::PageWritten);
        }
        Ok(())
    };
    // Nothing updates a build's pages: they need not note what they read.
    render::render_each(&site.templates, &RenderInput { records: false, ..site.input() }, &first, sink)?;
    for article in &mut site.articles {
        article.body_html = String::new();
    }
    let data = RenderInput { records: false, ..site.input() };
    // The largest data file, `mentions.csv`, is streamed to its file by a
    // thread of its own as the rest render. Written after them, its rows
    // made in parallel a batch at a time, it held one core of two while
    // the other waited: at 100,000 articles, 2.4 s of a 33 s build.
    let (rendered, streamed) = std::thread::scope(|scope| {
        let streaming = scope.spawn(|| {
            for &id in &csv {
                let path = routes::path(&site.registry, id);
                staging.write_streamed(&path, |out| render::write_mentions_csv(&data, out))?;
                progress(Progress::PageWritten);
            }
            Ok(())
        });
        let rendered = render::render_each(&site.templates, &data, &rest, sink);
        (rendered, streaming.join())
    });
    rendered?;
    streamed.unwrap_or_else(|panic| std::panic::resume_unwind(panic)).map_err(one)?;
    let copies = site.copies().map_err(one)?;
    staging.finish(&copies).map_err(one)?;
    Ok(BuildReport {
        summary: site.describe(),
        mentions: site.mention_count(),
        warnings: Diagnostics(site.warnings.0.into_iter().chain(site.notes.0).collect()),
        pages: ids.len(),
        output,
        elapsed: started.elapsed(),
    })
}
