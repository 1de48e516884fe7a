//! `gloss serve`: build in memory, serve, watch, rebuild, reload.
//!
//! The site is built into memory (never onto disk, so it cannot clobber a
//! `gloss build` output) and served by a small HTTP/1.1 server on the
//! standard library: GET and HEAD of known paths only. A request can only
//! ever name a page of the in-memory site or a file listed from `static/`
//! when the site was loaded, so there is no path to traverse. A watcher on
//! `content/`, `templates/` and `static/` rebuilds on change; open pages
//! reload over server-sent events, keeping their scroll position, and show
//! an overlay with the diagnostics while the site does not build.

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::incremental::Update;
use crate::write::DEFAULT_STATIC;
use crate::Site;

/// Options of `gloss serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    pub open: bool,
}

/// Path of the event stream open pages listen to.
const EVENTS_PATH: &str = "/__gloss/events";

/// The script injected into every served page (never into built output).
const RELOAD_SCRIPT: &str = include_str!("serve_reload.js");

/// What is served besides the pages of the site.
struct Served {
    /// Files listed under `static/` when the site was last built.
    static_files: HashSet<String>,
    /// The diagnostics of the last failed build, if the last build failed.
    error: Option<String>,
}

/// Everything the server threads share.
struct Shared {
    root: PathBuf,
    /// The last good build. Its pages are served from here, copied out per
    /// request, so a large site is held in memory once; an update holds the
    /// lock while it renders the pages it changes.
    build: RwLock<Option<Site>>,
    served: RwLock<Served>,
    /// One sender per open event stream.
    listeners: Mutex<Vec<Sender<String>>>,
}

/// Builds, serves and watches until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), Diagnostic> {
    let root = fs::canonicalize(&options.root).map_err(|e| {
        Diagnostic::error(Code::Io, format!("cannot open the site folder {}: {e}", options.root.display()))
    })?;
    let shared = Arc::new(Shared {
        root: root.clone(),
        build: RwLock::new(None),
        served: RwLock::new(Served { static_files: HashSet::new(), error: None }),
        listeners: Mutex::new(Vec::new()),
    });
    rebuild(&shared, &[]);

    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|e| Diagnostic::error(Code::Io, e.to_string()))?;
    let url = format!("http://{address}/");
    eprintln!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    if !options.bind.is_loopback() {
        eprintln!("warning: listening on {}: anyone on your network can read this site", options.bind);
    }
    if options.open {
        open_browser(&url);
    }

    let (changes, changed) = mpsc::channel();
    let _watcher = watch(&root, changes)?;
    let rebuilder = Arc::clone(&shared);
    thread::spawn(move || rebuild_on_change(&rebuilder, &changed));

    for stream in listener.incoming().flatten() {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
    Ok(())
}

/// Binds `port`, or the next free one if it is taken.
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    let tries = if port == 0 { 1 } else { 20 };
    for offset in 0..tries {
        let candidate = port.saturating_add(offset);
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("Port {port} is taken; using {candidate} instead.");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(Diagnostic::error(Code::Io, format!("cannot listen on {ip}:{candidate}: {e}"))),
        }
    }
    Err(Diagnostic::error(Code::Io, format!("ports {port} to {} are all taken", port.saturating_add(tries - 1)))
        .with_hint("pass another --port, or --port 0 for any free port"))
}

