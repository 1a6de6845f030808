//! Search: takes the resolved site and gives the files of its search, made to
//! load little: an index of the documents (titles, headings, themes, tags and
//! entities, with names kept once in tables), the words of the bodies split
//! into shards by their first letters (the page loads only the shards its
//! query needs), and the summaries and body texts in chunks (loaded only for
//! the results shown, to cut snippets from).
//!
//! All are JavaScript files that set globals, not JSON to fetch: a script
//! element loads from a `file://` folder, where browsers refuse `fetch`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::cache::fingerprint;
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::parse::markdown::{Heading, Mention, Rendered};
use crate::resolve::routes::{CHUNK, INDEX_FILE, chunk_file, shard_file};
use crate::site::Site;
use crate::write::{Bytes, Store};

/// Sites with more documents than this shard words by their first two
/// characters, not one, so that each shard stays small.
const TWO_CHARACTER_SHARDS: usize = 2000;
/// The format of the files, for the script to check.
const VERSION: u32 = 1;

/// Words too common to say anything about a document: left out of the body
/// words, and out of queries (the script gets this list from the index).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we",
    "were", "which", "will", "with", "you", "your",
];

/// One searchable document, as an array to keep the index small:
/// `[url, title, group, kind, date, headings, themes, tags, entities, aka]`.
/// `group` is `article`, `page` or `entity`; `kind` indexes the index's
/// `kinds`, themes, tags and entities index its tables; `aka` is an entity's
/// own abbreviations and aliases.
#[derive(Debug, Serialize, Hash)]
struct Doc<'a>(
    &'a str,
    &'a str,
    &'static str,
    usize,
    HumanDate,
    Headings<'a>,
    &'a [usize],
    &'a [usize],
    Mentioned<'a>,
    Vec<&'a str>,
);

/// A date as readers see it (`17 October 2017`), or `""`; made into text
/// only when the index is written, not each time it is compared.
#[derive(Debug, Hash)]
struct HumanDate(Option<time::Date>);

impl Serialize for HumanDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let human = self.0.map(|d| crate::render::views::DateView::new(d).human);
        serializer.serialize_str(human.as_deref().unwrap_or_default())
    }
}

/// The texts of a document's headings.
#[derive(Debug)]
struct Headings<'a>(&'a [Heading]);

impl Serialize for Headings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|h| &h.text))
    }
}

impl Hash for Headings<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.iter().for_each(|h| h.text.hash(state));
    }
}

/// The entities a document mentions, by number: where in the text they are
/// is not the index's business, so an edit that moves them changes nothing.
#[derive(Debug)]
struct Mentioned<'a>(&'a [Mention]);

impl Serialize for Mentioned<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|m| m.entity))
    }
}

impl Hash for Mentioned<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.iter().for_each(|m| m.entity.hash(state));
    }
}

#[derive(Debug, Serialize)]
struct Index<'a> {
    version: u32,
    chunk_size: usize,
    /// How many characters of a word name its shard.
    key_length: usize,
    stop_words: &'static [&'static str],
    kinds: Vec<&'static str>,
    #[serde(flatten)]
    tables: Tables<'a>,
    docs: &'a RawValue,
    /// The shards that exist.
    shards: Vec<String>,
}

/// What the index holds besides its documents that an edit can change: the
/// site's path, and the names that documents' numbers stand for.
#[derive(Debug, Serialize, Hash)]
struct Tables<'a> {
    /// What root-relative URLs start with, so the script can make them relative.
    base_path: &'a str,
    themes: Vec<&'a str>,
    tags: Vec<&'a str>,
    entities: Vec<&'a str>,
}

impl<'a> Tables<'a> {
    fn of(site: &'a Site) -> Self {
        Tables {
            base_path: &site.config.base_url.path,
            themes: site.themes.iter().map(|t| t.name.as_str()).collect(),
            tags: site.tags.iter().map(|t| t.name.as_str()).collect(),
            entities: site.entities.list.iter().map(|e| e.name.as_str()).collect(),
        }
    }
}

/// Where a document's searchable text comes from.
enum Body<'a> {
    Document(&'a Rendered),
    Text(&'a str),
}

struct Source<'a> {
    doc: Doc<'a>,
    summary: &'a str,
    body: Body<'a>,
    /// Identifies everything of the document that the search files hold.
    key: u64,
}

