//! Resolve: takes the [`Parsed`] documents and the config and gives the frozen
//! [`Site`]: URLs, taxonomies, checked internal links and anchors, backlinks,
//! related articles and neighbours within each theme.
//!
//! What resolve works out *between* documents is [`Relations`]: a pure
//! function of the documents' skeletons (what resolve reads of each, see
//! `parse`), the content assets' paths and the config. [`Memo`] keeps the last
//! one, so a rebuild after an edit that moves nothing (new wording in one
//! article, say) reuses it instead of working it all out again.

pub mod links;
pub mod paging;
pub mod related;
pub mod routes;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, Memo, fingerprint};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Asset;
use crate::parse::entities::{self, Entities, EntityKind, Section};
use crate::parse::markdown::{Heading, Link, LinkTarget};
use crate::parse::{BrokenDocument, Parsed, ParsedArticle, ParsedDocument, ParsedPage};
use crate::resolve::related::{Features, Members};
use crate::site::{
    Article, ArticleId, Author, EntityMentions, Neighbours, Page, Placement, RELATED_ENTITIES,
    Route, Site, Term,
};
use crate::urls;

/// A hash map for the large maps keyed by paths: no untrusted party picks
/// the keys, so a fast hash rather than the default's defence against floods.
type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// Whether articles marked `draft: true` are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Drafts {
    #[default]
    Leave,
    Include,
}

/// Everything resolve works out between documents. Articles and pages are
/// named by their index in the input (which is in path order).
#[derive(Debug, Clone)]
pub(crate) struct Relations {
    /// Input indexes of the articles that are built, in site order.
    article_order: Vec<usize>,
    /// The placement of each built article, in site order.
    placements: Vec<Arc<Placement>>,
    /// Input indexes of the pages that are built, with their URLs, in path order.
    pages: Vec<(usize, String)>,
    themes: Arc<Vec<Term>>,
    tags: Arc<Vec<Term>>,
    authors: Arc<Vec<Author>>,
    /// For each entity, where it is mentioned.
    mentions: Arc<Vec<EntityMentions>>,
    problems: Vec<Diagnostic>,
}

/// What resolve keeps between builds: the relations, and the routes planned
/// from them, with the key of what they were worked out from.
#[derive(Default)]
pub(crate) struct Memory {
    relations: Memo<Arc<Relations>>,
    routes: Memo<(Arc<Vec<Route>>, Vec<Diagnostic>)>,
}

/// Resolves the documents into the site, asking the cache for the last
/// relations when nothing they depend on changed.
pub(crate) fn resolve(
    parsed: Parsed,
    assets: Vec<Arc<Asset>>,
    config: Config,
    drafts: Drafts,
    cache: &mut Cache,
) -> (Site, Vec<Diagnostic>) {
    let entities = parsed.entities.clone();
    let unmatched = unmatched_words(&parsed);
    let documents = sort_out(parsed, drafts);
    let memory = cache.memory::<Memory>();
    let key = fingerprint(&relation_inputs(
        &documents, &entities, &assets, &config, drafts,
    ));
    let relations = memory.relations.get_or(key, || {
        Arc::new(relate(&documents, &entities, &assets, &config))
    });
    let mut site = Site {
        articles: relations
            .article_order
            .iter()
            .zip(&relations.placements)
            .map(|(&input, place)| Article {
                doc: documents.articles[input].clone(),
                place: place.clone(),
            })
            .collect(),
        pages: relations
            .pages
            .iter()
            .map(|(input, url)| Page {
                doc: documents.pages[*input].clone(),
                url: url.clone(),
            })
            .collect(),
        themes: relations.themes.clone(),
        tags: relations.tags.clone(),
        authors: relations.authors.clone(),
        sections: Section::ALL
            .into_iter()
            .filter(|&s| entities.list.iter().any(|e| e.kind.section() == s))
            .map(|s| (s, urls::under(&config.base_url.path, s.folder())))
            .collect(),
        entities,
        mentions: relations.mentions.clone(),
        assets,
        config,
        fingerprint: key,
        routes: Arc::default(),
        anchors: crate::site::Wanted::default(),
    };
    let mut problems = relations.problems.clone();
    problems.extend(unmatched);
    // Every path is known once the site is: the links authors wrote to them.
    // Planned again only when the relations changed: every output path
    // follows from them.
    let (routes, route_problems) = memory.routes.get_or(key, || {
        let (routes, problems) = routes::plan(&site);
        (Arc::new(routes), problems)
    });
    problems.extend(route_problems);
    let (link_problems, anchors) = links::check(&site, &routes);
    problems.extend(link_problems);
    site.routes = routes;
    site.anchors = anchors;
    (site, problems)
}

