//! Session: takes the changes an editor makes to a site's files and gives the
//! rebuilt site, in memory, redoing only the work the changes touch: a file is
//! parsed again only when its text changed, resolve's relations are reused when
//! no document moved, and a page is rendered again only when what it shows
//! changed. The result is byte for byte what a cold build gives.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::load::{self, Asset, DocumentFile, TemplateFile};
use crate::output::Files;
use crate::parse::entities::{self, Entities};
use crate::parse::highlight::Highlighter;
use crate::parse::{self, Parsed, ParsedDocument};
use crate::render::templates::Theme;
use crate::render::{self, RenderMemo};
use crate::resolve::{self, Memo};
use crate::site::Site;
use crate::timings::Timings;
use crate::{Counts, Settings, Strictness};

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files (or folders) created, modified, renamed or deleted.
    pub paths: BTreeSet<PathBuf>,
    /// Something changed that the paths do not say exactly (a folder moved,
    /// events were lost): look at every file again.
    pub rescan: bool,
}

impl Changes {
    /// Everything: what the first build sees.
    pub fn everything() -> Self {
        Changes {
            paths: BTreeSet::new(),
            rescan: true,
        }
    }

    pub fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// The result of one rebuild.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Every output file, when the site built; `None` when it has errors (the
    /// server keeps showing the last good site).
    pub files: Option<Files>,
    /// Every problem found, sorted; errors when `files` is `None`.
    pub problems: Vec<Diagnostic>,
    pub counts: Counts,
    /// How many content files were parsed again (the others were reused).
    pub parsed: usize,
    /// Output files added, changed or removed since the last rebuild that built.
    pub changed: BTreeSet<String>,
    pub timings: Timings,
    /// The base path the site is served under, if `site.toml` could be read.
    pub base_path: Option<String>,
}

/// A parsed document as the session keeps it, with the stamp of the file it
/// was parsed from.
#[derive(Debug, Clone)]
struct Cached {
    stamp: Stamp,
    parsed: ParsedDocument,
    problems: Vec<Diagnostic>,
}

/// What looking at one file again found.
enum Fresh {
    Unchanged,
    /// Touched, but its text is the same: only the stamp is new.
    Restamped(Stamp),
    Parsed(Cached),
}

/// When a file was last changed and how long it is: if neither differs, the
/// file is taken to be unchanged without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: metadata.modified().ok(),
        len: metadata.len(),
    })
}

/// A site being edited, with everything kept between rebuilds.
pub struct Session {
    settings: Settings,
    /// The root as an absolute path, for placing the watcher's absolute paths.
    absolute_root: PathBuf,
    highlighter: Highlighter,
    config: Option<(String, Config)>,
    templates: Vec<TemplateFile>,
    theme: Option<Arc<Theme>>,
    /// Problems found reading the theme, kept until it is read again.
    theme_problems: Vec<Diagnostic>,
    static_files: Vec<Arc<Asset>>,
    content_assets: BTreeMap<String, Arc<Asset>>,
    /// Problems found walking `content/`, kept until it is walked again.
    content_problems: Vec<Diagnostic>,
    /// The entities file's text as last read (`None` when there is none), what
    /// it defines, and its problems.
    entities_text: Option<Option<String>>,
    entities: Arc<Entities>,
    entities_problems: Vec<Diagnostic>,
    documents: BTreeMap<String, Cached>,
    relations: Memo,
    render: RenderMemo,
    /// Output files that renders changed but no rebuild has told of yet,
    /// because the rebuilds that made them failed.
    unreported: BTreeSet<String>,
    /// A site whose pages are built but whose search files are not yet.
    search_pending: Option<SearchPending>,
}

/// What making the search files of a built site needs, and what to report.
struct SearchPending {
    site: Site,
    problems: Vec<Diagnostic>,
    counts: Counts,
}

