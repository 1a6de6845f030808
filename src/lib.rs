//! Tiller: takes a site folder (`site.toml`, `content/`, `themes/`) and gives a
//! static website organised by leadership theme, through one pipeline:
//! load → parse → resolve → render → write.

pub mod cache;
pub mod config;
pub mod control;
pub mod diagnostics;
pub mod embedded;
pub mod highlight;
pub mod import;
pub mod load;
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

pub use cache::{Cache, Changes};
use config::{Config, Overrides};
use diagnostics::{Code, Diagnostic, Diagnostics, Position};
pub use resolve::Drafts;
use timings::Timings;
pub use write::{Foreign, Left, MemoryStore, NullStore, Output, Staging, Store};

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

/// What a successful build reports.
#[derive(Debug, Clone)]
pub struct Report {
    pub counts: Counts,
    /// Problems that did not fail the build.
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    /// How many documents were parsed (the others were known to the cache).
    pub parsed: usize,
    /// Output paths that changed, for a store that tells (the dev server's).
    pub changed: Vec<String>,
    /// What publishing could not tidy, for the user.
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
    /// The site built, but could not be written; where the old one is: exit 1.
    Write(Vec<Diagnostic>, Left),
}

impl Failure {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Failure::Setup(d) | Failure::Site(d) | Failure::Write(d, _) => d,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Setup(_) => 2,
            Failure::Site(_) | Failure::Write(..) => 1,
        }
    }
}

/// The pipeline, for `build`, `check` and `serve` alike: load → parse →
/// resolve → render → write. What `cache` holds from the last build is used
/// where nothing it was made from changed, and what this build makes is left
/// in it for the next; the files go to `store`, which publishes them only if
/// the build has no errors.
pub fn build(
    settings: &Settings,
    cache: &mut Cache,
    store: &mut dyn Store,
) -> Result<Report, Failure> {
    let mut clock = Timings::start();
    let changes = cache.take_changes();
    let config = match read_config(&settings.root, &settings.overrides) {
        Ok(config) => config,
        Err(failure) => {
            // Nothing was looked at: the next build looks at it all again.
            cache.changed(changes);
            return Err(failure);
        }
    };
    let mut problems = Diagnostics::new();
    let loaded = load::load(&settings.root, &config, cache.memory(), &changes).map_err(|d| {
        cache.changed(Changes::everything());
        Failure::Setup(vec![d])
    })?;
    cache.done_with::<load::Found>();
    let sources = problems.take(loaded);
    let templates = problems.take_err(render::templates::compiled(
        cache,
        &config.theme,
        &sources.templates,
    ));
    clock.lap("load");
    let (parsed, count) = problems.take(parse::parse(
        sources.documents,
        sources.entities.as_ref(),
        &config,
        cache,
        &changes,
    ));
    cache.done_with::<parse::Memory>();
    clock.lap("parse");
    let site = problems.take(resolve::resolve(
        parsed,
        sources.assets,
        config,
        settings.drafts,
        cache,
    ));
    cache.done_with::<resolve::Memory>();
    clock.lap("resolve");
    let rendered = templates.map(|templates| render::render(&site, &templates, cache, store));
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
    cache.retire(site);
    if settings.strictness == Strictness::WarningsAreErrors {
        problems.make_warnings_errors();
    }
    let failed = problems.has_errors();
    let sorted = problems.into_sorted();
    if failed {
        store.discard();
        return Err(Failure::Site(sorted));
    }
    let published = store.publish().map_err(|e| {
        let problem = Diagnostic::error(
            Code::OutputWrite,
            &e.output,
            Position::START,
            format!("cannot write the site: {}", e.error),
        );
        Failure::Write(vec![problem], e.left)
    })?;
    clock.lap("write");
    Ok(Report {
        counts,
        warnings: sorted,
        timings: clock,
        parsed: count,
        changed: published.changed,
        notes: published.notes,
    })
}

/// Builds the site in memory, from nothing (for tests).
pub fn compile(settings: &Settings) -> Result<Built, Failure> {
    let mut store = MemoryStore::default();
    let report = build(settings, &mut Cache::for_one_build(), &mut store)?;
    Ok(Built {
        output: store.output(),
        report,
    })
}

/// The store a build to `destination` writes to: a staging folder beside it,
/// once the destination is checked (it must not be a folder that holds
/// anything else of value, a link, or, unless `foreign` allows, a folder
/// Tiller did not make). `waiting` is called if another build is writing
/// beside it, before this one waits for that to finish.
pub fn output_folder(
    root: &Path,
    destination: &Path,
    foreign: Foreign,
    waiting: &dyn Fn(),
) -> Result<Staging, Failure> {
    check_destination(root, destination)?;
    let shown = destination.display().to_string();
    Staging::beside(destination, foreign, waiting).map_err(|e| match e {
        write::StagingError::Refused(refusal) => Failure::Setup(vec![Diagnostic::error(
            Code::OutputRefused,
            &shown,
            Position::START,
            refusal.0,
        )]),
        write::StagingError::Io(e) => Failure::Write(
            vec![Diagnostic::error(
                Code::OutputWrite,
                &shown,
                Position::START,
                format!("cannot write the site: {e}"),
            )],
            Left::AsItWas,
        ),
    })
}

/// Refuses an output folder that building would damage whatever it holds.
pub fn check_destination(root: &Path, destination: &Path) -> Result<(), Failure> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    write::check_destination(root, destination, home.as_deref()).map_err(|e| {
        Failure::Setup(vec![Diagnostic::error(
            Code::OutputRefused,
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
        let (code, message) = if e.kind() == std::io::ErrorKind::NotFound {
            (Code::ConfigMissing, missing_config(root))
        } else {
            (
                Code::FileUnreadable,
                format!("cannot read {}: {e}", file.display()),
            )
        };
        Failure::Setup(vec![Diagnostic::error(
            code,
            config::FILE_NAME,
            Position::START,
            message,
        )])
    })?;
    let text = load::decode(config::FILE_NAME, bytes).map_err(|d| Failure::Setup(vec![d]))?;
    config::parse(&text, overrides).map_err(Failure::Setup)
}

/// What to say when a folder has no `site.toml`: it is not a site yet.
pub fn missing_config(root: &Path) -> String {
    let here = if root == Path::new(".") || root.as_os_str().is_empty() {
        "here".to_string()
    } else {
        format!("in {}", root.display())
    };
    format!("no site.toml {here}: run `tiller init` to start a site, or give --root")
}
