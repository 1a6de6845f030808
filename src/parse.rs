//! Parse: takes [`Sources`] and gives [`Parsed`] documents, each with typed
//! front matter and rendered Markdown. Files are parsed in parallel and
//! independently, so that a rebuild can reuse any file that did not change.

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, LineIndex, Position};
use crate::front_matter::{self, ArticleMeta, PageMeta};
use crate::highlight::Highlighter;
use crate::load::{SourceFile, Sources};
use crate::markdown::{self, Link, Rendered};

/// Articles live directly in this folder of `content/`.
pub const ARTICLES_FOLDER: &str = "articles/";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParsedArticle {
    pub path: String,
    pub content_path: String,
    pub meta: ArticleMeta,
    pub body: Rendered,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParsedPage {
    pub path: String,
    pub content_path: String,
    pub meta: PageMeta,
    pub body: Rendered,
}

/// One parsed file. A file whose front matter is broken is kept as
/// [`ParsedDocument::Broken`] so that links to it are not reported as missing:
/// the editor sees the real problem once, not an echo in every file linking to
/// it. Its own links are kept, so that their problems show in the same run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParsedDocument {
    Article(ParsedArticle),
    Page(ParsedPage),
    Broken(BrokenDocument),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BrokenDocument {
    pub path: String,
    pub content_path: String,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub documents: Vec<ParsedDocument>,
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

/// Parses every document. Problems are collected, never fatal.
pub fn parse(
    sources: &Sources,
    config: &Config,
    highlighter: &Highlighter,
) -> (Parsed, Vec<Diagnostic>) {
    let results: Vec<(ParsedDocument, Vec<Diagnostic>)> = sources
        .documents
        .par_iter()
        .map(|file| parse_document(file, config, highlighter))
        .collect();
    let mut problems = Vec::new();
    let mut documents = Vec::with_capacity(results.len());
    for (document, file_problems) in results {
        documents.push(document);
        problems.extend(file_problems);
    }
    (Parsed { documents }, problems)
}

/// Parses one file: a pure function of its text and the config.
pub fn parse_document(
    file: &SourceFile,
    config: &Config,
    highlighter: &Highlighter,
) -> (ParsedDocument, Vec<Diagnostic>) {
    let content_path = file.content_path().to_string();
    let broken = |problems, links| {
        let document = BrokenDocument {
            path: file.path.clone(),
            content_path: content_path.clone(),
            links,
        };
        (ParsedDocument::Broken(document), problems)
    };
    let at_start = |message: &str| vec![Diagnostic::error(&file.path, Position::START, message)];
    let role = match role(&content_path) {
        Ok(role) => role,
        Err(message) => return broken(at_start(message), Vec::new()),
    };
    let split = match front_matter::split(&file.text) {
        Ok(split) => split,
        Err(message) => return broken(at_start(message), Vec::new()),
    };
    let meta = match role {
        Role::Article => front_matter::article(&file.path, &split, config).map(Meta::Article),
        Role::Page => front_matter::page(&file.path, &split).map(Meta::Page),
    };
    let lines = LineIndex::new(&file.text);
    let input = markdown::Input {
        path: &file.path,
        content_path: &content_path,
        text: &file.text,
        lines: &lines,
        body_offset: split.body_offset,
        raw_html: config.markdown.raw_html,
        base_path: &config.base_url.path,
        highlighter,
    };
    // The body is rendered even when the front matter is broken, so that its
    // problems are reported in the same run.
    let (body, mut problems) = markdown::render(&input);
    match meta {
        Ok(Meta::Article(meta)) => (
            ParsedDocument::Article(ParsedArticle {
                path: file.path.clone(),
                content_path,
                meta,
                body,
            }),
            problems,
        ),
        Ok(Meta::Page(meta)) => (
            ParsedDocument::Page(ParsedPage {
                path: file.path.clone(),
                content_path,
                meta,
                body,
            }),
            problems,
        ),
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
