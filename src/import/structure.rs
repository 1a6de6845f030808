//! Structure: takes the blocks kept as the author's and gives the article's
//! parts: headings, paragraphs, lists, pull quotes (a passage the page
//! repeats), question-and-answer pairs (a short prompt ending in `…` or `?`,
//! then its answer, two pairs or more in a row), the byline kept in italics
//! and the heading of a card pointing elsewhere kept in bold.

use super::block::{Block, Marker, Shape};
use super::classify::{Kept, Role, is_heading_like};
use super::html::plain;
use super::words::{normal, words};

/// One part of the article, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Heading(u8, Block),
    Paragraph(Block),
    Byline(Block),
    Teaser(Block),
    List(Vec<Block>),
    /// A passage the page repeats for effect.
    PullQuote(Block),
    Quote(Block),
    Pairs(Vec<Pair>),
    Verbatim(Block),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub(crate) line: Option<usize>,
    pub(crate) prompt: String,
    pub(crate) answer: String,
}

/// A heading has at most this many words.
const HEADING_WORDS: usize = 14;
/// A question-and-answer prompt has at most this many words.
const PROMPT_WORDS: usize = 12;
/// A pull quote repeats at least this many words.
const PULL_QUOTE_WORDS: usize = 8;
/// How many blocks away from its passage a pull quote may stand.
const PULL_QUOTE_REACH: usize = 12;

pub(crate) fn structure(kept: &[Kept]) -> Vec<Part> {
    let repeated = repeated_passages(kept);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < kept.len() {
        let block = &kept[i].block;
        if let Some((pairs, used)) = pairs_from(&kept[i..]) {
            parts.push(Part::Pairs(pairs));
            i += used;
            continue;
        }
        if let Shape::Item(_) = block.shape {
            let items: Vec<Block> = kept[i..]
                .iter()
                .take_while(|k| same_list(&k.block, block))
                .map(|k| k.block.clone())
                .collect();
            i += items.len();
            parts.push(Part::List(items));
            continue;
        }
        let part = match (kept[i].role, &block.shape) {
            (Role::Byline, _) => Part::Byline(block.clone()),
            (Role::Teaser, _) => Part::Teaser(block.clone()),
            (_, Shape::Heading(level)) => Part::Heading((*level).clamp(2, 6), block.clone()),
            (_, Shape::Verbatim) => Part::Verbatim(block.clone()),
            _ if repeated[i] => Part::PullQuote(block.clone()),
            (_, Shape::Quote) => Part::Quote(block.clone()),
            (_, Shape::Line) if is_heading_like(block, HEADING_WORDS) && i + 1 < kept.len() => {
                Part::Heading(2, block.clone())
            }
            _ => Part::Paragraph(block.clone()),
        };
        parts.push(part);
        i += 1;
    }
    parts
}

/// Items of one list: both bulleted, or both numbered.
fn same_list(item: &Block, first: &Block) -> bool {
    matches!(
        (&item.shape, &first.shape),
        (Shape::Item(Marker::Bullet), Shape::Item(Marker::Bullet))
            | (
                Shape::Item(Marker::Number(_)),
                Shape::Item(Marker::Number(_))
            )
    )
}

/// For each kept block, whether it repeats a passage of another block: a
/// pull quote. Words are compared, not punctuation, since pages restyle
/// the quotation marks of what they pull out.
fn repeated_passages(kept: &[Kept]) -> Vec<bool> {
    let normals: Vec<String> = kept
        .iter()
        .map(|k| format!(" {} ", normal(&k.block.text)))
        .collect();
    kept.iter()
        .enumerate()
        .map(|(i, k)| {
            let quotable = matches!(k.block.shape, Shape::Line | Shape::Paragraph | Shape::Quote)
                && k.role == Role::Text
                && words(&k.block.text).len() >= PULL_QUOTE_WORDS;
            // A page pulls a quote from near where it stands: looking a few
            // blocks either way keeps a long page's import linear.
            let near =
                i.saturating_sub(PULL_QUOTE_REACH)..(i + PULL_QUOTE_REACH + 1).min(kept.len());
            quotable
                && near.into_iter().any(|j| {
                    j != i
                        && normals[j].len() > normals[i].len()
                        && normals[j].contains(&normals[i])
                })
        })
        .collect()
}

