//! Search: takes the resolved site and gives the files of its search, made so
//! that what a reader loads does not grow with the site: a small index (the
//! names of themes and kinds, the shards that exist, and each document's kind
//! and themes in a few characters, for filters), the words of every document
//! in shards by their first letters, each shard holding the postings of the
//! words' stems and which word has which stem (a query loads only the shards
//! of its words), and, loaded only for the results shown, each chunk's titles
//! and URLs and each document's text (to cut snippets from).
//!
//! All are JavaScript files that set globals, not JSON to fetch: a script
//! element loads from a `file://` folder, where browsers refuse `fetch`.

mod layout;

use std::collections::{BTreeMap, HashMap};

use hashbrown::HashTable;
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::cache::fingerprint;
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::parse::exact;
use crate::parse::markdown::Rendered;
use crate::resolve::routes::{CHUNK, INDEX_FILE, meta_file, shard_file, text_file};
use crate::site::Site;
use crate::write::{Bytes, Store};
use layout::{SHARD_LIMIT, shard_of};

/// The format of the files, for the script to check.
const VERSION: u32 = 2;

/// Words too common to say anything about a document: left out of the index,
/// and out of queries (the script gets this list from the index).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we",
    "were", "which", "will", "with", "you", "your",
];

/// Where in a document a word stands, best last: a posting's value is the
/// times its body (and summary) uses the word, shifted by [`FIELD_BITS`], and
/// the best of these places it is in besides. The script weighs them.
const HEADING: u32 = 1;
/// The name of one of the document's themes or tags.
const TAXONOMY: u32 = 2;
/// The name of an entity the document mentions, or an entity's own alias.
const ENTITY: u32 = 3;
const TITLE: u32 = 4;
const FIELD_BITS: u32 = 3;
const FIELD_MASK: u32 = (1 << FIELD_BITS) - 1;

/// A date as readers see it (`17 October 2017`), or `""`; made into text
/// only when the file is written, not each time it is compared.
#[derive(Debug, Hash, Clone, Copy)]
struct HumanDate(Option<time::Date>);

impl Serialize for HumanDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let human = self.0.map(|d| crate::render::views::DateView::new(d).human);
        serializer.serialize_str(human.as_deref().unwrap_or_default())
    }
}

/// What the results show of a document, loaded with its chunk only when it
/// is shown: `[url, title, date]`.
#[derive(Debug, Serialize)]
struct Meta<'a>(&'a str, &'a str, HumanDate);

#[derive(Debug, Serialize)]
struct Index<'a> {
    version: u32,
    chunk_size: usize,
    stop_words: &'static [&'static str],
    /// Each kind's label and the name it has in the address (`?kind=`).
    kinds: Vec<(&'static str, String)>,
    #[serde(flatten)]
    tables: Tables<'a>,
    /// How many documents there are: articles first, then pages, then entities.
    articles: usize,
    pages: usize,
    documents: usize,
    /// Each document's kind and themes, `core_width` characters a document:
    /// see [`core`].
    core_width: usize,
    core: &'a str,
    /// The shards that exist, by the prefix of their words (as file names).
    shards: Vec<String>,
}

/// What the index holds besides its documents that an edit can change: the
/// site's path, and the themes documents can be filtered by.
#[derive(Debug, Serialize, Hash)]
struct Tables<'a> {
    /// What root-relative URLs start with, so the script can make them relative.
    base_path: &'a str,
    /// Each theme's name and slug (the name it has in the address, `?theme=`).
    themes: Vec<(&'a str, &'a str)>,
}

impl<'a> Tables<'a> {
    fn of(site: &'a Site) -> Self {
        Tables {
            base_path: &site.config.base_url.path,
            themes: site
                .themes
                .iter()
                .map(|t| (t.name.as_str(), t.slug.as_str()))
                .collect(),
        }
    }
}

/// Which document of the site a source is.
#[derive(Clone, Copy)]
enum Origin {
    Article(usize),
    Page(usize),
    Entity(usize),
}

/// Where a document's searchable text comes from.
enum Body<'a> {
    Document(&'a Rendered),
    Text(&'a str),
}

struct Source<'a> {
    url: &'a str,
    title: &'a str,
    date: HumanDate,
    kind: usize,
    themes: &'a [usize],
    /// Where its title, headings, themes, tags, mentioned entities and
    /// aliases come from: they are listed again when indexed ([`fields`]),
    /// not held for every document to the end of the build.
    origin: Origin,
    summary: &'a str,
    body: Body<'a>,
    /// Identifies everything of the document that the search files hold.
    key: u64,
    /// Identifies its text file.
    text_key: u64,
}

/// For each word, the documents using it and its value in each: (document, value).
type Postings = HashMap<String, Vec<(u32, u32)>, ahash::RandomState>;

/// One chunk of documents, indexed: its file of titles and URLs, its
/// documents' text files and its words.
#[derive(Debug)]
struct Chunk {
    meta_file: Vec<u8>,
    text_files: Vec<Vec<u8>>,
    words: Postings,
}

