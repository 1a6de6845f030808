//! Session: takes the changes an editor makes to a site's files and gives the
//! site rebuilt in memory, by the one pipeline every build runs, keeping its
//! cache and the site in memory between rebuilds so that each redoes only
//! what the changes touch. The result is byte for byte what a cold build gives.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::serve::watch::Changes;
use crate::write::{MemoryStore, SiteFiles};
use crate::{Cache, Counts, Failure, Settings};

/// The result of one rebuild.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Every output file, when the site built; `None` when it has errors (the
    /// server keeps showing the last good site).
    pub files: Option<Arc<SiteFiles>>,
    /// Every problem found, sorted; errors when `files` is `None`.
    pub problems: Vec<Diagnostic>,
    pub(crate) counts: Counts,
    /// How many content files were parsed again (the others were reused).
    pub parsed: usize,
    /// Output files added, changed or removed since the last rebuild that built.
    pub changed: BTreeSet<String>,
    /// The base path the site is served under, if `site.toml` could be read.
    pub base_path: Option<String>,
}

/// A site being edited: its settings, the cache its builds share, and the
/// site in memory.
pub struct Session {
    settings: Settings,
    /// The root as an absolute path, for placing the watcher's absolute paths.
    absolute_root: PathBuf,
    cache: Cache,
    store: MemoryStore,
}

impl Session {
    pub fn new(settings: Settings) -> Self {
        Session {
            absolute_root: std::fs::canonicalize(&settings.root)
                .unwrap_or_else(|_| settings.root.clone()),
            settings,
            cache: Cache::new(),
            store: MemoryStore::default(),
        }
    }

    /// Rebuilds after `changes`. Never panics on bad input: every problem is
    /// in the result.
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuilt {
        self.cache.changed(self.relative(changes));
        let built = crate::build(&self.settings, &mut self.cache, &mut self.store);
        let base_path = crate::read_config(&self.settings.root, &self.settings.overrides)
            .ok()
            .map(|config| config.base_url.path);
        match built {
            Ok(report) => Rebuilt {
                files: Some(self.store.files()),
                problems: report.warnings,
                counts: report.counts,
                parsed: report.parsed,
                changed: report.changed.into_iter().collect(),
                base_path,
            },
            Err(failure) => Rebuilt {
                files: None,
                problems: failure.diagnostics().to_vec(),
                counts: Counts {
                    pages: 0,
                    articles: 0,
                    themes: 0,
                    tags: 0,
                },
                parsed: 0,
                changed: BTreeSet::new(),
                base_path: match failure {
                    Failure::Setup(_) => None,
                    _ => base_path,
                },
            },
        }
    }

    /// The watcher's changes, as paths relative to the site root; everything,
    /// when the watcher lost count.
    fn relative(&self, changes: &Changes) -> crate::Changes {
        if changes.rescan {
            return crate::Changes::everything();
        }
        crate::Changes::only(changes.paths.iter().filter_map(|path| {
            let inside = path
                .strip_prefix(&self.absolute_root)
                .or_else(|_| path.strip_prefix(&self.settings.root))
                .ok()?;
            Some(crate::load::relative(Path::new(""), inside))
        }))
    }
}
