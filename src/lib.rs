//! Tiller: takes a site folder (`site.toml`, `content/`, `themes/`) and gives a
//! static website organised by leadership theme, through one pipeline:
//! load → parse → resolve → render → write.

pub mod config;
pub mod diagnostics;
pub mod front_matter;
pub mod highlight;
pub mod load;
pub mod markdown;
pub mod output;
pub mod parse;
pub mod related;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod site;
pub mod slug;
pub mod theme;
pub mod urls;
pub mod views;
pub mod write;

use std::path::{Path, PathBuf};

use config::{Config, Overrides};
use diagnostics::{Diagnostic, Diagnostics, Position};
use highlight::Highlighter;
use output::Output;
pub use resolve::Drafts;
use theme::Theme;

/// Whether warnings fail the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    #[default]
    WarningsAllowed,
    WarningsAreErrors,
}

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub root: PathBuf,
    pub overrides: Overrides,
    pub drafts: Drafts,
    pub strictness: Strictness,
}

/// The counts the summary line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pages: usize,
    pub articles: usize,
    pub themes: usize,
    pub tags: usize,
}

/// A site built in memory.
#[derive(Debug, Clone)]
pub struct Built {
    pub output: Output,
    pub counts: Counts,
    /// Problems that did not fail the build.
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed, with every problem found, sorted by path and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// `site.toml`, the theme's existence or the command line is wrong: exit 2.
    Setup(Vec<Diagnostic>),
    /// The content or templates have errors: exit 1.
    Site(Vec<Diagnostic>),
}

impl Failure {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Failure::Setup(d) | Failure::Site(d) => d,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Setup(_) => 2,
            Failure::Site(_) => 1,
        }
    }
}

/// Builds the site in memory: the whole pipeline but the write.
pub fn compile(settings: &Settings, highlighter: &Highlighter) -> Result<Built, Failure> {
    let config = read_config(&settings.root, &settings.overrides)?;
    let mut problems = Diagnostics::new();
    let loaded = load::load(&settings.root, &config).map_err(|d| Failure::Setup(vec![d]))?;
    let sources = problems.take(loaded);
    let theme = problems.take_err(Theme::compile(&config.theme, &sources.templates));
    let parsed = problems.take(parse::parse(&sources, &config, highlighter));
    let assets = sources.into_assets();
    let site = problems.take(resolve::resolve(parsed, assets, config, settings.drafts));
    let output = theme.map(|theme| problems.take(render::render(&site, &theme)));
    let counts = Counts {
        pages: output.as_ref().map_or(0, Output::page_count),
        articles: site.articles.len(),
        themes: site.themes.len(),
        tags: site.tags.len(),
    };
    finish(problems, settings.strictness, output, counts)
}

/// Builds the site and writes it to `destination` atomically.
pub fn build(
    settings: &Settings,
    destination: &Path,
    highlighter: &Highlighter,
) -> Result<Built, Failure> {
    check_destination(&settings.root, destination)?;
    let built = compile(settings, highlighter)?;
    write::write_atomically(&built.output, destination).map_err(|e| {
        Failure::Site(vec![Diagnostic::error(
            &destination.display().to_string(),
            Position::START,
            format!("cannot write the site: {e}"),
        )])
    })?;
    Ok(built)
}

/// Refuses an output folder that building would damage.
pub fn check_destination(root: &Path, destination: &Path) -> Result<(), Failure> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    write::check_destination(root, destination, home.as_deref()).map_err(|e| {
        Failure::Setup(vec![Diagnostic::error(
            &destination.display().to_string(),
            Position::START,
            e.0,
        )])
    })
}

/// Reads and validates `site.toml`.
pub fn read_config(root: &Path, overrides: &Overrides) -> Result<Config, Failure> {
    let text = std::fs::read_to_string(root.join(config::FILE_NAME)).map_err(|e| {
        Failure::Setup(vec![Diagnostic::error(
            config::FILE_NAME,
            Position::START,
            format!(
                "cannot read {}: {e}",
                root.join(config::FILE_NAME).display()
            ),
        )])
    })?;
    config::parse(&text, overrides).map_err(Failure::Setup)
}

fn finish(
    problems: Diagnostics,
    strictness: Strictness,
    output: Option<Output>,
    counts: Counts,
) -> Result<Built, Failure> {
    let fails = problems.has_errors()
        || (strictness == Strictness::WarningsAreErrors && !problems.is_empty());
    let sorted = problems.into_sorted();
    match output {
        Some(output) if !fails => Ok(Built {
            output,
            counts,
            warnings: sorted,
        }),
        _ => Err(Failure::Site(sorted)),
    }
}
