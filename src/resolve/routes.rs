//! Routes: takes the resolved site (its documents, terms, entities and files)
//! and gives every file the built site is made of, each with its output path
//! and what makes it, checking once that no two claim one path.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Position};
use crate::parse::entities::Section;
use crate::resolve::paging::{page_count, page_url};
use crate::site::{Made, Route, Site};
use crate::urls;

/// The stylesheet for highlighted code, written beside the theme's static files.
pub const SYNTAX_CSS: &str = "syntax.css";

/// Every file of the site: the pages Tiller generates first, then the pages of
/// articles and plain pages, then the search files, then the files copied as
/// they are. Of two that claim one path the first keeps it and the second is
/// reported (on the file it comes from) and left out.
pub(crate) fn plan(site: &Site) -> (Vec<Route>, Vec<Diagnostic>) {
    let per_page = site.config.articles_per_page;
    let pages = |articles: usize| 0..page_count(articles, per_page);
    let mut made = vec![
        Made::Home,
        Made::Themes,
        Made::Tags,
        Made::Authors,
        Made::Search,
        Made::NotFound,
    ];
    made.extend(pages(site.articles.len()).map(Made::Articles));
    for (t, theme) in site.themes.iter().enumerate() {
        made.extend(pages(theme.articles.len()).map(|page| Made::Theme(t, page)));
        made.push(Made::ThemeFeed(t));
    }
    for (t, tag) in site.tags.iter().enumerate() {
        made.extend(pages(tag.articles.len()).map(|page| Made::Tag(t, page)));
    }
    for (a, author) in site.authors.iter().enumerate() {
        made.extend(pages(author.articles.len()).map(|page| Made::Author(a, page)));
    }
    made.extend(
        site.sections
            .iter()
            .map(|(section, _)| Made::Section(*section)),
    );
    for (id, mentioned) in site.mentions.iter().enumerate() {
        let pages = page_count(mentioned.documents(), site.config.mentions_per_page);
        made.extend((0..pages).map(|page| Made::Entity(id, page)));
    }
    made.extend([Made::SiteFeed, Made::Sitemap, Made::Robots, Made::SyntaxCss]);
    made.extend((0..site.articles.len()).map(Made::Article));
    made.extend((0..site.pages.len()).map(Made::Page));
    made.push(Made::SearchIndex);
    made.extend((0..document_count(site)).map(Made::SearchText));
    made.extend((0..document_count(site).div_ceil(CHUNK)).map(Made::SearchMeta));
    made.extend((0..site.assets.len()).map(Made::Copy));

    let mut routes: Vec<Route> = Vec::with_capacity(made.len());
    let mut owners: HashMap<String, Made, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(made.len(), Default::default());
    let mut problems = Vec::new();
    // Every section of entities is Tiller's, whether or not the site has
    // entities of its kind yet: a page there would be taken away by the first.
    for section in Section::ALL {
        owners.insert(urls::output_file(section.folder()), Made::Section(section));
    }
    for made in made {
        let path = output_path(site, made);
        match owners.get(&path) {
            // Its own section, reserved above.
            Some(&owner) if owner == made => {}
            Some(&owner) => {
                problems.extend(clash(site, made, owner, &path));
                continue;
            }
            None => {}
        }
        // The search's word files are named by the words themselves, so
        // their whole name space is taken.
        if matches!(made, Made::Copy(_)) && is_words_file(&path) {
            problems.extend(clash(site, made, Made::SearchIndex, &path));
            continue;
        }
        owners.insert(path.clone(), made);
        routes.push(Route { path, made });
    }
    (routes, problems)
}

/// The output path of a file.
fn output_path(site: &Site, made: Made) -> String {
    let base = &site.config.base_url.path;
    let strip = |url: &str| urls::output_file(url.strip_prefix(base.as_str()).unwrap_or(url));
    match made {
        Made::Home => "index.html".to_string(),
        Made::Article(id) => strip(site.articles[id].url()),
        Made::Page(id) => strip(&site.pages[id].url),
        Made::Articles(page) => urls::output_file(&page_url("articles/", page)),
        Made::Themes => "themes/index.html".to_string(),
        Made::Theme(id, page) => strip(&page_url(&site.themes[id].url, page)),
        Made::ThemeFeed(id) => strip(&format!("{}atom.xml", site.themes[id].url)),
        Made::Tags => "tags/index.html".to_string(),
        Made::Tag(id, page) => strip(&page_url(&site.tags[id].url, page)),
        Made::Authors => "authors/index.html".to_string(),
        Made::Author(id, page) => strip(&page_url(&site.authors[id].url, page)),
        Made::Section(section) => urls::output_file(section.folder()),
        Made::Entity(id, page) => strip(&page_url(&site.mentions[id].url, page)),
        Made::Search => "search/index.html".to_string(),
        Made::NotFound => "404.html".to_string(),
        Made::SiteFeed => "atom.xml".to_string(),
        Made::Sitemap => "sitemap.xml".to_string(),
        Made::Robots => "robots.txt".to_string(),
        Made::SyntaxCss => SYNTAX_CSS.to_string(),
        Made::SearchIndex => INDEX_FILE.to_string(),
        Made::SearchText(n) => text_file(n),
        Made::SearchMeta(k) => meta_file(k),
        Made::Copy(id) => site.assets[id].output_path.clone(),
    }
}

