//! Incremental rebuilds for `gloss serve`: after an edit, render again
//! exactly the pages whose inputs changed.
//!
//! An edited article is parsed and annotated again alone, an edited entity
//! file's description rendered again alone, and the index brought up to
//! date; what changed is then said as [`Dep`]s (this article, this entity,
//! the index entry of these entities). Each page was recorded, as it was
//! rendered, with the deps it read (see [`crate::render::input`]): the
//! pages to render again are those that read a changed dep, plus pages that
//! appear. Nothing lists by hand which page shows what, so a new field in a
//! page's context cannot leave it stale. Past a budget of pages, only the
//! edited files' own pages are rendered at once; the others are marked
//! stale, for `gloss serve` to render in the background or when asked for.
//!
//! Anything that changes matching or the set of pages (names, aliases,
//! references, new or deleted files, dates, site settings, templates,
//! static files) is a full build, which is always right. So is the update
//! after one that failed halfway.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{ArticleDoc, ArticleId, EntityDoc, EntityId};
use crate::render::input::Dep;
use crate::routes::PageId;
use crate::{annotate, load, parse, render_site_in, resolve, Site};

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// The whole site was rebuilt.
    Full,
    /// Only these pages changed (paths from the root; map tiles are not
    /// counted): pages rendered anew whose bytes differ, pages that
    /// appeared or went.
    Pages(Vec<String>),
}

/// One edited content file, parsed and checked, not yet applied.
struct Edit {
    /// Its place in `sources.content`, and its new text.
    slot: usize,
    file: load::SourceFile,
    change: Change,
}

enum Change {
    Article {
        index: ArticleId,
        doc: Box<crate::model::ArticleDoc>,
        annotated: Box<annotate::AnnotatedArticle>,
    },
    Entity {
        index: EntityId,
        doc: Box<crate::model::EntityDoc>,
        description: Box<annotate::Description>,
        warnings: Vec<Diagnostic>,
    },
}

