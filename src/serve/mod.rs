//! Serve: takes a site root and serves the site over HTTP from memory, keeping
//! it current: the files are watched, every change is rebuilt (redoing only
//! what it touches), and every open page reloads when its bytes change. A
//! failed rebuild keeps the last good site and shows the problems over every
//! page. Nothing is written to disk.

pub mod session;
pub mod watch;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::sync::watch as latest;

use crate::Settings;
use crate::cache::fingerprint;
use crate::diagnostics::Diagnostic;
use crate::resolve::routes;
use crate::serve::session::{Rebuilt, Session};
use crate::serve::watch::{Changes, Watching, watch as start_watching};
use crate::write::SiteFiles;

/// A site in memory, shared between the rebuilder and the requests.
type Files = Arc<SiteFiles>;

/// Where the reload channel is served. Pages never have this path: it is not
/// a valid site path (it starts with `__`, which no slug does).
pub(crate) const LIVE_PATH: &str = "/__tiller/live";

/// The least time between the starts of two rebuilds. A single save is
/// rebuilt at once, but a stream of saves a few milliseconds apart (a
/// formatter, a sync tool, a script) would otherwise start a rebuild for
/// nearly every save, each soon out of date, and the pages would lag behind
/// the files; gathered into one rebuild per window, the stream costs a bounded
/// number of rebuilds and its last save shows soon after it is made.
const REBUILD_GAP: Duration = Duration::from_millis(100);

/// Longest request path accepted; a longer one is refused outright.
const MAX_PATH: usize = 2048;

/// How `tiller serve` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub settings: Settings,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: Opening,
    pub watching: Watching,
}

/// Whether to open the site in a browser once it is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    Browser,
    Nothing,
}

/// The search page, which reloads when the search index changes.
const SEARCH_PAGE: &str = "search/index.html";

/// What the server shows: replaced whole after each rebuild, so that a
/// request sees one site, never half of two.
#[derive(Debug)]
struct Snapshot {
    /// The last site that built (empty if none has yet).
    files: Files,
    /// The problems of the last rebuild; errors mean it failed.
    problems: Vec<Diagnostic>,
    /// Why changes are polled for rather than watched, when that was not
    /// asked for (the system ran out of file watches).
    notice: Option<String>,
    /// Identifies `problems` and `notice`, for telling pages whether what is
    /// shown over them changed.
    overlay_fingerprint: u64,
    /// The path the site is served under, as `site.toml`'s `base_url` says:
    /// `/` or `/blog/`. Kept, so that links authors write with it work here too.
    base_path: String,
}

impl Snapshot {
    fn failed(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }

    /// Identifies what a page at `key` looks like now: its file and the
    /// problems shown over it. An open page reloads when this changes.
    fn state_of(&self, key: &str) -> u64 {
        let file = self.files.get(key).map(|f| f.version);
        // The search page shows what its index says.
        let index = (key == SEARCH_PAGE)
            .then(|| self.files.get(routes::INDEX_FILE).map(|f| f.version))
            .flatten();
        fingerprint(&(file, index, self.overlay_fingerprint))
    }
}

/// What every request handler shares.
#[derive(Clone)]
struct Shared {
    snapshots: latest::Receiver<Arc<Snapshot>>,
    stopping: latest::Receiver<bool>,
    /// `Host` header values this server answers to.
    hosts: Arc<Vec<String>>,
    /// Whether it listens on every interface, where IP-literal hosts are also fine.
    open_to_network: bool,
    port: u16,
}

/// Why the server could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

