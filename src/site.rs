//! Site: the resolved model that resolve gives and render takes. Plain data,
//! immutable once built; everything refers to everything else by index.
//!
//! An article is two shared halves: what its file says ([`ParsedArticle`],
//! shared with parse) and where it stands in the site ([`Placement`], shared
//! with resolve's memo). A rebuild after an edit to one file makes one new
//! parsed half and, unless the edit moved something, no new placements.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use time::Date;

use crate::config::Config;
use crate::diagnostics::Position;
use crate::load::Asset;
use crate::parse::entities::{Entities, EntityId, Section};
use crate::parse::front_matter::{Kind, Source};
use crate::parse::markdown::{Heading, Mention, Rendered};
use crate::parse::{ParsedArticle, ParsedPage};

/// How many co-mentioned entities an entity's page lists, and resolve keeps.
pub(crate) const RELATED_ENTITIES: usize = 8;

/// Index into [`Site::articles`].
pub(crate) type ArticleId = usize;
/// Index into [`Site::themes`] (the leadership themes, in declared order).
pub(crate) type ThemeId = usize;
/// Index into [`Site::tags`].
pub(crate) type TagId = usize;
/// Index into [`Site::authors`].
pub(crate) type AuthorId = usize;
/// Index into [`Site::pages`].
pub(crate) type PageId = usize;

#[derive(Debug, Clone)]
pub struct Site {
    pub(crate) config: Config,
    /// Newest first: dated articles by date, then undated ones by title.
    pub(crate) articles: Vec<Article>,
    pub(crate) pages: Vec<Page>,
    pub(crate) themes: Arc<Vec<Term>>,
    /// By slug.
    pub(crate) tags: Arc<Vec<Term>>,
    /// By slug.
    pub(crate) authors: Arc<Vec<Author>>,
    /// The people, organisations, laws and concepts the text mentions.
    pub entities: Arc<Entities>,
    /// For each entity, where the site mentions it.
    pub(crate) mentions: Arc<Vec<EntityMentions>>,
    /// The sections of entities that have any (people, organisations,
    /// glossary), in that order, with their URLs.
    pub(crate) sections: Vec<(Section, String)>,
    /// Files copied as they are: content assets, then static files.
    pub(crate) assets: Vec<Arc<Asset>>,
    /// Identifies everything between documents: equal for two sites whose
    /// orders, URLs, taxonomies and links are all the same.
    pub(crate) fingerprint: u64,
    /// Every file of the built site, with what makes it.
    pub(crate) routes: Arc<Vec<Route>>,
    /// The anchors root-relative links ask of pages, checked once they are rendered.
    pub(crate) anchors: Wanted,
}

#[derive(Debug, Clone)]
pub(crate) struct Article {
    pub(crate) doc: Arc<ParsedArticle>,
    pub(crate) place: Arc<Placement>,
}

/// Where an article stands in the site: everything resolve works out for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    /// Root-relative URL, under the base path.
    pub(crate) url: String,
    pub(crate) slug: String,
    pub(crate) authors: Vec<AuthorId>,
    pub(crate) tags: Vec<TagId>,
    /// Other articles this one links to, in site order.
    pub(crate) links_to: Vec<ArticleId>,
    /// Articles that link to this one, in site order.
    pub(crate) backlinks: Vec<ArticleId>,
    pub(crate) related: Vec<Related>,
    /// For each of the article's themes, its neighbours in that theme's list.
    pub(crate) neighbours: Vec<Neighbours>,
}

impl Article {
    pub(crate) fn path(&self) -> &str {
        &self.doc.path
    }

    pub(crate) fn url(&self) -> &str {
        &self.place.url
    }

    pub(crate) fn title(&self) -> &str {
        &self.doc.meta.title
    }

    pub(crate) fn kind(&self) -> Kind {
        self.doc.meta.kind
    }

    pub(crate) fn date(&self) -> Option<Date> {
        self.doc.meta.date
    }

    pub(crate) fn updated(&self) -> Option<Date> {
        self.doc.meta.updated
    }

