//! Readable text: takes the pieces of text the Markdown stage marks while it
//! writes a body's HTML, and gives the body's text as a reader reads it (for
//! search) and the sentence around a mention (for entity pages).
//!
//! The text is kept as places in the HTML, not copied: nearly all of it is
//! written there as it reads, and a copy would hold every body twice (at
//! 10,000 articles the peak memory of a build went from 232 to 285 MB with
//! one). Only text the HTML holds escaped (`&`, `<`, `>`), inline code, raw
//! HTML's text and the mentions' anchors are kept as text of their own.
//! Nothing here reads HTML back: the places were noted as it was written.
//!
//! The text is measured as if written out whole, each block edge a space:
//! a mention's words are a range of it, and its sentence never crosses an
//! edge. Sentences are found with a simple rule rather than the full Unicode
//! algorithm: a sentence ends at `.`, `!`, `?` or `…`, with any closing quotes
//! or brackets, before a space. For English prose the two agree (neither
//! knows that "Dr." rarely ends a sentence).

use std::ops::Range;

/// A body's readable text, as places in its HTML and text of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Readable {
    pieces: Vec<Piece>,
    /// Text the HTML does not hold as it reads.
    own: String,
    /// The length of the text so far, each block edge one byte.
    len: u32,
    /// Whether a block's edge comes before the next piece.
    edge: bool,
}

/// A stretch of the text: bytes of the HTML or of the text's own, perhaps
/// after a block's edge. Eight bytes, as a large site holds hundreds of
/// thousands (half a million at 10,000 articles): the two flags are the
/// length's top bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Piece {
    at: u32,
    len_and_flags: u32,
}

/// The piece is in the text's own, not in the HTML.
const OWN: u32 = 1 << 31;
/// A block's edge (a space in the text) comes before the piece.
const AFTER_EDGE: u32 = 1 << 30;
/// The longest piece; longer text is kept in several.
const MOST: usize = (AFTER_EDGE - 1) as usize;

impl Piece {
    fn new(at: usize, len: usize, flags: u32) -> Option<Piece> {
        let at = u32::try_from(at).ok()?;
        (len <= MOST && at.checked_add(len as u32).is_some()).then_some(Piece {
            at,
            len_and_flags: len as u32 | flags,
        })
    }

    fn len(self) -> usize {
        (self.len_and_flags & !(OWN | AFTER_EDGE)) as usize
    }

    fn end(self) -> usize {
        self.at as usize + self.len()
    }

    /// Lengthens the piece by `more` bytes, if it can be that long.
    fn grow(&mut self, more: usize) -> bool {
        let Some(longer) = Piece::new(self.at as usize, self.len() + more, 0) else {
            return false;
        };
        self.len_and_flags = longer.len_and_flags | (self.len_and_flags & (OWN | AFTER_EDGE));
        true
    }

    fn is(self, flag: u32) -> bool {
        self.len_and_flags & flag != 0
    }

    /// Its bytes, from the HTML or the text's own.
    fn bytes<'t>(self, html: &'t str, own: &'t str) -> &'t str {
        let from = if self.is(OWN) { own } else { html };
        let at = self.at as usize;
        from.get(at..at + self.len()).unwrap_or_default()
    }
}

/// How an event the Markdown stage writes counts in the readable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Text as written, or markup holding none.
    Text,
    /// Text no reader reads as the body's: a pull quote's (a repeat) or an
    /// image's description (an attribute).
    Unread,
    /// The edge of a block.
    Edge,
    /// The link around the `n`-th mention: its id is kept.
    MentionLink(usize),
    /// The words of the `n`-th mention.
    Mention(usize),
    /// HTML an author wrote (with `raw_html = "allow"`): its text counts,
    /// its tags do not.
    AuthorHtml,
}

/// A mention as a reader sees it where it stands: the id of its link, and
/// the sentence around it in three parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MentionText<'r> {
    pub anchor: &'r str,
    pub before: String,
    pub mention: String,
    pub after: String,
}

/// Where a mention is: its link's id in the HTML, and its words in the
/// readable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MentionPlace {
    anchor: Piece,
    words: (u32, u32),
}