/// Warnings for entity words that matched nothing in any document, drafts
/// included. Left out while a document is broken: its text was not searched,
/// and the warnings would only echo its error.
fn unmatched_words(parsed: &Parsed) -> Vec<Diagnostic> {
    let entities = &parsed.entities;
    if entities.is_empty() {
        return Vec::new();
    }
    let none = || vec![false; entities.patterns.len()];
    // Every document is read, on every rebuild: on both cores.
    let matched = parsed
        .documents
        .par_iter()
        .try_fold(none, |mut matched, document| {
            let body = match document {
                ParsedDocument::Article(a) => &a.body,
                ParsedDocument::Page(p) => &p.body,
                ParsedDocument::Broken(_) => return None,
            };
            for &pattern in &body.matched_patterns {
                if let Some(hit) = matched.get_mut(pattern) {
                    *hit = true;
                }
            }
            Some(matched)
        })
        .try_reduce(none, |mut all, some| {
            for (hit, other) in all.iter_mut().zip(some) {
                *hit |= other;
            }
            Some(all)
        });
    match matched {
        Some(matched) => entities::unmatched(entities, &matched),
        None => Vec::new(),
    }
}

/// The parsed documents, sorted out by what they are, each list in path
/// order; drafts set aside unless they are built.
struct Documents {
    articles: Vec<Arc<ParsedArticle>>,
    pages: Vec<Arc<ParsedPage>>,
    broken: Vec<Arc<BrokenDocument>>,
    /// Content paths of drafts that are not built.
    left_out: Vec<String>,
}

fn sort_out(parsed: Parsed, drafts: Drafts) -> Documents {
    let mut documents = Documents {
        articles: Vec::new(),
        pages: Vec::new(),
        broken: Vec::new(),
        left_out: Vec::new(),
    };
    let leave_drafts = drafts == Drafts::Leave;
    let mut by_path = parsed.documents;
    by_path.sort_by(|a, b| a.path().cmp(b.path()));
    for document in by_path {
        match document {
            ParsedDocument::Article(a) if a.meta.draft && leave_drafts => {
                documents.left_out.push(a.content_path.clone())
            }
            ParsedDocument::Page(p) if p.meta.draft && leave_drafts => {
                documents.left_out.push(p.content_path.clone())
            }
            ParsedDocument::Article(a) => documents.articles.push(a),
            ParsedDocument::Page(p) => documents.pages.push(p),
            ParsedDocument::Broken(b) => documents.broken.push(b),
        }
    }
    documents
}

/// Everything [`relate`] depends on: the skeletons of the documents (what
/// resolve reads of each), the drafts left out, the entities' names, the
/// copied files' paths, the config and whether drafts are built.
#[allow(clippy::type_complexity)]
fn relation_inputs<'a>(
    documents: &'a Documents,
    entities: &Entities,
    assets: &'a [Arc<Asset>],
    config: &'a Config,
    drafts: Drafts,
) -> (
    Vec<u64>,
    &'a [String],
    u64,
    Vec<&'a str>,
    &'a Config,
    Drafts,
) {
    let skeletons: Vec<u64> = documents
        .articles
        .iter()
        .map(|a| a.skeleton)
        .chain(documents.pages.iter().map(|p| p.skeleton))
        .chain(documents.broken.iter().map(|b| b.skeleton))
        .collect();
    let asset_paths: Vec<&str> = assets.iter().map(|a| a.path.as_str()).collect();
    (
        skeletons,
        &documents.left_out,
        entities.mentions_fingerprint,
        asset_paths,
        config,
        drafts,
    )
}