/// The problem of `made` claiming `path`, which `owner` has: reported on the
/// file `made` comes from (a generated file comes from none, and Tiller never
/// plans two at one path).
fn clash(site: &Site, made: Made, owner: Made, path: &str) -> Option<Diagnostic> {
    let message = match made {
        Made::Copy(_) => format!("this file would replace {path}, which the site already makes"),
        _ => format!(
            "this file would be served at {}, which is already {}",
            urls::under(
                &site.config.base_url.path,
                path.trim_end_matches("index.html")
            ),
            describe(site, owner)
        ),
    };
    source(site, made)
        .map(|file| Diagnostic::error(Code::OutputClash, file, Position::START, message))
}

/// The source file of what makes an output file, if it has one.
pub(crate) fn source(site: &Site, made: Made) -> Option<&str> {
    match made {
        Made::Article(id) => Some(site.articles[id].path()),
        Made::Page(id) => Some(site.pages[id].path()),
        Made::Copy(id) => Some(&site.assets[id].path),
        _ => None,
    }
}

/// What makes an output file, for a problem that names it.
pub(crate) fn describe(site: &Site, made: Made) -> String {
    let numbered = |page: usize, list: String| match page {
        0 => format!("the page of {list}"),
        _ => format!("page {} of {list}", page + 1),
    };
    match made {
        Made::Article(_) | Made::Page(_) => source(site, made)
            .map(|path| format!("the page of {path}"))
            .unwrap_or_default(),
        Made::Copy(_) => source(site, made)
            .map(|path| format!("the copy of {path}"))
            .unwrap_or_default(),
        Made::Articles(page) => numbered(page, "all articles".to_string()),
        Made::Theme(id, page) => numbered(page, format!("the theme {:?}", site.themes[id].name)),
        Made::Tag(id, page) => numbered(page, format!("the tag {:?}", site.tags[id].name)),
        Made::Author(id, page) => {
            numbered(page, format!("the articles by {}", site.authors[id].name))
        }
        Made::Entity(id, 0) => format!("the page of {}", site.entities.list[id].name),
        Made::Entity(id, page) => numbered(
            page,
            format!("the mentions of {}", site.entities.list[id].name),
        ),
        _ => "a page Tiller generates".to_string(),
    }
}

/// The folder of the search page and its files.
const SEARCH_FOLDER: &str = "search/";
/// The search's index, relative to the output root.
pub(crate) const INDEX_FILE: &str = "search/index.js";
/// How many documents share one chunk of the search's index (indexed again
/// together after an edit) and one file of its titles and URLs: showing a
/// page of results loads a few small files.
pub(crate) const CHUNK: usize = 20;

/// Whether an output path is one of the files the search makes (not the
/// search page, nor the theme's scripts beside it).
pub fn is_search_file(path: &str) -> bool {
    path == INDEX_FILE
        || path.strip_prefix(SEARCH_FOLDER).is_some_and(|name| {
            name.starts_with("text-") || name.starts_with("words-") || name.starts_with("meta-")
        })
}

/// The path of the search's text of document `n`, relative to the output root.
pub(crate) fn text_file(n: usize) -> String {
    format!("search/text-{n}.js")
}

/// The path of the titles, URLs and dates of the search's chunk `k` of documents.
pub(crate) fn meta_file(k: usize) -> String {
    format!("search/meta-{k}.js")
}

/// How many documents the search has: one text file each.
fn document_count(site: &Site) -> usize {
    site.articles.len() + site.pages.len() + site.entities.list.len()
}

/// Whether an output path is in the name space of the search's shards of
/// words, which are written as the search makes them.
fn is_words_file(path: &str) -> bool {
    path.starts_with("search/words-")
}

/// The path of the shard of words whose name is `key`.
pub(crate) fn shard_file(key: &str) -> String {
    format!("search/words-{key}.js")
}
