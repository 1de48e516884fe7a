//! Incremental rebuilds for `gloss serve`: after an edit, re-render only the
//! pages that depend on it.
//!
//! An edited article is re-parsed and re-annotated alone; the index
//! (backlinks, co-mentions) is rebuilt, which is cheap; then only the pages
//! that can show something of it are rendered again: the article, the
//! entities mentioned in it before or after the edit, their kind indexes
//! and the home page. An edited entity description, summary or fact
//! re-renders that entity, the articles whose previews carry it, its kind
//! index and its related entities. Anything that changes matching or page
//! structure (names, aliases, new or deleted files, dates, site settings,
//! templates, static files) falls back to a full build, which is always
//! correct.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{PageId, RenderInput};
use crate::{annotate, load, parse, render, render_site, Site};

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// The whole site was rebuilt.
    Full,
    /// Only these pages were rendered again (paths relative to the root).
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
    Article { index: usize, doc: Box<crate::model::ArticleDoc>, annotated: Box<annotate::AnnotatedArticle> },
    Entity { index: usize, doc: Box<crate::model::EntityDoc>, description: String, warnings: Vec<Diagnostic> },
}

impl Site {
    /// Brings the site up to date with the files at `changed` (paths as the
    /// watcher reports them, absolute or relative to `root`). On error the
    /// site is left as it was.
    pub fn update(&mut self, root: &Path, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
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
        Ok(Update::Pages(self.apply(edits)))
    }

    /// How many pages the site has, as `gloss build` counts them: without
    /// the map tiles.
    pub fn page_count(&self) -> usize {
        self.pages.iter().filter(|p| !crate::map::is_tile(&p.path)).count()
    }

    /// Whether the search index in [`Site::pages`] predates the last update.
    pub fn search_index_is_stale(&self) -> bool {
        self.search_stale
    }

    /// The page (or map tile, or search index) at `path` from the root.
    pub fn page(&self, path: &str) -> Option<&crate::render::Page> {
        self.pages.iter().find(|p| p.path == path)
    }

    /// Renders the search index and its chunks of text again if an update
    /// made them stale.
    pub fn refresh_search_index(&mut self) {
        if !self.search_stale {
            return;
        }
        let mut ids = vec![PageId::SearchIndex];
        ids.extend((0..crate::search::chunk_count(&self.registry)).map(PageId::SearchText));
        let Ok(pages) = self.render(&ids) else { return };
        for page in pages {
            match self.pages.iter_mut().find(|p| p.path == page.path) {
                Some(old) => *old = page,
                None => self.pages.push(page),
            }
        }
        self.search_stale = false;
    }

    fn rebuild(&mut self, root: &Path) -> Result<Update, Diagnostics> {
        *self = render_site(root)?;
        Ok(Update::Full)
    }

    /// Reads and checks one changed file. `None`: it needs a full build;
    /// `Some(None)`: nothing changed.
    fn plan(&self, root: &Path, file: &Path) -> Result<Option<Option<Edit>>, Diagnostics> {
        let Some(slot) = self.sources.content.iter().position(|f| f.path == file) else { return Ok(None) };
        let Some(fresh) = load::read_one(root, file) else { return Ok(None) };
        let fresh = fresh?;
        if fresh.text == self.sources.content[slot].text {
            return Ok(Some(None));
        }
        let registry = &self.registry;
        let fail = |d: Vec<crate::diagnostic::Diagnostic>| Diagnostics(d);
        if let Some(a) = registry.articles.iter().position(|a| a.path == file) {
            let doc = parse::parse_article(file, &fresh.text).map_err(fail)?;
            let old = &registry.articles[a];
            if doc.slug != old.slug || doc.date != old.date || doc.route != old.route {
                return Ok(None);
            }
            let annotated = annotate::annotate_article(registry, &doc, &fresh.text, "../");
            if annotated.diagnostics.iter().any(|d| d.is_error()) {
                return Err(Diagnostics(annotated.diagnostics));
            }
            let change = Change::Article { index: a, doc: Box::new(doc), annotated: Box::new(annotated) };
            return Ok(Some(Some(Edit { slot, file: fresh, change })));
        }
        let Some(e) = registry.entities.iter().position(|x| x.path == file) else { return Ok(None) };
        let old = &registry.entities[e];
        let doc = parse::parse_entity(file, &fresh.text, &registry.config.kinds, old.kind).map_err(fail)?;
        // Names and aliases feed the matcher; references feed resolution:
        // a change to either needs the whole site.
        let references = |d: &crate::model::EntityDoc| -> Vec<String> {
            let facts = d.facts.iter().filter_map(|(_, f)| match &f.value {
                crate::model::FactValue::Entity(id) => Some(id.clone()),
                _ => None,
            });
            d.related.iter().map(|r| r.value.clone()).chain(facts).collect()
        };
        let names = |d: &crate::model::EntityDoc| -> Vec<String> {
            let sort = d.sort_as.iter().cloned();
            std::iter::once(&d.name).chain(&d.aliases).map(|a| a.value.clone()).chain(sort).collect()
        };
        if names(&doc) != names(old) || references(&doc) != references(old) {
            return Ok(None);
        }
        let (description, problems) =
            annotate::render_description(registry, file, &fresh.text, doc.body(&fresh.text), doc.body_offset);
        if problems.iter().any(|d| d.is_error()) {
            return Err(Diagnostics(problems));
        }
        let warnings = problems.into_iter().filter(|d| !d.is_error()).collect();
        let change = Change::Entity { index: e, doc: Box::new(doc), description, warnings };
        Ok(Some(Some(Edit { slot, file: fresh, change })))
    }

