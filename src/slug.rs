//! Slugs: takes human text (a title, a tag, a heading) and gives the ASCII
//! lowercase-and-hyphens form used in URLs and heading ids.

/// `"Children’s Services: a café"` → `"childrens-services-a-cafe"`.
///
/// Apostrophes are dropped rather than turned into hyphens, so possessives stay
/// one word; other letters are transliterated to ASCII by `deunicode`.
pub fn slugify(text: &str) -> String {
    const APOSTROPHES: [char; 4] = ['\'', '’', '‘', 'ʼ'];
    let ascii = deunicode::deunicode_with_tofu(&text.replace(APOSTROPHES, ""), "[?]");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for byte in ascii.bytes() {
        if byte.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(char::from(byte.to_ascii_lowercase()));
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// Whether `text` is already a slug, what [`slugify`] gives back unchanged:
/// lowercase ASCII letters and digits in words joined by single hyphens.
pub fn is_slug(text: &str) -> bool {
    // As if a hyphen came before: one at the start is refused like a double,
    // and so is empty text.
    let mut last = b'-';
    for &byte in text.as_bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' => {}
            b'-' if last != b'-' => {}
            _ => return false,
        }
        last = byte;
    }
    last != b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_words_joined_by_hyphens() {
        assert_eq!(slugify("Leading with purpose"), "leading-with-purpose");
        assert_eq!(slugify("Liz Bruce on…"), "liz-bruce-on");
        assert_eq!(slugify("Children’s Services"), "childrens-services");
        assert_eq!(slugify("  Café -- Crème  "), "cafe-creme");
        assert_eq!(slugify("The 80/20 campaign"), "the-80-20-campaign");
        assert_eq!(slugify("???"), "");
        assert_eq!(slugify("Don't ‘quote’ ʼem"), "dont-quote-em");
        assert_eq!(slugify("Ärzte über Maß"), "arzte-uber-mass");
    }

    #[test]
    fn a_plain_slug_is_what_slugify_keeps() {
        for text in ["a", "a-b", "2014", "care-act-2014"] {
            assert!(is_slug(text), "{text:?}");
            assert_eq!(slugify(text), text);
        }
        for text in ["-a", "a-", "a--b", "A-b", "a b", "", "-", "caf\u{e9}"] {
            assert!(!is_slug(text), "{text:?}");
        }
    }

    #[test]
    fn slugs_are_recognised() {
        assert!(is_slug("workforce-and-culture"));
        assert!(!is_slug("Workforce"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
    }
}
