//! HTML text: takes HTML that Tiller rendered from Markdown and gives its text
//! as a reader reads it: the whole text of a body (for search), or the
//! sentence around a linked mention (for entity pages); and the words of such
//! text, split where `split_whitespace` splits (for summaries). It reads only HTML the
//! Markdown stage wrote, whose shape it knows: text is escaped, tags are
//! well formed, code blocks are `<pre>` and pull quotes are `<aside>`.
//!
//! Sentences are found with a simple rule rather than the full Unicode
//! algorithm: a sentence ends at `.`, `!`, `?` or `…`, with any closing quotes
//! or brackets, before a space. For English prose the two agree (neither knows
//! that "Dr." rarely ends a sentence), and this runs over every mention of a
//! large site, where the full algorithm cost more than rendering the Markdown.

/// The readable text of a body: tags dropped (block tags leave a space),
/// character references decoded, code blocks and pull quotes (which repeat the
/// text) and footnote markers left out, whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // An element left out whole, until its end tag.
    let mut skipping: Option<&str> = None;
    while let Some(open) = find_byte(rest, b'<') {
        if skipping.is_none() {
            push_decoded(&mut text, &rest[..open]);
        }
        let Some(close) = find_byte(&rest[open..], b'>') else {
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag_name(tag);
        match skipping {
            Some(until) => {
                if name.strip_prefix('/') == Some(until) {
                    skipping = None;
                    if until != "sup" {
                        text.push(' ');
                    }
                }
            }
            None => {
                if name == "pre" {
                    skipping = Some("pre");
                } else if name == "aside" && tag.contains("pull-quote") {
                    skipping = Some("aside");
                } else if name == "sup" && tag.contains("footnote-reference") {
                    skipping = Some("sup");
                } else if is_block_tag(name.trim_start_matches('/')) {
                    text.push(' ');
                }
            }
        }
    }
    if skipping.is_none() {
        push_decoded(&mut text, rest);
    }
    collapse_whitespace(&text)
}

/// A mention as a reader sees it where it stands: the id of its link, and the
/// sentence around it in three parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MentionText<'h> {
    pub anchor: &'h str,
    pub(crate) before: String,
    pub(crate) mention: String,
    pub(crate) after: String,
}

/// Longest part of a sentence kept on either side of a mention, in bytes;
/// beyond it the sentence is cut at a word, with an ellipsis.
const SIDE_LIMIT: usize = 160;

/// The mention whose link starts at byte `at` of `html` (the `<a` of a
/// mention link the Markdown stage wrote), with its sentence. `None` if no
/// such link starts there.
pub fn mention_at(html: &str, at: usize) -> Option<MentionText<'_>> {
    let link = html.get(at..)?;
    let tag_end = find_byte(link, b'>')?;
    let anchor = attribute(&link[..tag_end], " id=\"")?;
    let link_end = at + find_text(link, "</a>")? + "</a>".len();
    // Only so much either side can be shown: don't read a long block whole.
    let block_start = near(html, block_start(html, at), at, Side::Before);
    let block_end = near(html, block_end(html, link_end), link_end, Side::After);
    let raw_before = inline_text(&html[block_start..at]);
    let raw_after = inline_text(&html[link_end..block_end]);
    // Only the sentence is kept, so only the sentence is tidied.
    let before = collapse_whitespace(sentence_start(&raw_before));
    let inner = &html[at + tag_end + 1..link_end - "</a>".len()];
    let mention = plain_words(inner)
        .map(str::to_string)
        .unwrap_or_else(|| collapse_whitespace(&inline_text(&html[at..link_end])));
    let after = collapse_whitespace(sentence_end(&raw_after));
    // Spaces at the joins matter: "the <a>CQC</a> said" keeps both.
    let mut before = before;
    if raw_before.ends_with(char::is_whitespace) && !before.is_empty() {
        before.push(' ');
    }
    let mut after = after;
    if raw_after.starts_with(char::is_whitespace) && !after.is_empty() {
        after.insert(0, ' ');
    }
    Some(MentionText {
        anchor,
        before: cut_start(before),
        mention,
        after: cut_end(after),
    })
}

