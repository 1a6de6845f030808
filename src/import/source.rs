//! Source: takes where the scraped page is (a file, or standard input) and
//! gives its text and whether it is plain text or HTML, or an error that says
//! why it cannot be an article (empty, binary, not UTF-8, too large).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{LineIndex, Position};

use super::ImportError;

/// Where the page is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// `-` on the command line.
    StandardInput,
}

impl Input {
    /// How the input is named in messages.
    pub(crate) fn shown(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::StandardInput => "<stdin>".to_string(),
        }
    }
}

/// What the page is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Html,
}

impl Format {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Text => "plain text",
            Format::Html => "HTML",
        }
    }
}

/// A page read and checked.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) text: String,
    pub(crate) format: Format,
}

/// A page larger than this is not one article: refusing it keeps the
/// classifier's work (and the report) to a size an editor can read.
const MAX_BYTES: usize = 16 * 1024 * 1024;

pub(crate) fn read(input: &Input) -> Result<Page, ImportError> {
    let shown = input.shown();
    let bytes = match input {
        Input::File(path) => read_file(path, &shown)?,
        Input::StandardInput => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| ImportError::input(&shown, None, format!("cannot read: {e}")))?;
            bytes
        }
    };
    let text = decode(&shown, bytes)?;
    let format = match input {
        Input::File(path) if has_html_extension(path) => Format::Html,
        Input::File(path) if has_extension(path) => Format::Text,
        // Standard input, or a file without an extension: by what it starts with.
        _ if looks_like_html(&text) => Format::Html,
        _ => Format::Text,
    };
    Ok(Page { text, format })
}

fn read_file(path: &Path, shown: &str) -> Result<Vec<u8>, ImportError> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| ImportError::input(shown, None, format!("cannot read: {e}")))?;
    if metadata.is_dir() {
        return Err(ImportError::input(
            shown,
            None,
            "this is a folder; give the file of one page",
        ));
    }
    if metadata.len() > MAX_BYTES as u64 {
        return Err(too_large(shown));
    }
    std::fs::read(path).map_err(|e| ImportError::input(shown, None, format!("cannot read: {e}")))
}

fn binary_error(shown: &str) -> ImportError {
    ImportError::input(
        shown,
        None,
        "the file is binary, not text: save the page as text or HTML",
    )
}

fn too_large(shown: &str) -> ImportError {
    ImportError::input(
        shown,
        None,
        format!(
            "the file is larger than {} MiB, too large to be one article",
            MAX_BYTES / 1024 / 1024
        ),
    )
}

fn has_extension(path: &Path) -> bool {
    path.extension().is_some()
}

fn has_html_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

fn looks_like_html(text: &str) -> bool {
    let start: String = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<head")
}

/// The bytes as text, or why they are not an article's text.
fn decode(shown: &str, bytes: Vec<u8>) -> Result<String, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(shown));
    }
    let binary = looks_binary(&bytes);
    let text = match crate::load::decode(shown, bytes) {
        Ok(text) => text,
        // UTF-16 and UTF-32 are named by `decode`; other undecodable bytes
        // with zero bytes or many control bytes among them are not text.
        Err(d) if binary && !d.message.contains("UTF-16") && !d.message.contains("UTF-32") => {
            return Err(binary_error(shown));
        }
        Err(d) => {
            let position = Position::new(d.line, d.column);
            return Err(ImportError::input(shown, Some(position), d.message));
        }
    };
    if binary {
        return Err(binary_error(shown));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    if text.trim().is_empty() {
        return Err(ImportError::input(
            shown,
            None,
            "the file is empty: there is no article to import",
        ));
    }
    if let Some((offset, _)) = crate::control::find(&text).next() {
        let position = LineIndex::new(&text).position(&text, offset);
        return Err(ImportError::input(
            shown,
            Some(position),
            "the text holds a control character; is this a text file?",
        ));
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A zero byte, or more than one byte in ten a control byte other than
/// white space, in the first 8 KiB: text never has them.
fn looks_binary(bytes: &[u8]) -> bool {
    let start = &bytes[..bytes.len().min(8192)];
    let wide = matches!(
        start,
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [0, 0, 0xFE, 0xFF, ..]
    );
    if wide {
        return false;
    }
    let controls = start
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    start.contains(&0) && !looks_wide_without_mark(start) || controls * 10 > start.len()
}

/// UTF-16 text without a byte-order mark has a zero byte beside every ASCII
/// letter: `decode` names it, so it is not called binary here.
fn looks_wide_without_mark(start: &[u8]) -> bool {
    let zeros = start.iter().filter(|&&b| b == 0).count();
    zeros * 3 >= start.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(bytes: &[u8]) -> String {
        decode("page.txt", bytes.to_vec())
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn bad_bytes_are_named() {
        assert_eq!(
            error(b""),
            "page.txt: error: the file is empty: there is no article to import"
        );
        assert_eq!(
            error(b" \n\t\n"),
            "page.txt: error: the file is empty: there is no article to import"
        );
        assert_eq!(
            error(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "page.txt: error: the file is binary, not text: save the page as text or HTML"
        );
        assert_eq!(
            error(b"Title\nGood line\nBad \xff here\n"),
            "page.txt:3:5: error: the file is not valid UTF-8 text"
        );
        assert!(
            error(b"\xff\xfeT\0i\0").contains("UTF-16"),
            "{}",
            error(b"\xff\xfeT\0i\0")
        );
        assert_eq!(
            error(b"Title\n\x1b[1mBold\n"),
            "page.txt:2:1: error: the text holds a control character; is this a text file?"
        );
    }

    #[test]
    fn text_is_read_with_plain_line_ends() {
        let text = decode("p.txt", b"\xef\xbb\xbfA\r\nB\rC".to_vec()).expect("text");
        assert_eq!(text, "A\nB\nC");
    }

    #[test]
    fn html_is_known_by_its_start() {
        assert!(looks_like_html("\n <!DOCTYPE html><html>"));
        assert!(looks_like_html("<html lang=en>"));
        assert!(!looks_like_html("A title\n\n<b>not a page</b>"));
    }
}