/// What the search keeps between builds, to make again only what an edit
/// changes: an edit to one article indexes only its chunk again, changes the
/// postings of only the words that chunk uses, and writes only their shards
/// again. It keeps no file's bytes (the store keeps those) and the postings
/// packed, so that a build from nothing holds no more than it needs anyway.
/// Postings are kept by word, not stem: stems are worked out as a shard is
/// written, in parallel, and for the shards written only.
#[derive(Debug, Default)]
pub(crate) struct SearchMemo {
    /// For each chunk of the last build, the key of its documents and the
    /// ids of the words it uses. A chunk's key covers its position, so a
    /// chunk is the same only where it was.
    chunks: Vec<(u64, Vec<u32>)>,
    /// Every word by its id, with its postings (empty once no document uses it).
    words: Vec<(String, Packed)>,
    /// Each word's id, in word order: a shard's words are a stretch of it.
    ids: BTreeMap<String, u32>,
    /// The same ids by the hash of their words, for finding a word's id: a
    /// build looks up every word of every chunk, and looking them up in
    /// `ids` spent 68M instructions on string comparisons (1.4% of a build:
    /// callgrind, 2,000 articles, one thread).
    by_hash: HashTable<u32>,
    hasher: ahash::RandomState,
    /// Each shard's prefix, whether it holds every word with that prefix
    /// (see [`layout::Layout`]), and the version of its file: a new one when it changes.
    shards: BTreeMap<String, (bool, u64)>,
    versions: u64,
}

/// How many chunks are indexed before their words join the rest: enough to
/// keep every core busy, few enough that a large site's words are never all
/// held twice.
const GROUP: usize = 8;

/// One word's postings as the index will write them: pairs of (document
/// number minus the previous one's, times used), each number a LEB128 varint,
/// since a large site has millions and most are small: at 10,000 articles
/// 3.1 million pairs take 6.2 MB packed against 24.9 MB as pairs of u32,
/// held to the end of the build (counted from the word shards).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Packed {
    last: Option<u32>,
    bytes: Vec<u8>,
}

impl Packed {
    /// These postings with those of `documents` replaced by `postings` (in
    /// document order, each within `documents`). The pairs before and after
    /// them are copied as they are, but for the first one after, whose gap
    /// is from a new document.
    fn splice(&self, documents: std::ops::Range<u32>, postings: &[(u32, u32)]) -> Packed {
        let bytes = &self.bytes;
        let (mut at, mut doc, mut kept) = (0, 0, None);
        // A document's gap is from the one before, so the first is its number.
        while at < bytes.len() {
            let (gap, count_at) = varint(bytes, at);
            if doc + gap >= documents.start {
                break;
            }
            doc += gap;
            kept = Some(doc);
            at = varint(bytes, count_at).1;
        }
        let mut spliced = Packed {
            last: kept,
            bytes: Vec::with_capacity(bytes.len() + postings.len() * 4),
        };
        spliced.bytes.extend_from_slice(&bytes[..at]);
        for &(doc, count) in postings {
            spliced.push(doc, count);
        }
        while at < bytes.len() {
            let (gap, count_at) = varint(bytes, at);
            doc += gap;
            let (count, next) = varint(bytes, count_at);
            if doc >= documents.end {
                spliced.push(doc, count);
                spliced.bytes.extend_from_slice(&bytes[next..]);
                spliced.last = self.last;
                break;
            }
            at = next;
        }
        spliced
    }

    fn push(&mut self, doc: u32, count: u32) {
        let delta = self.last.map_or(doc, |last| doc - last);
        self.last = Some(doc);
        for mut n in [delta, count] {
            while n >= 0x80 {
                self.bytes.push((n as u8 & 0x7f) | 0x80);
                n >>= 7;
            }
            self.bytes.push(n as u8);
        }
    }

    /// Appends the (document, value) pairs to `out`.
    fn decode(&self, out: &mut Vec<(u32, u32)>) {
        let (mut at, mut doc) = (0, 0);
        while at < self.bytes.len() {
            let (gap, count_at) = varint(&self.bytes, at);
            let (value, next) = varint(&self.bytes, count_at);
            doc += gap;
            out.push((doc, value));
            at = next;
        }
    }

    /// The numbers, comma-separated.
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut digits = itoa::Buffer::new();
        let mut at = 0;
        while at < self.bytes.len() {
            if at > 0 {
                out.push(b',');
            }
            let (n, next) = varint(&self.bytes, at);
            out.extend_from_slice(digits.format(n).as_bytes());
            at = next;
        }
    }
}

/// The varint starting at `at`, and where the next one starts.
fn varint(bytes: &[u8], mut at: usize) -> (u32, usize) {
    let (mut n, mut shift) = (0u32, 0);
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        n |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (n, at)
}

