//! What a request gets, and the checks before it.
//!
//! Only GET and HEAD are answered (405 with `Allow` otherwise), only a path
//! as target (403 otherwise), and only when `Host` names this server: a
//! page elsewhere that points its own name at 127.0.0.1 (DNS rebinding)
//! gets 421, not the site. Then, from the latest snapshot: a page of the
//! last good build (read from the folder of pages), a file listed under `static/`, a built-in static file,
//! the event stream, or the site's 404 page. A request can only ever name
//! one of those, so there is no path to traverse; a static file is opened
//! at request time without following a link at any step, so a folder
//! swapped for a link since it was listed is not served through it. Every
//! file has an `ETag` (304 on `If-None-Match`) and answers a single byte
//! range (206, or 416 past its end). The reload script goes into served
//! HTML only, never into built output.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Seek, SeekFrom};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use tokio::sync::oneshot;

use super::body::Body;
use super::build::Message;
use super::events;
use super::http::out_of_files;
use super::{Files, Shared, Snapshot};
use crate::write::DEFAULT_STATIC;

/// The script injected into every served page (never into built output).
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// The longest request target answered (414 beyond).
const MAX_TARGET: usize = 8 * 1024;

/// Answers one request.
pub(super) async fn respond(request: Request<Incoming>, shared: &Arc<Shared>, local: SocketAddr) -> Response<Body> {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD are served.", false);
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let uri = request.uri();
    let target = uri.path_and_query().map_or("", |p| p.as_str());
    if uri.scheme().is_some() || uri.authority().is_some() || !target.starts_with('/') {
        return plain(StatusCode::FORBIDDEN, "Only paths are served.", head);
    }
    if target.len() > MAX_TARGET {
        return plain(StatusCode::URI_TOO_LONG, "This address is too long.", head);
    }
    if let Some(refusal) = refuse_host(&request, shared, local) {
        return refusal;
    }
    if uri.path() == events::PATH {
        let since = uri.query().and_then(|q| q.strip_prefix("since=")).and_then(|n| n.parse().ok());
        return events::open(shared, since, head);
    }
    let Some(path) = site_path(target) else {
        return plain(StatusCode::FORBIDDEN, "This path leaves the site.", head);
    };
    let path = match pretty(&shared.site.borrow().files, &path) {
        Some(Pretty::Page(page)) => page,
        Some(Pretty::Moved(to)) => return redirect(&to, head),
        None => path,
    };
    match lookup(shared, &path).await {
        Found::Missing(snapshot) => not_found(&snapshot, head),
        Found::Busy => {
            let mut response = plain(StatusCode::SERVICE_UNAVAILABLE, "Too busy to open the file; try again.", head);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Found::File(file) => send(Content::File(file), &path, request.headers(), head),
        Found::Bytes(bytes) => send(Content::Bytes(bytes), &path, request.headers(), head),
    }
}

/// The refusal of a request whose `Host` is not this server (421), or
/// that has none although HTTP/1.1 requires it (400).
fn refuse_host(request: &Request<Incoming>, shared: &Shared, local: SocketAddr) -> Option<Response<Body>> {
    let head = request.method() == Method::HEAD;
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (None, _) if request.version() == Version::HTTP_10 => None,
        (None, _) | (Some(_), Some(_)) => {
            Some(plain(StatusCode::BAD_REQUEST, "A request needs exactly one Host header.", head))
        }
        (Some(host), None) => {
            let host = host.to_str().unwrap_or("");
            if host_is_ours(host, shared.port, &[local.ip(), shared.bind]) {
                return None;
            }
            let port = shared.port;
            let message = format!(
                "Misdirected request: this server answers to localhost:{port} and 127.0.0.1:{port}, not to {host:?} \
                 (a page on another site may be trying to read this one)."
            );
            Some(plain(StatusCode::MISDIRECTED_REQUEST, &message, head))
        }
    }
}

/// Whether `host` (a `Host` header) names this server: `localhost`, a
/// loopback address or one of `addresses`, with the port served (which
/// may be left out only if it is 80).
fn host_is_ours(host: &str, port: u16, addresses: &[IpAddr]) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, digits)) if !name.is_empty() && !digits.contains(']') => (name, digits.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    if given != Some(port) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().map(IpAddr::V4),
    };
    ip.is_ok_and(|ip| {
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST) || addresses.contains(&ip)
    })
}