/// Watches the site's sources; every debounced batch of changes sends one
/// message.
fn watch(root: &Path, changes: Sender<(Instant, Vec<PathBuf>)>) -> Result<impl Drop, Diagnostic> {
    let mut debouncer = new_debouncer(Duration::from_millis(30), None, move |result: DebounceEventResult| {
        // Reading the site to rebuild it shows up as access events: only
        // changes count, or every build would trigger the next.
        let Ok(events) = result else { return };
        let paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)))
            .flat_map(|e| e.paths.iter().cloned())
            .collect();
        if !paths.is_empty() {
            let _ = changes.send((Instant::now(), paths));
        }
    })
    .map_err(|e| Diagnostic::error(Code::Io, format!("cannot watch the site for changes: {e}")))?;
    for folder in ["content", "templates", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Diagnostic::error(Code::Io, format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    Ok(debouncer)
}

fn rebuild_on_change(shared: &Shared, changed: &Receiver<(Instant, Vec<PathBuf>)>) {
    while let Ok((first, mut paths)) = changed.recv() {
        // Coalesce changes that arrived while the last build ran.
        while let Ok((_, more)) = changed.try_recv() {
            paths.extend(more);
        }
        rebuild(shared, &paths);
        eprintln!("  done {} ms after the change", first.elapsed().as_millis());
    }
}

/// Brings the served site up to date: only the pages that depend on the
/// changed files when that is possible, else the whole site. Every open page
/// is told the outcome.
fn rebuild(shared: &Shared, changed: &[PathBuf]) {
    let started = Instant::now();
    let mut build = shared.build.write().expect("no thread panics holding the lock");
    let outcome = match build.as_mut() {
        Some(site) if !changed.is_empty() => site.update(&shared.root, changed),
        _ => {
            // A whole build renders without the lock: the last good site is
            // served meanwhile.
            drop(build);
            let site = crate::render_site(&shared.root);
            build = shared.build.write().expect("no thread panics holding the lock");
            site.map(|site| {
                *build = Some(site);
                Update::Full
            })
        }
    };
    if matches!(&outcome, Ok(Update::Pages(paths)) if paths.is_empty()) {
        return; // nothing gloss reads has changed
    }
    match (outcome, build.as_ref()) {
        (Ok(update), Some(site)) => {
            let rendered = match update {
                Update::Pages(paths) => format!("{} of {} pages", paths.len(), site.page_count()),
                Update::Full => format!("{} pages", site.page_count()),
            };
            let static_files = site.sources.static_files.iter().map(|p| p.to_string_lossy().replace('\\', "/"));
            *shared.served.write().expect("no thread panics holding the lock") =
                Served { static_files: static_files.collect(), error: None };
            for warning in &site.warnings.0 {
                eprintln!("{}\n", warning.render(false));
            }
            eprintln!("Built {}: {rendered} in {} ms", site.describe(), started.elapsed().as_millis());
            drop(build);
            broadcast(shared, "reload", "");
        }
        (Ok(_), None) => {}
        (Err(diagnostics), _) => {
            drop(build);
            let report = report(&diagnostics);
            eprintln!("{report}\nThe last good version of the site is still being served.");
            shared.served.write().expect("no thread panics holding the lock").error = Some(report.clone());
            broadcast(shared, "failed", &report);
        }
    }
}

fn report(diagnostics: &Diagnostics) -> String {
    let mut text: Vec<String> = diagnostics.0.iter().map(|d| d.render(false)).collect();
    text.push(format!("{} error(s): the site was not rebuilt", diagnostics.error_count()));
    text.join("\n\n")
}

/// Sends an event to every open page, dropping pages that went away.
fn broadcast(shared: &Shared, event: &str, data: &str) {
    let message = sse_message(event, data);
    shared.listeners.lock().expect("no thread panics holding the lock").retain(|l| l.send(message.clone()).is_ok());
}

fn sse_message(event: &str, data: &str) -> String {
    let mut message = format!("event: {event}\n");
    for line in data.split('\n') {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    message
}

/// A page as served: HTML pages get the reload script; the search index
/// and the map tiles are served as they are (a script after them would
/// break them).
fn served_page(page: &crate::render::Page) -> Vec<u8> {
    let bytes = if page.path.ends_with(".html") { inject_reload(&page.html) } else { page.html.clone() };
    bytes.into_bytes()
}

/// Inserts the reload script before the last `</body>`.
fn inject_reload(html: &str) -> String {
    let script = format!("<script>{RELOAD_SCRIPT}</script>\n");
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// A parsed request: method and target path.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
}

/// Reads the request line and headers. `None` for anything malformed.
fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return None;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        if header.trim_end().is_empty() {
            break;
        }
    }
    Some(Request { method: method.to_string(), target: target.to_string() })
}

/// What a request path asks for, after decoding; `None` when it tries to
/// leave the site (`..`, encoded or not) or is not a plain path.
pub(crate) fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next()?;
    let path = path.strip_prefix('/')?;
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return None;
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return None;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        return Some(format!("{decoded}index.html"));
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(request) = read_request(&mut stream) else {
        return respond(&mut stream, 400, "text/plain; charset=utf-8", b"Bad request\n", true);
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        return respond(&mut stream, 405, "text/plain; charset=utf-8", b"Only GET and HEAD\n", true);
    }
    if request.target.split('?').next() == Some(EVENTS_PATH) {
        return stream_events(stream, shared);
    }
    let Some(path) = site_path(&request.target) else {
        return respond(&mut stream, 403, "text/plain; charset=utf-8", b"Forbidden\n", !head_only);
    };
    let (status, body) = match lookup(shared, &path) {
        Some(body) => (200, body),
        None => (404, not_found(shared)),
    };
    let content_type = if status == 404 { "text/html; charset=utf-8" } else { content_type(&path) };
    respond(&mut stream, status, content_type, &body, !head_only)
}

