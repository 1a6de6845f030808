//! Facts: takes single lines (and the metadata an HTML page states) and gives
//! the facts they state, never more: a date only from a stated date, authors
//! only from a byline, a publication only where the page names its publisher.
//! Each fact keeps the words it was read from, for the report.

use time::{Date, Month};

use super::words::{is_capitalised, squeeze, words};

/// Where a fact was read, for the report and the draft's comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Evidence {
    pub(crate) line: Option<usize>,
    /// The words it was read from, as the page has them.
    pub(crate) said: String,
}

impl Evidence {
    pub(crate) fn describe(&self) -> String {
        match self.line {
            Some(line) => format!("{:?} (line {line})", self.said),
            None => format!("{:?}", self.said),
        }
    }
}

/// A fact and where it was stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stated<T> {
    pub(crate) value: T,
    pub(crate) evidence: Evidence,
}

/// Every fact found about the article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    pub(crate) date: Option<Stated<Date>>,
    pub(crate) updated: Option<Stated<Date>>,
    pub(crate) authors: Option<Stated<Vec<String>>>,
    pub(crate) publication: Option<Stated<String>>,
    pub(crate) url: Option<Stated<String>>,
}

impl Facts {
    /// Keeps the first of each fact found: the page's own line before a later
    /// one, metadata before the text (`fill` is called in that order).
    pub(crate) fn fill(&mut self, other: Facts) {
        self.date = self.date.take().or(other.date);
        self.updated = self.updated.take().or(other.updated);
        self.authors = self.authors.take().or(other.authors);
        self.publication = self.publication.take().or(other.publication);
        self.url = self.url.take().or(other.url);
    }
}

/// What a dated line says its date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dated {
    Published(Date),
    Updated(Date),
}

/// Labels a date line may start with, and which date each gives.
#[rustfmt::skip]
const DATE_LABELS: &[(&str, bool)] = &[
    ("date", true), ("published", true), ("published on", true), ("first published", true),
    ("posted", true), ("posted on", true), ("on", true),
    ("updated", false), ("updated on", false), ("last updated", false), ("modified", false),
];

/// A line that is a date and nothing else, perhaps with a label: `Date:
/// 17/10/2017`, `Published 3 March 2021`, `Tuesday 17 October 2017`.
pub(crate) fn date_line(line: &str) -> Option<Dated> {
    let words = words(line);
    // Longest label first, so "published on" is not read as "published".
    let mut labels: Vec<&(&str, bool)> = DATE_LABELS.iter().collect();
    labels.sort_by_key(|(label, _)| std::cmp::Reverse(label.len()));
    let mut published = true;
    let mut rest: &[String] = &words;
    for &&(label, is_published) in &labels {
        let label_words: Vec<&str> = label.split(' ').collect();
        if rest.len() > label_words.len() && rest.iter().zip(&label_words).all(|(w, l)| w == l) {
            rest = &rest[label_words.len()..];
            published = is_published;
            break;
        }
    }
    let rest: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|w| !is_weekday(w))
        .collect();
    let date = date_of_words(&rest, line)?;
    Some(if published {
        Dated::Published(date)
    } else {
        Dated::Updated(date)
    })
}

fn is_weekday(word: &str) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
    .contains(&word)
}

