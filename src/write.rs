//! Write: takes the files render makes and gives them to a [`Store`]: a
//! [`Staging`] folder beside the output folder for `build`, swapped in whole
//! only once every file is written (so a failed or killed build leaves the
//! previous site as it was); a [`MemoryStore`] for `serve`, which keeps each
//! file with the key it was made under so that a rebuild makes again only what
//! changed; a [`NullStore`] for `check`. Tiller replaces only an output folder
//! it made (one holding its [`MARKER`]) unless told to, never deletes or
//! writes through a symbolic link, and tidies up what a killed build left.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

/// The file that marks a folder as a site Tiller built, written first into
/// every staging folder: an output folder without it is someone else's.
pub const MARKER: &str = ".tiller-output";

const MARKER_TEXT: &str =
    "This folder is a site built by Tiller. `tiller build` replaces it whole on every build.\n";

/// The part of the names of staging folders: `.public.tiller-new-<pid>`.
const STAGING_INFIX: &str = ".tiller-new-";

/// The part of the names of old sites moved aside: `.public.tiller-old-<pid>`.
const RETIRED_INFIX: &str = ".tiller-old-";

/// What to do with an output folder that holds files but no [`MARKER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Foreign {
    /// Refuse to build there (the default): replacing it would delete files
    /// Tiller never wrote.
    #[default]
    Refuse,
    /// Replace it anyway (`--force`).
    Replace,
}

/// Why a folder may not be used as the output, as a message that says what
/// to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// Refuses destinations a build would damage whatever they hold: the whole
/// output folder is replaced, so it must never be a folder that holds
/// anything else of value. `--force` does not lift these.
pub(crate) fn check_destination(
    root: &Path,
    destination: &Path,
    home: Option<&Path>,
) -> Result<(), Refusal> {
    let root = absolute(root);
    let destination = absolute(destination);
    let refuse = |why: &str| {
        Err(Refusal(format!(
            "refusing to write the site to {}: {why}",
            destination.display()
        )))
    };
    if destination.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if home.is_some_and(|home| absolute(home) == destination) {
        return refuse("it is the home folder");
    }
    if destination == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&destination) {
        return refuse("it contains the site");
    }
    for protected in ["content", "themes", "static"] {
        if destination.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside {protected}/"));
        }
    }
    if destination.join("site.toml").exists() || destination.join(".git").exists() {
        return refuse("it holds a site.toml or a .git folder, so it is not a build output");
    }
    Ok(())
}

/// Makes a path absolute and folds `.` and `..` without touching the disk, so
/// that a destination that does not exist yet can still be compared.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    // Resolve links in the folders above where the path exists, so that
    // `out/../x` and a linked parent compare as the folders they are. The
    // last part is never resolved: a destination that is itself a link is
    // refused by [`inspect`], not followed.
    match (clean.parent(), clean.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|parent| parent.join(name))
            .unwrap_or(clean),
        _ => clean,
    }
}

/// Checks what is on disk at the destination: nothing, an empty folder or a
/// folder Tiller made are fine; a link, a file, or (unless `foreign` says
/// otherwise) a folder of someone else's are refused.
fn inspect(destination: &Path, foreign: Foreign) -> Result<(), StagingError> {
    let shown = destination.display();
    let refuse = |message: String| Err(StagingError::Refused(Refusal(message)));
    let metadata = match fs::symlink_metadata(destination) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StagingError::Io(e)),
    };
    if metadata.file_type().is_symlink() {
        let target = fs::read_link(destination)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "somewhere unreadable".to_string());
        let folder = fs::canonicalize(destination)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| target.clone());
        return refuse(format!(
            "refusing to build into {shown}: it is a symbolic link to {target}, and Tiller never deletes or writes through a link it did not make; build into the folder itself (--output {folder}) or replace the link with a folder"
        ));
    }
    if !metadata.is_dir() {
        return refuse(format!(
            "refusing to build into {shown}: it is a file, not a folder"
        ));
    }
    if foreign == Foreign::Replace || is_tillers(destination) {
        return Ok(());
    }
    refuse(format!(
        "refusing to replace {shown}: it is not empty and was not made by Tiller (it has no {MARKER} file), so building would delete what it holds; build into a new or empty folder, or add --force to replace it and everything in it"
    ))
}

/// Whether a folder is Tiller's to replace or remove: it holds the marker as
/// a plain file, or nothing at all.
fn is_tillers(folder: &Path) -> bool {
    if fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return true;
    }
    fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_none())
}

