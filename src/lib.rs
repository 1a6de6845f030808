//! Tiller: takes a site folder (`site.toml`, `content/`, `themes/`) and gives a
//! static website organised by leadership theme, through one pipeline:
//! load → parse → resolve → render → write.

pub mod cache;
pub mod config;
pub mod control;
pub mod diagnostics;
pub mod load;
pub mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod timings;
pub mod urls;
pub mod write;

use std::path::{Path, PathBuf};

use config::{Config, Overrides};
use diagnostics::{Diagnostic, Diagnostics, Position};
use output::{Collector, Output, Sink};
use parse::highlight::Highlighter;
use render::templates::Theme;
pub use resolve::Drafts;
use timings::Timings;
pub use write::{Foreign, Left};
use write::{Staging, StagingError};

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

/// What a successful run reports.
#[derive(Debug, Clone)]
pub struct Report {
    pub counts: Counts,
    /// Problems that did not fail the build.
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// What the build tidied or could not tidy around the output folder.
    pub notes: Vec<String>,
}

/// A site built in memory, with its report.
#[derive(Debug, Clone)]
pub struct Built {
    pub output: Output,
    pub report: Report,
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

/// The pipeline, load → parse → resolve → render, handing every output file
/// to `sink` as it is made.
pub fn run(
    settings: &Settings,
    highlighter: &Highlighter,
    sink: &dyn Sink,
) -> Result<Report, Failure> {
    let mut clock = Timings::start();
    let config = read_config(&settings.root, &settings.overrides)?;
    let mut problems = Diagnostics::new();
    let loaded = load::load(&settings.root, &config).map_err(|d| Failure::Setup(vec![d]))?;
    let sources = problems.take(loaded);
    let theme = problems.take_err(Theme::compile(&config.theme, &sources.templates));
    clock.lap("load");
    let (documents, entities, assets) = sources.into_parts();
    let parsed = problems.take(parse::parse(
        documents,
        entities.as_ref(),
        &config,
        highlighter,
    ));
    clock.lap("parse");
    let site = problems.take(resolve::resolve(parsed, assets, config, settings.drafts));
    clock.lap("resolve");
    let rendered = theme.map(|theme| render::render(&site, &theme, sink));
    clock.lap("render");
    let counts = Counts {
        pages: rendered.as_ref().map_or(0, |r| r.pages),
        articles: site.articles.len(),
        themes: site.themes.len(),
        tags: site.tags.len(),
    };
    if let Some(rendered) = rendered {
        problems.extend(rendered.problems);
    }
    // Freeing the site is hundreds of thousands of small frees, some 35 ms at
    // ten thousand articles, and nothing waits on it: it happens beside the
    // rest (publishing the output, reporting), not before them. Should no
    // thread be had, the refused closure is dropped here, and the site with it.
    let _ = std::thread::Builder::new()
        .name("free-site".to_string())
        .spawn(move || drop(site));
    finish(problems, settings.strictness, counts, clock)
}

/// Builds the site in memory (for `check`, tests and the dev server).
pub fn compile(settings: &Settings, highlighter: &Highlighter) -> Result<Built, Failure> {
    let collector = Collector::new();
    let report = run(settings, highlighter, &collector)?;
    Ok(Built {
        output: collector.into_output(),
        report,
    })
}

/// Why [`build`] failed, and where that left the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildFailure {
    pub failure: Failure,
    /// Where the previous site is now.
    pub left: Left,
    /// What was tidied before the build (leftovers of killed builds).
    pub notes: Vec<String>,
}

/// Builds the site into `destination`: pages stream into a staging folder
/// beside it, which replaces the destination only if the whole build
/// succeeds. A destination that is a link, or a folder with files that Tiller
/// did not make (unless `foreign` says to replace it), is refused untouched.
/// `waiting` is called if another build is writing beside the destination,
/// before this one waits for it to finish.
pub fn build(
    settings: &Settings,
    destination: &Path,
    foreign: Foreign,
    highlighter: &Highlighter,
    waiting: &dyn Fn(),
) -> Result<Report, BuildFailure> {
    let untouched = |failure| BuildFailure {
        failure,
        left: Left::AsItWas,
        notes: Vec::new(),
    };
    check_destination(&settings.root, destination).map_err(untouched)?;
    let shown = destination.display().to_string();
    let cannot_write = |e: std::io::Error| {
        Failure::Site(vec![Diagnostic::error(
            &shown,
            Position::START,
            format!("cannot write the site: {e}"),
        )])
    };
    let mut staging = match Staging::beside(destination, foreign, waiting) {
        Ok(staging) => staging,
        Err(StagingError::Refused(refusal)) => {
            return Err(untouched(Failure::Setup(vec![Diagnostic::error(
                &shown,
                Position::START,
                refusal.0,
            )])));
        }
        Err(StagingError::Io(e)) => return Err(untouched(cannot_write(e))),
    };
    let notes = std::mem::take(&mut staging.notes);
    let failed = |failure, left| BuildFailure {
        failure,
        left,
        notes: notes.clone(),
    };
    let mut report = run(settings, highlighter, &staging).map_err(|f| failed(f, Left::AsItWas))?;
    let after = staging
        .publish()
        .map_err(|e| failed(cannot_write(e.error), e.left))?;
    report.timings.lap("publish");
    report.notes = notes;
    report.notes.extend(after);
    Ok(report)
}

/// Refuses an output folder that building would damage whatever it holds.
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
    let file = root.join(config::FILE_NAME);
    let bytes = std::fs::read(&file).map_err(|e| {
        Failure::Setup(vec![Diagnostic::error(
            config::FILE_NAME,
            Position::START,
            format!("cannot read {}: {e}", file.display()),
        )])
    })?;
    let text = load::decode(config::FILE_NAME, bytes).map_err(|d| Failure::Setup(vec![d]))?;
    config::parse(&text, overrides).map_err(Failure::Setup)
}

fn finish(
    mut problems: Diagnostics,
    strictness: Strictness,
    counts: Counts,
    timings: Timings,
) -> Result<Report, Failure> {
    if strictness == Strictness::WarningsAreErrors {
        problems.make_warnings_errors();
    }
    let fails = problems.has_errors();
    let sorted = problems.into_sorted();
    if fails {
        return Err(Failure::Site(sorted));
    }
    Ok(Report {
        counts,
        warnings: sorted,
        timings,
        notes: Vec::new(),
    })
}
