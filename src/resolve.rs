//! Resolve: takes the [`Parsed`] documents and the config and gives the frozen
//! [`Site`]: URLs, taxonomies, checked internal links and anchors, backlinks,
//! related articles and neighbours within each theme.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position};
use crate::load::Asset;
use crate::markdown::{Heading, Link, LinkTarget};
use crate::parse::{BrokenDocument, Parsed, ParsedArticle, ParsedDocument, ParsedPage};
use crate::related::{self, Features};
use crate::site::{Article, ArticleId, Author, Neighbours, Page, Site, Term};
use crate::urls;

/// Whether articles marked `draft: true` are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Drafts {
    #[default]
    Leave,
    Include,
}

/// Site paths that Tiller itself generates; no content file may take them.
const GENERATED_SECTIONS: &[&str] = &["", "articles/", "themes/", "tags/", "authors/", "search/"];

/// What a link can point at.
enum Target<'a> {
    Article(ArticleId, &'a [Heading]),
    Page(&'a [Heading]),
    Broken,
    Draft,
}

pub fn resolve(
    parsed: Parsed,
    assets: Vec<Asset>,
    config: Config,
    drafts: Drafts,
) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let base = config.base_url.path.clone();
    let mut documents = sort_out(parsed, drafts);
    drop_clashing_articles(&mut documents, &mut problems);
    let tags = tag_terms(&documents.articles, &base, &mut problems);
    let authors = author_index(&documents.articles, &base);
    let themes = theme_terms(&config, &base);
    let taxonomies = [themes.as_slice(), tags.terms.as_slice()];
    drop_clashing_pages(&mut documents, &base, taxonomies, &authors, &mut problems);
    let links_to = check_all_links(&documents, &assets, &mut problems);

    let Documents {
        articles, pages, ..
    } = documents;
    let mut site = Site {
        articles: Vec::with_capacity(articles.len()),
        pages: pages.into_iter().map(|p| page(p, &base)).collect(),
        themes,
        tags: tags.terms,
        authors,
        assets,
        config,
    };
    for (id, (a, links)) in articles.into_iter().zip(links_to).enumerate() {
        let author_ids = author_ids(&a, &site.authors, &mut problems);
        let tag_ids = tags.by_article[id].clone();
        site.articles
            .push(article(a, &base, tag_ids, author_ids, links));
    }
    fill_memberships(&mut site);
    fill_related(&mut site);
    (site, problems)
}

/// The parsed documents, sorted out by what they are; drafts set aside.
struct Documents {
    /// Newest first: dated articles by date, then undated ones by title.
    articles: Vec<ParsedArticle>,
    pages: Vec<ParsedPage>,
    broken: Vec<BrokenDocument>,
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
    for document in parsed.documents {
        match document {
            ParsedDocument::Article(a) if a.meta.draft && leave_drafts => {
                documents.left_out.push(a.content_path)
            }
            ParsedDocument::Page(p) if p.meta.draft && leave_drafts => {
                documents.left_out.push(p.content_path)
            }
            ParsedDocument::Article(a) => documents.articles.push(a),
            ParsedDocument::Page(p) => documents.pages.push(p),
            ParsedDocument::Broken(b) => documents.broken.push(b),
        }
    }
    documents.articles.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| {
                a.meta
                    .title
                    .to_lowercase()
                    .cmp(&b.meta.title.to_lowercase())
            })
            .then_with(|| a.path.cmp(&b.path))
    });
    documents
}

/// A document that would be served at a URL already taken is reported and set
/// aside as broken, so that nothing is silently overwritten.
fn set_aside(documents: &mut Documents, path: String, content_path: String) {
    documents.broken.push(BrokenDocument {
        path,
        content_path,
        links: Vec::new(),
    });
}

fn clash(path: &str, url: &str, owner: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        Position::START,
        format!("this file would be served at {url}, which is already {owner}"),
    )
}

/// Two article files whose names make the same slug (`a b.md`, `a-b.md`).
fn drop_clashing_articles(documents: &mut Documents, problems: &mut Vec<Diagnostic>) {
    // Borrowed keys, and articles left where they are unless one clashes:
    // moving ten thousand parsed articles into a new list costs more than all
    // the comparing.
    let mut by_path: Vec<&ParsedArticle> = documents.articles.iter().collect();
    by_path.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut owners: HashMap<&str, &str> = HashMap::with_capacity(by_path.len());
    let mut clashing: HashSet<String> = HashSet::new();
    for article in by_path {
        match owners.get(article.site_path.as_str()) {
            Some(owner) => {
                let url = format!("/{}", article.site_path);
                problems.push(clash(&article.path, &url, owner));
                clashing.insert(article.path.clone());
            }
            None => {
                owners.insert(&article.site_path, &article.path);
            }
        }
    }
    if clashing.is_empty() {
        return;
    }
    let mut set_aside_now = Vec::new();
    documents.articles.retain(|a| {
        let keep = !clashing.contains(&a.path);
        if !keep {
            set_aside_now.push((a.path.clone(), a.content_path.clone()));
        }
        keep
    });
    for (path, content_path) in set_aside_now {
        set_aside(documents, path, content_path);
    }
}

