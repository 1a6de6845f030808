//! Search and print in a real browser. For search, the real site is built
//! into a plain folder and its search page is opened from disk (`file://`) in
//! headless Chromium, where a reader types queries and uses the keyboard. For
//! print, articles are served over loopback (their stylesheet is at the root)
//! and printed to PDF. Chromium comes from Debian (`apt-get install chromium`,
//! which `.ci/run` does); without it these tests say so and pass, unless
//! `TILLER_REQUIRE_BROWSER` is set, as in CI.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions, Tab};
use tiller::{Settings, Strictness};

mod common;

const CHROMIUM: &str = "/usr/bin/chromium";

fn browser() -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("TILLER_REQUIRE_BROWSER").is_none(),
            "{CHROMIUM} is missing: install Debian's chromium package"
        );
        eprintln!("skipped: {CHROMIUM} is missing (apt-get install chromium)");
        return None;
    }
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(CHROMIUM)))
        .headless(true)
        .sandbox(false)
        .args(vec![
            OsStr::new("--disable-gpu"),
            OsStr::new("--disable-background-networking"),
            OsStr::new("--no-first-run"),
        ])
        .idle_browser_timeout(Duration::from_secs(60))
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("Chromium starts"))
}

/// The real site, built into a fresh folder.
fn built_site() -> tempfile::TempDir {
    built(&common::repo())
}

/// The site at `root`, built into `public/` in a fresh folder.
fn built(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let settings = Settings {
        root: root.to_path_buf(),
        strictness: Strictness::WarningsAreErrors,
        ..Settings::default()
    };
    let public = out.path().join("public");
    let mut store = tiller::output_folder(&settings.root, &public, tiller::Foreign::Refuse, &|| {})
        .expect("a new output folder");
    tiller::build(&settings, &mut tiller::Cache::new(), &mut store).expect("the real site builds");
    out
}

/// A tab that types at machine speed: the crate's default pauses between
/// keys, to let people watch, make a test slow for nothing.
fn new_tab(browser: &Browser) -> Arc<Tab> {
    let tab = browser.new_tab().expect("tab");
    tab.set_slow_motion_multiplier(0.0);
    tab
}

fn search_page(site: &Path) -> String {
    format!("file://{}", site.join("public/search/index.html").display())
}

/// A new tab on `url`, once it has loaded.
fn opened(browser: &Browser, url: &str) -> Arc<Tab> {
    let tab = new_tab(browser);
    tab.navigate_to(url).expect("open the page");
    tab.wait_until_navigated().expect("loaded");
    tab
}

/// What the search's status line says.
fn status(tab: &Arc<Tab>) -> String {
    tab.find_element("#search-status")
        .and_then(|e| e.get_inner_text())
        .unwrap_or_default()
}

/// The value of a script expression in the page, as text or JSON.
fn evaluate(tab: &Arc<Tab>, expression: &str) -> String {
    tab.evaluate(expression, false)
        .ok()
        .and_then(|r| r.value)
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_default()
}

fn type_query(tab: &Arc<Tab>, query: &str) {
    let input = tab.wait_for_element("#search-input").expect("search box");
    input.click().expect("click the box");
    // What an earlier query left is cleared the quick way; the query itself
    // is typed key by key, as a reader does.
    tab.evaluate("document.getElementById('search-input').value = ''", false)
        .expect("clear the box");
    tab.type_str(query).expect("type");
    tab.press_key("Enter").expect("enter");
}

