//! Regression tests for what fuzzing found (`fuzz/`, see the README): takes
//! each minimised input and gives it to the library function its fuzz target
//! calls, asserting the behaviour the target expects. One test per finding,
//! named for it; the input is the minimised one, byte for byte. The last two
//! were found by reading the code while writing the `markdown` target.

use tiller::config::{self, Overrides, RawHtml};
use tiller::diagnostics::{Diagnostic, LineIndex};
use tiller::highlight::Highlighter;
use tiller::parse::entities::Entities;
use tiller::parse::front_matter;
use tiller::parse::markdown::{self, RESERVED_IDS};
use tiller::serve::file_key;

/// The last line a diagnostic in `text` may name: the line after its last
/// (an error at the very end), as Tiller's own positions count lines.
fn last_line(text: &str) -> usize {
    let end = LineIndex::new(text).position(text, text.len()).line;
    (text.lines().count() + 1).max(end)
}

fn assert_inside(text: &str, problems: &[Diagnostic]) {
    assert!(!problems.is_empty(), "the input is refused");
    for problem in problems {
        assert!(
            (1..=last_line(text)).contains(&problem.line),
            "{problem} points past the end of {text:?} ({} lines)",
            last_line(text)
        );
    }
}

/// A lone carriage return ends a line for the YAML parser, which counts it
/// in the line numbers it gives, but not for Tiller, whose line numbers
/// count `\n` only: the error lands on line 5 of a three-line file.
#[test]
fn front_matter_lone_carriage_returns_keep_diagnostics_inside_the_file() {
    let text = "---\n\r\r\r-\n---";
    let split = front_matter::split(text).expect("splits");
    let config = config::parse(
        include_str!("fixtures/default-theme/site.toml"),
        &Overrides::default(),
    )
    .expect("the fixture's site.toml");
    let problems = front_matter::article("a.md", &split, &config).expect_err("not an article");
    assert_inside(text, &problems);
    let problems = front_matter::page("a.md", &split).expect_err("not a page");
    assert_inside(text, &problems);
}

/// The same in the entities file, read by the same YAML parser: the NUL is
/// reported on line 3 of a one-line file.
#[test]
fn entities_lone_carriage_returns_keep_diagnostics_inside_the_file() {
    let text = "\r\r\0";
    let (_, problems) = tiller::parse::entities::parse(text);
    assert_inside(text, &problems);
}

/// A key the dev server accepts is a path inside the site: no leading `/`
/// and no empty, `.` or `..` segment.
fn assert_sound_key(raw_path: &str) {
    if let Ok(key) = file_key(raw_path) {
        assert!(!key.starts_with('/'), "{raw_path:?} gave {key:?}");
        assert!(
            key.split('/').all(|s| !matches!(s, "" | "." | "..")),
            "{raw_path:?} gave {key:?}"
        );
    }
}

/// `//etc/passwd` gave the key `/etc/passwd`: the path after the first `/`
/// is split on `/` and only `.` and `..` segments are refused, so the empty
/// segment before the second `/` survives into the key. (Keys are only
/// looked up in the site in memory, so nothing outside it is served.)
#[test]
fn serve_path_double_slash_at_the_start_gives_no_absolute_key() {
    assert_sound_key("//");
    assert_sound_key("//etc/passwd");
}

/// `/a//b` gave the key `a//b`, which no static host serves as such.
#[test]
fn serve_path_double_slash_inside_gives_no_empty_segment() {
    assert_sound_key("/a//b");
    assert_sound_key("/a//");
}

/// The HTML of an article's body, with raw HTML escaped (the default).
fn render(text: &str) -> String {
    let lines = LineIndex::new(text);
    let input = markdown::Input {
        path: "content/articles/a.md",
        content_path: "articles/a.md",
        text,
        lines: &lines,
        body_offset: 0,
        raw_html: RawHtml::Escape,
        base_path: "/",
        highlighter: &Highlighter::new(),
        entities: &Entities::default(),
    };
    markdown::render(&input).0.html
}

/// Heading attributes (`{key=value}`, enabled for `{#id}`) are written into
/// the tag as given, so with raw HTML escaped a heading can still carry an
/// event handler that runs as the page loads.
#[test]
fn markdown_heading_attributes_carry_no_event_handler() {
    let html = render("# Hi {autofocus onfocus=alert(1) tabindex=0}\n");
    let tag = &html[..html.find('>').expect("a tag")];
    assert!(
        !tag.split_whitespace()
            .any(|a| a.to_ascii_lowercase().starts_with("on")),
        "{html}"
    );
}

/// A footnote's id is its name as written, so `[^main]` makes a second
/// `id="main"` on the page, which the theme's skip link points at: the ids
/// headings may not take, footnotes take freely.
#[test]
fn markdown_footnote_ids_avoid_the_ids_the_theme_uses() {
    let html = render("Note[^main].\n\n[^main]: x\n");
    for id in RESERVED_IDS {
        assert!(!html.contains(&format!("id=\"{id}\"")), "{html}");
    }
}

/// A character reference to a control character (`&#8;`) is decoded by the
/// Markdown parser after the body's own control characters were replaced,
/// so U+0008 reached the page (and, through the summary, the feeds).
#[test]
fn markdown_character_references_make_no_control_characters() {
    let text = "---\ntitle: \"Beta\"\nkind: blog\ndate: 2020-01-01\nthemes: [practice]\n---\n\nBe[&#8;e1rt\n";
    let html = render(text);
    assert!(!html.chars().any(tiller::control::is_forbidden), "{html:?}");
}

/// A footnote defined twice gave two elements the same id.
#[test]
fn markdown_a_footnote_defined_twice_gives_no_id_twice() {
    let html = render("A[^1].\n\n[^1]: One.\n[^1]: Again.\n");
    let ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(at, _)| {
            let rest = &html[at + 5..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{html}");
}