/// Why a staging folder could not be made.
#[derive(Debug)]
pub(crate) enum StagingError {
    /// The destination is not Tiller's to replace; nothing was touched.
    Refused(Refusal),
    /// The disk said no; nothing was touched.
    Io(io::Error),
}

/// Why publishing failed, and where the old site is now.
#[derive(Debug)]
pub struct PublishError {
    pub(crate) error: io::Error,
    pub(crate) left: Left,
    /// The output folder, as messages name it.
    pub(crate) output: String,
}

/// Where the previous site is after a build that did not publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// At the destination, as it was.
    AsItWas,
    /// Moved aside to this folder, and it could not be moved back: the next
    /// build puts it back before it starts.
    MovedTo(PathBuf),
}

/// A new site being written beside the destination, holding a lock on the
/// destination's parent folder so that no other build writes there at once.
/// Dropped without [`Staging::publish`], it removes itself and the
/// destination is untouched.
pub struct Staging {
    folder: PathBuf,
    destination: PathBuf,
    parent: PathBuf,
    name: String,
    published: bool,
    /// What was tidied up before the build: told to the user.
    pub notes: Vec<String>,
    /// Held until the staging folder is published or removed.
    _lock: fs::File,
}

impl Staging {
    /// Locks the destination's parent folder (calling `waiting` first if
    /// another build holds it), tidies what killed builds left there, checks
    /// that the destination may be replaced, and makes an empty staging folder
    /// beside it holding only the marker. Beside, so that publishing is a
    /// rename within one file system.
    pub(crate) fn beside(
        destination: &Path,
        foreign: Foreign,
        waiting: &dyn Fn(),
    ) -> Result<Staging, StagingError> {
        let parent = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(&parent).map_err(StagingError::Io)?;
        let lock = lock(&parent, waiting).map_err(StagingError::Io)?;
        let notes = tidy(&parent, &name, destination).map_err(StagingError::Io)?;
        inspect(destination, foreign)?;
        let folder = parent.join(format!(".{name}{STAGING_INFIX}{}", std::process::id()));
        fs::create_dir(&folder).map_err(StagingError::Io)?;
        let staging = Staging {
            folder,
            destination: destination.to_path_buf(),
            parent,
            name,
            published: false,
            notes,
            _lock: lock,
        };
        // First, so that a build killed at any moment leaves a folder the
        // next build knows as Tiller's.
        mark(&staging.folder).map_err(StagingError::Io)?;
        Ok(staging)
    }

    /// Swaps the new site in and removes the old one. Where the system can
    /// (Linux), the two folders trade places in one atomic step, so there is
    /// no moment without a site; elsewhere the old one is moved aside first.
    /// Gives what could not be tidied afterwards (the old site's removal),
    /// which does not undo the publishing.
    fn swap_in(&mut self) -> Result<Vec<String>, PublishError> {
        if self.published {
            return Ok(Vec::new());
        }
        let destination_exists = fs::symlink_metadata(&self.destination).is_ok();
        let retired = if !destination_exists {
            fs::rename(&self.folder, &self.destination).map_err(|error| PublishError {
                error,
                left: Left::AsItWas,
                output: String::new(),
            })?;
            None
        } else if exchange(&self.folder, &self.destination)? {
            // The staging folder's name now holds the old site.
            Some(self.folder.clone())
        } else {
            let retired = self.parent.join(format!(
                ".{}{RETIRED_INFIX}{}",
                self.name,
                std::process::id()
            ));
            swap_by_renames(&self.folder, &self.destination, &retired)?;
            Some(retired)
        };
        self.published = true;
        let mut notes = Vec::new();
        if let Some(retired) = retired {
            // The old site may have been a folder of someone else's replaced
            // with --force: mark it, so that if this removal is cut short the
            // next build still knows it may finish the job.
            let removed = match fs::symlink_metadata(&retired) {
                Ok(metadata) if metadata.is_dir() => mark(&retired)
                    .or_else(ignore_existing)
                    .and_then(|()| remove_tree(&retired)),
                // A link someone put at the destination since it was looked
                // at: removed itself, never followed.
                _ => remove_tree(&retired),
            };
            if let Err(e) = removed {
                notes.push(format!(
                    "the site was published, but the old one could not be removed from {}: {e}",
                    retired.display()
                ));
            }
        }
        Ok(notes)
    }
}

/// The bytes of a file render hands over: made now, or shared with what
/// made them (a copied file, a search file kept from the last build).
pub enum Bytes {
    Made(Vec<u8>),
    Shared(Arc<[u8]>),
}

