//! Site: the resolved model that resolve gives and render takes. Plain data,
//! immutable once built; everything refers to everything else by index.

use time::Date;

use crate::config::Config;
use crate::front_matter::{Kind, Source};
use crate::load::Asset;
use crate::markdown::Heading;

/// Index into [`Site::articles`].
pub type ArticleId = usize;
/// Index into [`Site::themes`] (the leadership themes, in declared order).
pub type ThemeId = usize;
/// Index into [`Site::tags`].
pub type TagId = usize;
/// Index into [`Site::authors`].
pub type AuthorId = usize;

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Newest first: dated articles by date, then undated ones by title.
    pub articles: Vec<Article>,
    pub pages: Vec<Page>,
    pub themes: Vec<Term>,
    /// By slug.
    pub tags: Vec<Term>,
    /// By slug.
    pub authors: Vec<Author>,
    /// Files copied as they are: content assets, then static files.
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Source path relative to the site root.
    pub path: String,
    pub slug: String,
    /// Root-relative URL, under the base path.
    pub url: String,
    pub title: String,
    pub kind: Kind,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub authors: Vec<AuthorId>,
    pub source: Option<Source>,
    pub themes: Vec<ThemeId>,
    pub tags: Vec<TagId>,
    pub summary: String,
    pub body_html: String,
    pub headings: Vec<Heading>,
    pub has_code: bool,
    pub word_count: usize,
    /// Other articles this one links to, in site order.
    pub links_to: Vec<ArticleId>,
    /// Articles that link to this one, in site order.
    pub backlinks: Vec<ArticleId>,
    pub related: Vec<Related>,
    /// For each of the article's themes, its neighbours in that theme's list.
    pub neighbours: Vec<Neighbours>,
}

impl Article {
    /// Minutes to read at 200 words a minute, never less than one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(200).max(1)
    }

    /// The date a reader would call "last changed".
    pub fn last_changed(&self) -> Option<Date> {
        self.updated.or(self.date)
    }
}

/// Another article worth reading next, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub article: ArticleId,
    pub score: u32,
    pub shared_themes: Vec<ThemeId>,
    pub shared_tags: Vec<TagId>,
    pub link: LinkRelation,
}

/// How two articles are joined by links written in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRelation {
    None,
    /// This article links to the related one.
    LinksTo,
    /// The related article links to this one.
    LinkedFrom,
    Both,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// An article's neighbours in one theme's list, which runs newest first with
/// undated articles last: `previous` comes before it there, `next` after it.
pub struct Neighbours {
    pub theme: ThemeId,
    pub previous: Option<ArticleId>,
    pub next: Option<ArticleId>,
}

/// A term of a taxonomy: a leadership theme or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// Themes have descriptions in `site.toml`; tags do not.
    pub description: Option<String>,
    pub url: String,
    /// Newest first.
    pub articles: Vec<ArticleId>,
    /// Other terms of the same taxonomy that share articles with this one, with
    /// how many, most shared first.
    pub related_terms: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub articles: Vec<ArticleId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub headings: Vec<Heading>,
    pub has_code: bool,
}
