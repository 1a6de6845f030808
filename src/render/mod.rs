//! Render: takes the resolved [`Site`], the compiled [`Templates`] of the
//! site's look and the routes resolve planned, and turns each route into
//! bytes for the [`Store`]: a file the store holds already, made under the
//! same key (a fingerprint of what it is made from), is kept; every other is
//! rendered and handed over. Pages are rendered in parallel, beside the
//! search's files; what many pages share is built once.

pub mod search;
pub mod structured;
pub mod templates;
pub mod theme_map;
pub mod views;

use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::cache::{Cache, fingerprint};
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::highlight;
use crate::parse::entities::Section;
use crate::render::search::SearchMemo;
use crate::render::structured::{Structured, article_node};
use crate::render::templates::Templates;
use crate::render::views::{
    Body, CardCache, DateView, FeedEntry, FeedView, PageMetaView, PageView, SitemapEntry, Taxonomy,
    Views,
};
use crate::resolve::links;
use crate::resolve::paging::page_url;
use crate::resolve::routes;
use crate::site::{ArticleId, Made as Job, Route, Site};
use crate::urls;
use crate::write::{Bytes, Store};

/// The stylesheet for highlighted code, written beside the theme's static files.
pub use crate::resolve::routes::SYNTAX_CSS;

/// An optional template rendered once per article; each card's `html` is its
/// output. It sees `article` (the card) and a small `site`: `title`,
/// `base_url`, `base_path` and `language`.
pub(crate) const CARD_TEMPLATE: &str = "card.html";

/// What rendering made: how many HTML pages, and the problems met.
#[derive(Debug, Default)]
pub struct Rendered {
    pub(crate) pages: usize,
    pub problems: Vec<Diagnostic>,
}

/// What render keeps between builds: the articles' cards, and the search's
/// pieces.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    cards: CardCache,
    search: SearchMemo,
}

/// The most pages one thread renders before the rest of its share can be
/// taken by an idle thread: each run of this many is a task of its own
/// (`with_max_len(1)`). Rayon splits work finely only when threads are idle
/// at the start; here one is busy with the search files then, and without the
/// cap a thread was left with a run of pages it could not give away, which it
/// rendered alone for the last 200 ms of a 10,000-article build (perf).
const JOBS_PER_TASK: usize = 16;

