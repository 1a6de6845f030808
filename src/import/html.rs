//! HTML: takes a saved web page and gives the blocks of its article (found by
//! `dom_smoothie`'s port of readability, converted by `htmd` to Markdown and
//! read back as blocks), the headline, the facts the page's metadata states
//! (`article:published_time`, `<time datetime>`, author metadata and
//! `rel=author`, `og:site_name`, the canonical address), what the page says
//! its type is, and every line of the whole page's text, so that the report
//! can list what was left out.

use dom_query::Document;
use dom_smoothie::{Config, Readability};

use super::ImportError;
use super::block::{Block, Marker, Shape};
use super::facts::{self, Evidence, Facts, Stated};
use super::words::squeeze;
use crate::diagnostics::LineIndex;

pub(crate) struct HtmlPage {
    pub(crate) blocks: Vec<Block>,
    pub(crate) title: Stated<String>,
    pub(crate) facts: Facts,
    /// schema.org's type, or "blog" from the address's folders.
    pub(crate) page_type: Option<String>,
    /// The text of the whole page, block by block.
    pub(crate) page_lines: Vec<Block>,
    /// What the conversion dropped inside the article (images, relative links).
    pub(crate) dropped: Vec<String>,
}

/// Elements that hold no words of the article.
const NOT_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "video", "audio", "canvas", "form",
    "button", "input", "select", "textarea", "head",
];

/// Deeper nesting than this is no page an article was saved from, and the
/// parsers' and converter's recursion would take it to the stack's end.
const MOST_NESTING: usize = 1000;

pub(crate) fn read(shown: &str, html: &str) -> Result<HtmlPage, ImportError> {
    let lines = LineIndex::new(html);
    if let Some(at) = too_deep(html) {
        return Err(ImportError::input(
            shown,
            Some(lines.position(html, at)),
            format!(
                "the page nests its elements more than {MOST_NESTING} deep here; no article page does"
            ),
        ));
    }
    let document = Document::from(html);
    let line_of = |text: &str| line_in(html, &lines, text);

    let mut readability = Readability::new(html, None, Some(Config::default()))
        .map_err(|e| ImportError::input(shown, None, format!("no recognisable article: {e}")))?;
    let article = readability.parse().map_err(|e| {
        ImportError::input(
            shown,
            None,
            format!("no recognisable article: readability found no article text ({e})"),
        )
    })?;

    let mut facts = Facts::default();
    let published = article
        .published_time
        .as_deref()
        .and_then(facts::iso_date)
        .map(|date| Stated {
            value: date,
            evidence: Evidence {
                line: article.published_time.as_deref().and_then(line_of),
                said: format!(
                    "published time {}",
                    article.published_time.as_deref().unwrap_or_default()
                ),
            },
        });
    facts.date = published.or_else(|| time_element(&document, &line_of));
    facts.authors = article.byline.as_deref().and_then(|byline| {
        facts::byline_metadata(byline).map(|names| Stated {
            value: names,
            evidence: Evidence {
                line: line_of(byline),
                said: format!("byline {byline}"),
            },
        })
    });
    facts.publication = article
        .site_name
        .as_deref()
        .map(squeeze)
        .filter(|name| !name.is_empty())
        .map(|name| Stated {
            evidence: Evidence {
                line: line_of(&name),
                said: format!("site name {name}"),
            },
            value: name,
        });
    facts.url = canonical(&document).map(|url| Stated {
        evidence: Evidence {
            line: line_of(&url),
            said: format!("address {url}"),
        },
        value: url,
    });

    let title_text = headline(&document).unwrap_or_else(|| squeeze(&article.title));
    if title_text.is_empty() {
        return Err(ImportError::input(
            shown,
            None,
            "no recognisable article: the page has no headline (no <h1> and no <title>)",
        ));
    }
    let title = Stated {
        evidence: Evidence {
            line: line_of(&title_text),
            said: title_text.clone(),
        },
        value: title_text,
    };

    let mut dropped = Vec::new();
    let content = Document::from(article.content.to_string());
    for name in NOT_TEXT.iter().chain(&["img", "picture", "figure"]) {
        for node in content.select(name).nodes() {
            let words = squeeze(&node.text());
            let what = match *name {
                "img" => Some(format!(
                    "image {:?}",
                    node.attr("alt").map(|a| a.to_string()).unwrap_or_default()
                )),
                // An empty element (the <head> that parsing a fragment adds)
                // held nothing worth naming.
                _ if words.is_empty() => None,
                other => Some(format!("<{other}> {words:?}")),
            };
            dropped.extend(what);
            node.remove_from_parent();
        }
    }
    for node in content.select("a").nodes() {
        let href = node.attr("href").map(|h| h.to_string()).unwrap_or_default();
        if !(href.starts_with("https://") || href.starts_with("http://")) {
            if !href.is_empty() {
                dropped.push(format!(
                    "link to {href:?} (kept as text: not a full web address)"
                ));
            }
            node.replace_with_html(node.inner_html());
        }
    }
    let markdown = converter().convert(&content.html()).map_err(|e| {
        ImportError::input(
            shown,
            None,
            format!("cannot convert the article to Markdown: {e}"),
        )
    })?;
    let mut blocks = blocks(&markdown);
    for block in &mut blocks {
        block.line = line_of(&block.text);
    }

    for name in NOT_TEXT {
        document.select(name).remove();
    }
    let whole = document
        .body()
        .map(|body| converter().convert(&body.html()).unwrap_or_default())
        .unwrap_or_default();
    let mut page_lines = self::blocks(&whole);
    for block in &mut page_lines {
        block.line = line_of(&block.text);
    }

    Ok(HtmlPage {
        blocks,
        title,
        facts,
        page_type: page_type(&document, html),
        page_lines,
        dropped,
    })
}

