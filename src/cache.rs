//! Cache: takes what one build made and gives it back to the next, with what
//! changed on disk since, so that a rebuild redoes only what the changes
//! touch: the files load found, each document as parsed (by its file's stamp
//! and text), the entities, the compiled templates, resolve's relations, and
//! render's cards and search pieces. The pages themselves are kept by the
//! store they went to. A cold build is a build from an empty cache.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{DocumentFile, Found, SourceFile, TemplateFile};
use crate::parse::ParsedDocument;
use crate::parse::entities::{self, Entities};
use crate::parse::highlight::Highlighter;
use crate::render::RenderCache;
use crate::render::templates::Templates;
use crate::resolve::Relations;
use crate::site::Route;

/// What one build leaves for the next.
pub struct Cache {
    /// What changed on disk since the last build: everything, for the first.
    changes: Changes,
    pub(crate) found: Found,
    pub highlighter: Highlighter,
    /// The entities file's text as last read, what it defines and its problems.
    entities: Option<(Option<String>, Arc<Entities>, Vec<Diagnostic>)>,
    /// What every document's parse depends on beyond its own text: the config
    /// and how mentions of entities are found.
    parse_context: u64,
    documents: HashMap<String, ParsedFile, ahash::RandomState>,
    templates: Option<(u64, Compiled)>,
    relations: Option<(u64, Arc<Relations>)>,
    /// The routes planned from those relations, with the clashes found.
    routes: Option<(u64, Planned)>,
    pub(crate) render: RenderCache,
}

/// Every output file of a site, and the problems planning them met.
type Planned = (Arc<Vec<Route>>, Vec<Diagnostic>);

/// The theme compiled from the templates, or what was wrong with them.
type Compiled = Result<Arc<Templates>, Vec<Diagnostic>>;

/// A document as last parsed, with what it was parsed from.
struct ParsedFile {
    stamp: Option<Stamp>,
    text: u64,
    parsed: ParsedDocument,
    problems: Vec<Diagnostic>,
}

/// What identifies a document's text for the cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Text(u64);

impl Text {
    pub(crate) fn of(text: &str) -> Text {
        Text(fingerprint(text))
    }
}

/// What the cache says of a document before it is read.
pub(crate) enum Known {
    /// Parsed from the file as it is: here it is again, with its problems.
    Parsed(ParsedDocument, Vec<Diagnostic>),
    /// To read: it is new, or its file changed.
    Unknown,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new()
    }
}

impl Cache {
    /// An empty cache: the next build looks at everything.
    pub fn new() -> Self {
        Cache {
            changes: Changes::everything(),
            found: Found::default(),
            highlighter: Highlighter::new(),
            entities: None,
            parse_context: 0,
            documents: HashMap::default(),
            templates: None,
            relations: None,
            routes: None,
            render: RenderCache::default(),
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

    /// The entities of `file` (none without one), parsed again only when its
    /// text changed; with the problems found in it.
    pub(crate) fn entities(
        &mut self,
        file: Option<&SourceFile>,
    ) -> (Arc<Entities>, Vec<Diagnostic>) {
        let text = file.map(|f| f.text.clone());
        match &self.entities {
            Some((last, entities, problems)) if *last == text => {
                (entities.clone(), problems.clone())
            }
            _ => {
                let (entities, problems) = match &text {
                    Some(text) => entities::parse(text),
                    None => (Entities::default(), Vec::new()),
                };
                let entities = Arc::new(entities);
                self.entities = Some((text, entities.clone(), problems.clone()));
                (entities, problems)
            }
        }
    }

    /// Forgets every document parsed under another config or other entities.
    pub(crate) fn parse_under(&mut self, config: &Config, entities: &Entities) {
        let context = fingerprint(&(config, entities.mentions_fingerprint));
        if context != self.parse_context {
            self.documents.clear();
            self.parse_context = context;
        }
    }

    /// What is known of a document: parsed as it is, if no change was said
    /// to touch it since (the dev server knows exactly which files it was
    /// told of), or if its file's stamp is the same.
    pub(crate) fn known(&self, changes: &Changes, file: &DocumentFile) -> Known {
        let Some(last) = self.documents.get(&file.path) else {
            return Known::Unknown;
        };
        let same = (!changes.is_everything() && !changes.touch(&file.path))
            || Stamp::of(&file.file).is_some_and(|now| last.stamp == Some(now));
        if same {
            Known::Parsed(last.parsed.clone(), last.problems.clone())
        } else {
            Known::Unknown
        }
    }

    /// The last parse of a document read again, if its text is the one it
    /// was parsed from (a file saved unchanged, or touched).
    pub(crate) fn same_text(
        &self,
        file: &DocumentFile,
        text: &Text,
    ) -> Option<(ParsedDocument, Vec<Diagnostic>)> {
        let last = self.documents.get(&file.path)?;
        (last.text == text.0).then(|| (last.parsed.clone(), last.problems.clone()))
    }

    /// Remembers a document as parsed from `text`, or, read again unchanged,
    /// its file's new stamp.
    pub(crate) fn parsed(
        &mut self,
        file: &DocumentFile,
        text: Text,
        parsed: &ParsedDocument,
        problems: &[Diagnostic],
    ) {
        let remembered = ParsedFile {
            stamp: Stamp::of(&file.file),
            text: text.0,
            parsed: parsed.clone(),
            problems: problems.to_vec(),
        };
        self.documents.insert(file.path.clone(), remembered);
    }

    /// Forgets the documents whose files are gone.
    pub(crate) fn keep_documents(&mut self, files: &[DocumentFile]) {
        let present: HashSet<&str, ahash::RandomState> =
            files.iter().map(|f| f.path.as_str()).collect();
        self.documents
            .retain(|path, _| present.contains(path.as_str()));
    }

    /// The theme compiled from `templates`, compiled again only when their
    /// text changed.
    pub(crate) fn templates(
        &mut self,
        name: &str,
        templates: &[TemplateFile],
    ) -> Result<Arc<Templates>, Vec<Diagnostic>> {
        let key = fingerprint(&(name, templates));
        remembered(&mut self.templates, key, || {
            Templates::compile(name, templates).map(Arc::new)
        })
    }

    /// Resolve's relations for what `inputs` identifies, worked out by `work`
    /// only when they are not the last ones.
    pub(crate) fn relations(
        &mut self,
        inputs: &impl Hash,
        work: impl FnOnce() -> Relations,
    ) -> (Arc<Relations>, u64) {
        let key = fingerprint(inputs);
        (
            remembered(&mut self.relations, key, || Arc::new(work())),
            key,
        )
    }

    /// The routes of a site whose relations have `key`: planned again only
    /// when those changed, since every output path follows from them.
    pub(crate) fn routes(
        &mut self,
        key: u64,
        plan: impl FnOnce() -> (Vec<Route>, Vec<Diagnostic>),
    ) -> Planned {
        remembered(&mut self.routes, key, || {
            let (routes, problems) = plan();
            (Arc::new(routes), problems)
        })
    }
}

/// What `slot` holds if it was made under `key`; otherwise what `work` makes,
/// held in its place for the next build.
fn remembered<T: Clone>(slot: &mut Option<(u64, T)>, key: u64, work: impl FnOnce() -> T) -> T {
    match slot {
        Some((last, value)) if *last == key => value.clone(),
        _ => slot.insert((key, work())).1.clone(),
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