/// Two or more question-and-answer pairs at the start of `kept`: the pairs
/// and how many blocks they took.
fn pairs_from(kept: &[Kept]) -> Option<(Vec<Pair>, usize)> {
    let mut pairs = Vec::new();
    let mut used = 0;
    while let Some((pair, took)) = pair_at(&kept[used..]) {
        pairs.push(pair);
        used += took;
    }
    (pairs.len() >= 2).then_some((pairs, used))
}

/// One pair: a line that is a prompt and its answer run together
/// (`A leader must be…visionary`), or a short question and the line after.
fn pair_at(kept: &[Kept]) -> Option<(Pair, usize)> {
    let first = kept.first()?;
    if first.role != Role::Text || !matches!(first.block.shape, Shape::Line | Shape::Paragraph) {
        return None;
    }
    let text = first.block.text.as_str();
    if let Some((prompt, answer)) = first.block.markdown.as_deref().and_then(bold_prompt) {
        return Some((
            Pair {
                line: first.block.line,
                prompt,
                answer,
            },
            1,
        ));
    }
    if let Some((prompt, answer)) = split_prompt(text) {
        return Some((
            Pair {
                line: first.block.line,
                prompt: prompt.to_string(),
                answer: answer.to_string(),
            },
            1,
        ));
    }
    let answer = kept.get(1)?;
    let is_question = text.ends_with('?') && (1..=PROMPT_WORDS).contains(&words(text).len());
    let answers = answer.role == Role::Text
        && matches!(answer.block.shape, Shape::Line | Shape::Paragraph)
        && !answer.block.text.ends_with('?')
        && split_prompt(&answer.block.text).is_none();
    (is_question && answers).then(|| {
        (
            Pair {
                line: first.block.line,
                prompt: text.to_string(),
                answer: answer.block.text.clone(),
            },
            2,
        )
    })
}

/// `**Why move?** Because…`: a page's bold lead-in that asks (ends in `?` or
/// `…`), then the answer in the same paragraph.
fn bold_prompt(markdown: &str) -> Option<(String, String)> {
    let rest = markdown.strip_prefix("**")?;
    let end = rest.find("**")?;
    let prompt = plain(&rest[..end]);
    let answer = plain(&rest[end + 2..]);
    let asks = prompt.ends_with(['?', '…']) || prompt.ends_with("...");
    (asks && (1..=PROMPT_WORDS).contains(&words(&prompt).len()) && !words(&answer).is_empty())
        .then_some((prompt, answer))
}

