//! The rendered pages of a site, and where they live.
//!
//! [`crate::render_site`] (and so `gloss check` and the tests) holds every
//! page in memory. `gloss serve` cannot: at 100,000 articles the pages are
//! some 11 GB. Its pages are written to a folder of its own as they are
//! rendered (see [`folder`]), and only each page's id and path are kept in
//! memory. An update tells whether a page rendered anew changed by
//! comparing it with its file, and replaces the file atomically.

mod folder;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub(crate) use folder::{PageFolder, ServeFolder};

use crate::render::Page;
use crate::routes::PageId;

/// Where the pages of a site are to be put.
#[derive(Clone)]
pub(crate) enum Place {
    /// Held in memory, every byte.
    Memory,
    /// Written to a fresh folder in this server's folder.
    Folder(ServeFolder),
}

/// Every output file of a site (pages, map tiles, search and data files).
pub(crate) struct Pages {
    store: Store,
    /// Where each page is in the store.
    positions: HashMap<PageId, usize>,
    /// Changes whenever a page appears or goes (and is unique to these
    /// pages): `gloss serve` keeps its map of paths while it stays.
    layout: u64,
}

enum Store {
    Memory(Vec<Arc<Page>>),
    Folder {
        /// The page files, and the server's folder it is in (where a full
        /// rebuild puts the next).
        folder: Arc<PageFolder>,
        serve: ServeFolder,
        /// Each page's id and path from the root.
        pages: Vec<(PageId, String)>,
    },
}