impl Site {
    /// Brings the site up to date with the files at `changed` (paths as the
    /// watcher reports them, absolute or relative to `root`). If the new
    /// content has errors the site is left as it was; if rendering fails
    /// halfway, the error is returned and the next update builds all.
    pub fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        if self.needs_full_build {
            return self.rebuild(root);
        }
        let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut files: Vec<PathBuf> = changed
            .iter()
            .map(|p| p.strip_prefix(&root_abs).or_else(|_| p.strip_prefix(root)).unwrap_or(p).to_path_buf())
            .collect();
        // Editors' swap and backup files are no change to the site.
        files.retain(|f| load::is_source(f));
        files.sort();
        files.dedup();
        let mut edits = Vec::new();
        for file in &files {
            match self.plan(root, file)? {
                Some(Some(edit)) => edits.push(edit),
                Some(None) => {} // unchanged
                None => return self.rebuild(root),
            }
        }
        if edits.is_empty() {
            return Ok(Update::Pages(Vec::new()));
        }
        let changed = self.apply(edits);
        self.collect_warnings();
        match self.render_changed(&changed) {
            Ok(paths) => Ok(Update::Pages(paths)),
            Err(diagnostics) => {
                self.needs_full_build = true;
                Err(diagnostics)
            }
        }
    }

    /// How many pages the site has, as `gloss build` counts them: without
    /// the map tiles.
    pub fn page_count(&self) -> usize {
        self.pages.iter().filter(|(id, _)| !id.is_tile()).count()
    }

    /// The pages whose file predates the last update: the search index and
    /// the data files (see [`PageId::is_whole_site`]), and pages beyond the
    /// update's budget. [`Site::refresh`] brings them up to date.
    pub fn stale_pages(&self) -> &BTreeSet<PageId> {
        &self.stale
    }

    /// Deletes the map tiles no page shows any more.
    fn drop_tiles_not_shown(&mut self) -> Result<(), Diagnostic> {
        let shown: BTreeSet<PageId> = self.records.tiles().collect();
        let keep = |id: PageId| !id.is_tile() || shown.contains(&id);
        self.pages.retain(keep).map_err(|e| crate::pages_io("delete", "map tiles no page shows", e))?;
        Ok(())
    }

    /// Where page `id` is written, from the root.
    pub fn path_of(&self, id: PageId) -> String {
        crate::routes::path(&self.registry, id)
    }

    /// Sets how many pages an update renders before it returns, besides
    /// the edited files' own pages and the pages that appear (by default
    /// [`UPDATE_BUDGET`]); it leaves the rest stale.
    pub fn set_update_budget(&mut self, pages: usize) {
        self.update_budget = pages;
    }

    /// The page (or map tile, or search index) at `path` from the root,
    /// read from the folder of pages if the site has one.
    pub fn page(&self, path: &str) -> Option<std::sync::Arc<crate::render::Page>> {
        self.pages.get(path)
    }

    /// Renders again the stale pages among `ids` (see
    /// [`Site::stale_pages`]). The search index, its chunks of text and
    /// the data files are rendered together: one asked for brings all up
    /// to date.
    ///
    /// If one cannot be rendered or written, the next update builds the
    /// whole site, and nothing is left to render in the background.
    pub fn refresh(&mut self, ids: &[PageId]) -> Result<(), Diagnostics> {
        let mut wanted: BTreeSet<PageId> = ids.iter().copied().filter(|id| self.stale.contains(id)).collect();
        if wanted.iter().any(|id| id.is_whole_site()) {
            wanted.extend(self.stale.iter().copied().filter(|id| id.is_whole_site()));
        }
        if wanted.is_empty() || self.needs_full_build {
            return Ok(());
        }
        let wanted: Vec<PageId> = wanted.into_iter().collect();
        let tiles_before: Vec<Option<Vec<PageId>>> = wanted.iter().map(|&id| self.records.tiles_of(id)).collect();
        let stored = self.render(&wanted).map_err(|d| d.0).and_then(|r| self.store(r).map_err(|d| vec![d]));
        // Tiles the pages no longer show go, as after an update.
        let same_tiles = || wanted.iter().zip(&tiles_before).all(|(&id, before)| self.records.tiles_of(id) == *before);
        let stored = match stored {
            Ok(_) if !same_tiles() => self.drop_tiles_not_shown().map_err(|d| vec![d]),
            other => other.map(|_| ()),
        };
        match stored {
            Ok(()) => {
                for id in &wanted {
                    self.stale.remove(id);
                }
                Ok(())
            }
            Err(problems) => {
                self.needs_full_build = true;
                Err(Diagnostics(problems))
            }
        }
    }

    /// How many stale pages are left to render in the background: all but
    /// the whole-site files, which wait to be asked for; none after a
    /// failure, which the next update mends by building the whole site.
    pub fn background_pages(&self) -> usize {
        match self.needs_full_build {
            true => 0,
            false => self.stale.iter().filter(|id| !id.is_whole_site()).count(),
        }
    }

    /// Renders again up to `n` of the [`Site::background_pages`].
    pub fn refresh_some(&mut self, n: usize) -> Result<(), Diagnostics> {
        let next: Vec<PageId> = self.stale.iter().copied().filter(|id| !id.is_whole_site()).take(n).collect();
        self.refresh(&next)
    }

    /// Renders every stale page: the site as a full build makes it.
    pub fn refresh_all(&mut self) -> Result<(), Diagnostics> {
        let all: Vec<PageId> = self.stale.iter().copied().collect();
        self.refresh(&all)
    }

    fn rebuild(&mut self, root: &Path) -> Result<Update, Diagnostics> {
        let budget = self.update_budget;
        *self = render_site_in(root, &self.options, self.pages.place())?;
        self.update_budget = budget;
        Ok(Update::Full)
    }

    /// Reads and checks one changed file. `None`: it needs a full build;
    /// `Some(None)`: nothing changed.
    fn plan(&self, root: &Path, file: &Path) -> Result<Option<Option<Edit>>, Diagnostics> {
        let Some(slot) = self.sources.slot_of(file) else { return Ok(None) };
        // Compared as bytes: `Path`'s `==` goes component by component,
        // and an archive has a hundred thousand paths of equal length.
        let is_file = |path: &Path| path.as_os_str() == file.as_os_str();
        let Some(fresh) = load::read_one(root, file) else { return Ok(None) };
        let fresh = fresh?;
        if fresh.text == self.sources.content[slot].text {
            return Ok(Some(None));
        }
        let registry = &self.registry;
        let fail = |d: Vec<Diagnostic>| Diagnostics(d);
        if let Some(a) = registry.articles.iter_enumerated().find(|(_, a)| is_file(&a.path)).map(|(id, _)| id) {
            let mut doc = parse::parse_article(file, &fresh.text).map_err(fail)?;
            // Its annotations file, unchanged (a change to it is a full build).
            let standoff = crate::standoff::file_of(file);
            if let Some(annotations) = self.sources.slot_of(&standoff).map(|slot| &self.sources.content[slot]) {
                doc.annotations
                    .extend(crate::standoff::parse_file(&annotations.path, &annotations.text).map_err(fail)?);
            }
            let old = &registry.articles[a];
            // The slug names the page, the route places and the tags are
            // references, a draft is no page, and the dates place the
            // article in feeds; the weight and title order the articles, and
            // the article must keep its place.
            let tags = |d: &ArticleDoc| d.tags.iter().map(|t| t.value.clone()).collect::<Vec<_>>();
            let sort_by = registry.config.sort_by;
            let after = |prev: &ArticleDoc| resolve::article_order(sort_by, prev, &doc) == std::cmp::Ordering::Less;
            let before = |next: &ArticleDoc| resolve::article_order(sort_by, &doc, next) == std::cmp::Ordering::Less;
            let keeps_place = a.index().checked_sub(1).is_none_or(|p| after(&registry.articles[ArticleId::from(p)]))
                && registry.articles.get(ArticleId::from(a.index() + 1)).is_none_or(before);
            let dates = |d: &ArticleDoc| (d.date.clone(), d.updated.clone());
            let translations =
                |d: &ArticleDoc| d.translations.iter().map(|(l, s)| (l.clone(), s.value.clone())).collect::<Vec<_>>();
            if doc.slug != old.slug
                || doc.route != old.route
                || doc.language != old.language
                || translations(&doc) != translations(old)
                || tags(&doc) != tags(old)
                || doc.draft != old.draft
                || dates(&doc) != dates(old)
            {
                return Ok(None);
            }
            if !keeps_place {
                return Ok(None);
            }
            let annotated = annotate::annotate_article(registry, &doc, &fresh.text, "../");
            if annotated.diagnostics.iter().any(|d| d.is_error()) {
                return Err(Diagnostics(annotated.diagnostics));
            }
            let change = Change::Article { index: a, doc: Box::new(doc), annotated: Box::new(annotated) };
            return Ok(Some(Some(Edit { slot, file: fresh, change })));
        }
        let Some(e) = registry.entities.iter_enumerated().find(|(_, x)| is_file(&x.path)).map(|(id, _)| id) else {
            return Ok(None);
        };
        let old = &registry.entities[e];
        let doc = parse::parse_entity(file, &fresh.text, &registry.config.kinds, old.kind).map_err(fail)?;
        // Names and aliases feed the matcher, `sort_as` orders the indexes,
        // references feed resolution: a change to any needs the whole site.
        let references = |d: &crate::model::EntityDoc| -> Vec<String> {
            let facts = d.facts.iter().filter_map(|(_, f)| match &f.value {
                crate::model::FactValue::Entity(reference) => Some(reference.id.clone()),
                _ => None,
            });
            d.related.iter().map(|r| r.value.clone()).chain(facts).collect()
        };
        let names = |d: &crate::model::EntityDoc| -> Vec<String> {
            let sort = d.sort_as.iter().cloned();
            std::iter::once(&d.name).chain(&d.aliases).map(|a| a.value.clone()).chain(sort).collect()
        };
        // The image shows in preview cards on other pages too.
        // An entity that gains or loses its coordinates gains or loses a
        // map, and the index keeps nearby places only for those with them.
        let placed = |d: &crate::model::EntityDoc| d.coordinates.is_some();
        if names(&doc) != names(old)
            || references(&doc) != references(old)
            || doc.image != old.image
            || placed(&doc) != placed(old)
        {
            return Ok(None);
        }
        let (description, problems) = annotate::render_description(registry, &doc, &fresh.text);
        if problems.iter().any(|d| d.is_error()) {
            return Err(Diagnostics(problems));
        }
        let warnings = problems.into_iter().filter(|d| !d.is_error()).collect();
        let change = Change::Entity { index: e, doc: Box::new(doc), description: Box::new(description), warnings };
        Ok(Some(Some(Edit { slot, file: fresh, change })))
    }

    /// Applies checked edits to the model; returns what changed.
    fn apply(&mut self, edits: Vec<Edit>) -> FxHashSet<Dep> {
        let mut changed = FxHashSet::default();
        for edit in edits {
            let before = std::mem::replace(&mut self.sources.content[edit.slot], edit.file);
            match edit.change {
                Change::Article { index: a, doc, annotated } => {
                    self.registry.articles[a] = *doc;
                    let old = std::mem::replace(&mut self.articles[a], *annotated);
                    changed.insert(Dep::Article(a));
                    changed.extend(
                        self.index.replace_article(&self.registry, a, &old, &self.articles).into_iter().map(Dep::Index),
                    );
                }
                Change::Entity { index: e, doc, description, warnings } => {
                    self.description_warnings[e] = warnings;
                    // Other pages show what the front matter says (a
                    // summary in a cast, a fact in a card), only the
                    // entity's own pages its description.
                    let old = &self.registry.entities[e];
                    fn front_matter<'t>(text: &'t str, doc: &EntityDoc) -> Option<&'t str> {
                        text.get(..doc.body_offset)
                    }
                    let after = &self.sources.content[edit.slot].text;
                    if front_matter(&before.text, old) != front_matter(after, &doc) {
                        changed.insert(Dep::Entity(e));
                    }
                    if *description != self.descriptions[e] {
                        changed.insert(Dep::Description(e));
                    }
                    if doc.coordinates != old.coordinates {
                        changed.insert(Dep::Coordinates(e));
                    }
                    self.descriptions[e] = *description;
                    self.registry.entities[e] = *doc;
                }
            }
        }
        changed
    }

    /// Renders again the pages that read a changed dep and the pages that
    /// appeared; drops the pages and tiles no longer part of the site.
    /// The search index and the data files, which read everything, are only
    /// marked stale.
    ///
    /// Every page's deps are looked at: at 100,000 articles there are
    /// millions, so `changed` is a set with a fast hash.
    fn render_changed(&mut self, changed: &FxHashSet<Dep>) -> Result<Vec<String>, Diagnostics> {
        let wanted: Vec<PageId> = crate::render::all_pages(&self.registry, &self.index);
        // Most edits leave the list of pages as it was: then no page came
        // or went, and the list's hundreds of thousands of pages need not
        // be gone through one by one.
        let same_list = wanted == self.records.listed;
        let wanted_set: FxHashSet<PageId> =
            if same_list { FxHashSet::default() } else { wanted.iter().copied().collect() };
        let gone: Vec<PageId> = match same_list {
            true => Vec::new(),
            false => self.records.pages().filter(|id| !wanted_set.contains(id)).collect(),
        };
        let new: FxHashSet<PageId> = match same_list {
            true => FxHashSet::default(),
            false => wanted.iter().copied().filter(|id| !self.records.has(*id)).collect(),
        };
        let list_changed = !gone.is_empty() || !new.is_empty();
        // The pages that read a changed dep, found from the deps: an
        // archive has hundreds of thousands of pages, and an edit changes
        // what a few dozen read.
        let mut affected: FxHashSet<PageId> = new.clone();
        let always = [Dep::All].into_iter().chain(list_changed.then_some(Dep::PageList));
        for dep in changed.iter().copied().chain(always) {
            affected.extend(self.records.readers(dep));
        }
        // The whole-site files wait to be asked for. Beyond the budget,
        // only the edited files' own pages are rendered now (a summary
        // shows in the cast of every article naming the entity: thousands
        // of pages in an archive), the rest when asked for or in the
        // background: as Hugo's server renders first the pages open.
        let (later, mut ids): (Vec<PageId>, Vec<PageId>) = wanted
            .iter()
            .copied()
            .filter(|id| affected.contains(id))
            .partition(|id| id.is_whole_site() && !new.contains(id));
        self.stale.extend(later);
        if ids.len() > self.update_budget {
            let (now, later): (Vec<PageId>, Vec<PageId>) =
                ids.into_iter().partition(|id| new.contains(id) || edited_page(changed, *id));
            self.stale.extend(later);
            ids = now;
        }
        let rendered = self.render(&ids)?;
        for id in &ids {
            self.stale.remove(id);
        }
        let one = |d: Diagnostic| Diagnostics(vec![d]);
        let tiles_before: Vec<Option<Vec<PageId>>> = ids.iter().map(|&id| self.records.tiles_of(id)).collect();
        let mut paths = self.store(rendered).map_err(one)?;
        let same_tiles = ids.iter().zip(&tiles_before).all(|(&id, before)| self.records.tiles_of(id) == *before);

        // Pages that went, and the tiles no page shows any more.
        for &id in &gone {
            self.records.remove(id);
            self.stale.remove(&id);
        }
        if !same_list {
            let shown: BTreeSet<PageId> = self.records.tiles().collect();
            let keep = |id: PageId| if id.is_tile() { shown.contains(&id) } else { wanted_set.contains(&id) };
            let gone = self.pages.retain(keep).map_err(|e| one(crate::pages_io("delete", "pages that went", e)))?;
            paths.extend(gone.into_iter().filter(|(id, _)| !id.is_tile()).map(|(_, path)| path));
        } else if !same_tiles {
            self.drop_tiles_not_shown().map_err(one)?;
        }
        self.records.listed = wanted;
        paths.sort();
        paths.dedup();
        Ok(paths)
    }
}