impl Session {
    pub fn new(settings: Settings) -> Self {
        Session {
            absolute_root: std::fs::canonicalize(&settings.root)
                .unwrap_or_else(|_| settings.root.clone()),
            settings,
            highlighter: Highlighter::remembering(),
            config: None,
            templates: Vec::new(),
            theme: None,
            theme_problems: Vec::new(),
            static_files: Vec::new(),
            content_assets: BTreeMap::new(),
            content_problems: Vec::new(),
            entities_text: None,
            entities: Arc::new(Entities::default()),
            entities_problems: Vec::new(),
            documents: BTreeMap::new(),
            relations: Memo::default(),
            render: RenderMemo::default(),
            unreported: BTreeSet::new(),
            search_pending: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.settings.root
    }

    /// A changed path relative to the site root (`content/a.md`), `/`-separated,
    /// if it is inside the site.
    fn relative(&self, path: &Path) -> Option<String> {
        let inside = path
            .strip_prefix(&self.absolute_root)
            .or_else(|_| path.strip_prefix(&self.settings.root))
            .ok()?;
        Some(load::relative(Path::new(""), inside))
    }

    /// Rebuilds after `changes`: every page, then the search files. Never
    /// panics on bad input: every problem is in the result.
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuilt {
        let mut rebuilt = self.rebuild_pages(changes);
        if let Some(search) = self.finish_search(&|| false) {
            rebuilt.changed.extend(search.changed);
            rebuilt.files = search.files;
            rebuilt.timings.lap("search");
        }
        rebuilt
    }

    /// Rebuilds every page after `changes`, keeping the last search files;
    /// [`Session::finish_search`] brings those up to date. On a large site
    /// the search files take longer than the pages an edit touches, so the
    /// dev server shows the pages first.
    pub fn rebuild_pages(&mut self, changes: &Changes) -> Rebuilt {
        let mut clock = Timings::start();
        let touched: Vec<String> = changes
            .paths
            .iter()
            .filter_map(|p| self.relative(p))
            .collect();
        let touches =
            |prefix: &str| changes.rescan || touched.iter().any(|p| p.starts_with(prefix));

        // The config: everything depends on it.
        let config_changed = touches(config::FILE_NAME) || self.config.is_none();
        if config_changed {
            match self.read_config() {
                Ok(changed) if !changed && self.config.is_some() => {}
                Ok(_) => {
                    // Markdown and front matter depend on the config: parse again.
                    self.documents.clear();
                    self.theme = None;
                }
                Err(problems) => return self.failed(problems, clock),
            }
        }
        let Some((_, config)) = self.config.clone() else {
            return self.failed(Vec::new(), clock);
        };

        let theme_folder = match load::theme_folder(&self.settings.root, &config) {
            Ok(folder) => folder,
            Err(problem) => return self.failed(vec![problem], clock),
        };
        let theme_prefix = format!("themes/{}/", config.theme);
        if self.theme.is_none() || touches(&format!("{theme_prefix}templates/")) {
            self.reload_theme(&config, &theme_folder);
        }
        if self.static_files.is_empty()
            || touches(&format!("{theme_prefix}static/"))
            || touches("static/")
        {
            let mut problems = Vec::new();
            self.static_files =
                load::static_files(&self.settings.root, &theme_folder, &mut problems)
                    .into_iter()
                    .map(Arc::new)
                    .collect();
            self.theme_problems.extend(problems);
        }
        if self.entities_text.is_none() || touches(entities::FILE) {
            self.reload_entities();
        }
        let parsed_files = self.update_content(changes, &touched, &config);
        clock.lap("load+parse");

        let mut problems = Diagnostics::new();
        problems.extend(self.theme_problems.iter().cloned());
        problems.extend(self.content_problems.iter().cloned());
        problems.extend(self.entities_problems.iter().cloned());
        let parsed = Parsed {
            documents: self
                .documents
                .values()
                .map(|cached| {
                    problems.extend(cached.problems.iter().cloned());
                    cached.parsed.clone()
                })
                .collect(),
            entities: self.entities.clone(),
        };
        let assets: Vec<Arc<Asset>> = self
            .content_assets
            .values()
            .chain(&self.static_files)
            .cloned()
            .collect();
        let (site, resolve_problems) = resolve::resolve_with(
            parsed,
            assets,
            config,
            self.settings.drafts,
            &mut self.relations,
        );
        problems.extend(resolve_problems);
        clock.lap("resolve");
        let mut pages = 0;
        let mut changed = Vec::new();
        if let Some(theme) = &self.theme {
            let rerendered = render::render_with(&site, theme, &mut self.render);
            pages = rerendered.rendered.pages;
            problems.extend(rerendered.rendered.problems);
            changed = rerendered.changed;
        }
        clock.lap("render");

        let counts = Counts {
            pages,
            articles: site.articles.len(),
            themes: site.themes.len(),
            tags: site.tags.len(),
        };
        if self.settings.strictness == Strictness::WarningsAreErrors {
            problems.make_warnings_errors();
        }
        let fails = problems.has_errors() || self.theme.is_none();
        let mut rebuilt = Rebuilt {
            files: None,
            problems: problems.into_sorted(),
            counts,
            parsed: parsed_files,
            changed: BTreeSet::new(),
            timings: clock,
            base_path: Some(site.config.base_url.path.clone()),
        };
        // The files changed since the last render, which may have failed:
        // what failed builds changed is told with the next that builds (a
        // file changed and changed back is told too, which costs a page a
        // needless reload at most).
        self.unreported.extend(changed);
        if fails {
            return rebuilt;
        }
        rebuilt.changed = std::mem::take(&mut self.unreported);
        rebuilt.files = Some(self.render.files().clone());
        self.search_pending = Some(SearchPending {
            site,
            problems: rebuilt.problems.clone(),
            counts: rebuilt.counts,
        });
        rebuilt
    }

    /// Brings the search files up to date with the last pages that built,
    /// if they are not: gives the site with them, and which files changed.
    /// Gives nothing if they were up to date, or if `stop` (asked now and
    /// then) says to stop, in which case they are still to do.
    pub fn finish_search(&mut self, stop: &dyn Fn() -> bool) -> Option<Rebuilt> {
        let pending = self.search_pending.take()?;
        let mut clock = Timings::start();
        let Some(changed) = render::search_with(&pending.site, &mut self.render, stop) else {
            self.search_pending = Some(pending);
            return None;
        };
        clock.lap("search");
        Some(Rebuilt {
            files: Some(self.render.files().clone()),
            problems: pending.problems,
            counts: pending.counts,
            parsed: 0,
            changed: changed.into_iter().collect(),
            timings: clock,
            base_path: Some(pending.site.config.base_url.path.clone()),
        })
    }

    fn failed(&self, problems: Vec<Diagnostic>, timings: Timings) -> Rebuilt {
        let mut all = Diagnostics::new();
        all.extend(problems);
        Rebuilt {
            files: None,
            problems: all.into_sorted(),
            counts: Counts {
                pages: 0,
                articles: 0,
                themes: 0,
                tags: 0,
            },
            parsed: 0,
            changed: BTreeSet::new(),
            timings,
            base_path: None,
        }
    }

    /// Reads `site.toml`; gives whether it changed.
    fn read_config(&mut self) -> Result<bool, Vec<Diagnostic>> {
        let path = self.settings.root.join(config::FILE_NAME);
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![Diagnostic::error(
                config::FILE_NAME,
                Position::START,
                format!("cannot read {}: {e}", path.display()),
            )]
        })?;
        let text = load::decode(config::FILE_NAME, bytes).map_err(|d| vec![d])?;
        if self.config.as_ref().is_some_and(|(last, _)| *last == text) {
            return Ok(false);
        }
        let config = config::parse(&text, &self.settings.overrides)?;
        self.config = Some((text, config));
        Ok(true)
    }

    fn reload_theme(&mut self, config: &Config, folder: &Path) {
        let mut problems = Vec::new();
        let templates = load::templates(&self.settings.root, config, folder, &mut problems);
        if self.theme.is_none() || templates != self.templates {
            match Theme::compile(&config.theme, &templates) {
                Ok(theme) => self.theme = Some(Arc::new(theme)),
                Err(theme_problems) => {
                    self.theme = None;
                    problems.extend(theme_problems);
                }
            }
            self.templates = templates;
        }
        self.theme_problems = problems;
    }

    /// Reads the entities file again; when what decides mentions changed,
    /// every document must be parsed again, since their links depend on it.
    fn reload_entities(&mut self) {
        let text = match load::entities_file(&self.settings.root) {
            Ok(file) => file.map(|f| f.text),
            Err(problem) => {
                self.entities_problems = vec![problem];
                return;
            }
        };
        if self.entities_text.as_ref() == Some(&text) {
            return;
        }
        let (entities, problems) = match &text {
            Some(text) => entities::parse(text),
            None => (Entities::default(), Vec::new()),
        };
        if entities.mentions_fingerprint != self.entities.mentions_fingerprint {
            self.documents.clear();
        }
        self.entities = Arc::new(entities);
        self.entities_problems = problems;
        self.entities_text = Some(text);
    }

    /// Brings the parsed documents and content assets up to date: only the
    /// changed paths when they are known exactly, else every file, skipping
    /// those whose time and length did not change.
    /// Gives how many files were parsed.
    fn update_content(&mut self, changes: &Changes, touched: &[String], config: &Config) -> usize {
        // A folder, or a path through a link, is looked at whole, as a cold
        // build looks at it (a link may lead outside the site).
        let exact = !changes.rescan
            && !self.documents.is_empty()
            && touched.iter().all(|path| {
                !self.settings.root.join(path).is_dir() && load::is_plain(&self.settings.root, path)
            });
        let candidates: Vec<DocumentFile> = if exact {
            // Problems of the files looked at again are found again below.
            self.content_problems.retain(|p| !touched.contains(&p.path));
            let mut candidates = Vec::new();
            for path in touched
                .iter()
                .filter(|p| p.starts_with("content/") && !load::is_entities_file(p))
            {
                let file = self.settings.root.join(path);
                let scratch = file
                    .file_name()
                    .is_some_and(|n| load::is_scratch_file(&n.to_string_lossy()));
                if scratch {
                    continue;
                }
                if load::is_markdown(&file) {
                    if file.is_file() {
                        candidates.push(DocumentFile {
                            path: path.clone(),
                            file,
                        });
                    } else {
                        self.documents.remove(path);
                    }
                } else if file.is_file() {
                    match load::content_asset(&self.settings.root, &file) {
                        Ok(asset) => {
                            self.content_assets.insert(path.clone(), Arc::new(asset));
                        }
                        Err(problem) => self.content_problems.push(problem),
                    }
                } else {
                    // Gone: a file, or a whole folder of them.
                    let inside = format!("{path}/");
                    self.content_assets
                        .retain(|p, _| p != path && !p.starts_with(&inside));
                    self.documents.retain(|p, _| !p.starts_with(&inside));
                }
            }
            candidates
        } else {
            let mut problems = Vec::new();
            let content = load::content(&self.settings.root, &mut problems);
            let documents = content.documents;
            self.content_problems = problems;
            self.content_assets = content
                .assets
                .into_iter()
                .map(|a| (a.path.clone(), Arc::new(a)))
                .collect();
            let present: BTreeSet<&str> = documents.iter().map(|d| d.path.as_str()).collect();
            self.documents
                .retain(|path, _| present.contains(path.as_str()));
            documents
        };
        // Parse, in parallel, every candidate whose stamp or text changed.
        let known = &self.documents;
        let highlighter = &self.highlighter;
        let entities = self.entities.as_ref();
        let fresh: Vec<(String, Fresh)> = candidates
            .into_par_iter()
            .map(|file| {
                let now = stamp(&file.file);
                let cached = known.get(&file.path);
                if let (Some(cached), Some(now)) = (cached, now)
                    && cached.stamp == now
                {
                    return (file.path, Fresh::Unchanged);
                }
                let now = now.unwrap_or(Stamp {
                    modified: None,
                    len: 0,
                });
                let (parsed, problems) = match file.read() {
                    Ok(source) => {
                        let text_hash = parse::source_hash(&source.text, entities);
                        if cached
                            .is_some_and(|c| document_source_hash(&c.parsed) == Some(text_hash))
                        {
                            return (file.path, Fresh::Restamped(now));
                        }
                        parse::parse_document(&source, entities, config, highlighter)
                    }
                    Err(problem) => parse::unreadable(&file, problem),
                };
                let cached = Cached {
                    stamp: now,
                    parsed,
                    problems,
                };
                (file.path, Fresh::Parsed(cached))
            })
            .collect();
        let mut parsed = 0;
        for (path, fresh) in fresh {
            match fresh {
                Fresh::Unchanged => {}
                Fresh::Restamped(now) => {
                    if let Some(cached) = self.documents.get_mut(&path) {
                        cached.stamp = now;
                    }
                }
                Fresh::Parsed(cached) => {
                    parsed += 1;
                    self.documents.insert(path, cached);
                }
            }
        }
        parsed
    }
}

fn document_source_hash(document: &ParsedDocument) -> Option<u64> {
    match document {
        ParsedDocument::Article(a) => Some(a.source_hash),
        ParsedDocument::Page(p) => Some(p.source_hash),
        ParsedDocument::Broken(_) => None,
    }
}