/// Runs the dev server until Ctrl-C.
pub fn serve(mut options: Options) -> Result<(), ServeError> {
    let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
        ServeError(format!(
            "cannot listen on {}:{}: {e}",
            options.bind, options.port
        ))
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| ServeError(e.to_string()))?;
    let shown = display_address(address);
    // Links in served pages must point at this server, under the site's own
    // base path, so that the links authors write with it work here too.
    options.settings.overrides.origin = Some(format!("http://{shown}"));

    // Watching starts before the first build, so that nothing saved between
    // them is missed, and so that the first pages can say if it fell short.
    let mut watcher =
        start_watching(&options.settings.root, options.watching).map_err(ServeError)?;
    let mut session = Session::new(options.settings.clone());
    let first = session.rebuild(&Changes::everything());
    report(&first, None);
    let (publish, snapshots) = latest::channel(Arc::new(snapshot(&first, None, watcher.notice())));
    std::thread::spawn(move || {
        // The rebuilder: waits for changes, gathers all that arrived, rebuilds
        // and shows the result.
        let show = |rebuilt: &Rebuilt, notice: Option<&str>| {
            let last = publish.borrow().clone();
            let next = snapshot(rebuilt, Some(&last), notice);
            let same_files = Arc::ptr_eq(&next.files, &last.files) || rebuilt.changed.is_empty();
            if !(same_files && next.overlay_fingerprint == last.overlay_fingerprint) {
                publish.send_replace(Arc::new(next));
            }
        };
        let mut last_started: Option<Instant> = None;
        while let Ok(mut changes) = watcher.changes.recv() {
            // A change after a quiet spell is rebuilt at once; one that comes
            // sooner waits for the next window, gathering all that arrives
            // meanwhile, so that the last of a stream of saves is rebuilt too.
            if let Some(opens) = last_started.map(|at| at + REBUILD_GAP) {
                while let Some(left) = opens.checked_duration_since(Instant::now()) {
                    match watcher.changes.recv_timeout(left) {
                        Ok(more) => changes.merge(more),
                        Err(_) => break,
                    }
                }
            }
            while let Ok(more) = watcher.changes.try_recv() {
                changes.merge(more);
            }
            // New source folders get watched; if watches ran out, the watcher
            // now polls and asks for everything to be looked at again.
            if let Err(problem) = watcher.watch_sources(&mut changes) {
                eprintln!("warning: {problem}");
            }
            let started = Instant::now();
            last_started = Some(started);
            let rebuilt = session.rebuild(&changes);
            report(&rebuilt, Some(started));
            show(&rebuilt, watcher.notice());
        }
    });

    let (stop, stopping) = latest::channel(false);
    let shared = Shared {
        snapshots,
        stopping,
        hosts: Arc::new(allowed_hosts(address)),
        open_to_network: address.ip().is_unspecified(),
        port: address.port(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| ServeError(e.to_string()))?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError(e.to_string()))?;
        let app = Router::new()
            .route(LIVE_PATH, get(live))
            .fallback(page)
            .with_state(shared);
        println!("serving http://{shown}/");
        let _ = std::io::stdout().flush();
        if options.open == Opening::Browser
            && let Err(e) = opener::open(format!("http://{shown}/"))
        {
            eprintln!("warning: cannot open a browser: {e}");
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                // Ends the reload streams, which would otherwise hold the shutdown.
                let _ = stop.send(true);
            })
            .await
            .map_err(|e| ServeError(e.to_string()))
    })?;
    println!("stopped");
    Ok(())
}

/// The address as a browser should be pointed at it.
fn display_address(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() => format!("localhost:{}", address.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", address.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", address.port()),
    }
}

/// The `Host` values this server answers to: its own address and the
/// loopback names. Anything else may be a DNS-rebinding attack, where a
/// hostile site's name is pointed at 127.0.0.1 to read the local server.
fn allowed_hosts(address: SocketAddr) -> Vec<String> {
    let port = address.port();
    let mut hosts = vec![
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        display_address(address),
    ];
    hosts.dedup();
    hosts
}

fn host_allowed(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    if shared.hosts.contains(&host) {
        return true;
    }
    // Listening on every interface: an IP address (never a name) on our port.
    shared.open_to_network
        && host.rsplit_once(':').is_some_and(|(ip, port)| {
            ip.trim_matches(['[', ']']).parse::<IpAddr>().is_ok() && port == shared.port.to_string()
        })
}

/// What to serve after a rebuild: its files, or the last good ones if it failed.
fn snapshot(rebuilt: &Rebuilt, last: Option<&Snapshot>, notice: Option<&str>) -> Snapshot {
    let problems = rebuilt.problems.clone();
    let notice = notice.map(str::to_string);
    let last_good = last.map(|l| l.files.clone()).unwrap_or_default();
    let base_path = match (&rebuilt.base_path, last) {
        (Some(path), _) => path.clone(),
        (None, Some(last)) => last.base_path.clone(),
        (None, None) => "/".to_string(),
    };
    Snapshot {
        base_path,
        files: rebuilt.files.clone().unwrap_or(last_good),
        overlay_fingerprint: fingerprint(&(&problems, &notice)),
        problems,
        notice,
    }
}

