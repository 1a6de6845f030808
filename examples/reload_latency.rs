//! Reload latency: takes a site folder and gives the time from saving a file
//! to `tiller serve` telling the open page to reload, and to the page serving
//! the new text, over a number of edits (median, fastest, slowest). The site
//! folder is edited: give it a copy.
//!
//! ```sh
//! cargo build --release && cargo run --release --example reload_latency -- /tmp/site-copy [edits]
//! ```
//!
//! `TILLER_BINARY=path` measures that binary instead of this repository's.
//!
//! Each edit appends a sentence to the article in the middle of
//! `content/articles/` (by name), as an editor typing at the end of a piece.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("read");
    reply
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: reload_latency SITE [EDITS]"));
    let edits: usize = args
        .next()
        .map_or(20, |n| n.parse().expect("a number of edits"));
    // Another build of Tiller can be measured beside this one (the commit a
    // change started from, say) by naming its binary.
    let binary = std::env::var_os("TILLER_BINARY").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/tiller"),
        PathBuf::from,
    );

    let mut articles: Vec<PathBuf> = std::fs::read_dir(site.join("content/articles"))
        .expect("content/articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    articles.sort();
    let article = articles[articles.len() / 2].clone();
    let slug = tiller::slug::slugify(&article.file_stem().expect("name").to_string_lossy());
    let page = format!("/articles/{slug}/");

    let mut server = Command::new(&binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tiller serve (build it first: cargo build --release)");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .expect("line");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            break rest.trim_end_matches('/').parse().expect("port");
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});

    let mut to_event = Vec::new();
    let mut to_page = Vec::new();
    for edit in 1..=edits {
        let html = get(port, &page);
        let seen = html
            .split("&seen=")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the reload script")
            .to_string();
        let mut events = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let request = format!(
            "GET /__tiller/live?page={page}&seen={seen} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        );
        events.write_all(request.as_bytes()).expect("send");
        let (send, reload) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(events).lines().map_while(Result::ok) {
                if line == "data: reload" {
                    let _ = send.send(Instant::now());
                    break;
                }
            }
        });
        // Let the server settle, as an editor's typing does between saves.
        std::thread::sleep(Duration::from_millis(150));
        let marker = format!("Latency marker {edit}.");
        let text = std::fs::read_to_string(&article).expect("read");
        let saved = Instant::now();
        std::fs::write(&article, format!("{text}\n{marker}\n")).expect("save");
        let at = reload
            .recv_timeout(Duration::from_secs(30))
            .expect("a reload event");
        to_event.push(at - saved);
        while !get(port, &page).contains(&marker) {
            assert!(
                saved.elapsed() < Duration::from_secs(30),
                "the page never showed the edit"
            );
        }
        to_page.push(saved.elapsed());
    }
    let _ = server.kill();
    let _ = server.wait();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let summary = |name: &str, values: &[Duration]| {
        let fastest = values.iter().min().copied().unwrap_or_default();
        let slowest = values.iter().max().copied().unwrap_or_default();
        println!(
            "{name}: median {}, fastest {}, slowest {} over {} edits",
            ms(median(values.to_vec())),
            ms(fastest),
            ms(slowest),
            values.len()
        );
    };
    println!(
        "site: {} ({} articles), page {page}",
        site.display(),
        articles.len()
    );
    summary("save → reload event", &to_event);
    summary("save → page serves the edit", &to_page);
}
