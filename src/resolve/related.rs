//! Related articles: takes each article's themes, tags, links and mentioned
//! entities and gives, for
//! each, the few other articles most worth reading next, best first, with the
//! reasons. Indexed by term, so the cost grows with the articles, not their square.

use rayon::prelude::*;

use crate::parse::entities::EntityId;
use crate::site::{ArticleId, LinkRelation, Related, TagId, ThemeId};

/// How many related articles each article shows.
pub(crate) const LIMIT: usize = 5;

/// Points for each shared leadership theme: broad, so worth least.
const THEME_POINTS: u32 = 2;
/// Points for each shared tag: narrower than a theme.
const TAG_POINTS: u32 = 3;
/// Points for a link between the two, either way: an author said they belong together.
const LINK_POINTS: u32 = 4;
/// Points for each person, organisation, law or concept both mention: specific
/// like a tag, but found rather than chosen, so worth a little less.
const ENTITY_POINTS: u32 = 2;

/// For a term shared by very many articles, only this many articles nearest in
/// time are considered through it. A term on half the site says little about
/// any pair; scanning all of it for every article would make the build quadratic.
pub(crate) const WINDOW: usize = 128;

/// What the scoring needs to know about one article, borrowed from the site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Features<'a> {
    pub(crate) themes: &'a [ThemeId],
    pub(crate) tags: &'a [TagId],
    /// Sorted, without duplicates.
    pub(crate) links_to: &'a [ArticleId],
    /// Sorted, without duplicates.
    pub(crate) linked_from: &'a [ArticleId],
    /// The entities it mentions, each once.
    pub entities: &'a [EntityId],
}

/// Who has what, for scoring: `themes[t]`, `tags[t]` and `entities[e]` list
/// the articles of each term or entity in ascending id order (site order,
/// newest first).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Members<'a> {
    pub(crate) themes: &'a [&'a [ArticleId]],
    pub(crate) tags: &'a [&'a [ArticleId]],
    pub entities: &'a [&'a [ArticleId]],
}