/// The bytes of a site path: a file under `static/` that was listed when
/// the site was loaded (symlinks refused), a page, or a default static file.
fn lookup(shared: &Shared, path: &str) -> Option<Vec<u8>> {
    if shared.served.read().expect("no thread panics holding the lock").static_files.contains(path) {
        let file = shared.root.join("static").join(path);
        let metadata = fs::symlink_metadata(&file).ok()?;
        return metadata.is_file().then(|| fs::read(&file).ok()).flatten();
    }
    // The search index is brought up to date when asked for, not on every
    // save.
    let stale_search = |build: &Option<Site>| {
        build
            .as_ref()
            .is_some_and(|site| site.search_index_is_stale() && site.page(path).is_some_and(|page| page.id.is_search()))
    };
    if stale_search(&shared.build.read().expect("no thread panics holding the lock")) {
        if let Some(site) = shared.build.write().expect("no thread panics holding the lock").as_mut() {
            site.refresh_search_index();
        }
    }
    let build = shared.build.read().expect("no thread panics holding the lock");
    match build.as_ref().and_then(|site| site.page(path)) {
        Some(page) => Some(served_page(page)),
        None => DEFAULT_STATIC.iter().find(|(name, _)| *name == path).map(|(_, bytes)| bytes.to_vec()),
    }
}

/// The site's own 404 page when it has one, else a plain one.
fn not_found(shared: &Shared) -> Vec<u8> {
    let build = shared.build.read().expect("no thread panics holding the lock");
    match build.as_ref().and_then(|site| site.page("404.html")) {
        Some(page) => {
            // Served at any depth: make its relative links start from the root.
            let html = inject_reload(&page.html).replacen("<head>", "<head>\n<base href=\"/\">", 1);
            html.into_bytes()
        }
        None => inject_reload(
            "<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p><a href=\"/\">Home</a></p></body>",
        )
        .into_bytes(),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Holds an event stream open; sends the current state first, so a page
/// opened while the site is broken shows the overlay at once.
fn stream_events(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (sender, receiver) = mpsc::channel::<String>();
    let current = shared.served.read().expect("no thread panics holding the lock").error.clone();
    shared.listeners.lock().expect("no thread panics holding the lock").push(sender);
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    stream.write_all(b"retry: 500\n\n")?;
    if let Some(report) = current {
        stream.write_all(sse_message("failed", &report).as_bytes())?;
    }
    stream.flush()?;
    loop {
        match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            // A comment line keeps proxies from closing an idle stream and
            // tells us when the page has gone.
            Err(mpsc::RecvTimeoutError::Timeout) => stream.write_all(b": keep-alive\n\n")?,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        stream.flush()?;
    }
}

/// The Content-Type for a path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(site_path("/"), Some("index.html".into()));
        assert_eq!(site_path("/people/"), Some("people/index.html".into()));
        assert_eq!(site_path("/people/kim-jong-il.html?x=1#m"), Some("people/kim-jong-il.html".into()));
        assert_eq!(site_path("/K%C3%B6ln.html"), Some("Köln.html".into()));
        for evil in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/people/%2E%2E/%2e%2e/x", "//etc/passwd", "/a\\..\\b"] {
            assert_eq!(site_path(evil), None, "{evil}");
        }
        assert_eq!(site_path("http://example.org/x"), None);
        assert_eq!(site_path("/%zz"), None);
        assert_eq!(site_path("/%00"), None);
    }

    #[test]
    fn reload_script_goes_before_the_body_end() {
        let html = inject_reload("<html><body><p>x</p></body></html>");
        assert!(html.contains("</script>\n</body>"));
    }

    #[test]
    fn events_are_framed_line_by_line() {
        assert_eq!(sse_message("failed", "a\nb"), "event: failed\ndata: a\ndata: b\n\n");
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x/IMG.PNG"), "image/png");
    }
}