/// Text read around a mention, with where its block edges are.
struct Window {
    text: String,
    /// Where in the whole text `text` starts and ends.
    from: usize,
    to: usize,
    /// Where in `text` block edges are (each a space).
    edges: Vec<usize>,
}

/// Longest part of a sentence kept on either side of a mention, in bytes;
/// beyond it the sentence is cut at a word, with an ellipsis.
const SIDE_LIMIT: usize = 160;

/// How far from a mention a sentence is read, in bytes: enough for
/// [`SIDE_LIMIT`] bytes of text after its whitespace is collapsed.
const READ_LIMIT: usize = 3 * SIDE_LIMIT;

impl MentionPlace {
    /// A mention whose link's id is `len` bytes long, not yet written.
    pub(crate) fn with_anchor(len: usize) -> Self {
        MentionPlace {
            anchor: Piece::new(0, len, 0).unwrap_or_default(),
            words: (0, 0),
        }
    }

    /// Notes that the link's id was written from byte `at` of the HTML.
    pub(crate) fn link(&mut self, at: usize) {
        self.anchor = Piece::new(at, self.anchor.len(), 0).unwrap_or_default();
    }

    pub(crate) fn set_words(&mut self, words: (u32, u32)) {
        self.words = words;
    }
}

impl Readable {
    /// Notes `text`, written into the HTML from byte `at`; gives the range
    /// of the readable text it takes.
    pub(crate) fn text(&mut self, text: &str, at: usize) -> (u32, u32) {
        // Escaped, the HTML does not hold it as it reads.
        if memchr::memchr3(b'&', b'<', b'>', text.as_bytes()).is_some() {
            return self.own_text(text);
        }
        self.push(at, text.len(), 0)
    }

    /// Notes `text` as text of its own: what the HTML does not hold as it reads.
    pub(crate) fn own_text(&mut self, text: &str) -> (u32, u32) {
        let at = self.own.len();
        self.own.push_str(text);
        self.push(at, text.len(), OWN)
    }

    /// Notes the edge of a block.
    pub(crate) fn edge(&mut self) {
        self.edge = !self.pieces.is_empty();
    }

    fn push(&mut self, at: usize, len: usize, flags: u32) -> (u32, u32) {
        let edge = std::mem::take(&mut self.edge);
        let start = self.len as usize + usize::from(edge);
        // Text written right after text of the same kind in one block (a
        // line's, then the break after it) is one piece.
        let grown = match self.pieces.last_mut() {
            Some(last) if !edge && last.is(OWN) == (flags == OWN) && last.end() == at => {
                last.grow(len)
            }
            _ => false,
        };
        if !grown {
            let flags = if edge { flags | AFTER_EDGE } else { flags };
            match Piece::new(at, len, flags) {
                Some(piece) => self.pieces.push(piece),
                // Beyond what an offset holds (4 GiB): not read.
                None => return (self.len, self.len),
            }
        }
        self.len = clamp(start + len);
        (clamp(start), self.len)
    }

