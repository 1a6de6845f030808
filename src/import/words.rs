//! Words: takes text and gives its words, lower-cased and with typographic
//! apostrophes made plain, so that every step of the importer compares text
//! the same way (pull quotes with their paragraphs, clutter phrases, themes).

/// The words of `text`: runs of letters and digits, with an apostrophe kept
/// inside a word (`don't`), lower-cased.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if is_apostrophe(c)
            && !current.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            current.push('\'');
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The words of `text` joined by single spaces: two texts with the same words
/// in the same order have the same normal form, whatever their punctuation.
pub(crate) fn normal(text: &str) -> String {
    words(text).join(" ")
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// The text with every run of white space (tabs, no-break spaces) made one
/// space, and none at either end: scraped text has runs of both.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a word starts with a capital letter (a name, or a sentence).
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_with_inner_apostrophes() {
        assert_eq!(
            words("It’s ‘all’ about—people, 80/20!"),
            ["it's", "all", "about", "people", "80", "20"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(normal("Don't  STOP."), "don't stop");
    }

    #[test]
    fn white_space_is_squeezed() {
        assert_eq!(squeeze(" a \u{a0} b\t c "), "a b c");
    }
}
