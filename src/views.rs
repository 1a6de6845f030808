//! Views: takes the [`Site`] and gives the plain, display-ready structures that
//! templates see. Templates never see the model itself, so it can change without
//! breaking themes, and each page serialises only what it shows.

use serde::Serialize;
use time::Date;
use time::macros::format_description;

use crate::markdown::Heading;
use crate::site::{Article, ArticleId, Author, LinkRelation, Page, Site, Term};

/// A date in the forms templates need.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DateView {
    /// `2017-10-17`, for `<time datetime>`.
    pub iso: String,
    /// `17 October 2017`, for readers.
    pub human: String,
    /// `2017-10-17T00:00:00Z`, for feeds.
    pub rfc3339: String,
}

impl DateView {
    pub fn new(date: Date) -> Self {
        let human = format_description!("[day padding:none] [month repr:long] [year]");
        DateView {
            iso: date.to_string(),
            human: date.format(human).unwrap_or_else(|_| date.to_string()),
            rfc3339: format!("{date}T00:00:00Z"),
        }
    }
}

/// A link to something: its name and where it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// A term (leadership theme or tag) as listed on index pages and in navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TermSummary<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub count: usize,
    pub feed_url: Option<String>,
}

/// An author as listed on index pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthorSummary<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
}

/// An article as listed on other pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArticleCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub date: Option<DateView>,
    pub summary: &'a str,
    pub authors: Vec<LinkView<'a>>,
    pub themes: Vec<LinkView<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub children: Vec<TocEntry<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RelatedView<'a> {
    pub article: ArticleCard<'a>,
    /// Why it is related, for readers: "shares: workforce and culture, supervision".
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NeighbourView<'a> {
    pub theme: LinkView<'a>,
    pub previous: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceView<'a> {
    pub publication: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// Everything an article page shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    pub authors: Vec<LinkView<'a>>,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub source: Option<SourceView<'a>>,
    pub themes: Vec<LinkView<'a>>,
    pub tags: Vec<LinkView<'a>>,
    pub summary: &'a str,
    pub reading_minutes: usize,
    pub word_count: usize,
    pub toc: Vec<TocEntry<'a>>,
    /// Rendered HTML: templates print it with `| safe`.
    pub body: &'a str,
    /// Whether the body has code, whose stylesheet the page then needs.
    pub has_code: bool,
    pub backlinks: Vec<ArticleCard<'a>>,
    pub related: Vec<RelatedView<'a>>,
    pub neighbours: Vec<NeighbourView<'a>>,
}

/// A plain page's content.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageContentView<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub toc: Vec<TocEntry<'a>>,
    pub body: &'a str,
    pub has_code: bool,
}

/// One term's page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub feed_url: Option<String>,
    pub articles: Vec<ArticleCard<'a>>,
    pub related: Vec<TermSummary<'a>>,
}

/// What every page says about itself, for `<title>`, description and canonical link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PageMetaView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub permalink: String,
}

/// The parts of the site every page may show: built once per build.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub themes_title: &'a str,
    pub tags_title: &'a str,
    pub themes: Vec<TermSummary<'a>>,
    pub latest: Vec<ArticleCard<'a>>,
    pub pages: Vec<LinkView<'a>>,
    pub article_count: usize,
    pub feed_url: String,
}

/// Builds views from one site; holds nothing but the site.
pub struct Views<'a> {
    pub site: &'a Site,
}

