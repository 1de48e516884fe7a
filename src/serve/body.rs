//! Response bodies: bytes in memory, a file read a chunk at a time as the
//! client takes it (a local file's chunk is read at once, on the serving
//! thread: no thread is needed), or an event stream.

use std::any::Any;
use std::fs;
use std::io::{self, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Bytes, Frame, SizeHint};
use tokio::sync::mpsc;

/// How much of a file is read at a time.
const CHUNK: u64 = 64 * 1024;

/// A response body. It can hold something until it is sent or dropped:
/// the mark of a request in flight on its connection.
pub(super) struct Body {
    kind: Kind,
    held: Option<Box<dyn Any + Send>>,
}

enum Kind {
    Bytes(Option<Bytes>),
    File { file: fs::File, left: u64 },
    Events(mpsc::Receiver<Bytes>),
}

impl Body {
    pub(super) fn events(receiver: mpsc::Receiver<Bytes>) -> Body {
        Body { kind: Kind::Events(receiver), held: None }
    }

    pub(super) fn empty() -> Body {
        Body { kind: Kind::Bytes(None), held: None }
    }

    pub(super) fn bytes(bytes: Bytes) -> Body {
        Body { kind: Kind::Bytes(Some(bytes).filter(|b| !b.is_empty())), held: None }
    }

    pub(super) fn file(file: fs::File, length: u64) -> Body {
        Body { kind: Kind::File { file, left: length }, held: None }
    }

    /// Keeps `value` until the body is sent or dropped.
    pub(super) fn hold(&mut self, value: impl Any + Send) {
        self.held = Some(Box::new(value));
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let frame = match &mut self.get_mut().kind {
            Kind::Bytes(bytes) => bytes.take().map(Ok),
            Kind::File { left: 0, .. } => None,
            Kind::File { file, left } => {
                let mut chunk = vec![0; usize::try_from((*left).min(CHUNK)).unwrap_or(0)];
                Some(match file.read(&mut chunk) {
                    Ok(0) => Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file shrank while it was sent")),
                    Ok(n) => {
                        chunk.truncate(n);
                        *left -= n as u64;
                        Ok(Bytes::from(chunk))
                    }
                    Err(e) => Err(e),
                })
            }
            Kind::Events(receiver) => match receiver.poll_recv(cx) {
                Poll::Ready(message) => message.map(Ok),
                Poll::Pending => return Poll::Pending,
            },
        };
        Poll::Ready(frame.map(|data| data.map(Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Bytes(bytes) => bytes.is_none(),
            Kind::File { left, .. } => *left == 0,
            Kind::Events(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Bytes(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::File { left, .. } => SizeHint::with_exact(*left),
            Kind::Events(_) => SizeHint::default(),
        }
    }
}