/// What a link can point at.
enum Target<'a> {
    Article(ArticleId, Anchors<'a>),
    Page(Anchors<'a>),
    Broken,
    Draft,
}

/// The most terms of one article that count towards which terms go
/// together: the pairs grow as the square of an article's terms, and one
/// naming hundreds of entities says little about which go together.
const CO_OCCURRING_TERMS: usize = 128;

/// More headings than this, and a document's heading ids are hashed.
const SEARCHED_ANCHORS: usize = 32;

/// The headings of a document, as the anchors of links to it are checked
/// against their ids: a few are searched in place, as most documents have;
/// many are hashed too, or a page of thousands of headings and thousands
/// of links to them would cost the product.
struct Anchors<'a> {
    headings: &'a [Heading],
    hashed: Option<HashSet<&'a str, ahash::RandomState>>,
}

impl<'a> Anchors<'a> {
    fn new(headings: &'a [Heading]) -> Self {
        let hashed = (headings.len() > SEARCHED_ANCHORS)
            .then(|| headings.iter().map(|h| h.id.as_str()).collect());
        Anchors { headings, hashed }
    }

    fn contains(&self, id: &str) -> bool {
        match &self.hashed {
            Some(ids) => ids.contains(id),
            None => self.headings.iter().any(|h| h.id == id),
        }
    }
}

/// Works out everything between documents.
fn relate(
    documents: &Documents,
    entities: &Entities,
    assets: &[Arc<Asset>],
    config: &Config,
) -> Relations {
    let mut problems = Vec::new();
    let base = &config.base_url.path;
    let order = site_order(&documents.articles);
    let articles: Vec<&ParsedArticle> = order
        .iter()
        .map(|&i| documents.articles[i].as_ref())
        .collect();
    // The steps below that do not need each other's results run side by
    // side: on a large site each is a few milliseconds of one core.
    let ((tags, tag_problems), mut authors) = rayon::join(
        || tag_terms(&articles, base),
        || author_index(&articles, base),
    );
    problems.extend(tag_problems);
    let mut themes = theme_terms(config, base);
    let entity_urls: Vec<String> = entities
        .list
        .iter()
        .map(|e| urls::under(base, &e.site_path))
        .collect();
    let pages = place_pages(documents, base);
    let links_to = check_all_links(documents, &articles, &pages, assets, &mut problems);

    let mut tag_terms = tags.terms;
    let placed: Vec<(Placement, Vec<Diagnostic>)> = articles
        .par_iter()
        .zip(links_to)
        .zip(tags.by_article)
        .map(|((article, links_to), tags)| {
            let mut found = Vec::new();
            let place = Placement {
                url: urls::under(base, &article.site_path),
                slug: article
                    .site_path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                authors: author_ids(article, &authors, &mut found),
                tags,
                links_to,
                backlinks: Vec::new(),
                related: Vec::new(),
                neighbours: Vec::new(),
            };
            (place, found)
        })
        .collect();
    let mut placements = Vec::with_capacity(placed.len());
    for (place, found) in placed {
        placements.push(place);
        problems.extend(found);
    }
    // The entities each article mentions: for where entities are mentioned
    // and for related articles.
    let mentioned: Vec<Vec<usize>> = articles
        .par_iter()
        .map(|a| a.body.mentions.iter().map(|m| m.entity).collect())
        .collect();
    let entity_authors = entity_authors(entities, &authors);
    let ((), mentions) = rayon::join(
        || {
            fill_memberships(
                &articles,
                &mut placements,
                &mut themes,
                &mut tag_terms,
                &mut authors,
            );
        },
        || {
            entity_mentions(
                documents,
                &articles,
                &pages,
                &mentioned,
                entity_urls,
                entity_authors,
            )
        },
    );
    fill_related(
        &articles,
        &mut placements,
        &themes,
        &tag_terms,
        &mentions,
        &mentioned,
    );
    // While a document is broken, a theme may look empty only because of it.
    let all_parsed = documents.broken.is_empty();
    for (term, declared) in themes.iter().zip(&config.themes.terms) {
        if term.articles.is_empty() && all_parsed {
            problems.push(Diagnostic::warning(
                Code::TaxonomyEmptyTheme,
                crate::config::FILE_NAME,
                declared.position,
                format!(
                    "theme {:?} has no articles: file some under it, or remove it",
                    term.slug
                ),
            ));
        }
    }
    // Into a new vector: collected in place, the shared placements would sit
    // in the placements' own buffer, 24 times their size, to the end of the
    // build (1.8 MB at 10,000 articles).
    let mut shared = Vec::with_capacity(placements.len());
    shared.extend(placements.into_iter().map(Arc::new));
    Relations {
        article_order: order,
        placements: shared,
        pages,
        themes: Arc::new(themes),
        tags: Arc::new(tag_terms),
        authors: Arc::new(authors),
        mentions: Arc::new(mentions),
        problems,
    }
}