/// Makes every file of the search into `store`: the titles and texts of each
/// chunk of documents, the shards of words and the index. What `memo` holds
/// from the last build is used where the documents did not change: a chunk is
/// indexed again only when its documents changed (or the store does not hold
/// its files), and a shard is written again only when its words' postings
/// changed (or the store does not hold it). Gives the problems writing met.
pub(crate) fn write(site: &Site, memo: &mut SearchMemo, store: &dyn Store) -> Vec<Diagnostic> {
    let sources = sources(site);
    let keys = chunk_keys(&sources);
    // Splicing pays when an edit changed a few chunks; an article added at
    // the top moves every document along, and then indexing all is quicker.
    let changed = memo
        .chunks
        .iter()
        .zip(&keys)
        .filter(|((old, _), new)| old != *new)
        .count();
    let same_layout =
        memo.chunks.len() == keys.len() && (changed <= 1 || changed * 2 <= keys.len());
    if !same_layout {
        *memo = SearchMemo {
            versions: memo.versions,
            ..SearchMemo::default()
        };
    }
    let mut problems = Vec::new();
    let put = |path: &str, key: u64, bytes: Vec<u8>| {
        store
            .put(path, key, Bytes::Made(bytes))
            .err()
            .map(|e| write_problem(path, &e))
    };
    // Whether each word's postings change, by id.
    let mut dirty: Vec<bool> = Vec::new();
    let indexed: Vec<bool> = (0..keys.len())
        .map(|k| memo.chunks.get(k).is_some_and(|(key, _)| *key == keys[k]))
        .collect();
    let todo: Vec<usize> = (0..keys.len())
        .filter(|&k| !indexed[k] || !chunk_files_kept(k, keys[k], &sources, store))
        .collect();
    for group in todo.chunks(GROUP) {
        // Each chunk of documents is stripped to text, indexed and its files
        // written on its own, in parallel; their words then join in document
        // order. (Written one by one as the words joined, the files were a
        // sixth of the search's time on a large site.)
        let chunks: Vec<(usize, Postings, Vec<Diagnostic>)> = group
            .par_iter()
            .map(|&k| {
                let end = ((k + 1) * CHUNK).min(sources.len());
                let chunk = index_chunk(site, k, &sources[k * CHUNK..end]);
                let mut problems: Vec<Diagnostic> = put(&meta_file(k), keys[k], chunk.meta_file)
                    .into_iter()
                    .collect();
                for (i, text) in chunk.text_files.into_iter().enumerate() {
                    let n = k * CHUNK + i;
                    problems.extend(put(&text_file(n), sources[n].text_key, text));
                }
                (k, chunk.words, problems)
            })
            .collect();
        for (k, words, chunk_problems) in chunks {
            problems.extend(chunk_problems);
            // A chunk already indexed had only its files missing from the store.
            if !indexed[k] {
                memo.replace_chunk(k, keys[k], words, &mut dirty);
            }
        }
    }
    let dirty: Vec<u32> = (0..dirty.len() as u32)
        .filter(|&id| dirty[id as usize])
        .collect();
    // Postings grown by appending hold up to twice their bytes; they are
    // kept to the end of the build, and between builds.
    for &id in &dirty {
        exact(&mut memo.words[id as usize].1.bytes);
    }
    // Which prefixes have shards, from the words as they are now.
    let sized: Vec<(&str, usize)> = memo
        .ids
        .iter()
        .map(|(word, &id)| (word.as_str(), memo.words[id as usize].1.bytes.len()))
        .filter(|(_, size)| *size > 0)
        .map(|(word, size)| (word, size + word.len() + 2))
        .collect();
    let layout = layout::layout(&sized, SHARD_LIMIT);
    drop(sized);
    // Shards whose words' postings changed, new shards, shards that hold
    // other words than before, and shards the store lost are made again;
    // every one when the words were made again from nothing.
    let mut remake: BTreeMap<&str, bool> = BTreeMap::new();
    for &id in &dirty {
        if let Some(key) = shard_of(&layout, &memo.words[id as usize].0) {
            remake.insert(key, layout[key]);
        }
    }
    for (key, &whole) in &layout {
        // Asking the store keeps its file, so only of shards not made again.
        if remake.contains_key(key.as_str()) {
            continue;
        }
        let same = memo.shards.get(key).is_some_and(|&(was, version)| {
            was == whole && store.kept(&shard_file(&shard_key(key)), version).is_some()
        });
        if !same_layout || !same {
            remake.insert(key, whole);
        }
    }
    // Each shard is written as soon as it is made: a large site's shards are
    // tens of megabytes, never all held at once.
    let first_version = memo.versions + 1;
    memo.versions += remake.len() as u64;
    let made: Vec<(String, u64, Option<Diagnostic>)> = remake
        .into_iter()
        .zip(first_version..)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|((prefix, whole), version)| {
            let words = memo
                .ids
                .range(prefix.to_string()..)
                .take_while(|(word, _)| word.starts_with(prefix) && (whole || *word == prefix))
                .map(|(word, &id)| (word.as_str(), &memo.words[id as usize].1))
                .filter(|(_, packed)| !packed.bytes.is_empty());
            let key = shard_key(prefix);
            let path = shard_file(&key);
            let problem = store
                .put(&path, version, Bytes::Made(shard_script(&key, words)))
                .err()
                .map(|e| write_problem(&path, &e));
            (prefix.to_string(), version, problem)
        })
        .collect();
    for (prefix, version, problem) in made {
        let whole = layout[&prefix];
        memo.shards.insert(prefix, (whole, version));
        problems.extend(problem);
    }
    memo.shards.retain(|prefix, _| layout.contains_key(prefix));
    // The index: the tables, each document's kind and themes, the shards.
    let (width, core) = core(site, &sources);
    let shard_keys: Vec<String> = layout.keys().map(|k| shard_key(k)).collect();
    let tables = Tables::of(site);
    let index_key = fingerprint(&(&core, &tables, &shard_keys, site.articles.len()));
    if store.kept(INDEX_FILE, index_key).is_none() {
        let index = Index {
            version: VERSION,
            chunk_size: CHUNK,
            stop_words: STOP_WORDS,
            kinds: KINDS.iter().map(|k| (*k, kind_slug(k))).collect(),
            tables,
            articles: site.articles.len(),
            pages: site.pages.len(),
            documents: sources.len(),
            core_width: width,
            core: &core,
            shards: shard_keys,
        };
        problems.extend(put(
            INDEX_FILE,
            index_key,
            script("window.tillerSearchIndex = ", &index),
        ));
    }
    problems
}

