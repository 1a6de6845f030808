//! Suggest: takes the article's parts, title and cues and the site (its
//! leadership themes, its tags, its entities) and gives what an editor must
//! still decide, each with its reason: the likeliest kind, the themes whose
//! titles and descriptions share the most telling words with the text, the
//! site's existing tags the text uses, and names that look like people or
//! organisations but are not in `content/entities.yaml`.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::parse::entities::Entities;

use super::Kind;
use super::facts::is_name;
use super::structure::Part;
use super::words::{is_capitalised, normal, words};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KindChoice {
    pub(crate) kind: Kind,
    pub(crate) why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ThemeChoice {
    pub(crate) slug: String,
    /// The text's words that the theme's title and description share, most
    /// telling first.
    pub(crate) shared: Vec<String>,
    pub(crate) score: f64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagChoice {
    pub(crate) tag: String,
    pub(crate) uses: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) name: String,
    pub(crate) uses: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suggestions {
    pub(crate) kind: KindChoice,
    pub(crate) themes: Vec<ThemeChoice>,
    pub(crate) tags: Vec<TagChoice>,
    pub(crate) candidates: Vec<Candidate>,
}

impl Suggestions {
    /// The reason for the themes, for the draft's comment.
    pub(crate) fn themes_why(&self) -> String {
        let reasons: Vec<String> = self
            .themes
            .iter()
            .map(|t| {
                format!(
                    "{} ({})",
                    t.slug,
                    t.shared
                        .iter()
                        .take(4)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        format!(
            "their descriptions share these words with the text: {}",
            reasons.join("; ")
        )
    }
}

/// What the site gives the suggestions.
pub(crate) struct SiteWords<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tags: &'a [String],
    pub(crate) entities: &'a Entities,
}

/// Cues about the article besides its text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cues {
    pub(crate) given: Option<Kind>,
    /// A section label above the title ("Blog").
    pub(crate) kicker: Option<String>,
    /// What the page says its type is (schema.org's `BlogPosting`), or its
    /// address's folders (`/blog/`).
    pub(crate) page_type: Option<String>,
    /// A byline that says more than names ("A guest briefing by …").
    pub(crate) byline: Option<String>,
}

pub(crate) fn suggest(title: &str, parts: &[Part], cues: &Cues, site: &SiteWords) -> Suggestions {
    let text = body_text(parts);
    Suggestions {
        kind: kind(title, parts, &text, cues),
        themes: themes(title, &text, site.config),
        tags: tags(&text, site.tags),
        candidates: candidates(parts, site.entities),
    }
}

fn body_text(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Heading(_, b)
            | Part::Paragraph(b)
            | Part::Byline(b)
            | Part::Teaser(b)
            | Part::Quote(b)
            | Part::Verbatim(b) => out.push_str(&b.text),
            // Said once already: counting it twice would weigh its words double.
            Part::PullQuote(_) => {}
            Part::List(items) => {
                for item in items {
                    out.push_str(&item.text);
                    out.push('\n');
                }
            }
            Part::Pairs(pairs) => {
                for pair in pairs {
                    out.push_str(&pair.prompt);
                    out.push(' ');
                    out.push_str(&pair.answer);
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Words that name a kind, as section labels, bylines and titles use them.
#[rustfmt::skip]
const KIND_WORDS: &[(&str, Kind)] = &[
    ("interview", Kind::Interview), ("q&a", Kind::Interview), ("qa", Kind::Interview),
    ("briefing", Kind::Briefing), ("explainer", Kind::Briefing),
    ("guidance", Kind::Guidance), ("guide", Kind::Guidance),
    ("blog", Kind::Blog), ("blogposting", Kind::Blog), ("opinion", Kind::Blog),
    ("column", Kind::Blog), ("comment", Kind::Blog),
    ("report", Kind::Report), ("research", Kind::Report),
];

pub(crate) fn kind_named(text: &str) -> Option<(Kind, String)> {
    let lower = text.to_lowercase();
    let found = words(&lower);
    KIND_WORDS.iter().find_map(|&(word, kind)| {
        (found.iter().any(|w| w == word) || word.contains('&') && lower.contains(word))
            .then(|| (kind, word.to_string()))
    })
}

/// The likeliest kind, from the strongest cue found: what the editor said,
/// what the page calls itself, then what the text does.
fn kind(title: &str, parts: &[Part], text: &str, cues: &Cues) -> KindChoice {
    let choice = |kind: Kind, why: String| KindChoice { kind, why };
    if let Some(kind) = cues.given {
        return choice(kind, "given with --kind".to_string());
    }
    if let Some((kind, word)) = cues.kicker.as_deref().and_then(kind_named) {
        return choice(
            kind,
            format!("suggested: the page labels it {word:?} above the title"),
        );
    }
    if let Some((kind, word)) = cues.page_type.as_deref().and_then(kind_named) {
        return choice(kind, format!("suggested: the page says it is a {word:?}"));
    }
    if let Some((kind, word)) = cues.byline.as_deref().and_then(kind_named) {
        return choice(kind, format!("suggested: the byline calls it a {word:?}"));
    }
    if let Some((kind, word)) = kind_named(title).filter(|(k, _)| *k != Kind::Blog) {
        return choice(kind, format!("suggested: the title says {word:?}"));
    }
    let pairs: usize = parts
        .iter()
        .map(|p| match p {
            Part::Pairs(pairs) => pairs.len(),
            _ => 0,
        })
        .sum();
    let speech = quoted_speech(parts);
    if pairs >= 3 || pairs + speech >= 4 {
        return choice(
            Kind::Interview,
            format!(
                "suggested: {pairs} question-and-answer pair(s) and {speech} passage(s) of quoted speech"
            ),
        );
    }
    let all = words(text);
    let count = |wanted: &[&str]| all.iter().filter(|w| wanted.contains(&w.as_str())).count();
    let guidance = count(&["guidance", "statutory"]);
    let second_person = count(&["you", "your", "yourself"]);
    if guidance >= 1 && second_person * 100 >= all.len() {
        return choice(
            Kind::Guidance,
            format!(
                "suggested: it speaks of guidance or statutory duties ({guidance} time(s)) and addresses the reader as \"you\" ({second_person} times)"
            ),
        );
    }
    let first_person = count(&["i", "my", "me"]);
    if first_person >= 3 {
        return choice(
            Kind::Blog,
            format!(
                "suggested: written in the first person ({first_person} times \"I\", \"my\" or \"me\")"
            ),
        );
    }
    if count(&["report"]) >= 2 {
        return choice(
            Kind::Report,
            "suggested: it speaks of a report more than once".to_string(),
        );
    }
    choice(
        Kind::Blog,
        "suggested: no stronger cue was found; change it if it is not a blog post".to_string(),
    )
}

/// Paragraphs that quote someone speaking: an opening quotation mark and a
/// verb of speech (says, said, adds…).
fn quoted_speech(parts: &[Part]) -> usize {
    const VERBS: &[&str] = &[
        "says",
        "said",
        "adds",
        "added",
        "explains",
        "explained",
        "laughs",
        "recalls",
        "points",
        "told",
        "tells",
    ];
    parts
        .iter()
        .filter(|p| match p {
            Part::Paragraph(b) => {
                b.text.contains(['“', '"'])
                    && words(&b.text).iter().any(|w| VERBS.contains(&w.as_str()))
            }
            _ => false,
        })
        .count()
}

/// Words too common to tell one theme from another.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "best", "between", "both", "but", "by", "can", "could", "do", "does",
    "each", "for", "from", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
    "lies", "more", "most", "not", "of", "on", "one", "or", "other", "our", "out", "over",
    "piece", "pieces", "rather", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "under", "up", "us",
    "was", "way", "we", "were", "what", "when", "where", "which", "while", "who", "whose",
    "will", "with", "would", "you", "your", "discuss", "describe", "include", "found",
];

/// A word's stem, crudely: plurals and a few endings off, so "caseloads" and
/// "caseload", "workers" and "worker" count as one.
fn stem(word: &str) -> String {
    let word = word.trim_end_matches("'s");
    for ending in ["ing", "ies", "es", "s"] {
        if word.len() > ending.len() + 3 && word.ends_with(ending) && !word.ends_with("ss") {
            let base = &word[..word.len() - ending.len()];
            return if ending == "ies" {
                format!("{base}y")
            } else {
                base.to_string()
            };
        }
    }
    word.to_string()
}

/// The words of `text` that may tell one theme from another.
fn telling_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| {
            w.len() > 2
                && !STOP_WORDS.contains(&w.as_str())
                && !w.bytes().all(|b| b.is_ascii_digit())
        })
        .collect()
}

fn telling_stems(text: &str) -> Vec<String> {
    telling_words(text).iter().map(|w| stem(w)).collect()
}

/// The most themes suggested, and how close to the best a theme's score
/// must come to be suggested beside it.
const MOST_THEMES: usize = 4;
const NEAR_THE_BEST: f64 = 0.5;

/// Themes scored by the words their title (twice) and description share with
/// the text: a word counts by how often the text uses it (dampened) and by
/// how few themes name it, so "care", in every theme, tells nothing.
fn themes(title: &str, text: &str, config: &Config) -> Vec<ThemeChoice> {
    let terms = &config.themes.terms;
    let mut counts: HashMap<String, usize> = HashMap::new();
    // Each stem is shown as the text first wrote it.
    let mut written: HashMap<String, String> = HashMap::new();
    for word in telling_words(&format!("{title}\n{text}")) {
        let stem = stem(&word);
        written.entry(stem.clone()).or_insert(word);
        *counts.entry(stem).or_default() += 1;
    }
    let vocabularies: Vec<HashMap<String, f64>> = terms
        .iter()
        .map(|t| {
            let mut weights = HashMap::new();
            for s in telling_stems(&t.description) {
                weights.entry(s).or_insert(1.0);
            }
            for s in telling_stems(&t.title) {
                weights.insert(s, 2.0);
            }
            weights
        })
        .collect();
    let themes_naming = |stem: &str| vocabularies.iter().filter(|v| v.contains_key(stem)).count();
    let mut scored: Vec<ThemeChoice> = terms
        .iter()
        .zip(&vocabularies)
        .map(|(term, vocabulary)| {
            let mut shared: Vec<(String, f64)> = vocabulary
                .iter()
                .filter_map(|(stem, weight)| {
                    let uses = *counts.get(stem)?;
                    let rarity = (terms.len() as f64 / themes_naming(stem) as f64).ln();
                    let value = weight * rarity * (1.0 + (uses as f64).ln());
                    (value > 0.0).then(|| (stem.clone(), value))
                })
                .collect();
            shared.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let score = shared.iter().map(|(_, v)| v).sum::<f64>()
                / (vocabulary.len() as f64).sqrt().max(1.0);
            ThemeChoice {
                slug: term.slug.clone(),
                shared: shared
                    .into_iter()
                    .map(|(s, _)| written.get(&s).cloned().unwrap_or(s))
                    .collect(),
                score,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let best = scored.first().map_or(0.0, |t| t.score);
    scored
        .into_iter()
        .enumerate()
        .take_while(|(i, t)| *i == 0 || t.score >= best * NEAR_THE_BEST && t.score > 0.0)
        .map(|(_, t)| t)
        .take(MOST_THEMES)
        .collect()
}

/// The most tags suggested.
const MOST_TAGS: usize = 8;

/// The site's tags the text uses, as whole words, most used first.
fn tags(text: &str, site_tags: &[String]) -> Vec<TagChoice> {
    let padded = format!(" {} ", normal(text));
    let mut found: Vec<TagChoice> = site_tags
        .iter()
        .filter_map(|tag| {
            let wanted = normal(tag);
            if wanted.is_empty() {
                return None;
            }
            let uses = padded.matches(&format!(" {wanted} ")).count();
            (uses > 0).then(|| TagChoice {
                tag: tag.clone(),
                uses,
            })
        })
        .collect();
    found.sort_by(|a, b| b.uses.cmp(&a.uses).then_with(|| a.tag.cmp(&b.tag)));
    found.truncate(MOST_TAGS);
    found
}

/// Words that start sentences and headings and are not names.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "How", "I",
    "If", "In", "It", "Its", "My", "No", "Of", "On", "Or", "Our", "She", "So", "That", "The",
    "Their", "There", "These", "They", "This", "Those", "To", "We", "What", "When", "Where",
    "While", "Who", "Why", "With", "You", "Your", "Yet", "Since", "After", "Before", "Although",
    "However", "Many", "Some", "Every", "Each", "All", "Both", "Even", "Only", "Then", "Now",
    "Here", "Like", "Unless", "Until", "Whether", "Which", "Do", "Does", "Is", "Are", "Can",
    "Could", "Should", "Would", "Will", "Have", "Has", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];

/// The most candidates listed.
const MOST_CANDIDATES: usize = 30;

/// Runs of two or more capitalised words (with "of", "and", "for", "the"
/// between them) and abbreviations in capitals, that no entity's name, alias
/// or abbreviation covers.
fn candidates(parts: &[Part], entities: &Entities) -> Vec<Candidate> {
    let mut order: Vec<String> = Vec::new();
    let mut uses: HashMap<String, usize> = HashMap::new();
    let mut known: HashSet<(usize, usize)> = HashSet::new();
    for part in parts {
        let texts: Vec<&str> = match part {
            Part::Paragraph(b) | Part::Quote(b) | Part::Byline(b) | Part::Teaser(b) => {
                vec![b.text.as_str()]
            }
            Part::List(items) => items.iter().map(|b| b.text.as_str()).collect(),
            Part::Pairs(pairs) => pairs.iter().map(|p| p.answer.as_str()).collect(),
            _ => Vec::new(),
        };
        for text in texts {
            known.clear();
            for found in entities.find(text) {
                known.insert((found.start, found.end));
            }
            for (start, end) in name_runs(text) {
                let covered = known.iter().any(|&(s, e)| s < end && start < e);
                let name = &text[start..end];
                if covered {
                    continue;
                }
                if !uses.contains_key(name) {
                    order.push(name.to_string());
                }
                *uses.entry(name.to_string()).or_default() += 1;
            }
        }
    }
    order
        .into_iter()
        .take(MOST_CANDIDATES)
        .map(|name| Candidate {
            uses: uses[&name],
            name,
        })
        .collect()
}

/// Byte ranges of name-like runs in `text`.
fn name_runs(text: &str) -> Vec<(usize, usize)> {
    let lower_words: HashSet<String> = text
        .split_whitespace()
        .filter(|w| !is_capitalised(w))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    // Each word with its byte offset in `text` (a subslice's distance from
    // the start, so that any white space between words is measured right).
    let tokens: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|token| (token.as_ptr() as usize - text.as_ptr() as usize, token))
        .collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (start, raw) = tokens[i];
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let sentence_start = i == 0 || tokens[i - 1].1.ends_with(['.', '?', '!', ':', '“', '"']);
        if is_abbreviation(word) {
            let at = start + raw.find(word).unwrap_or(0);
            runs.push((at, at + word.len()));
            i += 1;
            continue;
        }
        // A sentence's first word that the text also writes in lower case
        // is a common word, not the start of a name.
        let common = sentence_start && lower_words.contains(&word.to_lowercase());
        if !is_capitalised(word) || NOT_NAMES.contains(&word) || word.is_empty() || common {
            i += 1;
            continue;
        }
        // Extend: capitalised words, with small words between them.
        let mut j = i + 1;
        let mut last = i;
        while j < tokens.len() {
            let previous_raw = tokens[j - 1].1;
            if previous_raw.ends_with([',', '.', ';', ':', ')', '?', '!']) {
                break;
            }
            let next = tokens[j].1.trim_matches(|c: char| !c.is_alphanumeric());
            if is_capitalised(next) && !NOT_NAMES.contains(&next) {
                last = j;
                j += 1;
            } else if ["of", "and", "for", "the", "&"].contains(&next) && j + 1 < tokens.len() {
                j += 1;
            } else {
                break;
            }
        }
        if last > i {
            let (end_start, end_raw) = tokens[last];
            let end_word = end_raw.trim_end_matches(|c: char| !c.is_alphanumeric());
            let begin = start + raw.find(word).unwrap_or(0);
            let candidate = &text[begin..end_start + end_word.len()];
            if candidate.split_whitespace().count() <= 6 || is_name(candidate) {
                runs.push((begin, end_start + end_word.len()));
            }
        }
        i = last + 1;
    }
    runs
}

/// Two to six capitals, perhaps with a trailing "s" (`NHS`, `OTs`).
fn is_abbreviation(word: &str) -> bool {
    let core = word.strip_suffix('s').unwrap_or(word);
    (2..=6).contains(&core.len()) && core.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_plural_and_singular() {
        assert_eq!(stem("caseloads"), "caseload");
        assert_eq!(stem("workers"), "worker");
        assert_eq!(stem("communities"), "community");
        assert_eq!(stem("business"), "business");
        assert_eq!(stem("care"), "care");
    }

    #[test]
    fn names_are_runs_of_capitalised_words() {
        let text = "All eyes will be on Liz Bruce as she leads Hammersmith and Fulham with the NHS. The council agreed.";
        let runs: Vec<&str> = name_runs(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(runs, ["Liz Bruce", "Hammersmith and Fulham", "NHS"]);
    }

    #[test]
    fn kinds_come_from_labels_before_text() {
        assert_eq!(kind_named("Blog").map(|k| k.0), Some(Kind::Blog));
        assert_eq!(
            kind_named("A guest briefing by Ann Lee").map(|k| k.0),
            Some(Kind::Briefing)
        );
        assert_eq!(
            kind_named("Q&A: the new director").map(|k| k.0),
            Some(Kind::Interview)
        );
        assert_eq!(kind_named("Leading with purpose"), None);
    }
}
