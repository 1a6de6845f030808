//! Fuzz target `markdown`: takes any bytes as a whole Markdown file and gives
//! them to `parse::parse_document` (front matter, Markdown with entity
//! mentions, summary), or straight to `markdown::render` where the front
//! matter does not split or is broken, with raw HTML escaped. Checks that
//! the HTML holds no script and no script link, that every mention and
//! heading id is where it says, and that every problem and link points into
//! the file on one line.
#![no_main]

use std::collections::HashSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tiller::config::{Config, RawHtml};
use tiller::diagnostics::{Diagnostic, LineIndex};
use tiller::parse::entities::Entities;
use tiller::highlight::Highlighter;
use tiller::load::SourceFile;
use tiller::parse::markdown::{self, RESERVED_IDS, Rendered};
use tiller::parse::{self, ParsedDocument};
use tiller::parse::front_matter;
use tiller_fuzz::{check_diagnostics, fixture_config};

/// Loading the syntax definitions takes tens of milliseconds: once.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

/// The fixture whose entities these are: its site.toml declares the themes
/// its articles (among the seeds) use, and escapes raw HTML.
static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let config = fixture_config(include_str!("../../tests/fixtures/entities/site.toml"));
    assert_eq!(config.markdown.raw_html, RawHtml::Escape);
    assert_eq!(config.base_url.path, "/");
    config
});

static ENTITIES: LazyLock<Entities> = LazyLock::new(|| {
    let (entities, _warnings) = tiller::parse::entities::parse(include_str!(
        "../../tests/fixtures/entities/content/entities.yaml"
    ));
    assert!(!entities.is_empty());
    entities
});

/// An article: relative links resolve from `articles/`, and `../..` leaves
/// `content/`.
const PATH: &str = "content/articles/fuzzed.md";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config: &Config = &CONFIG;
    let entities: &Entities = &ENTITIES;
    let split = front_matter::split(text).ok();
    if split.is_some() {
        let file = SourceFile {
            path: PATH.to_string(),
            text: text.to_string(),
        };
        let (document, problems) = parse::parse_document(&file, entities, config, &HIGHLIGHTER);
        check_diagnostics(text, PATH, &problems);
        let body = match &document {
            ParsedDocument::Article(article) => Some(&article.body),
            ParsedDocument::Page(page) => Some(&page.body),
            ParsedDocument::Broken(_) => None,
        };
        if let Some(body) = body {
            check_rendered(text, body, &problems);
            // Parsing replaced every control character of the body.
            if let Some(c) = body
                .html
                .chars()
                .find(|&c| tiller::control::is_forbidden(c))
            {
                panic!("the control character {c:?} reached the HTML");
            }
            return;
        }
    }
    // No front matter, or broken front matter: the body is rendered all the
    // same (Tiller reports its problems too), so check it here.
    let lines = LineIndex::new(text);
    let input = markdown::Input {
        path: PATH,
        content_path: "articles/fuzzed.md",
        text,
        lines: &lines,
        body_offset: split.map_or(0, |s| s.body_offset),
        raw_html: RawHtml::Escape,
        base_path: "/",
        highlighter: &HIGHLIGHTER,
        entities,
    };
    let (rendered, problems) = markdown::render(&input);
    check_diagnostics(text, PATH, &problems);
    check_rendered(text, &rendered, &problems);
});

fn check_rendered(text: &str, rendered: &Rendered, problems: &[Diagnostic]) {
    let html = &rendered.html;
    check_no_script(html);
    check_tags(html);
    let last_line = tiller_fuzz::last_line(text);
    for link in &rendered.links {
        assert!(
            (1..=last_line).contains(&link.position.line),
            "{link:?} outside 1..={last_line}"
        );
    }
    // Heading ids are unique on the page and never one the theme uses.
    let mut ids = HashSet::new();
    for heading in &rendered.headings {
        assert!(!heading.id.is_empty(), "{heading:?}");
        assert!(!RESERVED_IDS.contains(&heading.id.as_str()), "{heading:?}");
        assert!(ids.insert(heading.id.as_str()), "id {:?} twice", heading.id);
    }
    // The readable text is what `split_whitespace` would leave: no runs of
    // whitespace, none at either end.
    let text = rendered.text();
    assert_eq!(
        text,
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        "{html}"
    );
    // Each mention is read where its link is: its id is the link's, unique
    // on the page, and its words are in the text.
    let links = html.matches("<a class=\"mention\" id=\"").count();
    assert_eq!(links, rendered.mentions.len(), "{html}");
    for mention in &rendered.mentions {
        assert!(mention.count >= 1);
        let entity = &ENTITIES.list[mention.entity];
        let found = rendered.mention_text(mention);
        let anchor = format!("mention-{}", entity.slug);
        assert!(
            found.anchor.starts_with(&anchor),
            "{} for {anchor}",
            found.anchor
        );
        assert!(
            html.contains(&format!("<a class=\"mention\" id=\"{}\"", found.anchor)),
            "{}",
            found.anchor
        );
        assert!(ids.insert(found.anchor), "id {:?} twice", found.anchor);
        assert!(!found.mention.is_empty() && text.contains(&found.mention), "{found:?}");
    }
    let _ = problems;
}

/// The elements Markdown makes, and nothing else: with raw HTML escaped, a
/// tag of any other name is content that got through.
const ELEMENTS: &[&str] = &[
    "a",
    "aside",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Every tag is one Markdown makes, carries no event handler (`on…=`), and
/// every id in the body is there once and is none of the theme's.
fn check_tags(html: &str) {
    let mut ids = HashSet::new();
    for (start, _) in html.match_indices('<') {
        let tag = &html[start + 1..html[start..].find('>').map_or(html.len(), |e| start + e)];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(ELEMENTS.contains(&name.as_str()), "<{name}> in {html}");
        for (attribute, value) in attributes(&tag[name.len()..]) {
            let attribute = attribute.to_ascii_lowercase();
            assert!(!attribute.starts_with("on"), "{attribute} in {html}");
            if attribute == "href" || attribute == "src" {
                let url = as_browser_reads(&value.to_ascii_lowercase());
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!url.starts_with(scheme), "{url:?} in {html}");
                }
            }
            if attribute == "id" {
                assert!(!RESERVED_IDS.contains(&value), "id {value:?} in {html}");
                assert!(
                    ids.insert(value.to_string()),
                    "id {value:?} twice in {html}"
                );
            }
        }
    }
}

/// A tag's attributes after its name, as `(name, value)`: values are in
/// double quotes, as pulldown-cmark writes them, and may hold spaces.
fn attributes(mut rest: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = &rest[name_end..];
        let value = match rest.strip_prefix("=\"") {
            Some(quoted) => {
                let end = quoted.find('"').unwrap_or(quoted.len());
                rest = quoted.get(end + 1..).unwrap_or("");
                &quoted[..end]
            }
            None => "",
        };
        found.push((name, value));
    }
}

/// With raw HTML escaped, no `<script>` element. (Links and images that run
/// script are looked for among the attributes of each tag, in
/// [`check_tags`]: text that merely reads ` href="` is not one.)
fn check_no_script(html: &str) {
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
}

/// An attribute's URL as a browser takes it: character references undone,
/// tabs and line breaks dropped, leading spaces and controls trimmed.
fn as_browser_reads(value: &str) -> String {
    let unescaped = value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    unescaped
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c.is_ascii_control() || c == ' ')
        .to_string()
}
