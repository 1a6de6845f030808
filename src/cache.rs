//! Cache: takes what one build made and gives it back to the next, with what
//! changed on disk since, so that a rebuild redoes only what the changes
//! touch. Each stage keeps its own memory here, asked for by its type (load
//! the files it found, parse each document by its file's stamp and text and
//! the entities, resolve its relations and routes, render the compiled
//! templates, cards and search pieces); the pages themselves are kept by the
//! store they went to. A cold build is a build from an empty cache. This
//! module knows no stage: it gives them the means to remember (a value by
//! key, a file by stamp and text, fingerprints) and keeps what they made.

use std::any::{Any, TypeId};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};
use std::path::Path;

/// What one build leaves for the next.
pub struct Cache {
    /// What changed on disk since the last build: everything, for the first.
    changes: Changes,
    /// Each stage's memory, by its type.
    memories: HashMap<TypeId, Box<dyn Any + Send>>,
    lifetime: Lifetime,
    /// What a build for one build was done with, held to the end: see [`Cache::retire`].
    retired: Vec<Box<dyn Any + Send>>,
}

/// How many builds a cache serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lifetime {
    /// A build and the rebuilds after it (`serve`): every memory is kept.
    Rebuilds,
    /// One build (`build`, `check`): a stage's memory, which only a later
    /// build would read, is let go once the stage is done with it, so that
    /// the rest of a large site's build does not hold it: 8 MB of the peak
    /// at 10,000 articles.
    OneBuild,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new()
    }
}

impl Cache {
    /// An empty cache for a build and the rebuilds after it: the next build
    /// looks at everything.
    pub fn new() -> Self {
        Cache {
            changes: Changes::everything(),
            memories: HashMap::new(),
            lifetime: Lifetime::Rebuilds,
            retired: Vec::new(),
        }
    }

    /// An empty cache for one build, which keeps nothing for another.
    pub fn for_one_build() -> Self {
        Cache {
            lifetime: Lifetime::OneBuild,
            ..Cache::new()
        }
    }

    /// Tells the cache what changed on disk since the last build.
    pub(crate) fn changed(&mut self, changes: Changes) {
        self.changes.merge(changes);
    }

    /// What changed since the last build, taken: the build looks at it now.
    pub(crate) fn take_changes(&mut self) -> Changes {
        std::mem::replace(&mut self.changes, Changes::only([]))
    }

    /// The memory of type `M` a stage keeps here: empty the first time.
    pub(crate) fn memory<M: Default + Send + 'static>(&mut self) -> &mut M {
        let slot = self
            .memories
            .entry(TypeId::of::<M>())
            .or_insert_with(|| Box::new(M::default()));
        if !slot.is::<M>() {
            // Never so: each slot is keyed by its own type.
            *slot = Box::new(M::default());
        }
        slot.downcast_mut::<M>()
            .expect("a slot holds the type it is keyed by")
    }

    /// Says that this build is done with the memory of type `M`: a cache
    /// for one build lets it go; one for rebuilds keeps it for the next.
    pub(crate) fn done_with<M: 'static>(&mut self) {
        if self.lifetime == Lifetime::OneBuild {
            self.memories.remove(&TypeId::of::<M>());
        }
    }

    /// Takes what the build is done with. A cache for rebuilds lets it go
    /// now; a cache for one build holds it to its own end, which for `build`
    /// and `check` is the process's (see `one_off_cache` in main.rs): the
    /// site is the last holder of its documents there, and freeing 10,000
    /// articles' one by one took 27 ms.
    pub(crate) fn retire<T: Send + 'static>(&mut self, done: T) {
        if self.lifetime == Lifetime::OneBuild {
            self.retired.push(Box::new(done));
        }
    }
}

/// A value remembered with the key of what it was made from.
#[derive(Debug)]
pub(crate) struct Memo<T>(Option<(u64, T)>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(None)
    }
}