/// How many pages an update renders before it returns by default, besides
/// the edited files' own pages and pages that appear: about a tenth of a
/// second's work on two cores.
pub(crate) const UPDATE_BUDGET: usize = 150;

/// Is page `id` an edited file's own: the edited article's page and its
/// data, the edited entity's pages? (Only an edited article changes its
/// [`Dep::Article`], only an edited entity its [`Dep::Entity`],
/// [`Dep::Description`] or [`Dep::Coordinates`].)
fn edited_page(changed: &FxHashSet<Dep>, id: PageId) -> bool {
    match id {
        PageId::Article(a) | PageId::ArticleAnnotations(a) | PageId::ArticleGeoJson(a) => {
            changed.contains(&Dep::Article(a))
        }
        PageId::Entity(e, _) => {
            [Dep::Entity(e), Dep::Description(e), Dep::Coordinates(e)].iter().any(|dep| changed.contains(dep))
        }
        _ => false,
    }
}

/// What each page (not tile) read and the tiles it shows, and for each dep
/// the pages that read it: how an update finds the pages it changes
/// without going through every page's deps.
#[derive(Default)]
pub(crate) struct Records {
    by_page: FxHashMap<PageId, crate::Record>,
    readers: FxHashMap<Dep, FxHashSet<PageId>>,
    /// The site's pages as the last build or update listed them.
    pub(crate) listed: Vec<PageId>,
}