/// Whether the store holds chunk `k`'s file of titles and its documents'
/// texts as they would be made now.
fn chunk_files_kept(k: usize, key: u64, sources: &[Source], store: &dyn Store) -> bool {
    let end = ((k + 1) * CHUNK).min(sources.len());
    let paths: Vec<String> = (k * CHUNK..end).map(text_file).collect();
    let meta = meta_file(k);
    let mut files: Vec<(&str, u64)> = vec![(meta.as_str(), key)];
    files.extend(
        paths
            .iter()
            .zip(&sources[k * CHUNK..end])
            .map(|(path, source)| (path.as_str(), source.text_key)),
    );
    store.kept_all(&files).iter().all(Option::is_some)
}

/// Each document's kind and themes, for the filters: a number whose lowest
/// four bits are its kind (an index into [`KINDS`]) and each bit above them
/// one theme, written in `width` characters of base 64, lowest digit first.
/// A few bytes a document: about 3 at 100,000 documents and 8 themes.
fn core(site: &Site, sources: &[Source]) -> (usize, String) {
    let width = (4 + site.themes.len()).div_ceil(6);
    let mut core = String::with_capacity(width * sources.len());
    for source in sources {
        push_core(&mut core, width, source.kind, source.themes);
    }
    (width, core)
}

/// Appends one document's kind and themes to the core, in `width` characters.
fn push_core(core: &mut String, width: usize, kind: usize, themes: &[usize]) {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let set = |bit: usize| {
        if bit < 4 {
            kind >> bit & 1 == 1
        } else {
            themes.contains(&(bit - 4))
        }
    };
    for digit in 0..width {
        let value = (0..6).fold(0, |n, b| n | usize::from(set(digit * 6 + b)) << b);
        core.push(char::from(DIGITS[value]));
    }
}

fn write_problem(path: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Code::OutputWrite,
        path,
        Position::START,
        format!("cannot write this output file: {error}"),
    )
}

impl SearchMemo {
    /// The id of `word`, a new one if it has none yet.
    fn id(&mut self, word: String) -> u32 {
        let words = &self.words;
        let hash = self.hasher.hash_one(&word);
        if let Some(&id) = self.by_hash.find(hash, |&id| words[id as usize].0 == word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        let (hasher, words) = (&self.hasher, &self.words);
        self.by_hash
            .insert_unique(hash, id, |&id| hasher.hash_one(&words[id as usize].0));
        self.ids.insert(word.clone(), id);
        self.words.push((word, Packed::default()));
        id
    }

    /// Puts chunk `k`'s new words in place of its old ones: the postings of
    /// its documents are taken out of every word it used and put into every
    /// word it uses now; the words whose postings changed are marked in
    /// `dirty`, by id.
    fn replace_chunk(&mut self, k: usize, key: u64, words: Postings, dirty: &mut Vec<bool>) {
        let first = u32::try_from(k * CHUNK).unwrap_or(u32::MAX);
        let documents = first..first.saturating_add(CHUNK as u32);
        let old: Vec<u32> = self
            .chunks
            .get(k)
            .map(|(_, ids)| ids.clone())
            .unwrap_or_default();
        // The order words get their ids in does not matter: files list words
        // by `ids`, in word order, and chunks come in document order, so
        // postings grow by appending.
        let mut new_ids = Vec::with_capacity(words.len());
        for (word, postings) in words {
            let id = self.id(word);
            new_ids.push(id);
            let packed = &mut self.words[id as usize].1;
            let appended = packed.last.is_none_or(|last| last < documents.start);
            let changed = if appended && old.binary_search(&id).is_err() {
                for &(doc, value) in &postings {
                    packed.push(doc, value);
                }
                true
            } else {
                let spliced = packed.splice(documents.clone(), &postings);
                let changed = spliced.bytes != packed.bytes;
                *packed = spliced;
                changed
            };
            if changed {
                mark(dirty, id);
            }
        }
        // Words the chunk used and uses no more lose its documents' postings.
        new_ids.sort_unstable();
        for id in old {
            if new_ids.binary_search(&id).is_ok() {
                continue;
            }
            let packed = &mut self.words[id as usize].1;
            *packed = packed.splice(documents.clone(), &[]);
            mark(dirty, id);
        }
        match self.chunks.get_mut(k) {
            Some(chunk) => *chunk = (key, new_ids),
            None => self.chunks.push((key, new_ids)),
        }
    }
}

/// Marks word `id` in `dirty`.
fn mark(dirty: &mut Vec<bool>, id: u32) {
    let id = id as usize;
    if dirty.len() <= id {
        dirty.resize(id + 1, false);
    }
    dirty[id] = true;
}

fn chunk_keys(sources: &[Source]) -> Vec<u64> {
    sources
        .chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| fingerprint(&(k, chunk.iter().map(|s| s.key).collect::<Vec<_>>())))
        .collect()
}

