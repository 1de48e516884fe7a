//! `gloss serve`, `gloss new` and `gloss init`, run as real processes.
//!
//! The server is spoken to over raw TCP, as an attacker or an unlucky
//! client would. Nothing waits a fixed time for the server: every test
//! polls for what it expects, with a generous deadline.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{copy_dir, fixture};

/// A running `gloss serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// Everything it printed.
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits until the server prints a line containing `text`.
    fn wait_for_line(&self, text: &str) {
        poll(&format!("the server to print {text:?}"), || self.log.lock().unwrap().iter().any(|l| l.contains(text)));
    }

    /// How many lines the server printed containing `text`.
    fn count_lines(&self, text: &str) -> usize {
        self.log.lock().unwrap().iter().filter(|l| l.contains(text)).count()
    }

    fn printed(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    #[cfg(target_os = "linux")]
    fn proc(&self, file: &str) -> String {
        fs::read_to_string(format!("/proc/{}/{file}", self.child.id())).unwrap_or_default()
    }

    /// How many threads the process has.
    #[cfg(target_os = "linux")]
    fn threads(&self) -> usize {
        let status = self.proc("status");
        let line = status.lines().find(|l| l.starts_with("Threads:")).expect("a thread count");
        line["Threads:".len()..].trim().parse().unwrap()
    }

    /// CPU time used so far, in clock ticks.
    #[cfg(target_os = "linux")]
    fn cpu_ticks(&self) -> u64 {
        let stat = self.proc("stat");
        // Fields after the command name, which is in parentheses.
        let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }

    /// How many inotify watches the process holds.
    #[cfg(target_os = "linux")]
    fn watches(&self) -> usize {
        let dir = format!("/proc/{}/fdinfo", self.child.id());
        fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|entry| fs::read_to_string(entry.path()).unwrap_or_default())
            .map(|info| info.lines().filter(|l| l.starts_with("inotify wd:")).count())
            .sum()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

/// Polls `condition` every 50 ms for up to 30 s.
fn poll(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start(root: &Path) -> Server {
    start_on(root, 0).0
}

/// Starts `gloss serve` on `port`; returns it and what it printed before
/// its address.
fn start_on(root: &Path, port: u16) -> (Server, Vec<String>) {
    start_with(root, port, &[])
}

/// Starts `gloss serve`, run by `wrapper` (a command that runs the rest of
/// its arguments, such as `prlimit --nofile=64`) if one is given.
fn start_with(root: &Path, port: u16, wrapper: &[&str]) -> (Server, Vec<String>) {
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(env!("CARGO_BIN_EXE_gloss"));
            command
        }
        None => Command::new(env!("CARGO_BIN_EXE_gloss")),
    };
    let child = command
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Owned by the guard at once, so the process is stopped on any failure.
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut server = Server { child, port: 0, log: Arc::clone(&log) };
    let stderr = server.child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    // Keeps draining stderr, so the server never blocks on it.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            log.lock().unwrap().push(line.clone());
            let _ = lines.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut before = Vec::new();
    loop {
        let line = received
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("serve printed its address; it printed:\n{}", before.join("\n")));
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            server.port = rest.split('/').next().unwrap().parse().unwrap();
            return (server, before);
        }
        before.push(line);
    }
}

/// One response, as read off the wire.
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads one response: its head, then as many bytes as its length says
/// (none after HEAD, 304 or 416 without length); without a length, up to
/// the end of the connection.
fn read_response(reader: &mut impl BufRead, head_only: bool) -> Option<Response> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut response = Response { status, head, body: Vec::new() };
    if head_only || status == 304 {
        return Some(response);
    }
    match response.header("Content-Length").map(|n| n.parse::<usize>().unwrap()) {
        Some(length) => {
            response.body = vec![0; length];
            reader.read_exact(&mut response.body).ok()?;
        }
        None => {
            reader.read_to_end(&mut response.body).ok()?;
        }
    }
    Some(response)
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream
}

