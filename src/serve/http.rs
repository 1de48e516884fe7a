//! The connections: hyper's HTTP/1.1 over a single-threaded tokio runtime.
//!
//! Nothing here makes a thread, so nothing can fail for want of one, and
//! every resource is bounded:
//!
//! - At most [`connection_limit`] connections are open, derived from the
//!   process's file limit. At the limit, the oldest idle connection (no
//!   request in flight) is closed to make room; with none idle, new
//!   connections wait in the kernel's queue. When no file can be had the
//!   accept loop backs off instead of spinning.
//! - A request head must arrive within [`HEAD_TIMEOUT`], which is also how
//!   long an idle keep-alive connection is kept: a client trickling bytes
//!   is dropped. A response that makes no progress for [`STALL_TIMEOUT`]
//!   (a client that stopped reading) is dropped.
//! - Heads are at most [`MAX_HEAD`] bytes (431 beyond).
//!
//! After an error response the connection lingers a moment, reading and
//! discarding what the client still sends, so that closing it does not
//! reset the connection before the client has read the response.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::poll_fn;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Notify, Semaphore};
use tokio::time::Instant;

use super::{respond, Shared};
use crate::diagnostic::{Code, Diagnostic};

/// How long a request head may take to arrive, counted from the end of the
/// last response: also how long an idle connection is kept open.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a connection may go without a byte read or written while a
/// response is in flight. Event streams write every 15 s.
const STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request head read, and the read buffer's size.
const MAX_HEAD: usize = 64 * 1024;

/// How long, and how much, a connection closed after an error reads on.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1024 * 1024;

/// The most connections kept open, whatever the file limit.
const MAX_CONNECTIONS: usize = 512;

/// Files kept for everything but connections: standard streams, the
/// listener, the runtime's and the watcher's, and those a build opens.
const RESERVED_FILES: u64 = 32;

/// Binds `port`, or the next free one if it is taken.
pub(super) fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    let tries = if port == 0 { 1 } else { 20 };
    for offset in 0..tries {
        let candidate = port.saturating_add(offset);
        match listen(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("Port {port} is taken; using {candidate} instead.");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(Diagnostic::error(Code::Io, format!("cannot listen on {ip}:{candidate}: {e}"))),
        }
    }
    Err(Diagnostic::error(Code::Io, format!("ports {port} to {} are all taken", port.saturating_add(tries - 1)))
        .with_hint("pass another --port, or --port 0 for any free port"))
}

fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    // As the standard library does: a port left in TIME_WAIT by the last
    // run can be bound again at once. (On Windows the flag means another
    // thing.)
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    // Connections beyond the limit wait here.
    socket.listen(1024)
}

/// How many connections are kept open: half the files the process may
/// still open (a connection may hold a static file open too), at most
/// [`MAX_CONNECTIONS`].
pub(super) fn connection_limit() -> usize {
    #[cfg(unix)]
    let files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(u64::MAX);
    #[cfg(not(unix))]
    let files = u64::MAX;
    let spare = files.saturating_sub(RESERVED_FILES) / 2;
    usize::try_from(spare).unwrap_or(usize::MAX).clamp(4, MAX_CONNECTIONS)
}

/// Accepts connections until the process stops.
pub(super) async fn run(listener: TcpListener, shared: Arc<Shared>, limit: usize) {
    let connections = Arc::new(Connections::default());
    let slots = Arc::new(Semaphore::new(limit));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_HEAD)
        .keep_alive(true)
        // As most servers write them, and people read them.
        .title_case_headers(true);
    let mut backoff = Duration::ZERO;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if out_of_files(&e) => {
                // Spinning on accept would not free a file: closing idle
                // connections and waiting does.
                if backoff.is_zero() {
                    eprintln!("warning: no file left to accept a connection ({e}); closing idle ones and waiting");
                }
                connections.close_idle(4);
                backoff = (backoff * 2).clamp(Duration::from_millis(10), Duration::from_secs(1));
                tokio::time::sleep(backoff).await;
                continue;
            }
            Err(e) => {
                // A connection that went before it was accepted, or a
                // transient failure: nothing to spin on either way.
                if !matches!(e.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset) {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                continue;
            }
        };
        backoff = Duration::ZERO;
        // At the limit, the connection idle the longest makes room, or the
        // next one to finish does. Asked again every 100 ms: connections
        // accepted a moment ago may not have started yet.
        let slot = loop {
            if let Ok(slot) = Arc::clone(&slots).try_acquire_owned() {
                break slot;
            }
            connections.close_idle(1);
            tokio::select! {
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => break slot,
                    Err(_) => return, // never closed
                },
                () = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
        };
        let (shared, connections, http) = (Arc::clone(&shared), Arc::clone(&connections), http.clone());
        tokio::spawn(async move {
            let _slot = slot;
            serve_connection(stream, &shared, &connections, &http).await;
        });
    }
}