/// What a request path asks for, after decoding; `None` when it tries to
/// leave the site (`..`, encoded or not) or is not a plain path.
fn site_path(target: &str) -> Option<String> {
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

/// Where an address without its `.html` leads, as static hosts answer
/// them: `articles/x` is `articles/x.html` itself (same folder, so its
/// relative links hold); `articles/x/` and `people` move to
/// `articles/x.html` and `people/` (their links would not hold there).
enum Pretty {
    Page(String),
    Moved(String),
}

/// The [`Pretty`] reading of `path` when it names nothing as it is.
fn pretty(files: &Files, path: &str) -> Option<Pretty> {
    let exists = |path: &str| {
        files.pages.contains_key(path)
            || files.copies.contains_key(path)
            || DEFAULT_STATIC.iter().any(|(n, _)| *n == path)
    };
    if exists(path) {
        return None;
    }
    if let Some(folder) = path.strip_suffix("/index.html") {
        let page = format!("{folder}.html");
        return exists(&page).then_some(Pretty::Moved(page));
    }
    let page = format!("{path}.html");
    if exists(&page) {
        return Some(Pretty::Page(page));
    }
    let index = format!("{path}/index.html");
    exists(&index).then(|| Pretty::Moved(format!("{path}/")))
}

/// Characters percent-encoded in a `Location`: all but unreserved and `/`.
const LOCATION: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A temporary redirect to the site path `to` (temporary: what a path
/// names changes as the site is edited).
fn redirect(to: &str, head: bool) -> Response<Body> {
    let location = format!("/{}", percent_encoding::utf8_percent_encode(to, LOCATION));
    let mut response = plain(StatusCode::FOUND, &format!("Moved to {location}"), head);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
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

/// What a path names.
enum Found {
    /// A page, or a built-in static file, with its entity tag.
    Bytes((Bytes, String)),
    /// A file under `static/`.
    File(fs::File),
    /// Nothing: the snapshot whose 404 page is to be served.
    Missing(Arc<Snapshot>),
    /// A file that cannot be opened for want of file descriptors.
    Busy,
}

/// How long a request for a stale page waits for it to be rendered.
const STALE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Finds what a site path names in the latest snapshot: a file listed
/// under `static/`, a page, or a built-in static file. Only a stale page
/// (see [`crate::Site::stale_pages`]) waits, for it to be rendered; at
/// most [`STALE_WAIT`], since the build thread may be building the whole
/// site (the reload after it brings the page up to date).
async fn lookup(shared: &Shared, path: &str) -> Found {
    let mut snapshot = shared.site.borrow().clone();
    if let Some(file) = snapshot.files.copies.get(path) {
        return match open_below(&shared.root, file) {
            Ok(file) => Found::File(file),
            Err(e) if out_of_files(&e) => Found::Busy,
            Err(_) => Found::Missing(snapshot),
        };
    }
    if let Some(&id) = snapshot.files.pages.get(path).filter(|id| snapshot.stale.contains(id)) {
        let (reply, answer) = oneshot::channel();
        if shared.builder.send(Message::Refresh(id, reply)).is_ok() {
            let _ = tokio::time::timeout(STALE_WAIT, answer).await;
        }
        snapshot = shared.site.borrow().clone();
    }
    if let Some(bytes) = read_page(&snapshot, path) {
        return match bytes {
            Ok(bytes) => Found::Bytes(served_page(path, bytes, snapshot.generation)),
            Err(e) if out_of_files(&e) => Found::Busy,
            // Gone with an update since the snapshot was taken.
            Err(_) => Found::Missing(snapshot),
        };
    }
    match DEFAULT_STATIC.iter().find(|(name, _)| *name == path) {
        Some((_, bytes)) => Found::Bytes((Bytes::from_static(bytes), entity_tag(bytes))),
        None => Found::Missing(snapshot),
    }
}

/// The bytes of the page at `path` in the snapshot's folder; `None` if the
/// snapshot has no such page. An update replaces a page file atomically, so
/// this is the page as it was before or after, never half of it.
fn read_page(snapshot: &Snapshot, path: &str) -> Option<io::Result<Vec<u8>>> {
    let folder = snapshot.files.folder.as_ref()?;
    snapshot.files.pages.contains_key(path).then(|| folder.read(path))
}

/// A page as served, with its entity tag: HTML pages get the reload
/// script; the search index and the map tiles are served as they are (a
/// script after them would break them).
fn served_page(path: &str, bytes: Vec<u8>, generation: u64) -> (Bytes, String) {
    if path.ends_with(".html") {
        let html = inject_reload(&String::from_utf8_lossy(&bytes), generation);
        let tag = entity_tag(html.as_bytes());
        (Bytes::from(html), tag)
    } else {
        let tag = entity_tag(&bytes);
        (Bytes::from(bytes), tag)
    }
}

/// A strong entity tag for bytes: a hash of them.
fn entity_tag(bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

/// Inserts the reload script, told which build the page is from, before
/// the last `</body>`.
fn inject_reload(html: &str, generation: u64) -> String {
    let script = RELOAD_SCRIPT.replacen("var built = 0;", &format!("var built = {generation};"), 1);
    let script = format!("<script>{script}</script>\n");
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// Opens the file at `path` (from the site folder: under `static/`,
/// `content/` or the cache) one step at a time, refusing a link at every
/// step but the first: what is opened is what was listed, or nothing. The
/// top folder itself may be a link, as the site's listing follows it.
#[cfg(unix)]
fn open_below(root: &Path, path: &Path) -> io::Result<fs::File> {
    use rustix::fs::{openat, Mode, OFlags};
    let mut steps = path.iter().map(|s| s.to_str().ok_or(io::ErrorKind::InvalidInput)).peekable();
    let top = steps.next().ok_or(io::ErrorKind::InvalidInput)??;
    let mut at: std::os::fd::OwnedFd = fs::File::open(root.join(top))?.into();
    while let Some(step) = steps.next() {
        let step = step?;
        if matches!(step, "" | "." | "..") {
            return Err(io::ErrorKind::InvalidInput.into());
        }
        // The last step is not a folder; opening it does not wait, should
        // it have become a pipe.
        let kind = if steps.peek().is_some() { OFlags::DIRECTORY } else { OFlags::NONBLOCK };
        at = openat(&at, step, OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | kind, Mode::empty())?;
    }
    regular(fs::File::from(at))
}

/// Opens the file at `path` (from the site folder), refusing a link at
/// every step but the first (checked just before it is opened).
#[cfg(not(unix))]
fn open_below(root: &Path, path: &Path) -> io::Result<fs::File> {
    let mut steps = path.iter();
    let mut at = root.join(steps.next().ok_or(io::ErrorKind::InvalidInput)?);
    for step in steps {
        if matches!(step.to_str(), None | Some("" | "." | "..")) {
            return Err(io::ErrorKind::InvalidInput.into());
        }
        at.push(step);
        if fs::symlink_metadata(&at)?.file_type().is_symlink() {
            return Err(io::ErrorKind::InvalidInput.into());
        }
    }
    regular(fs::File::open(&at)?)
}

fn regular(file: fs::File) -> io::Result<fs::File> {
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::ErrorKind::InvalidInput.into())
    }
}

/// What is sent for a path that names something.
enum Content {
    Bytes((Bytes, String)),
    File(fs::File),
}

/// Sends content whole, in part (`Range`), or not at all (304 when the
/// client's copy is current).
fn send(content: Content, path: &str, request: &HeaderMap, head: bool) -> Response<Body> {
    let (length, tag) = match &content {
        Content::Bytes((bytes, tag)) => (bytes.len() as u64, tag.clone()),
        Content::File(file) => match file.metadata() {
            Ok(metadata) => (metadata.len(), file_tag(&metadata)),
            Err(_) => return plain(StatusCode::INTERNAL_SERVER_ERROR, "The file cannot be read.", head),
        },
    };
    let mut response = Response::builder()
        .header(header::ETAG, &tag)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if request.get(header::IF_NONE_MATCH).is_some_and(|wanted| tag_matches(wanted, &tag)) {
        return finish(response.status(StatusCode::NOT_MODIFIED), Body::empty());
    }
    let range = match request.get(header::RANGE) {
        Some(range) if request.get(header::IF_RANGE).is_none_or(|since| since.as_bytes() == tag.as_bytes()) => {
            byte_range(range, length)
        }
        _ => Ok(None),
    };
    let (start, end) = match range {
        Err(()) => {
            let unsatisfiable = response
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{length}"))
                .header(header::CONTENT_LENGTH, 0);
            return finish(unsatisfiable, Body::empty());
        }
        Ok(Some((start, end))) => {
            response = response
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{length}"));
            (start, end + 1)
        }
        Ok(None) => (0, length),
    };
    response = response.header(header::CONTENT_TYPE, content_type(path)).header(header::CONTENT_LENGTH, end - start);
    if head {
        return finish(response, Body::empty());
    }
    let body = match content {
        Content::Bytes((bytes, _)) => {
            let (start, end) = (usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0));
            Body::bytes(bytes.slice(start..end))
        }
        Content::File(mut file) => {
            if file.seek(SeekFrom::Start(start)).is_err() {
                return plain(StatusCode::INTERNAL_SERVER_ERROR, "The file cannot be read.", head);
            }
            Body::file(file, end - start)
        }
    };
    finish(response, body)
}

/// A static file's entity tag: its size, modification time and inode, as
/// web servers make them, without reading it.
fn file_tag(metadata: &fs::Metadata) -> String {
    let modified = metadata.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    let nanos = modified.map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(metadata);
    #[cfg(not(unix))]
    let inode = 0;
    format!("\"{:x}-{nanos:x}-{inode:x}\"", metadata.len())
}

/// Whether an `If-None-Match` list names `tag` (weakly, as the header is
/// compared), or is `*`.
fn tag_matches(wanted: &HeaderValue, tag: &str) -> bool {
    let Ok(wanted) = wanted.to_str() else { return false };
    wanted.split(',').map(str::trim).any(|w| w == "*" || w.strip_prefix("W/").unwrap_or(w) == tag)
}

/// The one byte range a `Range` header asks for, as first and last byte:
/// `Ok(None)` to send everything (no range understood, or several),
/// `Err(())` when the range lies past the end.
fn byte_range(range: &HeaderValue, length: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = range.to_str().ok().and_then(|r| r.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.split_once('-') else { return Ok(None) };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // The last n bytes.
        return match last.parse::<u64>() {
            Err(_) => Ok(None),
            Ok(0) => Err(()),
            Ok(_) if length == 0 => Err(()),
            Ok(n) => Ok(Some((length.saturating_sub(n), length - 1))),
        };
    }
    let Ok(first) = first.parse::<u64>() else { return Ok(None) };
    let last = match last {
        "" => length.saturating_sub(1),
        last => match last.parse::<u64>() {
            Ok(last) if last >= first => last.min(length.saturating_sub(1)),
            _ => return Ok(None),
        },
    };
    if first >= length {
        return Err(());
    }
    Ok(Some((first, last)))
}

/// The site's own 404 page when it has one, else a plain one.
fn not_found(snapshot: &Snapshot, head: bool) -> Response<Body> {
    let html = match read_page(snapshot, "404.html").and_then(Result::ok) {
        // Served at any depth: its relative links must start from the root.
        Some(page) => inject_reload(&String::from_utf8_lossy(&page), snapshot.generation).replacen(
            "<head>",
            "<head>\n<base href=\"/\">",
            1,
        ),
        None => inject_reload(
            "<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p><a href=\"/\">Home</a></p></body>",
            snapshot.generation,
        ),
    };
    let response = Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CONTENT_LENGTH, html.len())
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    finish(response, if head { Body::empty() } else { Body::bytes(Bytes::from(html)) })
}

/// A short plain-text answer, for refusals and errors.
pub(super) fn plain(status: StatusCode, message: &str, head: bool) -> Response<Body> {
    let text = format!("{message}\n");
    let response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CONTENT_LENGTH, text.len())
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    finish(response, if head { Body::empty() } else { Body::bytes(Bytes::from(text)) })
}