/// Renders every route of the site into `store`: a file the store holds
/// already, made from the same inputs (its key), is kept; every other is made
/// and handed over. Problems are collected; every page is attempted even when
/// some fail, so one run reports them all.
pub fn render(
    site: &Site,
    templates: &Templates,
    cache: &mut Cache,
    store: &dyn Store,
) -> Rendered {
    let mut problems = Vec::new();
    let cache = cache.memory::<Memory>();
    let cards = std::mem::take(&mut cache.cards);
    let renderer = Renderer::new(site, templates, cards, &mut problems);
    let salt = renderer.page_salt();
    let anchor_problems = Mutex::new(Vec::new());
    let search = &mut cache.search;
    let (results, search_problems): (Vec<Result<bool, Box<Failed>>>, Vec<Diagnostic>) = rayon::join(
        || {
            site.routes
                .par_chunks(JOBS_PER_TASK)
                .with_max_len(1)
                .flat_map_iter(|routes| {
                    let jobs: Vec<&Route> = routes
                        .iter()
                        .filter(|route| is_template_made(route.made))
                        .collect();
                    let queries: Vec<(&str, u64)> = jobs
                        .iter()
                        .map(|route| {
                            (
                                route.path.as_str(),
                                fingerprint(&(salt, renderer.key(route.made))),
                            )
                        })
                        .collect();
                    let held = store.kept_all(&queries);
                    jobs.into_iter()
                        .zip(queries)
                        .zip(held)
                        .map(|((route, (path, key)), held)| {
                            let bytes = match held {
                                Some(bytes) => Bytes::Shared(bytes),
                                None => Bytes::Made(
                                    renderer
                                        .render(route.made, path)
                                        .map_err(|p| Box::new(Failed::Page(p)))?,
                                ),
                            };
                            if let Some(wanted) = site.anchors.get(path) {
                                let page = url_of_output(site, path);
                                let missing =
                                    links::missing_anchors(&page, bytes.as_slice(), wanted);
                                if let Ok(mut found) = anchor_problems.lock() {
                                    found.extend(missing);
                                }
                            }
                            if let Bytes::Made(_) = bytes {
                                store.put(path, key, bytes).map_err(|e| {
                                    Box::new(Failed::Write(write_problem(path, &e)))
                                })?;
                            }
                            Ok(route.is_page())
                        })
                })
                .collect()
        },
        || search::write(site, search, store),
    );
    problems.extend(search_problems);
    problems.extend(anchor_problems.into_inner().unwrap_or_default());
    let mut pages = 0;
    let mut page_failures = Vec::new();
    for result in results {
        match result.map_err(|failed| *failed) {
            Ok(is_page) => pages += usize::from(is_page),
            Err(Failed::Page(problem)) => page_failures.push(problem),
            Err(Failed::Write(problem)) => problems.push(problem),
        }
    }
    problems.extend(page_problems(page_failures));
    let markdown = &site.config.markdown;
    let css_key = fingerprint(&(&markdown.highlight_light, &markdown.highlight_dark));
    if store.kept(SYNTAX_CSS, css_key).is_none() {
        match syntax_css(site) {
            Ok(css) => {
                if let Err(e) = store.put(SYNTAX_CSS, css_key, Bytes::Made(css.into_bytes())) {
                    problems.push(write_problem(SYNTAX_CSS, &e));
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    let copied: Vec<Diagnostic> = site
        .routes
        .par_iter()
        .filter_map(|route| match route.made {
            Job::Copy(id) => Some((route.path.as_str(), &site.assets[id].bytes)),
            _ => None,
        })
        .filter_map(|(path, bytes)| {
            store
                .put(path, 0, Bytes::Shared(bytes.clone()))
                .err()
                .map(|e| write_problem(path, &e))
        })
        .collect();
    problems.extend(copied);
    cache.cards = renderer.into_card_cache();
    Rendered { pages, problems }
}

/// Whether a route is made by rendering a template (the rest are the syntax
/// stylesheet, the search's files and copies).
fn is_template_made(made: Job) -> bool {
    !matches!(
        made,
        Job::SyntaxCss | Job::SearchIndex | Job::SearchText(_) | Job::SearchMeta(_) | Job::Copy(_)
    )
}

/// The title of page `page` (from 0) of a list called `title`: pages after
/// the first say which they are, so that no two pages share a title.
fn paged_title(title: &str, page: usize) -> std::borrow::Cow<'_, str> {
    if page == 0 {
        title.into()
    } else {
        format!("{title} (page {})", page + 1).into()
    }
}

/// What a section's page is for, for its `<meta name="description">`.
fn section_description(section: Section) -> &'static str {
    match section {
        Section::People => "The people the articles mention, with the articles that mention each.",
        Section::Organisations => {
            "The organisations the articles mention, with the articles that mention each."
        }
        Section::Glossary => {
            "Laws, guidance, roles and ideas the articles mention, with their abbreviations and the articles that mention each."
        }
    }
}

/// A template error met while rendering one page, and which page it was.
#[derive(Debug)]
struct PageProblem {
    problem: Diagnostic,
    page: String,
}

/// Why one output file was not made. Boxed where every file's outcome is
/// held: a diagnostic is large, and failures are rare.
enum Failed {
    Page(PageProblem),
    Write(Diagnostic),
}

/// One diagnostic for each template error, naming the first page it broke
/// and how many others: a mistake in a template every page uses breaks them
/// all, and ten thousand lines would hide the one that matters.
fn page_problems(failures: impl IntoIterator<Item = PageProblem>) -> Vec<Diagnostic> {
    let mut grouped: Vec<(Diagnostic, String, usize)> = Vec::new();
    for PageProblem { problem, page } in failures {
        match grouped.iter_mut().find(|(first, _, _)| *first == problem) {
            Some((_, _, others)) => *others += 1,
            None => grouped.push((problem, page, 0)),
        }
    }
    grouped
        .into_iter()
        .map(|(mut problem, page, others)| {
            let also = match others {
                0 => String::new(),
                n => format!(", and {n} more like it"),
            };
            problem.message = format!("{} (while rendering {page}{also})", problem.message);
            problem
        })
        .collect()
}

/// The root-relative URL of the page in an output file, for messages.
fn url_of_output(site: &Site, path: &str) -> String {
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    urls::under(&site.config.base_url.path, folder)
}

fn syntax_css(site: &Site) -> Result<String, Diagnostic> {
    let markdown = &site.config.markdown;
    highlight::stylesheet(&markdown.highlight_light, &markdown.highlight_dark).map_err(|message| {
        Diagnostic::error(
            Code::ConfigInvalidValue,
            "site.toml",
            Position::START,
            message,
        )
    })
}

fn write_problem(path: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::OutputWrite,
        path,
        Position::START,
        format!("cannot write this output file: {error}"),
    )
}

/// The small `site` a card template sees: what cannot change between two
/// articles' cards, so that a card's HTML depends on its own data only.
#[derive(Serialize, Hash)]
struct CardSite<'a> {
    title: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
}

struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    views: Views<'a>,
    /// The pages' JSON-LD.
    structured: Structured<'a>,
    /// The `site` value every page sees, shared fragments included.
    shared: Value,
    /// Fingerprint of `shared` and the shared fragments' HTML.
    shared_fingerprint: u64,
}

/// The longest body, in bytes of HTML, a feed entry carries as its content.
const FEED_CONTENT_LIMIT: usize = 1 << 20;

/// Atom requires dates; a feed with no dated entry at all falls back to this,
/// the earliest date the format can say, rather than inventing "now".
const EPOCH: &str = "1970-01-01T00:00:00Z";

impl<'a> Renderer<'a> {
    /// Makes what every page shares: cards (with their HTML), links, and the
    /// `site` value with its shared fragments, each rendered once.
    fn new(
        site: &'a Site,
        templates: &'a Templates,
        cards: CardCache,
        problems: &mut Vec<Diagnostic>,
    ) -> Self {
        let config = &site.config;
        let card_site = CardSite {
            title: &config.title,
            base_url: &config.base_url.absolute,
            base_path: &config.base_url.path,
            language: &config.language,
        };
        let mut views = Views::new(
            site,
            cards,
            fingerprint(&(templates.fingerprint(), &card_site)),
        );
        if templates.has_template(CARD_TEMPLATE) {
            let card_site = Value::from_serializable(&card_site);
            let failed = views.finish_cards(|card| {
                let mut context = Context::new();
                context.insert_value("site", card_site.clone());
                context.insert_value("article", card.clone());
                templates.render(CARD_TEMPLATE, &context)
            });
            problems.extend(page_problems(failed.into_iter().map(|(id, problem)| {
                let page = format!("the card of {}", site.articles[id].path());
                PageProblem { problem, page }
            })));
        }
        let site_view = views.site();
        let value = Value::from_serializable(&site_view);
        let mut context = Context::new();
        context.insert_value("site", value.clone());
        let mut fragments = tera::Map::new();
        let mut fragment_texts = Vec::new();
        for name in templates.shared_templates() {
            let stem = name
                .trim_start_matches(crate::render::templates::SHARED_FOLDER)
                .split('.')
                .next()
                .unwrap_or(name);
            match templates.render(name, &context) {
                Ok(html) => {
                    fragments.insert(stem.to_string().into(), Value::safe_string(&html));
                    fragment_texts.push(html);
                }
                Err(problem) => problems.extend(page_problems([PageProblem {
                    problem,
                    page: format!("{name}, which every page shows"),
                }])),
            }
        }
        let shared_fingerprint = fingerprint(&(&site_view, &fragment_texts));
        let mut map = value.into_map().unwrap_or_default();
        map.insert("shared".into(), Value::from(fragments));
        Renderer {
            site,
            templates,
            views,
            structured: Structured::new(site),
            shared: Value::from(map),
            shared_fingerprint,
        }
    }

