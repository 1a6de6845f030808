//! The layout of the search's word shards: which prefixes of words have a
//! shard of their own. A prefix whose words' postings would make a shard
//! larger than [`SHARD_LIMIT`] is split by the next character, down to
//! [`MAX_KEY`] characters, so that a query loads about the same few
//! kilobytes a word on a site of a hundred documents or of a hundred
//! thousand. The layout is a function of the words and their postings only,
//! so a rebuild and a cold build of the same site agree on it.

use std::collections::BTreeMap;

/// The most bytes of packed postings (about the gzipped size of the shard's
/// file) a shard holds before it is split.
pub(super) const SHARD_LIMIT: usize = 24 * 1024;
/// The longest prefix that names a shard: a shard this deep is not split
/// further, however large (one very common word is one list of postings).
pub(super) const MAX_KEY: usize = 4;

/// Each shard's prefix, and whether it holds every word with that prefix
/// (`true`), or, split, only the word that is the prefix itself (`false`).
pub(super) type Layout = BTreeMap<String, bool>;

/// The layout for `words`: each word with its size, in word order (the
/// order of their UTF-8 bytes, where words sharing a prefix are together).
pub(super) fn layout(words: &[(&str, usize)], limit: usize) -> Layout {
    let mut out = Layout::new();
    split(words, 0, "", limit, &mut out);
    out
}

fn split(words: &[(&str, usize)], depth: usize, prefix: &str, limit: usize, out: &mut Layout) {
    let total: usize = words.iter().map(|w| w.1).sum();
    if depth > 0 && (total <= limit || depth >= MAX_KEY) {
        out.insert(prefix.to_string(), true);
        return;
    }
    let mut at = 0;
    // The word that is the prefix itself sorts first.
    if words.first().is_some_and(|w| w.0.len() == prefix.len()) {
        if depth > 0 {
            out.insert(prefix.to_string(), false);
        }
        at = 1;
    }
    while at < words.len() {
        let next = words[at].0[prefix.len()..]
            .chars()
            .next()
            .unwrap_or_default();
        let child = format!("{prefix}{next}");
        let end = at
            + words[at..]
                .iter()
                .take_while(|w| w.0.starts_with(&child))
                .count();
        split(&words[at..end], depth + 1, &child, limit, out);
        at = end;
    }
}

/// The shard that holds `word`: the longest prefix of it with a shard that
/// holds it.
pub(super) fn shard_of<'a>(layout: &'a Layout, word: &str) -> Option<&'a str> {
    let ends: Vec<usize> = word
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take(MAX_KEY)
        .collect();
    ends.iter().rev().find_map(|&end| {
        let prefix = &word[..end];
        layout
            .get_key_value(prefix)
            .filter(|(_, whole)| **whole || end == word.len())
            .map(|(key, _)| key.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sites_have_one_shard_a_first_letter() {
        let words = [("care", 10), ("cqc", 5), ("supervision", 7)];
        let layout = layout(&words, 100);
        assert_eq!(
            layout.into_iter().collect::<Vec<_>>(),
            [("c".to_string(), true), ("s".to_string(), true)]
        );
    }

    #[test]
    fn a_large_prefix_is_split_by_the_next_letter_and_keeps_its_own_word() {
        let words = [
            ("ca", 5),
            ("care", 45),
            ("cares", 45),
            ("case", 10),
            ("cqc", 5),
            ("ελλάδα", 1),
        ];
        let layout = layout(&words, 100);
        let keys: Vec<(&str, bool)> = layout.iter().map(|(k, w)| (k.as_str(), *w)).collect();
        assert_eq!(
            keys,
            [
                ("ca", false),
                ("car", true),
                ("cas", true),
                ("cq", true),
                ("ε", true)
            ]
        );
        assert_eq!(shard_of(&layout, "cares"), Some("car"));
        assert_eq!(shard_of(&layout, "ca"), Some("ca"));
        assert_eq!(shard_of(&layout, "cab"), None);
        assert_eq!(shard_of(&layout, "ελλάς"), Some("ε"));
        // Never deeper than MAX_KEY, however large.
        let big = [("abcdefg", 1000), ("abcdefh", 1000)];
        let deep = super::layout(&big, 100);
        assert_eq!(deep.keys().collect::<Vec<_>>(), ["abcd"]);
        assert_eq!(shard_of(&deep, "abcdefg"), Some("abcd"));
    }
}
