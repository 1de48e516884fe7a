//! The build thread: owns the [`Site`], watches its sources, brings it up
//! to date on every change and publishes a [`Snapshot`] after each update.
//!
//! It recovers from anything the folders go through:
//!
//! - After a failed update the files that failed are read again with the
//!   next change, so saving the last good text again clears the error (an
//!   update that finds nothing changed would otherwise say nothing).
//! - A source folder deleted and created again, or replaced, is watched
//!   again and the site built whole; the terminal says so. The site root is
//!   watched too (not recursively) to see a folder come back, and the
//!   folders are checked every two seconds in case an event was missed.
//! - Symbolic links inside the folders are not followed by the watcher, so
//!   a link to `/usr` adds no watches, and a folder that cannot be watched
//!   is reported, not fatal.
//! - Events lost to a full queue build the site whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, NoCache};
use tokio::sync::{oneshot, watch};

use super::{Files, Snapshot};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::incremental::Update;
use crate::pages::{Place, ServeFolder};
use crate::routes::PageId;
use crate::{Site, SiteOptions};

/// What the build thread is asked to do.
pub(super) enum Message {
    /// A debounced batch of changed paths; `rescan` when events may have
    /// been lost.
    Changed { at: Instant, paths: Vec<PathBuf>, rescan: bool },
    /// A stale page (see [`Site::stale_pages`]) was asked for: render it,
    /// then answer.
    Refresh(PageId, oneshot::Sender<()>),
}

/// The folders gloss reads.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How often the folders are looked at without an event.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// How many stale pages are rendered at a time in the background: a
/// request waits for at most one such batch.
const BACKGROUND_BATCH: usize = 32;

/// The watches on the site's folders.
pub(super) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, NoCache>,
    root: PathBuf,
    /// For each of [`FOLDERS`]: the directory watched there, if any, and
    /// whether one was ever there.
    watched: [(Option<Identity>, bool); 3],
}

impl Watcher {
    /// Watches the site's folders; every debounced batch of changes is sent
    /// as one message.
    pub(super) fn start(root: &Path, messages: Sender<Message>) -> Result<Watcher, Diagnostic> {
        let handler = move |result: DebounceEventResult| {
            let message = match result {
                // Reading the site to rebuild it shows up as access events:
                // only changes count, or every build would trigger the next.
                Ok(events) => {
                    let paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| {
                            matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                        })
                        .flat_map(|e| e.paths.iter().cloned())
                        .collect();
                    let rescan = events.iter().any(|e| e.need_rescan());
                    if paths.is_empty() && !rescan {
                        return;
                    }
                    Message::Changed { at: Instant::now(), paths, rescan }
                }
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: watching the site: {error}");
                    }
                    Message::Changed { at: Instant::now(), paths: Vec::new(), rescan: true }
                }
            };
            let _ = messages.send(message);
        };
        // No file-id cache: it only pairs renames, and it walks folders
        // following links.
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut debouncer = new_debouncer_opt(Duration::from_millis(30), None, handler, NoCache, config)
            .map_err(|e| Diagnostic::error(Code::Io, format!("cannot watch the site for changes: {e}")))?;
        if let Err(e) = debouncer.watch(root, RecursiveMode::NonRecursive) {
            eprintln!(
                "warning: cannot watch {}: {e}; a source folder deleted and made again is only seen within {} s",
                root.display(),
                CHECK_EVERY.as_secs()
            );
        }
        let mut watcher = Watcher { debouncer, root: root.to_path_buf(), watched: [(None, false); 3] };
        watcher.check();
        Ok(watcher)
    }

    /// Watches again every folder that appeared, came back or was replaced
    /// since it was last watched. True if any did, or went: the site must
    /// then be built whole.
    fn check(&mut self) -> bool {
        let mut moved = false;
        for (folder, (watched, seen)) in FOLDERS.iter().zip(self.watched.iter_mut()) {
            let path = self.root.join(folder);
            let now = Identity::of(&path);
            if now == *watched {
                continue;
            }
            moved = true;
            if watched.is_some() {
                // Gone with its folder, or watching what was renamed away.
                let _ = self.debouncer.unwatch(&path);
            }
            match now {
                None => eprintln!("{folder}/ is gone; it will be watched again when it is back."),
                Some(_) => {
                    if *seen {
                        eprintln!("{folder}/ is back: watching it again.");
                    }
                    if let Err(e) = self.debouncer.watch(&path, RecursiveMode::Recursive) {
                        eprintln!("warning: cannot watch {folder}/: {e}; changes in it may go unseen");
                    }
                    *seen = true;
                }
            }
            *watched = now;
        }
        moved
    }
}