/// The `href` of every result link, in order, once the status says how many.
fn results(tab: &Arc<Tab>, query: &str) -> Vec<String> {
    let wanted = format!("for “{query}”");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let said = status(tab);
        if said.contains(&wanted) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no results for {query:?}; status: {said:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let links = tab
        .find_elements("#search-results li h2 a")
        .unwrap_or_default();
    links
        .iter()
        .map(|a| {
            a.get_attribute_value("href")
                .ok()
                .flatten()
                .unwrap_or_default()
        })
        .collect()
}

fn first_article(links: &[String]) -> &str {
    links
        .iter()
        .find(|h| h.contains("/articles/"))
        .map_or("", String::as_str)
}

#[test]
fn typed_queries_find_the_right_article_first_from_a_plain_folder() {
    let Some(browser) = browser() else { return };
    let site = built_site();
    let tab = opened(&browser, &search_page(site.path()));

    type_query(&tab, "tri-borough");
    let links = results(&tab, "tri-borough");
    assert_eq!(
        links.first().map(String::as_str),
        Some("../articles/liz-bruce-three-councils/index.html"),
        "{links:?}"
    );

    type_query(&tab, "80/20 campaign");
    let links = results(&tab, "80/20 campaign");
    assert_eq!(
        first_article(&links),
        "../articles/dass-culture-and-leadership/index.html",
        "{links:?}"
    );

    // A word being typed matches the words it begins.
    type_query(&tab, "superv");
    let links = results(&tab, "superv");
    assert!(links.len() >= 2, "{links:?}");

    // The snippet marks the words that matched.
    let marked = tab
        .wait_for_element("#search-results li .snippet mark")
        .and_then(|m| m.get_inner_text())
        .expect("a marked word in a snippet");
    assert!(marked.to_lowercase().starts_with("superv"), "{marked}");

    // The result links lead to the article's file.
    let first = site.path().join("public/search").join(&links[0]);
    assert!(first.is_file(), "{} does not exist", first.display());
}

#[test]
fn the_keyboard_moves_between_the_box_and_the_results() {
    let Some(browser) = browser() else { return };
    let site = built_site();
    // A query in the address fills the box and runs at once.
    let tab = opened(
        &browser,
        &format!("{}?q=supervision", search_page(site.path())),
    );
    let links = results(&tab, "supervision");
    assert!(!links.is_empty());

    let focused = |tab: &Arc<Tab>| {
        tab.evaluate(
            "document.activeElement.getAttribute('href') || document.activeElement.id",
            false,
        )
        .ok()
        .and_then(|r| r.value)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
    };
    tab.wait_for_element("#search-input")
        .expect("box")
        .click()
        .expect("focus the box");
    tab.press_key("ArrowDown").expect("down");
    assert_eq!(focused(&tab), links[0]);
    tab.press_key("ArrowDown").expect("down");
    assert_eq!(focused(&tab), links[1]);
    tab.press_key("ArrowUp").expect("up");
    tab.press_key("ArrowUp").expect("up");
    assert_eq!(focused(&tab), "search-input");
}

/// Serves the files under `folder` at `base` (the site's base path) over
/// HTTP on loopback, for as long as the test runs, and gives the origin
/// (`http://127.0.0.1:PORT`).
fn serve(folder: PathBuf, base: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            if BufReader::new(&stream).read_line(&mut request).is_err() {
                continue;
            }
            let path = request.split(' ').nth(1).unwrap_or("/");
            let path = path.split(['?', '#']).next().unwrap_or("/");
            let path = path.strip_prefix(base).map_or("..", |p| p);
            let mut file = folder.join(path.trim_start_matches('/'));
            if path.is_empty() || path.ends_with('/') {
                file.push("index.html");
            }
            let inside = !path.contains("..");
            let (status, body) = match std::fs::read(&file) {
                Ok(body) if inside => ("200 OK", body),
                _ => ("404 Not Found", Vec::new()),
            };
            let kind = match file.extension().and_then(OsStr::to_str) {
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("svg") => "image/svg+xml",
                _ => "text/html; charset=utf-8",
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    origin
}

/// What a page shows in print, measured in the browser with print media
/// emulated (and a dark colour scheme asked for, which print must ignore).
const PRINTED: &str = r#"(() => {
  const visible = (e) => {
    const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
  };
  const shown = (sel) => [...document.querySelectorAll(sel)].filter(visible).length;
  const external = document.querySelector('main .prose a[href^="https://"]');
  const mention = document.querySelector('main .prose a.mention');
  const overflowing = [...document.querySelectorAll('main pre, main .table-wrap')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).length;
  const body = getComputedStyle(document.body);
  return JSON.stringify({
    // An article's own contents list may print; no other navigation.
    navs: [...document.querySelectorAll('nav')].filter((e) => !e.closest('main article') && visible(e)).length,
    skip: shown('.skip-link'),
    search: shown('form[role="search"]'),
    footer: shown('.site-footer') + shown('.browse'),
    chips: [...document.querySelectorAll('.term')].filter((e) => visible(e) &&
      getComputedStyle(e).borderTopStyle !== 'none').length,
    related: shown('#related'),
    external: external ? getComputedStyle(external, '::after').content : null,
    href: external ? external.href : null,
    mention: mention ? getComputedStyle(mention, '::after').content : null,
    heading: getComputedStyle(document.querySelector('main .prose h2')).breakAfter,
    overflowing,
    color: body.color,
    background: body.backgroundColor,
    words: (document.querySelector('main article').innerText.toLowerCase().match(/[0-9a-z]+/g) || []).length,
  });
})()"#;