impl Bytes {
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Made(bytes) => bytes,
            Bytes::Shared(bytes) => bytes,
        }
    }
}

/// Where a build's files go: the last stage. Render asks whether a file it
/// would make is held already, made under the same key (what it is made
/// from), and hands over each file it makes, from many threads at once; the
/// build then publishes them all, or, if it has errors, lets them go.
pub trait Store: Sync {
    /// The bytes held at `path` if they were made under `key`; they are kept
    /// as they are, and need not be made again.
    fn kept(&self, path: &str, key: u64) -> Option<Arc<[u8]>>;
    /// [`Store::kept`] for many files: an answer for each `(path, key)`, in
    /// order. Render asks a few pages at a time, so that a store that must
    /// note what it keeps (the dev server's) takes its lock once for them.
    fn kept_all(&self, files: &[(&str, u64)]) -> Vec<Option<Arc<[u8]>>> {
        files
            .iter()
            .map(|&(path, key)| self.kept(path, key))
            .collect()
    }
    /// The file at `path` (relative to the output root), made under `key`.
    fn put(&self, path: &str, key: u64, bytes: Bytes) -> io::Result<()>;
    /// Makes the files of this build the output: called once its build has no
    /// errors. Gives the paths that changed and what to tell the user.
    fn publish(&mut self) -> Result<Published, PublishError>;
    /// Lets go of the files of this build: the output stays as it was.
    fn discard(&mut self);
}

/// What publishing did.
#[derive(Debug, Default)]
pub struct Published {
    /// Output paths added, changed or removed (the dev server reloads pages
    /// by them); a build to disk replaces everything and says nothing.
    pub changed: Vec<String>,
    /// What could not be tidied afterwards, for the user.
    pub notes: Vec<String>,
}

impl Store for Staging {
    fn kept(&self, _path: &str, _key: u64) -> Option<Arc<[u8]>> {
        // A new folder holds nothing yet.
        None
    }

    fn put(&self, path: &str, _key: u64, bytes: Bytes) -> io::Result<()> {
        let target = self.folder.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, bytes.as_slice())
    }

    fn publish(&mut self) -> Result<Published, PublishError> {
        let notes = self.swap_in().map_err(|e| PublishError {
            output: self.destination.display().to_string(),
            ..e
        })?;
        Ok(Published {
            changed: Vec::new(),
            notes,
        })
    }

    fn discard(&mut self) {
        if !self.published {
            let _ = remove_tree(&self.folder);
        }
    }
}

/// One file of a site held in memory, with the key it was made under.
#[derive(Debug, Clone)]
pub struct MemoryFile {
    pub(crate) key: u64,
    /// Which bytes these are: a new number whenever they change, so that an
    /// open page can tell that the page it shows changed.
    pub(crate) version: u64,
    pub bytes: Arc<[u8]>,
}

/// A site in memory, by output path.
pub(crate) type SiteFiles = HashMap<Arc<str>, MemoryFile, ahash::RandomState>;

/// The site in memory, as the dev server serves it and the tests read it:
/// the last site published, and the files of the build under way.
#[derive(Debug, Default)]
pub struct MemoryStore {
    held: Arc<SiteFiles>,
    next: Mutex<NextFiles>,
    versions: AtomicU64,
}

/// The files of the build under way, and what publishing them will change.
#[derive(Debug, Default)]
struct NextFiles {
    files: SiteFiles,
    /// Paths that are new or whose bytes differ from the ones held.
    changed: Vec<Arc<str>>,
    /// How many of the held paths the build made again: when all of them,
    /// none was removed, and publishing need not look for any.
    carried: usize,
}

impl NextFiles {
    fn insert(&mut self, path: Arc<str>, file: MemoryFile, held: Option<&MemoryFile>) {
        let changed = held.is_none_or(|held| held.version != file.version);
        if self.files.insert(path.clone(), file).is_none() {
            self.carried += usize::from(held.is_some());
            if changed {
                self.changed.push(path);
            }
        }
    }
}

impl MemoryStore {
    /// The last site published, shared: a rebuild replaces it whole.
    pub(crate) fn files(&self) -> Arc<SiteFiles> {
        self.held.clone()
    }

    /// The last site published, copied out in path order.
    pub(crate) fn output(&self) -> Output {
        Output {
            files: self
                .held
                .iter()
                .map(|(path, file)| (path.to_string(), file.bytes.to_vec()))
                .collect(),
        }
    }

