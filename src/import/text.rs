//! Plain text: takes text copied from a web page and gives one block per
//! non-blank line, white space squeezed, with list bullets and numbers read
//! off as markers. What each line is, is left to the classifier.

use super::block::{Block, Marker, Shape};
use super::words::squeeze;

pub(crate) fn blocks(text: &str) -> Vec<Block> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line_text = squeeze(line);
            if line_text.is_empty() {
                return None;
            }
            let (shape, text) = match list_marker(&line_text) {
                Some((marker, rest)) => (Shape::Item(marker), rest.to_string()),
                None => (Shape::Line, line_text),
            };
            Some(Block {
                line: Some(index + 1),
                text,
                markdown: None,
                shape,
            })
        })
        .collect()
}

/// A bullet (`•`, `◦`, `▪`, `-`, `*`) or a number (`1.`, `2)`) then a space at
/// the start of a line: the marker and the item's text.
fn list_marker(line: &str) -> Option<(Marker, &str)> {
    for bullet in ['•', '◦', '▪', '●', '‣', '-', '*'] {
        if let Some(rest) = line.strip_prefix(bullet).and_then(|r| r.strip_prefix(' ')) {
            let rest = rest.trim_start();
            return (!rest.is_empty()).then_some((Marker::Bullet, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        let after = rest
            .strip_prefix(". ")
            .or_else(|| rest.strip_prefix(") "))?
            .trim_start();
        let number = line[..digits].parse().ok()?;
        return (!after.is_empty()).then_some((Marker::Number(number), after));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks_with_their_numbers() {
        let blocks = blocks("Title\n\n  • First  point\n2. Second\n- \n2014. A year\n");
        let seen: Vec<(Option<usize>, &str, &Shape)> = blocks
            .iter()
            .map(|b| (b.line, b.text.as_str(), &b.shape))
            .collect();
        assert_eq!(
            seen,
            [
                (Some(1), "Title", &Shape::Line),
                (Some(3), "First point", &Shape::Item(Marker::Bullet)),
                (Some(4), "Second", &Shape::Item(Marker::Number(2))),
                (Some(5), "-", &Shape::Line),
                (Some(6), "2014. A year", &Shape::Line),
            ]
        );
    }
}