impl Records {
    /// Sets the record of page `id`, replacing any it had.
    pub(crate) fn insert(&mut self, id: PageId, record: crate::Record) {
        // Most pages rendered again read what they read before: an entity
        // page reads thousands of deps, not worth taking out and putting
        // back.
        if let Some(old) = self.by_page.get_mut(&id) {
            if old.deps == record.deps {
                old.tiles = record.tiles;
                return;
            }
        }
        self.remove(id);
        for &dep in &record.deps {
            self.readers.entry(dep).or_default().insert(id);
        }
        self.by_page.insert(id, record);
    }

    pub(crate) fn remove(&mut self, id: PageId) {
        let Some(old) = self.by_page.remove(&id) else { return };
        for dep in &old.deps {
            if let Some(pages) = self.readers.get_mut(dep) {
                pages.remove(&id);
                if pages.is_empty() {
                    self.readers.remove(dep);
                }
            }
        }
    }

    fn has(&self, id: PageId) -> bool {
        self.by_page.contains_key(&id)
    }

    /// Every page with a record.
    fn pages(&self) -> impl Iterator<Item = PageId> + '_ {
        self.by_page.keys().copied()
    }

    /// The pages that read `dep`.
    fn readers(&self, dep: Dep) -> impl Iterator<Item = PageId> + '_ {
        self.readers.get(&dep).into_iter().flatten().copied()
    }

    /// The tiles page `id` shows, if it has a record.
    fn tiles_of(&self, id: PageId) -> Option<Vec<PageId>> {
        self.by_page.get(&id).map(|r| r.tiles.clone())
    }

    /// The tiles the pages show (each as often as shown).
    fn tiles(&self) -> impl Iterator<Item = PageId> + '_ {
        self.by_page.values().flat_map(|r| r.tiles.iter().copied())
    }
}