/// `A social care leader must be…visionary, forward thinking` → the prompt up
/// to its ellipsis, and the answer after it.
pub(crate) fn split_prompt(text: &str) -> Option<(&str, &str)> {
    let (at, mark) = match (text.find('…'), text.find("...")) {
        (Some(a), Some(b)) if b < a => (b, "..."),
        (Some(a), _) => (a, "…"),
        (None, Some(b)) => (b, "..."),
        (None, None) => return None,
    };
    let prompt = &text[..at + mark.len()];
    let answer = text[at + mark.len()..].trim();
    let prompt_words = words(prompt).len();
    let starts_quoted = prompt.starts_with(['“', '"', '‘', '\'']);
    ((2..=PROMPT_WORDS).contains(&prompt_words) && !words(answer).is_empty() && !starts_quoted)
        .then_some((prompt, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(lines: &[&str]) -> Vec<Kept> {
        crate::import::text::blocks(&lines.join("\n"))
            .into_iter()
            .map(|block| Kept {
                block,
                role: Role::Text,
            })
            .collect()
    }

    fn names(parts: &[Part]) -> Vec<&'static str> {
        parts
            .iter()
            .map(|p| match p {
                Part::Heading(..) => "heading",
                Part::Paragraph(_) => "paragraph",
                Part::Byline(_) => "byline",
                Part::Teaser(_) => "teaser",
                Part::List(_) => "list",
                Part::PullQuote(_) => "pull quote",
                Part::Quote(_) => "quote",
                Part::Pairs(_) => "pairs",
                Part::Verbatim(_) => "verbatim",
            })
            .collect()
    }

    #[test]
    fn headings_lists_and_paragraphs() {
        let parts = structure(&kept(&[
            "Leading with purpose",
            "It is all about people.",
            "• One",
            "• Two",
            "1. Three",
            "A closing line without a stop",
        ]));
        assert_eq!(
            names(&parts),
            ["heading", "paragraph", "list", "list", "paragraph"]
        );
    }

    #[test]
    fn prompts_with_ellipses_become_pairs() {
        let parts = structure(&kept(&[
            "Liz Bruce on…",
            "A social care leader must be…visionary and collaborative.",
            "The government could make my job easier by… removing barriers.",
            "That is all.",
        ]));
        assert_eq!(names(&parts), ["heading", "pairs", "paragraph"]);
        let Part::Pairs(pairs) = &parts[1] else {
            panic!()
        };
        assert_eq!(
            pairs[1].prompt,
            "The government could make my job easier by…"
        );
        assert_eq!(pairs[1].answer, "removing barriers.");
    }

    #[test]
    fn questions_and_answers_become_pairs_only_two_in_a_row() {
        let parts = structure(&kept(&[
            "What keeps you awake?",
            "The budget, mostly.",
            "Who inspires you?",
            "My first manager.",
        ]));
        assert_eq!(names(&parts), ["pairs"]);
        let parts = structure(&kept(&[
            "What can be done?",
            "Councils could pool budgets.",
            "Then more.",
        ]));
        assert_eq!(names(&parts), ["heading", "paragraph", "paragraph"]);
    }

    #[test]
    fn bold_questions_in_html_paragraphs_become_pairs() {
        let block = |markdown: &str| Kept {
            block: Block {
                line: None,
                text: plain(markdown),
                markdown: Some(markdown.to_string()),
                shape: Shape::Paragraph,
            },
            role: Role::Text,
        };
        let parts = structure(&[
            block("**Why move?**  Because I could."),
            block("**What changed?** I hear *more*."),
            block("**Bold** but not asking."),
        ]);
        assert_eq!(names(&parts), ["pairs", "paragraph"]);
        let Part::Pairs(pairs) = &parts[0] else {
            panic!()
        };
        assert_eq!(pairs[1].prompt, "What changed?");
        assert_eq!(pairs[1].answer, "I hear more.");
    }

    #[test]
    fn a_repeated_passage_is_a_pull_quote() {
        let parts = structure(&kept(&[
            "We asked people who should know where leadership lies. But too often its coat tails seemed to disappear.",
            "'But too often its coat tails seemed to disappear.'",
            "Something else entirely, said once and not repeated anywhere at all.",
        ]));
        assert_eq!(names(&parts), ["paragraph", "pull quote", "paragraph"]);
    }

    #[test]
    fn an_ellipsis_in_a_sentence_is_not_a_prompt() {
        let parts = structure(&kept(&[
            "He paused… and then went on.",
            "Another plain sentence.",
        ]));
        assert_eq!(names(&parts), ["paragraph", "paragraph"]);
        assert_eq!(split_prompt("“Well… perhaps,” she said."), None);
        assert_eq!(split_prompt("Well…"), None);
        assert_eq!(split_prompt("I am… tired"), Some(("I am…", "tired")));
    }
}