pub(crate) fn related(articles: &[Features<'_>], members: Members<'_>) -> Vec<Vec<Related>> {
    (0..articles.len())
        .into_par_iter()
        .map_init(
            || Scores::new(articles.len()),
            |scores, id| {
                let me = &articles[id];
                for &theme in me.themes {
                    scores.add_window(members.themes[theme], id, THEME_POINTS);
                }
                for &tag in me.tags {
                    scores.add_window(members.tags[tag], id, TAG_POINTS);
                }
                for &entity in me.entities {
                    scores.add_window(members.entities[entity], id, ENTITY_POINTS);
                }
                for &other in me.links_to.iter().chain(me.linked_from) {
                    scores.add_once(other, LINK_POINTS);
                }
                let best = scores.take_best(id);
                best.into_iter()
                    .map(|(other, score)| explain(me, &articles[other], other, id, score))
                    .collect()
            },
        )
        .collect()
}

fn explain(
    me: &Features<'_>,
    other: &Features<'_>,
    other_id: ArticleId,
    my_id: ArticleId,
    score: u32,
) -> Related {
    let shared_themes = me
        .themes
        .iter()
        .copied()
        .filter(|t| other.themes.contains(t))
        .collect();
    let shared_tags = me
        .tags
        .iter()
        .copied()
        .filter(|t| other.tags.contains(t))
        .collect();
    let shared_entities = me
        .entities
        .iter()
        .copied()
        .filter(|e| other.entities.contains(e))
        .collect();
    let links_to = me.links_to.binary_search(&other_id).is_ok();
    let linked_from = other.links_to.binary_search(&my_id).is_ok();
    let link = match (links_to, linked_from) {
        (true, true) => LinkRelation::Both,
        (true, false) => LinkRelation::LinksTo,
        (false, true) => LinkRelation::LinkedFrom,
        (false, false) => LinkRelation::None,
    };
    Related {
        article: other_id,
        score,
        shared_themes,
        shared_tags,
        shared_entities,
        link,
    }
}

/// A dense score table reused across the articles one thread scores, with the
/// list of entries touched so that clearing it costs only what was used.
struct Scores {
    points: Vec<u32>,
    /// Marks entries that have had their link points, so a link both ways counts once.
    linked: Vec<bool>,
    touched: Vec<ArticleId>,
}

impl Scores {
    fn new(size: usize) -> Self {
        Scores {
            points: vec![0; size],
            linked: vec![false; size],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, id: ArticleId, points: u32) {
        if self.points[id] == 0 {
            self.touched.push(id);
        }
        self.points[id] += points;
    }

    fn add_once(&mut self, id: ArticleId, points: u32) {
        if !self.linked[id] {
            self.linked[id] = true;
            self.add(id, points);
        }
    }

    /// Adds points to the members of a term nearest to `me` in site order.
    fn add_window(&mut self, members: &[ArticleId], me: ArticleId, points: u32) {
        let window = if members.len() <= WINDOW {
            members
        } else {
            let at = members.partition_point(|&m| m < me);
            let start = at.saturating_sub(WINDOW / 2).min(members.len() - WINDOW);
            &members[start..start + WINDOW]
        };
        for &other in window {
            self.add(other, points);
        }
    }

    /// The [`LIMIT`] best-scoring articles other than `me`, highest score first
    /// and newest first among equals; clears the table for the next article.
    /// A small sorted array keeps the best as the scores are read: no list of
    /// every candidate is made and sorted.
    fn take_best(&mut self, me: ArticleId) -> Vec<(ArticleId, u32)> {
        let mut best: [(ArticleId, u32); LIMIT] = [(usize::MAX, 0); LIMIT];
        let better =
            |a: (ArticleId, u32), b: (ArticleId, u32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
        for &id in &self.touched {
            let candidate = (id, self.points[id]);
            self.points[id] = 0;
            self.linked[id] = false;
            if id == me || !better(candidate, best[LIMIT - 1]) {
                continue;
            }
            let mut at = LIMIT - 1;
            while at > 0 && better(candidate, best[at - 1]) {
                best[at] = best[at - 1];
                at -= 1;
            }
            best[at] = candidate;
        }
        self.touched.clear();
        best.into_iter()
            .filter(|&(id, points)| id != usize::MAX && points > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features<'a>(
        themes: &'a [usize],
        tags: &'a [usize],
        links_to: &'a [usize],
        linked_from: &'a [usize],
    ) -> Features<'a> {
        Features {
            themes,
            tags,
            links_to,
            linked_from,
            entities: &[],
        }
    }

    fn score(
        articles: &[Features],
        themes: &[Vec<usize>],
        tags: &[Vec<usize>],
    ) -> Vec<Vec<Related>> {
        let themes = as_slices(themes);
        let tags = as_slices(tags);
        related(
            articles,
            Members {
                themes: &themes,
                tags: &tags,
                entities: &[],
            },
        )
    }

    fn as_slices(lists: &[Vec<usize>]) -> Vec<&[usize]> {
        lists.iter().map(Vec::as_slice).collect()
    }

    fn members<'a>(
        articles: &[Features<'a>],
        of: impl Fn(&Features<'a>) -> &'a [usize],
        count: usize,
    ) -> Vec<Vec<usize>> {
        let mut lists = vec![Vec::new(); count];
        for (id, a) in articles.iter().enumerate() {
            for &t in of(a) {
                lists[t].push(id);
            }
        }
        lists
    }

    #[test]
    fn scores_themes_tags_and_links_and_explains_them() {
        let articles = vec![
            features(&[0, 1], &[0], &[2], &[]),
            features(&[0, 1], &[], &[], &[]),
            features(&[0], &[0], &[], &[0]),
            features(&[2], &[1], &[], &[]),
        ];
        let themes = members(&articles, |a| a.themes, 3);
        let tags = members(&articles, |a| a.tags, 2);
        let related = score(&articles, &themes, &tags);
        // 2 shares a theme (2) and a tag (3) and is linked to (4): 9.
        // 1 shares two themes: 4. 3 shares nothing and is not listed.
        let first: Vec<(usize, u32)> = related[0].iter().map(|r| (r.article, r.score)).collect();
        assert_eq!(first, vec![(2, 9), (1, 4)]);
        assert_eq!(related[0][0].shared_themes, vec![0]);
        assert_eq!(related[0][0].shared_tags, vec![0]);
        assert_eq!(related[0][0].link, LinkRelation::LinksTo);
        assert_eq!(related[2][0].link, LinkRelation::LinkedFrom);
        assert!(related[3].is_empty());
    }

    #[test]
    fn shared_entities_count_and_are_named() {
        let mut articles = vec![
            features(&[0], &[], &[], &[]),
            features(&[1], &[], &[], &[]),
            features(&[2], &[], &[], &[]),
        ];
        articles[0].entities = &[3, 1];
        articles[1].entities = &[1, 3];
        articles[2].entities = &[3];
        let themes = members(&articles, |a| a.themes, 3);
        let entities = members(&articles, |a| a.entities, 4);
        let themes = as_slices(&themes);
        let entities = as_slices(&entities);
        let related = related(
            &articles,
            Members {
                themes: &themes,
                tags: &[],
                entities: &entities,
            },
        );
        let first: Vec<(usize, u32)> = related[0].iter().map(|r| (r.article, r.score)).collect();
        assert_eq!(first, vec![(1, 2 * ENTITY_POINTS), (2, ENTITY_POINTS)]);
        assert_eq!(related[0][0].shared_entities, vec![3, 1]);
    }

    #[test]
    fn links_both_ways_count_once() {
        let articles = vec![
            features(&[0], &[], &[1], &[1]),
            features(&[1], &[], &[0], &[0]),
        ];
        let themes = members(&articles, |a| a.themes, 2);
        let related = score(&articles, &themes, &[]);
        assert_eq!(related[0][0].score, LINK_POINTS);
        assert_eq!(related[0][0].link, LinkRelation::Both);
    }

    #[test]
    fn ties_go_to_the_newer_article_and_the_list_is_capped() {
        let articles: Vec<Features> = (0..10).map(|_| features(&[0], &[], &[], &[])).collect();
        let themes = members(&articles, |a| a.themes, 1);
        let related = score(&articles, &themes, &[]);
        let ids: Vec<usize> = related[5].iter().map(|r| r.article).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn large_terms_only_count_articles_near_in_time() {
        let count = WINDOW * 4;
        let articles: Vec<Features> = (0..count).map(|_| features(&[0], &[], &[], &[])).collect();
        let themes = members(&articles, |a| a.themes, 1);
        let related = score(&articles, &themes, &[]);
        let me = count - 1;
        assert!(related[me].iter().all(|r| r.article >= count - WINDOW));
    }
}