/// Elements that close without an end tag: they never nest deeper.
#[rustfmt::skip]
const UNNESTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
    "option", "optgroup", "rp", "rt", "colgroup", "caption", "html", "head", "body", "!doctype",
];

/// Where the page's elements first nest more than `MOST_NESTING` deep, by a
/// quick count of start and end tags (comments, scripts and styles skipped).
fn too_deep(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &html[start + 1..];
        if rest.starts_with("!--") {
            at = rest
                .find("-->")
                .map_or(bytes.len(), |end| start + 1 + end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let tag_end = rest
            .find('>')
            .map_or(bytes.len(), |end| start + 1 + end + 1);
        if name.is_empty() || UNNESTED.contains(&name.as_str()) {
            at = tag_end.max(start + 1);
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !html[start..tag_end.min(html.len())].ends_with("/>") {
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                at = html[tag_end.min(html.len())..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map_or(bytes.len(), |end| tag_end + end);
                continue;
            }
            depth += 1;
            if depth > MOST_NESTING {
                return Some(start);
            }
        }
        at = tag_end.max(start + 1);
    }
    None
}

fn converter() -> htmd::HtmlToMarkdown {
    htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            heading_style: htmd::options::HeadingStyle::Atx,
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Default::default()
        })
        .skip_tags(NOT_TEXT.to_vec())
        .build()
}

/// The line of the page's source where `text` first stands, looked up by its
/// first words (markup between words defeats longer lookups).
fn line_in(html: &str, lines: &LineIndex, text: &str) -> Option<usize> {
    let probe: String = text
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    if probe.len() < 3 {
        return None;
    }
    // Where it stands as text: after a tag's end or a space, not inside a
    // word or an attribute's value.
    let mut from = 0;
    while let Some(found) = html[from..].find(&probe) {
        let at = from + found;
        let before = html[..at].chars().next_back();
        if before.is_none_or(|c| c == '>' || c.is_whitespace()) {
            return Some(lines.position(html, at).line);
        }
        from = at + probe.len();
    }
    None
}

/// The one `<h1>` of the page: the headline as readers see it.
fn headline(document: &Document) -> Option<String> {
    let h1 = document.select("h1");
    (h1.length() == 1)
        .then(|| squeeze(&h1.text()))
        .filter(|t| !t.is_empty())
}