/// For each word, the documents using it and how often: (document, times).
type Postings = HashMap<String, Vec<(u32, u32)>, ahash::RandomState>;

/// One chunk of documents, indexed: its text file and its words.
#[derive(Debug)]
struct Chunk {
    text_file: Vec<u8>,
    words: Postings,
}

/// What the search keeps between builds, to make again only what an edit
/// changes: an edit to one article indexes only its chunk again, changes the
/// postings of only the words that chunk uses, and writes only their shards
/// again. It keeps no file's bytes (the store keeps those) and the postings
/// packed, so that a build from nothing holds no more than it needs anyway.
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
    key_length: usize,
    /// Each shard's key and the version of its file: a new one when it changes.
    shards: BTreeMap<String, u64>,
    versions: u64,
    /// Each document's key and the fingerprint of its entry in the index, by
    /// position: an entry is hashed again only when its document's key changed.
    entries: Vec<(u64, u64)>,
    /// The fingerprint of the index's list of documents, and that list as
    /// JSON: an edit that changes only which shards exist (a word with a new
    /// first two letters) writes the index again around the same list.
    docs: Option<(u64, Box<RawValue>)>,
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

/// Makes every file of the search into `store`: the text of each chunk of
/// documents, the shards of words and the index. What `memo` holds from the
/// last build is used where the documents did not change: a chunk is indexed
/// again only when its documents changed (or the store does not hold its
/// text), and a shard is written again only when its words' postings changed
/// (or the store does not hold it). Gives the problems writing met.
pub(crate) fn write(site: &Site, memo: &mut SearchMemo, store: &dyn Store) -> Vec<Diagnostic> {
    let sources = sources(site);
    let keys = chunk_keys(&sources);
    let key_length = key_length(sources.len());
    // Splicing pays when an edit changed a few chunks; an article added at
    // the top moves every document along, and then indexing all is quicker.
    let changed = memo
        .chunks
        .iter()
        .zip(&keys)
        .filter(|((old, _), new)| old != *new)
        .count();
    let same_layout = memo.chunks.len() == keys.len()
        && memo.key_length == key_length
        && (changed <= 1 || changed * 2 <= keys.len());
    if !same_layout {
        *memo = SearchMemo {
            key_length,
            versions: memo.versions,
            ..SearchMemo::default()
        };
    }
    let mut problems = Vec::new();
    let put = |path: &str, key: u64, bytes: Vec<u8>, problems: &mut Vec<Diagnostic>| {
        if let Err(e) = store.put(path, key, Bytes::Made(bytes)) {
            problems.push(write_problem(path, &e));
        }
    };
    // Shards whose words' postings change, with the prefix their words share.
    let mut dirty: BTreeMap<String, String> = BTreeMap::new();
    let indexed: Vec<bool> = (0..keys.len())
        .map(|k| memo.chunks.get(k).is_some_and(|(key, _)| *key == keys[k]))
        .collect();
    let todo: Vec<usize> = (0..keys.len())
        .filter(|&k| !indexed[k] || store.kept(&chunk_file(k), keys[k]).is_none())
        .collect();
    for group in todo.chunks(GROUP) {
        // Each chunk of documents is stripped to text and indexed on its
        // own, in parallel; their words then join in document order.
        let chunks: Vec<(usize, Chunk)> = group
            .par_iter()
            .map(|&k| {
                let end = ((k + 1) * CHUNK).min(sources.len());
                (k, index_chunk(k, &sources[k * CHUNK..end]))
            })
            .collect();
        for (k, chunk) in chunks {
            put(&chunk_file(k), keys[k], chunk.text_file, &mut problems);
            if indexed[k] {
                // Only its text was missing from the store.
                continue;
            }
            memo.replace_chunk(k, keys[k], chunk.words, &mut dirty);
        }
    }
    // Every shard is made again when the words were made again from nothing.
    if !same_layout {
        for word in memo.ids.keys() {
            dirty
                .entry(shard_key(word, key_length))
                .or_insert_with(|| prefix(word, key_length));
        }
    }
    // A shard the store lost is made again too.
    for (key, version) in &memo.shards {
        if !dirty.contains_key(key) && store.kept(&shard_file(key), *version).is_none() {
            let word = memo
                .ids
                .range(key.clone()..)
                .next()
                .map(|(w, _)| w.as_str());
            dirty.insert(key.clone(), prefix(word.unwrap_or(key), key_length));
        }
    }
    // Each shard is written as soon as it is made: a large site's shards are
    // tens of megabytes, never all held at once.
    let first_version = memo.versions + 1;
    memo.versions += dirty.len() as u64;
    let made: Vec<(String, Option<u64>, Option<Diagnostic>)> = dirty
        .into_iter()
        .zip(first_version..)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|((key, prefix), version)| {
            let mut words = memo
                .ids
                .range(prefix.clone()..)
                .take_while(|(word, _)| word.starts_with(&prefix))
                .map(|(word, &id)| (word, &memo.words[id as usize].1))
                .filter(|(_, packed)| !packed.bytes.is_empty())
                .peekable();
            if words.peek().is_none() {
                return (key, None, None);
            }
            let mut script = ShardScript::new(&key);
            for (word, packed) in words {
                script.add(word, packed);
            }
            let path = shard_file(&key);
            let problem = store
                .put(&path, version, Bytes::Made(script.finish()))
                .err()
                .map(|e| write_problem(&path, &e));
            (key, Some(version), problem)
        })
        .collect();
    for (key, version, problem) in made {
        match version {
            Some(version) => {
                memo.shards.insert(key, version);
            }
            None => {
                memo.shards.remove(&key);
            }
        }
        problems.extend(problem);
    }
    // The index lists the documents, the names their numbers stand for, and
    // the shards that exist.
    memo.entries.truncate(sources.len());
    for (i, source) in sources.iter().enumerate() {
        match memo.entries.get_mut(i) {
            Some(entry) if entry.0 == source.key => {}
            Some(entry) => *entry = (source.key, fingerprint(&source.doc)),
            None => memo.entries.push((source.key, fingerprint(&source.doc))),
        }
    }
    let docs_key = fingerprint(&memo.entries.iter().map(|e| e.1).collect::<Vec<_>>());
    let shard_keys: Vec<String> = memo.shards.keys().cloned().collect();
    let index_key = fingerprint(&(docs_key, Tables::of(site), key_length, &shard_keys));
    if store.kept(INDEX_FILE, index_key).is_none() {
        if memo.docs.as_ref().is_none_or(|(key, _)| *key != docs_key) {
            let docs: Vec<&Doc> = sources.iter().map(|s| &s.doc).collect();
            memo.docs = serde_json::value::to_raw_value(&docs)
                .ok()
                .map(|json| (docs_key, json));
        }
        if let Some((_, docs)) = &memo.docs {
            let index = index_script(site, docs, key_length, shard_keys);
            put(INDEX_FILE, index_key, index, &mut problems);
        }
    }
    problems
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
    /// Puts chunk `k`'s new words in place of its old ones: the postings of
    /// its documents are taken out of every word it used and put into every
    /// word it uses now; the shards of words whose postings changed are
    /// noted in `dirty`.
    fn replace_chunk(
        &mut self,
        k: usize,
        key: u64,
        words: Postings,
        dirty: &mut BTreeMap<String, String>,
    ) {
        let first = u32::try_from(k * CHUNK).unwrap_or(u32::MAX);
        let documents = first..first.saturating_add(CHUNK as u32);
        let old: Vec<u32> = self
            .chunks
            .get(k)
            .map(|(_, ids)| ids.clone())
            .unwrap_or_default();
        let mut new_ids = Vec::with_capacity(words.len());
        // New words in word order, so that a site built from nothing gives
        // every word's postings in document order by appending.
        let mut words: Vec<(String, Vec<(u32, u32)>)> = words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (word, postings) in words {
            let id = match self.ids.get(&word) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
                    self.ids.insert(word.clone(), id);
                    self.words.push((word, Packed::default()));
                    id
                }
            };
            new_ids.push(id);
            let (word, packed) = &mut self.words[id as usize];
            let appended = packed.last.is_none_or(|last| last < documents.start);
            let changed = if appended && old.binary_search(&id).is_err() {
                for &(doc, count) in &postings {
                    packed.push(doc, count);
                }
                true
            } else {
                let spliced = packed.splice(documents.clone(), &postings);
                let changed = spliced.bytes != packed.bytes;
                *packed = spliced;
                changed
            };
            if changed {
                dirty
                    .entry(shard_key(word, self.key_length))
                    .or_insert_with(|| prefix(word, self.key_length));
            }
        }
        // Words the chunk used and uses no more lose its documents' postings.
        new_ids.sort_unstable();
        for id in old {
            if new_ids.binary_search(&id).is_ok() {
                continue;
            }
            let (word, packed) = &mut self.words[id as usize];
            *packed = packed.splice(documents.clone(), &[]);
            dirty
                .entry(shard_key(word, self.key_length))
                .or_insert_with(|| prefix(word, self.key_length));
        }
        match self.chunks.get_mut(k) {
            Some(chunk) => *chunk = (key, new_ids),
            None => self.chunks.push((key, new_ids)),
        }
    }
}