/// Where each entity is mentioned: the articles (in site order) and pages,
/// the entities mentioned alongside it, and the author it is, if any.
///
/// `mentioned` is, for each article, the entities it mentions; `authors`,
/// for each entity, the author it is.
fn entity_mentions(
    documents: &Documents,
    articles: &[&ParsedArticle],
    pages: &[(usize, String)],
    mentioned: &[Vec<usize>],
    urls: Vec<String>,
    authors: Vec<Option<usize>>,
) -> Vec<EntityMentions> {
    let mut mentions: Vec<EntityMentions> = urls
        .into_iter()
        .zip(authors)
        .map(|(url, author)| EntityMentions {
            url,
            author,
            ..EntityMentions::default()
        })
        .collect();
    for (id, article) in articles.iter().enumerate() {
        for (index, mention) in article.body.mentions.iter().enumerate() {
            mentions[mention.entity].articles.push((id, index));
        }
    }
    for (id, (input, _)) in pages.iter().enumerate() {
        for (index, mention) in documents.pages[*input].body.mentions.iter().enumerate() {
            mentions[mention.entity].pages.push((id, index));
        }
    }
    let sets: Vec<&[usize]> = mentioned.iter().map(Vec::as_slice).collect();
    let related = co_occurrence(mentions.len(), &sets, RELATED_ENTITIES);
    for (entity, related) in mentions.iter_mut().zip(related) {
        entity.related = related;
    }
    mentions
}

/// For each entity, the author it is: a person with an author's slug.
fn entity_authors(entities: &Entities, authors: &[Author]) -> Vec<Option<usize>> {
    entities
        .list
        .iter()
        .map(|entity| {
            (entity.kind == EntityKind::Person)
                .then(|| {
                    authors
                        .binary_search_by(|a| a.slug.as_str().cmp(&entity.slug))
                        .ok()
                })
                .flatten()
        })
        .collect()
}

/// The input indexes of the articles to build, newest first (then by title and
/// path). Two whose files make one URL are both here: the routes say which
/// keeps it.
fn site_order(articles: &[Arc<ParsedArticle>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    // The key is made once per article, not once per comparison.
    order.par_sort_by_cached_key(|&i| {
        let a = &articles[i];
        (
            std::cmp::Reverse(a.meta.date),
            a.meta.title.to_lowercase(),
            i,
        )
    });
    order
}

/// The pages to build, with their URLs, in path order.
fn place_pages(documents: &Documents, base: &str) -> Vec<(usize, String)> {
    documents
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| (index, urls::under(base, &page.site_path)))
        .collect()
}

