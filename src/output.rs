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

/// Where each file of a site in memory is: its pages' paths in the order
/// render plans them, then every other file's, and a map from path to place.
/// A rebuild that makes the same paths (any edit that adds, removes or
/// renames nothing) keeps the layout and only lays new files into it: it
/// looks nothing up by path, and a large site has tens of thousands.
#[derive(Debug, Default)]
pub struct Layout {
    /// The pages' paths, shared with the plan they came from, so that a
    /// rebuild can tell its plan is the same by pointer.
    pages: Arc<Vec<String>>,
    /// Every other file's path (stylesheets, copied files, search files).
    others: Vec<String>,
    /// Each path's place among the pages and then the others. Should a path
    /// come twice (a clash, which fails the build), the later place wins.
    places: HashMap<String, usize, ahash::RandomState>,
}

impl Layout {
    pub fn new(pages: Arc<Vec<String>>, others: Vec<String>) -> Self {
        let mut places =
            HashMap::with_capacity_and_hasher(pages.len() + others.len(), Default::default());
        for (place, path) in pages.iter().chain(&others).enumerate() {
            places.insert(path.clone(), place);
        }
        Layout {
            pages,
            others,
            places,
        }
    }

    pub fn pages(&self) -> &Arc<Vec<String>> {
        &self.pages
    }

    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// The place of `path`, if the layout has it.
    pub fn place(&self, path: &str) -> Option<usize> {
        self.places.get(path).copied()
    }

    /// How many places there are, counting a path that comes twice twice.
    pub fn places(&self) -> usize {
        self.pages.len() + self.others.len()
    }
}

/// How many pages' files share one block of [`SiteFiles`].
pub const BLOCK: usize = 64;

/// One block of pages' files, by place; none where making a page failed.
pub type Block = Arc<[Option<MemoryFile>]>;

/// A site in memory as the dev server holds it, shared between rebuilds and
/// requests: a rebuild keeps the layout when no path came or went, keeps
/// every block of pages none of which changed (one pointer, not 64 files:
/// an edit changes a few pages of tens of thousands), and keeps the bytes
/// of every unchanged file in the blocks it makes again.
#[derive(Debug, Default)]
pub struct SiteFiles {
    layout: Arc<Layout>,
    /// The pages' files in blocks of [`BLOCK`] places.
    pages: Vec<Block>,
    /// The other files', one for each of the layout's others.
    others: Vec<Option<MemoryFile>>,
}

impl SiteFiles {
    /// `pages` has a block for each [`BLOCK`] of the layout's pages (the
    /// last maybe shorter); `others` a file for each of its others.
    pub fn new(layout: Arc<Layout>, pages: Vec<Block>, others: Vec<Option<MemoryFile>>) -> Self {
        debug_assert_eq!(pages.len(), layout.pages.len().div_ceil(BLOCK));
        debug_assert_eq!(others.len(), layout.others.len());
        SiteFiles {
            layout,
            pages,
            others,
        }
    }

    pub fn layout(&self) -> &Arc<Layout> {
        &self.layout
    }

    /// The pages' files, in blocks of [`BLOCK`] places.
    pub fn page_blocks(&self) -> &[Block] {
        &self.pages
    }

    /// The other files, in the layout's order.
    pub fn others(&self) -> &[Option<MemoryFile>] {
        &self.others
    }

    fn at(&self, place: usize) -> Option<&MemoryFile> {
        match place.checked_sub(self.layout.pages.len()) {
            None => self.pages.get(place / BLOCK)?.get(place % BLOCK)?.as_ref(),
            Some(other) => self.others.get(other)?.as_ref(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&MemoryFile> {
        self.at(self.layout.place(path)?)
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Every path with its file, each path once, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &MemoryFile)> {
        self.layout
            .places
            .iter()
            .filter_map(|(path, &place)| Some((path.as_str(), self.at(place)?)))
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// A site in memory, as the dev server serves it.
pub type Files = Arc<SiteFiles>;

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

    fn file(text: &str) -> Option<MemoryFile> {
        Some(MemoryFile {
            fingerprint: text.len() as u64,
            bytes: Arc::from(text.as_bytes()),
        })
    }

    #[test]
    fn a_site_in_memory_finds_files_by_path_through_its_layout() {
        let pages = Arc::new(vec!["index.html".to_string(), "a/index.html".to_string()]);
        let layout = Arc::new(Layout::new(pages, vec!["style.css".to_string()]));
        assert_eq!(layout.places(), 3);
        assert_eq!(layout.place("style.css"), Some(2));
        assert_eq!(layout.place("b/index.html"), None);
        // A page whose rendering failed has no file, and is not listed.
        let pages = vec![Block::from(vec![file("home"), None])];
        let files = SiteFiles::new(layout, pages, vec![file("css")]);
        assert_eq!(
            files.get("index.html").map(|f| &f.bytes[..]),
            Some(&b"home"[..])
        );
        assert!(!files.contains_key("a/index.html"));
        let mut listed: Vec<&str> = files.iter().map(|(path, _)| path).collect();
        listed.sort_unstable();
        assert_eq!(listed, ["index.html", "style.css"]);
        assert_eq!(files.len(), 2);
        assert!(SiteFiles::default().is_empty());
    }

    #[test]
    fn pages_are_found_across_blocks() {
        let count = 2 * BLOCK + 3;
        let paths: Vec<String> = (0..count).map(|n| format!("p{n}/index.html")).collect();
        let files: Vec<Option<MemoryFile>> = paths.iter().map(|p| file(p)).collect();
        let blocks: Vec<Block> = files.chunks(BLOCK).map(Block::from).collect();
        let layout = Arc::new(Layout::new(Arc::new(paths), vec!["robots.txt".to_string()]));
        let site = SiteFiles::new(layout, blocks, vec![file("robots")]);
        for n in [0, BLOCK - 1, BLOCK, 2 * BLOCK + 2] {
            let path = format!("p{n}/index.html");
            assert_eq!(site.get(&path).map(|f| &f.bytes[..]), Some(path.as_bytes()));
        }
        assert_eq!(
            site.get("robots.txt").map(|f| &f.bytes[..]),
            Some(&b"robots"[..])
        );
        assert_eq!(site.len(), count + 1);
    }

    #[test]
    fn a_path_laid_out_twice_is_found_at_its_later_place() {
        // Two files at one path is an error the build reports; until then,
        // the later one is the one served, as when a map is filled in order.
        let pages = Arc::new(vec!["x/index.html".to_string(), "x/index.html".to_string()]);
        let files = SiteFiles::new(
            Arc::new(Layout::new(pages, Vec::new())),
            vec![Block::from(vec![file("first"), file("second")])],
            Vec::new(),
        );
        assert_eq!(
            files.get("x/index.html").map(|f| &f.bytes[..]),
            Some(&b"second"[..])
        );
        assert_eq!(files.len(), 1);
    }

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
