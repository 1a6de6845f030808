//! Watch: takes a site root and gives [`Changes`] to its sources (`content/`,
//! `themes/`, `static/`, `site.toml`) as they happen, debounced, from the
//! operating system's file events or, where those are not available (or with
//! `--poll`), from polling the files; and, when the system runs out of file
//! watches, a notice saying that it polls from then on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::{ErrorKind, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::config;
use crate::load::is_scratch_file;

/// What changed on disk since the last rebuild, as the watcher saw it.
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

    pub(crate) fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

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

/// Where an engine's event handler sends what it finds. The handler runs on
/// the debouncer's thread, so what the watcher must act on (a folder it could
/// not watch) comes to it over a channel of its own.
#[derive(Clone)]
struct Outlet {
    changes: Sender<Changes>,
    refusals: Sender<notify::Error>,
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    engine: Engine,
    root: PathBuf,
    watched: Vec<PathBuf>,
    pub(crate) changes: Receiver<Changes>,
    /// Kept to start a poller with, should native watching fall short.
    outlet: Outlet,
    /// Watches that native watching could not add by itself (notify watches
    /// each new folder inside a recursively watched one on its own thread).
    refused: Receiver<notify::Error>,
    notice: Option<String>,
}

/// Starts watching `root`. Native events are tried first unless polling is
/// asked for; if they cannot be had, or there are too few file watches for
/// every source folder, polling is used and said so.
pub(crate) fn watch(root: &Path, watching: Watching) -> Result<Watcher, String> {
    let root =
        std::fs::canonicalize(root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let (changes_sender, changes) = channel();
    let (refusals, refused) = channel();
    let outlet = Outlet {
        changes: changes_sender,
        refusals,
    };
    let engine = match watching {
        Watching::Native => match native(&root, outlet.clone()) {
            Ok(engine) => engine,
            Err(error) => {
                eprintln!(
                    "note: file events are not available ({error}); polling every {} ms instead",
                    POLL_INTERVAL.as_millis()
                );
                polling(&root, outlet.clone())?
            }
        },
        Watching::Polling => polling(&root, outlet.clone())?,
    };
    let mut watcher = Watcher {
        engine,
        root,
        watched: Vec::new(),
        changes,
        outlet,
        refused,
        notice: None,
    };
    // Nothing can have been missed yet: the first build comes after this.
    watcher.watch_sources(&mut Changes::default())?;
    Ok(watcher)
}

fn handler(root: PathBuf, outlet: Outlet) -> impl FnMut(DebounceEventResult) + Send + 'static {
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
            Err(errors) => {
                // Events were lost: look at everything.
                changes.rescan = true;
                // A new folder that could not be watched would never tell of
                // its files: the watcher falls back to polling before the
                // rebuild these changes start (so they are sent after).
                for error in errors.into_iter().filter(is_out_of_watches) {
                    let _ = outlet.refusals.send(error);
                }
            }
        }
        if !changes.is_empty() {
            // The receiver is gone only when the server is stopping.
            let _ = outlet.changes.send(changes);
        }
    }
}