fn theme_terms(config: &Config, base: &str) -> Vec<Term> {
    config
        .themes
        .terms
        .iter()
        .map(|t| Term {
            slug: t.slug.clone(),
            name: t.title.clone(),
            description: Some(t.description.clone()),
            url: urls::under(base, &format!("themes/{}/", t.slug)),
            articles: Vec::new(),
            related_terms: Vec::new(),
        })
        .collect()
}

/// Checks every link of every document; gives, for each built article (in
/// site order), the other articles it links to (sorted, without repeats).
fn check_all_links(
    documents: &Documents,
    articles: &[&ParsedArticle],
    pages: &[(usize, String)],
    assets: &[Arc<Asset>],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Vec<ArticleId>> {
    // Looked up once per link of every document: a fast hash.
    let mut targets: FastMap<&str, Target> = FastMap::with_capacity_and_hasher(
        documents.articles.len() + pages.len(),
        ahash::RandomState::default(),
    );
    // A file left out for a clashing URL is broken as far as links go.
    for a in &documents.articles {
        targets.insert(&a.content_path, Target::Broken);
    }
    for (id, a) in articles.iter().enumerate() {
        targets.insert(
            &a.content_path,
            Target::Article(id, Anchors::new(&a.body.headings)),
        );
    }
    for p in &documents.pages {
        targets.insert(&p.content_path, Target::Broken);
    }
    for (index, _) in pages {
        let p = &documents.pages[*index];
        targets.insert(
            &p.content_path,
            Target::Page(Anchors::new(&p.body.headings)),
        );
    }
    for b in &documents.broken {
        targets.insert(&b.content_path, Target::Broken);
    }
    for path in &documents.left_out {
        targets.insert(path, Target::Draft);
    }
    let assets: HashSet<&str> = assets
        .iter()
        .filter_map(|a| a.path.strip_prefix("content/"))
        .collect();
    let known = Known {
        targets: &targets,
        assets: &assets,
    };
    // Articles are checked in parallel; each gives its links and its problems.
    let checked: Vec<(Vec<ArticleId>, Vec<Diagnostic>)> = articles
        .par_iter()
        .map(|a| {
            let mut found = Vec::new();
            let mut to = known.check(&a.path, &a.content_path, &a.body.links, &mut found);
            to.sort_unstable();
            to.dedup();
            (to, found)
        })
        .collect();
    let mut links_to = Vec::with_capacity(checked.len());
    for (to, found) in checked {
        links_to.push(to);
        problems.extend(found);
    }
    for (index, _) in pages {
        let p = &documents.pages[*index];
        known.check(&p.path, &p.content_path, &p.body.links, problems);
    }
    for b in &documents.broken {
        known.check(&b.path, &b.content_path, &b.links, problems);
    }
    links_to
}

/// Checks each link of one file; gives the articles it links to.
struct Known<'a> {
    targets: &'a FastMap<&'a str, Target<'a>>,
    assets: &'a HashSet<&'a str>,
}

impl Known<'_> {
    fn check(
        &self,
        path: &str,
        from: &str,
        links: &[Link],
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<ArticleId> {
        let mut articles = Vec::new();
        for link in links {
            match &link.target {
                // Checked against every output path, which render plans.
                LinkTarget::Root(_) => {}
                LinkTarget::Asset(target) => {
                    if !self.assets.contains(target.as_str()) {
                        problems.push(Diagnostic::error(
                            Code::LinkMissingFile,
                            path,
                            link.position,
                            format!("broken link: there is no file content/{target}"),
                        ));
                    }
                }
                LinkTarget::Document(target) => {
                    // Only made when a problem is reported: most links are fine.
                    let shown = || match &link.anchor {
                        Some(anchor) => format!("{target}#{anchor}"),
                        None => target.clone(),
                    };
                    let anchors = match self.targets.get(target.as_str()) {
                        None => {
                            problems.push(Diagnostic::error(
                                Code::LinkMissingFile,
                                path,
                                link.position,
                                format!(
                                    "broken link to {}: there is no file content/{target}",
                                    shown()
                                ),
                            ));
                            continue;
                        }
                        Some(Target::Broken) => continue,
                        Some(Target::Draft) => {
                            problems.push(Diagnostic::error(
                                Code::LinkDraft,
                                path,
                                link.position,
                                format!(
                                    "link to {}, which is a draft and is not built (use --drafts to build it)",
                                    shown()
                                ),
                            ));
                            continue;
                        }
                        Some(Target::Article(id, anchors)) => {
                            if target != from {
                                articles.push(*id);
                            }
                            anchors
                        }
                        Some(Target::Page(anchors)) => anchors,
                    };
                    if let Some(anchor) = &link.anchor
                        && !anchor.is_empty()
                        && !anchors.contains(anchor)
                    {
                        problems.push(Diagnostic::error(
                            Code::LinkMissingAnchor,
                            path,
                            link.position,
                            format!(
                                "broken link to {}: {}",
                                shown(),
                                missing_anchor(anchor, anchors.headings)
                            ),
                        ));
                    }
                }
            }
        }
        articles
    }
}

