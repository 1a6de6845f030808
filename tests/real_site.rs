//! The real site in this repository: it builds with no errors and no warnings,
//! every article, theme, tag and feed page is there, and two builds give the
//! same bytes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use tiller::highlight::Highlighter;
use tiller::{Built, Settings, Strictness};

fn build() -> Built {
    let settings = Settings {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        strictness: Strictness::WarningsAreErrors,
        ..Settings::default()
    };
    match tiller::compile(&settings, &Highlighter::new()) {
        Ok(built) => built,
        Err(failure) => {
            let lines: Vec<String> = failure
                .diagnostics()
                .iter()
                .map(ToString::to_string)
                .collect();
            panic!(
                "the real site does not build cleanly:\n{}",
                lines.join("\n")
            );
        }
    }
}

fn text(built: &Built, path: &str) -> String {
    let bytes = built
        .output
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing from the output"));
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// The slugs written in front matter, read straight from the files so that the
/// test does not trust the code it checks.
fn front_matter_list(field: &str) -> BTreeSet<String> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content/articles");
    let mut values = BTreeSet::new();
    for entry in std::fs::read_dir(folder).expect("articles folder") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{field}: [")))
            .unwrap_or_else(|| panic!("an article has no {field} list"));
        let inner = line
            .split_once('[')
            .and_then(|(_, r)| r.rsplit_once(']'))
            .expect("list")
            .0;
        values.extend(inner.split(',').map(|v| tiller::slug::slugify(v.trim())));
    }
    values
}

#[test]
fn the_real_site_builds_with_no_errors_or_warnings() {
    let built = build();
    assert!(
        built.report.warnings.is_empty(),
        "{:?}",
        built.report.warnings
    );
    assert_eq!(built.report.counts.articles, 5);
    assert_eq!(built.report.counts.themes, 8);
}

#[test]
fn every_article_theme_and_tag_has_its_page() {
    let built = build();
    for slug in [
        "liz-bruce-three-councils",
        "dass-culture-and-leadership",
        "how-directors-can-help-social-workers",
        "fixing-leadership-in-childrens-services",
        "hunt-for-good-leadership",
    ] {
        let page = text(&built, &format!("articles/{slug}/index.html"));
        assert!(
            page.contains("<h2 id=\"related\">Related articles</h2>"),
            "{slug} lists no related articles"
        );
        assert!(
            page.contains("<h2 id=\"backlinks\">Linked from</h2>"),
            "{slug} has no backlinks"
        );
    }
    let themes = front_matter_list("themes");
    assert_eq!(themes.len(), 8, "every declared theme is used: {themes:?}");
    for theme in &themes {
        text(&built, &format!("themes/{theme}/index.html"));
        let feed = text(&built, &format!("themes/{theme}/atom.xml"));
        assert!(feed.starts_with("<?xml"), "{theme} feed");
    }
    let tags = front_matter_list("tags");
    assert!(tags.len() >= 20, "{tags:?}");
    for tag in &tags {
        text(&built, &format!("tags/{tag}/index.html"));
    }
    for page in [
        "index.html",
        "about/index.html",
        "contributing/index.html",
        "themes/index.html",
        "tags/index.html",
        "authors/index.html",
        "authors/blair-mcpherson/index.html",
        "articles/index.html",
        "404.html",
        "robots.txt",
        "style.css",
        "syntax.css",
    ] {
        text(&built, page);
    }
}

#[test]
fn feeds_and_sitemap_list_what_they_should() {
    let built = build();
    let feed = text(&built, "atom.xml");
    // Only one article of the corpus has a date; undated ones cannot be Atom entries.
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(feed.contains("<published>2017-10-17T00:00:00Z</published>"));
    let sitemap = text(&built, "sitemap.xml");
    let html_pages = built
        .output
        .iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .count();
    assert_eq!(sitemap.matches("<url>").count(), html_pages);
    assert!(!sitemap.contains("404"));
}

#[test]
fn articles_without_date_or_author_render_without_gaps() {
    let built = build();
    let page = text(&built, "articles/hunt-for-good-leadership/index.html");
    assert!(
        !page.contains("<time"),
        "no date is shown when the source gives none"
    );
    assert!(!page.contains("By "), "no byline when no author is known");
    let dated = text(
        &built,
        "articles/fixing-leadership-in-childrens-services/index.html",
    );
    assert!(dated.contains("<time datetime=\"2017-10-17\">17 October 2017</time>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let first = build();
    let second = build();
    assert_eq!(first.output, second.output);
}