/// `html` itself where it is already its own text: printable ASCII words
/// with single spaces between, no tags, no references. A mention's words
/// nearly always are, and then need neither stripping nor collapsing.
fn plain_words(html: &str) -> Option<&str> {
    let bytes = html.as_bytes();
    let plain = bytes
        .iter()
        .all(|&b| matches!(b, b' '..=b'~') && b != b'<' && b != b'&')
        && bytes.first().is_some_and(|&b| b != b' ')
        && bytes.last().is_some_and(|&b| b != b' ')
        && memchr::memmem::find(bytes, b"  ").is_none();
    plain.then_some(html)
}

/// Every byte offset in `html` where a mention link starts, in order.
pub fn mention_links(html: &str) -> Vec<usize> {
    const OPENING: &str = "<a class=\"mention\" ";
    // memchr's vectorised search: this reads every body with a mention.
    memchr::memmem::find_iter(html.as_bytes(), OPENING).collect()
}

/// How far from a mention a sentence is read, in bytes of HTML: enough for
/// [`SIDE_LIMIT`] bytes of text and the tags among them.
const READ_LIMIT: usize = 3 * SIDE_LIMIT;

enum Side {
    Before,
    After,
}

/// `edge` (a block's start or end), or a nearer point no more than
/// [`READ_LIMIT`] bytes from `at` that is outside any tag and between words.
fn near(html: &str, edge: usize, at: usize, side: Side) -> usize {
    match side {
        Side::Before if at - edge > READ_LIMIT => {
            let mut from = at - READ_LIMIT;
            while !html.is_char_boundary(from) {
                from += 1;
            }
            let inside_tag = rfind_byte(&html[..from], b'<') > rfind_byte(&html[..from], b'>');
            let skip = if inside_tag {
                find_byte(&html[from..at], b'>').map(|e| e + 1)
            } else {
                html[from..at].find(' ')
            };
            skip.map_or(at, |s| from + s)
        }
        Side::After if edge - at > READ_LIMIT => {
            let mut to = at + READ_LIMIT;
            while !html.is_char_boundary(to) {
                to -= 1;
            }
            let inside_tag = rfind_byte(&html[..to], b'<') > rfind_byte(&html[..to], b'>');
            let cut = if inside_tag {
                rfind_byte(&html[at..to], b'<')
            } else {
                html[at..to].rfind(' ')
            };
            cut.map_or(at, |c| at + c)
        }
        _ => edge,
    }
}

/// Where the block holding byte `at` starts: just after the nearest block
/// tag (opening or closing) before it. Tags further back than
/// [`READ_LIMIT`] are not looked at: a block edge there is cut to the limit
/// by [`near`] anyway, and a paragraph holding thousands of mentions (each
/// link two tags) is not walked back whole for each of them. 0 then stands
/// for an edge that far.
fn block_start(html: &str, at: usize) -> usize {
    let mut end = at;
    while let Some(open) = rfind_byte(&html[..end], b'<') {
        let tag_end = find_byte(&html[open..], b'>').map_or(html.len(), |e| open + e + 1);
        if is_block_tag(
            tag_name(&html[open + 1..tag_end.saturating_sub(1)]).trim_start_matches('/'),
        ) {
            return tag_end.min(at);
        }
        // Every tag before this one ends before it, so is further than the limit too.
        if at - open > READ_LIMIT {
            return 0;
        }
        end = open;
    }
    0
}