fn missing_anchor(anchor: &str, headings: &[Heading]) -> String {
    if headings.is_empty() {
        return format!("no heading has the id {anchor:?} (the page has no headings)");
    }
    let ids: Vec<&str> = headings.iter().take(12).map(|h| h.id.as_str()).collect();
    let more = if headings.len() > ids.len() {
        ", …"
    } else {
        ""
    };
    format!(
        "no heading has the id {anchor:?} (ids there: {}{more})",
        ids.join(", ")
    )
}

struct Tags {
    terms: Vec<Term>,
    /// For each article (in site order), its tag ids in the order written.
    by_article: Vec<Vec<usize>>,
}

/// Groups tags by slug, so "Social workers" and "social workers" are one tag.
/// The spelling used most is shown; the others are pointed out, since an editor
/// most likely meant one tag.
fn tag_terms(articles: &[&ParsedArticle], base: &str) -> (Tags, Vec<Diagnostic>) {
    let mut spellings: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for a in articles {
        for tag in &a.meta.tags {
            *spellings
                .entry(tag.slug.as_str())
                .or_default()
                .entry(tag.text.as_str())
                .or_default() += 1;
        }
    }
    let mut terms = Vec::with_capacity(spellings.len());
    let mut names: HashMap<&str, (usize, String)> = HashMap::with_capacity(spellings.len());
    for (id, (slug, spelled)) in spellings.iter().enumerate() {
        let name = spelled
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(name, _)| name.to_string())
            .unwrap_or_default();
        names.insert(slug, (id, name.clone()));
        terms.push(Term {
            url: urls::under(base, &format!("tags/{slug}/")),
            slug: slug.to_string(),
            name,
            description: None,
            articles: Vec::new(),
            related_terms: Vec::new(),
        });
    }
    let checked: Vec<(Vec<usize>, Vec<Diagnostic>)> = articles
        .par_iter()
        .map(|a| {
            let mut problems = Vec::new();
            let mut ids = Vec::with_capacity(a.meta.tags.len());
            for tag in &a.meta.tags {
                let Some((id, name)) = names.get(tag.slug.as_str()) else {
                    continue;
                };
                if *name != tag.text {
                    problems.push(Diagnostic::warning(
                        Code::TaxonomyTagSpelling,
                        &a.path,
                        tag.position,
                        format!(
                            "tag {:?} is written {name:?} elsewhere; use one spelling",
                            tag.text
                        ),
                    ));
                }
                if ids.contains(id) {
                    problems.push(Diagnostic::warning(
                        Code::TaxonomyDuplicateTag,
                        &a.path,
                        tag.position,
                        format!("tag {:?} is listed twice", tag.text),
                    ));
                } else {
                    ids.push(*id);
                }
            }
            (ids, problems)
        })
        .collect();
    let mut by_article = Vec::with_capacity(articles.len());
    let mut problems = Vec::new();
    for (ids, found) in checked {
        by_article.push(ids);
        problems.extend(found);
    }
    (Tags { terms, by_article }, problems)
}