    fn next(&self) -> std::sync::MutexGuard<'_, NextFiles> {
        // A poisoned lock means another thread panicked mid-insert; the map
        // is still whole, so keep going rather than lose the other files.
        self.next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Store for MemoryStore {
    fn kept(&self, path: &str, key: u64) -> Option<Arc<[u8]>> {
        self.kept_all(&[(path, key)]).pop().flatten()
    }

    fn kept_all(&self, files: &[(&str, u64)]) -> Vec<Option<Arc<[u8]>>> {
        let found: Vec<Option<(&Arc<str>, &MemoryFile)>> = files
            .iter()
            .map(|&(path, key)| {
                self.held
                    .get_key_value(path)
                    .filter(|(_, file)| file.key == key)
            })
            .collect();
        let mut next = self.next();
        for (path, held) in found.iter().flatten() {
            next.insert((*path).clone(), (*held).clone(), Some(held));
        }
        drop(next);
        found
            .into_iter()
            .map(|found| found.map(|(_, held)| held.bytes.clone()))
            .collect()
    }

    fn put(&self, path: &str, key: u64, bytes: Bytes) -> io::Result<()> {
        let held = self.held.get_key_value(path);
        // The same bytes as before are kept as they were: held once, and no
        // open page reloads for them.
        let file = match held {
            Some((_, held)) if *held.bytes == *bytes.as_slice() => MemoryFile {
                key,
                ..held.clone()
            },
            _ => MemoryFile {
                key,
                version: self.versions.fetch_add(1, Ordering::Relaxed),
                bytes: match bytes {
                    Bytes::Made(bytes) => Arc::from(bytes),
                    Bytes::Shared(bytes) => bytes,
                },
            },
        };
        let path = held.map_or_else(|| Arc::from(path), |(path, _)| path.clone());
        self.next().insert(path, file, held.map(|(_, file)| file));
        Ok(())
    }

    fn publish(&mut self) -> Result<Published, PublishError> {
        let next = std::mem::take(&mut *self.next());
        let mut changed: Vec<String> = next.changed.iter().map(|p| p.to_string()).collect();
        if next.carried < self.held.len() {
            changed.extend(
                self.held
                    .keys()
                    .filter(|path| !next.files.contains_key(&***path))
                    .map(|path| path.to_string()),
            );
        }
        changed.sort();
        // Sized for the next build, which makes about as many files.
        let capacity = next.files.len();
        self.held = Arc::new(next.files);
        self.next().files.reserve(capacity);
        Ok(Published {
            changed,
            notes: Vec::new(),
        })
    }

    fn discard(&mut self) {
        *self.next() = NextFiles::default();
    }
}

/// A store that keeps nothing: `check` renders every page to find its
/// problems, but has no use for the pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct NullStore;

impl Store for NullStore {
    fn kept(&self, _path: &str, _key: u64) -> Option<Arc<[u8]>> {
        None
    }

    fn put(&self, _path: &str, _key: u64, _bytes: Bytes) -> io::Result<()> {
        Ok(())
    }

    fn publish(&mut self) -> Result<Published, PublishError> {
        Ok(Published::default())
    }

    fn discard(&mut self) {}
}

/// Every file of a built site, by path relative to the output root, in path
/// order: what tests compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_tree(&self.folder);
        }
    }
}

/// Locks `folder` for this process, waiting for any other build that holds
/// it. The lock is on the folder itself, so that nothing is left behind; the
/// system releases it when the process ends, however it ends.
fn lock(folder: &Path, waiting: &dyn Fn()) -> io::Result<fs::File> {
    let handle = fs::File::open(folder)?;
    match handle.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            handle.lock()?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(handle)
}

/// Writes the marker into `folder`, never through a link: a new file only.
fn mark(folder: &Path) -> io::Result<()> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(folder.join(MARKER))?;
    file.write_all(MARKER_TEXT.as_bytes())
}

fn ignore_existing(error: io::Error) -> io::Result<()> {
    if error.kind() == io::ErrorKind::AlreadyExists {
        Ok(())
    } else {
        Err(error)
    }
}

