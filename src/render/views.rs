//! Views: takes the [`Site`] and gives the plain, display-ready structures that
//! templates see. Templates never see the model itself, so it can change without
//! breaking themes, and each page serialises only what it shows.
//!
//! What many pages show (an article's card, a theme's link) is turned into a
//! template value once, as a [`Shared`]; pages hold references to it, which the
//! template engine shares instead of copying. Every view can also be hashed,
//! cheaply (a shared value hashes as its fingerprint, a body as its source's
//! hash), so that a rebuild can tell which pages would come out the same.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use tera::{Context, Value};
use time::Date;
use time::macros::format_description;

use crate::cache::{fingerprint, fingerprinter};
use crate::parse::entities::{Entity, EntityId, Section};
use crate::parse::markdown::{Heading, Mention, Rendered};
use crate::render::theme_map::ThemeMapView;
use crate::resolve::paging::{Pagination, page_count, page_items};
use crate::site::{
    Article, ArticleId, Author, LinkRelation, Page, RELATED_ENTITIES, Related, Site, Term,
};

/// A template value made once and shown on many pages, with a fingerprint of
/// what it was made from.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) value: Value,
    pub(crate) fingerprint: u64,
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Tera recognises its own values and shares them instead of copying.
        self.value.serialize(serializer)
    }
}

impl Hash for Shared {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
    }
}

/// Rendered Markdown, which hashes as the hash of the file it came from: the
/// same file under the same config gives the same HTML.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Body<'a> {
    pub html: &'a str,
    pub(crate) source: u64,
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.html)
    }
}

impl Hash for Body<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

/// A date in the forms templates need.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct DateView {
    /// `2017-10-17`, for `<time datetime>`.
    pub(crate) iso: String,
    /// `17 October 2017`, for readers.
    pub(crate) human: String,
    /// `2017-10-17T00:00:00Z`, for feeds.
    pub(crate) rfc3339: String,
}

impl DateView {
    pub fn new(date: Date) -> Self {
        let human = format_description!("[day padding:none] [month repr:long] [year]");
        let iso = date.to_string();
        DateView {
            human: date.format(human).unwrap_or_else(|_| iso.clone()),
            rfc3339: format!("{iso}T00:00:00Z"),
            iso,
        }
    }
}

/// A link to something: its name and where it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct LinkView<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
}

/// A term (leadership theme or tag) as listed on index pages and in navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct TermSummary<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) count: usize,
    pub(crate) feed_url: Option<String>,
}

/// An author as listed on index pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct AuthorSummary<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
    pub(crate) count: usize,
}

/// An article as listed on other pages: made once per article. When the theme
/// has a `card.html` template, its output for the article is added as `html`.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct ArticleCard<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) date: Option<&'a Shared>,
    pub(crate) summary: &'a str,
    pub(crate) authors: Vec<&'a Shared>,
    pub(crate) themes: Vec<&'a Shared>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct TocEntry<'a> {
    pub(crate) id: &'a str,
    pub text: &'a str,
    pub(crate) children: Vec<TocEntry<'a>>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct RelatedView<'a> {
    /// The related article's card.
    pub(crate) article: &'a Shared,
    /// Why it is related, for readers: "shares: workforce and culture, supervision".
    pub(crate) reason: String,
}

/// An article's neighbours in one of its themes (cards, or nothing at the ends).
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct NeighbourView<'a> {
    pub(crate) theme: &'a Shared,
    pub(crate) previous: Option<&'a Shared>,
    pub(crate) next: Option<&'a Shared>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct SourceView<'a> {
    pub(crate) publication: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
}

/// A link to an entity's page, as articles show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct EntityLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
    /// `Person`, `Organisation`, `Legislation and guidance`, `Concept`.
    pub(crate) kind: &'static str,
}

/// Entities of one section (people, organisations, glossary terms), for lists.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct EntityGroup<'a> {
    pub(crate) title: &'static str,
    pub entities: Vec<&'a Shared>,
}

/// An entity as its section's page lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct EntitySummary<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) description: &'a str,
    pub(crate) abbreviations: Vec<&'a str>,
    /// How many articles mention it.
    pub(crate) count: usize,
}

/// Entities of one kind within a section, A to Z.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct EntityKindGroup<'a> {
    pub(crate) title: &'static str,
    pub entities: Vec<EntitySummary<'a>>,
}

/// An abbreviation and what it stands for, for the glossary.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct AbbreviationView<'a> {
    pub(crate) abbreviation: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
}

/// A section's page: `/people/`, `/organisations/` or `/glossary/`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: &'static str,
    /// `people`, `organisations` or `glossary`.
    pub(crate) slug: &'static str,
    pub(crate) groups: Vec<EntityKindGroup<'a>>,
    /// Every abbreviation of the site's entities, A to Z (the glossary shows them).
    pub(crate) abbreviations: Vec<AbbreviationView<'a>>,
}