/// A shard's script: `(window.tillerSearchWords = …)["key"] = {"stems":
/// {"stem":[postings],…},"words":{"word":"stem",…}};`, the words' postings
/// merged by stem (times added, the best place kept), and each word with its
/// stem, or `""` where the word is its own stem. The stems are English
/// Snowball's (rust-stemmers); the script stems a query word the same way,
/// and finds words by their start (as they are typed) or within an edit or
/// two (misspelt) among the words.
fn shard_script<'w>(key: &str, words: impl Iterator<Item = (&'w str, &'w Packed)>) -> Vec<u8> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut stems: BTreeMap<String, Vec<&Packed>> = BTreeMap::new();
    let mut names: Vec<(&str, String)> = Vec::new();
    for (word, packed) in words {
        let stem = stemmer.stem(word).into_owned();
        stems.entry(stem.clone()).or_default().push(packed);
        names.push((word, stem));
    }
    let mut bytes = b"(window.tillerSearchWords = window.tillerSearchWords || {})[".to_vec();
    json_string(&mut bytes, key);
    bytes.extend_from_slice(b"] = {\"stems\":{");
    let mut merged = Vec::new();
    for (n, (stem, lists)) in stems.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        json_string(&mut bytes, stem);
        bytes.extend_from_slice(b":[");
        if let [only] = lists.as_slice() {
            only.write_json(&mut bytes);
        } else {
            merged.clear();
            lists.iter().for_each(|list| list.decode(&mut merged));
            // Each word's postings are in document order already: the
            // standard sort merges such runs rather than sorting anew.
            merged.sort_by_key(|&(doc, _)| doc);
            let mut packed = Packed::default();
            let mut at = 0;
            while at < merged.len() {
                let (doc, mut value) = merged[at];
                at += 1;
                while let Some(&(_, more)) = merged.get(at).filter(|(d, _)| *d == doc) {
                    value = ((value >> FIELD_BITS) + (more >> FIELD_BITS)) << FIELD_BITS
                        | (value & FIELD_MASK).max(more & FIELD_MASK);
                    at += 1;
                }
                packed.push(doc, value);
            }
            packed.write_json(&mut bytes);
        }
        bytes.push(b']');
    }
    bytes.extend_from_slice(b"},\"words\":{");
    for (n, (word, stem)) in names.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        json_string(&mut bytes, word);
        bytes.push(b':');
        json_string(&mut bytes, if word == stem { "" } else { stem });
    }
    bytes.extend_from_slice(b"}};\n");
    bytes
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it. Every
/// byte of every body's text passes through here; serde_json tests each byte
/// against a table, json-escape-simd tests 32 at a time.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, text).is_err() {
        out.extend_from_slice(b"\"\"");
    }
    escape_markup(out, start);
}

/// Writes `<`, `>` and `&` in the JSON from `start` on as `\u003c`,
/// `\u003e` and `\u0026`. JSON lets them stand, but then a script file would
/// hold `</script>` or `<!--` wherever content does, which ends or opens
/// markup if the script is ever read inside a page. Outside strings JSON has
/// none of them, so every one is in a string, where the escape means the same.
pub(crate) fn escape_markup(out: &mut Vec<u8>, start: usize) {
    let Some(first) = memchr::memchr3(b'<', b'>', b'&', &out[start..]) else {
        return;
    };
    let tail = out.split_off(start + first);
    for &byte in &tail {
        match byte {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(byte),
        }
    }
}

/// Strips one chunk's documents to text, makes their files and counts their
/// words: in the body and summary (how often), and in the fields (where).
fn index_chunk(site: &Site, k: usize, sources: &[Source]) -> Chunk {
    let texts: Vec<String> = sources
        .iter()
        .map(|source| match source.body {
            Body::Document(body) => body.text(),
            Body::Text(text) => text.to_string(),
        })
        .collect();
    // Sized for the distinct words the texts are likely to hold (about one
    // per 30 bytes), so that the map is not rebuilt as it grows.
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let mut words = Postings::with_capacity_and_hasher(
        (text_bytes / 30).clamp(256, 16_384),
        Default::default(),
    );
    let mut text_files = Vec::with_capacity(sources.len());
    let mut word = String::new();
    for (i, (source, text)) in sources.iter().zip(texts).enumerate() {
        let doc = u32::try_from(k * CHUNK + i).unwrap_or(u32::MAX);
        // A summary written in front matter may say what the body does not;
        // one taken from the body says it again, and is neither counted nor
        // kept twice.
        let summary = source.summary.trim_end_matches('…');
        let found = memchr::memmem::find(text.as_bytes(), summary.as_bytes()).is_some();
        let summary = if found { "" } else { source.summary };
        for part in [summary, text.as_str()] {
            for_each_word(part, &mut word, |w| {
                if is_stop_word(w) {
                    return;
                }
                match words.get_mut(w) {
                    Some(postings) => match postings.last_mut() {
                        Some((last, value)) if *last == doc => *value += 1 << FIELD_BITS,
                        _ => postings.push((doc, 1 << FIELD_BITS)),
                    },
                    None => {
                        // Room for a few documents from the start: most words
                        // that come back come back in more than one, and each
                        // growth is a copy.
                        let mut postings = Vec::with_capacity(4);
                        postings.push((doc, 1 << FIELD_BITS));
                        words.insert(w.to_string(), postings);
                    }
                }
            });
        }
        for (place, field) in fields(site, source.origin) {
            for_each_word(field, &mut word, |w| {
                if is_stop_word(w) {
                    return;
                }
                let postings = words.entry(w.to_string()).or_default();
                match postings.last_mut() {
                    Some((last, value)) if *last == doc => {
                        *value = (*value & !FIELD_MASK) | (*value & FIELD_MASK).max(place);
                    }
                    _ => postings.push((doc, place)),
                }
            });
        }
        // Written into one buffer with room for the text and some escaping.
        let prefix =
            format!("(window.tillerSearchTexts = window.tillerSearchTexts || {{}})[{doc}] = ");
        let room = summary.len() + text.len() + 8;
        let mut file = Vec::with_capacity(prefix.len() + room + room / 16 + 8);
        file.extend_from_slice(prefix.as_bytes());
        write_texts(&mut file, &(summary, text));
        file.extend_from_slice(b";\n");
        text_files.push(file);
    }
    let metas: Vec<Meta> = sources
        .iter()
        .map(|s| Meta(s.url, s.title, s.date))
        .collect();
    let meta_file = script(
        &format!("(window.tillerSearchMeta = window.tillerSearchMeta || {{}})[{k}] = "),
        &metas,
    );
    Chunk {
        meta_file,
        text_files,
        words,
    }
}

