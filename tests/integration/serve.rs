//! `gloss serve`, `gloss new` and `gloss init`, run as real processes.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{copy_dir, fixture};

/// A running `gloss serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_on(root, 0).0
}

/// Starts `gloss serve` on `port`; returns it and what it printed before
/// its address.
fn start_on(root: &Path, port: u16) -> (Server, Vec<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Owned by the guard at once, so the process is stopped on any failure.
    let mut server = Server { child, port: 0 };
    let stderr = server.child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut before = Vec::new();
    loop {
        let line = received.recv_timeout(deadline - Instant::now()).expect("serve printed its address");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            server.port = rest.split('/').next().unwrap().parse().unwrap();
            // Keep draining stderr so the server never blocks on it.
            std::thread::spawn(move || while received.recv().is_ok() {});
            return (server, before);
        }
        before.push(line);
    }
}

/// Sends a raw request; returns (status, headers, body).
fn request(port: u16, raw: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    request(port, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"))
}

/// Opens the event stream and returns a channel of its events' text.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET /__gloss/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.is_empty() {
                if event.starts_with("event:") && send.send(std::mem::take(&mut event)).is_err() {
                    return;
                }
                event.clear();
            } else {
                event.push_str(&line);
                event.push('\n');
            }
        }
    });
    receive
}

fn next_event(events: &mpsc::Receiver<String>) -> String {
    events.recv_timeout(Duration::from_secs(10)).expect("an event within 10 s")
}

