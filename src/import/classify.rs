//! Classify: takes a page's blocks and gives the article's title, the blocks
//! that are the author's (each with its role), every block removed and why,
//! and the facts stated on the way (date and byline lines, "More from …").
//!
//! A page is read in four zones. Before the title: furniture, all of it (the
//! title is the first heading-like line that is not furniture, or the page's
//! own headline). Between the title and the first paragraph of prose: the
//! header, where bylines, dates, a bare name captioning a photo, share
//! buttons and the first sub-heading stand. The body: everything up to the
//! end of the article, less the lines that are furniture by what they are.
//! After the end: from the first heading that starts what follows an article
//! (comments, "Related articles", the footer), nothing is the author's.

use std::collections::HashMap;

use super::ImportError;
use super::block::{Block, Shape};
use super::clutter::{Clutter, clutter};
use super::facts::{self, Dated, Evidence, Facts, Stated};
use super::suggest;
use super::words::{normal, words};

/// Where the title comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Headline {
    /// A text page: the title is one of its lines.
    FromLines,
    /// An HTML page's headline; the line repeating it in the text is dropped.
    Given(Stated<String>),
}

/// What a kept block is to the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Text,
    /// A byline that says more than names ("A guest briefing by …, former
    /// director"): kept, set apart in italics.
    Byline,
    /// The heading of a card that points elsewhere (a heading, a sentence,
    /// "Read more"): kept, but not a section of this article, so bold.
    Teaser,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kept {
    pub(crate) block: Block,
    pub(crate) role: Role,
}

/// Why a block was left out of the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    Clutter(Clutter),
    /// Above the headline: the site's header, menus and notices.
    BeforeTitle,
    /// After a heading that ends the article, named here.
    AfterEnd(String),
    /// A bare name under the title that the text names again.
    Caption,
    /// A one-word section label above the title ("Blog"): a cue for `kind`.
    Kicker,
    /// The publisher's name, which the page also gives in "More from …".
    Masthead,
    /// Moved to the front matter.
    Date,
    Byline,
    /// The headline, which is the front matter's `title`.
    Title,
    /// A list of the page's own headings: its table of contents.
    Contents,
}