/// Opens `url` with print media emulated, and gives what [`PRINTED`] measures
/// and the page printed to an A4 PDF.
fn print(tab: &Arc<Tab>, url: &str) -> (serde_json::Value, Vec<u8>) {
    tab.navigate_to(url).expect("open the article");
    tab.wait_until_navigated().expect("loaded");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".to_string()),
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".to_string(),
            value: "dark".to_string(),
        }]),
    })
    .expect("print media");
    let measured = tab
        .evaluate(PRINTED, false)
        .expect("measure")
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("a JSON string");
    let measured: serde_json::Value = serde_json::from_str(&measured).expect("JSON");
    let pdf = tab
        .print_to_pdf(Some(PrintToPdfOptions {
            paper_width: Some(8.27),
            paper_height: Some(11.69),
            prefer_css_page_size: Some(true),
            ..PrintToPdfOptions::default()
        }))
        .expect("a PDF");
    (measured, pdf)
}

/// How many pages a PDF has.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(at, _)| {
            let rest = text[at + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

#[test]
fn an_article_prints_as_its_text() {
    let Some(browser) = browser() else { return };
    let source = common::fixture_site("structured");
    let site = built(source.path());
    // The fixture's base URL has a path: the site is served under it.
    let origin = serve(site.path().join("public"), "/leading/");
    let tab = new_tab(&browser);
    let (printed, pdf) = print(&tab, &format!("{origin}/leading/articles/supervision/"));
    assert_eq!(printed["navs"], 0, "{printed}");
    assert_eq!(printed["skip"], 0, "{printed}");
    assert_eq!(printed["search"], 0, "{printed}");
    assert_eq!(printed["footer"], 0, "{printed}");
    assert_eq!(printed["chips"], 0, "{printed}");
    assert_eq!(
        printed["related"], 1,
        "related articles follow the text: {printed}"
    );
    let href = printed["href"].as_str().expect("an external link");
    assert_eq!(printed["external"], format!("\" ({href})\""), "{printed}");
    assert_eq!(printed["mention"], "none", "{printed}");
    assert_eq!(printed["heading"], "avoid", "{printed}");
    assert_eq!(printed["overflowing"], 0, "code and tables fit: {printed}");
    assert_eq!(printed["color"], "rgb(0, 0, 0)", "{printed}");
    assert_eq!(printed["background"], "rgb(255, 255, 255)", "{printed}");
    assert_eq!(pdf_pages(&pdf), 1);

    // The longest article of the real site, on as many pages as its words need.
    let real = built_site();
    let origin = serve(real.path().join("public"), "/");
    let (printed, pdf) = print(
        &tab,
        &format!("{origin}/articles/dass-culture-and-leadership/"),
    );
    let words = printed["words"].as_u64().expect("words") as usize;
    assert!(words > 2000, "{printed}");
    let pages = pdf_pages(&pdf);
    assert!(
        pages <= words / 400 + 1,
        "{pages} A4 pages for {words} words"
    );
}

#[test]
fn stems_and_misspellings_find_what_readers_mean() {
    let Some(browser) = browser() else { return };
    let site = built_site();
    let tab = opened(&browser, &search_page(site.path()));

    // Neither word is in the site as typed: the guidance speaks of
    // supervision and appraisal, and the stems are the same.
    type_query(&tab, "supervise appraisals");
    let links = results(&tab, "supervise appraisals");
    assert_eq!(
        first_article(&links),
        "../articles/dass-culture-and-leadership/index.html",
        "{links:?}"
    );
    let marked = tab
        .wait_for_element("#search-results li .snippet mark")
        .and_then(|m| m.get_inner_text())
        .expect("a marked word in a snippet");
    let marked = marked.to_lowercase();
    assert!(
        marked.starts_with("supervis") || marked.starts_with("apprais"),
        "{marked}"
    );

    // One letter missing: the interview that names Warwickshire, and the
    // results say what they are for.
    type_query(&tab, "Warwickshre");
    let links = results(&tab, "Warwickshre");
    assert_eq!(
        first_article(&links),
        "../articles/liz-bruce-three-councils/index.html",
        "{links:?}"
    );
    let said = status(&tab);
    assert!(
        said.to_lowercase()
            .contains("showing results for warwickshire"),
        "{said}"
    );

    // A word that is right is never taken for another.
    type_query(&tab, "warwickshire");
    results(&tab, "warwickshire");
    assert!(!status(&tab).contains("Showing results for"));

    // The script's stemmer and the index's agree on every word of the site.
    let disagree = evaluate(
        &tab,
        "Object.keys(window.tillerSearchWords).flatMap(k => \
         Object.entries(window.tillerSearchWords[k].words)\
         .filter(([w, s]) => window.tillerStem(w) !== (s || w)).map(([w]) => w)).join(' ')",
    );
    assert_eq!(disagree, "");
}

#[test]
fn filters_narrow_the_results_and_the_address_keeps_them() {
    let Some(browser) = browser() else { return };
    let site = built_site();
    let tab = opened(
        &browser,
        &format!("{}?q=leadership", search_page(site.path())),
    );
    let all = results(&tab, "leadership");
    assert!(all.len() >= 5, "{all:?}");

    // The keyboard ticks a theme's box: Tab from the box in front of it,
    // then Space.
    let theme = "national-and-local-leadership";
    tab.evaluate(
        &format!("document.querySelector('#search-filters input[value=\"{theme}\"]').focus()"),
        false,
    )
    .expect("focus the box");
    tab.press_key(" ").expect("tick it");
    let narrowed = results(&tab, "leadership");
    assert!(narrowed.len() < all.len(), "{narrowed:?}");
    assert!(
        narrowed.contains(&"../articles/hunt-for-good-leadership/index.html".to_string()),
        "{narrowed:?}"
    );
    assert!(narrowed.iter().all(|l| all.contains(l)));
    let address = tab.get_url();
    assert!(
        address.contains("q=leadership") && address.contains(&format!("theme={theme}")),
        "{address}"
    );

    // Opening that address gives the same narrowed results, with the box ticked.
    let tab = opened(&browser, &address);
    assert_eq!(results(&tab, "leadership"), narrowed);
    let ticked = evaluate(
        &tab,
        &format!("document.querySelector('#search-filters input[value=\"{theme}\"]').checked"),
    );
    assert_eq!(ticked, "true");

    // Kinds too: only the interviews.
    tab.evaluate(
        "document.querySelector('#search-filters input[value=\"interview\"]').click()",
        false,
    )
    .expect("tick interviews");
    std::thread::sleep(Duration::from_millis(200));
    assert!(tab.get_url().contains("kind=interview"));
}