pub(super) fn finish(response: hyper::http::response::Builder, body: Body) -> Response<Body> {
    // Every header above is made of valid parts.
    response.body(body).unwrap_or_else(|_| Response::new(Body::empty()))
}

/// The Content-Type for a path, by extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "geojson" => "application/geo+json",
        "csv" => "text/csv; charset=utf-8",
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
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

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
    fn only_this_server_is_a_host() {
        let bound = [IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5)), IpAddr::V4(Ipv4Addr::UNSPECIFIED)];
        for ours in ["localhost:1111", "LOCALHOST:1111", "127.0.0.1:1111", "[::1]:1111", "192.168.1.5:1111"] {
            assert!(host_is_ours(ours, 1111, &bound), "{ours}");
        }
        for foreign in [
            "evil.example:1111",
            "evil.example",
            "localhost",
            "localhost:1112",
            "127.0.0.2:1111",
            "localhost.evil.example:1111",
            "::1:1111",
            "[::1]",
            "",
        ] {
            assert!(!host_is_ours(foreign, 1111, &bound), "{foreign}");
        }
        assert!(host_is_ours("localhost", 80, &bound), "port 80 may be left out");
    }

    #[test]
    fn byte_ranges() {
        let range = |r: &str, length| byte_range(&HeaderValue::from_str(r).unwrap(), length);
        assert_eq!(range("bytes=0-9", 100), Ok(Some((0, 9))));
        assert_eq!(range("bytes=90-200", 100), Ok(Some((90, 99))));
        assert_eq!(range("bytes=95-", 100), Ok(Some((95, 99))));
        assert_eq!(range("bytes=-5", 100), Ok(Some((95, 99))));
        assert_eq!(range("bytes=-500", 100), Ok(Some((0, 99))));
        assert_eq!(range("bytes=100-", 100), Err(()));
        assert_eq!(range("bytes=-0", 100), Err(()));
        assert_eq!(range("bytes=0-1,5-6", 100), Ok(None), "several ranges: everything");
        assert_eq!(range("bytes=9-3", 100), Ok(None), "not a range");
        assert_eq!(range("lines=1-2", 100), Ok(None));
        assert_eq!(range("bytes=x-2", 100), Ok(None));
    }

    #[test]
    fn entity_tags_match_as_if_none_match_compares_them() {
        let tag = "\"abc\"";
        for wanted in ["\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", "*"] {
            assert!(tag_matches(&HeaderValue::from_static(wanted), tag), "{wanted}");
        }
        assert!(!tag_matches(&HeaderValue::from_static("\"abd\""), tag));
    }

    #[cfg(unix)]
    #[test]
    fn a_static_file_is_never_opened_through_a_link() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("static/docs")).unwrap();
        fs::write(root.path().join("static/docs/a.txt"), "inside").unwrap();
        fs::write(outside.path().join("a.txt"), "outside").unwrap();
        let read = |path: &str| {
            open_below(root.path(), &Path::new("static").join(path)).map(|mut f| {
                let mut text = String::new();
                f.read_to_string(&mut text).unwrap();
                text
            })
        };
        assert_eq!(read("docs/a.txt").unwrap(), "inside");
        // The folder swapped for a link after it was listed.
        fs::rename(root.path().join("static/docs"), root.path().join("static/old")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("static/docs")).unwrap();
        assert!(read("docs/a.txt").is_err());
        // The file itself a link.
        std::os::unix::fs::symlink(outside.path().join("a.txt"), root.path().join("static/old/b.txt")).unwrap();
        assert!(read("old/b.txt").is_err());
        assert!(read("old/../old/a.txt").is_err());
        assert!(read("old").is_err(), "a folder is no file");
    }

    #[test]
    fn reload_script_goes_before_the_body_end() {
        let html = inject_reload("<html><body><p>x</p></body></html>", 7);
        assert!(html.contains("</script>\n</body>"));
        assert!(html.contains("var built = 7;"), "the page knows its build");
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x/IMG.PNG"), "image/png");
        assert_eq!(content_type("articles/a.geojson"), "application/geo+json");
        assert_eq!(content_type("mentions.csv"), "text/csv; charset=utf-8");
    }
}
