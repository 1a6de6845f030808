//! Draft: takes the title, the facts, the suggestions and the article's parts
//! and gives the text of the Markdown file: YAML front matter with
//! `draft: true`, each suggestion commented as one, then the body, with the
//! author's text escaped so that Markdown shows it as written.

use std::fmt::Write as _;

use super::block::Block;
use super::facts::{Facts, Stated};
use super::structure::{Pair, Part};
use super::suggest::Suggestions;

pub(crate) fn draft(
    title: &str,
    facts: &Facts,
    suggestions: &Suggestions,
    parts: &[Part],
) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", quoted(title));
    let kind = &suggestions.kind;
    field(&mut out, "kind", kind.kind.name(), &kind.why);
    if let Some(date) = &facts.date {
        stated(&mut out, "date", date, ToString::to_string, "stated");
        if let Some(updated) = &facts.updated {
            stated(&mut out, "updated", updated, ToString::to_string, "stated");
        }
    }
    if let Some(authors) = &facts.authors {
        let names = |names: &Vec<String>| format!("[{}]", list(names));
        stated(&mut out, "authors", authors, names, "from the byline");
    }
    if facts.publication.is_some() || facts.url.is_some() {
        out.push_str("source:\n");
        if let Some(publication) = &facts.publication {
            let named = "named by the page";
            stated(&mut out, "  publication", publication, |p| quoted(p), named);
        }
        if let Some(url) = &facts.url {
            stated(&mut out, "  url", url, |u| quoted(u), "stated");
        }
    }
    let themes: Vec<&str> = suggestions.themes.iter().map(|t| t.slug.as_str()).collect();
    let why = format!("suggested: {}", suggestions.themes_why());
    field(
        &mut out,
        "themes",
        &format!("[{}]", themes.join(", ")),
        &why,
    );
    if !suggestions.tags.is_empty() {
        let tags: Vec<String> = suggestions.tags.iter().map(|t| t.tag.clone()).collect();
        let why = "suggested: the site's tags that the text uses";
        field(&mut out, "tags", &format!("[{}]", list(&tags)), why);
    }
    let why = "imported by `tiller import`: read it against the source, then remove this line";
    field(&mut out, "draft", "true", why);
    out.push_str("---\n");
    for part in parts {
        out.push('\n');
        out.push_str(&body_part(part));
        out.push('\n');
    }
    out
}

/// `key: value  # comment`, the comment kept on its line.
fn field(out: &mut String, key: &str, value: &str, comment: &str) {
    let comment = comment.replace(['\n', '\r'], " ");
    let _ = writeln!(out, "{key}: {value}  # {comment}");
}

/// A stated fact, with where the page states it.
fn stated<T>(
    out: &mut String,
    key: &str,
    fact: &Stated<T>,
    show: impl Fn(&T) -> String,
    how: &str,
) {
    let comment = format!("{how}: {}", fact.evidence.describe());
    field(out, key, &show(&fact.value), &comment);
}

