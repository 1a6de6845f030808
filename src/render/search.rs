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
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::cache::fingerprint;
use crate::parse::html_text;
use crate::site::Site;

/// The folder of the search page and its files.
const FOLDER: &str = "search/";
/// The index, relative to the output root.
pub const INDEX_FILE: &str = "search/index.js";
/// How many documents share one chunk of texts: showing a page of results
/// loads a few small files.
pub const CHUNK: usize = 20;
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

/// Whether an output path is one of the files [`write`] makes (not the search
/// page, nor the theme's script beside it).
pub fn is_search_file(path: &str) -> bool {
    path == INDEX_FILE
        || path
            .strip_prefix(FOLDER)
            .is_some_and(|name| name.starts_with("text-") || name.starts_with("words-"))
}

/// The path of text chunk `k`, relative to the output root.
pub fn chunk_file(k: usize) -> String {
    format!("search/text-{k}.js")
}

/// How many chunks of texts the site's documents make.
pub fn chunk_count(site: &Site) -> usize {
    let documents = site.articles.len() + site.pages.len() + site.entities.list.len();
    documents.div_ceil(CHUNK)
}

/// Whether an output path is in the name space of the shards of words.
pub fn is_words_file(path: &str) -> bool {
    path.starts_with("search/words-")
}

/// The path of the shard of words starting with `key`.
fn shard_file(key: &str) -> String {
    format!("search/words-{key}.js")
}

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
    String,
    Vec<&'a str>,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
    Vec<&'a str>,
);

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
    docs: Vec<Doc<'a>>,
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
    Html(&'a str),
    Text(&'a str),
}

struct Source<'a> {
    doc: Doc<'a>,
    summary: &'a str,
    body: Body<'a>,
    /// Identifies everything of the document that the search files hold.
    key: u64,
}

/// Search files by output path.
pub type SearchFiles = Vec<(String, Arc<[u8]>)>;

/// For each word, the documents using it and how often: (document, times).
type Postings = HashMap<String, Vec<(u32, u32)>, ahash::RandomState>;

/// One chunk of documents, indexed: its text file and its words.
#[derive(Debug)]
pub struct Chunk {
    text_file: Arc<[u8]>,
    words: Postings,
}

/// What the dev server keeps of the last search files, to make again only
/// what an edit changes: an edit to one article indexes only its chunk again,
/// changes the postings of only the words it added, removed or used more or
/// less often, and writes only their shards again.
#[derive(Debug, Default, Clone)]
pub struct SearchMemo {
    /// Chunks of the last build in order, with their keys. A chunk's key
    /// covers its position, so a chunk can be reused only where it was.
    chunks: Vec<(u64, Arc<Chunk>)>,
    /// Every word's postings, (document, times) in document order.
    words: BTreeMap<String, Vec<(u32, u32)>>,
    key_length: usize,
    /// Each shard's file, by shard key.
    shards: BTreeMap<String, Arc<[u8]>>,
    /// The index file, with a key of what it lists.
    index: Option<(u64, Arc<[u8]>)>,
    /// The last files made, with a key of everything they were made from.
    files: Option<(u64, SearchFiles)>,
}

/// The paths of the search files that are known before its words are: the
/// index and the text chunks (shards depend on the words).
pub fn paths(site: &Site) -> Vec<String> {
    let documents = site.articles.len() + site.pages.len() + site.entities.list.len();
    std::iter::once(INDEX_FILE.to_string())
        .chain((0..documents.div_ceil(CHUNK)).map(chunk_file))
        .collect()
}

/// How many chunks are indexed before their words join the rest: enough to
/// keep every core busy, few enough that a large site's words are never all
/// held twice.
const GROUP: usize = 8;

/// One word's postings as the index will write them: pairs of (document
/// number minus the previous one's, times used), each number a LEB128 varint,
/// since a large site has millions and most are small.
#[derive(Debug, Default)]
struct Packed {
    last: Option<u32>,
    bytes: Vec<u8>,
}

