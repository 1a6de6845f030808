//! Render: takes the resolved [`Site`] and the compiled [`Theme`] and gives
//! every page, feed and static file of the site to a [`Sink`]: memory, or the
//! staging folder of a build. Pages are rendered in parallel and handed over as
//! soon as each is made; what many pages share is built once.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::diagnostics::{Diagnostic, Position};
use crate::highlight;
use crate::output::Sink;
use crate::site::{ArticleId, Site};
use crate::theme::Theme;
use crate::urls;
use crate::views::{DateView, Taxonomy, TermSummary, Views};

/// The stylesheet for highlighted code, written beside the theme's static files.
pub const SYNTAX_CSS: &str = "syntax.css";

/// An optional template rendered once per article; each card's `html` is its output.
pub const CARD_TEMPLATE: &str = "card.html";

/// What rendering made: how many HTML pages, and the problems met.
#[derive(Debug, Default)]
pub struct Rendered {
    pub pages: usize,
    pub problems: Vec<Diagnostic>,
}

/// One output file to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Home,
    Article(ArticleId),
    Page(usize),
    Articles,
    Themes,
    Theme(usize),
    ThemeFeed(usize),
    Tags,
    Tag(usize),
    Authors,
    Author(usize),
    NotFound,
    SiteFeed,
    Sitemap,
    Robots,
}

fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Articles,
        Job::Themes,
        Job::Tags,
        Job::Authors,
        Job::NotFound,
    ];
    jobs.extend((0..site.articles.len()).map(Job::Article));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.themes.len()).flat_map(|t| [Job::Theme(t), Job::ThemeFeed(t)]));
    jobs.extend((0..site.tags.len()).map(Job::Tag));
    jobs.extend((0..site.authors.len()).map(Job::Author));
    jobs.extend([Job::SiteFeed, Job::Sitemap, Job::Robots]);
    jobs
}

/// Renders the whole site into `sink`. Problems are collected; every page is
/// attempted even when some fail, so one run reports them all.
pub fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> Rendered {
    let mut problems = Vec::new();
    let jobs = jobs(site);
    let base = &site.config.base_url.path;
    let strip = |url: &str| urls::output_file(url.strip_prefix(base.as_str()).unwrap_or(url));
    let planned: Vec<String> = jobs
        .iter()
        .map(|&job| output_path(site, job, &strip))
        .collect();

    // Static files may not replace pages: decided before anything is written.
    let mut owners: HashMap<&str, &str> = planned.iter().map(|p| (p.as_str(), "")).collect();
    owners.insert(SYNTAX_CSS, "site.toml");
    let mut files: Vec<(&str, &[u8])> = Vec::with_capacity(site.assets.len());
    for asset in &site.assets {
        if owners.contains_key(asset.output_path.as_str()) {
            problems.push(Diagnostic::error(
                &asset.path,
                Position::START,
                format!(
                    "this file would replace {}, which the site already makes",
                    asset.output_path
                ),
            ));
        } else {
            owners.insert(&asset.output_path, &asset.path);
            files.push((&asset.output_path, &asset.bytes));
        }
    }

    let mut views = Views::new(site);
    if theme.has_template(CARD_TEMPLATE) {
        let html = render_cards(theme, &views, &mut problems);
        views.attach_card_html(html);
    }
    let shared = with_shared_fragments(&views, theme, &mut problems);
    let renderer = Renderer {
        site,
        theme,
        views,
        shared,
    };

    let results: Vec<Result<bool, Diagnostic>> = jobs
        .par_iter()
        .zip(&planned)
        .map(|(&job, path)| {
            let bytes = renderer.render(job)?;
            sink.put(path, bytes).map_err(|e| write_problem(path, &e))?;
            Ok(path.ends_with(".html"))
        })
        .collect();
    let mut pages = 0;
    for result in results {
        match result {
            Ok(is_page) => pages += usize::from(is_page),
            Err(problem) => problems.push(problem),
        }
    }

    let markdown = &site.config.markdown;
    match highlight::stylesheet(&markdown.highlight_light, &markdown.highlight_dark) {
        Ok(css) => {
            if let Err(e) = sink.put(SYNTAX_CSS, css.into_bytes()) {
                problems.push(write_problem(SYNTAX_CSS, &e));
            }
        }
        Err(message) => problems.push(Diagnostic::error("site.toml", Position::START, message)),
    }
    let copied: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(path, bytes)| {
            sink.put(path, bytes.to_vec())
                .err()
                .map(|e| write_problem(path, &e))
        })
        .collect();
    problems.extend(copied);
    Rendered { pages, problems }
}

fn write_problem(path: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        Position::START,
        format!("cannot write this output file: {error}"),
    )
}