    pub(crate) fn source(&self) -> Option<&Source> {
        self.doc.meta.source.as_ref()
    }

    pub(crate) fn themes(&self) -> &[ThemeId] {
        &self.doc.meta.themes
    }

    pub(crate) fn summary(&self) -> &str {
        &self.doc.summary
    }

    pub(crate) fn body_html(&self) -> &str {
        &self.doc.body.html
    }

    pub(crate) fn body(&self) -> &Rendered {
        &self.doc.body
    }

    pub(crate) fn headings(&self) -> &[Heading] {
        &self.doc.body.headings
    }

    pub(crate) fn has_code(&self) -> bool {
        self.doc.body.has_code
    }

    /// The first mention of each entity, in the order the text makes them.
    pub(crate) fn mentions(&self) -> &[Mention] {
        &self.doc.body.mentions
    }

    pub(crate) fn word_count(&self) -> usize {
        self.doc.body.word_count
    }

    /// Minutes to read at 200 words a minute, never less than one.
    pub(crate) fn reading_minutes(&self) -> usize {
        self.word_count().div_ceil(200).max(1)
    }

    /// The date a reader would call "last changed".
    pub(crate) fn last_changed(&self) -> Option<Date> {
        self.updated().or(self.date())
    }
}

/// Another article worth reading next, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Related {
    pub(crate) article: ArticleId,
    pub(crate) score: u32,
    pub(crate) shared_themes: Vec<ThemeId>,
    pub(crate) shared_tags: Vec<TagId>,
    pub(crate) shared_entities: Vec<EntityId>,
    pub(crate) link: LinkRelation,
}

/// How two articles are joined by links written in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LinkRelation {
    None,
    /// This article links to the related one.
    LinksTo,
    /// The related article links to this one.
    LinkedFrom,
    Both,
}

/// An article's neighbours in one theme's list, which runs newest first with
/// undated articles last: `previous` comes before it there, `next` after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Neighbours {
    pub(crate) theme: ThemeId,
    pub(crate) previous: Option<ArticleId>,
    pub(crate) next: Option<ArticleId>,
}

/// A term of a taxonomy: a leadership theme or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) slug: String,
    pub(crate) name: String,
    /// Themes have descriptions in `site.toml`; tags do not.
    pub(crate) description: Option<String>,
    pub(crate) url: String,
    /// Newest first.
    pub(crate) articles: Vec<ArticleId>,
    /// Other terms of the same taxonomy that share articles with this one, with
    /// how many, most shared first.
    pub(crate) related_terms: Vec<(usize, usize)>,
}

/// An article that mentions an entity, with the index of the mention among
/// the article's mentions.
pub(crate) type ArticleMention = (ArticleId, usize);
/// The same for a plain page.
pub(crate) type PageMention = (PageId, usize);

/// Where the site mentions one entity, and what it is mentioned with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct EntityMentions {
    /// Root-relative URL of the entity's page.
    pub(crate) url: String,
    /// The articles that mention it, in site order, each with the index of
    /// the mention in the article's mentions.
    pub(crate) articles: Vec<ArticleMention>,
    /// The same for plain pages, in path order.
    pub(crate) pages: Vec<PageMention>,
    /// Other entities mentioned in the same articles, with how many, most
    /// first: the [`RELATED_ENTITIES`] most.
    pub(crate) related: Vec<(EntityId, usize)>,
    /// The author of the same name, when a person entity also writes here.
    pub(crate) author: Option<AuthorId>,
}

impl EntityMentions {
    /// How many documents mention the entity: articles and pages.
    pub(crate) fn documents(&self) -> usize {
        self.articles.len() + self.pages.len()
    }