/// The date the words are, and nothing else but a time of day: `17 10 2017`
/// (from `17/10/2017`), `17 october 2017`, `october 17 2017`, `2017 10 17`.
fn date_of_words(words: &[&str], original: &str) -> Option<Date> {
    let (date_words, time_words) = words.split_at(words.len().min(3));
    if words.len() < 3 || !is_time_of_day(time_words) {
        return None;
    }
    let [a, b, c] = [date_words[0], date_words[1], date_words[2]];
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        let ordinal = suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix);
        (ordinal && !digits.is_empty() && digits.len() <= 4)
            .then(|| digits.parse().ok())
            .flatten()
    };
    let year = |w: &str| number(w).filter(|y| (1900..=2200).contains(y) && w.len() == 4);
    if let (Some(y), Some(m), Some(d)) = (year(a), number(b), number(c)) {
        return build(y, m, d);
    }
    if let (Some(d), Some(m), Some(y)) = (number(a), month_of(b), year(c)) {
        return build(y, m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (month_of(a), number(b), year(c)) {
        return build(y, m, d);
    }
    if let (Some(first), Some(second), Some(y)) = (number(a), number(b), year(c)) {
        // Day first, as British pages write it; month first only where the
        // day-first reading is no date and the page used slashes (US style).
        return build(y, second, first).or_else(|| {
            original
                .contains('/')
                .then(|| build(y, first, second))
                .flatten()
        });
    }
    None
}

/// Nothing, or a time such as `9 30am`, `09 30`, `10am`, `gmt`.
fn is_time_of_day(words: &[&str]) -> bool {
    words.len() <= 3
        && words.iter().all(|w| {
            w.bytes().all(|b| b.is_ascii_digit())
                || ["am", "pm", "gmt", "bst", "utc", "at"].contains(w)
                || (w.ends_with("am") || w.ends_with("pm"))
                    && w[..w.len() - 2].bytes().all(|b| b.is_ascii_digit())
        })
}

fn month_of(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == word || word.len() >= 3 && m.starts_with(word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn build(year: u32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// The date at the start of an ISO 8601 stamp (`2021-03-04T09:00:00Z`), as
/// `<time datetime>` and `article:published_time` give it.
pub(crate) fn iso_date(stamp: &str) -> Option<Date> {
    let stamp = stamp.trim();
    let date = stamp.get(..10)?;
    let rest = &stamp[10..];
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    build(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// What a byline says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Byline {
    pub(crate) authors: Vec<String>,
    /// A date the byline also gives ("By Ann Lee, 3 March 2021").
    pub(crate) date: Option<Date>,
    /// Whether it says more than names and a date ("former director,
    /// Lancashire CC"): such a line is the page's, kept in the text.
    pub(crate) says_more: bool,
}

/// Words that introduce a byline's names.
const BY_LABELS: &[&str] = &["author:", "authors:", "words:", "written by", "by"];

/// A byline: a line that names who wrote the article after "by" (or
/// "Author:"), with at most five words before it ("A guest briefing by").
pub(crate) fn byline(line: &str) -> Option<Byline> {
    let line = squeeze(line);
    if words(&line).len() > 25 || line.ends_with('.') && !line.ends_with(" Jr.") {
        return None;
    }
    let lower = line.to_lowercase();
    let (before, names_from) = BY_LABELS.iter().find_map(|label| {
        let at = find_word(&lower, label)?;
        Some((&line[..at], at + label.len()))
    })?;
    if words(before).len() > 5 {
        return None;
    }
    let rest = line.get(names_from..)?.trim_start_matches([':', ' ']);
    let (authors, after) = names(rest);
    if authors.is_empty() {
        return None;
    }
    let date = date_in(after);
    let mut extra = words(before);
    extra.extend(words(after));
    let date_words = date.map_or(0, |_| 3);
    let says_more = extra
        .iter()
        .filter(|w| {
            ![
                "a",
                "and",
                "on",
                "by",
                "posted",
                "published",
                "updated",
                "the",
            ]
            .contains(&w.as_str())
        })
        .count()
        > date_words;
    Some(Byline {
        authors,
        date,
        says_more,
    })
}

/// Reads a byline that may have no label, as an HTML page's author metadata
/// gives it (`Ann Lee`, `By Ann Lee`).
pub(crate) fn byline_metadata(text: &str) -> Option<Vec<String>> {
    if let Some(found) = byline(text) {
        return Some(found.authors);
    }
    let text = squeeze(text);
    let (authors, after) = names(&text);
    (!authors.is_empty() && words(after).is_empty()).then_some(authors)
}

/// Where `word` starts in `text` as a whole word (or as a label with its colon).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before_ok = at == 0 || text[..at].ends_with(' ');
        let after = &text[at + word.len()..];
        let after_ok = word.ends_with(':') || after.starts_with(' ');
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The names a byline starts with, and what follows them: names are split at
/// commas, "and" and "&", and end at the first part that is not a name, or
/// at a separator (`|`, `(`, a dash, " on " before a date).
fn names(text: &str) -> (Vec<String>, &str) {
    let mut names = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let stop = rest
            .find([',', '|', '(', '–', '—', ';'])
            .unwrap_or(rest.len());
        let (segment, cut) = match rest[..stop].find(" on ") {
            Some(on) => (&rest[..on], on),
            None => (&rest[..stop], stop),
        };
        let found: Vec<&str> = segment
            .split(" and ")
            .flat_map(|p| p.split(" & "))
            .map(str::trim)
            .collect();
        if !found.iter().all(|n| is_name(n)) {
            break;
        }
        names.extend(found.iter().map(|n| n.to_string()));
        rest = &rest[cut..];
        match rest.strip_prefix(',') {
            Some(after) if cut == stop => rest = after.trim_start(),
            _ => break,
        }
    }
    (names, rest)
}

/// Two to four words, each capitalised (or a particle such as "van"), with
/// letters, hyphens, apostrophes and initials' dots only.
pub(crate) fn is_name(text: &str) -> bool {
    let parts: Vec<&str> = text.split_whitespace().collect();
    if !(2..=4).contains(&parts.len()) || parts[0].eq_ignore_ascii_case("the") {
        return false;
    }
    let particle =
        |w: &str| ["de", "van", "von", "der", "da", "le", "la", "bin", "al"].contains(&w);
    parts.iter().enumerate().all(|(i, w)| {
        let letters_only = w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        letters_only && (is_capitalised(w) || i > 0 && i + 1 < parts.len() && particle(w))
    })
}

/// A date anywhere in what follows a byline's names.
fn date_in(text: &str) -> Option<Date> {
    let words: Vec<String> = words(text);
    let list: Vec<&str> = words.iter().map(String::as_str).collect();
    (0..list.len()).find_map(|i| {
        let end = (i + 3).min(list.len());
        date_of_words(&list[i..end], text)
    })
}

/// "More from Community Care": the publisher a page names when it lists its
/// other articles.
pub(crate) fn publisher_named(line: &str) -> Option<String> {
    let line = squeeze(line);
    let rest = line
        .strip_prefix("More from ")
        .or_else(|| line.strip_prefix("More From "))?;
    let rest = rest.trim_end_matches(['.', ':', '›', '»', '→', ' ']);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let small = |w: &&str| ["and", "of", "for", "the", "in", "&"].contains(w);
    let named = !words.is_empty()
        && words.len() <= 6
        && is_capitalised(words[0])
        && words.iter().all(|w| is_capitalised(w) || small(w));
    named.then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn date_lines_give_their_dates() {
        assert_eq!(
            date_line("Date: 17/10/2017"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
        assert_eq!(
            date_line("17 October 2017"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
        assert_eq!(
            date_line("Published on Tuesday 17th Oct 2017"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
        assert_eq!(
            date_line("October 17, 2017"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
        assert_eq!(
            date_line("2017-10-17"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
        assert_eq!(
            date_line("Posted 3 March 2021 at 9:30am"),
            Some(Dated::Published(date!(2021 - 03 - 03)))
        );
        assert_eq!(
            date_line("Updated: 4 May 2021"),
            Some(Dated::Updated(date!(2021 - 05 - 04)))
        );
        assert_eq!(
            date_line("10/17/2017"),
            Some(Dated::Published(date!(2017 - 10 - 17)))
        );
    }

    #[test]
    fn other_lines_give_no_date() {
        for line in [
            "In October 2017 the council met.",
            "17/10",
            "Date: 31/02/2017",
            "The 2006 Director of Adult Social Services (DASS) statutory guidance",
            "17 October 2017 was the day the report came out",
            "Chapter 3",
        ] {
            assert_eq!(date_line(line), None, "{line}");
        }
    }

    #[test]
    fn iso_stamps_give_their_day() {
        assert_eq!(
            iso_date("2021-03-04T09:00:00+00:00"),
            Some(date!(2021 - 03 - 04))
        );
        assert_eq!(iso_date("2021-03-04"), Some(date!(2021 - 03 - 04)));
        assert_eq!(iso_date("2021-13-04"), None);
        assert_eq!(iso_date("4 March 2021"), None);
    }

    #[test]
    fn bylines_give_names_and_say_whether_they_say_more() {
        let b = byline("A guest briefing by Blair McPherson, former director, Lancashire CC")
            .expect("byline");
        assert_eq!(b.authors, ["Blair McPherson"]);
        assert!(b.says_more);
        let b = byline("By Ann Lee and Tom O’Hara, 3 March 2021").expect("byline");
        assert_eq!(b.authors, ["Ann Lee", "Tom O’Hara"]);
        assert_eq!(b.date, Some(date!(2021 - 03 - 03)));
        assert!(!b.says_more);
        let b = byline("Author: Priya Natarajan").expect("byline");
        assert_eq!(b.authors, ["Priya Natarajan"]);
        let b = byline("By Sam de la Cruz | 12 June 2022").expect("byline");
        assert_eq!(b.authors, ["Sam de la Cruz"]);
        assert_eq!(b.date, Some(date!(2022 - 06 - 12)));
    }

    #[test]
    fn lines_that_are_not_bylines_give_no_authors() {
        for line in [
            "Liz Bruce",
            "The report was written by Richard Humphries and Nicholas Timmins.",
            "by the council",
            "Stand by me",
            "Interviews by phone and in person took place over two years in seven places",
        ] {
            assert_eq!(byline(line), None, "{line}");
        }
        assert_eq!(
            byline_metadata("Ann Lee"),
            Some(vec!["Ann Lee".to_string()])
        );
        assert_eq!(
            byline_metadata("By Ann Lee"),
            Some(vec!["Ann Lee".to_string()])
        );
        assert_eq!(byline_metadata("Editorial team"), None);
    }

    #[test]
    fn publishers_are_named_by_more_from() {
        assert_eq!(
            publisher_named("More from Community Care"),
            Some("Community Care".to_string())
        );
        assert_eq!(publisher_named("More from this author"), None);
        assert_eq!(publisher_named("Read more"), None);
    }

    #[test]
    fn names_are_capitalised_words() {
        assert!(is_name("Blair McPherson"));
        assert!(is_name("Mary-Jane O'Neil"));
        assert!(is_name("J. K. Lowe"));
        assert!(!is_name("Liz"));
        assert!(!is_name("former director"));
        assert!(!is_name("The Guardian"));
        assert!(!is_name("Ann Lee 2021"));
    }
}