#[test]
fn serves_pages_rebuilds_on_change_and_keeps_the_last_good_site() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let server = start(dir.path());

    let (status, head, body) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"));
    assert!(body.contains("/__gloss/events"), "the reload script is injected into served pages");
    let (status, head, _) = get(server.port, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    // The search index and the map tiles are served exactly as written: a
    // reload script after them would break them.
    let (status, _, index) = get(server.port, "/search-index.js");
    assert_eq!(status, 200);
    assert!(index.trim_end().ends_with("};") && !index.contains("__gloss"), "{}", &index[index.len() - 200..]);
    let (status, _, chunk) = get(server.port, "/search/text-0.js");
    assert_eq!(status, 200);
    assert!(chunk.trim_end().ends_with("];") && !chunk.contains("__gloss"), "{}", &chunk[chunk.len() - 200..]);
    let (_, _, place) = get(server.port, "/places/vladivostok.html");
    let tile = place.split("xlink:href=\"../").nth(1).and_then(|rest| rest.split('"').next()).expect("a map tile");
    let (status, head, svg) = get(server.port, &format!("/{tile}"));
    assert_eq!(status, 200, "{tile}");
    assert!(head.contains("image/svg+xml"));
    assert!(svg.trim_end().ends_with("</svg>") && svg.contains(r#"class="land""#), "{svg}");

    let stream = events(server.port);
    std::thread::sleep(Duration::from_millis(200));
    let article = dir.path().join("content/articles/arrival.md");
    let text = fs::read_to_string(&article).unwrap();
    let saved = Instant::now();
    fs::write(&article, text.replace("where Putin waited", "where Putin waited patiently")).unwrap();
    assert!(next_event(&stream).starts_with("event: reload"));
    eprintln!("change to reload event: {} ms", saved.elapsed().as_millis());
    let (_, _, page) = get(server.port, "/articles/arrival.html");
    assert!(page.contains("waited patiently"));
    let (_, _, chunk) = get(server.port, "/search/text-0.js");
    assert!(chunk.contains("waited patiently"), "the search index is brought up to date when asked for");
    let (_, _, index) = get(server.port, "/search-index.js");
    assert!(index.contains("\"patiently\""), "its word list too");
    let (status, _, missing) = get(server.port, "/people/nobody/at/all.html");
    assert_eq!(status, 404);
    assert!(missing.contains("<base href=\"/\">") && missing.contains("/__gloss/events"), "{missing}");

    // A broken edit: the overlay event names the place; the old page stays.
    fs::write(&article, "---\ntitle: [unclosed\n---\nText\n").unwrap();
    let failed = next_event(&stream);
    assert!(failed.starts_with("event: failed"), "{failed}");
    assert!(failed.contains("content/articles/arrival.md:2:"), "{failed}");
    let (status, _, page) = get(server.port, "/articles/arrival.html");
    assert_eq!(status, 200);
    assert!(page.contains("waited patiently"), "the last good page is still served");
    // A page opened now learns of the failure at once.
    let late = events(server.port);
    assert!(next_event(&late).starts_with("event: failed"));

    fs::write(&article, text).unwrap();
    let fixed = next_event(&stream);
    assert!(fixed.starts_with("event: reload"), "the fix clears the overlay by reloading: {fixed}");
}

#[test]
fn refuses_to_leave_the_site_and_survives_malformed_requests() {
    let server = start(&fixture("two-articles"));
    for evil in [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/..%2fcontent/site.yaml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    ] {
        let (status, _, body) = get(server.port, evil);
        assert_eq!(status, 403, "{evil}");
        assert!(!body.contains("title:"), "{evil}");
    }
    for absolute in ["/etc/passwd", "/content/site.yaml"] {
        let (status, _, body) = get(server.port, absolute);
        assert_eq!(status, 404, "{absolute}");
        assert!(!body.contains("root:") && !body.contains("title: Two"), "{absolute}");
    }
    assert_eq!(request(server.port, "garbage\r\n\r\n").0, 400);
    assert_eq!(request(server.port, "DELETE / HTTP/1.1\r\n\r\n").0, 405);
    assert_eq!(request(server.port, "GET http://evil.example/ HTTP/1.1\r\n\r\n").0, 403);
    // Still alive after all that.
    assert_eq!(get(server.port, "/index.html").0, 200);
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let (server, printed) = start_on(&fixture("two-articles"), port);
    assert_ne!(server.port, port);
    assert!(printed.iter().any(|l| l.contains(&format!("Port {port} is taken"))), "{printed:?}");
    assert_eq!(get(server.port, "/").0, 200);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_static_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    fs::create_dir_all(dir.path().join("static")).unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "secret outside the site").unwrap();
    std::os::unix::fs::symlink(secret.path(), dir.path().join("static/secret.txt")).unwrap();
    let server = start(dir.path());
    let (status, _, body) = get(server.port, "/secret.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("secret outside"));
}

#[test]
fn new_creates_an_entity_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    let new = || {
        Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["new", "place", "Komsomolsk-on-Amur", "--root"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let created = new();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert_eq!(String::from_utf8_lossy(&created.stdout).trim(), "content/places/komsomolsk-on-amur.md");
    let text = fs::read_to_string(dir.path().join("content/places/komsomolsk-on-amur.md")).unwrap();
    assert!(text.contains("coordinates:") && text.contains("country:"), "the kind's fields are ready: {text}");
    assert_eq!(new().status.code(), Some(1), "refuses to overwrite");
    let site = gloss::render_site(dir.path()).expect("a new entity builds at once");
    assert!(site.pages.iter().any(|p| p.path == "places/komsomolsk-on-amur.html"));
}

#[test]
fn init_creates_a_site_that_builds_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("edition");
    let init =
        Command::new(env!("CARGO_BIN_EXE_gloss")).arg("init").arg(&site).current_dir(dir.path()).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let check = Command::new(env!("CARGO_BIN_EXE_gloss")).args(["check"]).current_dir(&site).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let build = Command::new(env!("CARGO_BIN_EXE_gloss")).args(["build"]).current_dir(&site).output().unwrap();
    assert!(build.status.success());
    let built = fs::read_to_string(site.join("public/articles/first-flight.html")).unwrap();
    assert!(built.contains("class=\"mention"));
    assert!(!built.contains("__gloss"), "the reload script never reaches built output");
    let again = Command::new(env!("CARGO_BIN_EXE_gloss")).arg("init").arg(&site).output().unwrap();
    assert_eq!(again.status.code(), Some(1), "never initialises over existing files");
}
