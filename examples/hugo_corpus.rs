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

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

struct Args {
    from: PathBuf,
    out: PathBuf,
}

fn args() -> Args {
    let mut from = None;
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .unwrap_or_else(|| fail(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--from" => from = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            other => fail(&format!("unknown option {other}; use --from DIR --out DIR")),
        }
    }
    match (from, out) {
        (Some(from), Some(out)) => Args { from, out },
        _ => fail("usage: hugo_corpus --from TILLER_SITE --out HUGO_SITE"),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("hugo_corpus: {message}");
    std::process::exit(2);
}

/// What the converter needs from `site.toml`.
struct Site {
    title: String,
    description: String,
    base_url: String,
    themes_title: String,
    tags_title: String,
    /// Leadership themes in declared order: slug, title, description.
    themes: Vec<(String, String, String)>,
}

fn read_site(root: &Path) -> Site {
    let path = root.join("site.toml");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let string = |value: Option<&toml::Value>, what: &str| -> String {
        value
            .and_then(toml::Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| fail(&format!("site.toml has no {what}")))
    };
    let taxonomies = table.get("taxonomies");
    let themes_table = taxonomies.and_then(|t| t.get("themes"));
    let terms = themes_table
        .and_then(|t| t.get("terms"))
        .and_then(toml::Value::as_table)
        .unwrap_or_else(|| fail("site.toml declares no [taxonomies.themes.terms]"));
    // The toml crate sorts keys, but the themes' order is the declared one, so
    // it is read from the order of the table headers in the text.
    let prefix = "[taxonomies.themes.terms.";
    let order: Vec<String> = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix(prefix)?.strip_suffix(']'))
        .map(str::to_string)
        .collect();
    if order.len() != terms.len() {
        fail("write each theme as its own [taxonomies.themes.terms.<slug>] table");
    }
    let themes = order
        .into_iter()
        .map(|slug| {
            let term = &terms[&slug];
            let title = string(term.get("title"), &format!("title for theme {slug}"));
            let description = string(
                term.get("description"),
                &format!("description for theme {slug}"),
            );
            (slug, title, description)
        })
        .collect();
    Site {
        title: string(table.get("title"), "title"),
        description: table
            .get("description")
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string(),
        base_url: string(table.get("base_url"), "base_url"),
        themes_title: themes_table
            .and_then(|t| t.get("title"))
            .and_then(toml::Value::as_str)
            .unwrap_or("Themes")
            .to_string(),
        tags_title: taxonomies
            .and_then(|t| t.get("tags"))
            .and_then(|t| t.get("title"))
            .and_then(toml::Value::as_str)
            .unwrap_or("Tags")
            .to_string(),
        themes,
    }
}

/// A double-quoted YAML (and TOML, and JSON) string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

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

/// The front matter fields the corpus writes (and Tiller accepts).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    title: String,
    kind: String,
    date: Option<String>,
    updated: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// Splits a Markdown file into its YAML front matter and its body.
fn split_front_matter<'a>(text: &'a str, path: &Path) -> (&'a str, &'a str) {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| fail(&format!("{}: no front matter", path.display())));
    let end = rest
        .find("\n---\n")
        .unwrap_or_else(|| fail(&format!("{}: front matter is not closed", path.display())));
    (&rest[..=end], &rest[end + 5..])
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

/// Whether a link target is a relative link to another Markdown file, which
/// Tiller rewrites and checks (and Hugo's `ref` does the same).
fn is_markdown_link(target: &str) -> bool {
    let path = target.split('#').next().unwrap_or_default();
    path.ends_with(".md")
        && !path.starts_with('/')
        && !path.contains("://")
        && !target.contains(char::is_whitespace)
        && !target.contains('"')
}

/// The body with every inline link `[Text](other.md#anchor)` written as
/// `[Text]({{< ref "other.md#anchor" >}})`, outside fenced code; every other
/// byte is kept.
fn rewrite_links(body: &str) -> (String, usize) {
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut count = 0;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                out.push_str(line);
                continue;
            }
            (Some(open), Some(m)) if open == m => {
                fence = None;
                out.push_str(line);
                continue;
            }
            (Some(_), _) => {
                out.push_str(line);
                continue;
            }
            (None, None) => {}
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let (before, after) = rest.split_at(at + 2);
            out.push_str(before);
            match after.find(')') {
                Some(end) if is_markdown_link(&after[..end]) => {
                    out.push_str(&format!("{{{{< ref {} >}}}})", quote(&after[..end])));
                    count += 1;
                    rest = &after[end + 1..];
                }
                _ => rest = after,
            }
        }
        out.push_str(rest);
    }
    (out, count)
}

/// Copies a folder's files into another, in name order.
fn copy_tree(from: &Path, to: &Path) {
    if !from.is_dir() {
        fail(&format!("{} is missing", from.display()));
    }
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap_or_else(|e| fail(&format!("walk {}: {e}", from.display())));
        let target = to.join(entry.path().strip_prefix(from).expect("inside the folder"));
        if entry.file_type().is_dir() {
            create_dir(&target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| fail(&format!("copy {}: {e}", entry.path().display())));
        }
    }
}

fn create_dir(path: &Path) {
    fs::create_dir_all(path)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", path.display())));
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        create_dir(parent);
    }
    fs::write(path, text)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
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
    let args = args();
    if args.out.exists()
        && fs::read_dir(&args.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        fail(&format!(
            "{} exists and is not empty; remove it first",
            args.out.display()
        ));
    }
    let site = read_site(&args.from);
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

    // Articles: same file names, front matter rewritten, links made `ref`s.
    let articles = args.from.join("content/articles");
    let mut files: Vec<PathBuf> = fs::read_dir(&articles)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", articles.display())))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut links = 0;
    for file in &files {
        let text = fs::read_to_string(file)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", file.display())));
        let (yaml, body) = split_front_matter(&text, file);
        let meta: Meta = serde_saphyr::from_str(yaml)
            .unwrap_or_else(|e| fail(&format!("{}: front matter: {e}", file.display())));
        let (body, count) = rewrite_links(body);
        links += count;
        let name = file.file_name().expect("a file name");
        write(
            &content.join("articles").join(name),
            &(front_matter(&meta) + &body),
        );
    }

    // The look: layouts and stylesheets kept in this repository, plus the
    // corpus's copy of Tiller's style.css and favicon.
    let hugo = repo.join("benches/hugo");
    copy_tree(&hugo.join("layouts"), &args.out.join("layouts"));
    copy_tree(&hugo.join("static"), &args.out.join("static"));
    for name in ["style.css", "favicon.svg"] {
        let from = args.from.join("themes/default/static").join(name);
        fs::copy(&from, args.out.join("static").join(name))
            .unwrap_or_else(|e| fail(&format!("copy {}: {e}", from.display())));
    }
    println!(
        "wrote {} articles ({links} links as ref shortcodes) to {}",
        files.len(),
        args.out.display()
    );
}