/// A plain page whose URL is one Tiller generates or another file has.
fn drop_clashing_pages(
    documents: &mut Documents,
    base: &str,
    taxonomies: [&[Term]; 2],
    authors: &[Author],
    problems: &mut Vec<Diagnostic>,
) {
    let mut taken: HashMap<String, String> = HashMap::new();
    for section in GENERATED_SECTIONS {
        taken.insert(
            urls::under(base, section),
            "a page Tiller generates".to_string(),
        );
    }
    for term in taxonomies.into_iter().flatten() {
        taken.insert(term.url.clone(), "a taxonomy page".to_string());
    }
    for author in authors {
        taken.insert(author.url.clone(), "an author page".to_string());
    }
    for article in &documents.articles {
        taken.insert(urls::under(base, &article.site_path), article.path.clone());
    }
    let mut pages = std::mem::take(&mut documents.pages);
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for page in pages {
        let url = urls::under(base, &page.site_path);
        match taken.get(&url) {
            Some(owner) => {
                problems.push(clash(&page.path, &url, owner));
                set_aside(documents, page.path, page.content_path);
            }
            None => {
                taken.insert(url, page.path.clone());
                documents.pages.push(page);
            }
        }
    }
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

/// Checks every link of every document; gives, for each article, the other
/// articles it links to (sorted, without repeats).
fn check_all_links(
    documents: &Documents,
    assets: &[Asset],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Vec<ArticleId>> {
    let mut targets: HashMap<&str, Target> = HashMap::new();
    for (id, a) in documents.articles.iter().enumerate() {
        targets.insert(&a.content_path, Target::Article(id, &a.body.headings));
    }
    for p in &documents.pages {
        targets.insert(&p.content_path, Target::Page(&p.body.headings));
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
    let links_to = documents
        .articles
        .iter()
        .map(|a| {
            let mut to = known.check(&a.path, &a.content_path, &a.body.links, problems);
            to.sort_unstable();
            to.dedup();
            to
        })
        .collect();
    for p in &documents.pages {
        known.check(&p.path, &p.content_path, &p.body.links, problems);
    }
    for b in &documents.broken {
        known.check(&b.path, &b.content_path, &b.links, problems);
    }
    links_to
}

fn fill_related(site: &mut Site) {
    let features: Vec<Features> = site
        .articles
        .iter()
        .map(|a| Features {
            themes: &a.themes,
            tags: &a.tags,
            links_to: &a.links_to,
            linked_from: &a.backlinks,
        })
        .collect();
    let theme_members: Vec<Vec<ArticleId>> =
        site.themes.iter().map(|t| t.articles.clone()).collect();
    let tag_members: Vec<Vec<ArticleId>> = site.tags.iter().map(|t| t.articles.clone()).collect();
    let related = related::related(&features, &theme_members, &tag_members);
    for (article, related) in site.articles.iter_mut().zip(related) {
        article.related = related;
    }
}

fn article(
    a: ParsedArticle,
    base: &str,
    tags: Vec<usize>,
    authors: Vec<usize>,
    links_to: Vec<ArticleId>,
) -> Article {
    let slug = a
        .site_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    Article {
        url: urls::under(base, &a.site_path),
        slug,
        summary: a.summary,
        title: a.meta.title,
        kind: a.meta.kind,
        date: a.meta.date,
        updated: a.meta.updated,
        authors,
        source: a.meta.source,
        themes: a.meta.themes,
        tags,
        body_html: a.body.html,
        headings: a.body.headings,
        has_code: a.body.has_code,
        word_count: a.body.word_count,
        links_to,
        backlinks: Vec::new(),
        related: Vec::new(),
        neighbours: Vec::new(),
        path: a.path,
    }
}

fn page(p: ParsedPage, base: &str) -> Page {
    Page {
        url: urls::under(base, &p.site_path),
        summary: p.summary,
        title: p.meta.title,
        body_html: p.body.html,
        headings: p.body.headings,
        has_code: p.body.has_code,
        path: p.path,
    }
}

/// Checks each link of one file; gives the articles it links to.
struct Known<'a> {
    targets: &'a HashMap<&'a str, Target<'a>>,
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
                LinkTarget::Asset(target) => {
                    if !self.assets.contains(target.as_str()) {
                        problems.push(Diagnostic::error(
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
                    let headings = match self.targets.get(target.as_str()) {
                        None => {
                            problems.push(Diagnostic::error(
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
                            path,
                            link.position,
                            format!(
                                "link to {}, which is a draft and is not built (use --drafts to build it)",
                                shown()
                            ),
                        ));
                            continue;
                        }
                        Some(Target::Article(id, headings)) => {
                            if target != from {
                                articles.push(*id);
                            }
                            headings
                        }
                        Some(Target::Page(headings)) => headings,
                    };
                    if let Some(anchor) = &link.anchor
                        && !anchor.is_empty()
                        && !headings.iter().any(|h| &h.id == anchor)
                    {
                        problems.push(Diagnostic::error(
                            path,
                            link.position,
                            format!(
                                "broken link to {}: {}",
                                shown(),
                                missing_anchor(anchor, headings)
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
fn tag_terms(articles: &[ParsedArticle], base: &str, problems: &mut Vec<Diagnostic>) -> Tags {
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
    let mut by_article = Vec::with_capacity(articles.len());
    for a in articles {
        let mut ids = Vec::with_capacity(a.meta.tags.len());
        for tag in &a.meta.tags {
            let Some((id, name)) = names.get(tag.slug.as_str()) else {
                continue;
            };
            if *name != tag.text {
                problems.push(Diagnostic::warning(
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
                    &a.path,
                    tag.position,
                    format!("tag {:?} is listed twice", tag.text),
                ));
            } else {
                ids.push(*id);
            }
        }
        by_article.push(ids);
    }
    Tags { terms, by_article }
}

fn author_index(articles: &[ParsedArticle], base: &str) -> Vec<Author> {
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    for a in articles {
        for name in &a.meta.authors {
            by_slug
                .entry(name.slug.clone())
                .or_insert_with(|| name.text.clone());
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, name)| Author {
            url: urls::under(base, &format!("authors/{slug}/")),
            slug,
            name,
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
        let Ok(id) = authors.binary_search_by(|x| x.slug.cmp(&name.slug)) else {
            continue;
        };
        if ids.contains(&id) {
            problems.push(Diagnostic::warning(
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
fn fill_memberships(site: &mut Site) {
    for (id, article) in site.articles.iter().enumerate() {
        for &t in &article.themes {
            site.themes[t].articles.push(id);
        }
        for &t in &article.tags {
            site.tags[t].articles.push(id);
        }
        for &a in &article.authors {
            site.authors[a].articles.push(id);
        }
    }
    let mut backlinks: Vec<Vec<ArticleId>> = vec![Vec::new(); site.articles.len()];
    for (id, article) in site.articles.iter().enumerate() {
        for &to in &article.links_to {
            backlinks[to].push(id);
        }
    }
    for (article, backlinks) in site.articles.iter_mut().zip(backlinks) {
        article.backlinks = backlinks;
    }
    for id in 0..site.articles.len() {
        let neighbours = site.articles[id]
            .themes
            .iter()
            .map(|&theme| {
                let members = &site.themes[theme].articles;
                let at = members.binary_search(&id).unwrap_or_default();
                Neighbours {
                    theme,
                    previous: at.checked_sub(1).map(|i| members[i]),
                    next: members.get(at + 1).copied(),
                }
            })
            .collect();
        site.articles[id].neighbours = neighbours;
    }
    let theme_sets: Vec<&[usize]> = site.articles.iter().map(|a| a.themes.as_slice()).collect();
    let tag_sets: Vec<&[usize]> = site.articles.iter().map(|a| a.tags.as_slice()).collect();
    let theme_related = co_occurrence(site.themes.len(), &theme_sets);
    let tag_related = co_occurrence(site.tags.len(), &tag_sets);
    for (term, related) in site.themes.iter_mut().zip(theme_related) {
        term.related_terms = related;
    }
    for (term, related) in site.tags.iter_mut().zip(tag_related) {
        term.related_terms = related;
    }
}

/// For each term, the other terms that appear on the same articles, with how
/// many articles they share, most first.
fn co_occurrence(terms: usize, sets: &[&[usize]]) -> Vec<Vec<(usize, usize)>> {
    let mut counts: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); terms];
    for set in sets {
        for &a in *set {
            for &b in *set {
                if a != b {
                    *counts[a].entry(b).or_default() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|c| {
            let mut list: Vec<(usize, usize)> = c.into_iter().collect();
            list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            list
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_occurrence_counts_shared_articles() {
        let sets: Vec<&[usize]> = vec![&[0, 1], &[0, 1, 2], &[2]];
        let related = co_occurrence(3, &sets);
        assert_eq!(related[0], vec![(1, 2), (2, 1)]);
        assert_eq!(related[2], vec![(0, 1), (1, 1)]);
    }
}