/// Which directory is at a path: a folder deleted and made again is
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity(u64, u64);

impl Identity {
    fn of(path: &Path) -> Option<Identity> {
        let metadata = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Identity(metadata.dev(), metadata.ino()))
        }
        #[cfg(not(unix))]
        {
            let created = metadata.created().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            Some(Identity(created.map_or(0, |d| d.as_secs()), created.map_or(0, |d| d.subsec_nanos().into())))
        }
    }
}

/// The site and what was last published of it.
pub(super) struct Builder {
    root: PathBuf,
    options: SiteOptions,
    /// Builds run here, on threads made before serving.
    pool: rayon::ThreadPool,
    /// Where full builds put their pages.
    folder: ServeFolder,
    /// The last good build, if there was one.
    site: Option<Site>,
    /// Files of failed updates: read again with the next change.
    failed: Vec<PathBuf>,
    generation: u64,
    error: Option<Arc<str>>,
    files: Arc<Files>,
    /// The stale pages last published.
    stale: Arc<BTreeSet<PageId>>,
    publish: watch::Sender<Arc<Snapshot>>,
}

impl Builder {
    /// Builds the site whole and publishes it (or its errors).
    pub(super) fn start(
        root: PathBuf,
        pool: rayon::ThreadPool,
        options: SiteOptions,
        folder: ServeFolder,
    ) -> (Builder, watch::Receiver<Arc<Snapshot>>) {
        let empty = Snapshot { generation: 0, error: None, stale: Arc::default(), files: Arc::default() };
        let (publish, site) = watch::channel(Arc::new(empty));
        let mut builder = Builder {
            root,
            options,
            pool,
            folder,
            site: None,
            failed: Vec::new(),
            generation: 0,
            error: None,
            files: Arc::default(),
            stale: Arc::default(),
            publish,
        };
        builder.rebuild(Vec::new(), true);
        (builder, site)
    }

    /// Rebuilds on every change until the server is gone; between
    /// changes, renders the pages an update left stale.
    pub(super) fn run(mut self, mut watcher: Watcher, inbox: &Receiver<Message>) {
        loop {
            // Stale pages to render: look for messages without waiting.
            let wait = match self.stale_left() {
                true => Duration::ZERO,
                false => CHECK_EVERY,
            };
            let first = match inbox.recv_timeout(wait) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if first.is_none() && self.stale_left() {
                self.refresh_some();
                continue;
            }
            // Everything that arrived while the last build ran is one batch.
            let (mut changed, mut since, mut rescan, mut waiting) = (Vec::new(), None, false, Vec::new());
            for message in first.into_iter().chain(std::iter::from_fn(|| inbox.try_recv().ok())) {
                match message {
                    Message::Changed { at, paths, rescan: lost } => {
                        since = Some(since.map_or(at, |s: Instant| s.min(at)));
                        changed.extend(paths);
                        rescan |= lost;
                    }
                    Message::Refresh(id, reply) => waiting.push((id, reply)),
                }
            }
            let moved = watcher.check();
            if since.is_some() || moved || rescan {
                self.rebuild(changed, moved || rescan);
                if let Some(since) = since {
                    eprintln!("  done {} ms after the change", since.elapsed().as_millis());
                }
            }
            if !waiting.is_empty() {
                let ids: Vec<PageId> = waiting.iter().map(|(id, _)| *id).collect();
                self.refresh(&ids);
                for (_, reply) in waiting {
                    let _ = reply.send(());
                }
            }
        }
    }

    /// Whether stale pages are left to render in the background (the
    /// whole-site files wait to be asked for).
    fn stale_left(&self) -> bool {
        self.site.as_ref().is_some_and(|site| site.background_pages() > 0)
    }