/// Sends a raw request and reads one response.
fn send(port: u16, raw: &str) -> Response {
    let mut stream = connect(port);
    stream.write_all(raw.as_bytes()).unwrap();
    let head_only = raw.starts_with("HEAD ");
    read_response(&mut BufReader::new(stream), head_only).expect("a response")
}

/// Sends a raw request; returns (status, head, body).
fn request(port: u16, raw: &str) -> (u16, String, String) {
    let response = send(port, raw);
    (response.status, response.head.clone(), response.text())
}

fn get(port: u16, path: &str) -> (u16, String, String) {
    request(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"))
}

/// Opens the event stream and returns a channel of its events' text.
fn events(port: u16) -> mpsc::Receiver<String> {
    events_at(port, "/__gloss/events")
}

/// Opens the event stream at `target` (with its query).
fn events_at(port: u16, target: &str) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(format!("GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes()).unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
            line.clear();
        }
        // The stream is chunked: undo that, then split it into events.
        let mut text = String::new();
        loop {
            let mut size = String::new();
            if reader.read_line(&mut size).unwrap_or(0) == 0 {
                return;
            }
            let Ok(size) = usize::from_str_radix(size.trim(), 16) else { return };
            let mut chunk = vec![0; size + 2];
            if size == 0 || reader.read_exact(&mut chunk).is_err() {
                return;
            }
            text.push_str(&String::from_utf8_lossy(&chunk[..size]));
            while let Some(end) = text.find("\n\n") {
                let event: String = text.drain(..end + 2).collect();
                if event.starts_with("event:") && send.send(event[..end + 1].to_string()).is_err() {
                    return;
                }
            }
        }
    });
    receive
}

fn next_event(events: &mpsc::Receiver<String>) -> String {
    events.recv_timeout(Duration::from_secs(30)).expect("an event within 30 s")
}

/// Skips events until one of `kind` arrives.
fn wait_for_event(events: &mpsc::Receiver<String>, kind: &str) -> String {
    loop {
        let event = next_event(events);
        if event.starts_with(&format!("event: {kind}\n")) {
            return event;
        }
    }
}

/// A copy of the two-article fixture to change.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("two-articles"), dir.path());
    dir
}

