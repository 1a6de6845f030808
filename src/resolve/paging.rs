//! Paging: takes the length of a list, how many items one page shows and the
//! URL of the list's first page, and gives each page's share of the list,
//! its URL, and the links a reader moves between the pages with.

use std::ops::Range;

use serde::Serialize;

/// How many pages either side of the current one get a link of their own.
const NEAR: usize = 2;

/// How many pages a list of `items` takes, `per_page` to a page: at least
/// one, so that an empty list still has its page to say so.
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The items page `page` (from 0) shows.
pub(crate) fn page_items(items: usize, per_page: usize, page: usize) -> Range<usize> {
    let start = page.saturating_mul(per_page).min(items);
    start..start.saturating_add(per_page).min(items)
}

/// The URL of page `page` (from 0) of a list whose first page is `url`:
/// `/themes/x/`, then `/themes/x/page/2/`. The word keeps these URLs apart
/// from those of articles and terms, which are slugs.
pub(crate) fn page_url(url: &str, page: usize) -> String {
    if page == 0 {
        url.to_string()
    } else {
        format!("{url}page/{}/", page + 1)
    }
}

/// Where one page of a list stands among the others, as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct Pagination {
    /// From 1.
    pub(crate) current: usize,
    pub(crate) total: usize,
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
    /// The pages to link to by number: the first, the last and those near
    /// this one, in order; a long list skips the rest.
    pub(crate) pages: Vec<PageLink>,
}

/// One numbered link among a list's pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct PageLink {
    /// From 1.
    pub(crate) number: usize,
    pub(crate) url: String,
    /// Whether this is the page the reader is on.
    pub(crate) current: bool,
    /// Whether pages are skipped between the link before and this one.
    pub(crate) gap_before: bool,
}

impl Pagination {
    /// Page `page` (from 0) of `total` pages of the list whose first page is `url`.
    pub fn new(url: &str, page: usize, total: usize) -> Self {
        let total = total.max(1);
        let page = page.min(total - 1);
        let near = page.saturating_sub(NEAR)..(page + NEAR + 1).min(total);
        let mut numbers: Vec<usize> = std::iter::once(0)
            .chain(near)
            .chain(std::iter::once(total - 1))
            .collect();
        numbers.dedup();
        // A gap of a single page shows that page instead: a link takes no
        // more room than the mark of a gap.
        let mut shown: Vec<usize> = Vec::with_capacity(numbers.len() + 2);
        for number in numbers {
            if let Some(&before) = shown.last() {
                if number <= before {
                    continue;
                }
                if number == before + 2 {
                    shown.push(before + 1);
                }
            }
            shown.push(number);
        }
        let mut pages = Vec::with_capacity(shown.len());
        let mut before: Option<usize> = None;
        for number in shown {
            pages.push(PageLink {
                number: number + 1,
                url: page_url(url, number),
                current: number == page,
                gap_before: before.is_some_and(|b| number > b + 1),
            });
            before = Some(number);
        }
        Pagination {
            current: page + 1,
            total,
            first: page_url(url, 0),
            last: page_url(url, total - 1),
            previous: page.checked_sub(1).map(|p| page_url(url, p)),
            next: (page + 1 < total).then(|| page_url(url, page + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbered links as text: `[3]` is the current page, `…` a gap.
    fn links(page: usize, total: usize) -> String {
        Pagination::new("/t/", page, total)
            .pages
            .iter()
            .map(|link| {
                let number = if link.current {
                    format!("[{}]", link.number)
                } else {
                    link.number.to_string()
                };
                if link.gap_before {
                    format!("… {number}")
                } else {
                    number
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn counts_pages_with_at_least_one() {
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(
            page_count(3, 0),
            3,
            "a zero page size cannot divide by zero"
        );
    }

    #[test]
    fn pages_share_the_items_without_overlap() {
        assert_eq!(page_items(60, 25, 0), 0..25);
        assert_eq!(page_items(60, 25, 1), 25..50);
        assert_eq!(page_items(60, 25, 2), 50..60);
        assert_eq!(page_items(60, 25, 3), 60..60);
        assert_eq!(page_items(0, 25, 0), 0..0);
        assert_eq!(page_items(5, 25, usize::MAX), 5..5);
    }

    #[test]
    fn the_first_page_keeps_the_lists_url() {
        assert_eq!(page_url("/themes/x/", 0), "/themes/x/");
        assert_eq!(page_url("/themes/x/", 1), "/themes/x/page/2/");
        assert_eq!(page_url("/blog/articles/", 9), "/blog/articles/page/10/");
    }

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(links(0, 1), "[1]");
        assert_eq!(links(0, 3), "[1] 2 3");
        assert_eq!(links(3, 7), "1 2 3 [4] 5 6 7");
    }

    #[test]
    fn long_lists_link_the_ends_and_the_pages_near() {
        assert_eq!(links(0, 40), "[1] 2 3 … 40");
        assert_eq!(links(19, 40), "1 … 18 19 [20] 21 22 … 40");
        assert_eq!(links(39, 40), "1 … 38 39 [40]");
        // A gap of one page shows the page instead.
        assert_eq!(links(4, 40), "1 2 3 4 [5] 6 7 … 40");
        assert_eq!(links(35, 40), "1 … 34 35 [36] 37 38 39 40");
    }

    #[test]
    fn previous_and_next_stop_at_the_ends() {
        let first = Pagination::new("/a/", 0, 3);
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/a/page/2/"));
        assert_eq!(first.last, "/a/page/3/");
        let last = Pagination::new("/a/", 2, 3);
        assert_eq!(last.previous.as_deref(), Some("/a/page/2/"));
        assert_eq!(last.next, None);
        assert_eq!(last.current, 3);
        let only = Pagination::new("/a/", 0, 1);
        assert_eq!((only.previous, only.next, only.total), (None, None, 1));
    }
}