fn output_path(site: &Site, job: Job, strip: &impl Fn(&str) -> String) -> String {
    match job {
        Job::Home => "index.html".to_string(),
        Job::Article(id) => strip(site.articles[id].url()),
        Job::Page(id) => strip(&site.pages[id].url),
        Job::Articles => "articles/index.html".to_string(),
        Job::Themes => "themes/index.html".to_string(),
        Job::Theme(id) => strip(&site.themes[id].url),
        Job::ThemeFeed(id) => strip(&format!("{}atom.xml", site.themes[id].url)),
        Job::Tags => "tags/index.html".to_string(),
        Job::Tag(id) => strip(&site.tags[id].url),
        Job::Authors => "authors/index.html".to_string(),
        Job::Author(id) => strip(&site.authors[id].url),
        Job::NotFound => "404.html".to_string(),
        Job::SiteFeed => "atom.xml".to_string(),
        Job::Sitemap => "sitemap.xml".to_string(),
        Job::Robots => "robots.txt".to_string(),
    }
}

/// The site value every template sees as `site`, with each shared fragment
/// (a template under `shared/`) rendered once and folded in as `site.shared.<stem>`.
fn with_shared_fragments(views: &Views, theme: &Theme, problems: &mut Vec<Diagnostic>) -> Value {
    let value = Value::from_serializable(&views.site());
    let mut context = Context::new();
    context.insert_value("site", value.clone());
    let mut fragments = tera::Map::new();
    for name in theme.shared_templates() {
        let stem = name
            .trim_start_matches(crate::theme::SHARED_FOLDER)
            .split('.')
            .next()
            .unwrap_or(name);
        match theme.render(name, &context) {
            Ok(html) => {
                fragments.insert(stem.to_string().into(), Value::safe_string(&html));
            }
            Err(problem) => problems.push(problem),
        }
    }
    let mut map = value.into_map().unwrap_or_default();
    map.insert("shared".into(), Value::from(fragments));
    Value::from(map)
}

