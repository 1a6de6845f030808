//! `tiller serve` as editors use it: started on a free port against a copy of
//! a fixture site, then fetched from, edited, broken and fixed, and attacked,
//! over real HTTP. The client here is a few lines over a TCP socket on
//! purpose: it must be able to send requests a proper client would refuse to.
//!
//! Running out of file watches is real here: the server runs in a user
//! namespace of its own (`unshare --user`), where the limit on inotify watches
//! can be lowered for it alone. Where that is not possible the tests that need
//! it say so and pass, unless `TILLER_REQUIRE_USERNS` is set, as in CI.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

mod common;
use common::default_theme_site;
use walkdir::WalkDir;

const PATIENCE: Duration = Duration::from_secs(10);

const TILLER: &str = env!("CARGO_BIN_EXE_tiller");

/// Inside a new user namespace, as its root: sets the namespace's limit on
/// inotify watches to the first argument, then runs the rest.
const WITH_WATCH_LIMIT: &str =
    "echo \"$1\" > /proc/sys/user/max_inotify_watches && shift && exec \"$@\"";

/// A running server over a temporary copy of the `default-theme` fixture.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    /// Lines the server prints on stdout, as they come.
    lines: Receiver<String>,
    /// Lines the server prints on stderr (problems, warnings), as they come.
    warnings: Receiver<String>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut command = Command::new(TILLER);
        command.args(["serve", "--port", "0"]).args(extra);
        Server::run(default_theme_site(), command)
    }

    /// A server that may add only `allowed(needed)` inotify watches, where
    /// `needed` is how many watching the site's sources takes: one for the
    /// root, and one for each folder under `content/`, `themes/` and
    /// `static/`, which are watched recursively. `None` where the limit cannot
    /// be set.
    fn start_with_watches(allowed: impl FnOnce(usize) -> usize) -> Option<Server> {
        if !watch_limits_can_be_set() {
            return None;
        }
        let dir = default_theme_site();
        let folders = ["content", "themes", "static"]
            .iter()
            .filter(|folder| dir.path().join(folder).is_dir())
            .flat_map(|folder| WalkDir::new(dir.path().join(folder)))
            .filter(|entry| entry.as_ref().is_ok_and(|e| e.file_type().is_dir()))
            .count();
        let limit = allowed(1 + folders).to_string();
        let mut command = Command::new("unshare");
        command
            .args(["--user", "--map-root-user", "sh", "-c", WITH_WATCH_LIMIT])
            .args(["sh", &limit, TILLER, "serve", "--port", "0"]);
        Some(Server::run(dir, command))
    }

    fn run(dir: tempfile::TempDir, mut command: Command) -> Server {
        let mut child = command
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tiller serve starts");
        let lines = read_lines(child.stdout.take().expect("stdout"));
        let warnings = read_lines(child.stderr.take().expect("stderr"));
        let started = Instant::now();
        let port = loop {
            let line = lines
                .recv_timeout(PATIENCE.saturating_sub(started.elapsed()))
                .expect("the server says where it serves");
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                break rest.trim_end_matches('/').parse().expect("a port");
            }
        };
        Server {
            child,
            port,
            dir,
            lines,
            warnings,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn get(&self, path: &str) -> Reply {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host()
        ))
    }

    fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read");
        Reply::parse(&bytes)
    }

    /// Waits for the next line the server prints that starts with `prefix`.
    fn expect_line(&self, prefix: &str) -> String {
        next_line_starting(&self.lines, prefix)
    }

    /// Waits for the next line on stderr that starts with `prefix`.
    fn expect_warning(&self, prefix: &str) -> String {
        next_line_starting(&self.warnings, prefix)
    }

    /// Waits until a GET of `path` satisfies `test`.
    fn until(&self, path: &str, test: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if test(&reply) {
                return reply;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never became as expected; last:\n{}",
                reply.body
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn write(&self, path: &str, text: &str) {
        fs::write(self.root().join(path), text).expect("write");
    }

    fn edit(&self, path: &str, from: &str, to: &str) {
        let text = fs::read_to_string(self.root().join(path)).expect("read");
        assert!(text.contains(from), "{path} has no {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Edits `path` as [`Server::edit`] does and waits until `page` shows `to`.
    fn edit_and_see(&self, path: &str, from: &str, to: &str, page: &str) -> Reply {
        self.edit(path, from, to);
        self.until(page, |r| r.body.contains(to))
    }

    /// Opens the reload channel as the page at `path` does.
    fn listen(&self, path: &str) -> Receiver<String> {
        let page = self.get(path);
        let seen = page
            .body
            .split("&seen=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page carries the reload script")
            .to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let request = format!(
            "GET /__tiller/live?page={path}&seen={seen} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.host()
        );
        stream.write_all(request.as_bytes()).expect("send");
        let (send, receive) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        receive
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_lines(output: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn next_line_starting(lines: &Receiver<String>, prefix: &str) -> String {
    let started = Instant::now();
    loop {
        let line = lines
            .recv_timeout(PATIENCE.saturating_sub(started.elapsed()))
            .unwrap_or_else(|_| panic!("the server never printed {prefix:?}"));
        if line.starts_with(prefix) {
            return line;
        }
    }
}

/// Whether a user namespace can be had here, in which the limit on inotify
/// watches can be lowered for its processes alone.
fn watch_limits_can_be_set() -> bool {
    let works = Command::new("unshare")
        .args(["--user", "--map-root-user", "sh", "-c", WITH_WATCH_LIMIT])
        .args(["sh", "8", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !works {
        assert!(
            std::env::var_os("TILLER_REQUIRE_USERNS").is_none(),
            "`unshare --user --map-root-user` cannot set /proc/sys/user/max_inotify_watches here"
        );
        eprintln!("skipped: `unshare --user` cannot set the file watch limit here");
    }
    works
}

fn expect_reload(events: &Receiver<String>) {
    let started = Instant::now();
    loop {
        let line = events
            .recv_timeout(PATIENCE.saturating_sub(started.elapsed()))
            .expect("a reload event");
        if line == "data: reload" {
            return;
        }
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as a cold build would have it: without the injected script.
    fn without_script(&self) -> String {
        match self.body.rfind("<script>(()=>{const s=new EventSource(") {
            Some(at) => {
                let end = self.body[at..]
                    .find("</script>\n")
                    .map_or(self.body.len(), |e| at + e + "</script>\n".len());
                format!("{}{}", &self.body[..at], &self.body[end..])
            }
            None => self.body.clone(),
        }
    }
}

#[test]
fn serves_what_a_cold_build_makes_with_only_the_reload_script_added() {
    let server = Server::start(&[]);
    let mut settings = tiller::Settings {
        root: server.root().to_path_buf(),
        ..Default::default()
    };
    settings.overrides.base_url = Some(format!("http://{}/", server.host()));
    let built = tiller::compile(&settings).expect("cold build");
    for (path, bytes) in built.output.iter() {
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let reply = server.get(&url);
        assert_eq!(reply.status, 200, "{url}");
        let expected = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            assert!(
                reply
                    .body
                    .contains("new EventSource(\"/__tiller/live?page="),
                "{url} has no reload script"
            );
            assert_eq!(reply.without_script(), expected, "{url}");
        } else {
            assert_eq!(reply.body, expected, "{url}");
            assert!(
                !reply.body.contains("__tiller"),
                "{url} must not be touched"
            );
        }
        assert_eq!(reply.header("access-control-allow-origin"), None);
    }
    assert!(
        !server.root().join("public").exists(),
        "serve writes nothing"
    );
}

#[test]
fn answers_like_a_static_host() {
    let server = Server::start(&[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        server.get("/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/favicon.svg").header("content-type"),
        Some("image/svg+xml; charset=utf-8")
    );
    let about = server.get("/about");
    assert_eq!(about.status, 301);
    assert_eq!(about.header("location"), Some("/about/"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the theme's 404 page"
    );
    let head = server.request(&format!(
        "HEAD / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.host()
    ));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = server.request(&format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.host()
    ));
    assert_eq!(post.status, 405);
}

#[test]
fn never_serves_anything_outside_the_site() {
    let server = Server::start(&[]);
    fs::write(server.root().join("secret.txt"), "do not serve").expect("secret");
    for path in [
        "/../site.toml",
        "/..%2fsite.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/articles/../../site.toml",
        "/..\\site.toml",
        "/%5c..%5csite.toml",
        "/secret.txt%00.html",
        "/content/articles/supervision.md",
        "/site.toml",
        "/secret.txt",
        "//etc/passwd",
    ] {
        let reply = server.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.host()
        ));
        assert!(
            matches!(reply.status, 400 | 404),
            "{path} gave {}",
            reply.status
        );
        assert!(
            !reply.body.contains("base_url") && !reply.body.contains("do not serve"),
            "{path} leaked"
        );
    }
    let long = format!("/{}", "a/".repeat(3000));
    assert!(matches!(server.get(&long).status, 400 | 404 | 414 | 431));
}

#[test]
fn refuses_foreign_hosts_and_origins() {
    let server = Server::start(&[]);
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1:{}", port + 1),
    ] {
        let reply = server.request(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 400, "{host}");
    }
    let local = server.request(&format!(
        "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(local.status, 200);
    let foreign = server.request(&format!(
        "GET /__tiller/live?page=/&seen=0 HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n",
        server.host()
    ));
    assert_eq!(foreign.status, 403);
}

#[test]
fn edits_renames_and_deletions_reload_the_page_with_the_new_content() {
    let server = Server::start(&[]);
    let page = "/articles/supervision/";
    let article = "content/articles/supervision.md";

    let events = server.listen(page);
    server.edit(article, "Time to think.", "Time to think, and to talk.");
    expect_reload(&events);
    assert!(
        server
            .get(page)
            .body
            .contains("Time to think, and to talk.")
    );

    // An editor that saves by writing a temporary file and renaming it over the original.
    let events = server.listen(page);
    let text = fs::read_to_string(server.root().join(article)).expect("read");
    server.write(
        "content/articles/.supervision.md.tmp",
        &text.replace("Managers.", "Managers, weekly."),
    );
    fs::rename(
        server.root().join("content/articles/.supervision.md.tmp"),
        server.root().join(article),
    )
    .expect("rename");
    expect_reload(&events);
    assert!(server.get(page).body.contains("Managers, weekly."));

    // A new article appears; then it is deleted and its page is gone.
    server.write(
        "content/articles/new.md",
        "---\ntitle: Brand new\nkind: blog\nthemes: [workforce]\n---\n\nHello.\n",
    );
    server.until("/articles/new/", |r| {
        r.status == 200 && r.body.contains("Brand new")
    });
    let events = server.listen("/articles/new/");
    fs::remove_file(server.root().join("content/articles/new.md")).expect("delete");
    expect_reload(&events);
    assert_eq!(server.get("/articles/new/").status, 404);

    // A template edit re-renders the pages without any content changing.
    let events = server.listen(page);
    server.edit(
        "themes/default/templates/base.html",
        "Skip to main content",
        "Skip to the article",
    );
    expect_reload(&events);
    assert!(server.get(page).body.contains("Skip to the article"));
}

#[test]
fn a_broken_file_shows_its_problem_in_every_page_until_it_is_fixed() {
    let server = Server::start(&[]);
    let article = "content/articles/recruitment.md";
    let events = server.listen("/about/");
    server.edit(article, "kind: guidance", "kind: guidance\ntagz: [x]");
    expect_reload(&events);
    server.expect_line("rebuild failed");
    let about = server.get("/about/");
    assert_eq!(about.status, 200, "the last good site is still served");
    assert!(
        about
            .body
            .contains("<div id=\"tiller-problems\" role=\"alert\"")
    );
    assert!(about.body.contains(
        "content/articles/recruitment.md:4:1: error: front matter: unknown field `tagz`"
    ));

    let events = server.listen("/about/");
    server.edit(article, "kind: guidance\ntagz: [x]", "kind: guidance");
    expect_reload(&events);
    assert!(!server.get("/about/").body.contains("tiller-problems"));

    // Broken templates and a broken site.toml do not stop the server either.
    server.edit(
        "themes/default/templates/page.html",
        "{{ content.title }}",
        "{{ content.title ",
    );
    server.until("/about/", |r| {
        r.body.contains("themes/default/templates/page.html:")
    });
    server.edit(
        "themes/default/templates/page.html",
        "{{ content.title ",
        "{{ content.title }}",
    );
    server.until("/about/", |r| !r.body.contains("tiller-problems"));
    let config = fs::read_to_string(server.root().join("site.toml")).expect("read");
    server.write("site.toml", "title = [\n");
    server.until("/about/", |r| r.body.contains("site.toml:"));
    server.write("site.toml", &config);
    server.until("/about/", |r| {
        r.status == 200 && !r.body.contains("tiller-problems")
    });
    // Problem text is escaped, never run.
    server.edit(
        article,
        "kind: guidance",
        "kind: \"<script>alert(1)</script>\"",
    );
    let shown = server.until("/about/", |r| r.body.contains("tiller-problems"));
    assert!(shown.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!shown.body.contains("<script>alert(1)"));
}

#[test]
fn the_entities_file_can_be_added_broken_fixed_and_removed() {
    let server = Server::start(&[]);
    let page = "/articles/recruitment/";
    let link = "<a class=\"mention\" id=\"mention-people\" href=\"/glossary/people/\"";
    assert!(!server.get(page).body.contains(link));

    // A new entities file links the first mention and makes the entity's page.
    let entities = "- name: People\n  kind: concept\n  description: \"Those who do the work.\"\n";
    server.write("content/entities.yaml", entities);
    server.until(page, |r| r.body.contains(link));
    let entity = server.until("/glossary/people/", |r| r.status == 200);
    assert!(entity.body.contains("Those who do the work."));
    assert!(
        entity.body.contains("Recruiting the right "),
        "{}",
        entity.body
    );

    // A mistake in it is shown over the pages, at its line and column, and
    // the last good site is kept.
    server.write(
        "content/entities.yaml",
        &entities.replace("kind: concept", "kind: consept"),
    );
    let shown = server.until(page, |r| r.body.contains("tiller-problems"));
    assert!(
        shown
            .body
            .contains("content/entities.yaml:2:9: error: unknown kind"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains(link));
    server.write("content/entities.yaml", entities);
    server.until(page, |r| !r.body.contains("tiller-problems"));

    // Without the file, the links and the pages go.
    fs::remove_file(server.root().join("content/entities.yaml")).expect("remove");
    server.until(page, |r| !r.body.contains(link));
    server.until("/glossary/people/", |r| r.status == 404);
}

/// How many rebuilds the server printed since this was last asked.
fn rebuilds_printed(server: &Server) -> usize {
    server
        .lines
        .try_iter()
        .filter(|line| line.starts_with("rebuil"))
        .count()
}

#[test]
fn a_stream_of_saves_makes_at_most_one_rebuild_per_100_ms_and_the_last_lands() {
    // A formatter or a sync tool: 500 saves 4 ms apart, round the articles.
    let server = Server::start(&[]);
    let articles = [
        (
            "content/articles/supervision.md",
            "Managers.",
            "/articles/supervision/",
        ),
        (
            "content/articles/recruitment.md",
            "matters.",
            "/articles/recruitment/",
        ),
    ];
    let texts: Vec<String> = articles
        .iter()
        .map(|(path, ..)| fs::read_to_string(server.root().join(path)).expect("read"))
        .collect();
    let saved = |i: usize| {
        let (path, from, _) = articles[i % articles.len()];
        let text = texts[i % articles.len()].replace(from, &format!("{from} Save {i}."));
        (path, text)
    };
    std::thread::sleep(Duration::from_millis(300));
    rebuilds_printed(&server);

    let started = Instant::now();
    for i in 0..500 {
        let (path, text) = saved(i);
        server.write(path, &text);
        std::thread::sleep(Duration::from_millis(4));
    }
    let last_save = Instant::now();
    let stream = last_save - started;
    // Within a second of the last save, every page shows what was last written.
    for (at, (_, _, page)) in articles.iter().enumerate() {
        let last = (0..500)
            .rev()
            .find(|i| i % articles.len() == at)
            .expect("a save");
        let (_, text) = saved(last);
        let wanted = text
            .lines()
            .find(|l| l.contains("Save "))
            .expect("saved line")
            .to_string();
        server.until(page, |r| r.body.contains(&wanted));
    }
    let latency = last_save.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    let rebuilds = rebuilds_printed(&server);
    eprintln!(
        "500 saves over {} ms: {rebuilds} rebuilds; every page current {} ms after the last save",
        stream.as_millis(),
        latency.as_millis()
    );
    assert!(
        latency < Duration::from_secs(1),
        "the last save showed {} ms after it was made",
        latency.as_millis()
    );
    // One rebuild per 100 ms of stream; and the first comes at once, the last
    // after the stream, and a save's event may come a little late.
    let allowed = stream.as_millis() as usize / 100 + 3;
    assert!(
        rebuilds <= allowed,
        "{rebuilds} rebuilds for 500 saves over {} ms (at most {allowed})",
        stream.as_millis()
    );
}

#[test]
fn a_single_save_after_quiet_is_rebuilt_at_once() {
    let server = Server::start(&[]);
    let article = "content/articles/supervision.md";
    let text = fs::read_to_string(server.root().join(article)).expect("read");
    // The least of a few tries, so that a busy machine does not decide it:
    // a rebuild held back to the next 100 ms window would never start sooner.
    let mut waits = Vec::new();
    for i in 0..3 {
        std::thread::sleep(Duration::from_millis(300));
        rebuilds_printed(&server);
        let saved = Instant::now();
        server.write(
            article,
            &text.replace("Managers.", &format!("Managers {i}.")),
        );
        let line = server.expect_line("rebuilt in ");
        let took: u64 = line
            .strip_prefix("rebuilt in ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|ms| ms.parse().ok())
            .expect("the rebuild's time");
        let waited = saved.elapsed().saturating_sub(Duration::from_millis(took));
        waits.push(waited.as_millis());
    }
    let least = waits.iter().min().copied().unwrap_or_default();
    eprintln!("a single save waited {waits:?} ms before its rebuild");
    assert!(
        least < 80,
        "a single save waited {waits:?} ms before its rebuild"
    );
}

#[test]
fn changes_outside_the_sources_are_ignored() {
    let server = Server::start(&[]);
    fs::create_dir_all(server.root().join("public")).expect("public");
    fs::write(server.root().join("public/index.html"), "x").expect("write");
    fs::create_dir_all(server.root().join("target")).expect("target");
    fs::write(server.root().join("target/junk"), "x").expect("write");
    fs::write(server.root().join("notes.txt"), "x").expect("write");
    fs::write(
        server.root().join("content/articles/.supervision.md.swp"),
        "x",
    )
    .expect("write");
    std::thread::sleep(Duration::from_millis(300));
    let printed: Vec<String> = server.lines.try_iter().collect();
    assert!(
        printed.iter().all(|l| !l.starts_with("rebuil")),
        "nothing to rebuild: {printed:?}"
    );
    server.edit(
        "content/articles/supervision.md",
        "Managers.",
        "Managers too.",
    );
    let line = server.expect_line("rebuilt");
    server.until("/search/text-0.js", |r| r.body.contains("Managers too."));
    // The article's page, the three feeds that carry its text, and the
    // search's text and words files that hold its new word.
    assert!(
        line.ends_with(": 1 source file(s) parsed, 6 output file(s) changed"),
        "{line}"
    );
}

const SUPERVISION: &str = "content/articles/supervision.md";

/// The start of what the server prints when it runs out of file watches.
const OUT_OF_WATCHES: &str = "warning: the system ran out of file watches";

/// Asserts that the page at `path` shows the out-of-watches notice, escaped.
fn shows_the_notice(server: &Server, path: &str, place: &str) {
    let page = server.get(path);
    assert!(
        page.body
            .contains("<div id=\"tiller-notice\" role=\"status\""),
        "{}",
        page.body
    );
    let notice = format!(
        "<strong>tiller serve: warning:</strong> the system ran out of file watches (at {place}), \
         so not every source folder can be watched; polling every 500 ms instead"
    );
    assert!(page.body.contains(&notice), "{}", page.body);
}

#[test]
fn running_out_of_watches_for_a_new_folder_falls_back_to_polling() {
    // Enough watches for the site as it is, none for a folder more.
    let Some(server) = Server::start_with_watches(|needed| needed) else {
        return;
    };
    let article = "/articles/supervision/";
    let page = server.edit_and_see(SUPERVISION, "Managers.", "Managers, watched.", article);
    assert!(!page.body.contains("tiller-notice"));

    // notify watches a folder created inside content/ on its own, and fails.
    let events = server.listen("/about/");
    fs::create_dir(server.root().join("content/more")).expect("folder");
    server.write(
        "content/more/new.md",
        "---\ntitle: More here\n---\n\nHello.\n",
    );
    let said = server.expect_warning(OUT_OF_WATCHES);
    assert!(said.contains("(at content/more)"), "{said}");
    assert!(said.contains("fs.inotify.max_user_watches"), "{said}");
    expect_reload(&events);
    shows_the_notice(&server, "/about/", "content/more");

    // Nothing is missed: the new page, an edit in the unwatched folder, and
    // one elsewhere.
    server.until("/more/new/", |r| {
        r.status == 200 && r.body.contains("Hello.")
    });
    server.edit_and_see(
        "content/more/new.md",
        "Hello.",
        "Hello, polled.",
        "/more/new/",
    );
    let page = server.edit_and_see(
        SUPERVISION,
        "Managers, watched.",
        "Managers, polled.",
        article,
    );
    assert!(page.body.contains("tiller-notice"));
}

#[test]
fn running_out_of_watches_for_a_new_source_folder_falls_back_to_polling() {
    let Some(server) = Server::start_with_watches(|needed| needed) else {
        return;
    };
    // The site has no static/ yet: the server adds its watch when it appears.
    fs::create_dir(server.root().join("static")).expect("folder");
    server.write("static/notes.txt", "first");
    let said = server.expect_warning(OUT_OF_WATCHES);
    assert!(said.contains("(at static)"), "{said}");
    server.until("/notes.txt", |r| r.status == 200 && r.body == "first");
    shows_the_notice(&server, "/", "static");
    server.write("static/notes.txt", "second");
    server.until("/notes.txt", |r| r.body == "second");
}

#[test]
fn too_few_watches_at_the_start_means_polling_from_the_start() {
    // One watch short of the site's sources.
    let Some(server) = Server::start_with_watches(|needed| needed - 1) else {
        return;
    };
    let said = server.expect_warning(OUT_OF_WATCHES);
    assert!(said.contains("polling every 500 ms"), "{said}");
    let place = said
        .split("(at ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("where the watches ran out");
    shows_the_notice(&server, "/about/", place);
    server.edit_and_see(
        SUPERVISION,
        "Managers.",
        "Managers, polled.",
        "/articles/supervision/",
    );
}

#[test]
fn polling_picks_up_changes_too() {
    let server = Server::start(&["--poll"]);
    server.edit_and_see(
        SUPERVISION,
        "Managers.",
        "Managers, by polling.",
        "/articles/supervision/",
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut server = Server::start(&[]);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(started.elapsed() < PATIENCE, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_site_under_a_base_path_is_served_under_it_and_its_root_links_work() {
    let dir = default_theme_site();
    let config = fs::read_to_string(dir.path().join("site.toml")).expect("read");
    fs::write(
        dir.path().join("site.toml"),
        config.replace("https://example.org/", "https://example.org/blog/"),
    )
    .expect("write");
    let about = dir.path().join("content/about.md");
    let text = fs::read_to_string(&about).expect("read");
    fs::write(
        &about,
        format!("{text}\nSee [supervision](/blog/articles/supervision/#who-does-it).\n"),
    )
    .expect("write");
    let mut command = Command::new(TILLER);
    command.args(["serve", "--port", "0"]);
    let server = Server::run(dir, command);

    let home = server.get("/");
    assert_eq!(home.status, 301);
    assert_eq!(home.header("location"), Some("/blog/"));
    assert_eq!(server.get("/blog").header("location"), Some("/blog/"));
    let page = server.get("/blog/about/");
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("href=\"/blog/articles/supervision/#who-does-it\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("tiller-problems"),
        "no problem is shown: {}",
        page.body
    );
    assert_eq!(server.get("/blog/articles/supervision/").status, 200);
    assert_eq!(server.get("/articles/supervision/").status, 404);
}
