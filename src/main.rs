//! The `tiller` command: takes command-line arguments and gives them to the
//! library's pipeline, printing diagnostics to stderr and one summary line.

use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use tiller::config::Overrides;
use tiller::diagnostics::Diagnostic;
use tiller::diagnostics::format::{Format, Summary};
use tiller::serve::Opening;
use tiller::serve::watch::Watching;
use tiller::{Cache, Counts, Drafts, Failure, Foreign, Left, NullStore, Settings, Strictness};

#[derive(Parser)]
#[command(
    name = "tiller",
    version,
    about = "Builds a cross-linked site about leadership in adult social care"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder, replacing it only if the build succeeds
    Build(BuildArgs),
    /// Do everything build does, including link checks, without writing anything
    Check(CheckArgs),
    /// Write content/articles/<slug>.md with front matter filled in
    New(NewArgs),
    /// Turn a scraped article (text copied from a page, or a saved .html page)
    /// into a Markdown draft, content/articles/<slug>.md, with draft: true
    Import(ImportArgs),
    /// Serve the site from memory, rebuild on every change, reload open pages
    Serve(ServeArgs),
    /// Write a new site that builds at once, using the theme built into tiller
    Init(InitArgs),
    /// The site's theme (the look)
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell's completion script for tiller (bash, zsh, fish…)
    Completions(CompletionsArgs),
}

#[derive(Args)]
struct InitArgs {
    /// The folder to write the site into: new, or empty
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Also copy the built-in theme into themes/default/, to edit the look
    #[arg(long)]
    theme: bool,
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Copy the built-in default theme into themes/default/, to edit the look;
    /// the site uses that folder from then on
    Eject {
        /// The site folder
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell, e.g. `tiller completions bash > ~/.local/share/bash-completion/completions/tiller`
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder, holding site.toml, content/ and themes/
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Build articles and pages marked `draft: true` too
    #[arg(long)]
    drafts: bool,
    /// Fail on warnings as well as errors
    #[arg(long)]
    strict: bool,
    /// Print how long each stage of the build took
    #[arg(long)]
    timings: bool,
}

/// How `build` and `check` report.
#[derive(Args)]
struct FormatArgs {
    /// How to write diagnostics: human (path:line:col: error: message, on
    /// stderr), json (one object a line on stdout, then a summary) or github
    /// (GitHub Actions annotations) [default: github when GITHUB_ACTIONS=true,
    /// else human]
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

/// The formats `--format` takes.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Human => Self::Human,
            FormatArg::Json => Self::Json,
            FormatArg::Github => Self::Github,
        }
    }
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: FormatArgs,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: FormatArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Publish under this URL instead of site.toml's base_url
    #[arg(long)]
    base_url: Option<String>,
    /// Replace the output folder even if it holds files Tiller did not write
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The address to listen on; the default answers this computer only
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Open the site in a browser once it is served
    #[arg(long)]
    open: bool,
    /// Look for changes by polling the files, for file systems without change events
    #[arg(long)]
    poll: bool,
}

#[derive(Args)]
struct NewArgs {
    /// The title of the article; the file name is made from it
    title: String,
    /// The site folder
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct ImportArgs {
    /// The page: a .txt file of text copied from it, a saved .html or .htm
    /// page, or - to read standard input
    source: PathBuf,
    /// The site folder
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Write the draft to standard output instead; write no file
    #[arg(long)]
    print: bool,
    /// The article's kind, instead of the suggested one
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
}

/// The kinds `--kind` takes, as front matter writes them.
#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Interview,
    Briefing,
    Guidance,
    Blog,
    Report,
}

impl From<KindArg> for tiller::import::Kind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Interview => Self::Interview,
            KindArg::Briefing => Self::Briefing,
            KindArg::Guidance => Self::Guidance,
            KindArg::Blog => Self::Blog,
            KindArg::Report => Self::Report,
        }
    }
}

