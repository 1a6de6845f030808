//! Parse: takes the document files found by load and gives [`Parsed`]
//! documents, each with typed front matter and rendered Markdown. Files are
//! parsed in parallel and independently, so that a rebuild can reuse any file
//! that did not change.

pub mod entities;
pub mod front_matter;
pub mod markdown;
pub mod readable;
pub mod yaml;

use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, Changes, Files, Text, fingerprint};
use crate::config::Config;
use crate::control;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};
use crate::highlight::Highlighter;
use crate::load::{DocumentFile, SourceFile};
use crate::parse::entities::Entities;
use crate::parse::front_matter::{ArticleMeta, PageMeta};
use crate::parse::markdown::{Link, Rendered};
use crate::urls;

/// Articles live directly in this folder of `content/`.
pub(crate) const ARTICLES_FOLDER: &str = "articles/";

/// Longest summary taken from a document's first paragraph, in characters.
pub(crate) const SUMMARY_LIMIT: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParsedArticle {
    pub path: String,
    pub content_path: String,
    /// Where it is served, relative to the base path: `articles/x/`.
    pub(crate) site_path: String,
    /// The front matter's summary, or the start of the first paragraph.
    pub(crate) summary: String,
    pub(crate) meta: ArticleMeta,
    pub body: Rendered,
    /// Identifies the file's text: equal texts give equal documents.
    pub(crate) source_hash: u64,
    /// Identifies everything resolve reads of this document.
    pub(crate) skeleton: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParsedPage {
    pub path: String,
    pub content_path: String,
    pub(crate) site_path: String,
    pub(crate) summary: String,
    pub(crate) meta: PageMeta,
    pub body: Rendered,
    pub(crate) source_hash: u64,
    pub(crate) skeleton: u64,
}

/// One parsed file. A file whose front matter is broken is kept as
/// [`ParsedDocument::Broken`] so that links to it are not reported as missing:
/// the editor sees the real problem once, not an echo in every file linking to
/// it. Its own links are kept, so that their problems show in the same run.
///
/// Documents are shared: a rebuild keeps the same one for a file that did not
/// change, and the site refers to it rather than copying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedDocument {
    Article(Arc<ParsedArticle>),
    Page(Arc<ParsedPage>),
    Broken(Arc<BrokenDocument>),
}