/// Appends a document's texts as JSON, `["summary","text"]`, with markup
/// characters escaped.
fn write_texts(out: &mut Vec<u8>, texts: &impl Serialize) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, texts).is_err() {
        out.truncate(start);
        out.extend_from_slice(b"[]");
    }
    escape_markup(out, start);
}

/// The kinds a document can be, by their index in the index's `kinds`.
const KINDS: &[&str] = &[
    "Interview",
    "Briefing",
    "Guidance",
    "Blog post",
    "Report",
    "Page",
    "Person",
    "Organisation",
    "Legislation and guidance",
    "Concept",
];

fn kind_index(label: &str) -> usize {
    KINDS.iter().position(|k| *k == label).unwrap_or(0)
}

/// A kind's name in the address: `Blog post` is `blog-post`.
fn kind_slug(label: &str) -> String {
    label.to_lowercase().replace(' ', "-")
}

/// Articles (newest first), then plain pages, then entities.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let entity_count = site.entities.list.len();
    let mut sources = Vec::with_capacity(site.articles.len() + site.pages.len() + entity_count);
    for (id, article) in site.articles.iter().enumerate() {
        let origin = Origin::Article(id);
        sources.push(Source {
            // The text, and the names the document shows for its themes,
            // tags and entities.
            key: fingerprint(&(article.doc.source_hash, article.url(), fields(site, origin))),
            text_key: article.doc.source_hash,
            url: article.url(),
            title: article.title(),
            date: HumanDate(article.date()),
            kind: kind_index(article.kind().label()),
            themes: article.themes(),
            origin,
            summary: article.summary(),
            body: Body::Document(article.body()),
        });
    }
    for (id, page) in site.pages.iter().enumerate() {
        let origin = Origin::Page(id);
        sources.push(Source {
            key: fingerprint(&(page.doc.source_hash, &page.url, fields(site, origin))),
            text_key: page.doc.source_hash,
            url: &page.url,
            title: page.title(),
            date: HumanDate(None),
            kind: kind_index("Page"),
            themes: &[],
            origin,
            summary: page.summary(),
            body: Body::Document(page.body()),
        });
    }
    for (id, (entity, mentioned)) in site
        .entities
        .list
        .iter()
        .zip(site.mentions.iter())
        .enumerate()
    {
        sources.push(Source {
            key: fingerprint(&(entity, &mentioned.url)),
            text_key: fingerprint(&entity.description),
            url: &mentioned.url,
            title: &entity.name,
            date: HumanDate(None),
            kind: kind_index(entity.kind.label()),
            themes: &[],
            origin: Origin::Entity(id),
            summary: &entity.description,
            body: Body::Text(""),
        });
    }
    sources
}

/// The texts of a document's title, headings, themes, tags, mentioned
/// entities and aliases, each with its place ([`TITLE`]…).
fn fields(site: &Site, origin: Origin) -> Vec<(u32, &str)> {
    let entity = |id: usize| site.entities.list[id].name.as_str();
    match origin {
        Origin::Article(id) => {
            let article = &site.articles[id];
            let headings = article
                .headings()
                .iter()
                .map(|h| (HEADING, h.text.as_str()));
            let themes = article.themes().iter();
            let tags = article.place.tags.iter();
            std::iter::once((TITLE, article.title()))
                .chain(headings)
                .chain(themes.map(|&t| (TAXONOMY, site.themes[t].name.as_str())))
                .chain(tags.map(|&t| (TAXONOMY, site.tags[t].name.as_str())))
                .chain(
                    article
                        .mentions()
                        .iter()
                        .map(|m| (ENTITY, entity(m.entity))),
                )
                .collect()
        }
        Origin::Page(id) => {
            let page = &site.pages[id];
            std::iter::once((TITLE, page.title()))
                .chain(page.headings().iter().map(|h| (HEADING, h.text.as_str())))
                .chain(page.mentions().iter().map(|m| (ENTITY, entity(m.entity))))
                .collect()
        }
        Origin::Entity(id) => {
            let entity = &site.entities.list[id];
            let names = entity.abbreviations.iter().chain(&entity.aliases);
            std::iter::once((TITLE, entity.name.as_str()))
                .chain(names.map(|w| (ENTITY, w.text.as_str())))
                .collect()
        }
    }
}

/// A script of `assignment` (`window.x = `) and `value` as JSON.
fn script(assignment: &str, value: &impl Serialize) -> Vec<u8> {
    let mut bytes = assignment.as_bytes().to_vec();
    let start = bytes.len();
    if serde_json::to_writer(&mut bytes, value).is_err() {
        bytes.truncate(start);
        bytes.extend_from_slice(b"null");
    }
    escape_markup(&mut bytes, start);
    bytes.extend_from_slice(b";\n");
    bytes
}