    /// What every page's output depends on beyond its own view: the theme,
    /// the shared `site` value and the config (which shaped the Markdown).
    fn page_salt(&self) -> u64 {
        fingerprint(&(
            self.templates.fingerprint(),
            self.shared_fingerprint,
            &self.site.config,
        ))
    }

    /// Identifies what the file of `made` is made from, beyond the salt:
    /// equal keys, equal bytes. Article pages, most of any site, are keyed
    /// without making their view, and so are entity pages (whose sentences
    /// are cut from the articles' HTML), the sitemap and the lists, which on a
    /// large site are thousands; the rest are keyed by their view.
    fn key(&self, made: Job) -> u64 {
        match made {
            Job::Article(id) => self.views.article_key(id),
            Job::Entity(id, page) => self.views.entity_key(id, page),
            Job::Sitemap => self.sitemap_key(),
            Job::Articles(_) | Job::Theme(..) | Job::Tag(..) | Job::Author(..) => {
                self.list_key(made)
            }
            _ => {
                let (template, meta, view) = self.view(made);
                fingerprint(&(template, &meta, &view))
            }
        }
    }

    /// The cards, for the next build.
    fn into_card_cache(mut self) -> CardCache {
        self.views.take_card_cache()
    }

    fn base(&self) -> &str {
        &self.site.config.base_url.path
    }

    /// The bytes of one output file; `path` is where it goes, for naming the
    /// page in a problem.
    fn render(&self, job: Job, path: &str) -> Result<Vec<u8>, PageProblem> {
        let (template, meta, view) = self.view(job);
        self.render_view(template, &meta, &view)
            .map_err(|problem| PageProblem {
                problem,
                page: match routes::describe(self.site, job) {
                    about if about.is_empty() => url_of_output(self.site, path),
                    about => format!("{}, {about}", url_of_output(self.site, path)),
                },
            })
    }

    fn render_view(
        &self,
        template: &str,
        meta: &PageMetaView,
        view: &PageView,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut context = Context::new();
        context.insert_value("site", self.shared.clone());
        context.insert("page", meta);
        view.fill(&mut context);
        self.templates
            .render_page(template, &context, view.embedded_bytes())
    }