#[test]
fn serves_pages_rebuilds_on_change_and_keeps_the_last_good_site() {
    let dir = site();
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

/// The folders of builds in the folder `gloss serve` keeps its pages in.
fn build_folders(own: &Path) -> Vec<std::path::PathBuf> {
    let entries = fs::read_dir(own).map(|entries| entries.flatten().map(|e| e.path()).collect());
    entries.unwrap_or_else(|_| Vec::new()).into_iter().filter(|p: &std::path::PathBuf| p.is_dir()).collect()
}

#[test]
fn pages_are_kept_in_a_folder_of_the_server_and_an_edit_rewrites_their_files() {
    let dir = site();
    let server = start(dir.path());
    let own = dir.path().join(".gloss/serve").join(server.child.id().to_string());
    let builds = build_folders(&own);
    assert_eq!(builds.len(), 1, "one build, in {}", own.display());
    let file = builds[0].join("articles/arrival.html");
    let written = fs::read_to_string(&file).expect("the page is a file");
    assert!(!written.contains("__gloss"), "the file is the page as built");
    assert!(builds[0].join("search-index.js").is_file() && builds[0].join("mentions.csv").is_file());
    assert!(!dir.path().join("public").exists(), "serve writes no build output");

    let stream = events(server.port);
    let article = dir.path().join("content/articles/arrival.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("where Putin waited", "where Putin waited patiently")).unwrap();
    assert!(next_event(&stream).starts_with("event: reload"));
    assert!(fs::read_to_string(&file).unwrap().contains("waited patiently"), "the edit rewrote the page's file");
    let (_, _, page) = get(server.port, "/articles/arrival.html");
    assert!(page.contains("waited patiently") && page.contains("/__gloss/events"));
    let temporary = |folder: &Path| {
        walkdir::WalkDir::new(folder).into_iter().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    };
    assert!(!temporary(&builds[0]), "no temporary file is left");
    assert_eq!(build_folders(&own), builds, "an incremental update writes into the same folder");

    // A server killed outright leaves its folder behind; the next deletes it.
    drop(server);
    assert!(own.exists());
    let mut next = start(dir.path());
    assert!(!own.exists(), "the folder of a server that is gone is deleted");
    let own = dir.path().join(".gloss/serve").join(next.child.id().to_string());
    assert_eq!(build_folders(&own).len(), 1);

    // Ctrl-C deletes the folder.
    #[cfg(unix)]
    {
        let pid = next.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let status = next.child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "stopped as by the signal");
        assert!(!own.exists(), "the folder goes with the server");
    }
}

/// A summary shows in the cast of every article naming the entity: past
/// an update's budget those pages are rendered when asked for, or in the
/// background, and never served as they were.
#[test]
fn pages_beyond_an_updates_budget_are_served_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("content/articles")).unwrap();
    fs::create_dir_all(root.join("content/people")).unwrap();
    fs::write(root.join("content/site.yaml"), "title: Wire copy\n").unwrap();
    let person = root.join("content/people/ana-lukic.md");
    fs::write(&person, "---\nname: Ana Lukić\naliases: [Lukić]\nsummary: Mayor of Split.\n---\n").unwrap();
    const ARTICLES: usize = 400;
    for i in 0..ARTICLES {
        let body = format!("Ana Lukić spoke on day {i}.\nLukić, who was\nre-elected, left.");
        let text = format!("---\ntitle: “Day {i}”\ndate: 2024-01-01\n---\n{body}\n");
        fs::write(root.join(format!("content/articles/day-{i}.md")), text).unwrap();
    }
    let server = start(root);
    let stream = events(server.port);
    let text = fs::read_to_string(&person).unwrap();
    fs::write(&person, text.replace("Mayor of Split.", "Former mayor of Split.")).unwrap();
    let event = next_event(&stream);
    assert!(event.starts_with("event: reload"), "{event}\n{}", server.printed());
    server.wait_for_line("more to render");
    for i in (0..ARTICLES).rev() {
        let (status, _, page) = get(server.port, &format!("/articles/day-{i}.html"));
        assert_eq!(status, 200);
        assert!(page.contains("Former mayor of Split."), "day {i} is served as it was");
    }
    let (_, _, person) = get(server.port, "/people/ana-lukic.html");
    assert!(person.contains("Former mayor of Split."));
    server.wait_for_line("every page rendered");
}

#[test]
fn restoring_the_last_good_text_after_an_error_reloads_and_clears_it() {
    let dir = site();
    let server = start(dir.path());
    let stream = events(server.port);
    let article = dir.path().join("content/articles/arrival.md");
    let good = fs::read_to_string(&article).unwrap();

    fs::write(&article, good.replace("---\n", "---\ntitle: [unclosed\n")).unwrap();
    assert!(next_event(&stream).starts_with("event: failed"));
    // The text the site was last built from, saved again: nothing to
    // render, but the error is gone.
    fs::write(&article, &good).unwrap();
    let event = next_event(&stream);
    assert!(event.starts_with("event: reload"), "the undo reloads every open page: {event}");

    // A page opened now shows no error: the first thing its stream tells
    // is the next build.
    let fresh = events(server.port);
    let entity = dir.path().join("content/people/vladimir-putin.md");
    let text = fs::read_to_string(&entity).unwrap();
    fs::write(&entity, format!("{text}\nAn added line.\n")).unwrap();
    let first = next_event(&fresh);
    assert!(first.starts_with("event: reload"), "no stale error: {first}");

    // An unrelated change while a file is broken neither reloads nor hides
    // the error.
    fs::write(&article, good.replace("---\n", "---\ntitle: [unclosed\n")).unwrap();
    assert!(wait_for_event(&stream, "failed").contains("arrival.md"));
    let failures = server.count_lines("still being served");
    fs::write(&entity, format!("{text}\nAnother line.\n")).unwrap();
    poll("the build to fail again", || server.count_lines("still being served") > failures);
    assert!(stream.try_recv().is_err(), "no reload");
    let late = next_event(&events(server.port));
    assert!(late.starts_with("event: failed") && late.contains("arrival.md"), "{late}");
}