fn body_part(part: &Part) -> String {
    match part {
        Part::Heading(level, block) => {
            format!(
                "{} {}",
                "#".repeat(usize::from(*level)),
                heading_text(block)
            )
        }
        Part::Paragraph(block) => inline(block),
        Part::Byline(block) => format!("*{}*", inline(block)),
        Part::Teaser(block) => format!("**{}**", inline(block)),
        Part::List(items) => items
            .iter()
            .map(|item| match &item.shape {
                super::block::Shape::Item(super::block::Marker::Number(n)) => {
                    format!("{n}. {}", inline(item))
                }
                _ => format!("- {}", inline(item)),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Part::PullQuote(block) => format!("> [!pullquote]\n> {}", inline(block)),
        Part::Quote(block) => format!("> {}", inline(block)),
        Part::Pairs(pairs) => pairs
            .iter()
            .map(|Pair { prompt, answer, .. }| format!("{}\n: {}", escape(prompt), escape(answer)))
            .collect::<Vec<_>>()
            .join("\n\n"),
        Part::Verbatim(block) => block
            .markdown
            .clone()
            .unwrap_or_else(|| escape(&block.text)),
    }
}

/// A block's inline Markdown: what HTML gave, or its text escaped.
fn inline(block: &Block) -> String {
    block
        .markdown
        .clone()
        .unwrap_or_else(|| escape(&block.text))
}

/// A heading's text; a `{` that would start heading attributes is escaped.
fn heading_text(block: &Block) -> String {
    let text = inline(block);
    if text.trim_end().ends_with('}') {
        text.replacen('{', "\\{", 1)
    } else {
        text
    }
}

/// `text` as Markdown that shows it as written: characters that would start
/// emphasis, code, links, HTML or entities are escaped, and so are line starts
/// that would make a heading, quote, list, definition or rule. Only what
/// needs it is escaped, so the draft stays readable.
pub(crate) fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let start_escape = line_start_escape(text);
    for (i, &c) in chars.iter().enumerate() {
        if start_escape == Some(i) && !matches!(c, '*' | '_' | '`' | '~') {
            out.push('\\');
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let needs = match c {
            '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
            '`' | '*' | '~' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '[' => next.is_some_and(|n| matches!(n, '^' | '!')) || closes_as_link(&chars[i..]),
            '&' => starts_entity(&chars[i + 1..]),
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Where a line's first characters need a backslash so as not to make a
/// heading, quote, list, definition, table or rule: `# `, `> `, `- `, `+ `,
/// `: `, `|`, `1. ` (before its dot), or a line of `-`, `*`, `_` or `=`.
fn line_start_escape(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let second = chars.next();
    let only_rule = text
        .chars()
        .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '));
    if only_rule
        || matches!(first, '#' | '>' | ':' | '|')
        || matches!(first, '-' | '+') && matches!(second, Some(' ') | None)
    {
        return Some(0);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = &text[digits..];
    let numbered =
        after.starts_with(". ") || after.starts_with(") ") || after == "." || after == ")";
    ((1..=9).contains(&digits) && numbered).then_some(digits)
}

/// Whether `[` (at the start of `chars`) has a `]` after it followed by `(`,
/// `[` or `:`: a link, a reference or a definition.
fn closes_as_link(chars: &[char]) -> bool {
    chars
        .iter()
        .position(|&c| c == ']')
        .and_then(|at| chars.get(at + 1))
        .is_some_and(|c| matches!(c, '(' | '[' | ':'))
}

/// `&amp;`, `&#38;`: an entity Markdown would decode.
fn starts_entity(chars: &[char]) -> bool {
    let name: Vec<char> = chars
        .iter()
        .copied()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && chars.get(name.len()) == Some(&';')
}

/// A YAML double-quoted string.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| quoted(i))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_only_where_markdown_would_read_it() {
        assert_eq!(escape("It’s all about people."), "It’s all about people.");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("- not an item"), "\\- not an item");
        // CommonMark starts an ordered list at any number of up to nine digits.
        assert_eq!(escape("2014. A year"), "2014\\. A year");
        assert_eq!(escape("1. Not a list"), "1\\. Not a list");
        assert_eq!(escape(": not a definition"), "\\: not a definition");
        assert_eq!(escape("---"), "\\---");
        assert_eq!(escape("a *b* c_d _e_"), "a \\*b\\* c_d \\_e\\_");
        assert_eq!(escape("<b>bold</b> & 2 < 3"), "\\<b>bold\\</b> & 2 < 3");
        assert_eq!(escape("&amp; stays text"), "\\&amp; stays text");
        assert_eq!(escape("CIPFA [family] group"), "CIPFA [family] group");
        assert_eq!(escape("[a link](x) and [^1]"), "\\[a link](x) and \\[^1]");
        assert_eq!(escape("`code` ~strike~"), "\\`code\\` \\~strike\\~");
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(quoted(r#"A "b" \ c"#), r#""A \"b\" \\ c""#);
    }
}