/// One document's mention of an entity: the sentence, split around the mention.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct MentionView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    /// The article's kind, or nothing for a plain page.
    pub(crate) kind: Option<&'static str>,
    pub(crate) date: Option<&'a Shared>,
    /// Straight to the linked mention in the document.
    pub(crate) link: String,
    pub(crate) before: String,
    pub(crate) mention: String,
    pub(crate) after: String,
    /// How many times the document mentions the entity.
    pub(crate) count: usize,
}

/// Everything an entity's page shows.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct EntityView<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) section: LinkView<'a>,
    pub(crate) description: &'a str,
    pub(crate) aliases: Vec<&'a str>,
    pub(crate) abbreviations: Vec<&'a str>,
    /// This page's share of the mentions: articles first (newest first), then plain pages.
    pub(crate) mentions: Vec<MentionView<'a>>,
    /// Mentions on all pages, and in articles alone.
    pub(crate) mention_count: usize,
    pub(crate) article_count: usize,
    pub(crate) pagination: Pagination,
    /// The author page of the same person, when they write here too.
    pub(crate) author: Option<&'a Shared>,
    /// Entities most often mentioned in the same articles, with how many.
    pub(crate) related: Vec<EntitySummary<'a>>,
}

/// Everything an article page shows.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct ArticleView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) authors: Vec<&'a Shared>,
    pub(crate) date: Option<&'a Shared>,
    pub(crate) updated: Option<DateView>,
    pub(crate) source: Option<SourceView<'a>>,
    pub(crate) themes: Vec<&'a Shared>,
    pub(crate) tags: Vec<&'a Shared>,
    pub(crate) summary: &'a str,
    pub(crate) reading_minutes: usize,
    pub(crate) word_count: usize,
    pub(crate) toc: Vec<TocEntry<'a>>,
    /// Rendered HTML: templates print it with `| safe`.
    pub(crate) body: Body<'a>,
    /// Whether the body has code, whose stylesheet the page then needs.
    pub(crate) has_code: bool,
    pub(crate) backlinks: Vec<&'a Shared>,
    pub(crate) related: Vec<RelatedView<'a>>,
    pub(crate) neighbours: Vec<NeighbourView<'a>>,
    /// The entities the article mentions, by section, each in order of first mention.
    pub entities: Vec<EntityGroup<'a>>,
}

/// A plain page's content.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct PageContentView<'a> {
    pub(crate) title: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) toc: Vec<TocEntry<'a>>,
    pub(crate) body: Body<'a>,
    pub(crate) has_code: bool,
}

/// One term's page.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct TermView<'a> {
    pub(crate) name: &'a str,
    pub(crate) slug: &'a str,
    pub(crate) url: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) feed_url: Option<String>,
    /// This page's share of the term's articles, newest first.
    pub(crate) articles: Vec<&'a Shared>,
    /// How many articles the term has on all its pages.
    pub(crate) count: usize,
    pub(crate) pagination: Pagination,
    pub(crate) related: Vec<TermSummary<'a>>,
}

/// Articles of one year (or the undated ones), for archive listings.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct ArticleGroup<'a> {
    /// `2017`, or `Undated`.
    pub(crate) label: String,
    pub(crate) articles: Vec<&'a Shared>,
}

/// A feed as the `atom.xml` template sees it.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct FeedView<'a> {
    pub(crate) title: String,
    pub(crate) subtitle: &'a str,
    /// Absolute URL of the feed itself; also its id.
    pub(crate) self_url: String,
    /// Absolute URL of the page the feed follows.
    pub(crate) alternate_url: String,
    pub(crate) updated: String,
    pub(crate) entries: Vec<FeedEntry<'a>>,
}

#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct FeedEntry<'a> {
    pub(crate) title: &'a str,
    pub(crate) permalink: String,
    pub(crate) published: String,
    pub(crate) updated: String,
    pub(crate) summary: &'a str,
    pub(crate) content: Body<'a>,
    pub(crate) authors: Vec<&'a str>,
    pub(crate) categories: Vec<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct SitemapEntry {
    pub(crate) loc: String,
    pub(crate) lastmod: Option<String>,
}

/// What every page says about itself, for `<title>`, description and canonical link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct PageMetaView<'a> {
    pub(crate) title: Cow<'a, str>,
    pub(crate) description: &'a str,
    pub(crate) url: Cow<'a, str>,
    pub(crate) permalink: String,
    /// The page's JSON-LD, escaped to stand inside a `<script>` element
    /// (see [`crate::render::structured`]); nothing for pages without one.
    pub(crate) json_ld: Option<String>,
}

