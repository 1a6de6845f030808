//! The importer (`tiller import`): takes a scraped article (text copied from
//! a web page, or a saved HTML page) and the site it is for, and gives a
//! Markdown draft with `draft: true`, written to `content/articles/<slug>.md`
//! or handed back to print, and a report of what was recognised and removed.
//!
//! ```text
//! source ─▶ text (lines) or html (readability, then htmd) ─▶ blocks
//!        ─▶ classify (title, clutter, header, facts) ─▶ structure (parts)
//!        ─▶ suggest (kind, themes, tags, entity candidates)
//!        ─▶ draft + report ─▶ save
//! ```

mod block;
mod classify;
mod clutter;
mod draft;
mod facts;
mod html;
mod report;
mod save;
mod source;
mod structure;
mod suggest;
mod text;
mod words;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Overrides;
use crate::diagnostics::Position;
use crate::parse::entities::{self, Entities};
use crate::parse::front_matter;
use crate::slug::slugify;

pub use source::Input;

use classify::Headline;
use source::Format;

/// The kinds an article can be, as front matter has them.
pub use crate::parse::front_matter::Kind;

/// Where the draft goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// `content/articles/<slug>.md`, never overwritten.
    ArticlesFolder,
    /// Handed back to be printed; nothing is written (`--print`).
    Print,
}

/// One import, as the command line asks for it.
#[derive(Debug, Clone)]
pub struct Request {
    pub input: Input,
    /// The site folder, holding `site.toml` and `content/`.
    pub root: PathBuf,
    pub destination: Destination,
    /// The kind the editor gives (`--kind`), instead of a suggested one.
    pub kind: Option<Kind>,
}

/// What an import gave.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The Markdown file's text.
    pub draft: String,
    /// What was recognised and removed, for standard error.
    pub report: String,
    /// Where the draft was written, relative to the root (`None` with `Print`).
    pub written: Option<PathBuf>,
}

/// Why nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub path: String,
    pub position: Option<Position>,
    pub message: String,
    trouble: Trouble,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    /// The source is not an article (exit 1).
    Input,
    /// The draft's file exists, or cannot be written (exit 1).
    Output,
    /// `site.toml` is missing or wrong (exit 2, as for every command).
    Site,
}

impl ImportError {
    pub(crate) fn input(
        path: &str,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        ImportError {
            path: path.to_string(),
            position,
            message: message.into(),
            trouble: Trouble::Input,
        }
    }

    pub(crate) fn exists(path: &str) -> Self {
        ImportError {
            path: path.to_string(),
            position: None,
            message: "the file already exists; it was left as it is, and nothing was written"
                .to_string(),
            trouble: Trouble::Output,
        }
    }