#[test]
fn requests_are_answered_while_the_site_is_rebuilt() {
    let dir = site();
    // An article long enough that bringing it up to date takes a while.
    let words = ["the", "train", "rolled", "slowly", "east", "while", "officials", "watched", "Vladivostok"];
    let paragraphs: Vec<String> = (0..1500)
        .map(|p| (0..60).map(|w| words[(p * 7 + w * w) % words.len()]).collect::<Vec<_>>().join(" "))
        .collect();
    let long = dir.path().join("content/articles/long.md");
    fs::write(&long, format!("---\ntitle: A long journey\ndate: 2002-08-24\n---\n{}\n", paragraphs.join(".\n\n")))
        .unwrap();
    let server = start(dir.path());
    let stream = events(server.port);
    let text = fs::read_to_string(&long).unwrap();
    let changes = server.count_lines("after the change");
    fs::write(&long, text.replacen("A long journey", "A longer journey", 1)).unwrap();
    let (mut answered, mut slowest) = (0, Duration::ZERO);
    while stream.try_recv().is_err() {
        let started = Instant::now();
        assert_eq!(get(server.port, "/articles/arrival.html").0, 200);
        slowest = slowest.max(started.elapsed());
        answered += 1;
    }
    poll("the rebuild to finish", || server.count_lines("after the change") > changes);
    let log = server.printed();
    let line = log.lines().rfind(|l| l.contains("after the change")).unwrap();
    let rebuild: u64 = line.split_whitespace().find_map(|w| w.parse().ok()).unwrap();
    eprintln!("{answered} requests answered during a rebuild of {rebuild} ms, the slowest in {slowest:?}");
    assert!(answered >= 3, "{answered} requests during a rebuild of {rebuild} ms");
    assert!(slowest.as_millis() * 2 < u128::from(rebuild), "a request waited {slowest:?} on a rebuild of {rebuild} ms");
    assert!(get(server.port, "/articles/long.html").2.contains("A longer journey"));
}

/// The build a served page says it is from.
fn built(page: &str) -> u64 {
    let rest = page.split("var built = ").nth(1).expect("the reload script");
    rest.split(';').next().unwrap().parse().unwrap()
}