/// Where the block holding byte `at` ends: at the nearest block tag after
/// it, or the end of `html` for one further than [`READ_LIMIT`], as
/// [`block_start`] does.
fn block_end(html: &str, at: usize) -> usize {
    let mut from = at;
    while let Some(open) = find_byte(&html[from..], b'<') {
        let open = from + open;
        if open - at > READ_LIMIT {
            return html.len();
        }
        let tag_end = find_byte(&html[open..], b'>').map_or(html.len(), |e| open + e);
        if is_block_tag(tag_name(&html[open + 1..tag_end]).trim_start_matches('/')) {
            return open;
        }
        from = tag_end;
    }
    html.len()
}

/// The text of inline HTML: tags dropped, references decoded.
fn inline_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = find_byte(rest, b'<') {
        push_decoded(&mut text, &rest[..open]);
        match find_byte(&rest[open..], b'>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    push_decoded(&mut text, rest);
    text
}

/// The end of `text` from the start of its last sentence.
fn sentence_start(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i].is_ascii_whitespace() && i > 0 && ends_a_sentence(&bytes[..i]) {
            return &text[i + 1..];
        }
    }
    text
}

/// The start of `text` up to the end of its first sentence.
fn sentence_end(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        if byte.is_ascii_whitespace() && at > 0 && ends_a_sentence(&bytes[..at]) {
            return &text[..at];
        }
    }
    text
}

/// Whether text (valid UTF-8) ends a sentence: `.`, `!`, `?` or `…`, then
/// any closing quotes or brackets (`"` `'` `’` `”` `)` `]`). Read as bytes,
/// since it is asked at every space near every mention: `’` and `”` are
/// `E2 80 99` and `E2 80 9D`, `…` is `E2 80 A6`.
fn ends_a_sentence(text: &[u8]) -> bool {
    let mut end = text.len();
    loop {
        match text[..end] {
            [.., b'"' | b'\'' | b')' | b']'] => end -= 1,
            [.., 0xE2, 0x80, 0x99 | 0x9D] => end -= 3,
            _ => break,
        }
    }
    matches!(
        text[..end],
        [.., b'.' | b'!' | b'?'] | [.., 0xE2, 0x80, 0xA6]
    )
}

/// `text` with at most [`SIDE_LIMIT`] bytes kept at its end, cut at a word.
fn cut_start(text: String) -> String {
    if text.len() <= SIDE_LIMIT {
        return text;
    }
    let mut from = text.len() - SIDE_LIMIT;
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let from = text[from..]
        .find(' ')
        .map_or(from, |space| from + space + 1);
    ["…", &text[from..]].concat()
}

/// `text` with at most [`SIDE_LIMIT`] bytes kept at its start, cut at a word.
fn cut_end(text: String) -> String {
    if text.len() <= SIDE_LIMIT {
        return text;
    }
    let mut to = SIDE_LIMIT;
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let to = text[..to].rfind(' ').unwrap_or(to);
    [&text[..to], "…"].concat()
}

/// `text` with each run of whitespace made one space and none at either end,
/// as `split_whitespace` and a join would give. It runs over every body, and
/// nearly every byte is ASCII, so only the others are decoded as chars.
fn collapse_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    loop {
        // Past the whitespace before the next stretch.
        i = skip_whitespace(text, i);
        if i == bytes.len() {
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        // A stretch runs on over words that single plain spaces separate,
        // which is most of a body: it is copied whole, not word by word.
        let start = i;
        while i < bytes.len() {
            let plain = plain_bytes_at(bytes, i);
            if plain > 0 {
                i += plain;
                continue;
            }
            let byte = bytes[i];
            if byte == b' ' {
                if i + 1 < bytes.len() && whitespace_at(text, i + 1).is_none() {
                    i += 1;
                    continue;
                }
                break;
            }
            match non_space_at(text, i) {
                Some(width) => i += width,
                None => break,
            }
        }
        out.push_str(&text[start..i]);
    }
}