/// The first `length` characters of a word: what the words of its shard share.
fn prefix(word: &str, length: usize) -> String {
    word.chars().take(length).collect()
}

fn key_length(documents: usize) -> usize {
    if documents > TWO_CHARACTER_SHARDS {
        2
    } else {
        1
    }
}

fn chunk_keys(sources: &[Source]) -> Vec<u64> {
    sources
        .chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| fingerprint(&(k, chunk.iter().map(|s| s.key).collect::<Vec<_>>())))
        .collect()
}

/// A shard's script, written word by word into the buffer it is handed on
/// in: `(window.tillerSearchWords = …)["key"] = {"word":[postings],…};`.
struct ShardScript {
    bytes: Vec<u8>,
    words: usize,
}

impl ShardScript {
    fn new(key: &str) -> Self {
        let mut bytes = b"(window.tillerSearchWords = window.tillerSearchWords || {})[".to_vec();
        json_string(&mut bytes, key);
        bytes.extend_from_slice(b"] = {");
        ShardScript { bytes, words: 0 }
    }

    fn add(&mut self, word: &str, packed: &Packed) {
        if self.words > 0 {
            self.bytes.push(b',');
        }
        self.words += 1;
        json_string(&mut self.bytes, word);
        self.bytes.extend_from_slice(b":[");
        packed.write_json(&mut self.bytes);
        self.bytes.push(b']');
    }

    fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(b"};\n");
        self.bytes
    }
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
fn escape_markup(out: &mut Vec<u8>, start: usize) {
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

fn index_script(site: &Site, docs: &RawValue, key_length: usize, shards: Vec<String>) -> Vec<u8> {
    let index = Index {
        version: VERSION,
        chunk_size: CHUNK,
        key_length,
        stop_words: STOP_WORDS,
        kinds: KINDS.to_vec(),
        tables: Tables::of(site),
        shards,
        docs,
    };
    script("tillerSearchIndex = ", &index)
}

/// Strips one chunk's documents to text, writes their text file and counts
/// their words.
fn index_chunk(k: usize, sources: &[Source]) -> Chunk {
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
    let mut kept: Vec<(&str, String)> = Vec::with_capacity(sources.len());
    let mut word = String::new();
    for (i, (source, text)) in sources.iter().zip(texts).enumerate() {
        let doc = u32::try_from(k * CHUNK + i).unwrap_or(u32::MAX);
        // A summary written in front matter may say what the body does not;
        // one taken from the body says it again, and is neither counted nor
        // kept twice.
        let summary = source.summary.trim_end_matches('…');
        // Most bodies open with the paragraph their summary is cut from.
        let found = text.starts_with(summary)
            || memchr::memmem::find(text.as_bytes(), summary.as_bytes()).is_some();
        let summary = if found { "" } else { source.summary };
        for part in [summary, text.as_str()] {
            for_each_word(part, &mut word, |w| {
                if is_stop_word(w) {
                    return;
                }
                match words.get_mut(w) {
                    Some(postings) => match postings.last_mut() {
                        Some((last, count)) if *last == doc => *count += 1,
                        _ => postings.push((doc, 1)),
                    },
                    None => {
                        // Room for a few documents from the start: most words
                        // that come back come back in more than one, and each
                        // growth is a copy.
                        let mut postings = Vec::with_capacity(4);
                        postings.push((doc, 1));
                        words.insert(w.to_string(), postings);
                    }
                }
            });
        }
        kept.push((summary, text));
    }
    let texts = kept;
    // Written into one buffer with room for the texts and some escaping, not
    // serialised and then copied into the script around it.
    let prefix = format!("(window.tillerSearchTexts = window.tillerSearchTexts || {{}})[{k}] = ");
    let room: usize = texts.iter().map(|(s, t)| s.len() + t.len() + 8).sum();
    let mut text_file = Vec::with_capacity(prefix.len() + room + room / 16 + 64);
    text_file.extend_from_slice(prefix.as_bytes());
    write_texts(&mut text_file, &texts);
    text_file.extend_from_slice(b";\n");
    Chunk { text_file, words }
}

/// Appends a chunk's texts as JSON, `[["summary","text"],…]`, with markup
/// characters escaped.
fn write_texts(out: &mut Vec<u8>, texts: &[(&str, String)]) {
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

/// Articles (newest first), then plain pages, then entities.
fn sources(site: &Site) -> Vec<Source<'_>> {
    let entity_count = site.entities.list.len();
    let mut sources = Vec::with_capacity(site.articles.len() + site.pages.len() + entity_count);
    for article in &site.articles {
        let doc = Doc(
            article.url(),
            article.title(),
            "article",
            kind_index(article.kind().label()),
            HumanDate(article.date()),
            Headings(article.headings()),
            article.themes(),
            &article.place.tags,
            Mentioned(article.mentions()),
            Vec::new(),
        );
        sources.push(Source {
            // The text, and the names the document shows for its themes and tags.
            key: fingerprint(&(article.doc.source_hash, article.url(), &doc.6, &doc.7)),
            doc,
            summary: article.summary(),
            body: Body::Document(article.body()),
        });
    }
    for page in &site.pages {
        let doc = Doc(
            &page.url,
            page.title(),
            "page",
            kind_index("Page"),
            HumanDate(None),
            Headings(page.headings()),
            &[],
            &[],
            Mentioned(page.mentions()),
            Vec::new(),
        );
        sources.push(Source {
            key: fingerprint(&(page.doc.source_hash, &page.url)),
            doc,
            summary: page.summary(),
            body: Body::Document(page.body()),
        });
    }
    for (entity, mentioned) in site.entities.list.iter().zip(site.mentions.iter()) {
        let doc = Doc(
            &mentioned.url,
            &entity.name,
            "entity",
            kind_index(entity.kind.label()),
            HumanDate(None),
            Headings(&[]),
            &[],
            &[],
            Mentioned(&[]),
            entity
                .abbreviations
                .iter()
                .chain(&entity.aliases)
                .map(|w| w.text.as_str())
                .collect(),
        );
        sources.push(Source {
            key: fingerprint(&(entity, &mentioned.url)),
            doc,
            summary: &entity.description,
            body: Body::Text(""),
        });
    }
    sources
}

fn script(assignment: &str, value: &impl Serialize) -> Vec<u8> {
    let mut bytes = format!("window.{assignment}").into_bytes();
    let start = bytes.len();
    if serde_json::to_writer(&mut bytes, value).is_err() {
        bytes.truncate(start);
        bytes.extend_from_slice(b"null");
    }
    escape_markup(&mut bytes, start);
    bytes.extend_from_slice(b";\n");
    bytes
}

/// The shard a word belongs to: its first `length` characters, each an ASCII
/// letter or digit as it is, or else `_` and its code point in hex, so that
/// every shard's file name is plain ASCII. The script names shards the same way.
pub(crate) fn shard_key(word: &str, length: usize) -> String {
    let mut key = String::new();
    for c in word.chars().take(length) {
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

        let index = script("tillerSearchIndex = ", &[hostile]);
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
    fn a_shard_script_sets_its_words_in_the_global() {
        let mut script = ShardScript::new("ca");
        for (word, doc) in [("care", 3), ("caf\u{e9}", 5)] {
            let mut packed = Packed::default();
            packed.push(doc, 2);
            script.add(word, &packed);
        }
        assert_eq!(
            String::from_utf8_lossy(&script.finish()),
            "(window.tillerSearchWords = window.tillerSearchWords || {})[\"ca\"] = \
             {\"care\":[3,2],\"caf\u{e9}\":[5,2]};\n"
        );
    }

    #[test]
    fn shard_keys_are_plain_ascii() {
        assert_eq!(shard_key("supervision", 2), "su");
        assert_eq!(shard_key("supervision", 1), "s");
        assert_eq!(shard_key("ελλάδα", 2), "_3b5_3bb");
        assert_eq!(shard_key("80", 2), "80");
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