impl PageMetaView<'_> {
    /// The same page, with `value` as its JSON-LD.
    pub(crate) fn with_json_ld(self, node: &impl Serialize) -> Self {
        PageMetaView {
            json_ld: Some(crate::render::structured::script(node)),
            ..self
        }
    }
}

/// The parts of the site every page may show: built once per build.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) language: &'a str,
    /// The language as OpenGraph writes it: `en_GB` for `en-GB`.
    pub(crate) locale: String,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub(crate) themes_title: &'a str,
    pub(crate) tags_title: &'a str,
    pub(crate) themes: Vec<TermSummary<'a>>,
    pub(crate) latest: Vec<&'a Shared>,
    pub(crate) pages: Vec<LinkView<'a>>,
    /// The sections of entities that have any: People, Organisations, Glossary.
    pub(crate) sections: Vec<LinkView<'a>>,
    pub(crate) search_url: String,
    pub(crate) article_count: usize,
    pub(crate) feed_url: String,
}

/// What one page shows beyond `site` and `page`: each kind of page puts its
/// data under the names its template uses.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) enum PageView<'a> {
    Plain,
    Article(Box<ArticleView<'a>>),
    Page(PageContentView<'a>),
    Articles {
        articles: Vec<&'a Shared>,
        groups: Vec<ArticleGroup<'a>>,
        pagination: Pagination,
    },
    Themes {
        terms: Vec<TermView<'a>>,
        map: ThemeMapView<'a>,
    },
    Term(TermView<'a>),
    TagList(Vec<TermSummary<'a>>),
    Authors(Vec<AuthorSummary<'a>>),
    Author {
        author: AuthorSummary<'a>,
        articles: Vec<&'a Shared>,
        pagination: Pagination,
    },
    Section(SectionView<'a>),
    Entity(Box<EntityView<'a>>),
    Feed(FeedView<'a>),
    Sitemap(Vec<SitemapEntry>),
    Robots {
        sitemap_url: String,
    },
}

impl PageView<'_> {
    /// How long the rendered Markdown a page shows may make it: an article's
    /// or page's body, or a feed's bodies escaped (which makes `<` four bytes:
    /// three times as long, about).
    pub(crate) fn embedded_bytes(&self) -> usize {
        match self {
            PageView::Article(article) => article.body.html.len(),
            PageView::Page(page) => page.body.html.len(),
            PageView::Feed(feed) => feed
                .entries
                .iter()
                .map(|entry| 3 * entry.content.html.len())
                .sum(),
            _ => 0,
        }
    }

    /// Puts the view into a template context under its names.
    pub(crate) fn fill(&self, context: &mut Context) {
        match self {
            PageView::Plain => {}
            PageView::Article(article) => context.insert("article", article),
            PageView::Page(content) => context.insert("content", content),
            PageView::Articles {
                articles,
                groups,
                pagination,
            } => {
                context.insert("articles", articles);
                context.insert("groups", groups);
                context.insert("pagination", pagination);
            }
            PageView::Themes { terms, map } => {
                context.insert("terms", terms);
                context.insert("map", map);
            }
            PageView::Term(term) => context.insert("term", term),
            PageView::TagList(terms) => context.insert("terms", terms),
            PageView::Authors(authors) => context.insert("authors", authors),
            PageView::Author {
                author,
                articles,
                pagination,
            } => {
                context.insert("author", author);
                context.insert("articles", articles);
                context.insert("pagination", pagination);
            }
            PageView::Section(section) => context.insert("section", section),
            PageView::Entity(entity) => context.insert("entity", entity),
            PageView::Feed(feed) => context.insert("feed", feed),
            PageView::Sitemap(entries) => context.insert("entries", entries),
            PageView::Robots { sitemap_url } => context.insert("sitemap_url", sitemap_url),
        }
    }
}

/// Which kind of term a page lists, for the few things that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Taxonomy {
    Themes,
    Tags,
}

/// Article cards' template values (with their rendered HTML), kept between
/// rebuilds: an article whose card did not change is not serialised or
/// rendered again.
///
/// Kept in site order, each with the key it was made under. A card's key
/// covers the site's relations, which change whenever an article comes, goes
/// or moves in the order; so a card can only be reused at its own place, and
/// is looked for only there.
#[derive(Debug, Default, Clone)]
pub(crate) struct CardCache {
    /// For each article in site order, its card's key, and the card's
    /// fingerprint (of what it says) and value; none for a card whose
    /// template failed.
    cards: Vec<(u64, Option<Shared>)>,
}

/// Builds views from one site, holding the values many pages share.
pub(crate) struct Views<'a> {
    pub(crate) site: &'a Site,
    theme_links: Vec<Shared>,
    tag_links: Vec<Shared>,
    author_links: Vec<Shared>,
    entity_links: Vec<Shared>,
    cards: Vec<Shared>,
    /// For each card, whether it still needs its HTML (it was not in the cache).
    unfinished: Vec<bool>,
    /// For each card, the key it is cached under.
    keys: Vec<u64>,
    /// Each card's fingerprint, side by side: page keys read many of them.
    card_fingerprints: Vec<u64>,
    /// A fingerprint of each entity (its names, kind and description).
    entity_fingerprints: Vec<u64>,
    /// Each article's date as shown, made into a template value when first
    /// asked for: an article that mentions many entities is listed, dated,
    /// on each one's page, and each listing shares the one value.
    dates: Vec<OnceLock<Option<Shared>>>,
}

impl Shared {
    /// The template value of `view`, fingerprinted by what it says.
    fn of<T: Serialize + Hash>(view: &T) -> Self {
        Shared {
            value: Value::from_serializable(view),
            fingerprint: fingerprint(view),
        }
    }
}

fn link(name: &str, url: &str) -> Shared {
    Shared::of(&LinkView { name, url })
}

impl<'a> Views<'a> {
    /// Makes the shared values: a link per theme, tag and author, and a card
    /// per article (in parallel), taking cards from `cache` where they are.
    ///
    /// A card is found by a key made from what it is made from, without making
    /// it: its article's source (title, date, summary…), the site's relations
    /// (its URL, authors, theme names) and `salt` (what else its HTML depends on).
    pub fn new(site: &'a Site, cache: CardCache, salt: u64) -> Self {
        let mut views = Views {
            site,
            theme_links: site.themes.iter().map(|t| link(&t.name, &t.url)).collect(),
            tag_links: site.tags.iter().map(|t| link(&t.name, &t.url)).collect(),
            author_links: site.authors.iter().map(|a| link(&a.name, &a.url)).collect(),
            entity_links: site
                .entities
                .list
                .iter()
                .zip(site.mentions.iter())
                .map(|(entity, mentioned)| {
                    Shared::of(&EntityLink {
                        name: &entity.name,
                        url: &mentioned.url,
                        kind: entity.kind.label(),
                    })
                })
                .collect(),
            cards: Vec::new(),
            unfinished: Vec::new(),
            keys: Vec::new(),
            card_fingerprints: Vec::new(),
            entity_fingerprints: site.entities.list.iter().map(fingerprint).collect(),
            dates: site.articles.iter().map(|_| OnceLock::new()).collect(),
        };
        let mut cache = cache.cards;
        cache.resize_with(site.articles.len(), || (0, None));
        let cards: Vec<(Shared, bool, u64)> = site
            .articles
            .par_iter()
            .enumerate()
            .zip(cache.into_par_iter())
            .map(|((id, article), cached)| {
                let key = fingerprint(&(salt, site.fingerprint, article.doc.source_hash));
                match cached {
                    (last, Some(card)) if last == key => (card, false, key),
                    _ => {
                        // Fingerprinted by what it says, so that a new wording
                        // deep in the article leaves its card "unchanged".
                        let card = views.card(id, article);
                        let shared = Shared {
                            value: Value::from_serializable(&card),
                            fingerprint: fingerprint(&(salt, &card)),
                        };
                        (shared, true, key)
                    }
                }
            })
            .collect();
        for (card, unfinished, key) in cards {
            views.card_fingerprints.push(card.fingerprint);
            views.cards.push(card);
            views.unfinished.push(unfinished);
            views.keys.push(key);
        }
        views
    }

    /// Gives each card that still needs its HTML the HTML `render` makes of
    /// its value, as `html`, already marked safe; in parallel. Gives the
    /// problems `render` met; a card it failed stays without HTML.
    pub(crate) fn finish_cards<E: Send>(
        &mut self,
        render: impl Fn(&Value) -> Result<String, E> + Sync,
    ) -> Vec<(ArticleId, E)> {
        self.cards
            .par_iter_mut()
            .zip(self.unfinished.par_iter_mut())
            .enumerate()
            .filter(|(_, (_, unfinished))| **unfinished)
            .filter_map(|(id, (card, unfinished))| match render(&card.value) {
                Ok(html) => {
                    let mut map = std::mem::replace(&mut card.value, Value::none())
                        .into_map()
                        .unwrap_or_default();
                    map.insert("html".into(), Value::safe_string(&html));
                    card.value = Value::from(map);
                    *unfinished = false;
                    None
                }
                Err(problem) => Some((id, problem)),
            })
            .collect()
    }

    /// The cache for the next rebuild: every card of this one, taken out of
    /// these views, which are done with them.
    pub(crate) fn take_card_cache(&mut self) -> CardCache {
        let cards = std::mem::take(&mut self.cards);
        CardCache {
            cards: self
                .keys
                .iter()
                .zip(&self.unfinished)
                .zip(cards)
                .map(|((&key, &unfinished), card)| (key, (!unfinished).then_some(card)))
                .collect(),
        }
    }

    /// Article `id`'s date as shown, if it has one.
    fn date(&self, id: ArticleId) -> Option<&Shared> {
        self.dates[id]
            .get_or_init(|| {
                self.site.articles[id]
                    .date()
                    .map(|date| Shared::of(&DateView::new(date)))
            })
            .as_ref()
    }

    fn card(&self, id: ArticleId, article: &'a Article) -> ArticleCard<'_> {
        ArticleCard {
            title: article.title(),
            url: article.url(),
            kind: article.kind().label(),
            date: self.date(id),
            summary: article.summary(),
            authors: article
                .place
                .authors
                .iter()
                .map(|&a| &self.author_links[a])
                .collect(),
            themes: article
                .themes()
                .iter()
                .map(|&t| &self.theme_links[t])
                .collect(),
        }
    }

    /// The articles of page `page` (from 0) of a list of `articles`.
    pub(crate) fn page_items(&self, articles: usize, page: usize) -> std::ops::Range<usize> {
        page_items(articles, self.site.config.articles_per_page, page)
    }

    /// Where page `page` (from 0) of a list of `articles` whose first page
    /// is at `url` stands.
    pub(crate) fn pagination(&self, url: &str, articles: usize, page: usize) -> Pagination {
        let pages = page_count(articles, self.site.config.articles_per_page);
        Pagination::new(url, page, pages)
    }

    /// The articles `ids` (a stretch of the site's order) grouped by year,
    /// newest first, undated ones last.
    pub(crate) fn by_year(&self, ids: std::ops::Range<ArticleId>) -> Vec<ArticleGroup<'_>> {
        let mut groups: Vec<ArticleGroup> = Vec::new();
        let mut current: Option<Option<i32>> = None;
        let articles = self.site.articles.get(ids.clone()).unwrap_or_default();
        let cards = self.cards.get(ids).unwrap_or_default();
        for (article, card) in articles.iter().zip(cards) {
            let year = article.date().map(|d| d.year());
            match groups.last_mut() {
                Some(group) if current == Some(year) => group.articles.push(card),
                _ => {
                    current = Some(year);
                    groups.push(ArticleGroup {
                        label: year.map_or_else(|| "Undated".to_string(), |y| y.to_string()),
                        articles: vec![card],
                    });
                }
            }
        }
        groups
    }

    /// The shared card of each article in `ids`.
    pub(crate) fn cards(&self, ids: impl IntoIterator<Item = ArticleId>) -> Vec<&Shared> {
        ids.into_iter().map(|id| &self.cards[id]).collect()
    }

    pub(crate) fn site(&self) -> SiteView<'_> {
        let site = self.site;
        let config = &site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            locale: config.language.replace('-', "_"),
            base_url: &config.base_url.absolute,
            base_path: &config.base_url.path,
            themes_title: &config.themes.title,
            tags_title: &config.tags.title,
            themes: site
                .themes
                .iter()
                .map(|t| self.term_summary(t, Taxonomy::Themes))
                .collect(),
            latest: self.cards(0..site.articles.len().min(config.latest_articles)),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView {
                    name: p.title(),
                    url: &p.url,
                })
                .collect(),
            article_count: site.articles.len(),
            feed_url: format!("{}atom.xml", config.base_url.path),
            sections: site
                .sections
                .iter()
                .map(|(section, url)| LinkView {
                    name: section.title(),
                    url,
                })
                .collect(),
            search_url: format!("{}search/", config.base_url.path),
        }
    }

    fn section_url(&self, section: Section) -> &'a str {
        let site = self.site;
        site.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or("", |(_, url)| url.as_str())
    }

    pub(crate) fn entity_summary(&self, id: EntityId) -> EntitySummary<'a> {
        let site = self.site;
        let entity = &site.entities.list[id];
        let mentioned = &site.mentions[id];
        EntitySummary {
            name: &entity.name,
            slug: &entity.slug,
            url: &mentioned.url,
            kind: entity.kind.label(),
            description: &entity.description,
            abbreviations: entity
                .abbreviations
                .iter()
                .map(|a| a.text.as_str())
                .collect(),
            count: mentioned.articles.len(),
        }
    }

    /// A section's page: its entities by kind, A to Z, and for the glossary
    /// every abbreviation of the site.
    pub(crate) fn section(&self, section: Section) -> SectionView<'a> {
        let site = self.site;
        let list = &site.entities.list;
        let mut kinds: Vec<_> = list
            .iter()
            .filter(|e| e.kind.section() == section)
            .map(|e| e.kind)
            .collect();
        kinds.sort();
        kinds.dedup();
        let groups = kinds
            .into_iter()
            .map(|kind| {
                let mut ids: Vec<EntityId> =
                    (0..list.len()).filter(|&i| list[i].kind == kind).collect();
                ids.sort_by_cached_key(|&i| sort_key(&list[i]));
                EntityKindGroup {
                    title: kind_plural(kind),
                    entities: ids.into_iter().map(|i| self.entity_summary(i)).collect(),
                }
            })
            .collect();
        let mut abbreviations: Vec<AbbreviationView> = Vec::new();
        if section == Section::Glossary {
            for (entity, mentioned) in list.iter().zip(site.mentions.iter()) {
                for abbreviation in &entity.abbreviations {
                    abbreviations.push(AbbreviationView {
                        abbreviation: &abbreviation.text,
                        name: &entity.name,
                        url: &mentioned.url,
                    });
                }
            }
            abbreviations.sort_by(|a, b| {
                a.abbreviation
                    .to_lowercase()
                    .cmp(&b.abbreviation.to_lowercase())
                    .then(a.abbreviation.cmp(b.abbreviation))
            });
        }
        SectionView {
            title: section.title(),
            slug: section.folder().trim_end_matches('/'),
            groups,
            abbreviations,
        }
    }

    /// Page `page` (from 0) of an entity's pages.
    pub(crate) fn entity(&self, id: EntityId, page: usize) -> EntityView<'_> {
        let site = self.site;
        let entity: &'a Entity = &site.entities.list[id];
        let mentioned = &site.mentions[id];
        let summary = self.entity_summary(id);
        let section = entity.kind.section();
        let total = mentioned.documents();
        let per_page = site.config.mentions_per_page;
        let (articles, pages) = mentioned.stretch(page_items(total, per_page, page));
        let mut mentions = Vec::with_capacity(articles.len() + pages.len());
        for &(article_id, index) in articles {
            let article = &site.articles[article_id];
            mentions.push(mention_view(
                article.title(),
                article.url(),
                Some(article.kind().label()),
                self.date(article_id),
                article.body(),
                &article.mentions()[index],
            ));
        }
        for &(page_id, index) in pages {
            let page = &site.pages[page_id];
            mentions.push(mention_view(
                page.title(),
                &page.url,
                None,
                None,
                page.body(),
                &page.mentions()[index],
            ));
        }
        EntityView {
            name: summary.name,
            slug: summary.slug,
            url: summary.url,
            kind: summary.kind,
            section: LinkView {
                name: section.title(),
                url: self.section_url(section),
            },
            description: summary.description,
            aliases: entity.aliases.iter().map(|a| a.text.as_str()).collect(),
            abbreviations: summary.abbreviations,
            mentions,
            mention_count: total,
            article_count: mentioned.articles.len(),
            pagination: Pagination::new(&mentioned.url, page, page_count(total, per_page)),
            author: mentioned.author.map(|a| &self.author_links[a]),
            related: mentioned
                .related
                .iter()
                .take(RELATED_ENTITIES)
                .map(|&(other, shared)| EntitySummary {
                    count: shared,
                    ..self.entity_summary(other)
                })
                .collect(),
        }
    }

    /// A key for page `page` of an entity's pages that changes whenever its
    /// view would, made without cutting any sentence: the page shows the
    /// entity and those it is mentioned with (their words), where the site
    /// mentions it (the site's relations) and, for each mention on the page,
    /// its document (whose source gives its title, date and sentence).
    pub(crate) fn entity_key(&self, id: EntityId, page: usize) -> u64 {
        let site = self.site;
        let mentioned = &site.mentions[id];
        let shown = page_items(mentioned.documents(), site.config.mentions_per_page, page);
        let (articles, pages) = mentioned.stretch(shown);
        let mut key = fingerprinter();
        (site.fingerprint, page, self.entity_fingerprints[id]).hash(&mut key);
        for &(other, _) in mentioned.related.iter().take(RELATED_ENTITIES) {
            key.write_u64(self.entity_fingerprints[other]);
        }
        let sources = articles
            .iter()
            .map(|&(a, _)| site.articles[a].doc.source_hash)
            .chain(pages.iter().map(|&(p, _)| site.pages[p].doc.source_hash));
        for source in sources {
            key.write_u64(source);
        }
        key.finish()
    }

    /// The entities an article mentions, grouped by section.
    fn article_entities(&self, mentions: &[Mention]) -> Vec<EntityGroup<'_>> {
        let list = &self.site.entities.list;
        Section::ALL
            .into_iter()
            .filter_map(|section| {
                let entities: Vec<&Shared> = mentions
                    .iter()
                    .filter(|m| list[m.entity].kind.section() == section)
                    .map(|m| &self.entity_links[m.entity])
                    .collect();
                (!entities.is_empty()).then(|| EntityGroup {
                    title: section.title(),
                    entities,
                })
            })
            .collect()
    }

    pub(crate) fn page_meta<'p>(
        &self,
        title: impl Into<Cow<'p, str>>,
        description: &'p str,
        url: impl Into<Cow<'p, str>>,
    ) -> PageMetaView<'p> {
        let url = url.into();
        PageMetaView {
            title: title.into(),
            description,
            permalink: self.site.config.base_url.permalink(&url),
            url,
            json_ld: None,
        }
    }

    pub(crate) fn term_summary(&self, term: &'a Term, taxonomy: Taxonomy) -> TermSummary<'a> {
        TermSummary {
            name: &term.name,
            slug: &term.slug,
            url: &term.url,
            description: term.description.as_deref(),
            count: term.articles.len(),
            feed_url: (taxonomy == Taxonomy::Themes).then(|| format!("{}atom.xml", term.url)),
        }
    }

    pub(crate) fn author_summary(&self, author: &'a Author) -> AuthorSummary<'a> {
        AuthorSummary {
            name: &author.name,
            url: &author.url,
            count: author.articles.len(),
        }
    }

    pub fn article(&self, id: ArticleId) -> ArticleView<'_> {
        let article = &self.site.articles[id];
        let place = &article.place;
        ArticleView {
            title: article.title(),
            url: article.url(),
            kind: article.kind().label(),
            authors: place
                .authors
                .iter()
                .map(|&a| &self.author_links[a])
                .collect(),
            date: self.date(id),
            updated: article.updated().map(DateView::new),
            source: article.source().map(|s| SourceView {
                publication: s.publication.as_deref(),
                url: s.url.as_deref(),
            }),
            themes: article
                .themes()
                .iter()
                .map(|&t| &self.theme_links[t])
                .collect(),
            tags: place.tags.iter().map(|&t| &self.tag_links[t]).collect(),
            summary: article.summary(),
            reading_minutes: article.reading_minutes(),
            word_count: article.word_count(),
            toc: toc(article.headings()),
            body: Body {
                html: article.body_html(),
                source: article.doc.source_hash,
            },
            has_code: article.has_code(),
            backlinks: self.cards(place.backlinks.iter().copied()),
            related: place
                .related
                .iter()
                .map(|r| RelatedView {
                    article: &self.cards[r.article],
                    reason: self.reason(r),
                })
                .collect(),
            neighbours: place
                .neighbours
                .iter()
                .map(|n| NeighbourView {
                    theme: &self.theme_links[n.theme],
                    previous: n.previous.map(|id| &self.cards[id]),
                    next: n.next.map(|id| &self.cards[id]),
                })
                .collect(),
            entities: self.article_entities(article.mentions()),
        }
    }

    /// A key for an article's page that changes whenever its view would, made
    /// without making the view: the page shows its own article (its source and
    /// its place in the site's relations) and the cards of the articles it
    /// points to (backlinks, related, neighbours).
    pub(crate) fn article_key(&self, id: ArticleId) -> u64 {
        let article = &self.site.articles[id];
        let place = &article.place;
        // Which articles the page points at (and in which part) is in the
        // site's relations; what their cards say is added here, one by one:
        // this runs for every article page on every rebuild.
        let mut key = fingerprinter();
        (self.site.fingerprint, article.doc.source_hash).hash(&mut key);
        let pointed = place
            .backlinks
            .iter()
            .chain(place.related.iter().map(|r| &r.article))
            .chain(
                place
                    .neighbours
                    .iter()
                    .flat_map(|n| n.previous.iter().chain(&n.next)),
            );
        for &other in pointed {
            key.write_u64(self.card_fingerprints[other]);
        }
        key.finish()
    }

    /// A key for a page of a list that shows the articles `shown`, made
    /// without making its view: everything else such a page shows (its
    /// title, counts, page links, related terms) follows from the site's
    /// relations, and `list` names which list and page it is.
    pub(crate) fn list_key(
        &self,
        list: impl Hash,
        shown: impl IntoIterator<Item = ArticleId>,
    ) -> u64 {
        let mut key = fingerprinter();
        (self.site.fingerprint, list).hash(&mut key);
        for id in shown {
            key.write_u64(self.card_fingerprints[id]);
        }
        key.finish()
    }

    fn reason(&self, related: &Related) -> String {
        let site = self.site;
        let shared: Vec<&str> = related
            .shared_themes
            .iter()
            .map(|&t| site.themes[t].name.as_str())
            .chain(
                related
                    .shared_tags
                    .iter()
                    .map(|&t| site.tags[t].name.as_str()),
            )
            .chain(
                related
                    .shared_entities
                    .iter()
                    .map(|&e| site.entities.list[e].name.as_str()),
            )
            .collect();
        let link = match related.link {
            LinkRelation::None => None,
            LinkRelation::LinksTo => Some("linked from this article"),
            LinkRelation::LinkedFrom => Some("links here"),
            LinkRelation::Both => Some("linked both ways"),
        };
        let mut parts = Vec::new();
        if !shared.is_empty() {
            parts.push(format!("shares: {}", shared.join(", ")));
        }
        parts.extend(link.map(str::to_string));
        parts.join("; ")
    }

    pub(crate) fn page_content(&self, page: &'a Page) -> PageContentView<'a> {
        PageContentView {
            title: page.title(),
            summary: page.summary(),
            toc: toc(page.headings()),
            body: Body {
                html: page.body_html(),
                source: page.doc.source_hash,
            },
            has_code: page.has_code(),
        }
    }

    /// Page `page` (from 0) of a theme's or tag's articles.
    pub(crate) fn term(&self, term: &'a Term, taxonomy: Taxonomy, page: usize) -> TermView<'_> {
        let all = match taxonomy {
            Taxonomy::Themes => &self.site.themes,
            Taxonomy::Tags => &self.site.tags,
        };
        let summary = self.term_summary(term, taxonomy);
        TermView {
            name: summary.name,
            slug: summary.slug,
            url: summary.url,
            description: summary.description,
            feed_url: summary.feed_url,
            articles: self.cards(
                term.articles[self.page_items(term.articles.len(), page)]
                    .iter()
                    .copied(),
            ),
            count: term.articles.len(),
            pagination: self.pagination(summary.url, term.articles.len(), page),
            related: term
                .related_terms
                .iter()
                .map(|&(id, shared)| TermSummary {
                    count: shared,
                    ..self.term_summary(&all[id], taxonomy)
                })
                .collect(),
        }
    }
}

fn kind_plural(kind: crate::parse::entities::EntityKind) -> &'static str {
    use crate::parse::entities::EntityKind;
    match kind {
        EntityKind::Person => "People",
        EntityKind::Organisation => "Organisations",
        EntityKind::Legislation => "Legislation and guidance",
        EntityKind::Concept => "Concepts",
    }
}

/// A to Z, ignoring case and a leading "The".
fn sort_key(entity: &Entity) -> (String, String) {
    let name = entity.name.trim_start_matches("The ").to_lowercase();
    (name, entity.name.clone())
}

/// A mention, with its sentence cut from the document's text.
fn mention_view<'a>(
    title: &'a str,
    url: &'a str,
    kind: Option<&'static str>,
    date: Option<&'a Shared>,
    body: &Rendered,
    mention: &Mention,
) -> MentionView<'a> {
    let text = body.mention_text(mention);
    MentionView {
        title,
        url,
        kind,
        date,
        link: if text.anchor.is_empty() {
            url.to_string()
        } else {
            [url, "#", text.anchor].concat()
        },
        before: text.before,
        mention: text.mention,
        after: text.after,
        count: mention.count,
    }
}