/// The words of `text`, as `split_whitespace` gives them; ASCII, nearly all
/// of a paragraph, is read a byte at a time, other characters decoded.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = skip_whitespace(rest, 0);
        if start == rest.len() {
            return None;
        }
        let mut end = start;
        while let Some(width) = non_space_at(rest, end) {
            end += width;
        }
        let word = &rest[start..end];
        rest = &rest[end..];
        Some(word)
    })
}

/// Where the whitespace starting at byte `i` (a char boundary) ends: `i`
/// itself when none starts there.
fn skip_whitespace(text: &str, mut i: usize) -> usize {
    while let Some(width) = (i < text.len()).then(|| whitespace_at(text, i)).flatten() {
        i += width;
    }
    i
}

/// The width of the character at byte `i` (a char boundary), if there is one
/// and it is not whitespace; ASCII, nearly all text, is judged by its byte.
fn non_space_at(text: &str, i: usize) -> Option<usize> {
    let byte = *text.as_bytes().get(i)?;
    if byte < 0x80 {
        (!is_ascii_space(byte)).then_some(1)
    } else if whitespace_at(text, i).is_some() {
        None
    } else {
        Some(utf8_width(byte))
    }
}

/// How many of the eight bytes from `i` certainly go on a stretch as they
/// are: printable ASCII, or a space before printable ASCII. Eight bytes are
/// tested at once (and the byte after them), so a body is read a word at a
/// time, not a byte. 0 where fewer than nine bytes are left, or where the
/// first byte needs a closer look.
fn plain_bytes_at(bytes: &[u8], i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // The high bit of each byte below `n` is set. A borrow can also set it in
    // bytes after a byte below `n`, never clear it: the first set is exact.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS;
    let (Some(here), Some(next)) = (bytes.get(i..i + 8), bytes.get(i + 1..i + 9)) else {
        return 0;
    };
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    let (here, next) = (word(here), word(next));
    // Whitespace, controls and non-ASCII bytes.
    let special = |x: u64| below(x, 0x21) | (x & HIGHS);
    let space = below(here ^ (ONES * u64::from(b' ')), 1);
    let look_closer = (special(here) & !space) | (space & special(next));
    // Flags can be wrong only after the first true one, so every byte before
    // the first flag is plain.
    (look_closer.trailing_zeros() / 8) as usize
}

/// The whitespace characters that are ASCII, as `char::is_whitespace` has them
/// (vertical tab included, unlike `u8::is_ascii_whitespace`).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The width of the whitespace character at byte `i` (a char boundary), if
/// one starts there.
fn whitespace_at(text: &str, i: usize) -> Option<usize> {
    let byte = text.as_bytes()[i];
    if byte < 0x80 {
        return is_ascii_space(byte).then_some(1);
    }
    text[i..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map(char::len_utf8)
}

/// Where ASCII `byte` first occurs in `text`, by memchr's vectorised search:
/// every body is read through here. The byte is ASCII, so where it is is a
/// char boundary.
fn find_byte(text: &str, byte: u8) -> Option<usize> {
    memchr::memchr(byte, text.as_bytes())
}

/// Where `needle` (which starts with an ASCII byte) first occurs in `text`:
/// its first byte found by memchr, the rest compared. What is looked for here
/// is a few bytes away, and a memmem searcher, built anew for each call,
/// cost more to build than this costs to run.
fn find_text(text: &str, needle: &str) -> Option<usize> {
    let (bytes, needle) = (text.as_bytes(), needle.as_bytes());
    let first = *needle.first()?;
    memchr::memchr_iter(first, bytes).find(|&at| bytes[at..].starts_with(needle))
}

/// Where ASCII `byte` last occurs in `text`.
fn rfind_byte(text: &str, byte: u8) -> Option<usize> {
    memchr::memrchr(byte, text.as_bytes())
}

/// The length of the UTF-8 sequence that `lead` starts.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        _ => 2,
    }
}

