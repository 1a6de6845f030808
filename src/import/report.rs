//! Report: takes everything an import found and gives the text written to
//! standard error: what was recognised (title, facts, kind, themes, tags,
//! headings, lists, quotes, question-and-answer pairs), the names that may be
//! entities, and every line removed, with why, so that an editor can check
//! that nothing the author wrote was lost.

use std::fmt::Write as _;
use std::path::Path;

use super::block::Block;
use super::classify::Sorted;
use super::facts::{Facts, Stated};
use super::source::Format;
use super::structure::Part;
use super::suggest::Suggestions;
use super::words::normal;

pub(crate) struct Findings<'a> {
    pub(crate) shown: &'a str,
    pub(crate) format: Format,
    pub(crate) sorted: &'a Sorted,
    pub(crate) facts: &'a Facts,
    pub(crate) parts: &'a [Part],
    pub(crate) suggestions: &'a Suggestions,
    pub(crate) dropped: &'a [String],
    pub(crate) left_out: &'a [Block],
    pub(crate) written: Option<&'a Path>,
    pub(crate) slug: &'a str,
}

/// The lines of an HTML page's text that are neither in the draft nor
/// already reported as removed: what readability left outside the article.
pub(crate) fn left_out(page_lines: &[Block], sorted: &Sorted) -> Vec<Block> {
    let mut kept = format!(" {} ", normal(&sorted.title.value));
    for k in &sorted.kept {
        kept.push_str(&normal(&k.block.text));
        kept.push(' ');
    }
    let removed: Vec<String> = sorted
        .removed
        .iter()
        .map(|r| normal(&r.block.text))
        .collect();
    page_lines
        .iter()
        .filter(|line| {
            let words = normal(&line.text);
            !words.is_empty() && !kept.contains(&format!(" {words} ")) && !removed.contains(&words)
        })
        .cloned()
        .collect()
}