    pub(crate) fn write(path: &str, message: &str) -> Self {
        ImportError {
            path: path.to_string(),
            position: None,
            message: message.to_string(),
            trouble: Trouble::Output,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self.trouble {
            Trouble::Input | Trouble::Output => 1,
            Trouble::Site => 2,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(
                f,
                "{}:{}:{}: error: {}",
                self.path, p.line, p.column, self.message
            ),
            None => write!(f, "{}: error: {}", self.path, self.message),
        }
    }
}

/// The longest slug made from a title: long headlines make long addresses,
/// so the slug stops at the last whole word within this many characters.
const SLUG_LENGTH: usize = 60;

/// Imports one page: reads it, makes the draft and its report, and writes
/// the draft unless asked to print it.
pub fn import(request: &Request) -> Result<Imported, ImportError> {
    let site = Site::read(&request.root)?;
    let shown = request.input.shown();
    let page = source::read(&request.input)?;

    let (blocks, headline, mut facts, page_type, page_lines, dropped) = match page.format {
        Format::Text => (
            text::blocks(&page.text),
            Headline::FromLines,
            facts::Facts::default(),
            None,
            Vec::new(),
            Vec::new(),
        ),
        Format::Html => {
            let found = html::read(&shown, &page.text)?;
            (
                found.blocks,
                Headline::Given(found.title),
                found.facts,
                found.page_type,
                found.page_lines,
                found.dropped,
            )
        }
    };
    let sorted = classify::classify(&shown, blocks, headline)?;
    facts.fill(sorted.facts.clone());
    let parts = structure::structure(&sorted.kept);
    let byline = sorted
        .kept
        .iter()
        .find(|k| k.role == classify::Role::Byline)
        .map(|k| k.block.text.clone());
    let cues = suggest::Cues {
        given: request.kind,
        kicker: sorted.kicker.clone(),
        page_type,
        byline,
    };
    let suggestions = suggest::suggest(
        &sorted.title.value,
        &parts,
        &cues,
        &suggest::SiteWords {
            config: &site.config,
            tags: &site.tags,
            entities: &site.entities,
        },
    );
    let text = draft::draft(&sorted.title.value, &facts, &suggestions, &parts);
    let slug = slug_of(&sorted.title.value);
    if slug.is_empty() {
        return Err(ImportError::input(
            &shown,
            None,
            "the title has no letter or digit to name the file with",
        ));
    }
    let left_out = report::left_out(&page_lines, &sorted);
    let written = match request.destination {
        Destination::Print => None,
        Destination::ArticlesFolder => Some(save::save(&request.root, &slug, &text)?),
    };
    let report = report::report(&report::Findings {
        shown: &shown,
        format: page.format,
        sorted: &sorted,
        facts: &facts,
        parts: &parts,
        suggestions: &suggestions,
        dropped: &dropped,
        left_out: &left_out,
        written: written.as_deref(),
        slug: &slug,
    });
    Ok(Imported {
        draft: text,
        report,
        written,
    })
}

/// The title's slug, cut at a word within `SLUG_LENGTH` characters.
fn slug_of(title: &str) -> String {
    let slug = slugify(title);
    if slug.len() <= SLUG_LENGTH {
        return slug;
    }
    let cut = slug[..=SLUG_LENGTH].rfind('-').unwrap_or(SLUG_LENGTH);
    slug[..cut].to_string()
}

/// What the site gives an import: its themes, the tags its articles use, and
/// its entities.
struct Site {
    config: crate::config::Config,
    tags: Vec<String>,
    entities: Entities,
}

impl Site {
    fn read(root: &Path) -> Result<Site, ImportError> {
        let config = crate::read_config(root, &Overrides::default()).map_err(|failure| {
            let first = failure.diagnostics().first();
            ImportError {
                path: first
                    .map_or_else(|| crate::config::FILE_NAME.to_string(), |d| d.path.clone()),
                position: first.map(|d| Position::new(d.line, d.column)),
                message: first
                    .map_or_else(|| "site.toml is wrong".to_string(), |d| d.message.clone()),
                trouble: Trouble::Site,
            }
        })?;
        // A broken entities file or article is `tiller check`'s to report:
        // the import uses what it can read.
        let entities = std::fs::read_to_string(root.join(crate::load::ENTITIES_FILE))
            .map(|text| entities::parse(&text).0)
            .unwrap_or_default();
        let mut tags: Vec<String> = Vec::new();
        let folder: PathBuf = save::FOLDER
            .iter()
            .fold(root.to_path_buf(), |p, n| p.join(n));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md"))
        {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let Ok(split) = front_matter::split(&text) else {
                continue;
            };
            if let Ok(meta) = front_matter::article("", &split, &config) {
                for tag in meta.tags {
                    if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag.text)) {
                        tags.push(tag.text);
                    }
                }
            }
        }
        Ok(Site {
            config,
            tags,
            entities,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_stop_at_a_whole_word() {
        assert_eq!(slug_of("Culture and leadership"), "culture-and-leadership");
        let long = slug_of(
            "‘If I make any mistakes it will be very public’, says director taking charge of three councils",
        );
        assert_eq!(
            long,
            "if-i-make-any-mistakes-it-will-be-very-public-says-director"
        );
        assert!(long.len() <= SLUG_LENGTH);
    }

    #[test]
    fn errors_name_the_file_and_their_place() {
        let error = ImportError::input("page.txt", Some(Position::new(3, 5)), "bad");
        assert_eq!(error.to_string(), "page.txt:3:5: error: bad");
        assert_eq!(error.exit_code(), 1);
        assert_eq!(
            ImportError::input("-", None, "bad").to_string(),
            "-: error: bad"
        );
    }
}
