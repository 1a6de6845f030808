//! Hugo corpus: takes a site made by the `corpus` example and gives the same
//! site as a Hugo project, so that benchmarks can build one corpus with both
//! generators and compare (see `benches/README.md`).
//!
//! ```sh
//! cargo run --release --example hugo_corpus -- --from /tmp/corpus --out /tmp/corpus-hugo
//! ```
//!
//! It writes `config.toml` (taxonomies themes, tags and authors; related
//! content on themes and tags; CSS-class highlighting), one `_index.md` per
//! leadership theme with its title and description from `site.toml`, every
//! article with the same body except that links to other Markdown files become
//! `{{< ref >}}` shortcodes (so Hugo resolves them and fails on a missing
//! page, as Tiller does), the layouts in `benches/hugo/layouts/` that show what
//! Tiller's default theme shows, and the stylesheets. The same input always
//! gives the same files. The output folder must not exist or be empty.

use std::path::PathBuf;

mod convert;

use convert::{Meta, Site, quote, quote_list, write};

fn config_toml(site: &Site) -> String {
    let order: Vec<String> = site.themes.iter().map(|t| t.0.clone()).collect();
    format!(
        r#"# Written by examples/hugo_corpus.rs from the Tiller corpus's site.toml.
baseURL = {base_url}
title = {title}
languageCode = "en-gb"
# Tiller's feeds have 20 entries; Hugo's default is every page.
rssLimit = 20
# Tiller writes robots.txt (layouts/robots.txt here).
enableRobotsTXT = true

[params]
description = {description}
themesTitle = {themes_title}
tagsTitle = {tags_title}
# The leadership themes in the order site.toml declares them.
themeOrder = {order}

[params.kindLabels]
interview = "Interview"
briefing = "Briefing"
guidance = "Guidance"
blog = "Blog post"
report = "Report"

[taxonomies]
theme = "themes"
tag = "tags"
author = "authors"

[markup.highlight]
# CSS classes, like Tiller (static/syntax.css).
noClasses = false

[markup.goldmark.renderer]
unsafe = false

[markup.goldmark.extensions]
# Tiller leaves quotes, dashes and bare URLs as written.
typographer = false
linkify = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
ordered = true

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]
page = ["HTML"]

# Tiller scores related articles 2 per shared theme and 3 per shared tag (and
# 4 for a link, which Hugo cannot see), over older and newer articles alike.
[related]
includeNewer = true
threshold = 0
toLower = false

[[related.indices]]
name = "themes"
weight = 2

[[related.indices]]
name = "tags"
weight = 3
"#,
        base_url = quote(&site.base_url),
        title = quote(&site.title),
        description = quote(&site.description),
        themes_title = quote(&site.themes_title),
        tags_title = quote(&site.tags_title),
        order = quote_list(&order),
    )
}

fn front_matter(meta: &Meta) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", quote(&meta.title)));
    if let Some(date) = &meta.date {
        out.push_str(&format!("date: {date}\n"));
    }
    if let Some(updated) = &meta.updated {
        out.push_str(&format!("lastmod: {updated}\n"));
    }
    // Not a Hugo field: it reaches the templates as .Params.kind.
    out.push_str(&format!("kind: {}\n", quote(&meta.kind)));
    if !meta.authors.is_empty() {
        out.push_str(&format!("authors: {}\n", quote_list(&meta.authors)));
    }
    out.push_str(&format!("themes: {}\n", quote_list(&meta.themes)));
    if !meta.tags.is_empty() {
        out.push_str(&format!("tags: {}\n", quote_list(&meta.tags)));
    }
    if let Some(summary) = &meta.summary {
        out.push_str(&format!("summary: {}\n", quote(summary)));
    }
    if meta.draft {
        out.push_str("draft: true\n");
    }
    out.push_str("---\n");
    out
}

/// A section or taxonomy page's `_index.md` with its title (and description).
fn index_page(title: &str, description: Option<&str>, weight: Option<usize>) -> String {
    let mut out = format!("---\ntitle: {}\n", quote(title));
    if let Some(description) = description {
        out.push_str(&format!("description: {}\n", quote(description)));
    }
    if let Some(weight) = weight {
        out.push_str(&format!("weight: {weight}\n"));
    }
    out.push_str("---\n");
    out
}

fn main() {
    let args = convert::args();
    let site = convert::read_site(&args.from);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    write(&args.out.join("config.toml"), &config_toml(&site));

    // Section and taxonomy pages, with the titles Tiller shows for them.
    let content = args.out.join("content");
    write(
        &content.join("articles/_index.md"),
        &index_page("All articles", None, None),
    );
    write(
        &content.join("themes/_index.md"),
        &index_page(&site.themes_title, None, None),
    );
    write(
        &content.join("tags/_index.md"),
        &index_page(&site.tags_title, None, None),
    );
    write(
        &content.join("authors/_index.md"),
        &index_page("Authors", None, None),
    );
    for (i, (slug, title, description)) in site.themes.iter().enumerate() {
        write(
            &content.join("themes").join(slug).join("_index.md"),
            &index_page(title, Some(description), Some(i + 1)),
        );
    }

    // Articles: same file names, front matter rewritten, links made `ref`s,
    // so that Hugo resolves them and fails on a missing page.
    let articles = convert::articles(&args.from, |target| {
        format!("{{{{< ref {} >}}}}", quote(target))
    });
    let links = convert::write_articles(&content.join("articles"), &articles, front_matter);

    // The look: layouts and stylesheets kept in this repository, plus the
    // corpus's copy of Tiller's style.css and favicon.
    let hugo = repo.join("benches/hugo");
    convert::copy_tree(&hugo.join("layouts"), &args.out.join("layouts"));
    convert::copy_tree(&hugo.join("static"), &args.out.join("static"));
    convert::copy_look(&args.from, &args.out.join("static"));
    println!(
        "wrote {} articles ({links} links as ref shortcodes) to {}",
        articles.len(),
        args.out.display()
    );
}