    /// Notes HTML an author wrote: its text, without tags (a block's tag is an
    /// edge) and with its character references decoded.
    pub(crate) fn author_html(&mut self, html: &str) {
        let mut rest = html;
        while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
            self.author_text(&rest[..open]);
            let Some(close) = memchr::memchr(b'>', &rest.as_bytes()[open..]) else {
                return;
            };
            let name = rest[open + 1..open + close]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if is_block_tag(name.trim_matches('/')) {
                self.edge();
            }
            rest = &rest[open + close + 1..];
        }
        self.author_text(rest);
    }

    fn author_text(&mut self, text: &str) {
        if !text.is_empty() {
            self.own_text(&decode_references(text));
        }
    }

    /// The text, and the mentions' ids, as places only in `html`, copied to
    /// text of its own: for a body whose HTML is changed after it is written,
    /// which moves them.
    pub(crate) fn detach<'m>(
        &mut self,
        html: &str,
        places: impl Iterator<Item = &'m mut MentionPlace>,
    ) {
        let pieces = self.pieces.iter_mut().chain(places.map(|p| &mut p.anchor));
        for piece in pieces {
            if !piece.is(OWN) {
                let at = self.own.len();
                self.own.push_str(piece.bytes(html, ""));
                *piece = Piece::new(at, piece.len(), OWN | (piece.len_and_flags & AFTER_EDGE))
                    .unwrap_or_default();
            }
        }
    }

    /// The text with no room to grow: it is kept to the end of the build.
    pub(crate) fn shrink_to_fit(&mut self) {
        super::exact(&mut self.pieces);
        super::exact_text(&mut self.own);
    }

    /// The whole text, whitespace collapsed: what search indexes and shows.
    pub(crate) fn whole(&self, html: &str) -> String {
        let mut words = Words::with_capacity(self.len as usize);
        for piece in &self.pieces {
            if piece.is(AFTER_EDGE) {
                words.space = true;
            }
            words.push(piece.bytes(html, &self.own));
        }
        words.out
    }

    /// The mention at `place` with its sentence.
    pub(crate) fn mention<'r>(&'r self, html: &'r str, place: &MentionPlace) -> MentionText<'r> {
        let anchor = place.anchor.bytes(html, &self.own);
        let (start, end) = (place.words.0 as usize, place.words.1 as usize);
        // Only so much either side can be shown: a long block is not read
        // whole. The window reaches a byte further each way than is shown,
        // for an edge just there.
        let reach = start.saturating_sub(READ_LIMIT + 1);
        let window = self.window(html, reach..end + READ_LIMIT + 1);
        let text = window.text.as_str();
        let (start, end) = (start - window.from, end - window.from);
        let raw_before = match window.edges.iter().rev().find(|&&edge| edge < start) {
            Some(&edge) => &text[edge + 1..start],
            None if reach == 0 => &text[..start],
            // The block starts before the window: its last READ_LIMIT bytes,
            // from a word's start.
            None => {
                let mut cut = start.saturating_sub(READ_LIMIT);
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                text[cut..start]
                    .find(' ')
                    .map_or("", |space| &text[cut + space..start])
            }
        };
        let raw_after = match window.edges.iter().find(|&&edge| edge >= end) {
            Some(&edge) => &text[end..edge],
            None if window.to == self.len as usize => &text[end..],
            // The block ends after the window: its first READ_LIMIT bytes,
            // up to a word's end.
            None => {
                let mut cut = (end + READ_LIMIT).min(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let after = &text[end..cut];
                &after[..after.rfind(' ').unwrap_or(0)]
            }
        };
        // Only the sentence is kept, so only the sentence is tidied. Spaces
        // at the joins matter: "the [CQC] said" keeps both.
        let mut before = collapse_whitespace(sentence_start(raw_before));
        if raw_before.ends_with(char::is_whitespace) && !before.is_empty() {
            before.push(' ');
        }
        let mut after = collapse_whitespace(sentence_end(raw_after));
        if raw_after.starts_with(char::is_whitespace) && !after.is_empty() {
            after.insert(0, ' ');
        }
        MentionText {
            anchor,
            before: cut_start(before),
            mention: collapse_whitespace(&text[start..end]),
            after: cut_end(after),
        }
    }

    /// The text in `range` (its ends moved in to characters' edges), read in
    /// one pass, with where the block edges in it are.
    fn window(&self, html: &str, range: Range<usize>) -> Window {
        let mut window = Window {
            text: String::with_capacity(range.len()),
            from: range.start,
            to: range.start,
            edges: Vec::new(),
        };
        let mut at = 0;
        for piece in &self.pieces {
            if at >= range.end {
                break;
            }
            if piece.is(AFTER_EDGE) {
                if range.contains(&at) {
                    if window.text.is_empty() {
                        window.from = at;
                    }
                    window.edges.push(window.text.len());
                    window.text.push(' ');
                }
                at += 1;
            }
            // Offsets count each piece by the length `push` gave it, so a
            // piece before the range is passed without reading its bytes
            // (which would touch the HTML all the way to the mention).
            let len = piece.len();
            let (from, to) = (range.start.max(at), range.end.min(at + len));
            if from < to {
                let bytes = piece.bytes(html, &self.own);
                let (mut from, mut to) = ((from - at).min(bytes.len()), (to - at).min(bytes.len()));
                while !bytes.is_char_boundary(from) {
                    from += 1;
                }
                while !bytes.is_char_boundary(to) {
                    to -= 1;
                }
                if window.text.is_empty() {
                    window.from = at + from;
                }
                window
                    .text
                    .push_str(bytes.get(from..to).unwrap_or_default());
            }
            at += len;
        }
        window.to = at.min(range.end);
        window
    }
}