/// Whether an error says the process or the system has no file to spare.
pub(super) fn out_of_files(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = e.raw_os_error();
        [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM].iter().any(|errno| code == Some(errno.raw_os_error()))
    }
    #[cfg(not(unix))]
    {
        e.raw_os_error() == Some(10024) // WSAEMFILE
    }
}

/// Serves one connection until either side closes it or it times out.
async fn serve_connection(
    mut stream: TcpStream,
    shared: &Arc<Shared>,
    connections: &Connections,
    http: &http1::Builder,
) {
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr() else { return };
    let (id, state) = connections.open();
    let service = {
        let (shared, state) = (Arc::clone(shared), Arc::clone(&state));
        service_fn(move |request| {
            let shared = Arc::clone(&shared);
            let in_flight = InFlight::begin(&state);
            async move {
                let mut response = respond::respond(request, &shared, local).await;
                response.body_mut().hold(in_flight);
                Ok::<_, Infallible>(response)
            }
        })
    };
    let linger = {
        let io = TokioIo::new(Tracked { stream: &mut stream, state: &state });
        tokio::select! {
            // A request that could not be parsed was answered (400, 431):
            // let the client read the answer.
            outcome = http.serve_connection(io, service) => outcome.is_err_and(|e| e.is_parse()),
            () = watchdog(&state) => false,
        }
    };
    connections.close(id);
    if linger {
        linger_close(&mut stream).await;
    }
}

/// Returns when the connection should be dropped: it stalled, or it was
/// asked to make room while idle.
async fn watchdog(state: &State) {
    loop {
        let stalled_at = state.last_activity() + STALL_TIMEOUT;
        tokio::select! {
            () = state.close.notified() => {
                if state.in_flight.load(Ordering::Acquire) == 0 {
                    return;
                }
            }
            () = tokio::time::sleep_until(stalled_at) => {
                if state.last_activity() + STALL_TIMEOUT <= Instant::now() {
                    return;
                }
            }
        }
    }
}

/// Shuts the writing side and reads what the client still sends, for a
/// moment, before the socket is closed: closing with unread data would
/// reset the connection and could destroy the response in flight.
async fn linger_close(stream: &mut TcpStream) {
    let _ = poll_fn(|cx| Pin::new(&mut *stream).poll_shutdown(cx)).await;
    let deadline = Instant::now() + LINGER;
    let mut buffer = [0; 8192];
    let mut read = 0;
    while read < LINGER_BYTES {
        match tokio::time::timeout_at(deadline, stream.readable()).await {
            Ok(Ok(())) => {}
            _ => return,
        }
        match stream.try_read(&mut buffer) {
            Ok(0) => return,
            Ok(n) => read += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

/// The open connections, so that idle ones can be closed to make room.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, Arc<State>>>,
    next: AtomicU64,
}

impl Connections {
    fn open(&self) -> (u64, Arc<State>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(State {
            opened: Instant::now(),
            last_activity: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            close: Notify::new(),
        });
        self.lock().insert(id, Arc::clone(&state));
        (id, state)
    }

    fn close(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Asks the `n` connections idle the longest to close.
    fn close_idle(&self, n: usize) {
        let open = self.lock();
        let mut idle: Vec<&Arc<State>> = open.values().filter(|s| s.in_flight.load(Ordering::Acquire) == 0).collect();
        idle.sort_by_key(|s| s.last_activity());
        for state in idle.into_iter().take(n) {
            state.close.notify_one();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<State>>> {
        // The map stays whole whatever panicked while holding it.
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One connection, as the watchdog and the accept loop see it.
struct State {
    opened: Instant,
    /// Milliseconds after `opened` of the last byte read or written.
    last_activity: AtomicU64,
    /// Requests whose response is not yet wholly sent.
    in_flight: AtomicUsize,
    /// Asks the connection to close if it is idle.
    close: Notify,
}

impl State {
    fn last_activity(&self) -> Instant {
        self.opened + Duration::from_millis(self.last_activity.load(Ordering::Relaxed))
    }

    fn touch(&self) {
        let elapsed = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_activity.store(elapsed, Ordering::Relaxed);
    }
}

/// A request in flight, until its response body is sent or dropped.
struct InFlight(Arc<State>);

impl InFlight {
    fn begin(state: &Arc<State>) -> InFlight {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(Arc::clone(state))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.0.touch();
    }
}

/// The socket, noting when bytes move.
struct Tracked<'a> {
    stream: &'a mut TcpStream,
    state: &'a State,
}

impl AsyncRead for Tracked<'_> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut *self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.state.touch();
        }
        polled
    }
}

impl AsyncWrite for Tracked<'_> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut *self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut *self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.stream).poll_shutdown(cx)
    }
}
