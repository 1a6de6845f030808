//! Watch: takes a site root and gives [`Changes`] to its sources (`content/`,
//! `themes/`, `static/`, `site.toml`) as they happen, debounced, from the
//! operating system's file events or, where those are not available (or with
//! `--poll`), from polling the files.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::config;
use crate::load::is_scratch_file;
use crate::session::Changes;

/// How long the debouncer waits for a burst of events on one file to end.
/// Short, because an editor waits for the page: saves come as a handful of
/// events within a few milliseconds, and a rebuild already running gathers
/// everything that arrives meanwhile into the next one.
const QUIET: Duration = Duration::from_millis(10);

/// How often files are looked at when polling. Polling compares contents,
/// not times, because notify's poller keeps modification times to the second
/// and would miss a second save within the same second; so it reads every
/// file each time round, and is for file systems that give no events.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders whose files make the site.
const SOURCE_FOLDERS: &[&str] = &["content", "themes", "static"];

/// Where file events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watching {
    /// The operating system's file events (inotify, FSEvents…).
    Native,
    /// Looking at every file every [`POLL_INTERVAL`]: for file systems that
    /// give no events (network shares, some containers).
    Polling,
}

enum Engine {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    engine: Engine,
    root: PathBuf,
    watched: Vec<PathBuf>,
    pub changes: Receiver<Changes>,
    pub watching: Watching,
}

/// Starts watching `root`. Native events are tried first unless polling is
/// asked for; if they cannot be had, polling is used and said so.
pub fn watch(root: &Path, watching: Watching) -> Result<Watcher, String> {
    let root =
        std::fs::canonicalize(root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let (sender, changes) = channel();
    let engine = match watching {
        Watching::Native => match native(&root, sender.clone()) {
            Ok(engine) => (engine, Watching::Native),
            Err(error) => {
                eprintln!(
                    "note: file events are not available ({error}); polling every {} ms instead",
                    POLL_INTERVAL.as_millis()
                );
                (polling(&root, sender)?, Watching::Polling)
            }
        },
        Watching::Polling => (polling(&root, sender)?, Watching::Polling),
    };
    let mut watcher = Watcher {
        engine: engine.0,
        root,
        watched: Vec::new(),
        changes,
        watching: engine.1,
    };
    watcher.watch_sources()?;
    Ok(watcher)
}

fn handler(
    root: PathBuf,
    sender: Sender<Changes>,
) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let mut changes = Changes::default();
        match result {
            Ok(events) => {
                for event in events {
                    // Reading a file is not changing it (and the rebuild reads files).
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    changes.rescan |= event.need_rescan();
                    for path in &event.paths {
                        if is_source(&root, path) {
                            changes.paths.insert(path.clone());
                        }
                    }
                }
            }
            // Events were lost: look at everything.
            Err(_) => changes.rescan = true,
        }
        if !changes.is_empty() {
            // The receiver is gone only when the server is stopping.
            let _ = sender.send(changes);
        }
    }
}

fn native(root: &Path, sender: Sender<Changes>) -> Result<Engine, String> {
    let debouncer = new_debouncer_opt::<_, RecommendedWatcher, _>(
        QUIET,
        None,
        handler(root.to_path_buf(), sender),
        RecommendedCache::new(),
        notify::Config::default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(Engine::Native(debouncer))
}

fn polling(root: &Path, sender: Sender<Changes>) -> Result<Engine, String> {
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    let debouncer = new_debouncer_opt::<_, PollWatcher, _>(
        QUIET,
        None,
        handler(root.to_path_buf(), sender),
        NoCache,
        config,
    )
    .map_err(|e| format!("cannot poll the site's files: {e}"))?;
    Ok(Engine::Polling(debouncer))
}

/// Whether a changed path is one the site is built from: under a source
/// folder, or `site.toml`, and not an editor's scratch file.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = inside.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if is_scratch_file(&name) {
        return false;
    }
    first == config::FILE_NAME || SOURCE_FOLDERS.contains(&first.as_ref())
}

impl Watcher {
    /// Watches the root (for `site.toml`, and for source folders appearing)
    /// and each source folder that exists and is not watched yet. Called again
    /// after changes, so that a folder created later is watched too.
    pub fn watch_sources(&mut self) -> Result<(), String> {
        let root = self.root.clone();
        if !self.watched.contains(&root) {
            self.add(&root, RecursiveMode::NonRecursive)?;
        }
        for folder in SOURCE_FOLDERS {
            let path = root.join(folder);
            if path.is_dir() && !self.watched.contains(&path) {
                self.add(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), String> {
        let result = match &mut self.engine {
            Engine::Native(debouncer) => debouncer.watch(path, mode),
            Engine::Polling(debouncer) => debouncer.watch(path, mode),
        };
        result.map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        self.watched.push(path.to_path_buf());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_source_files_count() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.toml")));
        assert!(is_source(root, Path::new("/site/content/articles/a.md")));
        assert!(is_source(
            root,
            Path::new("/site/themes/default/templates/base.html")
        ));
        assert!(is_source(root, Path::new("/site/static/logo.png")));
        assert!(is_source(root, Path::new("/site/content")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/debug/tiller")));
        assert!(!is_source(
            root,
            Path::new("/site/content/articles/.a.md.swp")
        ));
        assert!(!is_source(root, Path::new("/site/content/articles/a.md~")));
        assert!(!is_source(root, Path::new("/elsewhere/content/a.md")));
        assert!(!is_source(root, Path::new("/site/README.md")));
    }
}