fn author_index(articles: &[&ParsedArticle], base: &str) -> Vec<Author> {
    let mut by_slug: BTreeMap<&str, &str> = BTreeMap::new();
    for a in articles {
        for name in &a.meta.authors {
            by_slug.entry(&name.slug).or_insert(&name.text);
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, name)| Author {
            url: urls::under(base, &format!("authors/{slug}/")),
            slug: slug.to_string(),
            name: name.to_string(),
            articles: Vec::new(),
        })
        .collect()
}

/// The article's authors as indexes into `authors`; a name written twice is
/// counted once and pointed out.
fn author_ids(
    article: &ParsedArticle,
    authors: &[Author],
    problems: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut ids: Vec<usize> = Vec::with_capacity(article.meta.authors.len());
    for name in &article.meta.authors {
        let Ok(id) = authors.binary_search_by(|x| x.slug.as_str().cmp(&name.slug)) else {
            continue;
        };
        if ids.contains(&id) {
            problems.push(Diagnostic::warning(
                Code::TaxonomyDuplicateAuthor,
                &article.path,
                name.position,
                format!("author {:?} is listed twice", name.text),
            ));
        } else {
            ids.push(id);
        }
    }
    ids
}

/// Fills every list that depends on who belongs where: term and author
/// memberships, backlinks, neighbours and related terms.
fn fill_memberships(
    articles: &[&ParsedArticle],
    placements: &mut [Placement],
    themes: &mut [Term],
    tags: &mut [Term],
    authors: &mut [Author],
) {
    for (id, (article, place)) in articles.iter().zip(placements.iter()).enumerate() {
        for &t in &article.meta.themes {
            themes[t].articles.push(id);
        }
        for &t in &place.tags {
            tags[t].articles.push(id);
        }
        for &a in &place.authors {
            authors[a].articles.push(id);
        }
    }
    let mut backlinks: Vec<Vec<ArticleId>> = vec![Vec::new(); placements.len()];
    for (id, place) in placements.iter().enumerate() {
        for &to in &place.links_to {
            backlinks[to].push(id);
        }
    }
    for ((id, (article, place)), backlinks) in articles
        .iter()
        .zip(placements.iter_mut())
        .enumerate()
        .zip(backlinks)
    {
        place.backlinks = backlinks;
        place.neighbours = article
            .meta
            .themes
            .iter()
            .map(|&theme| {
                let members = &themes[theme].articles;
                let at = members.binary_search(&id).unwrap_or_default();
                Neighbours {
                    theme,
                    previous: at.checked_sub(1).map(|i| members[i]),
                    next: members.get(at + 1).copied(),
                }
            })
            .collect();
    }
    let theme_sets: Vec<&[usize]> = articles.iter().map(|a| a.meta.themes.as_slice()).collect();
    let tag_sets: Vec<&[usize]> = placements.iter().map(|p| p.tags.as_slice()).collect();
    let theme_related = co_occurrence(themes.len(), &theme_sets, usize::MAX);
    let tag_related = co_occurrence(tags.len(), &tag_sets, usize::MAX);
    for (term, related) in themes.iter_mut().zip(theme_related) {
        term.related_terms = related;
    }
    for (term, related) in tags.iter_mut().zip(tag_related) {
        term.related_terms = related;
    }
}

fn fill_related(
    articles: &[&ParsedArticle],
    placements: &mut [Placement],
    themes: &[Term],
    tags: &[Term],
    mentions: &[EntityMentions],
    mentioned: &[Vec<usize>],
) {
    let features: Vec<Features> = articles
        .iter()
        .zip(placements.iter())
        .zip(mentioned)
        .map(|((article, place), entities)| Features {
            themes: &article.meta.themes,
            tags: &place.tags,
            links_to: &place.links_to,
            linked_from: &place.backlinks,
            entities,
        })
        .collect();
    let theme_members: Vec<&[ArticleId]> = themes.iter().map(|t| t.articles.as_slice()).collect();
    let tag_members: Vec<&[ArticleId]> = tags.iter().map(|t| t.articles.as_slice()).collect();
    let entity_members: Vec<Vec<ArticleId>> = mentions
        .iter()
        .map(|m| m.articles.iter().map(|&(id, _)| id).collect())
        .collect();
    let entity_members: Vec<&[ArticleId]> = entity_members.iter().map(Vec::as_slice).collect();
    let members = Members {
        themes: &theme_members,
        tags: &tag_members,
        entities: &entity_members,
    };
    let related = related::related(&features, members);
    for (place, related) in placements.iter_mut().zip(related) {
        place.related = related;
    }
}