impl<T: Clone> Memo<T> {
    /// The value made under `key` last time, if that was the key; otherwise
    /// what `work` makes, remembered for the next build.
    pub(crate) fn get_or(&mut self, key: u64, work: impl FnOnce() -> T) -> T {
        match &self.0 {
            Some((last, value)) if *last == key => value.clone(),
            _ => self.0.insert((key, work())).1.clone(),
        }
    }
}

/// Values made from files, by path, with what each was made from: the
/// file's stamp and a fingerprint of its text.
#[derive(Debug)]
pub(crate) struct Files<T> {
    files: HashMap<String, Made<T>, ahash::RandomState>,
}

impl<T> Default for Files<T> {
    fn default() -> Self {
        Files {
            files: HashMap::default(),
        }
    }
}

#[derive(Debug)]
struct Made<T> {
    stamp: Option<Stamp>,
    text: u64,
    value: T,
}

impl<T> Files<T> {
    /// What was made from the file at `path` (`file` on disk), if no change
    /// was said to touch it since (the dev server knows exactly which files
    /// it was told of), or if its stamp is the same.
    pub(crate) fn unchanged(&self, changes: &Changes, path: &str, file: &Path) -> Option<&T> {
        let made = self.files.get(path)?;
        let same = (!changes.is_everything() && !changes.touch(path))
            || Stamp::of(file).is_some_and(|now| made.stamp == Some(now));
        same.then_some(&made.value)
    }

    /// What was made from the file at `path`, if its text is `text` (a file
    /// saved unchanged, or touched).
    pub(crate) fn same_text(&self, path: &str, text: Text) -> Option<&T> {
        let made = self.files.get(path)?;
        (made.text == text.hash).then_some(&made.value)
    }

    /// Remembers what was made from the file at `path`, read as `text`.
    pub(crate) fn made(&mut self, path: &str, text: Text, value: T) {
        let made = Made {
            stamp: text.stamp,
            text: text.hash,
            value,
        };
        self.files.insert(path.to_string(), made);
    }

    /// Forgets the files not in `paths`.
    pub(crate) fn keep<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) {
        let present: HashSet<&str, ahash::RandomState> = paths.into_iter().collect();
        self.files.retain(|path, _| present.contains(path.as_str()));
    }

    /// Forgets every file.
    pub(crate) fn clear(&mut self) {
        self.files.clear();
    }
}

/// A file as it was read: what identifies its text for the cache, and its
/// stamp then. The stamp is taken where the file is read (in parallel), not
/// where the cache is told (one file after another): 10,000 of them took
/// 10 ms there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Text {
    hash: u64,
    stamp: Option<Stamp>,
}

impl Text {
    pub(crate) fn of(text: &str, file: &Path) -> Text {
        Text {
            hash: fingerprint(text),
            stamp: Stamp::of(file),
        }
    }
}

/// A fast in-process hash, for telling whether something changed between two
/// builds. Fixed keys keep it the same for the same input within a run.
pub(crate) fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    fingerprints().hash_one(value)
}

/// The hasher [`fingerprint`] uses, for a fingerprint of parts fed in one by
/// one rather than gathered first.
pub(crate) fn fingerprinter() -> ahash::AHasher {
    fingerprints().build_hasher()
}

fn fingerprints() -> ahash::RandomState {
    ahash::RandomState::with_seeds(1, 2, 3, 4)
}

/// What changed on disk since the last build, as far as is known: the dev
/// server knows which files it was told of; a first build knows nothing, and
/// looks at everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paths relative to the site root (`content/a.md`); `None` when not
    /// known exactly.
    paths: Option<BTreeSet<String>>,
}

impl Changes {
    /// Anything may have changed: look at every file.
    pub fn everything() -> Self {
        Changes { paths: None }
    }

    /// Exactly these files (or folders), relative to the site root.
    pub(crate) fn only(paths: impl IntoIterator<Item = String>) -> Self {
        Changes {
            paths: Some(paths.into_iter().collect()),
        }
    }