impl<'a> Views<'a> {
    pub fn site(&self) -> SiteView<'a> {
        let site = self.site;
        let config = &site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url.absolute,
            base_path: &config.base_url.path,
            themes_title: &config.themes.title,
            tags_title: &config.tags.title,
            themes: site.themes.iter().map(|t| self.theme_summary(t)).collect(),
            latest: site
                .articles
                .iter()
                .take(config.latest_articles)
                .map(|a| self.card(a))
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| LinkView {
                    name: &p.title,
                    url: &p.url,
                })
                .collect(),
            article_count: site.articles.len(),
            feed_url: format!("{}atom.xml", config.base_url.path),
        }
    }

    pub fn page_meta(
        &self,
        title: &'a str,
        description: &'a str,
        url: &'a str,
    ) -> PageMetaView<'a> {
        PageMetaView {
            title,
            description,
            url,
            permalink: self.site.config.base_url.permalink(url),
        }
    }

    pub fn theme_summary(&self, term: &'a Term) -> TermSummary<'a> {
        TermSummary {
            feed_url: Some(format!("{}atom.xml", term.url)),
            ..self.tag_summary(term)
        }
    }

    pub fn tag_summary(&self, term: &'a Term) -> TermSummary<'a> {
        TermSummary {
            name: &term.name,
            slug: &term.slug,
            url: &term.url,
            description: term.description.as_deref(),
            count: term.articles.len(),
            feed_url: None,
        }
    }

    pub fn author_summary(&self, author: &'a Author) -> AuthorSummary<'a> {
        AuthorSummary {
            name: &author.name,
            url: &author.url,
            count: author.articles.len(),
        }
    }

    fn theme_link(&self, id: usize) -> LinkView<'a> {
        let t = &self.site.themes[id];
        LinkView {
            name: &t.name,
            url: &t.url,
        }
    }

    fn article_link(&self, id: ArticleId) -> LinkView<'a> {
        let a = &self.site.articles[id];
        LinkView {
            name: &a.title,
            url: &a.url,
        }
    }

    pub fn card(&self, article: &'a Article) -> ArticleCard<'a> {
        ArticleCard {
            title: &article.title,
            url: &article.url,
            kind: article.kind.label(),
            date: article.date.map(DateView::new),
            summary: &article.summary,
            authors: article
                .authors
                .iter()
                .map(|&id| {
                    let a = &self.site.authors[id];
                    LinkView {
                        name: &a.name,
                        url: &a.url,
                    }
                })
                .collect(),
            themes: article
                .themes
                .iter()
                .map(|&id| self.theme_link(id))
                .collect(),
        }
    }

    pub fn cards(&self, ids: &[ArticleId]) -> Vec<ArticleCard<'a>> {
        ids.iter()
            .map(|&id| self.card(&self.site.articles[id]))
            .collect()
    }

    pub fn article(&self, article: &'a Article) -> ArticleView<'a> {
        let site = self.site;
        let card = self.card(article);
        ArticleView {
            title: card.title,
            url: card.url,
            kind: card.kind,
            authors: card.authors,
            date: card.date,
            updated: article.updated.map(DateView::new),
            source: article.source.as_ref().map(|s| SourceView {
                publication: s.publication.as_deref(),
                url: s.url.as_deref(),
            }),
            themes: card.themes,
            tags: article
                .tags
                .iter()
                .map(|&id| LinkView {
                    name: &site.tags[id].name,
                    url: &site.tags[id].url,
                })
                .collect(),
            summary: &article.summary,
            reading_minutes: article.reading_minutes(),
            word_count: article.word_count,
            toc: toc(&article.headings),
            body: &article.body_html,
            has_code: article.has_code,
            backlinks: self.cards(&article.backlinks),
            related: article
                .related
                .iter()
                .map(|r| RelatedView {
                    article: self.card(&site.articles[r.article]),
                    reason: self.reason(r),
                })
                .collect(),
            neighbours: article
                .neighbours
                .iter()
                .map(|n| NeighbourView {
                    theme: self.theme_link(n.theme),
                    previous: n.previous.map(|id| self.article_link(id)),
                    next: n.next.map(|id| self.article_link(id)),
                })
                .collect(),
        }
    }

    fn reason(&self, related: &crate::site::Related) -> String {
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

    pub fn page_content(&self, page: &'a Page) -> PageContentView<'a> {
        PageContentView {
            title: &page.title,
            summary: &page.summary,
            toc: toc(&page.headings),
            body: &page.body_html,
            has_code: page.has_code,
        }
    }

    /// A theme's or tag's page; `summarise` picks how its related terms are listed.
    pub fn term(
        &self,
        term: &'a Term,
        all: &'a [Term],
        summarise: impl Fn(&Self, &'a Term) -> TermSummary<'a>,
    ) -> TermView<'a> {
        let summary = summarise(self, term);
        TermView {
            name: summary.name,
            slug: summary.slug,
            url: summary.url,
            description: summary.description,
            feed_url: summary.feed_url,
            articles: self.cards(&term.articles),
            related: term
                .related_terms
                .iter()
                .map(|&(id, shared)| TermSummary {
                    count: shared,
                    ..summarise(self, &all[id])
                })
                .collect(),
        }
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
}