/// A stamp no other set of pages has.
fn fresh_layout() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Pages {
    /// No pages yet, to be held in memory.
    pub(crate) fn in_memory() -> Pages {
        Pages { store: Store::Memory(Vec::new()), positions: HashMap::new(), layout: fresh_layout() }
    }

    /// Pages already written to `folder`: `(id, path)`, in order.
    pub(crate) fn in_folder(folder: Arc<PageFolder>, serve: ServeFolder, pages: Vec<(PageId, String)>) -> Pages {
        let positions = pages.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
        Pages { store: Store::Folder { folder, serve, pages }, positions, layout: fresh_layout() }
    }

    /// Where pages built anew from the same site go.
    pub(crate) fn place(&self) -> Place {
        match &self.store {
            Store::Memory(_) => Place::Memory,
            Store::Folder { serve, .. } => Place::Folder(serve.clone()),
        }
    }

    /// The folder the pages are in, if they are not in memory.
    pub(crate) fn folder(&self) -> Option<&Arc<PageFolder>> {
        match &self.store {
            Store::Memory(_) => None,
            Store::Folder { folder, .. } => Some(folder),
        }
    }

    /// See [`Pages::layout`](field@Pages::layout).
    pub(crate) fn layout(&self) -> u64 {
        self.layout
    }

    /// Every page's id and path, in order.
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = (PageId, &str)> + '_> {
        match &self.store {
            Store::Memory(pages) => Box::new(pages.iter().map(|p| (p.id, p.path.as_str()))),
            Store::Folder { pages, .. } => Box::new(pages.iter().map(|(id, path)| (*id, path.as_str()))),
        }
    }

    /// The pages held in memory; none when they are in a folder.
    pub(crate) fn held(&self) -> &[Arc<Page>] {
        match &self.store {
            Store::Memory(pages) => pages,
            Store::Folder { .. } => &[],
        }
    }

    /// Every page, read from the folder if need be.
    pub(crate) fn all(&self) -> io::Result<Cow<'_, [Arc<Page>]>> {
        match &self.store {
            Store::Memory(pages) => Ok(Cow::Borrowed(pages)),
            Store::Folder { folder, pages, .. } => pages
                .iter()
                .map(|(id, path)| Ok(Arc::new(Page { id: *id, path: path.clone(), html: folder.read_text(path)? })))
                .collect::<io::Result<Vec<_>>>()
                .map(Cow::Owned),
        }
    }

    /// The page at `path` from the root.
    pub(crate) fn get(&self, path: &str) -> Option<Arc<Page>> {
        match &self.store {
            Store::Memory(pages) => pages.iter().find(|p| p.path == path).cloned(),
            Store::Folder { folder, pages, .. } => {
                let (id, path) = pages.iter().find(|(_, p)| p == path)?;
                let html = folder.read_text(path).ok()?;
                Some(Arc::new(Page { id: *id, path: path.clone(), html }))
            }
        }
    }

    /// Puts a page in place of the page of the same id, or adds it. True
    /// when its bytes differ from those it replaces (or it is new); a page
    /// file is only written then, atomically.
    pub(crate) fn put(&mut self, page: Page) -> io::Result<bool> {
        let position = self.positions.get(&page.id).copied();
        let changed = match &mut self.store {
            Store::Memory(pages) => {
                let changed = position.is_none_or(|i| pages[i].html != page.html);
                match position {
                    Some(i) => pages[i] = Arc::new(page),
                    None => {
                        self.positions.insert(page.id, pages.len());
                        pages.push(Arc::new(page));
                    }
                }
                changed
            }
            Store::Folder { folder, pages, .. } => {
                let changed = position.is_none() || !folder.holds(&page.path, page.html.as_bytes());
                if changed {
                    folder.replace(&page.path, page.html.as_bytes())?;
                }
                if position.is_none() {
                    self.positions.insert(page.id, pages.len());
                    pages.push((page.id, page.path));
                }
                changed
            }
        };
        if position.is_none() {
            self.layout = fresh_layout();
        }
        Ok(changed)
    }

    /// Keeps only the pages `keep` wants; returns the paths of those that
    /// went (their files deleted).
    pub(crate) fn retain(&mut self, keep: impl Fn(PageId) -> bool) -> io::Result<Vec<(PageId, String)>> {
        let gone: Vec<(PageId, String)> =
            self.iter().filter(|(id, _)| !keep(*id)).map(|(id, path)| (id, path.to_string())).collect();
        if gone.is_empty() {
            return Ok(gone);
        }
        match &mut self.store {
            Store::Memory(pages) => pages.retain(|p| keep(p.id)),
            Store::Folder { folder, pages, .. } => {
                for (_, path) in &gone {
                    folder.remove(path)?;
                }
                pages.retain(|(id, _)| keep(*id));
            }
        }
        self.positions = self.iter().enumerate().map(|(i, (id, _))| (id, i)).collect();
        self.layout = fresh_layout();
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: PageId, path: &str, html: &str) -> Page {
        Page { id, path: path.into(), html: html.into() }
    }

    #[test]
    fn a_folder_holds_the_bytes_and_memory_only_ids_and_paths() {
        let root = tempfile::tempdir().unwrap();
        let serve = ServeFolder::create(root.path()).unwrap();
        let folder = serve.fresh().unwrap();
        let dir = folder.path().to_path_buf();
        let mut pages = Pages::in_folder(folder, serve, Vec::new());
        assert!(pages.put(page(PageId::Home(0), "index.html", "<p>one</p>")).unwrap());
        assert!(pages.put(page(PageId::NotFound, "404.html", "<p>gone</p>")).unwrap());
        assert!(pages.held().is_empty(), "no page is held in memory");
        assert_eq!(std::fs::read_to_string(dir.join("index.html")).unwrap(), "<p>one</p>");
        let layout = pages.layout();

        // The same bytes again: no change, and the file is not written.
        let written = std::fs::metadata(dir.join("index.html")).unwrap().modified().unwrap();
        assert!(!pages.put(page(PageId::Home(0), "index.html", "<p>one</p>")).unwrap());
        assert_eq!(std::fs::metadata(dir.join("index.html")).unwrap().modified().unwrap(), written);
        assert!(pages.put(page(PageId::Home(0), "index.html", "<p>two</p>")).unwrap());
        assert_eq!(std::fs::read_to_string(dir.join("index.html")).unwrap(), "<p>two</p>");
        assert_eq!(pages.get("index.html").unwrap().html, "<p>two</p>");
        assert_eq!(pages.layout(), layout, "the same pages");

        let gone = pages.retain(|id| id != PageId::NotFound).unwrap();
        assert_eq!(gone, vec![(PageId::NotFound, "404.html".to_string())]);
        assert!(!dir.join("404.html").exists());
        assert_ne!(pages.layout(), layout);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["index.html"], "no temporary file is left");
        drop(pages);
        assert!(!dir.exists(), "the folder goes with its pages");
    }

    #[test]
    fn a_site_built_into_a_folder_holds_no_page_and_has_the_same_pages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-articles");
        let options = crate::SiteOptions::default();
        let held = crate::render_site_in(&root, &options, Place::Memory).unwrap();
        let temporary = tempfile::tempdir().unwrap();
        let serve = ServeFolder::create(temporary.path()).unwrap();
        let site = crate::render_site_in(&root, &options, Place::Folder(serve)).unwrap();
        assert!(site.pages().is_empty(), "no page is held in memory");
        assert!(!held.pages().is_empty());
        assert_eq!(site.page_count(), held.page_count());
        let read: Vec<(PageId, String)> = site.pages.iter().map(|(id, path)| (id, path.to_string())).collect();
        let kept: Vec<(PageId, String)> = held.pages().iter().map(|p| (p.id, p.path.clone())).collect();
        assert_eq!(read, kept, "the same pages in the same order");
        for page in held.pages() {
            assert_eq!(site.page(&page.path).unwrap().html, page.html, "{}", page.path);
        }
        assert_eq!(site.check(), held.check(), "checked alike");
    }

    #[test]
    fn memory_holds_every_page() {
        let mut pages = Pages::in_memory();
        assert!(pages.put(page(PageId::Home(0), "index.html", "a")).unwrap());
        assert!(!pages.put(page(PageId::Home(0), "index.html", "a")).unwrap());
        assert_eq!(pages.held().len(), 1);
        assert!(pages.folder().is_none());
    }
}