    /// The stretch `shown` of the documents that mention the entity, counted
    /// through the articles and then the pages: its articles and its pages.
    pub(crate) fn stretch(&self, shown: Range<usize>) -> (&[ArticleMention], &[PageMention]) {
        let articles = self.articles.len();
        let pages = shown.start.saturating_sub(articles)..shown.end.saturating_sub(articles);
        (
            self.articles
                .get(shown.start.min(articles)..shown.end.min(articles))
                .unwrap_or_default(),
            self.pages.get(pages).unwrap_or_default(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Author {
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) url: String,
    /// Newest first.
    pub(crate) articles: Vec<ArticleId>,
}

#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) doc: Arc<ParsedPage>,
    pub(crate) url: String,
}

impl Page {
    pub(crate) fn path(&self) -> &str {
        &self.doc.path
    }

    pub(crate) fn mentions(&self) -> &[Mention] {
        &self.doc.body.mentions
    }

    pub(crate) fn title(&self) -> &str {
        &self.doc.meta.title
    }

    pub(crate) fn summary(&self) -> &str {
        &self.doc.summary
    }

    pub(crate) fn body_html(&self) -> &str {
        &self.doc.body.html
    }

    pub(crate) fn body(&self) -> &Rendered {
        &self.doc.body
    }

    pub(crate) fn headings(&self) -> &[Heading] {
        &self.doc.body.headings
    }

    pub(crate) fn has_code(&self) -> bool {
        self.doc.body.has_code
    }
}

/// What makes one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Made {
    Home,
    Article(ArticleId),
    Page(PageId),
    /// One page (from 0) of the list of all articles.
    Articles(usize),
    Themes,
    /// One page (from 0) of a theme's articles.
    Theme(ThemeId, usize),
    ThemeFeed(ThemeId),
    Tags,
    /// One page (from 0) of a tag's articles.
    Tag(TagId, usize),
    Authors,
    /// One page (from 0) of an author's articles.
    Author(AuthorId, usize),
    /// `/people/`, `/organisations/` or `/glossary/`.
    Section(Section),
    /// One page (from 0) of an entity's mentions.
    Entity(EntityId, usize),
    Search,
    NotFound,
    SiteFeed,
    Sitemap,
    Robots,
    /// The stylesheet of highlighted code.
    SyntaxCss,
    /// The search's index of documents.
    SearchIndex,
    /// One document's text, for the search's snippets.
    SearchText(usize),
    /// The titles, URLs and dates of one chunk of the search's documents.
    SearchMeta(usize),
    /// A file copied as it is: one of [`Site::assets`].
    Copy(usize),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    /// Relative to the output root: `articles/x/index.html`.
    pub path: String,
    pub(crate) made: Made,
}

impl Route {
    /// Whether the file is a page a reader opens (not a feed, script or copy).
    pub(crate) fn is_page(&self) -> bool {
        self.path.ends_with(".html") && !matches!(self.made, Made::Copy(_))
    }
}

/// An anchor a link asks of a page, checked once the page is rendered.
#[derive(Debug, Clone)]
pub(crate) struct WantedAnchor {
    /// The file the link is in, relative to the site root.
    pub(crate) from: String,
    pub(crate) position: Position,
    /// The link as written, for messages.
    pub(crate) link: String,
    pub(crate) anchor: String,
}

/// Anchors asked of each page, by output path.
pub(crate) type Wanted = HashMap<String, Vec<WantedAnchor>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stretch_of_mentions_runs_through_articles_then_pages() {
        let mentioned = EntityMentions {
            articles: vec![(0, 0), (1, 0), (2, 1)],
            pages: vec![(0, 0), (1, 2)],
            ..EntityMentions::default()
        };
        assert_eq!(mentioned.documents(), 5);
        let stretch = |range: Range<usize>| {
            let (articles, pages) = mentioned.stretch(range);
            (articles.to_vec(), pages.to_vec())
        };
        assert_eq!(stretch(0..2), (vec![(0, 0), (1, 0)], vec![]));
        assert_eq!(stretch(2..4), (vec![(2, 1)], vec![(0, 0)]));
        assert_eq!(stretch(4..5), (vec![], vec![(1, 2)]));
        assert_eq!(stretch(5..5), (vec![], vec![]));
    }
}