/// Removes the staging folders and old sites that builds killed part-way left
/// beside the destination: only folders with Tiller's names for them that hold
/// its marker (or nothing). If a build was killed between moving the old site
/// aside and moving the new one in, the old one is put back instead.
fn tidy(parent: &Path, name: &str, destination: &Path) -> io::Result<Vec<String>> {
    let staging_prefix = format!(".{name}{STAGING_INFIX}");
    let retired_prefix = format!(".{name}{RETIRED_INFIX}");
    let mut leftovers: Vec<(PathBuf, bool)> = Vec::new();
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (pid, retired) = if let Some(pid) = file_name.strip_prefix(&retired_prefix) {
            (pid, true)
        } else if let Some(pid) = file_name.strip_prefix(&staging_prefix) {
            (pid, false)
        } else {
            continue;
        };
        if is_number(pid) && entry.file_type()?.is_dir() && is_tillers(&entry.path()) {
            leftovers.push((entry.path(), retired));
        }
    }
    leftovers.sort();
    let mut notes = Vec::new();
    let mut missing = fs::symlink_metadata(destination).is_err();
    for (leftover, retired) in leftovers {
        let shown = leftover.display();
        if retired && missing {
            fs::rename(&leftover, destination)?;
            missing = false;
            notes.push(format!(
                "put back the site that a stopped build had moved aside to {shown}"
            ));
        } else {
            remove_tree(&leftover)?;
            notes.push(format!("removed {shown}, left by a stopped build"));
        }
    }
    Ok(notes)
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Trades the places of two folders in one atomic step. False where the
/// system or file system cannot, so the caller falls back to renames.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> Result<bool, PublishError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => Ok(false),
        Err(errno) => Err(PublishError {
            error: errno.into(),
            left: Left::AsItWas,
            output: String::new(),
        }),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> Result<bool, PublishError> {
    Ok(false)
}

/// Moves the old site aside to `retired`, then the new one in; if the second
/// step fails, moves the old one back. Between the two renames the destination
/// is briefly absent; a build killed just then leaves the old site at
/// `retired`, which the next build puts back.
fn swap_by_renames(new: &Path, destination: &Path, retired: &Path) -> Result<(), PublishError> {
    fs::rename(destination, retired).map_err(|error| PublishError {
        error,
        left: Left::AsItWas,
        output: String::new(),
    })?;
    if let Err(error) = fs::rename(new, destination) {
        let left = match fs::rename(retired, destination) {
            Ok(()) => Left::AsItWas,
            Err(_) => Left::MovedTo(retired.to_path_buf()),
        };
        return Err(PublishError {
            error,
            left,
            output: String::new(),
        });
    }
    Ok(())
}