/// Prints what a rebuild found: problems to stderr, one line to stdout.
fn report(rebuilt: &Rebuilt, started: Option<Instant>) {
    for problem in &rebuilt.problems {
        eprintln!("{problem}");
    }
    let took = started
        .map(|s| format!(" in {} ms", s.elapsed().as_millis()))
        .unwrap_or_default();
    if rebuilt.files.is_some() {
        let c = rebuilt.counts;
        match started {
            None => println!(
                "built {} pages ({} articles, {} themes, {} tags){took}",
                c.pages, c.articles, c.themes, c.tags
            ),
            Some(_) => println!(
                "rebuilt{took}: {} source file(s) parsed, {} output file(s) changed",
                rebuilt.parsed,
                rebuilt.changed.len()
            ),
        }
    } else {
        let errors = rebuilt.problems.iter().filter(|p| p.is_error()).count();
        println!("rebuild failed{took}: {errors} error(s); still serving the last good site");
    }
    let _ = std::io::stdout().flush();
}

/// Why a request path was refused by [`file_key`].
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Malformed or an attempt to leave the site: 400.
    Bad,
}

/// The file key (`articles/x/index.html`) a request path asks for, checked:
/// no `..`, `.` or empty segments, no encoded slashes or backslashes, no NUL, no
/// backslashes, valid UTF-8, not too long. Files are only ever looked up in
/// the built site in memory, so nothing outside it can be reached at all;
/// these checks make odd requests fail plainly instead of by accident.
/// Public so that the fuzz target `serve_path` can reach it.
pub fn file_key(raw_path: &str) -> Result<String, Refusal> {
    if raw_path.len() > MAX_PATH || !raw_path.starts_with('/') || raw_path.contains('\\') {
        return Err(Refusal::Bad);
    }
    let lowered = raw_path.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"]
        .iter()
        .any(|bad| lowered.contains(bad))
    {
        return Err(Refusal::Bad);
    }
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .map_err(|_| Refusal::Bad)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(Refusal::Bad);
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    // An empty segment (`//etc`, `/a//b`) is no part of any site path; only
    // the last may be empty, after a folder's slash.
    let last = segments.len() - 1;
    let bad = |(i, s): (usize, &&str)| matches!(*s, ".." | ".") || (s.is_empty() && i < last);
    if segments.iter().enumerate().any(bad) {
        return Err(Refusal::Bad);
    }
    let mut key = segments.join("/");
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    Ok(key)
}

async fn page(State(shared): State<Shared>, request: Request) -> Response {
    if !host_allowed(&shared, request.headers()) {
        return plain(
            StatusCode::BAD_REQUEST,
            "Unexpected Host header: this server answers to localhost only.",
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served.",
        );
    }
    let raw_path = request.uri().path();
    let snapshot = shared.snapshots.borrow().clone();
    let key = match site_key(raw_path, &snapshot.base_path) {
        Ok(Some(key)) => key,
        Ok(None) => {
            // The server's root, or the base path without its slash: the
            // site is a step away.
            if raw_path == "/" || format!("{raw_path}/") == snapshot.base_path {
                return moved(&snapshot.base_path);
            }
            // Outside the base path nothing is served, as on the real host.
            String::new()
        }
        Err(Refusal::Bad) => return plain(StatusCode::BAD_REQUEST, "Bad request path."),
    };
    if let Some(file) = snapshot.files.get(key.as_str()) {
        return respond(&snapshot, &key, StatusCode::OK, &file.bytes);
    }
    // A folder asked for without its slash: send the browser to it, as static hosts do.
    if !key.is_empty()
        && snapshot
            .files
            .contains_key(format!("{key}/index.html").as_str())
    {
        let query = request
            .uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        return moved(&format!("{raw_path}/{query}"));
    }
    match snapshot.files.get("404.html") {
        Some(file) => respond(&snapshot, &key, StatusCode::NOT_FOUND, &file.bytes),
        None => {
            let body = b"<!DOCTYPE html><html lang=\"en\"><title>Not found</title><h1>Not found</h1></html>";
            respond(&snapshot, &key, StatusCode::NOT_FOUND, body)
        }
    }
}

fn moved(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "redirect"))
}

