//! Search: takes the resolved site and gives the files of its search: a
//! compact index for the browser (each document's title, summary, headings,
//! themes, tags and entities, and an inverted index of the words of its body)
//! and the body texts in small chunks, which the search page loads only to cut
//! snippets for the results it shows.
//!
//! Both are JavaScript files that set a global, not JSON to fetch: a script
//! element loads from a `file://` folder, where browsers refuse `fetch`.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::site::Site;

/// The index, relative to the output root.
pub const INDEX_FILE: &str = "search/index.js";
/// How many documents' texts share one chunk file: small enough that showing
/// ten results loads little, large enough that a big site makes few files.
pub const CHUNK: usize = 50;
/// The format of the files, for the script to check.
const VERSION: u32 = 1;

/// Words too common to say anything about a document: left out of the body
/// index, and out of queries (the script gets this list from the index).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we",
    "were", "which", "will", "with", "you", "your",
];

/// The path of text chunk `k`, relative to the output root.
pub fn chunk_file(k: usize) -> String {
    format!("search/text-{k}.js")
}

/// Every path [`files`] gives for `site`, without making them.
pub fn paths(site: &Site) -> Vec<String> {
    let documents = site.articles.len() + site.pages.len() + site.entities.list.len();
    std::iter::once(INDEX_FILE.to_string())
        .chain((0..documents.div_ceil(CHUNK)).map(chunk_file))
        .collect()
}

/// One searchable document as the index holds it.
#[derive(Debug, Serialize)]
struct Doc<'a> {
    /// `article`, `page` or `entity`: the script ranks articles first among equals.
    group: &'static str,
    /// Root-relative URL.
    url: &'a str,
    title: &'a str,
    kind: &'a str,
    /// As readers read it, or empty.
    date: String,
    summary: &'a str,
    headings: Vec<&'a str>,
    themes: Vec<&'a str>,
    tags: Vec<&'a str>,
    /// Names of the entities it mentions; for an entity's own page, its
    /// abbreviations and aliases.
    entities: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct Index<'a> {
    version: u32,
    /// What root-relative URLs start with, so the script can make them relative.
    base_path: &'a str,
    chunk_size: usize,
    stop_words: &'static [&'static str],
    docs: Vec<Doc<'a>>,
    /// For each word of the bodies, the documents that use it, as pairs of
    /// (document number minus the previous one's, times used): small numbers
    /// keep the file small.
    words: std::collections::BTreeMap<String, Vec<u32>>,
}

/// For each word, the documents using it and how often: (document, times).
type Postings = HashMap<String, Vec<(u32, u32)>>;

/// A document to index: its entry and where its body text comes from.
struct Source<'a> {
    doc: Doc<'a>,
    body: Body<'a>,
}

enum Body<'a> {
    Html(&'a str),
    Text(&'a str),
}

/// Every file of the search, by output path: the index, then the chunks.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let sources = sources(site);
    // Each chunk of documents is stripped to text and indexed on its own, in
    // parallel; the chunks' word lists are then joined in document order.
    let chunks: Vec<(Vec<u8>, Postings)> = sources
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            let mut words = Postings::new();
            let mut texts = Vec::with_capacity(chunk.len());
            let mut word = String::new();
            for (i, source) in chunk.iter().enumerate() {
                let doc = u32::try_from(k * CHUNK + i).unwrap_or(u32::MAX);
                let text = match source.body {
                    Body::Html(html) => plain_text(html),
                    Body::Text(text) => text.to_string(),
                };
                for_each_word(&text, &mut word, |w| {
                    if STOP_WORDS.binary_search(&w).is_ok() {
                        return;
                    }
                    match words.get_mut(w) {
                        Some(postings) => match postings.last_mut() {
                            Some((last, count)) if *last == doc => *count += 1,
                            _ => postings.push((doc, 1)),
                        },
                        None => {
                            words.insert(w.to_string(), vec![(doc, 1)]);
                        }
                    }
                });
                texts.push(text);
            }
            (chunk_script(k, &texts), words)
        })
        .collect();
    let mut words: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    let mut last_doc: HashMap<String, u32> = HashMap::new();
    let mut files = Vec::with_capacity(chunks.len() + 1);
    let mut chunk_files = Vec::with_capacity(chunks.len());
    for (k, (script, chunk_words)) in chunks.into_iter().enumerate() {
        chunk_files.push((chunk_file(k), script));
        // Sorted, so that the result does not depend on hash order.
        let mut chunk_words: Vec<(String, Vec<(u32, u32)>)> = chunk_words.into_iter().collect();
        chunk_words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (word, postings) in chunk_words {
            let previous = last_doc.get(&word).copied();
            let list = words.entry(word.clone()).or_default();
            let mut before = previous;
            for (doc, count) in &postings {
                list.push(before.map_or(*doc, |b| doc - b));
                list.push(*count);
                before = Some(*doc);
            }
            if let Some(last) = before {
                last_doc.insert(word, last);
            }
        }
    }
    let index = Index {
        version: VERSION,
        base_path: &site.config.base_url.path,
        chunk_size: CHUNK,
        stop_words: STOP_WORDS,
        docs: sources.into_iter().map(|s| s.doc).collect(),
        words,
    };
    files.push((INDEX_FILE.to_string(), index_script(&index)));
    files.extend(chunk_files);
    files
}