/// The name of a tag from what is between its angle brackets: `p`, `/p`, `a`.
fn tag_name(tag: &str) -> &str {
    // The first word, as `split_whitespace` would give it, without its
    // iterator: every tag of every body is named here.
    let tag = tag.trim_start();
    let end = tag.find(char::is_whitespace).unwrap_or(tag.len());
    tag[..end].trim_end_matches('/')
}

/// The value of an attribute in an opening tag, as written; `key` is the
/// space, name, equals sign and quote that open it (` id="`).
fn attribute<'t>(tag: &'t str, key: &str) -> Option<&'t str> {
    let start = find_text(tag, key)? + key.len();
    let end = find_byte(&tag[start..], b'"')?;
    Some(&tag[start..start + end])
}

fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "div"
            | "br"
            | "td"
            | "th"
            | "tr"
            | "dt"
            | "dd"
            | "dl"
            | "blockquote"
            | "table"
            | "section"
            | "aside"
            | "pre"
            | "hr"
    )
}

/// Appends `html` text with its character references decoded: those the
/// Markdown renderer writes, and numeric ones.
fn push_decoded(text: &mut String, html: &str) {
    let mut rest = html;
    while let Some(amp) = find_byte(rest, b'&') {
        text.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 8).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                text.push(c);
                rest = &after[end + 1..];
            }
            None => {
                text.push('&');
                rest = after;
            }
        }
    }
    text.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_readable_text() {
        let html = "<h2 id=\"a\">Leading</h2>\n<p>Fish &amp; chips&#39; <a href=\"/x/\">link</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>.</p>\n<pre class=\"hl-code\"><code>let x = 1;</code></pre>\n<aside class=\"pull-quote\" aria-hidden=\"true\">\n<p>Repeated.</p>\n</aside>\n<ul>\n<li>One</li><li>Two</li>\n</ul>";
        assert_eq!(plain_text(html), "Leading Fish & chips' link. One Two");
    }

    #[test]
    fn text_is_found_where_str_find_finds_it() {
        let tag = "<a class=\"mention\" href=\"/x/\" id=\"m-1\">é <</a></a>";
        for needle in [
            " id=\"",
            "</a>",
            "<",
            " href=\"",
            "é",
            "\"m",
            " nowhere=\"",
            "</a>x",
        ] {
            assert_eq!(find_text(tag, needle), tag.find(needle), "{needle}");
        }
        // A first byte that comes back before the whole needle does.
        assert_eq!(find_text("<<</a", "</a"), Some(2));
        assert_eq!(find_text("", "</a>"), None);
    }

    fn mention(html: &str) -> (String, String, String, String) {
        let at = mention_links(html)[0];
        let m = mention_at(html, at).expect("a mention");
        (m.anchor.to_string(), m.before, m.mention, m.after)
    }

    #[test]
    fn the_sentence_around_a_mention_is_cut_from_its_block() {
        let html = "<p>First one. Then the <a class=\"mention\" id=\"mention-cqc\" href=\"/o/cqc/\">CQC</a> &amp; <em>friends</em> said “no.” After.</p>\n<p>Next.</p>";
        assert_eq!(
            mention(html),
            (
                "mention-cqc".into(),
                "Then the ".into(),
                "CQC".into(),
                " & friends said “no.”".into()
            )
        );
    }

    #[test]
    fn a_mention_at_the_start_of_a_list_item_has_no_before() {
        let html = "<ul>\n<li><em><a class=\"mention\" id=\"m\" href=\"/\">ADASS</a></em>, BASW and others help</li>\n</ul>";
        assert_eq!(
            mention(html),
            (
                "m".into(),
                String::new(),
                "ADASS".into(),
                ", BASW and others help".into()
            )
        );
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_would() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\t\nthree ",
            "a\u{a0}b\u{2003}c\u{3000} d\x0be\x0cf\rg",
            "caf\u{e9}  \u{201c}quoted\u{201d}\u{85}next",
            "\u{a0}lead and trail\u{2028}",
            "\u{1f600} four-byte \u{1f600}\u{2029}",
            // A single space keeps a stretch going; anything else ends it.
            "one two  three four",
            "a \u{a0}b \u{2003}",
            "x \ny z\t",
            "caf\u{e9} cr\u{e8}me ",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_would_in_long_mixed_text() {
        // Long enough for the eight-bytes-at-a-time path, with every kind of
        // byte it must stop at, in many orders (a fixed-seed generator).
        let alphabet = [
            " ",
            " ",
            " ",
            "a",
            "b",
            "Z",
            "9",
            "!",
            ".",
            "\t",
            "\n",
            "\r",
            "\x0b",
            "\x0c",
            "\x01",
            "\x7f",
            "\u{a0}",
            "\u{85}",
            "\u{2003}",
            "\u{3000}",
            "\u{e9}",
            "\u{2019}",
            "\u{1f600}",
            "word",
            "words ",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..40 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_mention_words_are_what_stripping_and_collapsing_give() {
        for inner in [
            "CQC",
            "Care Quality Commission",
            "Care  Quality",
            " CQC",
            "CQC ",
            "Care\nQuality",
            "Care\tQuality",
            "King&#39;s Fund",
            "Q&amp;A",
            "the <em>Guardian</em>",
            "King’s Fund",
            "Care\u{a0}Quality",
            "",
        ] {
            let slow = collapse_whitespace(&inline_text(inner));
            if let Some(fast) = plain_words(inner) {
                assert_eq!(fast, slow, "{inner:?}");
            }
        }
        assert_eq!(
            plain_words("Care Quality Commission"),
            Some("Care Quality Commission")
        );
        assert_eq!(plain_words("Q&amp;A"), None);
        assert_eq!(plain_words("Care\nQuality"), None);
    }

    #[test]
    fn sentence_ends_read_as_bytes_agree_with_the_rule_read_as_chars() {
        let by_chars = |text: &str| {
            text.trim_end_matches(['"', '\'', '’', '”', ')', ']'])
                .ends_with(['.', '!', '?', '…'])
        };
        let pieces = [
            "word", ".", "!", "?", "…", "\"", "'", "’", "”", ")", "]", "‘", "“", "(", "é", "—",
            ",", "a.b", "",
        ];
        // Every sequence of up to four pieces.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        assert!(texts.len() > 10_000);
        for text in &texts {
            assert_eq!(ends_a_sentence(text.as_bytes()), by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn words_are_what_split_whitespace_gives() {
        for text in [
            "",
            " ",
            "one",
            " one  two\tthree\n",
            "a\u{a0}b\u{2009}c\u{3000}d\u{85}e",
            "café — naïve\r\n",
            "\x0bx\x0cy",
            "ends with space ",
            "“quoted” words…",
        ] {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_tag_is_named_by_its_first_word() {
        for tag in [
            "p",
            "/p",
            "br/",
            "a href=\"x\"",
            " li class=x",
            "hr /",
            "",
            "  ",
            "x\u{a0}y",
            "caf\u{e9} x",
            "\u{2003}p\u{e9}\u{2003}q",
            "p\x0bq",
        ] {
            let expected = tag
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_end_matches('/');
            assert_eq!(tag_name(tag), expected, "{tag:?}");
        }
    }

    #[test]
    fn long_sentences_are_cut_at_words_around_the_mention() {
        let words = "word ".repeat(200);
        let html = format!(
            "<p>{words}the <a class=\"mention\" id=\"m\" href=\"/\">NHS</a> {words}end.</p>"
        );
        let (_, before, _, after) = mention(&html);
        assert!(
            before.starts_with("…word") && before.len() <= SIDE_LIMIT + 4,
            "{before}"
        );
        assert!(
            after.ends_with("word…") && after.len() <= SIDE_LIMIT + 4,
            "{after}"
        );
    }
}