/// The date of the page's `<time datetime>`: one inside the article, or else
/// the only one on the page. Several different dates and none marked as the
/// publication's are no stated date.
fn time_element(
    document: &Document,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Option<Stated<time::Date>> {
    for selector in [
        "time[itemprop=datePublished][datetime], time[pubdate][datetime]",
        "article time[datetime]",
        "main time[datetime]",
        "time[datetime]",
    ] {
        let found: Vec<(time::Date, String)> = document
            .select(selector)
            .nodes()
            .iter()
            .filter_map(|node| {
                let stamp = node.attr("datetime")?.to_string();
                facts::iso_date(&stamp).map(|d| (d, stamp))
            })
            .collect();
        let Some((first, stamp)) = found.first().cloned() else {
            continue;
        };
        if found.iter().all(|(d, _)| *d == first) {
            return Some(Stated {
                value: first,
                evidence: Evidence {
                    line: line_of(&stamp),
                    said: format!("<time datetime=\"{stamp}\">"),
                },
            });
        }
        return None;
    }
    None
}

/// The page's own address, from `<link rel=canonical>` or `og:url`: only a
/// full web address.
fn canonical(document: &Document) -> Option<String> {
    let link = document.select("link[rel=canonical]").attr("href");
    let og = document.select("meta[property=\"og:url\"]").attr("content");
    link.or(og).map(|u| u.trim().to_string()).filter(|u| {
        (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace)
    })
}

/// What the page says it is: a schema.org `@type` (BlogPosting, Report…), or
/// a `/blog/` folder in its address.
fn page_type(document: &Document, html: &str) -> Option<String> {
    let scripts = document
        .select("script[type=\"application/ld+json\"]")
        .text()
        .to_string();
    let source = if scripts.is_empty() {
        html
    } else {
        scripts.as_str()
    };
    let declared = source.split("\"@type\"").skip(1).find_map(|rest| {
        let value = rest
            .trim_start()
            .strip_prefix(':')?
            .trim_start()
            .strip_prefix('"')?;
        let value = &value[..value.find('"')?];
        [
            "BlogPosting",
            "Report",
            "Interview",
            "Guide",
            "OpinionNewsArticle",
        ]
        .contains(&value)
        .then(|| value.to_string())
    });
    declared.or_else(|| {
        canonical(document)
            .filter(|u| u.contains("/blog/") || u.contains("/blogs/"))
            .map(|_| "blog".to_string())
    })
}

/// Markdown from `htmd` read back as blocks: headings, list items, quotes,
/// tables and code kept whole, paragraphs.
pub(crate) fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            let joined = paragraph
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            push(blocks, Shape::Paragraph, &joined);
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some(fence) = ["```", "~~~"].iter().find(|f| trimmed.starts_with(**f)) {
            flush(&mut paragraph, &mut blocks);
            let mut code = vec![line.to_string()];
            for next in lines.by_ref() {
                code.push(next.to_string());
                if next.trim_start().starts_with(fence) {
                    break;
                }
            }
            push_verbatim(&mut blocks, code.join("\n"));
            continue;
        }
        if trimmed.starts_with('|') {
            flush(&mut paragraph, &mut blocks);
            let mut table = vec![line.to_string()];
            while let Some(next) = lines.next_if(|l| l.trim_start().starts_with('|')) {
                table.push(next.to_string());
            }
            push_verbatim(&mut blocks, table.join("\n"));
            continue;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush(&mut paragraph, &mut blocks);
            let level = u8::try_from(hashes).unwrap_or(2);
            push(&mut blocks, Shape::Heading(level), trimmed[hashes..].trim());
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            let mut quote = vec![rest.trim().to_string()];
            while let Some(next) = lines.next_if(|l| l.trim_start().starts_with('>')) {
                quote.push(next.trim_start()[1..].trim().to_string());
            }
            let joined = quote
                .iter()
                .filter(|l| !l.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            push(&mut blocks, Shape::Quote, &joined);
            continue;
        }
        if let Some((marker, rest)) = item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut text = vec![rest.trim().to_string()];
            // Lines of the same item: indented, not a new item, not blank.
            while let Some(next) = lines.next_if(|l| {
                l.starts_with("  ") && !l.trim().is_empty() && item(l.trim_start()).is_none()
            }) {
                text.push(next.trim().to_string());
            }
            push(&mut blocks, Shape::Item(marker), &text.join(" "));
            continue;
        }
        paragraph.push(line);
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn item(line: &str) -> Option<(Marker, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((Marker::Bullet, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    let number = line[..digits].parse().ok()?;
    Some((Marker::Number(number), rest))
}

fn push(blocks: &mut Vec<Block>, shape: Shape, markdown: &str) {
    let markdown = markdown.trim_end_matches('\\').trim();
    let text = plain(markdown);
    if text.is_empty() {
        return;
    }
    blocks.push(Block {
        line: None,
        text,
        markdown: Some(markdown.to_string()),
        shape,
    });
}

fn push_verbatim(blocks: &mut Vec<Block>, markdown: String) {
    blocks.push(Block {
        line: None,
        text: plain(&markdown),
        markdown: Some(markdown),
        shape: Shape::Verbatim,
    });
}

/// The words of inline Markdown: escapes, emphasis, code marks and link
/// targets taken off.
pub(crate) fn plain(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let mut out = String::with_capacity(markdown.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '*' | '`' => {}
            '_' if !(i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())) => {}
            ']' if chars.get(i + 1) == Some(&'(') => {
                // Skip the link's target.
                let mut depth = 0;
                let mut j = i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            '[' => {}
            '!' if chars.get(i + 1) == Some(&'[') => {}
            _ => out.push(c),
        }
        i += 1;
    }
    squeeze(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_reads_back_as_blocks() {
        let blocks = blocks(
            "# Title\n\nA *first* paragraph\nwith [a link](https://example.org/a_(b)).\n\n- One\n- Two\n  more\n\n1. Three\n\n> Quoted\n> twice\n\n| a | b |\n| - | - |\n",
        );
        let seen: Vec<(&Shape, &str)> =
            blocks.iter().map(|b| (&b.shape, b.text.as_str())).collect();
        assert_eq!(
            seen,
            [
                (&Shape::Heading(1), "Title"),
                (&Shape::Paragraph, "A first paragraph with a link."),
                (&Shape::Item(Marker::Bullet), "One"),
                (&Shape::Item(Marker::Bullet), "Two more"),
                (&Shape::Item(Marker::Number(1)), "Three"),
                (&Shape::Quote, "Quoted twice"),
                (&Shape::Verbatim, "| a | b | | - | - |"),
            ]
        );
        assert_eq!(
            blocks[1].markdown.as_deref(),
            Some("A *first* paragraph with [a link](https://example.org/a_(b)).")
        );
    }

    #[test]
    fn nesting_is_counted_by_tags_that_must_close() {
        let deep = format!(
            "<body>{}<p>x{}",
            "<div>".repeat(1001),
            "</div>".repeat(1001)
        );
        assert_eq!(too_deep(&deep), Some(6 + 5 * 1000));
        let open_paragraphs = format!("<body><div>{}</div>", "<p>x<li>y<br>".repeat(5000));
        assert_eq!(too_deep(&open_paragraphs), None);
        let siblings = "<div><span>a</span></div>".repeat(5000);
        assert_eq!(too_deep(&siblings), None);
        let scripted = format!(
            "<script>{}</script><!-- {} -->",
            "<div>".repeat(2000),
            "<div>".repeat(2000)
        );
        assert_eq!(too_deep(&scripted), None);
    }

    #[test]
    fn plain_text_loses_only_markup() {
        assert_eq!(
            plain("**Bold** and _em_ and snake_case \\*star\\*"),
            "Bold and em and snake_case *star*"
        );
    }
}