impl Packed {
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
        // A varint byte stands for at most three digits, with a comma: room
        // for all of them, so that no push below grows the buffer.
        out.reserve(self.bytes.len() * 4);
        let mut digits = itoa::Buffer::new();
        let mut n: u32 = 0;
        let mut shift = 0;
        let mut first = true;
        for &byte in &self.bytes {
            n |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if !first {
                    out.push(b',');
                }
                first = false;
                push_number(out, n, &mut digits);
                n = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
    }
}

/// Appends `n` in decimal. Most numbers of the postings are counts and gaps
/// under 100, written here as their digits; there are millions of them, and
/// copying itoa's text costs more than making it.
fn push_number(out: &mut Vec<u8>, n: u32, digits: &mut itoa::Buffer) {
    match u8::try_from(n) {
        Ok(n @ 0..10) => out.push(b'0' + n),
        Ok(n @ 10..100) => out.extend_from_slice(&[b'0' + n / 10, b'0' + n % 10]),
        _ => out.extend_from_slice(digits.format(n).as_bytes()),
    }
}

/// Makes every file of the search (the index, the shards and the text
/// chunks) and hands each to `put` as it is made.
pub fn write(site: &Site, put: &(dyn Fn(String, Arc<[u8]>) + Sync)) {
    build(site, sources(site), put);
}

