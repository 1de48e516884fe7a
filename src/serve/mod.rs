//! `gloss serve`: build, serve, watch, rebuild, reload.
//!
//! The pages are written, as they are rendered, to a folder private to the
//! server process (`.gloss/serve/<pid>`, see [`crate::pages`]), never to
//! `public/`, so serving cannot clobber a `gloss build` output; only each
//! page's id and path are kept in memory, so a large site is served in
//! about the memory `gloss build` needs. The folder is deleted when the
//! server stops (Ctrl-C), or by the next server if this one was killed.
//! Three parts, one module each:
//!
//! - `build`: one thread owns the [`Site`]. It watches `content/`,
//!   `templates/` and `static/`, brings the site up to date on every change
//!   and publishes an immutable [`Snapshot`] of what is to be served.
//! - `http`: the connections, on hyper over a single-threaded tokio
//!   runtime: a bounded number of them, with timeouts, keep-alive and
//!   pipelining.
//! - `respond`: what a request gets, read from the latest snapshot, so a
//!   request never waits on a rebuild; `events`, the stream that reloads
//!   open pages; `body`, the bodies sent.
//!
//! Open pages reload over server-sent events, keeping their scroll
//! position, and show an overlay with the diagnostics while the site does
//! not build.

mod body;
mod build;
mod events;
mod http;
mod respond;

use std::collections::HashMap;
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{mpsc, Arc};

use tokio::sync::watch;

use crate::diagnostic::{Code, Diagnostic};
use crate::pages::{PageFolder, ServeFolder};
use crate::routes::PageId;
use crate::Site;

/// Options of `gloss serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub open: bool,
    /// The base URL feeds link to; by default the server's own address, so
    /// the feeds served work as they are.
    pub base_url: Option<String>,
}

/// What is served, as of one build: published by the build thread after
/// every update, read by every request. Never changed once published.
struct Snapshot {
    /// Counts good builds: a change tells open pages to reload.
    generation: u64,
    /// The diagnostics of the last build, if it failed (the pages are then
    /// those of the last good build).
    error: Option<Arc<str>>,
    /// The pages whose file predates the last update (see
    /// [`Site::stale_pages`]): rendered when asked for.
    stale: Arc<std::collections::BTreeSet<PageId>>,
    files: Arc<Files>,
}

/// The files of a good build.
#[derive(Default)]
struct Files {
    /// Every page, map tile and search file, by path from the root: shared
    /// by every snapshot until pages appear or go.
    pages: Arc<HashMap<String, PageId>>,
    /// The [`crate::pages::Pages::layout`] of `pages`.
    layout: u64,
    /// The folder the pages are in (none before the first good build).
    folder: Option<Arc<PageFolder>>,
    /// Every file served as it is (`static/`, article folders' files,
    /// copies of images), by path from the root: where it is, from the site
    /// folder.
    copies: Arc<HashMap<String, PathBuf>>,
}

impl Files {
    /// The files of `site`; the map of pages of `last` is kept if the
    /// pages are still the same (at 100,000 pages, making it anew takes
    /// a while).
    fn of(site: &Site, copies: Arc<HashMap<String, PathBuf>>, last: &Files) -> Files {
        let layout = site.pages.layout();
        let pages = match layout == last.layout {
            true => Arc::clone(&last.pages),
            false => Arc::new(site.pages.iter().map(|(id, path)| (path.to_string(), id)).collect()),
        };
        Files { pages, layout, folder: site.pages.folder().cloned(), copies }
    }

    /// The files `site` serves as they are, by path from the root: copies
    /// of images are made now unless the cache has them.
    fn copies(site: &Site, root: &Path) -> Result<HashMap<String, PathBuf>, Diagnostic> {
        let copies = site.copies()?;
        Ok(copies
            .into_iter()
            .filter_map(|(to, from)| {
                let to = to.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                Some((to, from.strip_prefix(root).ok()?.to_path_buf()))
            })
            .collect())
    }
}

/// What every connection shares.
struct Shared {
    /// The site folder, canonical: static files are opened below it.
    root: PathBuf,
    /// The latest snapshot.
    site: watch::Receiver<Arc<Snapshot>>,
    /// Asks the build thread to render a stale page before it is served.
    builder: mpsc::Sender<build::Message>,
    /// The port served, and the address `--bind` names: what a request's
    /// `Host` may name.
    port: u16,
    bind: IpAddr,
    /// Open event streams, and how many may be open: the other
    /// connections always keep room.
    streams: AtomicUsize,
    max_streams: usize,
}

/// Builds, serves and watches until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), Diagnostic> {
    let io = |what: &str, e: std::io::Error| Diagnostic::error(Code::Io, format!("{what}: {e}"));
    let root = fs::canonicalize(&options.root)
        .map_err(|e| io(&format!("cannot open the site folder {}", options.root.display()), e))?;
    // The pages' folder, made before watching (making `.gloss` is no
    // change).
    let folder = ServeFolder::create(&root).map_err(|e| io("cannot make a folder for the pages", e))?;
    stop_on_signal(folder.clone()).map_err(|e| Diagnostic::error(Code::Io, format!("cannot handle Ctrl-C: {e}")))?;
    // Every thread is made here, before serving; none is made per
    // connection or per request, so none can be missing later.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("gloss-render-{i}"))
        .build()
        .map_err(|e| Diagnostic::error(Code::Io, format!("cannot start the threads that build the site: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| io("cannot start the server", e))?;

    // Watch before the first build, so that no change is missed between.
    let (messages, inbox) = mpsc::channel();
    let watcher = build::Watcher::start(&root, messages.clone())?;
    let listener = {
        let _entered = runtime.enter();
        http::bind(options.bind, options.port)?
    };
    let address = listener.local_addr().map_err(|e| io("cannot listen", e))?;
    let url = format!("http://{address}/");
    // Drafts are shown (with their banner) while writing.
    let site_options =
        crate::SiteOptions { drafts: true, base_url: Some(options.base_url.clone().unwrap_or(url.clone())) };
    let (builder, site) = build::Builder::start(root.clone(), pool, site_options, folder.clone());
    let limit = http::connection_limit();
    let shared = Arc::new(Shared {
        root: root.clone(),
        site,
        builder: messages,
        port: address.port(),
        bind: options.bind,
        streams: AtomicUsize::new(0),
        max_streams: (limit / 2).max(1),
    });
    std::thread::Builder::new()
        .name("gloss-build".into())
        .spawn(move || builder.run(watcher, &inbox))
        .map_err(|e| io("cannot start the thread that rebuilds the site", e))?;

    eprintln!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if !options.bind.is_loopback() {
        eprintln!("warning: listening on {}: anyone on your network can read this site", options.bind);
    }
    if options.open {
        open_browser(&url);
    }
    runtime.block_on(http::run(listener, shared, limit));
    folder.remove();
    Ok(())
}

/// Deletes the pages' folder when the server is stopped (Ctrl-C, `kill`,
/// the terminal closed), then ends the process with the status a shell
/// gives a program stopped by Ctrl-C.
fn stop_on_signal(folder: ServeFolder) -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(move || {
        folder.remove();
        std::process::exit(130);
    })
}

/// Opens `url` in the default browser, if the platform has a way.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}