    /// Brings the site up to date: only the pages that depend on the
    /// changed files when that is possible, else the whole site
    /// (`whole`, or no good build yet). Publishes the outcome.
    fn rebuild(&mut self, changed: Vec<PathBuf>, whole: bool) {
        let started = Instant::now();
        let mut paths = std::mem::take(&mut self.failed);
        paths.extend(changed);
        paths.sort();
        paths.dedup();
        let (root, options, place) = (&self.root, &self.options, Place::Folder(self.folder.clone()));
        let outcome = match self.site.as_mut() {
            Some(site) if !whole => self.pool.install(|| site.update(root, &paths)),
            _ => self.pool.install(|| crate::render_site_in(root, options, place)).map(|site| {
                self.site = Some(site);
                Update::Full
            }),
        };
        match outcome {
            // Nothing gloss reads has changed, and nothing was wrong.
            Ok(Update::Pages(pages))
                if pages.is_empty()
                    && self.error.is_none()
                    && self.site.as_ref().is_none_or(|site| *site.stale_pages() == *self.stale) => {}
            Ok(update) => {
                let Some(site) = self.site.as_ref() else { return };
                let copies = match self.pool.install(|| Files::copies(site, &self.root)) {
                    Ok(copies) => Arc::new(copies),
                    Err(problem) => return self.failed(paths, &Diagnostics(vec![problem])),
                };
                let mut rendered = match update {
                    Update::Pages(paths) => format!("{} of {} pages", paths.len(), site.page_count()),
                    Update::Full => format!("{} pages", site.page_count()),
                };
                let later = site.background_pages();
                if later > 0 {
                    rendered.push_str(&format!(" ({later} more to render, first those asked for)"));
                }
                for warning in &site.warnings.0 {
                    eprintln!("{}\n", warning.render(false));
                }
                eprintln!("Built {}: {rendered} in {} ms", site.describe(), started.elapsed().as_millis());
                self.files = Arc::new(Files::of(site, copies, &self.files));
                self.error = None;
                self.generation += 1;
                self.publish();
            }
            Err(diagnostics) => self.failed(paths, &diagnostics),
        }
    }

    /// An update failed: its files are read again with the next change, and
    /// open pages show why.
    fn failed(&mut self, paths: Vec<PathBuf>, diagnostics: &Diagnostics) {
        self.failed = paths;
        let report = report(diagnostics);
        eprintln!("{report}\nThe last good version of the site is still being served.");
        self.error = Some(report.into());
        self.publish();
    }

    /// Renders the stale pages among `ids` (see [`Site::refresh`]).
    fn refresh(&mut self, ids: &[PageId]) {
        let Some(site) = self.site.as_mut() else { return };
        match self.pool.install(|| site.refresh(ids)) {
            Ok(()) => self.published_pages(),
            Err(diagnostics) => self.failed(Vec::new(), &diagnostics),
        }
    }

    /// Renders a batch of the pages an update left stale.
    fn refresh_some(&mut self) {
        let Some(site) = self.site.as_mut() else { return };
        match self.pool.install(|| site.refresh_some(BACKGROUND_BATCH)) {
            Ok(()) if site.background_pages() == 0 => {
                eprintln!("  every page rendered");
                self.published_pages();
            }
            Ok(()) => self.published_pages(),
            Err(diagnostics) => self.failed(Vec::new(), &diagnostics),
        }
    }

    /// Publishes the pages as they are now, with no reload: the pages
    /// brought up to date were stale, not changed since the last reload.
    fn published_pages(&mut self) {
        let Some(site) = self.site.as_ref() else { return };
        self.files = Arc::new(Files::of(site, Arc::clone(&self.files.copies), &self.files));
        self.publish();
    }

    fn publish(&mut self) {
        if let Some(site) = self.site.as_ref() {
            if *site.stale_pages() != *self.stale {
                self.stale = Arc::new(site.stale_pages().clone());
            }
        }
        self.publish.send_replace(Arc::new(Snapshot {
            generation: self.generation,
            error: self.error.clone(),
            stale: Arc::clone(&self.stale),
            files: Arc::clone(&self.files),
        }));
    }
}

fn report(diagnostics: &Diagnostics) -> String {
    let mut text: Vec<String> = diagnostics.0.iter().map(|d| d.render(false)).collect();
    text.push(format!("{} error(s): the site was not rebuilt", diagnostics.error_count()));
    text.join("\n\n")
}