/// The name of the shard of the words starting with `prefix`: each ASCII
/// letter or digit as it is, or else `_` and its code point in hex, so that
/// every shard's file name is plain ASCII. The script names shards the same way.
pub(crate) fn shard_key(prefix: &str) -> String {
    let mut key = String::new();
    for c in prefix.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}", u32::from(c)));
        }
    }
    key
}

/// What a byte is to [`for_each_word`]: a separator (ASCII other than letters
/// and digits), or part of a run, with bits saying what kind of part. One
/// table lookup a byte, since every byte of every body is classed.
const SEPARATOR: u8 = 0;
const LOWERCASE_OR_DIGIT: u8 = 1;
const UPPERCASE: u8 = 2;
const NON_ASCII: u8 = 4;
const BYTE_CLASSES: [u8; 256] = {
    let mut classes = [SEPARATOR; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        classes[byte] = if b.is_ascii_lowercase() || b.is_ascii_digit() {
            LOWERCASE_OR_DIGIT
        } else if b.is_ascii_uppercase() {
            UPPERCASE
        } else if !b.is_ascii() {
            NON_ASCII
        } else {
            SEPARATOR
        };
        byte += 1;
    }
    classes
};

/// Calls `each` with every word of `text` as the index keeps it: lowercase,
/// accents taken off, letters and digits only, two characters or more. The
/// search script makes words of queries the same way.
///
/// This runs over every word of every body, so ASCII words (nearly all) take
/// a fast path; a run with other characters is split and folded char by char.
/// Folding every word char by char cost 42% more instructions for the whole
/// build (callgrind, 2,000 articles, one thread).
pub(crate) fn for_each_word(text: &str, word: &mut String, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII letters and digits and non-ASCII bytes: at most a
        // few words, separated by non-ASCII punctuation if by anything.
        if BYTE_CLASSES[usize::from(bytes[i])] == SEPARATOR {
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = SEPARATOR;
        while let Some(&byte) = bytes.get(i) {
            let class = BYTE_CLASSES[usize::from(byte)];
            if class == SEPARATOR {
                break;
            }
            seen |= class;
            i += 1;
        }
        let run = &text[start..i];
        if seen & NON_ASCII == 0 {
            // Most words are written in lowercase, and are handed on as they
            // stand; only the others are copied to be lowercased.
            if run.len() > 1 {
                if seen & UPPERCASE != 0 {
                    word.clear();
                    word.push_str(run);
                    word.make_ascii_lowercase();
                    each(word);
                } else {
                    each(run);
                }
            }
            continue;
        }
        for token in run.split(|c: char| !c.is_alphanumeric()) {
            word.clear();
            if token.is_ascii() {
                word.push_str(token);
                word.make_ascii_lowercase();
            } else {
                for c in token.nfd().filter(|c| !is_combining_mark(*c)) {
                    word.extend(c.to_lowercase());
                }
            }
            if word.chars().nth(1).is_some() {
                each(word);
            }
        }
    }
}