/// Each article's card, rendered once by the theme's card template with the
/// card as `article` (and the site, without shared fragments, as `site`).
fn render_cards(
    theme: &Theme,
    views: &Views,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Option<String>> {
    let site = Value::from_serializable(&views.site());
    let results: Vec<Result<String, Diagnostic>> = views
        .all_cards()
        .par_iter()
        .map(|card| {
            let mut context = Context::new();
            context.insert_value("site", site.clone());
            context.insert_value("article", card.clone());
            theme.render(CARD_TEMPLATE, &context)
        })
        .collect();
    results
        .into_iter()
        .map(|result| result.map_err(|problem| problems.push(problem)).ok())
        .collect()
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: Views<'a>,
    shared: Value,
}

/// A feed as the `atom.xml` template sees it.
#[derive(Serialize)]
struct FeedView<'a> {
    title: String,
    subtitle: &'a str,
    /// Absolute URL of the feed itself; also its id.
    self_url: String,
    /// Absolute URL of the page the feed follows.
    alternate_url: String,
    updated: String,
    entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    permalink: String,
    published: String,
    updated: String,
    summary: &'a str,
    content: &'a str,
    authors: Vec<&'a str>,
    categories: Vec<&'a str>,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// Atom requires dates; a feed with no dated entry at all falls back to this,
/// the earliest date the format can say, rather than inventing "now".
const EPOCH: &str = "1970-01-01T00:00:00Z";

impl Renderer<'_> {
    fn base(&self) -> &str {
        &self.site.config.base_url.path
    }

    fn context(&self, title: &str, description: &str, url: &str) -> Context {
        let mut context = Context::new();
        context.insert_value("site", self.shared.clone());
        context.insert("page", &self.views.page_meta(title, description, url));
        context
    }

    fn render(&self, job: Job) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let views = &self.views;
        let config = &site.config;
        let base = self.base();
        let (template, context) = match job {
            Job::Home => (
                "index.html",
                self.context(&config.title, &config.description, base),
            ),
            Job::Article(id) => {
                let article = &site.articles[id];
                let mut context = self.context(article.title(), article.summary(), article.url());
                context.insert("article", &views.article(id));
                ("article.html", context)
            }
            Job::Page(id) => {
                let page = &site.pages[id];
                let mut context = self.context(page.title(), page.summary(), &page.url);
                context.insert("content", &views.page_content(page));
                ("page.html", context)
            }
            Job::Articles => {
                let url = urls::under(base, "articles/");
                let mut context = self.context("All articles", &config.description, &url);
                let ids: Vec<ArticleId> = (0..site.articles.len()).collect();
                context.insert("articles", &views.cards(&ids));
                context.insert("groups", &views.by_year());
                ("articles.html", context)
            }
            Job::Themes => {
                let url = urls::under(base, "themes/");
                let mut context = self.context(&config.themes.title, &config.description, &url);
                let terms: Vec<_> = site
                    .themes
                    .iter()
                    .map(|t| views.term(t, Taxonomy::Themes))
                    .collect();
                context.insert("terms", &terms);
                ("themes.html", context)
            }
            Job::Theme(id) => {
                let term = &site.themes[id];
                let description = term.description.as_deref().unwrap_or_default();
                let mut context = self.context(&term.name, description, &term.url);
                context.insert("term", &views.term(term, Taxonomy::Themes));
                ("theme.html", context)
            }
            Job::ThemeFeed(id) => {
                let term = &site.themes[id];
                let title = format!("{} — {}", term.name, config.title);
                let description = term.description.as_deref().unwrap_or_default();
                let feed = self.feed(title, description, &term.url, &term.articles);
                let mut context = self.context(&term.name, "", &term.url);
                context.insert("feed", &feed);
                ("atom.xml", context)
            }
            Job::SiteFeed => {
                let ids: Vec<ArticleId> = (0..site.articles.len()).collect();
                let feed = self.feed(config.title.clone(), &config.description, base, &ids);
                let mut context = self.context(&config.title, &config.description, base);
                context.insert("feed", &feed);
                ("atom.xml", context)
            }
            Job::Tags => {
                let url = urls::under(base, "tags/");
                let mut context = self.context(&config.tags.title, &config.description, &url);
                let terms: Vec<TermSummary> = site
                    .tags
                    .iter()
                    .map(|t| views.term_summary(t, Taxonomy::Tags))
                    .collect();
                context.insert("terms", &terms);
                ("tags.html", context)
            }
            Job::Tag(id) => {
                let term = &site.tags[id];
                let mut context = self.context(&term.name, "", &term.url);
                context.insert("term", &views.term(term, Taxonomy::Tags));
                ("tag.html", context)
            }
            Job::Authors => {
                let url = urls::under(base, "authors/");
                let mut context = self.context("Authors", &config.description, &url);
                let authors: Vec<_> = site
                    .authors
                    .iter()
                    .map(|a| views.author_summary(a))
                    .collect();
                context.insert("authors", &authors);
                ("authors.html", context)
            }
            Job::Author(id) => {
                let author = &site.authors[id];
                let mut context = self.context(&author.name, "", &author.url);
                context.insert("author", &views.author_summary(author));
                context.insert("articles", &views.cards(&author.articles));
                ("author.html", context)
            }
            Job::NotFound => {
                let url = urls::under(base, "404.html");
                ("404.html", self.context("Page not found", "", &url))
            }
            Job::Sitemap => {
                let mut context = self.context("Sitemap", "", base);
                context.insert("entries", &self.sitemap());
                ("sitemap.xml", context)
            }
            Job::Robots => {
                let mut context = self.context("robots.txt", "", base);
                let sitemap = config.base_url.permalink(&urls::under(base, "sitemap.xml"));
                context.insert("sitemap_url", &sitemap);
                ("robots.txt", context)
            }
        };
        self.theme
            .render(template, &context)
            .map(String::into_bytes)
    }

    /// An Atom feed of the newest dated articles among `ids`. Articles without a
    /// date are left out: Atom requires one, and Tiller never invents dates.
    fn feed<'s>(
        &'s self,
        title: String,
        subtitle: &'s str,
        page_url: &str,
        ids: &[ArticleId],
    ) -> FeedView<'s> {
        let site = self.site;
        let config = &site.config;
        let entries: Vec<FeedEntry> = ids
            .iter()
            .map(|&id| &site.articles[id])
            .filter(|a| a.date().is_some())
            .take(config.feed_entries)
            .map(|a| FeedEntry {
                title: a.title(),
                permalink: config.base_url.permalink(a.url()),
                published: a
                    .date()
                    .map(|d| DateView::new(d).rfc3339)
                    .unwrap_or_default(),
                updated: a
                    .last_changed()
                    .map(|d| DateView::new(d).rfc3339)
                    .unwrap_or_default(),
                summary: a.summary(),
                content: a.body_html(),
                authors: a
                    .place
                    .authors
                    .iter()
                    .map(|&x| site.authors[x].name.as_str())
                    .collect(),
                categories: a
                    .themes()
                    .iter()
                    .map(|&t| site.themes[t].name.as_str())
                    .collect(),
            })
            .collect();
        let newest = ids
            .iter()
            .filter_map(|&id| site.articles[id].last_changed())
            .max()
            .or_else(|| site.articles.iter().filter_map(|a| a.last_changed()).max());
        FeedView {
            title,
            subtitle,
            self_url: config.base_url.permalink(&format!("{page_url}atom.xml")),
            alternate_url: config.base_url.permalink(page_url),
            updated: newest.map_or_else(|| EPOCH.to_string(), |d| DateView::new(d).rfc3339),
            entries,
        }
    }

    fn sitemap(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let base = self.base();
        let permalink = |url: &str| site.config.base_url.permalink(url);
        let mut entries: Vec<SitemapEntry> = Vec::new();
        for section in ["", "articles/", "themes/", "tags/", "authors/"] {
            entries.push(SitemapEntry {
                loc: permalink(&urls::under(base, section)),
                lastmod: None,
            });
        }
        for a in &site.articles {
            entries.push(SitemapEntry {
                loc: permalink(a.url()),
                lastmod: a.last_changed().map(|d| d.to_string()),
            });
        }
        let others = site
            .pages
            .iter()
            .map(|p| &p.url)
            .chain(site.themes.iter().map(|t| &t.url))
            .chain(site.tags.iter().map(|t| &t.url))
            .chain(site.authors.iter().map(|a| &a.url));
        for url in others {
            entries.push(SitemapEntry {
                loc: permalink(url),
                lastmod: None,
            });
        }
        entries.sort_by(|a, b| a.loc.cmp(&b.loc));
        entries
    }
}