/// The file key a request path asks for on a site served under `base_path`
/// (`/blog/x/` → `x/index.html` under `/blog/`); `None` if the path is
/// outside the base path; refused if [`file_key`] refuses it.
fn site_key(raw_path: &str, base_path: &str) -> Result<Option<String>, Refusal> {
    file_key(raw_path)?;
    let base = base_path.trim_end_matches('/');
    match raw_path.strip_prefix(base) {
        Some(inside) if inside.starts_with('/') => file_key(inside).map(Some),
        _ => Ok(None),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    secure(response.headers_mut());
    response
}

fn secure(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// A file's response. HTML pages get the reload script (and the problems, if
/// the last rebuild failed) before `</body>`; nothing else is touched.
fn respond(snapshot: &Snapshot, key: &str, status: StatusCode, bytes: &[u8]) -> Response {
    let html = key.ends_with(".html") || status == StatusCode::NOT_FOUND;
    let content_type = if html {
        "text/html; charset=utf-8".to_string()
    } else {
        let guess = mime_guess::from_path(key).first_or_octet_stream();
        match guess.type_() {
            mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
            _ if guess.subtype() == "xml" || guess.suffix().is_some_and(|s| s == "xml") => {
                format!("{guess}; charset=utf-8")
            }
            _ => guess.to_string(),
        }
    };
    let body = if html {
        Body::from(inject(bytes, snapshot, key))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "response"));
    secure(response.headers_mut());
    response
}

/// The page with the reload script, the problems overlay when the last
/// rebuild failed, and the watching notice when there is one, inserted before
/// the last `</body>` (or at the end).
fn inject(bytes: &[u8], snapshot: &Snapshot, key: &str) -> Vec<u8> {
    let mut addition = String::new();
    if snapshot.failed() {
        addition.push_str(&overlay(&snapshot.problems));
    }
    if let Some(notice) = &snapshot.notice {
        addition.push_str(&notice_bar(notice));
    }
    addition.push_str(&format!(
        "<script>(()=>{{const s=new EventSource(\"{LIVE_PATH}?page=\"+encodeURIComponent(location.pathname)+\"&seen={:x}\");s.onmessage=e=>{{if(e.data===\"reload\"){{s.close();location.reload();}}}};}})();</script>\n",
        snapshot.state_of(key)
    ));
    let text = String::from_utf8_lossy(bytes);
    let at = text
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(text.len());
    let mut page = String::with_capacity(text.len() + addition.len());
    page.push_str(&text[..at]);
    page.push_str(&addition);
    page.push_str(&text[at..]);
    page.into_bytes()
}

/// The problems of a failed rebuild, escaped, in a box over the page.
fn overlay(problems: &[Diagnostic]) -> String {
    let mut items = String::new();
    for problem in problems {
        items.push_str("<li>");
        let _ = pulldown_cmark_escape::escape_html(&mut items, &problem.to_string());
        items.push_str("</li>");
    }
    format!(
        "<div id=\"tiller-problems\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;border-top:4px solid #ff6b5e\"><p style=\"margin:0 0 .5rem;font-weight:bold\">The last change broke the build; this is the last good version. Fix the problems below and the page reloads.</p><ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>\n"
    )
}

/// A notice about the server itself, escaped, in a bar over the top of the
/// page (the problems box takes the bottom), which the reader can close: it
/// does not go away by editing, and comes back when the page reloads.
fn notice_bar(notice: &str) -> String {
    let mut text = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut text, notice);
    format!(
        "<div id=\"tiller-notice\" role=\"status\" style=\"position:fixed;inset:0 0 auto 0;z-index:2147483647;margin:0;padding:.5rem 2.5rem .5rem 1.25rem;background:#4a3500;color:#fff;font:14px/1.5 ui-monospace,monospace;border-bottom:4px solid #f5b800\"><strong>tiller serve: warning:</strong> {text}<button type=\"button\" aria-label=\"Close\" onclick=\"this.parentNode.remove()\" style=\"position:absolute;top:.25rem;right:.5rem;background:none;border:0;color:inherit;font:inherit;font-size:1.25rem;cursor:pointer\">×</button></div>\n"
    )
}

