//! Diagnostics: takes problems found by any stage and gives them back sorted, as
//! `path:line:col: severity: message` lines that editors and CI can parse, or
//! in the formats of [`format`] for machines; each carries a [`Code`] naming
//! its kind.

mod codes;
pub mod format;

use std::fmt;

pub use codes::Code;

/// How bad a problem is. Warnings never fail a build unless `--strict` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `error` or `warning`, as every format writes it.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem at one place in one file. Lines and columns are 1-based; the
/// column counts characters, not bytes, as editors do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub(crate) severity: Severity,
    pub message: String,
    /// The kind of problem, for tools; last, so that it does not change the
    /// order diagnostics sort in.
    pub code: Code,
}

impl Diagnostic {
    pub(crate) fn error(
        code: Code,
        path: &str,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, path, position, message)
    }

    pub(crate) fn warning(
        code: Code,
        path: &str,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, path, position, message)
    }

    fn new(
        severity: Severity,
        code: Code,
        path: &str,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: position.line,
            column: position.column,
            severity,
            message: single_line(&message.into()),
            code,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }
}

/// A message must stay on one line, or the `path:line:col:` format breaks for the
/// tools that parse it; libraries sometimes hand us multi-line text.
fn single_line(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for part in message
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.extend(part.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path,
            self.line,
            self.column,
            self.severity.label(),
            self.message
        )
    }
}

/// A 1-based line and character column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub(crate) const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Position {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// Maps byte offsets in a text to line and column, built once per file so that
/// every diagnostic in it costs a binary search, not a rescan.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as CommonMark and YAML
    /// end them, so that the positions their parsers give and this index
    /// gives agree.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        // Made for every file read: memchr's vectorised search.
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        LineIndex { line_starts }
    }

    /// The position of a byte offset; offsets past the end clamp to the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        Position::new(line, column)
    }

    /// The position of a byte offset, given the position of an earlier one
    /// (`known`: its offset and position): on the same line, the column is
    /// counted on from it rather than from the line's start. Positions asked
    /// for in order along one long line (thousands of links in one
    /// paragraph) then cost the bytes between them, not the line each time.
    pub(crate) fn position_after(
        &self,
        text: &str,
        offset: usize,
        known: (usize, Position),
    ) -> Position {
        let offset = offset.min(text.len());
        let (from, at) = known;
        let line = self.line_starts.partition_point(|&start| start <= offset);
        if from <= offset
            && at.line == line
            && self.line_starts[line - 1] <= from
            && let Some(between) = text.get(from..offset)
        {
            return Position::new(line, at.column + between.chars().count());
        }
        self.position(text, offset)
    }
}

/// The problems of one run, collected from every stage so that all are reported
/// before exiting, not just the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Keeps a stage's problems and hands back its result: stages give
    /// `(value, problems)` so that one failing file never stops the others.
    pub(crate) fn take<T>(&mut self, (value, problems): (T, Vec<Diagnostic>)) -> T {
        self.items.extend(problems);
        value
    }

    /// Keeps the problems of a step that gives nothing when it fails.
    pub(crate) fn take_err<T>(&mut self, result: Result<T, Vec<Diagnostic>>) -> Option<T> {
        result.map_err(|problems| self.items.extend(problems)).ok()
    }

    /// Makes every warning an error, saying why: what `--strict` asks.
    pub(crate) fn make_warnings_errors(&mut self) {
        for item in &mut self.items {
            if item.severity == Severity::Warning {
                item.severity = Severity::Error;
                item.message.push_str(" (an error under --strict)");
            }
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sorted by path, line and column, duplicates removed: the order a reader
    /// walks through the files, and the same on every run.
    pub(crate) fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\ncé d\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position::new(1, 1));
        assert_eq!(index.position(text, 2), Position::new(1, 3));
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        // "é" is two bytes but one column.
        assert_eq!(index.position(text, 6), Position::new(2, 3));
        assert_eq!(index.position(text, 9), Position::new(3, 1));
        assert_eq!(index.position(text, 10), Position::new(4, 1));
        assert_eq!(index.position(text, 99), Position::new(4, 2));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_the_parsers_say() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        assert_eq!(index.position(text, 5), Position::new(3, 1));
        assert_eq!(index.position(text, 7), Position::new(4, 1));
        // The `\r` of `\r\n` is the end of its line, not a line of its own.
        assert_eq!(index.position(text, 1), Position::new(1, 2));
        assert_eq!(index.position(text, 2), Position::new(1, 3));
    }

    #[test]
    fn positions_counted_on_from_an_earlier_one_agree() {
        let text = "ab\ncé d é\n\nxyz";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2)
            .filter(|&o| o >= text.len() || text.is_char_boundary(o))
            .collect();
        for &from in &offsets {
            let known = (from.min(text.len()), index.position(text, from));
            for &offset in &offsets {
                assert_eq!(
                    index.position_after(text, offset, known),
                    index.position(text, offset),
                    "{offset} after {from}"
                );
            }
        }
    }

    #[test]
    fn diagnostics_print_in_the_editor_format() {
        let d = Diagnostic::error(
            Code::LinkInvalid,
            "content/a.md",
            Position::new(3, 7),
            "bad\nthing",
        );
        assert_eq!(d.to_string(), "content/a.md:3:7: error: bad; thing");
    }

    #[test]
    fn diagnostics_sort_by_path_then_line() {
        let mut all = Diagnostics::new();
        let at = |line| Position::new(line, 1);
        let code = Code::LinkInvalid;
        all.items.extend([
            Diagnostic::warning(code, "b.md", at(1), "w"),
            Diagnostic::error(code, "a.md", at(9), "late"),
            Diagnostic::error(code, "a.md", at(2), "early"),
            Diagnostic::error(code, "a.md", at(2), "early"),
        ]);
        let sorted: Vec<String> = all.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            sorted,
            vec![
                "a.md:2:1: error: early",
                "a.md:9:1: error: late",
                "b.md:1:1: warning: w"
            ]
        );
    }
}
