//! The real site in this repository: it builds with no errors and no warnings,
//! every article, theme, tag and feed page is there, and two builds give the
//! same bytes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use tiller::{Built, Settings, Strictness};

fn build() -> Built {
    let settings = Settings {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        strictness: Strictness::WarningsAreErrors,
        ..Settings::default()
    };
    match tiller::compile(&settings) {
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

/// The JSON-LD of a page (it has one script element of it), parsed.
fn json_ld(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/ld+json">"#;
    let (_, rest) = page.split_once(open).expect("the page has JSON-LD");
    let (json, _) = rest.split_once("</script>").expect("closed");
    assert!(!rest[json.len()..].contains(open), "one JSON-LD script");
    serde_json::from_str(json).expect("JSON-LD parses")
}

#[test]
fn structured_metadata_gives_only_what_articles_state() {
    let built = build();
    // No date and no author: neither in the JSON-LD nor in OpenGraph.
    let page = text(&built, "articles/hunt-for-good-leadership/index.html");
    let article = json_ld(&page);
    assert_eq!(article["@type"], "BlogPosting");
    assert!(article.get("datePublished").is_none());
    assert!(article.get("author").is_none());
    assert!(!page.contains("article:published_time"));
    // A date: in both.
    let page = text(
        &built,
        "articles/fixing-leadership-in-childrens-services/index.html",
    );
    assert_eq!(json_ld(&page)["datePublished"], "2017-10-17");
    assert!(page.contains(r#"<meta property="article:published_time" content="2017-10-17">"#));
    // A publication, but no address for it.
    let interview = json_ld(&text(
        &built,
        "articles/liz-bruce-three-councils/index.html",
    ));
    assert_eq!(interview["@type"], "Article");
    assert_eq!(interview["isBasedOn"]["isPartOf"]["name"], "Community Care");
    assert!(interview["isBasedOn"].get("url").is_none());
    assert_eq!(
        interview["mentions"][0]["@id"],
        "https://example.org/people/liz-bruce/"
    );
    let author = json_ld(&text(
        &built,
        "articles/how-directors-can-help-social-workers/index.html",
    ));
    assert_eq!(author["author"][0]["name"], "Blair McPherson");
    let home = json_ld(&text(&built, "index.html"));
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(home["potentialAction"]["@type"], "SearchAction");
}

#[test]
fn two_builds_are_byte_identical() {
    let first = build();
    let second = build();
    assert_eq!(first.output, second.output);
}

/// The `<svg>` element of a page, as written.
fn svg_of(page: &str) -> &str {
    let start = page.find("<svg").expect("the page has an SVG");
    let end = page[start..].find("</svg>").expect("the SVG is closed") + start + "</svg>".len();
    &page[start..end]
}

#[test]
fn the_theme_map_is_well_formed_svg_with_one_mark_per_article_and_theme() {
    let built = build();
    let page = text(&built, "themes/index.html");
    // Parsed as XML: the map must be well formed on its own, not only as HTML.
    let svg = svg_of(&page);
    let document = roxmltree::Document::parse(svg).expect("the map is well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let labelled = root.attribute("aria-labelledby").expect("labelled");
    for id in labelled.split_whitespace() {
        let named = document
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no element #{id} in the map"));
        assert!(matches!(named.tag_name().name(), "title" | "desc"));
        assert!(!named.text().unwrap_or_default().trim().is_empty());
    }
    let marks = document
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("class") == Some("mark"))
        .count();
    // Every article-theme pair, counted from the front matter itself.
    let pairs: usize =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content/articles"))
            .expect("articles")
            .map(|e| {
                let text = std::fs::read_to_string(e.expect("entry").path()).expect("read");
                let line = text
                    .lines()
                    .find(|l| l.starts_with("themes: ["))
                    .expect("themes line")
                    .to_string();
                line.matches(',').count() + 1
            })
            .sum();
    assert_eq!(marks, pairs);
    let rows = document
        .descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.parent()
                    .is_some_and(|p| p.attribute("class") == Some("map-rows"))
        })
        .count();
    assert_eq!(rows, 5, "one row per article");
    assert!(
        document
            .descendants()
            .any(|n| n.has_tag_name("path") && n.attribute("class") == Some("arc arc-link")),
        "articles that link to each other are joined"
    );
    // The same facts as a table beside the map, one row per article.
    let table = &page[page.find("<table class=\"map-table\">").expect("table")..];
    let table = &table[..table.find("</table>").expect("closed")];
    assert_eq!(table.matches("<th scope=\"row\">").count(), 5);
}

#[test]
fn entities_have_pages_and_their_first_mention_in_each_article_is_linked() {
    let built = build();
    for page in [
        "people/index.html",
        "organisations/index.html",
        "glossary/index.html",
        "people/liz-bruce/index.html",
        "people/blair-mcpherson/index.html",
        "organisations/association-of-directors-of-adult-social-services/index.html",
        "glossary/care-act-2014/index.html",
        "glossary/director-of-adult-social-services/index.html",
    ] {
        assert!(built.output.contains(page), "{page} is missing");
    }
    let article = text(
        &built,
        "articles/how-directors-can-help-social-workers/index.html",
    );
    assert_eq!(
        article.matches("href=\"/people/blair-mcpherson/\"").count(),
        2,
        "the first mention in the text, and the list of people in the article"
    );
    let guidance = text(&built, "articles/dass-culture-and-leadership/index.html");
    assert_eq!(
        guidance
            .matches("id=\"mention-association-of-directors-of-adult-social-services\"")
            .count(),
        1,
        "only the first of several mentions of ADASS is linked"
    );
    let adass = text(
        &built,
        "organisations/association-of-directors-of-adult-social-services/index.html",
    );
    assert!(
        adass.contains("<mark>ADASS</mark>"),
        "the sentence marks the mention"
    );
    assert!(adass.contains("href=\"/articles/dass-culture-and-leadership/#mention-association-of-directors-of-adult-social-services\""));
    let blair = text(&built, "people/blair-mcpherson/index.html");
    assert!(
        blair.contains("href=\"/authors/blair-mcpherson/\""),
        "a person who writes here links to their articles"
    );
}

#[test]
fn the_search_page_has_its_index_and_says_how_to_browse_without_javascript() {
    let built = build();
    let page = text(&built, "search/index.html");
    assert!(page.contains("<script src=\"index.js\" defer></script>"));
    assert!(page.contains("<noscript>"));
    assert!(page.contains("href=\"/themes/\""));
    let index = text(&built, "search/index.js");
    assert!(index.starts_with("window.tillerSearchIndex = {\"version\":2,"));
    assert!(index.contains("[\"Workforce and culture\",\"workforce-and-culture\"]"));
    // Titles are loaded for the results shown, not with the page.
    let titles: String = (0..3)
        .map(|k| text(&built, &format!("search/meta-{k}.js")))
        .collect();
    for title in ["Culture and leadership", "Liz Bruce", "Care Act 2014"] {
        assert!(!index.contains(title), "{title} is in the index");
        assert!(titles.contains(title), "{title} is not in the titles");
    }
    assert!(built.output.contains("search/text-0.js"));
    assert!(built.output.contains("search/words-s.js"));
    let words = text(&built, "search/words-s.js");
    assert!(words.contains("\"supervis\":["));
    assert!(words.contains("\"supervision\":\"supervis\""));
}