pub(crate) fn report(f: &Findings) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "import: {} ({})", f.shown, f.format.label());
    let _ = writeln!(out, "title: {}", stated(&f.sorted.title, |t| t.clone()));
    if let Some(kicker) = &f.sorted.kicker {
        let _ = writeln!(out, "section label: {kicker}");
    }
    let _ = writeln!(
        out,
        "date: {}",
        f.facts
            .date
            .as_ref()
            .map_or_else(not_stated, |d| stated(d, ToString::to_string))
    );
    if let Some(updated) = &f.facts.updated {
        let used = if f.facts.date.is_some() {
            ""
        } else {
            " (not used: no first publication date)"
        };
        let _ = writeln!(
            out,
            "updated: {}{used}",
            stated(updated, ToString::to_string)
        );
    }
    let _ = writeln!(
        out,
        "authors: {}",
        f.facts.authors.as_ref().map_or_else(
            || "none named in a byline".to_string(),
            |a| stated(a, |v| v.join(", "))
        )
    );
    let _ = writeln!(
        out,
        "publication: {}",
        f.facts.publication.as_ref().map_or_else(
            || "not named by the page".to_string(),
            |p| stated(p, Clone::clone)
        )
    );
    if let Some(url) = &f.facts.url {
        let _ = writeln!(out, "source url: {}", stated(url, Clone::clone));
    }
    let kind = &f.suggestions.kind;
    let _ = writeln!(out, "kind: {} ({})", kind.kind.name(), kind.why);
    let _ = writeln!(out, "themes (suggested):");
    for theme in &f.suggestions.themes {
        let _ = writeln!(
            out,
            "  {}: shares {}",
            theme.slug,
            theme
                .shared
                .iter()
                .take(6)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if f.suggestions.tags.is_empty() {
        let _ = writeln!(
            out,
            "tags (suggested): none of the site's tags is in the text"
        );
    } else {
        let tags: Vec<String> = f
            .suggestions
            .tags
            .iter()
            .map(|t| format!("{} ({}×)", t.tag, t.uses))
            .collect();
        let _ = writeln!(
            out,
            "tags (suggested, the site's tags the text uses): {}",
            tags.join(", ")
        );
    }
    structure(&mut out, f.parts);
    if f.suggestions.candidates.is_empty() {
        let _ = writeln!(
            out,
            "entity candidates: none (every name found is in content/entities.yaml)"
        );
    } else {
        let _ = writeln!(
            out,
            "entity candidates (names not in content/entities.yaml; the file was not changed):"
        );
        for c in &f.suggestions.candidates {
            let _ = writeln!(out, "  {} ({}×)", c.name, c.uses);
        }
    }
    removed(&mut out, f);
    match f.written {
        Some(path) => {
            let _ = writeln!(out, "wrote {} (draft: true)", path.display());
        }
        None => {
            let _ = writeln!(
                out,
                "printed the draft ({}.md) to standard output; nothing was written",
                f.slug
            );
        }
    }
    out
}

fn not_stated() -> String {
    "not stated".to_string()
}

fn stated<T>(fact: &Stated<T>, show: impl Fn(&T) -> String) -> String {
    match fact.evidence.line {
        Some(line) => format!(
            "{} (line {line}: {:?})",
            show(&fact.value),
            fact.evidence.said
        ),
        None => format!("{} ({:?})", show(&fact.value), fact.evidence.said),
    }
}

fn structure(out: &mut String, parts: &[Part]) {
    let count = |wanted: fn(&Part) -> bool| parts.iter().filter(|p| wanted(p)).count();
    let paragraphs = count(|p| matches!(p, Part::Paragraph(_)));
    let _ = writeln!(out, "structure: {paragraphs} paragraph(s), and:");
    for part in parts {
        let line = match part {
            Part::Heading(level, b) => format!("{}heading (level {level}): {}", b.at(), b.text),
            Part::List(items) => format!(
                "{}list of {} item(s), first: {:?}",
                items[0].at(),
                items.len(),
                items[0].text
            ),
            Part::PullQuote(b) => {
                format!("{}pull quote (the page repeats it): {:?}", b.at(), b.text)
            }
            Part::Quote(b) => format!("{}quote: {:?}", b.at(), b.text),
            Part::Pairs(pairs) => {
                let at = pairs[0]
                    .line
                    .map(|n| format!("line {n}: "))
                    .unwrap_or_default();
                let prompts: Vec<&str> = pairs.iter().map(|p| p.prompt.as_str()).collect();
                format!(
                    "{at}{} question-and-answer pair(s): {}",
                    pairs.len(),
                    prompts.join(" | ")
                )
            }
            Part::Byline(b) => format!("{}byline kept in italics: {:?}", b.at(), b.text),
            Part::Teaser(b) => format!(
                "{}heading of a card pointing elsewhere, kept in bold: {:?}",
                b.at(),
                b.text
            ),
            Part::Verbatim(b) => format!("{}table or code kept as it is", b.at()),
            Part::Paragraph(_) => continue,
        };
        let _ = writeln!(out, "  {line}");
    }
}

fn removed(out: &mut String, f: &Findings) {
    let listed = &f.sorted.removed;
    let _ = writeln!(out, "removed ({} line(s)):", listed.len());
    for r in listed {
        let _ = writeln!(
            out,
            "  {}{:?}: {}",
            r.block.at(),
            r.block.text,
            r.why.describe()
        );
    }
    for edit in &f.sorted.edits {
        let at = edit.line.map(|n| format!("line {n}: ")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {at}footnote marker {:?} after {:?} (its note is not in the page)",
            edit.removed, edit.after
        );
    }
    if !f.dropped.is_empty() {
        let _ = writeln!(out, "left out of the article's HTML ({}):", f.dropped.len());
        for d in f.dropped {
            let _ = writeln!(out, "  {d}");
        }
    }
    if !f.left_out.is_empty() {
        let _ = writeln!(
            out,
            "left out by readability, outside the article ({} line(s)):",
            f.left_out.len()
        );
        for b in f.left_out {
            let _ = writeln!(out, "  {}{:?}", b.at(), b.text);
        }
    }
}