/// The reload channel: one event, `reload`, sent when the page the browser
/// has open (`page`, seen in state `seen`) differs from what is served now.
async fn live(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !host_allowed(&shared, &headers) {
        return plain(StatusCode::BAD_REQUEST, "Unexpected Host header.");
    }
    // A page from another site may not listen in.
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
        let ours = origin
            .strip_prefix("http://")
            .is_some_and(|host| shared.hosts.iter().any(|h| h == host));
        if !ours {
            return plain(StatusCode::FORBIDDEN, "Unexpected Origin.");
        }
    }
    let base_path = shared.snapshots.borrow().base_path.clone();
    let Some(key) = query
        .get("page")
        .and_then(|p| site_key(p, &base_path).ok().flatten())
    else {
        return plain(StatusCode::BAD_REQUEST, "Which page?");
    };
    let seen = query
        .get("seen")
        .and_then(|s| u64::from_str_radix(s, 16).ok())
        .unwrap_or_default();
    let mut response = Sse::new(reloads(shared, key, seen))
        .keep_alive(KeepAlive::default())
        .into_response();
    secure(response.headers_mut());
    response
}

fn reloads(
    shared: Shared,
    key: String,
    seen: u64,
) -> impl Stream<Item = Result<Event, std::convert::Infallible>> {
    futures_util::stream::unfold(Some(shared), move |shared| {
        let key = key.clone();
        async move {
            let mut shared = shared?;
            loop {
                let current = shared.snapshots.borrow_and_update().clone();
                if current.state_of(&key) != seen {
                    return Some((Ok(Event::default().data("reload")), None));
                }
                tokio::select! {
                    changed = shared.snapshots.changed() => changed.ok()?,
                    _ = shared.stopping.changed() => return None,
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_files() {
        assert_eq!(file_key("/"), Ok("index.html".to_string()));
        assert_eq!(
            file_key("/articles/x/"),
            Ok("articles/x/index.html".to_string())
        );
        assert_eq!(file_key("/style.css"), Ok("style.css".to_string()));
        assert_eq!(
            file_key("/articles/a%20b/"),
            Ok("articles/a b/index.html".to_string())
        );
    }

    #[test]
    fn request_paths_are_looked_up_under_the_base_path() {
        assert_eq!(
            site_key("/blog/articles/x/", "/blog/"),
            Ok(Some("articles/x/index.html".to_string()))
        );
        assert_eq!(
            site_key("/blog/", "/blog/"),
            Ok(Some("index.html".to_string()))
        );
        assert_eq!(site_key("/blog", "/blog/"), Ok(None));
        assert_eq!(site_key("/blogx/", "/blog/"), Ok(None));
        assert_eq!(site_key("/articles/x/", "/blog/"), Ok(None));
        assert_eq!(site_key("/blog/../x", "/blog/"), Err(Refusal::Bad));
        assert_eq!(
            site_key("/articles/x/", "/"),
            Ok(Some("articles/x/index.html".to_string()))
        );
    }

    #[test]
    fn paths_that_try_to_leave_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/articles/../../x",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/a/%2f/b",
            "/a%2Fb",
            "/a\\b",
            "/a%5cb",
            "/a%00b",
            "/./x",
            "//etc/passwd",
            "/a//b",
            "/%2f%2fx",
            "/%ff%fe",
            "relative",
        ] {
            assert_eq!(file_key(bad), Err(Refusal::Bad), "{bad}");
        }
        assert_eq!(
            file_key(&format!("/{}", "a".repeat(MAX_PATH))),
            Err(Refusal::Bad)
        );
    }

    #[test]
    fn pages_get_the_script_and_problems_escaped() {
        let snapshot = Snapshot {
            files: Files::default(),
            problems: vec![Diagnostic::error(
                crate::diagnostics::Code::LinkMissingFile,
                "content/a.md",
                crate::diagnostics::Position::new(2, 3),
                "bad <script>",
            )],
            notice: Some("ran out of <watches>".to_string()),
            overlay_fingerprint: 1,
            base_path: "/".to_string(),
        };
        let page = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            &snapshot,
            "index.html",
        ))
        .expect("UTF-8");
        assert!(
            page.contains("content/a.md:2:3: error: bad &lt;script&gt;"),
            "{page}"
        );
        assert!(page.contains("new EventSource(\"/__tiller/live?page="));
        assert!(
            page.contains("<div id=\"tiller-notice\"")
                && page.contains("warning:</strong> ran out of &lt;watches&gt;"),
            "{page}"
        );
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
    }

    #[test]
    fn the_hosts_answered_to_are_local() {
        let hosts = allowed_hosts("127.0.0.1:1111".parse().expect("address"));
        assert!(hosts.contains(&"localhost:1111".to_string()));
        assert!(hosts.contains(&"127.0.0.1:1111".to_string()));
        assert!(!hosts.iter().any(|h| h.contains("evil")));
    }
}