/// Nests level-3 headings under the level-2 heading before them; the title is
/// the page's only level-1 heading and deeper levels are too fine for a contents list.
fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    let mut entries: Vec<TocEntry> = Vec::new();
    for heading in headings {
        let entry = TocEntry {
            id: &heading.id,
            text: &heading.text,
            children: Vec::new(),
        };
        match heading.level {
            2 => entries.push(entry),
            3 => match entries.last_mut() {
                Some(parent) => parent.children.push(entry),
                None => entries.push(entry),
            },
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.to_string(),
            text: id.to_uppercase(),
        }
    }

    #[test]
    fn dates_read_well() {
        let date = Date::from_calendar_date(2017, time::Month::October, 7).expect("valid");
        let view = DateView::new(date);
        assert_eq!(view.iso, "2017-10-07");
        assert_eq!(view.human, "7 October 2017");
        assert_eq!(view.rfc3339, "2017-10-07T00:00:00Z");
    }

    #[test]
    fn contents_nest_subsections_under_sections() {
        let headings = [
            heading(3, "orphan"),
            heading(2, "a"),
            heading(3, "a1"),
            heading(4, "deep"),
            heading(2, "b"),
        ];
        let entries = toc(&headings);
        let shape: Vec<(&str, Vec<&str>)> = entries
            .iter()
            .map(|e| (e.id, e.children.iter().map(|c| c.id).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![("orphan", vec![]), ("a", vec!["a1"]), ("b", vec![])]
        );
    }

    #[test]
    fn shared_values_are_passed_through_not_copied() {
        let card = link("n", "/u/");
        let view = NeighbourView {
            theme: &card,
            previous: None,
            next: Some(&card),
        };
        let value = Value::from_serializable(&view);
        let map = value.as_map().expect("a map");
        assert_eq!(map.get(&"next".into()), Some(&card.value));
    }

    #[test]
    fn views_hash_by_fingerprint_and_source() {
        let one = Body {
            html: "<p>a</p>",
            source: 7,
        };
        let same_source = Body {
            html: "<p>different text</p>",
            source: 7,
        };
        assert_eq!(fingerprint(&one), fingerprint(&same_source));
        let a = link("n", "/u/");
        let b = link("n", "/other/");
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