fn settings(args: &SiteArgs, base_url: Option<String>) -> Settings {
    Settings {
        root: args.root.clone(),
        overrides: Overrides {
            base_url,
            origin: None,
        },
        drafts: if args.drafts {
            Drafts::Include
        } else {
            Drafts::Leave
        },
        strictness: if args.strict {
            Strictness::WarningsAreErrors
        } else {
            Strictness::WarningsAllowed
        },
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::New(args) => new(args),
        Command::Import(args) => import(args),
        Command::Serve(args) => serve(args),
        Command::Init(args) => init(args),
        Command::Theme(ThemeCommand::Eject { root }) => eject(&root),
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "tiller",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

/// Prints a failure's diagnostics and the line saying what failed, for the
/// commands that report only to people.
fn fail(failure: &Failure, what: &str) -> ExitCode {
    for diagnostic in failure.diagnostics() {
        eprintln!("{diagnostic}");
    }
    let (errors, warnings) = Summary::count(failure.diagnostics());
    eprintln!("{what} failed: {errors} error(s), {warnings} warning(s)");
    ExitCode::from(failure.exit_code())
}

/// How a run of `build` or `check` reports, in the format asked for: people
/// read diagnostics on stderr; programs read JSON lines or workflow commands
/// on stdout, and nothing else there.
struct Reporter {
    format: Format,
    command: &'static str,
    root: PathBuf,
    started: Instant,
}

impl Reporter {
    fn new(command: &'static str, args: &FormatArgs, root: &Path) -> Self {
        let github_actions = std::env::var("GITHUB_ACTIONS").ok();
        Reporter {
            format: Format::chosen(args.format.map(Into::into), github_actions.as_deref()),
            command,
            root: root.to_path_buf(),
            started: Instant::now(),
        }
    }

    fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        if self.format == Format::Human {
            for diagnostic in diagnostics {
                eprintln!("{diagnostic}");
            }
            return;
        }
        let mut out = std::io::stdout().lock();
        for diagnostic in diagnostics {
            let file = match self.format {
                Format::Github => self.path_from_here(&diagnostic.path),
                _ => diagnostic.path.clone(),
            };
            // A closed pipe must not panic; the exit status still tells.
            let _ = writeln!(out, "{}", self.format.line(diagnostic, &file));
        }
    }

    /// A path relative to the site root as a path from the folder Tiller was
    /// run in, which is where GitHub looks for it; a path that is not under
    /// the root (the output folder, as given) stays as it is.
    fn path_from_here(&self, path: &str) -> String {
        let root = self.root.to_string_lossy();
        let root = root.trim_start_matches("./").trim_end_matches('/');
        if root.is_empty() || root == "." || !self.root.join(path).exists() {
            return path.to_string();
        }
        format!("{root}/{path}")
    }

    fn milliseconds(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The run succeeded: `line` for people, or the JSON summary.
    fn succeeded(&self, counts: Counts, warnings: usize, output: Option<&Path>, line: &str) {
        if self.format == Format::Json {
            let summary = Summary {
                command: self.command,
                success: true,
                exit_code: 0,
                errors: 0,
                warnings,
                counts: Some(counts.into()),
                output: output.map(|o| o.display().to_string()),
                milliseconds: self.milliseconds(),
            };
            println!("{}", summary.json());
        } else {
            println!("{line}");
        }
    }

    /// The run failed: every problem, then what failed.
    fn failed(&self, failure: &Failure, what: &str) -> ExitCode {
        self.diagnostics(failure.diagnostics());
        let (errors, warnings) = Summary::count(failure.diagnostics());
        if self.format == Format::Json {
            let summary = Summary {
                command: self.command,
                success: false,
                exit_code: failure.exit_code(),
                errors,
                warnings,
                counts: None,
                output: None,
                milliseconds: self.milliseconds(),
            };
            println!("{}", summary.json());
        } else {
            eprintln!("{what} failed: {errors} error(s), {warnings} warning(s)");
        }
        ExitCode::from(failure.exit_code())
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let settings = settings(&args.site, args.base_url);
    let reporter = Reporter::new("build", &args.report, &settings.root);
    let destination = args.output.unwrap_or_else(|| settings.root.join("public"));
    let untouched = format!("build ({} was left as it was)", destination.display());
    let foreign = if args.force {
        Foreign::Replace
    } else {
        Foreign::Refuse
    };
    let waiting = || {
        eprintln!(
            "note: another build is writing beside {}; waiting for it to finish",
            destination.display()
        );
    };
    let mut store = match tiller::output_folder(&settings.root, &destination, foreign, &waiting) {
        Ok(store) => store,
        Err(failure) => return reporter.failed(&failure, &untouched),
    };
    notes(&store.notes);
    match tiller::build(&settings, one_off_cache(), &mut store) {
        Ok(done) => {
            notes(&done.notes);
            reporter.diagnostics(&done.warnings);
            if args.site.timings {
                eprintln!("timings: {}", done.timings);
            }
            let c = done.counts;
            let line = format!(
                "built {} pages ({} articles, {} themes, {} tags) into {} in {} ms{}",
                c.pages,
                c.articles,
                c.themes,
                c.tags,
                destination.display(),
                reporter.milliseconds(),
                warnings_note(done.warnings.len()),
            );
            reporter.succeeded(c, done.warnings.len(), Some(&destination), &line);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let what = match &failure {
                Failure::Write(_, Left::MovedTo(aside)) => format!(
                    "build (the previous site is in {}; the next build puts it back)",
                    aside.display()
                ),
                _ => untouched,
            };
            reporter.failed(&failure, &what)
        }
    }
}

fn notes(notes: &[String]) {
    for note in notes {
        eprintln!("note: {note}");
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let settings = settings(&args.site, None);
    let reporter = Reporter::new("check", &args.report, &settings.root);
    match tiller::build(&settings, one_off_cache(), &mut NullStore) {
        Ok(done) => {
            reporter.diagnostics(&done.warnings);
            if args.site.timings {
                eprintln!("timings: {}", done.timings);
            }
            let c = done.counts;
            let line = format!(
                "checked {} pages ({} articles, {} themes, {} tags) in {} ms: no errors{}",
                c.pages,
                c.articles,
                c.themes,
                c.tags,
                reporter.milliseconds(),
                warnings_note(done.warnings.len()),
            );
            reporter.succeeded(c, done.warnings.len(), None, &line);
            ExitCode::SUCCESS
        }
        Err(failure) => reporter.failed(&failure, "check"),
    }
}

/// The cache of a build that runs once (`build`, `check`), left to the
/// operating system: at exit it takes back the whole of it at once, where
/// freeing a large site's documents one by one kept the process about 46 ms
/// longer at 10,000 articles, for nothing.
fn one_off_cache() -> &'static mut Cache {
    Box::leak(Box::new(Cache::for_one_build()))
}

fn warnings_note(count: usize) -> String {
    match count {
        0 => String::new(),
        n => format!(", {n} warning(s)"),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    // Serving a folder that is no site would serve nothing: say what to do.
    let config = args.site.root.join(tiller::config::FILE_NAME);
    if !config.exists() {
        eprintln!("error: {}", tiller::missing_config(&args.site.root));
        return ExitCode::from(2);
    }
    let options = tiller::serve::Options {
        settings: settings(&args.site, None),
        bind: args.bind,
        port: args.port,
        open: if args.open {
            Opening::Browser
        } else {
            Opening::Nothing
        },
        watching: if args.poll {
            Watching::Polling
        } else {
            Watching::Native
        },
    };
    match tiller::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.0);
            ExitCode::from(2)
        }
    }
}

fn new(args: NewArgs) -> ExitCode {
    let config = match tiller::read_config(&args.root, &Overrides::default()) {
        Ok(config) => config,
        Err(failure) => return fail(&failure, "new"),
    };
    let today = time::OffsetDateTime::now_utc().date();
    match tiller::scaffold::new_article(&args.root, &args.title, &config, today) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn init(args: InitArgs) -> ExitCode {
    let today = time::OffsetDateTime::now_utc().date();
    match tiller::scaffold::init(&args.dir, today, args.theme) {
        Ok(written) => {
            for file in &written {
                println!("created {}", args.dir.join(file).display());
            }
            let theme = if args.theme {
                "its own copy of the default theme, in themes/default/"
            } else {
                "the default theme built into tiller (`tiller theme eject` copies it out to edit)"
            };
            println!("a new site, using {theme}. Next:");
            if args.dir != Path::new(".") {
                println!("  cd {}", args.dir.display());
            }
            println!("  tiller serve");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

fn eject(root: &Path) -> ExitCode {
    match tiller::scaffold::eject_theme(root) {
        Ok(written) => {
            println!(
                "copied the default theme into {} ({} files); the site uses it from now on",
                root.join("themes/default").display(),
                written.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

fn import(args: ImportArgs) -> ExitCode {
    use tiller::import::{Destination, Input, Request};
    let request = Request {
        input: if args.source.as_os_str() == "-" {
            Input::StandardInput
        } else {
            Input::File(args.source)
        },
        root: args.root,
        destination: if args.print {
            Destination::Print
        } else {
            Destination::ArticlesFolder
        },
        kind: args.kind.map(Into::into),
    };
    match tiller::import::import(&request) {
        Ok(imported) => {
            eprint!("{}", imported.report);
            if request.destination == Destination::Print {
                print!("{}", imported.draft);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