impl ParsedDocument {
    pub(crate) fn path(&self) -> &str {
        match self {
            ParsedDocument::Article(a) => &a.path,
            ParsedDocument::Page(p) => &p.path,
            ParsedDocument::Broken(b) => &b.path,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BrokenDocument {
    pub path: String,
    pub content_path: String,
    pub(crate) links: Vec<Link>,
    pub(crate) skeleton: u64,
}

impl BrokenDocument {
    pub fn new(path: String, content_path: String, links: Vec<Link>) -> Self {
        let skeleton = fingerprint(&(&path, &links));
        BrokenDocument {
            path,
            content_path,
            links,
            skeleton,
        }
    }
}

/// What resolve reads of an article: where it lives, its title and date (for
/// ordering), its themes, tags and authors, its links and its headings'
/// ids. Two versions of a file with the same skeleton differ only in what no
/// other page depends on through resolve, such as the wording of the body.
fn article_skeleton(article: &ParsedArticle) -> u64 {
    let meta = &article.meta;
    let heading_ids: Vec<&str> = article
        .body
        .headings
        .iter()
        .map(|h| h.id.as_str())
        .collect();
    fingerprint(&(
        (
            &article.path,
            &article.site_path,
            &meta.title,
            meta.date,
            &meta.themes,
        ),
        (&meta.tags, &meta.authors, meta.draft),
        (&article.body.links, heading_ids, mentioned(&article.body)),
    ))
}

fn page_skeleton(page: &ParsedPage) -> u64 {
    let heading_ids: Vec<&str> = page.body.headings.iter().map(|h| h.id.as_str()).collect();
    fingerprint(&(
        &page.path,
        &page.site_path,
        page.meta.draft,
        &page.body.links,
        heading_ids,
        mentioned(&page.body),
    ))
}

/// The entities a body mentions, in order: which entity pages list it.
fn mentioned(body: &Rendered) -> Vec<usize> {
    body.mentions.iter().map(|m| m.entity).collect()
}

/// A document that could not be read: kept as broken, so that links to it
/// are not reported again.
pub(crate) fn unreadable(
    document: &DocumentFile,
    problem: Diagnostic,
) -> (ParsedDocument, Vec<Diagnostic>) {
    let content_path = document
        .path
        .strip_prefix("content/")
        .unwrap_or(&document.path);
    let broken = BrokenDocument::new(document.path.clone(), content_path.to_string(), Vec::new());
    (ParsedDocument::Broken(Arc::new(broken)), vec![problem])
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub(crate) documents: Vec<ParsedDocument>,
    /// The entities whose mentions the documents link.
    pub entities: Arc<Entities>,
}

/// What a document is, decided by where it lives.
enum Role {
    Article,
    Page,
}

fn role(content_path: &str) -> Result<Role, &'static str> {
    match content_path.strip_prefix(ARTICLES_FOLDER) {
        Some(name) if name.contains('/') => {
            Err("articles must be directly in content/articles/, not in a sub-folder")
        }
        Some(_) => Ok(Role::Article),
        None => Ok(Role::Page),
    }
}

/// Reads and parses every document, in parallel, after the entities file
/// (the documents link mentions of its entities), asking the cache first:
/// a document whose file did not change since it was parsed is not read
/// again. Problems are collected, never fatal. Each file is read just before
/// it is parsed and its text dropped just after, so a large site's texts are
/// never all in memory at once. Gives the documents and how many were parsed.
pub fn parse(
    documents: Vec<DocumentFile>,
    entities_file: Option<&SourceFile>,
    config: &Config,
    cache: &mut Cache,
    changes: &Changes,
) -> ((Parsed, usize), Vec<Diagnostic>) {
    let memory = cache.memory::<Memory>();
    let (entities, mut problems) = memory.entities(entities_file);
    memory.parse_under(config, &entities);
    memory
        .documents
        .keep(documents.iter().map(|d| d.path.as_str()));
    let memory = &*memory;
    let results: Vec<Parse> = documents
        .par_iter()
        .map(|document| {
            if let Some((parsed, problems)) =
                memory
                    .documents
                    .unchanged(changes, &document.path, &document.file)
            {
                return Parse::Known(parsed.clone(), problems.clone());
            }
            let file = match document.read() {
                Ok(file) => file,
                Err(problem) => {
                    let (parsed, problems) = unreadable(document, problem);
                    return Parse::Known(parsed, problems);
                }
            };
            let text = Text::of(&file.text, &document.file);
            match memory.documents.same_text(&document.path, text) {
                Some((parsed, problems)) => Parse::Read(text, parsed.clone(), problems.clone()),
                None => {
                    let (parsed, problems) =
                        parse_document(&file, &entities, config, &memory.highlighter);
                    Parse::Parsed(text, parsed, problems)
                }
            }
        })
        .collect();
    let memory = cache.memory::<Memory>();
    let mut count = 0;
    let mut parsed_documents = Vec::with_capacity(results.len());
    for (document, result) in documents.iter().zip(results) {
        count += usize::from(matches!(result, Parse::Parsed(..)));
        let (parsed, file_problems) = match result {
            Parse::Known(parsed, problems) => (parsed, problems),
            // Parsed, or read again unchanged: remembered with the file's stamp now.
            Parse::Read(text, parsed, problems) | Parse::Parsed(text, parsed, problems) => {
                let made = (parsed.clone(), problems.clone());
                memory.documents.made(&document.path, text, made);
                (parsed, problems)
            }
        };
        parsed_documents.push(parsed);
        problems.extend(file_problems);
    }
    let parsed = Parsed {
        documents: parsed_documents,
        entities,
    };
    ((parsed, count), problems)
}

/// What parse keeps between builds: the highlighter (slow to load), the
/// entities as last parsed, and each document as parsed, under the config
/// and entities it was parsed with.
#[derive(Default)]
pub(crate) struct Memory {
    highlighter: Highlighter,
    /// The entities file's text as last read, what it defines and its problems.
    entities: Option<(Option<String>, Arc<Entities>, Vec<Diagnostic>)>,
    /// What every document's parse depends on beyond its own text: the
    /// config and how mentions of entities are found.
    context: u64,
    documents: Files<(ParsedDocument, Vec<Diagnostic>)>,
}

impl Memory {
    /// The entities of `file` (none without one), parsed again only when its
    /// text changed; with the problems found in it.
    fn entities(&mut self, file: Option<&SourceFile>) -> (Arc<Entities>, Vec<Diagnostic>) {
        let text = file.map(|f| f.text.clone());
        if let Some((last, entities, problems)) = &self.entities
            && *last == text
        {
            return (entities.clone(), problems.clone());
        }
        let (entities, problems) = match &text {
            Some(text) => entities::parse(text),
            None => (Entities::default(), Vec::new()),
        };
        let entities = Arc::new(entities);
        self.entities = Some((text, entities.clone(), problems.clone()));
        (entities, problems)
    }

    /// Forgets every document parsed under another config or other entities.
    fn parse_under(&mut self, config: &Config, entities: &Entities) {
        let context = fingerprint(&(config, entities.mentions_fingerprint));
        if context != self.context {
            self.documents.clear();
            self.context = context;
        }
    }
}

/// What became of one document in [`parse`].
enum Parse {
    /// Unchanged since it was parsed, or unreadable.
    Known(ParsedDocument, Vec<Diagnostic>),
    /// Read again, and the same text as it was parsed from.
    Read(Text, ParsedDocument, Vec<Diagnostic>),
    /// Read and parsed.
    Parsed(Text, ParsedDocument, Vec<Diagnostic>),
}

/// Identifies what a document's parse depends on beyond the config: its text
/// and how mentions of entities are linked.
pub(crate) fn source_hash(text: &str, entities: &Entities) -> u64 {
    fingerprint(&(text, entities.mentions_fingerprint))
}

/// Parses one file: a pure function of its text and the config.
pub fn parse_document(
    file: &SourceFile,
    entities: &Entities,
    config: &Config,
    highlighter: &Highlighter,
) -> (ParsedDocument, Vec<Diagnostic>) {
    let content_path = file.content_path().to_string();
    let broken = |problems, links| {
        let document = BrokenDocument::new(file.path.clone(), content_path.clone(), links);
        (ParsedDocument::Broken(Arc::new(document)), problems)
    };
    let source_hash = source_hash(&file.text, entities);
    let at_start = |code, message: &str| {
        vec![Diagnostic::error(
            code,
            &file.path,
            Position::START,
            message,
        )]
    };
    let role = match role(&content_path) {
        Ok(role) => role,
        Err(message) => {
            return broken(at_start(Code::ContentMisplacedArticle, message), Vec::new());
        }
    };
    let split = match front_matter::split(&file.text) {
        Ok(split) => split,
        Err(message) => return broken(at_start(Code::FrontMatterMissing, message), Vec::new()),
    };
    let meta = match role {
        Role::Article => front_matter::article(&file.path, &split, config).map(Meta::Article),
        Role::Page => front_matter::page(&file.path, &split).map(Meta::Page),
    };
    // Control characters in the body are replaced, one character for one, so
    // that every line and column stays where the editor sees it.
    let (text, control_problem) = clean_body(&file.path, &file.text, split.body_offset);
    let lines = LineIndex::new(&text);
    let input = markdown::Input {
        path: &file.path,
        content_path: &content_path,
        text: &text,
        lines: &lines,
        body_offset: split.body_offset,
        raw_html: config.markdown.raw_html,
        base_path: &config.base_url.path,
        highlighter,
        entities,
    };
    // The body is rendered even when the front matter is broken, so that its
    // problems are reported in the same run.
    let (mut body, mut problems) = markdown::render(&input);
    problems.extend(control_problem);
    // The first paragraph is only wanted for the summary: don't keep it twice.
    let first_paragraph = std::mem::take(&mut body.first_paragraph);
    match meta {
        Ok(Meta::Article(mut meta)) => {
            let mut article = ParsedArticle {
                path: file.path.clone(),
                site_path: urls::document_path(&content_path),
                summary: summary(meta.summary.take(), &first_paragraph),
                content_path,
                meta,
                body,
                source_hash,
                skeleton: 0,
            };
            article.skeleton = article_skeleton(&article);
            (ParsedDocument::Article(Arc::new(article)), problems)
        }
        Ok(Meta::Page(mut meta)) => {
            let mut page = ParsedPage {
                path: file.path.clone(),
                site_path: urls::document_path(&content_path),
                summary: summary(meta.summary.take(), &first_paragraph),
                content_path,
                meta,
                body,
                source_hash,
                skeleton: 0,
            };
            page.skeleton = page_skeleton(&page);
            (ParsedDocument::Page(Arc::new(page)), problems)
        }
        Err(meta_problems) => {
            problems.extend(meta_problems);
            broken(problems, body.links)
        }
    }
}

enum Meta {
    Article(ArticleMeta),
    Page(PageMeta),
}

/// The file's text with every control character in its body replaced by
/// U+FFFD, and a warning at the first of them saying how many there were.
fn clean_body<'t>(
    path: &str,
    text: &'t str,
    body_offset: usize,
) -> (std::borrow::Cow<'t, str>, Option<Diagnostic>) {
    let body = &text[body_offset..];
    let mut found = control::find(body);
    let Some((first, c)) = found.next() else {
        return (std::borrow::Cow::Borrowed(text), None);
    };
    let more = found.count();
    let position = LineIndex::new(text).position(text, body_offset + first);
    let others = match more {
        0 => String::new(),
        1 => " (and 1 more in this file)".to_string(),
        n => format!(" (and {n} more in this file)"),
    };
    let warning = Diagnostic::warning(
        Code::ContentControlCharacter,
        path,
        position,
        format!(
            "the control character {} was replaced by U+FFFD{others}, since no page may carry it",
            control::name(c)
        ),
    );
    let cleaned = [&text[..body_offset], &control::replace(body)].concat();
    (std::borrow::Cow::Owned(cleaned), Some(warning))
}

/// `items` in an allocation of their own size, for what is kept to the end
/// of the build. `shrink_to_fit` is not enough: it asks the allocator to
/// shrink the block in place, and mimalloc leaves a block that is at least
/// half used as it is, so a vector grown by doubling kept all its slack
/// (10,000 articles: 4 MB after parse, 2 to 3 MB at the peak).
pub(crate) fn exact<T>(items: &mut Vec<T>) {
    let mut exact = Vec::with_capacity(items.len());
    exact.append(items);
    *items = exact;
}

/// `text` in an allocation of its own size: see [`exact`].
pub(crate) fn exact_text(text: &mut String) {
    *text = String::from(text.as_str());
}

/// The summary written in front matter, or else the first paragraph cut at a
/// word boundary near [`SUMMARY_LIMIT`] characters.
fn summary(written: Option<String>, first_paragraph: &str) -> String {
    if let Some(written) = written {
        return written;
    }
    if first_paragraph.chars().count() <= SUMMARY_LIMIT {
        return first_paragraph.to_string();
    }
    cut_at_word(first_paragraph)
}

/// The words of `text` joined by spaces, as many as fit in
/// [`SUMMARY_LIMIT`] characters, and an ellipsis.
fn cut_at_word(text: &str) -> String {
    let mut out = String::with_capacity(SUMMARY_LIMIT + '…'.len_utf8());
    let mut length = 0;
    for word in text.split_whitespace() {
        let word_length = word.chars().count();
        if length + word_length + 1 > SUMMARY_LIMIT {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            length += 1;
        }
        out.push_str(word);
        length += word_length;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_values_are_moved_whole_into_room_of_their_size() {
        let mut links = Vec::with_capacity(64);
        links.extend(["a".to_string(), "b".to_string(), "c".to_string()]);
        exact(&mut links);
        assert_eq!(links, ["a", "b", "c"]);
        assert_eq!(links.capacity(), 3);
        let mut html = String::with_capacity(64);
        html.push_str("<p>é</p>");
        exact_text(&mut html);
        assert_eq!((html.as_str(), html.capacity()), ("<p>é</p>", 9));
    }

    #[test]
    fn summaries_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let short = summary(None, long.trim());
        assert!(short.chars().count() <= SUMMARY_LIMIT + 1);
        assert!(short.ends_with("word…"));
        assert_eq!(summary(None, "brief"), "brief");
        assert_eq!(summary(Some("Written.".into()), "first"), "Written.");
    }
}