    /// The template, page description and view of one output file.
    fn view(&'a self, job: Job) -> (&'static str, PageMetaView<'a>, PageView<'a>) {
        let site = self.site;
        let views = &self.views;
        let structured = &self.structured;
        let config = &site.config;
        let base = self.base();
        let meta = |title: &'a str, description: &'a str, url: &'a str| {
            views.page_meta(title, description, url)
        };
        match job {
            Job::Home => (
                "index.html",
                meta(&config.title, &config.description, base).with_json_ld(&structured.home()),
                PageView::Plain,
            ),
            Job::Article(id) => {
                let article = &site.articles[id];
                let page = meta(article.title(), article.summary(), article.url())
                    .with_json_ld(&article_node(&structured.article(id)));
                (
                    "article.html",
                    page,
                    PageView::Article(Box::new(views.article(id))),
                )
            }
            Job::Page(id) => {
                let page = &site.pages[id];
                let meta = meta(page.title(), page.summary(), &page.url);
                ("page.html", meta, PageView::Page(views.page_content(page)))
            }
            Job::Articles(page) => {
                let url = urls::under(base, "articles/");
                let shown = views.page_items(site.articles.len(), page);
                let view = PageView::Articles {
                    articles: views.cards(shown.clone()),
                    groups: views.by_year(shown),
                    pagination: views.pagination(&url, site.articles.len(), page),
                };
                let meta = views.page_meta(
                    paged_title("All articles", page),
                    &config.description,
                    page_url(&url, page),
                );
                ("articles.html", meta, view)
            }
            Job::Themes => {
                let terms = site
                    .themes
                    .iter()
                    .map(|t| views.term(t, Taxonomy::Themes, 0))
                    .collect();
                let meta = views
                    .page_meta(
                        &config.themes.title,
                        &config.description,
                        urls::under(base, "themes/"),
                    )
                    .with_json_ld(&structured.themes());
                let map = crate::render::theme_map::layout(site);
                ("themes.html", meta, PageView::Themes { terms, map })
            }
            Job::Theme(id, page) => {
                let term = &site.themes[id];
                let description = term.description.as_deref().unwrap_or_default();
                let view = PageView::Term(views.term(term, Taxonomy::Themes, page));
                let meta = views.page_meta(
                    paged_title(&term.name, page),
                    description,
                    page_url(&term.url, page),
                );
                let json_ld = structured.theme(id, &meta.title, meta.permalink.clone());
                ("theme.html", meta.with_json_ld(&json_ld), view)
            }
            Job::ThemeFeed(id) => {
                let term = &site.themes[id];
                let title = format!("{} — {}", term.name, config.title);
                let description = term.description.as_deref().unwrap_or_default();
                let feed = self.feed(title, description, &term.url, &term.articles);
                (
                    "atom.xml",
                    meta(&term.name, "", &term.url),
                    PageView::Feed(feed),
                )
            }
            Job::SiteFeed => {
                let ids: Vec<ArticleId> = (0..site.articles.len()).collect();
                let feed = self.feed(config.title.clone(), &config.description, base, &ids);
                (
                    "atom.xml",
                    meta(&config.title, &config.description, base),
                    PageView::Feed(feed),
                )
            }
            Job::Tags => {
                let terms = site
                    .tags
                    .iter()
                    .map(|t| views.term_summary(t, Taxonomy::Tags))
                    .collect();
                let meta = views
                    .page_meta(
                        &config.tags.title,
                        &config.description,
                        urls::under(base, "tags/"),
                    )
                    .with_json_ld(&structured.tags());
                ("tags.html", meta, PageView::TagList(terms))
            }
            Job::Tag(id, page) => {
                let term = &site.tags[id];
                let view = PageView::Term(views.term(term, Taxonomy::Tags, page));
                let meta =
                    views.page_meta(paged_title(&term.name, page), "", page_url(&term.url, page));
                let json_ld = structured.tag(id, &meta.title, meta.permalink.clone());
                ("tag.html", meta.with_json_ld(&json_ld), view)
            }
            Job::Authors => {
                let authors = site
                    .authors
                    .iter()
                    .map(|a| views.author_summary(a))
                    .collect();
                let meta = views.page_meta(
                    "Authors",
                    &config.description,
                    urls::under(base, "authors/"),
                );
                ("authors.html", meta, PageView::Authors(authors))
            }
            Job::Author(id, page) => {
                let author = &site.authors[id];
                let shown = views.page_items(author.articles.len(), page);
                let view = PageView::Author {
                    author: views.author_summary(author),
                    articles: views.cards(author.articles[shown].iter().copied()),
                    pagination: views.pagination(&author.url, author.articles.len(), page),
                };
                let meta = views.page_meta(
                    paged_title(&author.name, page),
                    "",
                    page_url(&author.url, page),
                );
                let json_ld = structured.author_page(id, &meta.title, meta.permalink.clone());
                ("author.html", meta.with_json_ld(&json_ld), view)
            }
            Job::Section(section) => {
                let meta = views.page_meta(
                    section.title(),
                    section_description(section),
                    urls::under(base, section.folder()),
                );
                (
                    "entities.html",
                    meta,
                    PageView::Section(views.section(section)),
                )
            }
            Job::Entity(id, page) => {
                let entity = &site.entities.list[id];
                let url = page_url(&site.mentions[id].url, page);
                let title = paged_title(&entity.name, page);
                let mut meta = views.page_meta(title, &entity.description, url);
                // The entity's node is on its first page, whose URL is its `@id`.
                if page == 0 {
                    meta = meta.with_json_ld(&structured.entity(id));
                }
                (
                    "entity.html",
                    meta,
                    PageView::Entity(Box::new(views.entity(id, page))),
                )
            }
            Job::Search => {
                let meta = views.page_meta(
                    "Search",
                    "Search the articles, people, organisations and terms of this site.",
                    urls::under(base, "search/"),
                );
                ("search.html", meta, PageView::Plain)
            }
            Job::NotFound => {
                let meta = views.page_meta("Page not found", "", urls::under(base, "404.html"));
                ("404.html", meta, PageView::Plain)
            }
            Job::Sitemap => (
                "sitemap.xml",
                meta("Sitemap", "", base),
                PageView::Sitemap(self.sitemap()),
            ),
            Job::Robots => {
                let sitemap_url = config.base_url.permalink(&urls::under(base, "sitemap.xml"));
                (
                    "robots.txt",
                    meta("robots.txt", "", base),
                    PageView::Robots { sitemap_url },
                )
            }
            // `plan` makes these apart from the pages.
            Job::SyntaxCss
            | Job::SearchIndex
            | Job::SearchText(_)
            | Job::SearchMeta(_)
            | Job::Copy(_) => {
                unreachable!("not a page")
            }
        }
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
        let rfc3339 =
            |date: Option<time::Date>| date.map(|d| DateView::new(d).rfc3339).unwrap_or_default();
        let entries: Vec<FeedEntry> = ids
            .iter()
            .map(|&id| &site.articles[id])
            .filter(|a| a.date().is_some())
            .take(config.feed_entries)
            .map(|a| FeedEntry {
                title: a.title(),
                permalink: config.base_url.permalink(a.url()),
                published: rfc3339(a.date()),
                updated: rfc3339(a.last_changed()),
                summary: a.summary(),
                // A body too long for a feed reader is left to the page: the
                // feed carries the summary instead. Each feed would hold it
                // escaped (three times as long) besides the page itself, and
                // several are rendered at once: a 20 MB article made two 97 MB
                // feeds and took the build over 512 MiB.
                content: Body {
                    html: if a.body_html().len() > FEED_CONTENT_LIMIT {
                        a.summary()
                    } else {
                        a.body_html()
                    },
                    source: a.doc.source_hash,
                },
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

    /// The key of a page of a list of articles (see [`Views::list_key`]).
    fn list_key(&self, job: Job) -> u64 {
        let (site, views) = (self.site, &self.views);
        let page_of = |all: &[ArticleId], page: usize| {
            let shown = views.page_items(all.len(), page);
            views.list_key(job, all[shown].iter().copied())
        };
        match job {
            Job::Articles(page) => views.list_key(job, views.page_items(site.articles.len(), page)),
            Job::Theme(id, page) => page_of(&site.themes[id].articles, page),
            Job::Tag(id, page) => page_of(&site.tags[id].articles, page),
            Job::Author(id, page) => page_of(&site.authors[id].articles, page),
            _ => views.list_key(job, []),
        }
    }

    /// A key for the sitemap that changes whenever it would: it lists every
    /// URL (which the site's relations fix) and every article's last change.
    fn sitemap_key(&self) -> u64 {
        let dates: Vec<Option<time::Date>> = self
            .site
            .articles
            .iter()
            .map(|a| a.last_changed())
            .collect();
        fingerprint(&(self.site.fingerprint, dates))
    }

    fn sitemap(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let base = self.base();
        let permalink = |url: &str| site.config.base_url.permalink(url);
        let mut entries: Vec<SitemapEntry> = Vec::new();
        let sections = site.sections.iter().map(|(section, _)| section.folder());
        for section in ["", "articles/", "themes/", "tags/", "authors/", "search/"]
            .into_iter()
            .chain(sections)
        {
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
            .chain(site.authors.iter().map(|a| &a.url))
            .chain(site.mentions.iter().map(|m| &m.url));
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