impl Why {
    pub(crate) fn describe(&self) -> String {
        match self {
            Why::Clutter(kind) => kind.label().to_string(),
            Why::BeforeTitle => "before the title".to_string(),
            Why::AfterEnd(marker) => format!("after the end of the article (from {marker:?})"),
            Why::Caption => "a bare name under the title; the text names them again".to_string(),
            Why::Kicker => "section label above the title (read as a cue for kind)".to_string(),
            Why::Masthead => "the publisher's name (its masthead)".to_string(),
            Why::Date => "the date, moved to the front matter".to_string(),
            Why::Byline => "the byline, moved to the front matter".to_string(),
            Why::Title => "the headline, which is the title".to_string(),
            Why::Contents => "table of contents: it repeats a heading below".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removed {
    pub(crate) block: Block,
    pub(crate) why: Why,
}

/// A part of a line taken out while the rest was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) line: Option<usize>,
    pub(crate) removed: String,
    pub(crate) after: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sorted {
    pub(crate) title: Stated<String>,
    pub(crate) kicker: Option<String>,
    pub(crate) kept: Vec<Kept>,
    pub(crate) removed: Vec<Removed>,
    pub(crate) edits: Vec<Edit>,
    pub(crate) facts: Facts,
}

/// A heading has at most this many words; a title, `TITLE_WORDS`.
const HEADING_WORDS: usize = 14;
const TITLE_WORDS: usize = 25;

pub(crate) fn classify(
    shown: &str,
    blocks: Vec<Block>,
    headline: Headline,
) -> Result<Sorted, ImportError> {
    let mut facts = Facts::default();
    facts.publication = blocks.iter().find_map(|b| {
        facts::publisher_named(&b.text).map(|name| Stated {
            value: name,
            evidence: evidence(b),
        })
    });
    let masthead = facts.publication.as_ref().map(|p| normal(&p.value));
    let mut removed = Vec::new();
    let mut kicker = None;

    // Zone 1: before the title.
    let (title, title_at) = match headline {
        Headline::Given(title) => {
            let wanted = normal(&title.value);
            let at = blocks
                .iter()
                .position(|b| !b.is_item() && !wanted.is_empty() && normal(&b.text) == wanted);
            (title, at)
        }
        Headline::FromLines => {
            let at = find_title(&blocks, masthead.as_deref()).ok_or_else(|| no_title(shown))?;
            let block = &blocks[at];
            (
                Stated {
                    value: block.text.clone(),
                    evidence: evidence(block),
                },
                Some(at),
            )
        }
    };
    let first_after_title = title_at.map_or(0, |at| at + 1);
    for (index, block) in blocks.iter().enumerate().take(first_after_title) {
        let why = if Some(index) == title_at {
            Why::Title
        } else if index + 1 == title_at.unwrap_or(0)
            && is_kicker(block)
            && (clutter(block).is_none() || suggest::kind_named(&block.text).is_some())
        {
            kicker = Some(block.text.clone());
            Why::Kicker
        } else if let Some(found) = stated_date(block, &mut facts) {
            found
        } else if let Some(kind) = clutter(block) {
            Why::Clutter(kind)
        } else if masthead.as_deref() == Some(normal(&block.text).as_str()) {
            Why::Masthead
        } else {
            Why::BeforeTitle
        };
        if matches!(why, Why::Title) && matches!(block.shape, Shape::Line) {
            // A text page's title line is the title itself, not a removal.
            continue;
        }
        removed.push(Removed {
            block: block.clone(),
            why,
        });
    }

    // Zones 2 to 4: the header, the body, and what follows the article.
    let rest = &blocks[first_after_title.min(blocks.len())..];
    let body_at = rest
        .iter()
        .position(|b| is_prose(b) && clutter(b).is_none() && facts::byline(&b.text).is_none())
        .unwrap_or(rest.len());
    let body_text = normal(
        &rest[body_at..]
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let mut kept: Vec<Kept> = Vec::new();
    let mut edits = Vec::new();
    // The heading after which nothing is the author's, once met.
    let mut ended: Option<String> = None;
    let mut call_to_action_after: Option<usize> = None;
    for (index, block) in rest.iter().enumerate() {
        let in_header = index < body_at;
        let verdict = if let Some(marker) = &ended {
            Verdict::Remove(Why::AfterEnd(marker.clone()))
        } else if let Some(kind) = clutter(block) {
            if kind.ends_article() && !block.is_item() && !in_header {
                ended = Some(block.text.clone());
            }
            if kind == Clutter::CallToAction {
                call_to_action_after = Some(kept.len());
            }
            Verdict::Remove(Why::Clutter(kind))
        } else if index == 0 && title_at.is_none() && is_kicker(block) {
            // The page's headline was not among its blocks: a label above
            // where it stood is the label of the article.
            kicker = Some(block.text.clone());
            Verdict::Remove(Why::Kicker)
        } else if in_header {
            header_line(block, &body_text, &mut facts)
        } else {
            Verdict::Keep(Role::Text)
        };
        match verdict {
            Verdict::Remove(why) => removed.push(Removed {
                block: block.clone(),
                why,
            }),
            Verdict::Keep(role) => {
                let mut block = block.clone();
                if block.markdown.is_none() {
                    edits.extend(strip_footnote_markers(&mut block));
                }
                kept.push(Kept { block, role });
            }
        }
    }
    mark_teaser(&mut kept, call_to_action_after);
    drop_contents(&mut kept, &mut removed);
    // In the page's order, whichever rule found them.
    removed.sort_by_key(|r| r.block.line.unwrap_or(usize::MAX));
    if !has_article(&kept) {
        return Err(ImportError::input(
            shown,
            None,
            "no recognisable article: after the page's menus, notices and buttons, no paragraph of prose is left",
        ));
    }
    Ok(Sorted {
        title,
        kicker,
        kept,
        removed,
        edits,
        facts,
    })
}

fn evidence(block: &Block) -> Evidence {
    Evidence {
        line: block.line,
        said: block.text.clone(),
    }
}

fn no_title(shown: &str) -> ImportError {
    ImportError::input(
        shown,
        None,
        "no recognisable article: no heading-like line (the title) comes before the first paragraph",
    )
}

/// The first heading-like line that is not furniture, a date, a byline, the
/// masthead or a one-word label; none if prose comes first. The search
/// starts after the last menu or notice above the first paragraph: what
/// stands above a site's menu (its name, its motto) is not the article's.
fn find_title(blocks: &[Block], masthead: Option<&str>) -> Option<usize> {
    let first_prose = blocks
        .iter()
        .position(|b| {
            is_prose(b)
                && clutter(b).is_none()
                && facts::byline(&b.text).is_none()
                && facts::date_line(&b.text).is_none()
        })
        .unwrap_or(blocks.len());
    let site_header_ends = blocks[..first_prose]
        .iter()
        .rposition(|b| {
            matches!(
                clutter(b),
                Some(Clutter::Navigation | Clutter::Notice | Clutter::SignIn)
            )
        })
        .map_or(0, |at| at + 1);
    title_from(blocks, site_header_ends, masthead).or_else(|| title_from(blocks, 0, masthead))
}

fn title_from(blocks: &[Block], start: usize, masthead: Option<&str>) -> Option<usize> {
    for (index, block) in blocks.iter().enumerate().skip(start) {
        let passed_over = clutter(block).is_some()
            || facts::date_line(&block.text).is_some()
            || facts::byline(&block.text).is_some()
            || masthead == Some(normal(&block.text).as_str())
            || block.is_item();
        if passed_over {
            continue;
        }
        if is_kicker(block) && blocks.get(index + 1).is_some_and(|b| !is_prose(b)) {
            continue;
        }
        if is_heading_like(block, TITLE_WORDS) {
            return Some(index);
        }
        if is_prose(block) {
            return None;
        }
    }
    None
}

/// One word on a line of its own: a section label such as "Blog" or "News".
fn is_kicker(block: &Block) -> bool {
    let words = words(&block.text);
    words.len() == 1 && block.text.chars().all(|c| c.is_alphabetic() || c == ' ')
}

/// What becomes of one block.
enum Verdict {
    Keep(Role),
    Remove(Why),
}

/// A line of the header that is not furniture: a date or a byline (moved to
/// the front matter, or kept in italics if it says more), a caption, or a
/// line kept as it is (a first sub-heading).
fn header_line(block: &Block, body_text: &str, facts: &mut Facts) -> Verdict {
    if let Some(why) = stated_date(block, facts) {
        return Verdict::Remove(why);
    }
    if let Some(byline) = facts::byline(&block.text) {
        if facts.authors.is_none() {
            facts.authors = Some(Stated {
                value: byline.authors,
                evidence: evidence(block),
            });
        }
        if let (None, Some(date)) = (&facts.date, byline.date) {
            facts.date = Some(Stated {
                value: date,
                evidence: evidence(block),
            });
        }
        return if byline.says_more {
            Verdict::Keep(Role::Byline)
        } else {
            Verdict::Remove(Why::Byline)
        };
    }
    let named_again = !body_text.is_empty()
        && format!(" {body_text} ").contains(&format!(" {} ", normal(&block.text)));
    if facts::is_name(&block.text) && named_again {
        return Verdict::Remove(Why::Caption);
    }
    Verdict::Keep(Role::Text)
}

/// A line that is a date: the fact is kept (the first of each), the line goes.
fn stated_date(block: &Block, facts: &mut Facts) -> Option<Why> {
    let dated = facts::date_line(&block.text)?;
    let (slot, date) = match dated {
        Dated::Published(date) => (&mut facts.date, date),
        Dated::Updated(date) => (&mut facts.updated, date),
    };
    if slot.is_none() {
        *slot = Some(Stated {
            value: date,
            evidence: evidence(block),
        });
    }
    Some(Why::Date)
}

/// A heading, or a short line that does not end as a sentence or a clause
/// does and starts as a heading does.
pub(crate) fn is_heading_like(block: &Block, most_words: usize) -> bool {
    match block.shape {
        Shape::Heading(_) => true,
        Shape::Line | Shape::Paragraph => {
            let text = block.text.as_str();
            let count = words(text).len();
            let ends = text.trim_end_matches(CLOSING).chars().last();
            let starts_well = text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || OPENING.contains(&c));
            (1..=most_words).contains(&count)
                && starts_well
                && !matches!(ends, Some('.' | ',' | ';' | ':' | '!'))
        }
        Shape::Item(_) | Shape::Quote | Shape::Verbatim => false,
    }
}

const CLOSING: &[char] = &['’', '”', '\'', '"', ')', ']'];
const OPENING: &[char] = &['‘', '“', '\'', '"', '('];

/// A block of running text: a sentence, or a line too long to be a heading.
pub(crate) fn is_prose(block: &Block) -> bool {
    match block.shape {
        Shape::Heading(_) => false,
        Shape::Item(_) | Shape::Quote | Shape::Verbatim => true,
        Shape::Line | Shape::Paragraph => {
            let count = words(&block.text).len();
            let ends = block.text.trim_end_matches(CLOSING).chars().last();
            let question_like = matches!(ends, Some('?' | '…')) && count <= 8;
            count > HEADING_WORDS || matches!(ends, Some('.' | '!' | '?' | '…')) && !question_like
        }
    }
}

/// A footnote marker is digits stuck to the punctuation that ends a word or
/// a quotation (`corner’.1`): its note is not in the scrape, so it goes.
fn strip_footnote_markers(block: &mut Block) -> Vec<Edit> {
    let mut edits = Vec::new();
    let text = block.text.clone();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        out.push(c);
        let is_stop = matches!(c, '.' | ',' | ';' | ':' | '!' | '?');
        let before_ok = i > 0 && {
            let b = chars[i - 1].1;
            b.is_alphabetic() || CLOSING.contains(&b)
        };
        if is_stop && before_ok {
            let digits: String = chars[i + 1..]
                .iter()
                .map(|&(_, d)| d)
                .take_while(char::is_ascii_digit)
                .collect();
            let after = chars.get(i + 1 + digits.len()).map(|&(_, a)| a);
            if (1..=2).contains(&digits.len()) && after.is_none_or(char::is_whitespace) {
                let start = i.saturating_sub(12);
                let context: String = chars[start..=i].iter().map(|&(_, c)| c).collect();
                edits.push(Edit {
                    line: block.line,
                    removed: digits.clone(),
                    after: context,
                });
                i += 1 + digits.len();
                continue;
            }
        }
        i += 1;
    }
    block.text = out;
    edits
}

/// The heading of a card that points elsewhere: a heading-like line and one
/// paragraph, then a "Read more" link, with nothing of the article after it.
fn mark_teaser(kept: &mut [Kept], call_to_action_after: Option<usize>) {
    let Some(n) = call_to_action_after else {
        return;
    };
    if n != kept.len() || n < 3 {
        return;
    }
    let (heading, blurb) = (&kept[n - 2], &kept[n - 1]);
    if heading.role == Role::Text
        && is_heading_like(&heading.block, HEADING_WORDS)
        && is_prose(&blurb.block)
        && !blurb.block.is_item()
    {
        kept[n - 2].role = Role::Teaser;
    }
}

/// A table of contents: two or more list items or short lines in a row,
/// each the same words as a heading further down. The headings stay.
fn drop_contents(kept: &mut Vec<Kept>, removed: &mut Vec<Removed>) {
    let normals: Vec<String> = kept.iter().map(|k| normal(&k.block.text)).collect();
    // Where each text last stands as something other than a list item.
    let mut last_as_text: HashMap<&str, usize> = HashMap::new();
    for (i, (k, words)) in kept.iter().zip(&normals).enumerate() {
        if !k.block.is_item() {
            last_as_text.insert(words.as_str(), i);
        }
    }
    let entry = |i: usize| {
        let block = &kept[i].block;
        (block.is_item() || is_heading_like(block, HEADING_WORDS))
            && last_as_text
                .get(normals[i].as_str())
                .is_some_and(|&at| at > i)
    };
    let mut contents = vec![false; kept.len()];
    let mut i = 0;
    while i < kept.len() {
        let run = (i..kept.len()).take_while(|&j| entry(j)).count();
        if run >= 2 {
            contents[i..i + run].iter_mut().for_each(|c| *c = true);
        }
        i += run.max(1);
    }
    let mut index = 0;
    kept.retain(|k| {
        let keep = !contents[index];
        index += 1;
        if !keep {
            removed.push(Removed {
                block: k.block.clone(),
                why: Why::Contents,
            });
        }
        keep
    });
}

/// At least one paragraph of prose (or a list) with some words to it.
fn has_article(kept: &[Kept]) -> bool {
    let words: usize = kept
        .iter()
        .filter(|k| is_prose(&k.block))
        .map(|k| words(&k.block.text).len())
        .sum();
    words >= 20
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text;

    fn sort(page: &str) -> Sorted {
        classify("page.txt", text::blocks(page), Headline::FromLines).expect("an article")
    }

    fn kept(sorted: &Sorted) -> Vec<&str> {
        sorted.kept.iter().map(|k| k.block.text.as_str()).collect()
    }

    const PROSE: &str = "The council asked its staff what would help them most, and most of them said that time to think together mattered more than any new system.";

    #[test]
    fn furniture_before_the_title_goes_and_a_label_is_a_kicker() {
        let sorted = sort(&format!(
            "Skip to content\nAccept all cookies\nOpinion\nWhat staff told us\n\n{PROSE}\n"
        ));
        assert_eq!(sorted.title.value, "What staff told us");
        assert_eq!(sorted.title.evidence.line, Some(4));
        assert_eq!(sorted.kicker.as_deref(), Some("Opinion"));
        assert_eq!(kept(&sorted), [PROSE]);
        let whys: Vec<&Why> = sorted.removed.iter().map(|r| &r.why).collect();
        assert_eq!(
            whys,
            [
                &Why::Clutter(Clutter::Navigation),
                &Why::Clutter(Clutter::Notice),
                &Why::Kicker
            ]
        );
    }

    #[test]
    fn the_header_gives_facts_and_keeps_a_sub_heading() {
        let sorted = sort(&format!(
            "What staff told us\nBy Ann Lee\nDate: 03/04/2022\nAnn Lee\nWhy we asked\n{PROSE} Ann Lee agreed.\n"
        ));
        assert_eq!(kept(&sorted)[0], "Why we asked");
        let facts = &sorted.facts;
        assert_eq!(
            facts.authors.as_ref().map(|a| a.value.clone()),
            Some(vec!["Ann Lee".to_string()])
        );
        assert_eq!(
            facts.date.as_ref().map(|d| d.value.to_string()),
            Some("2022-04-03".to_string())
        );
        let whys: Vec<&Why> = sorted.removed.iter().map(|r| &r.why).collect();
        assert_eq!(whys, [&Why::Byline, &Why::Date, &Why::Caption]);
    }

    #[test]
    fn a_heading_that_ends_the_article_takes_the_rest_with_it() {
        let sorted = sort(&format!(
            "Title here\n{PROSE}\nShare this article\n{PROSE}\nRelated articles\nAnother story entirely\nMore from The Gazette\n"
        ));
        assert_eq!(kept(&sorted), [PROSE, PROSE]);
        assert_eq!(sorted.removed.len(), 4);
        assert_eq!(
            sorted.removed[2].why,
            Why::AfterEnd("Related articles".to_string())
        );
        assert_eq!(
            sorted.facts.publication.as_ref().map(|p| p.value.as_str()),
            Some("The Gazette")
        );
    }

    #[test]
    fn a_card_pointing_elsewhere_keeps_its_words_as_a_teaser() {
        let sorted = sort(&format!(
            "Title here\n{PROSE}\nThe full report\nIt has more on all of this.\nRead more\n"
        ));
        let roles: Vec<Role> = sorted.kept.iter().map(|k| k.role).collect();
        assert_eq!(roles, [Role::Text, Role::Teaser, Role::Text]);
    }

    #[test]
    fn a_list_of_the_headings_below_is_a_table_of_contents() {
        let sorted = sort(&format!(
            "Title here\n{PROSE}\nContents\n- Why it matters\n- What to do\nWhy it matters\n{PROSE}\nWhat to do\n{PROSE}\n"
        ));
        assert_eq!(
            kept(&sorted),
            [PROSE, "Why it matters", PROSE, "What to do", PROSE]
        );
        let whys: Vec<&Why> = sorted.removed.iter().map(|r| &r.why).collect();
        assert_eq!(
            whys,
            [
                &Why::Clutter(Clutter::Navigation),
                &Why::Contents,
                &Why::Contents
            ]
        );
    }

    #[test]
    fn footnote_markers_are_taken_out_and_reported() {
        let sorted = sort(&format!(
            "Title here\n{PROSE}\nIt was ‘slipping away’.1 Then 2.1 per cent, £14, Covid-19.\n"
        ));
        assert_eq!(
            kept(&sorted)[1],
            "It was ‘slipping away’. Then 2.1 per cent, £14, Covid-19."
        );
        assert_eq!(sorted.edits.len(), 1);
        assert_eq!(sorted.edits[0].removed, "1");
    }

    #[test]
    fn a_page_without_a_title_or_prose_is_no_article() {
        let error = classify(
            "p.txt",
            text::blocks(&format!("{PROSE}\n")),
            Headline::FromLines,
        )
        .expect_err("no title");
        assert!(
            error.to_string().contains("no heading-like line"),
            "{error}"
        );
        let error = classify(
            "p.txt",
            text::blocks("Home\nLatest news\nSign in\nShare\n"),
            Headline::FromLines,
        )
        .expect_err("no prose");
        assert!(
            error.to_string().contains("no recognisable article"),
            "{error}"
        );
    }

    #[test]
    fn headings_and_prose_are_told_apart() {
        let line = |text: &str| Block {
            line: None,
            text: text.to_string(),
            markdown: None,
            shape: Shape::Line,
        };
        assert!(is_heading_like(&line("Liz Bruce on…"), HEADING_WORDS));
        assert!(is_heading_like(&line("What can be done?"), HEADING_WORDS));
        assert!(!is_heading_like(
            &line("It’s all about people."),
            HEADING_WORDS
        ));
        assert!(!is_heading_like(
            &line("some lower-case words"),
            HEADING_WORDS
        ));
        assert!(is_prose(&line("It’s all about people.")));
        assert!(!is_prose(&line("What can be done?")));
        assert!(!is_prose(&line("Leading with purpose")));
    }
}