    /// Applies checked edits and re-renders the pages they touch.
    fn apply(&mut self, edits: Vec<Edit>) -> Vec<String> {
        let mut touched: BTreeSet<PageId> = BTreeSet::new();
        // Entities whose pages are drawn again, with how many pages they had
        // before: every page shows the entity's mention count.
        let mut entities: BTreeMap<usize, usize> = BTreeMap::new();
        let mut touch = |e: usize, pages: usize| {
            let before = entities.entry(e).or_insert(pages);
            *before = (*before).max(pages);
        };
        for edit in edits {
            self.sources.content[edit.slot] = edit.file;
            match edit.change {
                Change::Article { index: a, doc, annotated } => {
                    let cast = self.index.cast[a].iter().map(|m| m.entity);
                    for e in cast.chain(annotated.mentions.iter().flat_map(|m| m.entities.iter().copied())) {
                        touch(e, render::entity_page_count(&self.registry, &self.index, e));
                    }
                    let old_doc = std::mem::replace(&mut self.registry.articles[a], *doc);
                    let old = std::mem::replace(&mut self.articles[a], *annotated);
                    let recounted = self.index.replace_article(a, &old, &self.articles[a]);
                    let (doc, new) = (&self.registry.articles[a], &self.articles[a]);
                    touched.insert(PageId::Article(a));
                    // The kind indexes show mention and co-mention counts.
                    for e in recounted {
                        touched.insert(PageId::Kind(self.registry.entities[e].kind));
                    }
                    // The home page lists each article's title, byline,
                    // summary and number of mentions.
                    let listed =
                        |d: &crate::model::ArticleDoc| (d.title.value.clone(), d.byline.clone(), d.summary.clone());
                    if listed(&old_doc) != listed(doc) || old.mentions.len() != new.mentions.len() {
                        touched.insert(PageId::Home(render::home_page_of(&self.registry, a)));
                    }
                }
                Change::Entity { index: e, doc, description, warnings } => {
                    self.description_warnings[e] = warnings;
                    self.registry.entities[e] = *doc;
                    self.descriptions[e] = description;
                    touch(e, render::entity_page_count(&self.registry, &self.index, e));
                    touched.insert(PageId::Kind(self.registry.entities[e].kind));
                    for r in &self.index.mentions_of[e] {
                        touched.insert(PageId::Article(r.article));
                    }
                    // A place on an article's declared route is on its map.
                    let id = &self.registry.entities[e].id;
                    for (a, article) in self.registry.articles.iter().enumerate() {
                        if article.route.iter().any(|stop| &stop.value == id) {
                            touched.insert(PageId::Article(a));
                        }
                    }
                    for r in &self.index.related[e] {
                        touch(r.entity, render::entity_page_count(&self.registry, &self.index, r.entity));
                    }
                }
            }
        }
        // The forms an entity is mentioned by change with its mentions.
        self.index.refresh_forms(entities.keys().copied(), &self.articles);
        // The search index covers every text of the site: it is rebuilt when
        // asked for (refresh_search_index), not on every keystroke's save.
        self.search_stale = true;
        self.collect_warnings();

        // Pages an entity no longer needs are dropped.
        let mut gone: HashSet<String> = HashSet::new();
        for (&e, &before) in &entities {
            touched.extend(render::entity_pages(&self.registry, &self.index, e));
            let after = render::entity_page_count(&self.registry, &self.index, e);
            gone.extend((after..before).map(|n| render::entity_page_path(&self.registry, e, n)));
            // The sitemap lists every page.
            if after != before && self.registry.config.base_url.is_some() {
                touched.insert(PageId::Sitemap);
            }
        }
        self.pages.retain(|p| !gone.contains(&p.path));
        let ids: Vec<PageId> = touched.into_iter().collect();
        let input = RenderInput {
            registry: &self.registry,
            articles: &self.articles,
            index: &self.index,
            descriptions: &self.descriptions,
        };
        let pages = match render::render_pages(&self.templates, &input, &ids) {
            Ok(pages) => pages,
            Err(_) => return Vec::new(),
        };
        let positions: HashMap<String, usize> =
            self.pages.iter().enumerate().map(|(i, p)| (p.path.clone(), i)).collect();
        let mut paths = Vec::with_capacity(pages.len());
        for page in pages {
            // A tile already served is the same file: only new ones count.
            if crate::map::is_tile(&page.path) && positions.contains_key(&page.path) {
                continue;
            }
            paths.push(page.path.clone());
            match positions.get(&page.path) {
                Some(&i) => self.pages[i] = page,
                None => self.pages.push(page),
            }
        }
        paths
    }
}