/// An offset in the text. A body of 4 GiB is far beyond any page (and
/// beyond memory); its text past that point is not found.
fn clamp(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// `text` with each run of whitespace made one space and none at either end.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut words = Words::with_capacity(text.len());
    words.push(text);
    words.out
}

/// Text written word by word, each run of whitespace one space and none at
/// either end, as `split_whitespace` and a join would give; a word or
/// whitespace may run on from one piece into the next. Every body's text goes
/// through here, so stretches of words and single spaces are copied whole and
/// ASCII is judged eight bytes at a time: splitting word by word with
/// `split_whitespace` cost 5.2% more instructions for the whole build
/// (callgrind, 2,000 articles, one thread).
struct Words {
    out: String,
    /// Whether whitespace came since the last word.
    space: bool,
}

impl Words {
    fn with_capacity(capacity: usize) -> Self {
        Words {
            out: String::with_capacity(capacity),
            space: false,
        }
    }

    fn push(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        loop {
            // Past the whitespace before the next stretch.
            let start = skip_whitespace(text, i);
            if start > i {
                self.space = true;
            }
            if start == bytes.len() {
                return;
            }
            // A stretch runs on over words that single plain spaces separate,
            // which is most of a body: it is copied whole, not word by word.
            i = start;
            while i < bytes.len() {
                let plain = plain_bytes_at(bytes, i);
                if plain > 0 {
                    i += plain;
                    continue;
                }
                if bytes[i] == b' ' {
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
            self.words(&text[start..i]);
        }
    }

    /// Appends a word (or the rest of one), after a space if whitespace came
    /// before it.
    fn words(&mut self, words: &str) {
        if std::mem::take(&mut self.space) && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(words);
    }
}

/// Where the whitespace starting at byte `i` (a char boundary) ends: `i`
/// itself when none starts there.
fn skip_whitespace(text: &str, mut i: usize) -> usize {
    while let Some(width) = (i < text.len()).then(|| whitespace_at(text, i)).flatten() {
        i += width;
    }
    i
}

/// The width of the character at byte `i` (a char boundary), if it is not
/// whitespace; ASCII is judged by its byte.
fn non_space_at(text: &str, i: usize) -> Option<usize> {
    let byte = *text.as_bytes().get(i)?;
    if byte < 0x80 {
        (!is_ascii_space(byte)).then_some(1)
    } else if whitespace_at(text, i).is_some() {
        None
    } else {
        text[i..].chars().next().map(char::len_utf8)
    }
}

/// How many of the eight bytes from `i` certainly go on a stretch as they
/// are: printable ASCII, or a space before printable ASCII. Eight bytes are
/// tested at once (and the byte after them). 0 where fewer than nine bytes
/// are left, or where the first byte needs a closer look.
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

/// The ASCII whitespace characters, as `char::is_whitespace` has them
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

/// The end of `text` from the start of its last sentence.
fn sentence_start(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i].is_ascii_whitespace() && i > 0 && ends_a_sentence(&text[..i]) {
            return &text[i + 1..];
        }
    }
    text
}

/// The start of `text` up to the end of its first sentence.
fn sentence_end(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        if byte.is_ascii_whitespace() && at > 0 && ends_a_sentence(&text[..at]) {
            return &text[..at];
        }
    }
    text
}