#[test]
fn a_page_that_missed_a_rebuild_reloads_when_its_stream_opens() {
    let dir = site();
    let server = start(dir.path());
    let old = built(&get(server.port, "/articles/arrival.html").2);
    let article = dir.path().join("content/articles/arrival.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("where Putin waited", "where Putin waited long")).unwrap();
    poll("the rebuild", || built(&get(server.port, "/articles/arrival.html").2) > old);
    // The page served before the rebuild opens its stream only now.
    let late = events_at(server.port, &format!("/__gloss/events?since={old}"));
    assert!(next_event(&late).starts_with("event: reload"));
    // A page of the current build is told nothing until the next one.
    let current = built(&get(server.port, "/articles/arrival.html").2);
    let fresh = events_at(server.port, &format!("/__gloss/events?since={current}"));
    fs::write(&article, text).unwrap();
    assert!(next_event(&fresh).starts_with("event: reload"));
    assert_eq!(built(&get(server.port, "/articles/arrival.html").2), current + 1);
}

#[test]
fn a_deleted_and_recreated_content_folder_is_watched_again() {
    let dir = site();
    let server = start(dir.path());
    let stream = events(server.port);
    let content = dir.path().join("content");
    fs::remove_dir_all(&content).unwrap();
    assert!(wait_for_event(&stream, "failed").contains("content"));
    server.wait_for_line("content/ is gone");

    copy_dir(&fixture("two-articles").join("content"), &content);
    server.wait_for_line("content/ is back");
    wait_for_event(&stream, "reload");
    poll("the site to be built again", || get(server.port, "/articles/arrival.html").0 == 200);

    // Later edits are seen.
    let article = content.join("articles/arrival.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("where Putin waited", "where Putin waited again")).unwrap();
    poll("the edit to be served", || get(server.port, "/articles/arrival.html").2.contains("waited again"));
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
fn http_details() {
    let server = start(&fixture("two-articles"));
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}");

    let refused = send(port, &format!("POST / HTTP/1.1\r\n{host}\r\nContent-Length: 0\r\n\r\n"));
    assert_eq!((refused.status, refused.header("Allow")), (405, Some("GET, HEAD")));
    for version in ["HTTP/1.9", "HTTP/2.0", "HTTP/0.9"] {
        assert_eq!(send(port, &format!("GET / {version}\r\n{host}\r\n\r\n")).status, 400, "{version}");
    }
    // HTTP/1.0 may leave out Host; HTTP/1.1 may not.
    assert_eq!(send(port, "GET / HTTP/1.0\r\n\r\n").status, 200);
    assert_eq!(send(port, "GET / HTTP/1.1\r\n\r\n").status, 400);
    assert_eq!(send(port, &format!("GET / HTTP/1.1\r\n{host}\r\n{host}\r\n\r\n")).status, 400);

    let long = format!("/{}", "a".repeat(10_000));
    assert_eq!(send(port, &format!("GET {long} HTTP/1.1\r\n{host}\r\n\r\n")).status, 414);
    // The whole head is sent before the answer is read: the answer is not
    // lost to a reset.
    let huge = format!("GET / HTTP/1.1\r\n{host}\r\nX-Big: {}\r\n\r\n", "b".repeat(100_000));
    assert_eq!(send(port, &huge).status, 431);
    let many: String = (0..200).map(|i| format!("X-{i}: x\r\n")).collect();
    assert_eq!(send(port, &format!("GET / HTTP/1.1\r\n{host}\r\n{many}\r\n")).status, 431);
    assert_eq!(get(port, "/").0, 200, "still alive");
}

#[test]
fn keep_alive_pipelining_and_head() {
    let server = start(&fixture("two-articles"));
    let port = server.port;
    let mut stream = connect(port);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let request = |path: &str, method: &str| format!("{method} {path} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");

    // Two requests in one write: two responses, in order.
    stream.write_all(format!("{}{}", request("/", "GET"), request("/style.css", "GET")).as_bytes()).unwrap();
    let page = read_response(&mut reader, false).unwrap();
    let css = read_response(&mut reader, false).unwrap();
    assert_eq!((page.status, css.status), (200, 200));
    assert!(page.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(css.header("Content-Type").unwrap().starts_with("text/css"));

    // HEAD: the length of the page, and no body (the next response on the
    // same connection would be garbled by one).
    stream.write_all(format!("{}{}", request("/", "HEAD"), request("/style.css", "GET")).as_bytes()).unwrap();
    let head = read_response(&mut reader, true).unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length").unwrap(), page.body.len().to_string());
    let after = read_response(&mut reader, false).unwrap();
    assert_eq!((after.status, after.body.len()), (200, css.body.len()));

    // HEAD of the event stream: its head, no stream.
    stream.write_all(format!("{}{}", request("/__gloss/events", "HEAD"), request("/", "GET")).as_bytes()).unwrap();
    let events = read_response(&mut reader, true).unwrap();
    assert_eq!((events.status, events.header("Content-Type")), (200, Some("text/event-stream")));
    let after = read_response(&mut reader, false).unwrap();
    assert_eq!((after.status, after.body.len()), (200, page.body.len()));
}

#[test]
fn only_requests_for_this_server_are_answered() {
    let server = start(&fixture("two-articles"));
    let port = server.port;
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("LocalHost:{port}")] {
        assert_eq!(send(port, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n")).status, 200, "{host}");
    }
    // A page on another site that made its name point here (DNS rebinding).
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("localhost:{}", port ^ 1)] {
        let refused = send(port, &format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(refused.status, 421, "{host}");
        let text = refused.text();
        assert_eq!(text.trim_end().lines().count(), 1, "one line: {text}");
        assert!(!text.contains("<html"), "{text}");
    }
    let events = send(port, &format!("GET /__gloss/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"));
    assert_eq!(events.status, 421);
}

#[test]
fn entity_tags_and_ranges() {
    let dir = site();
    fs::create_dir_all(dir.path().join("static")).unwrap();
    fs::write(dir.path().join("static/digits.txt"), "0123456789").unwrap();
    let server = start(dir.path());
    let port = server.port;
    let get_with = |path: &str, header: &str| {
        send(port, &format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\n{header}\r\n"))
    };

    for path in ["/", "/style.css", "/digits.txt", "/search-index.js"] {
        let first = get_with(path, "");
        let tag = first.header("ETag").unwrap_or_else(|| panic!("{path} has an ETag"));
        let again = get_with(path, &format!("If-None-Match: {tag}\r\n"));
        assert_eq!((again.status, again.body.len()), (304, 0), "{path}");
        assert_eq!(get_with(path, "If-None-Match: \"other\"\r\n").status, 200, "{path}");
    }

    let part = get_with("/digits.txt", "Range: bytes=2-4\r\n");
    assert_eq!((part.status, part.text().as_str()), (206, "234"));
    assert_eq!(part.header("Content-Range"), Some("bytes 2-4/10"));
    assert_eq!(get_with("/digits.txt", "Range: bytes=-3\r\n").text(), "789");
    assert_eq!(get_with("/digits.txt", "Range: bytes=7-\r\n").text(), "789");
    let past = get_with("/digits.txt", "Range: bytes=10-\r\n");
    assert_eq!((past.status, past.header("Content-Range")), (416, Some("bytes */10")));
    let several = get_with("/digits.txt", "Range: bytes=0-1,3-4\r\n");
    assert_eq!((several.status, several.text().as_str()), (200, "0123456789"));
    let stale = get_with("/digits.txt", "Range: bytes=2-4\r\nIf-Range: \"old\"\r\n");
    assert_eq!((stale.status, stale.text().as_str()), (200, "0123456789"));
    let page = get_with("/", "Range: bytes=0-14\r\n");
    assert_eq!((page.status, page.text().as_str()), (206, "<!DOCTYPE html>"));

    // A changed file has a new tag.
    let tag = get_with("/digits.txt", "").header("ETag").unwrap().to_string();
    fs::write(dir.path().join("static/digits.txt"), "9876543210").unwrap();
    poll("the new file", || get_with("/digits.txt", &format!("If-None-Match: {tag}\r\n")).status == 200);
}

#[test]
fn slow_clients_are_dropped_while_others_are_served() {
    let server = start(&fixture("two-articles"));
    let port = server.port;
    // A byte a second: the head would take minutes.
    let mut slow = connect(port);
    let started = Instant::now();
    let trickle = {
        let mut slow = slow.try_clone().unwrap();
        std::thread::spawn(move || {
            for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".iter().chain([b'x'; 100].iter()) {
                if slow.write_all(&[*byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    // Meanwhile others are served.
    for _ in 0..5 {
        assert_eq!(get(port, "/").0, 200);
    }
    // The server closes the slow connection: reading ends, without a
    // response.
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let dropped = started.elapsed();
    assert!(dropped < Duration::from_secs(20), "dropped after {dropped:?}");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    let _ = slow.shutdown(std::net::Shutdown::Both);
    trickle.join().unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn hundreds_of_idle_connections_neither_block_others_nor_add_threads() {
    let server = start(&fixture("two-articles"));
    let threads = server.threads();
    let idle: Vec<TcpStream> = (0..300).map(|_| connect(server.port)).collect();
    // A half-sent request on some of them.
    for stream in idle.iter().step_by(3) {
        (&*stream).write_all(b"GET / HTTP/1.1\r\n").unwrap();
    }
    let started = Instant::now();
    assert_eq!(get(server.port, "/").0, 200);
    assert!(started.elapsed() < Duration::from_secs(10), "served in {:?}", started.elapsed());
    assert_eq!(server.threads(), threads, "no thread per connection");
    drop(idle);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_limit_neither_stops_nor_spins_the_server() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("skipped: no prlimit");
        return;
    }
    let (mut server, _) = start_with(&fixture("two-articles"), 0, &["prlimit", "--nofile=64", "--"]);
    // Far more connections than the server may have files.
    let idle: Vec<TcpStream> = (0..200).map(|_| connect(server.port)).collect();
    std::thread::sleep(Duration::from_millis(500));
    let (before, clock) = (server.cpu_ticks(), Instant::now());
    std::thread::sleep(Duration::from_secs(2));
    let used = server.cpu_ticks() - before;
    // Clock ticks are a hundredth of a second: a spinning loop would use
    // about as many as the time that passed.
    let passed = u64::try_from(clock.elapsed().as_millis() / 10).unwrap();
    assert!(used * 4 < passed, "the server used {used} ticks of CPU in {passed}");
    let started = Instant::now();
    assert_eq!(get(server.port, "/").0, 200, "a new client is served");
    assert!(started.elapsed() < Duration::from_secs(10), "served in {:?}", started.elapsed());
    assert!(server.alive());
    drop(idle);
    assert_eq!(get(server.port, "/style.css").0, 200);
    assert!(server.alive());
}

/// Runs the server as `nobody` (so that a limit on threads holds: root
/// escapes it) with no more threads than it starts with, and shows that
/// many connections need no more. Skipped unless run as root.
#[cfg(target_os = "linux")]
#[test]
fn a_thread_limit_does_not_stop_the_server() {
    let root_user = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout == b"0\n");
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !root_user || !setpriv {
        eprintln!("skipped: needs root and setpriv to run the server as another user");
        return;
    }
    let dir = site();
    readable_by_all(dir.path());
    let as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
    let check = Command::new(as_nobody[0])
        .args(&as_nobody[1..])
        .arg(env!("CARGO_BIN_EXE_gloss"))
        .arg("check")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    if !check.status.success() {
        eprintln!("skipped: nobody cannot run gloss on a site here: {}", String::from_utf8_lossy(&check.stderr));
        return;
    }
    // A link to /etc, which nobody cannot wholly read, in static/.
    std::os::unix::fs::symlink("/etc", dir.path().join("static/etc")).unwrap();
    // The threads the server makes.
    let threads = start_with(dir.path(), 0, &as_nobody).0.threads();
    let limit = format!("--nproc={threads}");
    let mut wrapper = as_nobody.to_vec();
    wrapper.extend(["prlimit", &limit, "--"]);
    let (mut server, _) = start_with(dir.path(), 0, &wrapper);
    let port = server.port;
    let clients: Vec<_> = (0..50)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = connect(port);
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                (0..3)
                    .map(|_| {
                        stream
                            .write_all(format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes())
                            .unwrap();
                        read_response(&mut reader, false).map_or(0, |r| r.status)
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), [200, 200, 200]);
    }
    let stream = events(port);
    let article = dir.path().join("content/articles/arrival.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replace("where Putin waited", "where Putin waited calmly")).unwrap();
    wait_for_event(&stream, "reload");
    assert!(get(port, "/articles/arrival.html").2.contains("waited calmly"));
    assert!(server.alive(), "{}", server.printed());
    assert_eq!(get(port, "/etc/passwd").0, 404, "nothing is served through the link");
}

#[cfg(unix)]
fn readable_by_all(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(path.join("static")).unwrap();
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_to_a_big_folder_in_static_is_neither_watched_nor_served() {
    let dir = site();
    fs::create_dir_all(dir.path().join("static")).unwrap();
    std::os::unix::fs::symlink("/usr", dir.path().join("static/usr")).unwrap();
    let server = start(dir.path());
    let watches = server.watches();
    assert!(watches > 0 && watches < 50, "{watches} watches");
    assert_eq!(get(server.port, "/usr/bin/env").0, 404);
    assert_eq!(get(server.port, "/").0, 200);
}

#[cfg(unix)]
#[test]
fn a_static_folder_swapped_for_a_link_is_not_served_through_it() {
    let dir = site();
    fs::create_dir_all(dir.path().join("static/docs")).unwrap();
    fs::write(dir.path().join("static/docs/note.txt"), "the site's note").unwrap();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("note.txt"), "a secret outside the site").unwrap();
    let server = start(dir.path());
    assert_eq!(get(server.port, "/docs/note.txt").2, "the site's note");

    fs::rename(dir.path().join("static/docs"), dir.path().join("docs-away")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("static/docs")).unwrap();
    // Before and after the rebuild that follows, the file is not served.
    for _ in 0..20 {
        let (status, _, body) = get(server.port, "/docs/note.txt");
        assert_eq!(status, 404);
        assert!(!body.contains("secret"));
    }
    server.wait_for_line("Built");
    assert_eq!(get(server.port, "/docs/note.txt").0, 404);
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
    let dir = site();
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
    let dir = site();
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
    assert!(site.pages().iter().any(|p| p.path == "places/komsomolsk-on-amur.html"));
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

#[test]
fn drafts_feeds_and_addresses_without_html_are_served() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("publishing"), dir.path());
    let server = start(dir.path());
    let port = server.port;

    // Drafts are shown while writing, under their banner.
    let (status, _, draft) = get(port, "/articles/island-campus.html");
    assert_eq!(status, 200);
    assert!(draft.contains("class=\"draft-banner\""));
    // The feed links to the server itself, not to site.yaml's base_url.
    let (status, head, feed) = get(port, "/atom.xml");
    assert_eq!(status, 200, "{feed}");
    assert!(head.contains("Content-Type: application/xml"), "{head}");
    assert!(feed.contains(&format!("http://127.0.0.1:{port}/articles/harbour-notes.html")), "{feed}");
    assert!(!feed.contains("ledger.example.org"));

    // An address without .html is the page itself; a folder-like one
    // moves where the page's relative links hold.
    let (_, _, page) = get(port, "/articles/harbour-notes.html");
    let (status, _, same) = get(port, "/articles/harbour-notes");
    assert_eq!(status, 200);
    assert_eq!(same, page);
    let response = send(port, &format!("GET /articles/harbour-notes/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
    assert_eq!(response.status, 302);
    assert_eq!(response.header("Location"), Some("/articles/harbour-notes.html"));
    let response = send(port, &format!("GET /tags HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
    assert_eq!(response.status, 302);
    assert_eq!(response.header("Location"), Some("/tags/"));
    assert_eq!(get(port, "/articles/nothing-here").0, 404);

    // An article folder's image, and its smaller copy, are served.
    let (status, head, _) = get(port, "/articles/bridge-opens/span.jpg");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: image/jpeg"), "{head}");
    let (_, _, page) = get(port, "/articles/bridge-opens.html");
    let copy = page.split("srcset=\"../").nth(1).and_then(|s| s.split(' ').next()).expect("a srcset");
    let (status, head, _) = get(port, &format!("/{copy}"));
    assert_eq!(status, 200, "{copy}");
    assert!(head.contains("Content-Type: image/jpeg"), "{head}");
}
