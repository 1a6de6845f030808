//! Checks the fuzz targets share: takes what a Tiller entry point gave for a
//! fuzzed input and panics (which libFuzzer records as a crash) where it
//! breaks a promise that holds for every input, not just for good ones.

use tiller::diagnostics::{Diagnostic, LineIndex};

/// A site.toml, parsed once per process: validating one costs far more than
/// most fuzzed inputs, and every target that needs one needs the same one.
pub fn fixture_config(text: &str) -> tiller::config::Config {
    tiller::config::parse(text, &tiller::config::Overrides::default())
        .unwrap_or_else(|problems| panic!("the fixture's site.toml is invalid: {problems:?}"))
}

/// Every diagnostic points into `text` and prints on one line, as editors and
/// CI parse `path:line:col: severity: message`. A diagnostic may sit on the
/// line after the last (an error at the very end of a file that ends in a
/// newline), never beyond it.
pub fn check_diagnostics(text: &str, path: &str, problems: &[Diagnostic]) {
    let last_line = last_line(text);
    for problem in problems {
        assert_eq!(problem.path, path, "{problem}");
        assert!(
            (1..=last_line).contains(&problem.line),
            "line {} outside 1..={last_line}: {problem}",
            problem.line
        );
        assert!(problem.column >= 1, "column 0: {problem}");
        assert!(
            !problem.message.contains(['\n', '\r']),
            "a message of more than one line: {:?}",
            problem.message
        );
        assert!(!problem.message.is_empty(), "an empty message: {problem}");
    }
}

/// `%XX` decoded once, byte by byte, and anything else kept: written apart
/// from the server's decoding so that the two check each other. Gives the
/// text the bytes make, with U+FFFD for any that are not UTF-8.
pub fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        let pair = bytes.get(i + 1).zip(bytes.get(i + 2));
        match pair.and_then(|(&h, &l)| Some(hex(h)? * 16 + hex(l)?)) {
            Some(byte) if bytes[i] == b'%' => {
                out.push(byte as u8);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last line a position in `text` may have: one past its last line, or
/// the line its end is on as Tiller counts lines, should Tiller ever count
/// more line breaks than `\n` (a lone `\r`, say).
pub fn last_line(text: &str) -> usize {
    let end = LineIndex::new(text).position(text, text.len()).line;
    (text.lines().count() + 1).max(end)
}