/// Every file of the search, by output path, made again only where the
/// documents changed since the files `memo` keeps.
pub fn files(site: &Site, memo: &mut SearchMemo) -> SearchFiles {
    let sources = sources(site);
    let chunk_keys = chunk_keys(&sources);
    // The documents' keys and the site's relations (which name the themes,
    // tags and entities the index lists) decide every file.
    let key = fingerprint(&(site.fingerprint, &chunk_keys));
    if let Some((last, files)) = &memo.files
        && *last == key
    {
        return files.clone();
    }
    // The chunks, taken from the last build where their documents are the same.
    let last = |k: usize, key: u64| {
        memo.chunks
            .get(k)
            .filter(|(last_key, _)| *last_key == key)
            .map(|(_, chunk)| chunk.clone())
    };
    let mut chunks: Vec<Arc<Chunk>> = Vec::with_capacity(chunk_keys.len());
    for (group, keys) in chunk_keys.chunks(GROUP).enumerate() {
        let first = group * GROUP;
        let made: Vec<Arc<Chunk>> = keys
            .par_iter()
            .enumerate()
            .map(|(i, &key)| {
                let k = first + i;
                last(k, key).unwrap_or_else(|| {
                    let end = ((k + 1) * CHUNK).min(sources.len());
                    Arc::new(index_chunk(k, &sources[k * CHUNK..end]))
                })
            })
            .collect();
        chunks.extend(made);
    }

    let key_length = key_length(sources.len());
    // Splicing pays when an edit changed a few chunks; an article added at
    // the top moves every document along, and then writing all is quicker.
    let changed_chunks = memo
        .chunks
        .iter()
        .zip(&chunk_keys)
        .filter(|((old, _), new)| old != *new)
        .count();
    let same_layout = memo.chunks.len() == chunks.len()
        && memo.key_length == key_length
        && (changed_chunks <= 1 || changed_chunks * 2 <= chunks.len());
    // Shards to write again, by key, with the prefix their words share.
    let mut dirty: BTreeMap<String, String> = BTreeMap::new();
    if same_layout {
        for (k, ((old_key, old), new)) in memo.chunks.iter().zip(&chunks).enumerate() {
            if *old_key == chunk_keys[k] {
                continue;
            }
            let documents = u32::try_from(k * CHUNK).unwrap_or(u32::MAX)
                ..u32::try_from((k + 1) * CHUNK).unwrap_or(u32::MAX);
            let changed = old
                .words
                .keys()
                .chain(new.words.keys())
                .filter(|w| old.words.get(*w) != new.words.get(*w));
            for word in changed {
                let list = memo.words.entry(word.clone()).or_default();
                let from = list.partition_point(|&(doc, _)| doc < documents.start);
                let to = list.partition_point(|&(doc, _)| doc < documents.end);
                let replacement = new.words.get(word).cloned().unwrap_or_default();
                list.splice(from..to, replacement);
                if list.is_empty() {
                    memo.words.remove(word);
                }
                dirty.insert(shard_key(word, key_length), prefix(word, key_length));
            }
        }
    } else {
        memo.words.clear();
        for chunk in &chunks {
            for (word, postings) in &chunk.words {
                memo.words
                    .entry(word.clone())
                    .or_default()
                    .extend(postings.iter().copied());
            }
        }
        memo.shards.clear();
        for word in memo.words.keys() {
            dirty
                .entry(shard_key(word, key_length))
                .or_insert_with(|| prefix(word, key_length));
        }
    }
    let words = &memo.words;
    let written: Vec<(String, Option<Arc<[u8]>>)> = dirty
        .into_par_iter()
        .map(|(key, prefix)| {
            let mut shard = words
                .range(prefix.clone()..)
                .take_while(|(word, _)| word.starts_with(&prefix))
                .peekable();
            if shard.peek().is_none() {
                return (key, None);
            }
            let mut script = ShardScript::new(&key);
            for (word, postings) in shard {
                let mut packed = Packed::default();
                for &(doc, count) in postings {
                    packed.push(doc, count);
                }
                script.add(word, &packed);
            }
            (key, Some(script.finish()))
        })
        .collect();
    for (key, text) in written {
        match text {
            Some(text) => memo.shards.insert(key, text),
            None => memo.shards.remove(&key),
        };
    }

    // The index lists the documents, the names their numbers stand for, and
    // the shards that exist.
    let index_key = fingerprint(&(
        sources.iter().map(|s| &s.doc).collect::<Vec<_>>(),
        Tables::of(site),
        key_length,
        memo.shards.keys().collect::<Vec<_>>(),
    ));
    let index = match &memo.index {
        Some((last, index)) if *last == index_key => index.clone(),
        _ => {
            let shard_keys: Vec<String> = memo.shards.keys().cloned().collect();
            let made = index_script(site, sources, key_length, shard_keys);
            memo.index = Some((index_key, made.clone()));
            made
        }
    };

    let mut files = Vec::with_capacity(1 + memo.shards.len() + chunks.len());
    files.push((INDEX_FILE.to_string(), index));
    for (key, text) in &memo.shards {
        files.push((shard_file(key), text.clone()));
    }
    for (k, chunk) in chunks.iter().enumerate() {
        files.push((chunk_file(k), chunk.text_file.clone()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    memo.chunks = chunk_keys.into_iter().zip(chunks).collect();
    memo.key_length = key_length;
    memo.files = Some((key, files.clone()));
    files
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

fn build(site: &Site, sources: Vec<Source>, put: &(dyn Fn(String, Arc<[u8]>) + Sync)) {
    // Words are looked up once per chunk that uses them, and sorted once at
    // the end: a hash map, not an ordered one, for the many lookups.
    let mut words: HashMap<String, Packed, ahash::RandomState> = HashMap::default();
    for (group, group_sources) in sources.chunks(CHUNK * GROUP).enumerate() {
        // Each chunk of documents is stripped to text and indexed on its
        // own, in parallel; the chunks' words then join, in document order,
        // and the chunks are let go.
        let chunks: Vec<Chunk> = group_sources
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(i, chunk)| {
                let k = group * GROUP + i;
                let done = index_chunk(k, chunk);
                put(chunk_file(k), done.text_file.clone());
                done
            })
            .collect();
        for chunk in chunks {
            // The chunk is let go here: a new word's string is moved in.
            for (word, postings) in chunk.words {
                let packed = match words.get_mut(word.as_str()) {
                    Some(packed) => packed,
                    None => words.entry(word).or_default(),
                };
                for (doc, count) in postings {
                    packed.push(doc, count);
                }
            }
        }
    }

    let key_length = key_length(sources.len());
    let mut words: Vec<(String, Packed)> = words.into_iter().collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut shards: BTreeMap<String, Vec<(String, Packed)>> = BTreeMap::new();
    for (word, packed) in words {
        shards
            .entry(shard_key(&word, key_length))
            .or_default()
            .push((word, packed));
    }
    let shard_keys: Vec<String> = shards.keys().cloned().collect();
    shards.into_par_iter().for_each(|(key, words)| {
        let mut script = ShardScript::new(&key);
        for (word, packed) in &words {
            script.add(word, packed);
        }
        put(shard_file(&key), script.finish());
    });
    put(
        INDEX_FILE.to_string(),
        index_script(site, sources, key_length, shard_keys),
    );
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

    fn finish(mut self) -> Arc<[u8]> {
        self.bytes.extend_from_slice(b"};\n");
        Arc::from(self.bytes)
    }
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it. Every
/// byte of every body's text passes through here; serde_json tests each byte
/// against a table, json-escape-simd tests 32 at a time.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let start = out.len();
    json_escape_simd::escape_into(text, out);
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

fn index_script(
    site: &Site,
    sources: Vec<Source>,
    key_length: usize,
    shards: Vec<String>,
) -> Arc<[u8]> {
    let index = Index {
        version: VERSION,
        chunk_size: CHUNK,
        key_length,
        stop_words: STOP_WORDS,
        kinds: KINDS.to_vec(),
        tables: Tables::of(site),
        shards,
        docs: sources.into_iter().map(|s| s.doc).collect(),
    };
    script("tillerSearchIndex = ", &index)
}

/// Strips one chunk's documents to text, writes their text file and counts
/// their words.
fn index_chunk(k: usize, sources: &[Source]) -> Chunk {
    // Sized for the distinct words the bodies are likely to hold (about one
    // per 40 bytes of HTML), so that the map is not rebuilt as it grows.
    let html_bytes: usize = sources
        .iter()
        .map(|s| match s.body {
            Body::Html(html) => html.len(),
            Body::Text(text) => text.len(),
        })
        .sum();
    let mut words = Postings::with_capacity_and_hasher(
        (html_bytes / 40).clamp(256, 16_384),
        Default::default(),
    );
    let mut texts: Vec<(&str, String)> = Vec::with_capacity(sources.len());
    let mut word = String::new();
    for (i, source) in sources.iter().enumerate() {
        let doc = u32::try_from(k * CHUNK + i).unwrap_or(u32::MAX);
        let text = match source.body {
            Body::Html(html) => html_text::plain_text(html),
            Body::Text(text) => text.to_string(),
        };
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
        texts.push((summary, text));
    }
    // Written into one buffer with room for the texts (and some escaping),
    // not serialised and then copied into the script around it. The escaper
    // asks for room for the worst case (six bytes a byte) past the end, so
    // the buffer has that for the longest text and is not grown.
    let prefix = format!("(window.tillerSearchTexts = window.tillerSearchTexts || {{}})[{k}] = ");
    let room: usize = texts.iter().map(|(s, t)| s.len() + t.len() + 8).sum();
    let worst = texts.iter().map(|(s, t)| s.len().max(t.len())).max();
    let mut text_file =
        Vec::with_capacity(prefix.len() + room + room / 16 + worst.unwrap_or(0) * 6 + 64);
    text_file.extend_from_slice(prefix.as_bytes());
    write_texts(&mut text_file, &texts);
    text_file.extend_from_slice(b";\n");
    Chunk {
        text_file: Arc::from(text_file),
        words,
    }
}

/// Appends a chunk's texts as JSON, `[["summary","text"],…]`, as serde_json
/// writes a list of pairs.
fn write_texts<S: AsRef<str>>(out: &mut Vec<u8>, texts: &[(&str, S)]) {
    out.push(b'[');
    for (i, (summary, text)) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        json_string(out, summary);
        out.push(b',');
        json_string(out, text.as_ref());
        out.push(b']');
    }
    out.push(b']');
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
    let date = |d: Option<time::Date>| {
        d.map(|d| crate::render::views::DateView::new(d).human)
            .unwrap_or_default()
    };
    for article in &site.articles {
        let doc = Doc(
            article.url(),
            article.title(),
            "article",
            kind_index(article.kind().label()),
            date(article.date()),
            article.headings().iter().map(|h| h.text.as_str()).collect(),
            article.themes().to_vec(),
            article.place.tags.clone(),
            article.mentions().iter().map(|m| m.entity).collect(),
            Vec::new(),
        );
        sources.push(Source {
            // The text, and the names the document shows for its themes and tags.
            key: fingerprint(&(article.doc.source_hash, article.url(), &doc.6, &doc.7)),
            doc,
            summary: article.summary(),
            body: Body::Html(article.body_html()),
        });
    }
    for page in &site.pages {
        let doc = Doc(
            &page.url,
            page.title(),
            "page",
            kind_index("Page"),
            String::new(),
            page.headings().iter().map(|h| h.text.as_str()).collect(),
            Vec::new(),
            Vec::new(),
            page.mentions().iter().map(|m| m.entity).collect(),
            Vec::new(),
        );
        sources.push(Source {
            key: fingerprint(&(page.doc.source_hash, &page.url)),
            doc,
            summary: page.summary(),
            body: Body::Html(page.body_html()),
        });
    }
    for (entity, mentioned) in site.entities.list.iter().zip(&site.mentions) {
        let doc = Doc(
            &mentioned.url,
            &entity.name,
            "entity",
            kind_index(entity.kind.label()),
            String::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
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

fn script(assignment: &str, value: &impl Serialize) -> Arc<[u8]> {
    let mut bytes = format!("window.{assignment}").into_bytes();
    let start = bytes.len();
    if serde_json::to_writer(&mut bytes, value).is_err() {
        bytes.truncate(start);
        bytes.extend_from_slice(b"null");
    }
    escape_markup(&mut bytes, start);
    bytes.extend_from_slice(b";\n");
    Arc::from(bytes)
}

/// The shard a word belongs to: its first `length` characters, each an ASCII
/// letter or digit as it is, or else `_` and its code point in hex, so that
/// every shard's file name is plain ASCII. The script names shards the same way.
pub fn shard_key(word: &str, length: usize) -> String {
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
pub fn for_each_word(text: &str, word: &mut String, mut each: impl FnMut(&str)) {
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
/// every word of every body.
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
    fn texts_are_written_as_serde_json_writes_them() {
        // Quotes, backslashes, every control character, DEL, non-ASCII and
        // a text long enough for the vectorised path, with escapes in its
        // middle and at its end.
        let controls: String = (0u8..0x20).map(char::from).collect();
        let long = format!("{}\"{}\\", "word ".repeat(40), "é".repeat(33));
        let texts = [
            ("", String::new()),
            ("a \"quoted\" summary", controls),
            ("back\\slash\u{7f}", long),
            ("’curly’ – dash", "tab\there\r\n".to_string()),
        ];
        let mut ours = Vec::new();
        write_texts(&mut ours, &texts);
        let theirs = serde_json::to_vec(&texts).expect("serialises");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
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
    fn numbers_are_written_in_decimal_on_both_sides_of_each_shortcut() {
        let mut digits = itoa::Buffer::new();
        for n in [
            0,
            1,
            9,
            10,
            11,
            42,
            99,
            100,
            101,
            255,
            256,
            999,
            1000,
            u32::MAX,
        ] {
            let mut out = b"x".to_vec();
            push_number(&mut out, n, &mut digits);
            assert_eq!(out, format!("x{n}").into_bytes(), "{n}");
        }
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
