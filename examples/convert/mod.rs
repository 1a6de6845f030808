//! Corpus conversion, shared by the Hugo and Zola converters: takes a site
//! made by the `corpus` example and gives what both need to write it for
//! another generator: the site's settings, each article's front matter and
//! body (with links to other Markdown files rewritten as the generator wants
//! them), and file helpers that stop the program with a message on failure.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub struct Args {
    pub from: PathBuf,
    pub out: PathBuf,
}

/// `--from TILLER_SITE --out SITE`; the output folder must be absent or empty.
pub fn args() -> Args {
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
    let (Some(from), Some(out)) = (from, out) else {
        fail("usage: --from TILLER_SITE --out OTHER_SITE")
    };
    if out.exists()
        && fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        fail(&format!(
            "{} exists and is not empty; remove it first",
            out.display()
        ));
    }
    Args { from, out }
}

pub fn fail(message: &str) -> ! {
    let program = std::env::args().next().unwrap_or_default();
    let name = Path::new(&program)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    eprintln!("{name}: {message}");
    std::process::exit(2);
}

/// What the converters need from `site.toml`.
pub struct Site {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub themes_title: String,
    pub tags_title: String,
    /// Leadership themes in declared order: slug, title, description.
    pub themes: Vec<(String, String, String)>,
}

pub fn read_site(root: &Path) -> Site {
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
pub fn quote(text: &str) -> String {
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

pub fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The front matter fields the corpus writes (and Tiller accepts).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    pub kind: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// An article of the corpus: its file name, front matter and body, with each
/// inline link `[Text](other.md#anchor)` outside fenced code given to `link`
/// (which returns what goes between the parentheses) and every other byte kept.
pub struct Article {
    pub name: std::ffi::OsString,
    pub meta: Meta,
    pub body: String,
    /// How many links were rewritten.
    pub links: usize,
}

/// Every article of the corpus at `root`, in file name order.
pub fn articles(root: &Path, link: impl Fn(&str) -> String) -> Vec<Article> {
    let folder = root.join("content/articles");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", folder.display())))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = fs::read_to_string(file)
                .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", file.display())));
            let (yaml, body) = split_front_matter(&text, file);
            let meta: Meta = serde_saphyr::from_str(yaml)
                .unwrap_or_else(|e| fail(&format!("{}: front matter: {e}", file.display())));
            let (body, links) = rewrite_links(body, &link);
            Article {
                name: file.file_name().expect("a file name").to_owned(),
                meta,
                body,
                links,
            }
        })
        .collect()
}

/// Writes each article into `folder` under its own file name, with the front
/// matter `front_matter` makes of its fields; gives how many links were
/// rewritten.
pub fn write_articles(
    folder: &Path,
    articles: &[Article],
    front_matter: impl Fn(&Meta) -> String,
) -> usize {
    for article in articles {
        write(
            &folder.join(&article.name),
            &(front_matter(&article.meta) + &article.body),
        );
    }
    articles.iter().map(|a| a.links).sum()
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

/// Whether a link target is a relative link to another Markdown file, which
/// Tiller rewrites and checks.
fn is_markdown_link(target: &str) -> bool {
    let path = target.split('#').next().unwrap_or_default();
    path.ends_with(".md")
        && !path.starts_with('/')
        && !path.contains("://")
        && !target.contains(char::is_whitespace)
        && !target.contains('"')
}

fn rewrite_links(body: &str, link: impl Fn(&str) -> String) -> (String, usize) {
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
                    out.push_str(&link(&after[..end]));
                    out.push(')');
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
pub fn copy_tree(from: &Path, to: &Path) {
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

/// Copies the corpus's `style.css` and `favicon.svg` (Tiller's) into `to`.
pub fn copy_look(from: &Path, to: &Path) {
    create_dir(to);
    for name in ["style.css", "favicon.svg"] {
        let source = from.join("themes/default/static").join(name);
        fs::copy(&source, to.join(name))
            .unwrap_or_else(|e| fail(&format!("copy {}: {e}", source.display())));
    }
}

fn create_dir(path: &Path) {
    fs::create_dir_all(path)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", path.display())));
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        create_dir(parent);
    }
    fs::write(path, text)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}