/// Whether text (valid UTF-8) ends a sentence: `.`, `!`, `?` or `…`, then
/// any closing quotes or brackets (`"` `'` `’` `”` `)` `]`).
fn ends_a_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '’', '”', ')', ']'])
        .ends_with(['.', '!', '?', '…'])
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

/// Tags that start or end a block, as HTML renders them.
fn is_block_tag(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
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

/// `text` with the character references HTML's own syntax needs decoded,
/// and numeric ones; others are left as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 8).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
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
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A readable text written as the Markdown stage writes one: pieces of
    /// text into HTML, with markup between them.
    fn written(parts: &[(&str, bool)]) -> (Readable, String) {
        let mut readable = Readable::default();
        let mut html = String::new();
        for &(part, is_text) in parts {
            if is_text {
                readable.text(part, html.len());
                html.push_str(&part.replace('&', "&amp;"));
                continue;
            }
            if part.starts_with("<p") || part.starts_with("</p") {
                readable.edge();
            }
            html.push_str(part);
        }
        (readable, html)
    }

    #[test]
    fn text_is_read_from_its_places_in_the_html() {
        let (readable, html) = written(&[
            ("<p>", false),
            ("One ", true),
            ("\n", true),
            ("two ", true),
            ("<em>", false),
            ("three", true),
            ("</em>", false),
            ("</p>", false),
            ("<p>", false),
            ("Four & five", true),
            ("</p>", false),
        ]);
        assert_eq!(readable.whole(&html), "One two three Four & five");
        // Text written right after text is one piece; escaped text is its own.
        assert_eq!(readable.pieces.len(), 3);
        assert_eq!(readable.own, "Four & five");
    }

    #[test]
    fn text_moved_into_its_own_reads_the_same_from_changed_html() {
        let (mut readable, html) = written(&[
            ("<p>", false),
            ("Caf\u{e9} ", true),
            ("</p>", false),
            ("<p>", false),
            ("au lait", true),
            ("</p>", false),
        ]);
        let mut place = MentionPlace::with_anchor(2);
        place.link(3);
        readable.detach(&html, std::iter::once(&mut place));
        let changed = html.replace("p>", "div>");
        assert_eq!(readable.whole(&changed), "Caf\u{e9} au lait");
        assert_eq!(place.anchor.bytes(&changed, &readable.own), "Ca");
    }

    #[test]
    fn a_window_cut_inside_a_character_moves_to_its_edge() {
        let text = "\u{e9}".repeat(400);
        let (readable, html) = written(&[("<p>", false), (&text, true), ("</p>", false)]);
        assert_eq!(readable.window(&html, 1..5).text, "\u{e9}");
        assert_eq!(readable.window(&html, 1..5).from, 2);
        assert_eq!(readable.window(&html, 0..799).text.len(), 798);
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
        // Every kind of byte a stretch must stop at, in many orders (a
        // fixed-seed generator), also split into pieces at random places.
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
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..2000 {
            let parts: Vec<&str> = (0..40).map(|_| alphabet[next(alphabet.len())]).collect();
            let text = parts.concat();
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(&text), expected, "{text:?}");
            let mut words = Words::with_capacity(0);
            let cut = next(parts.len());
            words.push(&parts[..cut].concat());
            words.push(&parts[cut..].concat());
            assert_eq!(words.out, expected, "{text:?} cut at {cut}");
        }
    }

    #[test]
    fn a_sentence_ends_at_a_stop_and_any_closing_marks() {
        for (text, ends) in [
            ("Done.", true),
            ("Really?", true),
            ("Wow!", true),
            ("And so…", true),
            ("He said “no.”", true),
            ("(As before.)", true),
            ("'Yes.'", true),
            ("No stop", false),
            ("Dr", false),
            ("a.b", false),
            ("“Open", false),
            ("", false),
        ] {
            assert_eq!(ends_a_sentence(text), ends, "{text:?}");
        }
    }

    #[test]
    fn references_in_an_authors_html_are_decoded() {
        assert_eq!(
            decode_references("a &amp; b &lt;c&gt; &#65;&#x42; &nbsp;&unknown; & d"),
            "a & b <c> AB \u{a0}&unknown; & d"
        );
    }
}
