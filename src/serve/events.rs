//! The event stream open pages listen to (the reload script injected into
//! served pages opens it): `failed` with the diagnostics while the site
//! does not build, at once for a page opened then; `reload` after every
//! good build, or at once for a page served from an earlier build. It
//! follows the published snapshots, so it says where the site stands, not
//! every step that led there.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Bytes;
use hyper::header;
use hyper::{Response, StatusCode};
use tokio::sync::mpsc;

use super::body::Body;
use super::respond::{finish, plain};
use super::Shared;

/// Where the stream is served.
pub(super) const PATH: &str = "/__gloss/events";

/// How often an idle stream sends a comment: it keeps proxies from
/// closing the stream, and a client that stopped reading is found out.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Opens a stream (only its head for HEAD) for a page of build `since`; at
/// most `max_streams` are open at once, so that pages can always be served.
pub(super) fn open(shared: &Arc<Shared>, since: Option<u64>, head: bool) -> Response<Body> {
    let response = || {
        Response::builder()
            .header(header::CONTENT_TYPE, "text/event-stream")
            .header(header::CACHE_CONTROL, "no-store")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
    };
    if head {
        return finish(response(), Body::empty());
    }
    if shared.streams.fetch_add(1, Ordering::AcqRel) >= shared.max_streams {
        shared.streams.fetch_sub(1, Ordering::AcqRel);
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Too many pages are open; close some.", head);
    }
    let (sender, receiver) = mpsc::channel::<Bytes>(4);
    let mut site = shared.site.clone();
    let open = OpenStream(Arc::clone(shared));
    tokio::spawn(async move {
        let _open = open;
        let mut seen = site.borrow_and_update().clone();
        let mut first = String::from("retry: 500\n\n");
        if since.is_some_and(|since| since != seen.generation) {
            // Built again since the page was served, or while its stream
            // was away.
            first.push_str(&sse_message("reload", ""));
        } else if let Some(report) = &seen.error {
            first.push_str(&sse_message("failed", report));
        }
        if sender.send(Bytes::from(first)).await.is_err() {
            return;
        }
        loop {
            let message = tokio::select! {
                changed = site.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let now = site.borrow_and_update().clone();
                    let message = if now.generation != seen.generation {
                        Some(sse_message("reload", ""))
                    } else if now.error != seen.error {
                        now.error.as_deref().map(|report| sse_message("failed", report))
                    } else {
                        None
                    };
                    seen = now;
                    match message {
                        Some(message) => message,
                        None => continue,
                    }
                }
                () = tokio::time::sleep(KEEP_ALIVE) => ": keep-alive\n\n".to_string(),
                () = sender.closed() => return,
            };
            if sender.send(Bytes::from(message)).await.is_err() {
                return;
            }
        }
    });
    finish(response(), Body::events(receiver))
}

/// Counts an open event stream until it closes.
struct OpenStream(Arc<Shared>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::AcqRel);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_framed_line_by_line() {
        assert_eq!(sse_message("failed", "a\nb"), "event: failed\ndata: a\ndata: b\n\n");
    }
}