    pub(crate) fn is_everything(&self) -> bool {
        self.paths.is_none()
    }

    /// Whether anything under `prefix` (a folder ending in `/`, or a file)
    /// may have changed.
    pub(crate) fn touch(&self, prefix: &str) -> bool {
        self.paths
            .as_ref()
            .is_none_or(|paths| paths.iter().any(|p| p.starts_with(prefix)))
    }

    /// The paths known to have changed (none when not known exactly).
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().flatten().map(String::as_str)
    }

    /// Adds what `other` says changed.
    pub(crate) fn merge(&mut self, other: Changes) {
        match (&mut self.paths, other.paths) {
            (Some(paths), Some(more)) => paths.extend(more),
            (paths, _) => *paths = None,
        }
    }
}

/// When a file was last changed and how long it is: if neither differs, the
/// file is taken to be unchanged without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, if it can be had.
    pub(crate) fn of(path: &std::path::Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Counted(usize);

    #[test]
    fn each_stage_finds_its_own_memory_again() {
        let mut cache = Cache::new();
        cache.memory::<Counted>().0 += 2;
        cache
            .memory::<Memo<String>>()
            .get_or(1, || "one".to_string());
        assert_eq!(cache.memory::<Counted>().0, 2);
        assert_eq!(
            cache
                .memory::<Memo<String>>()
                .get_or(1, || "made again".to_string()),
            "one"
        );
    }

    #[test]
    fn a_cache_for_one_build_lets_a_memory_go_once_its_stage_is_done() {
        for (mut cache, kept) in [(Cache::new(), 2), (Cache::for_one_build(), 0)] {
            cache.memory::<Counted>().0 += 2;
            cache.memory::<Memo<String>>().get_or(1, String::new);
            cache.done_with::<Counted>();
            assert_eq!(cache.memory::<Counted>().0, kept);
            // Only that stage's memory.
            let mut made = false;
            cache.memory::<Memo<String>>().get_or(1, || {
                made = true;
                String::new()
            });
            assert!(!made);
        }
    }

    #[test]
    fn a_cache_for_one_build_holds_what_is_retired_and_one_for_rebuilds_frees_it() {
        for (mut cache, holders) in [(Cache::new(), 1), (Cache::for_one_build(), 2)] {
            let site = std::sync::Arc::new("site");
            cache.retire(site.clone());
            assert_eq!(std::sync::Arc::strong_count(&site), holders);
        }
    }

    #[test]
    fn a_memo_makes_its_value_again_only_for_another_key() {
        let mut memo = Memo::default();
        let mut made = 0;
        for key in [1, 1, 2, 2, 1] {
            memo.get_or(key, || {
                made += 1;
                key * 10
            });
        }
        assert_eq!(made, 3);
    }

    #[test]
    fn a_file_is_known_unchanged_by_its_stamp_or_by_what_was_said() {
        let folder = tempfile::tempdir().expect("temp dir");
        let file = folder.path().join("a.md");
        std::fs::write(&file, "one").expect("write");
        let mut files = Files::default();
        files.made("content/a.md", Text::of("one", &file), 1);
        let everything = Changes::everything();
        assert_eq!(
            files.unchanged(&everything, "content/a.md", &file),
            Some(&1)
        );
        // Told exactly what changed, other files are not looked at.
        let other = Changes::only(["content/b.md".to_string()]);
        std::fs::write(&file, "longer").expect("write");
        assert_eq!(files.unchanged(&other, "content/a.md", &file), Some(&1));
        assert_eq!(files.unchanged(&everything, "content/a.md", &file), None);
        assert_eq!(
            files.same_text("content/a.md", Text::of("one", &file)),
            Some(&1)
        );
        assert_eq!(
            files.same_text("content/a.md", Text::of("longer", &file)),
            None
        );
        files.keep(["content/b.md"]);
        assert_eq!(
            files.same_text("content/a.md", Text::of("one", &file)),
            None
        );
    }
}