/// Whether watching failed because the system's file watches ran out
/// (inotify's `max_user_watches`), rather than for a path's own sake.
fn is_out_of_watches(error: &notify::Error) -> bool {
    match &error.kind {
        ErrorKind::MaxFilesWatch => true,
        // inotify's ENOSPC, should it come through unnamed.
        ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// What to tell the user when native watching ran out of watches at `path`.
fn out_of_watches_notice(root: &Path, refused: &notify::Error) -> String {
    let place = refused
        .paths
        .first()
        .map(|path| {
            let inside = path.strip_prefix(root).unwrap_or(path);
            format!(" (at {})", inside.display())
        })
        .unwrap_or_default();
    format!(
        "the system ran out of file watches{place}, so not every source folder can be \
         watched; polling every {} ms instead from now on, so that no change is missed. \
         To get file events back, raise the limit \
         (on Linux: sudo sysctl fs.inotify.max_user_watches=524288) \
         or close other programs that watch many files, then restart tiller serve.",
        POLL_INTERVAL.as_millis()
    )
}

fn native(root: &Path, outlet: Outlet) -> Result<Engine, String> {
    let debouncer = new_debouncer_opt::<_, RecommendedWatcher, _>(
        QUIET,
        None,
        handler(root.to_path_buf(), outlet),
        RecommendedCache::new(),
        notify::Config::default(),
    )
    .map_err(|e| e.to_string())?;
    Ok(Engine::Native(debouncer))
}

fn polling(root: &Path, outlet: Outlet) -> Result<Engine, String> {
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    let debouncer = new_debouncer_opt::<_, PollWatcher, _>(
        QUIET,
        None,
        handler(root.to_path_buf(), outlet),
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
    ///
    /// When native watching runs out of file watches, here or for a folder
    /// created inside a watched one, it falls back to polling every source,
    /// says so (on stderr, and in [`Watcher::notice`]), and marks `changes`
    /// for a rescan: files written before the poller first looked were seen
    /// by nothing.
    pub(crate) fn watch_sources(&mut self, changes: &mut Changes) -> Result<(), String> {
        let refused = self.refused.try_iter().last();
        let outcome = match refused {
            Some(error) => Err(error),
            None => self.add_sources(),
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(error) if is_out_of_watches(&error) && matches!(self.engine, Engine::Native(_)) => {
                self.fall_back(&error)?;
                changes.rescan = true;
                Ok(())
            }
            Err(error) => Err(format!("cannot watch the site's files: {error}")),
        }
    }

    /// Why the files are polled although file events were asked for, once
    /// the system ran out of file watches.
    pub(crate) fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    fn add_sources(&mut self) -> Result<(), notify::Error> {
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

    fn add(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        let result = match &mut self.engine {
            Engine::Native(debouncer) => debouncer.watch(path, mode),
            Engine::Polling(debouncer) => debouncer.watch(path, mode),
        };
        // The poller does not say which path it could not watch.
        result.map_err(|e| {
            if e.paths.is_empty() {
                e.add_path(path.to_path_buf())
            } else {
                e
            }
        })?;
        self.watched.push(path.to_path_buf());
        Ok(())
    }

    /// Replaces native watching with polling, which needs no watches; the
    /// native watcher goes, and with it the watches it held, which other
    /// programs of the same user may want.
    fn fall_back(&mut self, refused: &notify::Error) -> Result<(), String> {
        self.engine = polling(&self.root, self.outlet.clone())?;
        self.watched.clear();
        let notice = out_of_watches_notice(&self.root, refused);
        eprintln!("warning: {notice}");
        self.notice = Some(notice);
        self.add_sources()
            .map_err(|e| format!("cannot poll the site's files: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_out_of_watches_is_told_apart_from_other_errors() {
        assert!(is_out_of_watches(&notify::Error::new(
            ErrorKind::MaxFilesWatch
        )));
        assert!(is_out_of_watches(&notify::Error::io(std::io::Error::from(
            std::io::ErrorKind::StorageFull
        ))));
        #[cfg(target_os = "linux")]
        assert!(is_out_of_watches(&notify::Error::io(
            // ENOSPC, as inotify_add_watch gives it.
            std::io::Error::from_raw_os_error(28)
        )));
        assert!(!is_out_of_watches(&notify::Error::path_not_found()));
        assert!(!is_out_of_watches(&notify::Error::generic("lost events")));
        assert!(!is_out_of_watches(&notify::Error::io(
            std::io::Error::from(std::io::ErrorKind::PermissionDenied)
        )));
    }

    /// An outlet whose ends are kept, as the watcher's are.
    fn outlet() -> (Outlet, Receiver<Changes>, Receiver<notify::Error>) {
        let (changes, changes_received) = channel();
        let (refusals, refused) = channel();
        let outlet = Outlet { changes, refusals };
        (outlet, changes_received, refused)
    }

    #[test]
    fn a_folder_notify_could_not_watch_reaches_the_watcher() {
        let (outlet, changes, refused) = outlet();
        let mut handle = handler(PathBuf::from("/site"), outlet);
        // As notify reports a new folder inside a watched one that it could
        // not watch, through the debouncer.
        handle(Err(vec![
            notify::Error::new(ErrorKind::MaxFilesWatch).add_path("/site/content/new".into()),
        ]));
        let refusal = refused.try_recv().expect("the refusal is passed on");
        assert_eq!(refusal.paths, vec![PathBuf::from("/site/content/new")]);
        assert!(changes.try_recv().expect("changes").rescan);

        // Other errors only ask for a rescan.
        handle(Err(vec![notify::Error::generic("lost events")]));
        assert!(refused.try_recv().is_err());
        assert!(changes.try_recv().expect("changes").rescan);
    }

    #[test]
    fn the_notice_says_where_and_what_to_do() {
        let refused =
            notify::Error::new(ErrorKind::MaxFilesWatch).add_path("/site/content/new".into());
        let notice = out_of_watches_notice(Path::new("/site"), &refused);
        assert!(
            notice.contains("ran out of file watches (at content/new)"),
            "{notice}"
        );
        assert!(notice.contains("polling every 500 ms"), "{notice}");
        assert!(notice.contains("fs.inotify.max_user_watches"), "{notice}");
    }

    #[test]
    fn running_out_of_watches_falls_back_to_polling() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(site.path().join("content")).expect("content");
        let mut watcher = watch(site.path(), Watching::Native).expect("watching starts");
        if !matches!(watcher.engine, Engine::Native(_)) {
            eprintln!("skipped: file events are not available here");
            return;
        }
        let mut changes = Changes::default();
        watcher
            .watch_sources(&mut changes)
            .expect("nothing new to watch");
        assert!(watcher.notice().is_none() && !changes.rescan);

        // What the native watcher's thread sends when a new folder cannot be watched.
        let new_folder = watcher.root.join("content/new");
        let _ = watcher
            .outlet
            .refusals
            .send(notify::Error::new(ErrorKind::MaxFilesWatch).add_path(new_folder));
        watcher.watch_sources(&mut changes).expect("polling starts");
        assert!(matches!(watcher.engine, Engine::Polling(_)));
        assert!(changes.rescan, "what came before the poller is looked at");
        let notice = watcher.notice().expect("a notice");
        assert!(notice.contains("(at content/new)"), "{notice}");
        assert_eq!(watcher.watched.len(), 2, "the root and content/, polled");
    }

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