/// Articles (newest first), then plain pages, then entities.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let mut sources = Vec::with_capacity(site.articles.len() + site.pages.len());
    for article in &site.articles {
        sources.push(Source {
            doc: Doc {
                group: "article",
                url: article.url(),
                title: article.title(),
                kind: article.kind().label(),
                date: article
                    .date()
                    .map(|d| crate::views::DateView::new(d).human)
                    .unwrap_or_default(),
                summary: article.summary(),
                headings: article.headings().iter().map(|h| h.text.as_str()).collect(),
                themes: article
                    .themes()
                    .iter()
                    .map(|&t| site.themes[t].name.as_str())
                    .collect(),
                tags: article
                    .place
                    .tags
                    .iter()
                    .map(|&t| site.tags[t].name.as_str())
                    .collect(),
                entities: article
                    .mentions()
                    .iter()
                    .map(|m| site.entities.list[m.entity].name.as_str())
                    .collect(),
            },
            body: Body::Html(article.body_html()),
        });
    }
    for page in &site.pages {
        sources.push(Source {
            doc: Doc {
                group: "page",
                url: &page.url,
                title: page.title(),
                kind: "Page",
                date: String::new(),
                summary: page.summary(),
                headings: page.headings().iter().map(|h| h.text.as_str()).collect(),
                themes: Vec::new(),
                tags: Vec::new(),
                entities: page
                    .mentions()
                    .iter()
                    .map(|m| site.entities.list[m.entity].name.as_str())
                    .collect(),
            },
            body: Body::Html(page.body_html()),
        });
    }
    for (entity, mentioned) in site.entities.list.iter().zip(&site.mentions) {
        sources.push(Source {
            doc: Doc {
                group: "entity",
                url: &mentioned.url,
                title: &entity.name,
                kind: entity.kind.label(),
                date: String::new(),
                summary: &entity.description,
                headings: Vec::new(),
                themes: Vec::new(),
                tags: Vec::new(),
                entities: entity
                    .abbreviations
                    .iter()
                    .chain(&entity.aliases)
                    .map(|w| w.text.as_str())
                    .collect(),
            },
            body: Body::Text(&entity.description),
        });
    }
    sources
}

fn index_script(index: &Index) -> Vec<u8> {
    let json = serde_json::to_string(index).unwrap_or_else(|_| "null".to_string());
    format!("window.tillerSearchIndex = {json};\n").into_bytes()
}

fn chunk_script(k: usize, texts: &[String]) -> Vec<u8> {
    let json = serde_json::to_string(texts).unwrap_or_else(|_| "[]".to_string());
    format!("(window.tillerSearchTexts = window.tillerSearchTexts || {{}})[{k}] = {json};\n")
        .into_bytes()
}

/// Calls `each` with every word of `text` as the index keeps it: lowercase,
/// accents taken off, letters and digits only, two characters or more. The
/// search script makes words of queries the same way.
pub fn for_each_word(text: &str, word: &mut String, mut each: impl FnMut(&str)) {
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        if token.is_empty() {
            continue;
        }
        word.clear();
        if token.is_ascii() {
            word.push_str(token);
            word.make_ascii_lowercase();
        } else {
            for c in token.nfd().filter(|c| !is_combining_mark(*c)) {
                word.extend(c.to_lowercase());
            }
        }
        if word.chars().nth(1).is_some() {
            each(word);
        }
    }
}

/// The readable text of HTML that Tiller made from Markdown: tags dropped
/// (block tags leave a space), the few entities the Markdown renderer writes
/// decoded, code blocks and pull quotes (which repeat the text) left out.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // A tag whose whole element is left out, until its end tag.
    let mut skipping: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skipping.is_none() {
            push_decoded(&mut text, &rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        match skipping {
            Some(until) => {
                if name.strip_prefix('/') == Some(until) {
                    skipping = None;
                    if until != "sup" {
                        text.push(' ');
                    }
                }
            }
            None => {
                if name == "pre" {
                    skipping = Some("pre");
                } else if name == "aside" && tag.contains("pull-quote") {
                    skipping = Some("aside");
                } else if name == "sup" && tag.contains("footnote-reference") {
                    skipping = Some("sup");
                } else if is_block_tag(name.trim_start_matches('/')) {
                    text.push(' ');
                }
            }
        }
    }
    if skipping.is_none() {
        push_decoded(&mut text, rest);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "div"
            | "br"
            | "td"
            | "th"
            | "tr"
            | "dt"
            | "dd"
            | "dl"
            | "blockquote"
            | "table"
            | "section"
            | "hr"
    )
}

/// Appends `html` text with its character references decoded: the five the
/// renderer writes, and numeric ones.
fn push_decoded(text: &mut String, html: &str) {
    let mut rest = html;
    while let Some(amp) = rest.find('&') {
        text.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 8).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                text.push(c);
                rest = &after[end + 1..];
            }
            None => {
                text.push('&');
                rest = after;
            }
        }
    }
    text.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_lowercase_without_accents() {
        let mut words = Vec::new();
        for_each_word(
            "Café CQC’s 80/20 campaign — a Naïve x2",
            &mut String::new(),
            |w| words.push(w.to_string()),
        );
        assert_eq!(
            words,
            ["cafe", "cqc", "80", "20", "campaign", "naive", "x2"]
        );
    }

    #[test]
    fn html_becomes_readable_text() {
        let html = "<h2 id=\"a\">Leading</h2>\n<p>Fish &amp; chips&#39; <a href=\"/x/\">link</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>.</p>\n<pre class=\"hl-code\"><code>let x = 1;</code></pre>\n<aside class=\"pull-quote\" aria-hidden=\"true\">\n<p>Repeated.</p>\n</aside>\n<ul>\n<li>One</li><li>Two</li>\n</ul>";
        assert_eq!(plain_text(html), "Leading Fish & chips' link. One Two");
    }
}