/// For each term, the other terms that appear on the same articles, with how
/// many articles they share, most first.
///
/// Terms are counted one at a time, in parallel, each over only the sets it is
/// in, into a dense table reused per thread (as related articles are scored):
/// entities share sets of a dozen or more, so a large site makes millions of
/// pairs, too many for a map per term on one thread.
///
/// Only the `keep` most shared are kept for each term: an entity's page shows
/// a few, and all of them are as many as the square of the terms one article
/// has. Only the first [`CO_OCCURRING_TERMS`] of each article's set count.
fn co_occurrence(terms: usize, sets: &[&[usize]], keep: usize) -> Vec<Vec<(usize, usize)>> {
    let sets: Vec<&[usize]> = sets
        .iter()
        .map(|set| &set[..set.len().min(CO_OCCURRING_TERMS)])
        .collect();
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); terms];
    for (i, set) in sets.iter().enumerate() {
        for &term in *set {
            member_of[term].push(i);
        }
    }
    member_of
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0_usize; terms], Vec::new()),
            |(counts, touched), (term, in_sets)| {
                for &i in in_sets {
                    for &other in sets[i] {
                        if other != term {
                            if counts[other] == 0 {
                                touched.push(other);
                            }
                            counts[other] += 1;
                        }
                    }
                }
                let mut list: Vec<(usize, usize)> = touched
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut counts[other])))
                    .collect();
                let most_first =
                    |x: &(usize, usize), y: &(usize, usize)| y.1.cmp(&x.1).then(x.0.cmp(&y.0));
                if list.len() > keep {
                    list.select_nth_unstable_by(keep, most_first);
                    list.truncate(keep);
                }
                list.sort_by(most_first);
                list
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_occurrence_counts_shared_articles() {
        let sets: Vec<&[usize]> = vec![&[0, 1], &[0, 1, 2], &[2]];
        let related = co_occurrence(3, &sets, usize::MAX);
        assert_eq!(related[0], vec![(1, 2), (2, 1)]);
        assert_eq!(related[1], vec![(0, 2), (2, 1)]);
        assert_eq!(related[2], vec![(0, 1), (1, 1)]);
        // A term listed twice in a set counts as often as it is listed, and a
        // term on no set relates to nothing.
        let sets: Vec<&[usize]> = vec![&[0, 1, 1], &[]];
        assert_eq!(
            co_occurrence(3, &sets, usize::MAX),
            vec![vec![(1, 2)], vec![(0, 2)], vec![]]
        );
    }

    #[test]
    fn co_occurrence_keeps_the_most_shared() {
        let sets: Vec<&[usize]> = vec![&[0, 1, 2, 3], &[0, 3], &[0, 2, 3]];
        let all = co_occurrence(4, &sets, usize::MAX);
        assert_eq!(all[0], vec![(3, 3), (2, 2), (1, 1)]);
        assert_eq!(co_occurrence(4, &sets, 2)[0], all[0][..2]);
        // An article's terms past the limit relate to nothing through it.
        let many: Vec<usize> = (0..CO_OCCURRING_TERMS + 1).collect();
        let related = co_occurrence(many.len(), &[&many], usize::MAX);
        assert_eq!(related[0].len(), CO_OCCURRING_TERMS - 1);
        assert!(related[CO_OCCURRING_TERMS].is_empty());
    }
}
