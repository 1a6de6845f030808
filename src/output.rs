//! Output: the built site in memory, as render gives it and write (or the dev
//! server) takes it: output paths mapped to bytes, in path order.

use std::collections::BTreeMap;

/// Every file of a built site, by path relative to the output root
/// (`articles/x/index.html`). Ordered, so that writing and listing are stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; gives it back if the path is already taken, because two
    /// things claiming one URL is a mistake to report, not to resolve silently.
    pub fn add(&mut self, path: String, bytes: Vec<u8>) -> Result<(), String> {
        match self.files.entry(path) {
            std::collections::btree_map::Entry::Occupied(entry) => Err(entry.key().clone()),
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(bytes);
                Ok(())
            }
        }
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

    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_can_be_taken_once() {
        let mut output = Output::new();
        assert!(output.add("a/index.html".into(), b"1".to_vec()).is_ok());
        assert_eq!(
            output.add("a/index.html".into(), b"2".to_vec()),
            Err("a/index.html".to_string())
        );
        assert_eq!(output.get("a/index.html"), Some(&b"1"[..]));
        assert_eq!(output.page_count(), 1);
    }
}