/// Whether a word is too common to index: one of [`STOP_WORDS`], as a match
/// (which compiles to a few length and byte comparisons), since it is asked of
/// every word of every body: a binary search of the list cost 7.4% more
/// instructions for the whole build (callgrind, 2,000 articles, one thread).
fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "he"
            | "her"
            | "his"
            | "i"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "our"
            | "she"
            | "so"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "which"
            | "will"
            | "with"
            | "you"
            | "your"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_lowercase_without_accents() {
        let mut words = Vec::new();
        for_each_word(
            "Café CQC’s 80/20 campaign — a Naïve x2 «ÉTÉ»",
            &mut String::new(),
            |w| words.push(w.to_string()),
        );
        assert_eq!(
            words,
            ["cafe", "cqc", "80", "20", "campaign", "naive", "x2", "ete"]
        );
        // ASCII runs take the fast path: lowercased only when they need it,
        // one-character words dropped.
        words.clear();
        for_each_word("A Social-Care UK o2 I\tnhs", &mut String::new(), |w| {
            words.push(w.to_string())
        });
        assert_eq!(words, ["social", "care", "uk", "o2", "nhs"]);
    }

    #[test]
    fn the_stop_word_test_and_the_list_the_script_gets_agree() {
        // Every word of up to five letters made of the letters stop words use
        // (none is longer): the test and the list must agree on each.
        let mut letters: Vec<char> = STOP_WORDS.iter().flat_map(|w| w.chars()).collect();
        letters.sort_unstable();
        letters.dedup();
        fn walk(word: &mut String, letters: &[char], checked: &mut usize) {
            for &c in letters {
                word.push(c);
                assert_eq!(
                    is_stop_word(word),
                    STOP_WORDS.contains(&word.as_str()),
                    "{word}"
                );
                *checked += 1;
                if word.len() < 5 {
                    walk(word, letters, checked);
                }
                word.pop();
            }
        }
        let mut checked = 0;
        walk(&mut String::new(), &letters, &mut checked);
        assert!(checked > 1_000_000);
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5));
    }

    #[test]
    fn markup_characters_in_texts_are_escaped_and_mean_the_same() {
        let hostile = "</script><script>alert(1)</script> <!-- & -->";
        let texts = [
            (hostile, hostile.to_string()),
            ("a < b", "x".repeat(70) + "&"),
        ];
        let mut ours = Vec::new();
        write_texts(&mut ours, &texts);
        assert!(
            !ours.iter().any(|b| matches!(b, b'<' | b'>' | b'&')),
            "{}",
            String::from_utf8_lossy(&ours)
        );
        let read: Vec<(String, String)> = serde_json::from_slice(&ours).expect("JSON");
        assert_eq!(read[0], (hostile.to_string(), hostile.to_string()));
        assert_eq!(read[1].1, "x".repeat(70) + "&");

        let index = script("window.tillerSearchIndex = ", &[hostile]);
        let text = String::from_utf8_lossy(&index);
        assert_eq!(
            text,
            "window.tillerSearchIndex = [\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u003c!-- \\u0026 --\\u003e\"];\n"
        );
    }

    fn pack(postings: &[(u32, u32)]) -> Packed {
        let mut packed = Packed::default();
        for &(doc, count) in postings {
            packed.push(doc, count);
        }
        packed
    }

    #[test]
    fn splicing_packed_postings_replaces_those_of_the_documents_only() {
        let all = [
            (0, 1),
            (3, 200),
            (130, 1),
            (150, 2),
            (70_000, 5),
            (70_001, 1),
        ];
        type Case<'a> = (std::ops::Range<u32>, &'a [(u32, u32)]);
        let cases: &[Case] = &[
            (100..200, &[(120, 3)]),
            (100..200, &[]),
            (0..20, &[(1, 1), (19, 300)]),
            (0..20, &[]),
            (70_000..70_020, &[(70_010, 1)]),
            (80_000..80_020, &[(80_000, 9)]),
            (0..100_000, &[]),
            (200..300, &[(250, 1)]),
        ];
        for (documents, postings) in cases {
            let mut expected: Vec<(u32, u32)> = all
                .iter()
                .copied()
                .filter(|(doc, _)| !documents.contains(doc))
                .collect();
            expected.extend_from_slice(postings);
            expected.sort_unstable();
            let spliced = pack(&all).splice(documents.clone(), postings);
            assert_eq!(spliced, pack(&expected), "{documents:?} {postings:?}");
        }
        assert_eq!(Packed::default().splice(0..20, &[(3, 1)]), pack(&[(3, 1)]));
    }

    #[test]
    fn postings_are_written_as_deltas_and_counts() {
        let mut packed = Packed::default();
        packed.push(3, 1);
        packed.push(300, 2);
        packed.push(100_000, 70_000);
        let mut json = Vec::new();
        packed.write_json(&mut json);
        assert_eq!(json, b"3,1,297,2,99700,70000");
    }

    #[test]
    fn a_shard_script_merges_the_postings_of_words_with_one_stem() {
        // care: in document 3's body twice; cares: in 3's title and 5's body;
        // caf\u{e9}: its own stem.
        let words = [
            ("caf\u{e9}", pack(&[(5, 2 << FIELD_BITS)])),
            ("care", pack(&[(3, 2 << FIELD_BITS)])),
            ("cares", pack(&[(3, TITLE), (5, 1 << FIELD_BITS)])),
            ("caring", pack(&[(9, HEADING)])),
        ];
        let script = shard_script("ca", words.iter().map(|(w, p)| (*w, p)));
        assert_eq!(
            String::from_utf8_lossy(&script),
            "(window.tillerSearchWords = window.tillerSearchWords || {})[\"ca\"] = \
             {\"stems\":{\"caf\u{e9}\":[5,16],\"care\":[3,20,2,8,4,1]},\
             \"words\":{\"caf\u{e9}\":\"\",\"care\":\"\",\"cares\":\"care\",\"caring\":\"care\"}};\n"
        );
    }

    #[test]
    fn stems_are_english_snowball() {
        let stemmer = Stemmer::create(Algorithm::English);
        for (word, stem) in [
            ("supervise", "supervis"),
            ("supervising", "supervis"),
            ("supervision", "supervis"),
            ("appraisals", "apprais"),
            ("appraisal", "apprais"),
            ("warwickshire", "warwickshir"),
            ("communities", "communiti"),
            ("80", "80"),
        ] {
            assert_eq!(stemmer.stem(word), stem, "{word}");
        }
    }

    #[test]
    fn shard_keys_are_plain_ascii() {
        assert_eq!(shard_key("su"), "su");
        assert_eq!(shard_key("ελ"), "_3b5_3bb");
        assert_eq!(shard_key("80"), "80");
    }

    #[test]
    fn the_core_of_a_document_is_its_kind_and_themes_in_base_64() {
        let mut core = String::new();
        // Kind 2 and themes 0 and 3: bits 1, 4 and 7, so 2 + 16 (B = 18 = "S")
        // and 2 (from bit 7, "C").
        push_core(&mut core, 2, 2, &[0, 3]);
        assert_eq!(core, "SC");
        // One character when there are two themes or none.
        core.clear();
        push_core(&mut core, 1, 9, &[1]);
        assert_eq!(core, "p");
    }

    #[test]
    fn every_kind_has_an_index() {
        use crate::parse::entities::EntityKind;
        use crate::parse::front_matter::Kind;
        let labels = [
            Kind::Interview.label(),
            Kind::Briefing.label(),
            Kind::Guidance.label(),
            Kind::Blog.label(),
            Kind::Report.label(),
            EntityKind::Person.label(),
            EntityKind::Organisation.label(),
            EntityKind::Legislation.label(),
            EntityKind::Concept.label(),
        ];
        for label in labels {
            assert!(KINDS.contains(&label), "{label}");
        }
    }
}
