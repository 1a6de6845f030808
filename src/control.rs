//! Control characters: takes text from a source file and finds, or replaces
//! with U+FFFD, the characters that must never reach a page, a feed or a
//! script: NUL and the other C0 and C1 control characters but tab and line
//! ends, DEL, and the two non-characters U+FFFE and U+FFFF. XML forbids
//! them outright (one in a title makes every feed that carries it unreadable),
//! and in HTML and scripts they are invisible traps.

use std::borrow::Cow;

/// What replaces a forbidden character in a body.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` may not be published.
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\x7F'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The byte offset and character of every forbidden character in `text`.
pub(crate) fn find(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    // Every forbidden character starts with a byte below 0x20 (but tab and
    // line ends, which every text has), 0x7F (DEL), 0xC2 (U+0080 to U+009F)
    // or 0xEF (U+FFFE, U+FFFF). None of those bytes continues a character, so
    // only where one stands is a character decoded: 5.1% of a build's
    // instructions against decoding every character (docs/architecture.md).
    // Almost every block of text holds none of them, and a whole block is
    // tested at once, which the compiler does with vector instructions.
    text.as_bytes()
        .chunks(BLOCK)
        .enumerate()
        .filter(|(_, block)| block.iter().fold(false, |any, &b| any | may_start(b)))
        .flat_map(|(n, block)| {
            let start = n * BLOCK;
            block
                .iter()
                .enumerate()
                .filter(|&(_, &b)| may_start(b))
                .map(move |(i, _)| start + i)
        })
        .filter_map(|at| {
            let c = text[at..].chars().next()?;
            is_forbidden(c).then_some((at, c))
        })
}

/// How many bytes [`find`] tests at once.
const BLOCK: usize = 64;

/// Whether a forbidden character may start with `b`.
fn may_start(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7F | 0xC2 | 0xEF)
}

/// `text` with every forbidden character replaced by U+FFFD, borrowed when
/// there is none.
pub(crate) fn replace(text: &str) -> Cow<'_, str> {
    if find(text).next().is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_forbidden(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

/// How a message names a forbidden character: `U+0007`.
pub(crate) fn name(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The message for a forbidden character in a value: `title holds the
/// control character U+0000, which no page or feed may carry`.
pub(crate) fn in_value(what: &str, c: char) -> String {
    format!(
        "{what} holds the control character {}, which no page or feed may carry; remove it",
        name(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_forbidden_but_tab_and_line_ends() {
        for c in [
            '\0', '\x07', '\x08', '\x0B', '\x0C', '\x1B', '\x7F', '\u{85}', '\u{9F}', '\u{FFFE}',
            '\u{FFFF}',
        ] {
            assert!(is_forbidden(c), "{}", name(c));
        }
        for c in [
            '\t', '\n', '\r', ' ', '~', '\u{A0}', '\u{A3}', '\u{2028}', '\u{FEFF}', '\u{FFFD}', 'é',
        ] {
            assert!(!is_forbidden(c), "{}", name(c));
        }
    }

    #[test]
    fn every_forbidden_character_is_found_where_it_is() {
        let text = "a\u{A0}b\x07c\u{FEFF}\u{85}\u{FFFF}\n\0";
        let found: Vec<(usize, char)> = find(text).collect();
        assert_eq!(
            found,
            [(4, '\x07'), (9, '\u{85}'), (11, '\u{FFFF}'), (15, '\0')]
        );
        // The same as looking at every character.
        let plain: Vec<(usize, char)> = text
            .char_indices()
            .filter(|&(_, c)| is_forbidden(c))
            .collect();
        assert_eq!(found, plain);
        assert_eq!(find("plain text £ ïn ünicode\t\r\n").count(), 0);
    }

    #[test]
    fn characters_are_found_in_every_block_and_across_their_edges() {
        // Each forbidden character at every offset around the first two
        // edges of the blocks `find` tests, after ASCII and after `£`.
        for c in ['\0', '\x1B', '\x7F', '\u{85}', '\u{FFFF}'] {
            for lead in ["", "£"] {
                for at in (BLOCK - 4..BLOCK + 4).chain(2 * BLOCK - 2..2 * BLOCK + 2) {
                    let text = format!("{lead}{}{c}{}\u{A0}é", "x".repeat(at), "y".repeat(at));
                    let plain: Vec<(usize, char)> = text
                        .char_indices()
                        .filter(|&(_, c)| is_forbidden(c))
                        .collect();
                    assert_eq!(find(&text).collect::<Vec<_>>(), plain, "{c:?} at {at}");
                    assert_eq!(plain.len(), 1);
                }
            }
        }
    }

    #[test]
    fn forbidden_characters_are_replaced_one_for_one() {
        assert_eq!(replace("a\x07b\u{85}"), "a\u{FFFD}b\u{FFFD}");
        assert!(matches!(replace("clean\ttext"), Cow::Borrowed(_)));
        assert_eq!(replace("x\0").chars().count(), 2);
    }
}