/// Removes a folder tree, the entries of each folder in parallel (an old site
/// of ten thousand pages is ten thousand folders). Links are removed, never
/// followed. The marker goes last, so a removal cut short leaves a folder the
/// next build still knows as Tiller's.
fn remove_tree(path: &Path) -> io::Result<()> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !metadata.is_dir() {
        return fs::remove_file(path);
    }
    let entries = fs::read_dir(path)?.collect::<Result<Vec<_>, _>>()?;
    entries
        .par_iter()
        .filter(|entry| entry.file_name() != MARKER)
        .try_for_each(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                remove_tree(&path)
            } else {
                fs::remove_file(&path)
            }
        })?;
    match fs::remove_file(path.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn staging(destination: &Path) -> Staging {
        Staging::beside(destination, Foreign::Refuse, &|| {}).expect("staging")
    }

    #[test]
    fn dangerous_destinations_are_refused() {
        let root = Path::new("/srv/site");
        let home = Path::new("/home/editor");
        assert!(check_destination(root, Path::new("/srv/site/public"), Some(home)).is_ok());
        assert!(check_destination(root, Path::new("/srv/out"), Some(home)).is_ok());
        for bad in [
            "/",
            "/home/editor",
            "/srv/site",
            "/srv/site/.",
            "/srv",
            "/srv/site/content/out",
            "/srv/site/themes",
            "/srv/site/public/../content",
        ] {
            assert!(
                check_destination(root, Path::new(bad), Some(home)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_unpublished_staging_folder_removes_itself_and_spares_the_site() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        fs::create_dir(&destination).expect("old site");
        fs::write(destination.join(MARKER), "").expect("marker");
        fs::write(destination.join("index.html"), "old").expect("old page");
        {
            let staging = staging(&destination);
            staging
                .put("a/b/index.html", 0, Bytes::Made(b"new".to_vec()))
                .expect("put");
        }
        assert_eq!(names(dir.path()), ["public"]);
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "old"
        );
    }

    #[test]
    fn publishing_replaces_the_old_site_whole_and_marks_the_new_one() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        fs::create_dir_all(destination.join("gone")).expect("old site");
        fs::write(destination.join(MARKER), "").expect("marker");
        fs::write(destination.join("gone/index.html"), "old").expect("old page");
        let mut staging = staging(&destination);
        staging
            .put("index.html", 0, Bytes::Made(b"new".to_vec()))
            .expect("put");
        assert_eq!(
            staging.publish().expect("publish").notes,
            Vec::<String>::new()
        );
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "new"
        );
        assert_eq!(names(&destination), [MARKER, "index.html"]);
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_link_put_at_the_destination_during_the_build_is_never_written_through() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        let mut staging = staging(&destination);
        staging
            .put("index.html", 0, Bytes::Made(b"new".to_vec()))
            .expect("put");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("folder");
        fs::write(elsewhere.join("keep.txt"), "mine").expect("file");
        std::os::unix::fs::symlink(&elsewhere, &destination).expect("link");
        staging.publish().expect("published");
        assert_eq!(names(&elsewhere), ["keep.txt"]);
        assert_eq!(names(dir.path()), ["elsewhere", "public"]);
        assert!(destination.join("index.html").is_file());
    }

    #[test]
    fn the_fallback_swap_puts_the_old_site_back_when_the_new_cannot_go_in() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        fs::create_dir(&destination).expect("old site");
        fs::write(destination.join("index.html"), "old").expect("old page");
        let retired = dir.path().join(".public.tiller-old-1");
        let missing = dir.path().join("no-such-staging-folder");
        let failed = swap_by_renames(&missing, &destination, &retired).expect_err("no new site");
        assert_eq!(failed.left, Left::AsItWas);
        assert_eq!(names(dir.path()), ["public"]);

        let new = dir.path().join("new");
        fs::create_dir(&new).expect("new site");
        fs::write(new.join("index.html"), "new").expect("new page");
        swap_by_renames(&new, &destination, &retired).expect("swapped");
        assert_eq!(names(dir.path()), [".public.tiller-old-1", "public"]);
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "new"
        );
    }

    #[test]
    fn removing_a_tree_removes_links_and_never_what_they_point_to() {
        let dir = tempfile::tempdir().expect("temp");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("folder");
        fs::write(elsewhere.join("keep.txt"), "mine").expect("file");
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("sub")).expect("tree");
        std::os::unix::fs::symlink(&elsewhere, tree.join("sub/link")).expect("link");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("top-link")).expect("link");
        remove_tree(&tree).expect("removed");
        remove_tree(&dir.path().join("top-link")).expect("link removed");
        assert_eq!(names(dir.path()), ["elsewhere"]);
        assert_eq!(names(&elsewhere), ["keep.txt"]);
    }

    #[test]
    fn leftovers_of_killed_builds_are_tidied_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        let make = |name: &str, marked: bool| {
            let folder = dir.path().join(name);
            fs::create_dir_all(folder.join("articles")).expect("folder");
            fs::write(folder.join("articles/index.html"), name).expect("file");
            if marked {
                mark(&folder).expect("marker");
            }
        };
        make("public", true);
        make(".public.tiller-new-12", true);
        make(".public.tiller-old-13", true);
        make(".public.tiller-new-14", false);
        make(".public.tiller-new-x", true);
        make(".other.tiller-new-15", true);
        fs::create_dir(dir.path().join(".public.tiller-new-16")).expect("empty");
        let notes = tidy(dir.path(), "public", &destination).expect("tidied");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(
            names(dir.path()),
            [
                ".other.tiller-new-15",
                ".public.tiller-new-14",
                ".public.tiller-new-x",
                "public"
            ]
        );
    }

    #[test]
    fn an_old_site_left_aside_is_put_back_when_the_destination_is_missing() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        let old = dir.path().join(".public.tiller-old-7");
        fs::create_dir(&old).expect("folder");
        mark(&old).expect("marker");
        fs::write(old.join("index.html"), "old").expect("page");
        let notes = tidy(dir.path(), "public", &destination).expect("tidied");
        assert!(notes[0].starts_with("put back"), "{notes:?}");
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "old"
        );
    }

    #[test]
    fn the_marker_is_never_written_through_a_link() {
        let dir = tempfile::tempdir().expect("temp");
        let target = dir.path().join("target.txt");
        fs::write(&target, "precious").expect("file");
        let folder = dir.path().join("site");
        fs::create_dir(&folder).expect("folder");
        std::os::unix::fs::symlink(&target, folder.join(MARKER)).expect("link");
        assert!(mark(&folder).is_err());
        assert!(!is_tillers(&folder), "a linked marker does not count");
        assert_eq!(fs::read_to_string(&target).expect("read"), "precious");
    }
}
