//! Output: where render puts the files it makes. [`Output`] is the built site
//! in memory (for `check`, tests and the dev server); [`Sink`] is what render
//! writes through, so that `build` can stream pages to disk instead of holding
//! the whole site in memory.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::Arc;
use std::sync::Mutex;

/// Receives each output file as soon as it is made, from many threads at once.
pub trait Sink: Sync {
    /// `path` is relative to the output root: `articles/x/index.html`.
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// One file of a site held in memory by the dev server, with the fingerprint
/// of what it was made from: equal fingerprints, equal bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryFile {
    pub fingerprint: u64,
    pub bytes: Arc<[u8]>,
}

/// A site in memory as the dev server holds it, shared between rebuilds and
/// requests: a rebuild makes a new map but keeps every unchanged file's bytes.
/// Each rebuild looks up every path of a large site in the last map: a fast
/// hash, since the paths are the site's own.
pub type Files = Arc<FileMap>;

/// The paths and files of [`Files`].
pub type FileMap = HashMap<String, MemoryFile, ahash::RandomState>;

/// Every file of a built site, by path relative to the output root. Ordered, so
/// that listing and comparing are stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// A sink that keeps nothing: `check` renders every page to find template
/// errors, but has no use for the pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// A sink that gathers the files into an [`Output`].
#[derive(Debug, Default)]
pub struct Collector {
    files: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Collector {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_output(self) -> Output {
        let files = self
            .files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Output {
            files: files.into_iter().collect(),
        }
    }
}

impl Sink for Collector {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        // A poisoned lock means another thread panicked mid-push; the list is
        // still whole, so keep going rather than lose the other pages.
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.push((path.to_string(), bytes.to_vec()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collected_files_come_out_in_path_order() {
        let collector = Collector::new();
        collector.put("b/index.html", b"2").expect("put");
        collector.put("a/index.html", b"1").expect("put");
        let output = collector.into_output();
        let paths: Vec<&str> = output.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a/index.html", "b/index.html"]);
        assert_eq!(output.get("a/index.html"), Some(&b"1"[..]));
        assert_eq!(output.total_bytes(), 2);
    }
}
