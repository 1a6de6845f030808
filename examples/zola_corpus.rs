//! Zola corpus: takes a site made by the `corpus` example and gives the same
//! site as a Zola project, so that benchmarks can build one corpus with Tiller,
//! Hugo and Zola and compare (see `benches/README.md`).
//!
//! ```sh
//! cargo run --release --example zola_corpus -- --from /tmp/corpus --out /tmp/corpus-zola
//! ```
//!
//! It writes `config.toml` (taxonomies themes, tags and authors; one site
//! feed and one per theme; CSS-class highlighting; the search index; each
//! leadership theme's title and description under `[extra]`), a section for
//! the articles, every article with the same body except that links to other
//! Markdown files become `@/` links (so Zola resolves them and fails on a
//! missing page or anchor, as Tiller does), the templates in
//! `benches/zola/templates/` that show what Tiller's default theme shows, and
//! the stylesheets. The same input always gives the same files. The output
//! folder must not exist or be empty.

use std::path::PathBuf;

mod convert;

use convert::{Article, Meta, Site, quote, quote_list, write};

/// What every page's browse block shows, worked out once here: Zola has no
/// cache for a template block that uses only site data, and asking for the
/// section and the taxonomy on every page made the build quadratic (see
/// `benches/README.md`). Tiller and Hugo also render the block once.
struct Browse {
    /// Published articles carrying each theme, in declared order.
    counts: Vec<usize>,
    articles: usize,
    /// File names and titles of the 10 newest articles.
    recent: Vec<(String, String)>,
}

fn browse(site: &Site, articles: &[Article]) -> Browse {
    let published: Vec<&Article> = articles.iter().filter(|a| !a.meta.draft).collect();
    let counts = site
        .themes
        .iter()
        .map(|(slug, _, _)| {
            published
                .iter()
                .filter(|a| a.meta.themes.contains(slug))
                .count()
        })
        .collect();
    // Newest first, then by title, as Tiller orders them; undated ones are
    // not recent.
    let mut dated: Vec<&Article> = published
        .iter()
        .copied()
        .filter(|a| a.meta.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.meta.title.cmp(&b.meta.title))
    });
    let recent = dated
        .iter()
        .take(10)
        .map(|a| (a.name.to_string_lossy().into_owned(), a.meta.title.clone()))
        .collect();
    Browse {
        counts,
        articles: published.len(),
        recent,
    }
}

fn config_toml(site: &Site, browse: &Browse) -> String {
    let order: Vec<String> = site.themes.iter().map(|t| t.0.clone()).collect();
    let mut themes = String::new();
    for ((slug, title, description), count) in site.themes.iter().zip(&browse.counts) {
        themes.push_str(&format!(
            "\n[extra.themes.{}]\ntitle = {}\ndescription = {}\ncount = {count}\n",
            quote(slug),
            quote(title),
            quote(description)
        ));
    }
    let mut recent = String::new();
    for (name, title) in &browse.recent {
        recent.push_str(&format!(
            "\n[[extra.recent]]\npath = {}\ntitle = {}\n",
            quote(&format!("@/articles/{name}")),
            quote(title)
        ));
    }
    format!(
        r#"# Written by examples/zola_corpus.rs from the Tiller corpus's site.toml.
base_url = {base_url}
title = {title}
description = {description}
default_language = "en"
# An Atom feed of the 20 newest articles, like Tiller's (and one per theme).
generate_feeds = true
feed_filenames = ["atom.xml"]
feed_limit = 20
# Tiller writes a search index too.
build_search_index = true
taxonomies = [
    {{ name = "themes", feed = true }},
    {{ name = "tags" }},
    {{ name = "authors" }},
]

[markdown]
# Tiller leaves quotes and dashes as written.
smart_punctuation = false

[markdown.highlighting]
# CSS classes, like Tiller; GitHub light and dark, like the Hugo site.
style = "class"
light_theme = "github-light"
dark_theme = "github-dark"

[extra]
themes_title = {themes_title}
tags_title = {tags_title}
# The leadership themes in the order site.toml declares them.
theme_order = {order}
article_count = {article_count}

[extra.kind_labels]
interview = "Interview"
briefing = "Briefing"
guidance = "Guidance"
blog = "Blog post"
report = "Report"
{themes}{recent}"#,
        base_url = quote(&site.base_url),
        title = quote(&site.title),
        description = quote(&site.description),
        themes_title = quote(&site.themes_title),
        tags_title = quote(&site.tags_title),
        order = quote_list(&order),
        article_count = browse.articles,
    )
}

fn front_matter(meta: &Meta) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", quote(&meta.title)));
    if let Some(date) = &meta.date {
        out.push_str(&format!("date: {date}\n"));
    }
    if let Some(updated) = &meta.updated {
        out.push_str(&format!("updated: {updated}\n"));
    }
    if let Some(summary) = &meta.summary {
        out.push_str(&format!("description: {}\n", quote(summary)));
    }
    if meta.draft {
        out.push_str("draft: true\n");
    }
    out.push_str("taxonomies:\n");
    out.push_str(&format!("  themes: {}\n", quote_list(&meta.themes)));
    if !meta.tags.is_empty() {
        out.push_str(&format!("  tags: {}\n", quote_list(&meta.tags)));
    }
    if !meta.authors.is_empty() {
        out.push_str(&format!("  authors: {}\n", quote_list(&meta.authors)));
    }
    // Not a Zola field: it reaches the templates as page.extra.kind.
    out.push_str(&format!("extra:\n  kind: {}\n", quote(&meta.kind)));
    out.push_str("---\n");
    out
}

fn main() {
    let args = convert::args();
    let site = convert::read_site(&args.from);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let content = args.out.join("content");
    // Sorted by title: a section sorted by date leaves undated articles out,
    // unrendered, where Tiller renders them and lists them under "Undated".
    write(
        &content.join("articles/_index.md"),
        "---\ntitle: \"All articles\"\nsort_by: title\ntemplate: articles.html\n---\n",
    );

    // Articles: same file names, front matter rewritten, links made `@/`
    // links, which Zola checks, anchors included.
    let articles = convert::articles(&args.from, |target| format!("@/articles/{target}"));
    write(
        &args.out.join("config.toml"),
        &config_toml(&site, &browse(&site, &articles)),
    );
    let links = convert::write_articles(&content.join("articles"), &articles, front_matter);

    // The look: templates kept in this repository, plus the corpus's copy of
    // Tiller's style.css and favicon.
    convert::copy_tree(
        &repo.join("benches/zola/templates"),
        &args.out.join("templates"),
    );
    convert::copy_look(&args.from, &args.out.join("static"));
    println!(
        "wrote {} articles ({links} links as @/ links) to {}",
        articles.len(),
        args.out.display()
    );
}
