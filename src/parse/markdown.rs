//! Markdown: takes a document body and gives its HTML (links rewritten to URLs,
//! headings given ids, code highlighted, raw HTML escaped unless allowed) plus
//! what later stages need: headings, internal links to check, mentions of
//! entities (the first of each linked to its page), summary text and word
//! count. Problems are returned at their `path:line:col` in the whole file.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html,
};

use crate::config::RawHtml;
use crate::control;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};
use crate::highlight::Highlighter;
use crate::parse::entities::{Entities, EntityId, PatternId};
use crate::parse::readable::{MentionPlace, MentionText, Readable, Reading};
use crate::parse::{exact, exact_text};
use crate::slug::slugify;
use crate::urls;

/// Ids the default theme's templates use; headings never take them, so a heading
/// called "Contents" cannot clash with the page's own table of contents.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "contents",
    "backlinks",
    "related",
    "in-themes",
    "mentioned",
    "footnotes",
    "site-nav",
    "search",
];

/// How the link of a mention opens, up to its id.
const MENTION_LINK: &str = "<a class=\"mention\" id=\"";

/// Marks a blockquote as a pull quote, in the style of GitHub and Obsidian callouts.
const PULL_QUOTE_MARKER: &str = "[!pullquote]";

/// Everything rendering one document needs to know.
pub struct Input<'a> {
    /// Path of the file relative to the site root, for diagnostics.
    pub path: &'a str,
    /// Path of the file relative to `content/`, for resolving relative links.
    pub content_path: &'a str,
    /// The whole file, so positions count from its first line.
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub body_offset: usize,
    pub raw_html: RawHtml,
    /// The base path root-relative URLs start with, e.g. `/` or `/blog/`.
    pub base_path: &'a str,
    pub highlighter: &'a Highlighter,
    /// The entities whose mentions are linked.
    pub entities: &'a Entities,
}

/// A heading of the document, with the id its anchor links use.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Heading {
    pub(crate) level: u8,
    pub id: String,
    pub text: String,
}

/// What an internal link points at, to be checked once every file is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum LinkTarget {
    /// Another Markdown document, by content path.
    Document(String),
    /// A non-Markdown file under `content/`, by content path.
    Asset(String),
    /// Whatever the site serves at a root-relative URL (`/about/`,
    /// `/atom.xml`), percent-decoded and without its query: checked once
    /// every output path is known.
    Root(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    pub(crate) target: LinkTarget,
    pub(crate) anchor: Option<String>,
    pub position: Position,
}

/// A rendered document body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Plain text of the first top-level paragraph: the default summary.
    pub(crate) first_paragraph: String,
    pub(crate) word_count: usize,
    /// Whether there is a code block, so pages without one need not load its stylesheet.
    pub(crate) has_code: bool,
    /// The first mention of each entity, in the order they come.
    pub mentions: Vec<Mention>,
    /// Every pattern that matched somewhere in the text, sorted.
    pub(crate) matched_patterns: Vec<PatternId>,
    /// The text as a reader reads it, as places in `html`.
    pub(crate) readable: Readable,
}

impl Rendered {
    /// The whole text as a reader reads it: what search indexes and shows.
    pub fn text(&self) -> String {
        self.readable.whole(&self.html)
    }

    /// A mention of this body, with its sentence.
    pub fn mention_text(&self, mention: &Mention) -> MentionText<'_> {
        self.readable.mention(&self.html, &mention.place)
    }
}

/// An entity as the text mentions it. The first mention is linked to the
/// entity's page; where it is in the readable text is kept rather than its
/// sentence, which the entity's page cuts when it needs it, so a large site
/// does not hold every sentence twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mention {
    pub entity: EntityId,
    /// How many times the text mentions it.
    pub count: usize,
    /// Where the first mention is.
    pub(crate) place: MentionPlace,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Renders a document body. Never fails: problems are reported and the HTML is
/// still made, so one run can report every problem in every file.
pub fn render(input: &Input) -> (Rendered, Vec<Diagnostic>) {
    let body = &input.text[input.body_offset..];
    if let Some(problem) = too_deep(input, body) {
        return (Rendered::default(), vec![problem]);
    }
    let mut events = Events {
        source: Parser::new_ext(body, options()).into_offset_iter(),
        ahead: VecDeque::new(),
        controls: None,
    };
    let mut renderer = Renderer {
        input,
        out: VecDeque::new(),
        images: 0,
        rendered: Rendered::default(),
        problems: Vec::new(),
        used_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        next_suffix: HashMap::default(),
        blockquotes: Vec::new(),
        pull_quotes: 0,
        last_position: (0, Position::START),
        depth: 0,
        first_paragraph_done: false,
        in_word: false,
        warned_about_html: false,
        highlighted: 0,
        finding: Finding::new(input.entities),
        footnote_ids: Default::default(),
        footnotes_defined: HashSet::new(),
    };
    // The transformed events stream straight into the HTML writer: nothing
    // holds a whole document's events at once. Highlighted code makes HTML
    // three or four times its Markdown: room for that is reserved at once,
    // as a buffer doubled as it fills is copied each time, and a large
    // body's copies (tens of megabytes) stay in the allocator's hands after.
    // A large buffer's room never written to is never touched, so takes no
    // memory; what is left is given back below.
    let mut html = String::with_capacity(4 * body.len());
    let written = Cell::new(0);
    let _infallible = html::write_html_fmt(
        Counted {
            html: &mut html,
            written: &written,
        },
        Stream {
            renderer: &mut renderer,
            events: &mut events,
            done: false,
            written: &written,
        },
    );
    if let Some(at) = events.controls {
        let position = renderer.position(at);
        renderer.problems.push(Diagnostic::warning(
            Code::ContentControlCharacter,
            input.path,
            position,
            "a character reference here stands for a control character, which no page may carry; it was replaced by U+FFFD",
        ));
    }
    // Whatever made it (an attribute, a reference the parser decoded), a
    // control character never reaches a page: the events above replace the
    // ones known; this is the guard for any other.
    if let std::borrow::Cow::Owned(clean) = control::replace(&html) {
        // The readable text is places in the HTML as written, which this moves.
        let places = renderer.rendered.mentions.iter_mut().map(|m| &mut m.place);
        renderer.rendered.readable.detach(&html, places);
        html = clean;
    }
    renderer.finding.matched.sort_unstable();
    renderer.finding.matched.dedup();
    renderer.rendered.matched_patterns = std::mem::take(&mut renderer.finding.matched);
    // Bodies are kept until every page is rendered: keep no slack.
    let rendered = &mut renderer.rendered;
    rendered.readable.shrink_to_fit();
    exact(&mut rendered.mentions);
    exact(&mut rendered.links);
    exact(&mut rendered.headings);
    exact(&mut rendered.matched_patterns);
    exact_text(&mut html);
    rendered.html = html;
    (renderer.rendered, renderer.problems)
}

/// The most code of one document that is highlighted, in bytes. syntect reads
/// about 1.5 MB of code a second, on one thread for one document, and its
/// HTML is five or six times the code: a document holding 20 MB of code took
/// 15 s and 2.4 GB. Code past it is shown plain, escaped in the same frame.
const HIGHLIGHT_BUDGET: usize = 2 << 20;

/// How much reading nested Markdown may cost, in levels of nesting summed
/// over lines, per byte of the body: see [`too_deep`].
const NESTING_WORK_PER_BYTE: usize = 16;

/// An error if the body holds text nested so deep, over so many lines, that
/// pulldown-cmark would take quadratic time to read it. Its first pass reads
/// each line through every open blockquote and list item: `scan_containers`
/// walks the whole stack of open containers even past the first one a line
/// does not continue, so text that runs on lazily, line after line, 40,000
/// quotes deep takes 40,000 steps a line (seconds for a megabyte). A
/// line's depth is bounded from above by its own markers and indentation,
/// and carried on through the lines of text after it (which may continue its
/// paragraph lazily); the sum over the lines may be at most
/// [`NESTING_WORK_PER_BYTE`] times the body's length. Real writing, a few
/// levels deep, is far from it; so are 10,000 quotes nested on one line.
fn too_deep(input: &Input, body: &str) -> Option<Diagnostic> {
    let budget = NESTING_WORK_PER_BYTE * body.len().max(4096);
    let (mut work, mut carried, mut deepest_at, mut lines) = (0_usize, 0, 0, 0);
    let mut line_start = 0;
    for line in body.split('\n') {
        let (own, blank) = container_depth(line.as_bytes());
        if blank || own >= carried {
            carried = own;
            deepest_at = line_start;
            lines = 0;
        }
        lines += 1;
        work += carried;
        if work > budget {
            let position = input
                .lines
                .position(input.text, input.body_offset + deepest_at);
            return Some(Diagnostic::error(
                Code::MarkdownTooDeep,
                input.path,
                position,
                format!(
                    "text nested {carried} levels deep in blockquotes and lists runs on for over \
                     {lines} lines, which would take too long to read (every line is read \
                     through every level); nest it less deeply, or end it sooner with a blank line"
                ),
            ));
        }
        line_start += line.len() + 1;
    }
    None
}

/// How many blockquotes and list items a line can be inside, at most: its
/// `>` and list markers, and a level for every two columns of indentation
/// (a nested item is indented under its parent's text); and whether the
/// line has nothing after them.
fn container_depth(line: &[u8]) -> (usize, bool) {
    let (mut depth, mut columns, mut i) = (0, 0, 0);
    let ends_marker = |at: usize| matches!(line.get(at), None | Some(b' ' | b'\t' | b'\r'));
    while let Some(&byte) = line.get(i) {
        let marker = match byte {
            b' ' => {
                columns += 1;
                i += 1;
                continue;
            }
            b'\t' => {
                columns += 4;
                i += 1;
                continue;
            }
            b'>' => 1,
            b'-' | b'+' | b'*' | b':' if ends_marker(i + 1) => 1,
            b'0'..=b'9' => {
                let digits = line[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let delimited = matches!(line.get(i + digits), Some(b'.' | b')'));
                if digits <= 9 && delimited && ends_marker(i + digits + 1) {
                    digits + 1
                } else {
                    break;
                }
            }
            _ => break,
        };
        depth += 1 + columns / 2;
        columns = 0;
        i += marker;
    }
    let blank = line[i..].iter().all(u8::is_ascii_whitespace);
    (depth + columns / 2, blank)
}

/// The renderer as an iterator of output events: each input event is turned
/// into the output events it stands for, which are handed on one by one.
struct Stream<'r, 'i, 'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    renderer: &'r mut Renderer<'i, 'a>,
    events: &'r mut Events<'a, I>,
    /// Whether the input is used up and the renderer has let go of what it held.
    done: bool,
    /// How much HTML is written: all of it for the events handed on so far,
    /// as the writer asks for the next event only when done with the last.
    written: &'r Cell<usize>,
}

/// The HTML being written, and how much of it there is, for the stream to see.
struct Counted<'w> {
    html: &'w mut String,
    written: &'w Cell<usize>,
}

impl std::fmt::Write for Counted<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Stream<'_, '_, 'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some((event, reading)) = self.renderer.out.pop_front() {
                self.renderer.read(&event, reading, self.written.get());
                return Some(event);
            }
            if self.done {
                return None;
            }
            if !self.renderer.step(self.events) {
                self.renderer.flush_text();
                self.done = true;
            }
        }
    }
}

struct Renderer<'i, 'a> {
    input: &'i Input<'i>,
    /// Output events made but not yet handed on, with how each reads.
    out: VecDeque<(Event<'a>, Reading)>,
    /// Depth of images being written: their text is a description, not read.
    images: usize,
    rendered: Rendered,
    problems: Vec<Diagnostic>,
    /// Asked of every heading and first mention: hashed with ahash.
    used_ids: HashSet<String, ahash::RandomState>,
    /// For each id wanted again, the number to try next after it: `intro-1`
    /// first, then on from the last one taken, so that ten thousand
    /// headings called "Intro" are not each checked against all before.
    next_suffix: HashMap<String, usize, ahash::RandomState>,
    /// For each open blockquote, whether it is a pull quote (closed by `</aside>`).
    blockquotes: Vec<bool>,
    /// How many of the open blockquotes are pull quotes, asked of every piece
    /// of text: counted, not searched for among thousands of nested quotes.
    pull_quotes: usize,
    /// The last position found (offset in the whole file, position): links
    /// come in order, and a column is counted on from the one before it.
    last_position: (usize, Position),
    /// Nesting depth of block containers; 0 means top level.
    depth: usize,
    first_paragraph_done: bool,
    /// Whether the text so far ends inside a word: `[a link](x).` is one
    /// word, though its text comes in two events.
    in_word: bool,
    warned_about_html: bool,
    /// Bytes of code highlighted so far, against [`HIGHLIGHT_BUDGET`].
    highlighted: usize,
    finding: Finding<'i>,
    /// Each footnote's label and the id it is given.
    footnote_ids: std::collections::HashMap<String, String>,
    /// The labels of the footnotes defined so far.
    footnotes_defined: HashSet<String>,
}

/// What finding mentions needs as the events go by. Text is held back while it
/// runs on, so that a name split over several text events (the parser splits at
/// line breaks, escapes and brackets) is still found.
struct Finding<'e> {
    entities: &'e Entities,
    /// Text not yet handed on, which mentions may be found in.
    run: String,
    /// For each entity, its index in the mentions once it is mentioned.
    seen: Vec<Option<usize>>,
    matched: Vec<PatternId>,
    /// Depth of links and images being read: their text is never a mention.
    link_depth: usize,
    in_heading: bool,
}

impl<'e> Finding<'e> {
    fn new(entities: &'e Entities) -> Self {
        Finding {
            entities,
            run: String::new(),
            seen: vec![None; entities.list.len()],
            matched: Vec::new(),
            link_depth: 0,
            in_heading: false,
        }
    }
}

impl<'a> Renderer<'_, 'a> {
    /// Whether text here may hold a mention: not in a link, an image, a
    /// heading or a pull quote (which repeats the text and is hidden from
    /// assistive technology, so must hold no links).
    fn finds_mentions(&self) -> bool {
        !self.finding.entities.is_empty()
            && self.finding.link_depth == 0
            && !self.finding.in_heading
            && self.pull_quotes == 0
    }

    /// Hands on the held-back text, with the first mention of each entity in
    /// it linked to the entity's page.
    fn flush_text(&mut self) {
        if self.finding.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.finding.run);
        // Line breaks inside a name still make the name.
        let haystack = if run.contains('\n') {
            Cow::Owned(run.replace('\n', " "))
        } else {
            Cow::Borrowed(run.as_str())
        };
        let entities = self.finding.entities;
        let mut handed_on = 0;
        for found in entities.find(&haystack) {
            self.finding.matched.push(found.pattern);
            let entity_id = entities.patterns[found.pattern].entity;
            if let Some(index) = self.finding.seen[entity_id] {
                self.rendered.mentions[index].count += 1;
                continue;
            }
            let entity = &entities.list[entity_id];
            let anchor = self.unique_id(["mention-", &entity.slug].concat());
            let written = &run[found.start..found.end];
            // The opening tag is pushed piece by piece into one buffer: it is
            // made for every first mention of an entity in every article.
            let url = urls::under(self.input.base_path, &entity.site_path);
            let mut link = String::with_capacity(64 + anchor.len() + url.len());
            link.push_str(MENTION_LINK);
            link.push_str(&anchor);
            link.push_str("\" href=\"");
            link.push_str(&url);
            link.push('"');
            if !same_words(written, &entity.name) {
                link.push_str(" title=\"");
                let _ = pulldown_cmark_escape::escape_html(&mut link, &entity.name);
                link.push('"');
            }
            link.push('>');
            if found.start > handed_on {
                self.emit(Event::Text(run[handed_on..found.start].to_string().into()));
            }
            let index = self.rendered.mentions.len();
            self.emit_as(Event::Html(link.into()), Reading::MentionLink(index));
            self.emit_as(
                Event::Text(written.to_string().into()),
                Reading::Mention(index),
            );
            self.emit_as(Event::Html("</a>".into()), Reading::Text);
            handed_on = found.end;
            self.finding.seen[entity_id] = Some(index);
            self.rendered.mentions.push(Mention {
                entity: entity_id,
                count: 1,
                place: MentionPlace::with_anchor(anchor.len()),
            });
        }
        if handed_on < run.len() {
            let rest = if handed_on == 0 {
                run
            } else {
                run[handed_on..].to_string()
            };
            self.emit(Event::Text(rest.into()));
        }
    }

    /// Hands on an event, read as its kind and the place it stands say.
    fn emit(&mut self, event: Event<'a>) {
        let hidden = self.pull_quotes > 0 || self.images > 0;
        let reading = match &event {
            Event::Text(_) | Event::Code(_) | Event::SoftBreak if hidden => Reading::Unread,
            Event::Html(_) | Event::InlineHtml(_) if hidden => Reading::Unread,
            Event::Html(_) | Event::InlineHtml(_) => Reading::AuthorHtml,
            Event::HardBreak | Event::Rule => Reading::Edge,
            Event::Start(tag) if is_block(&tag.to_end()) => Reading::Edge,
            Event::End(tag) if is_block(tag) => Reading::Edge,
            _ => Reading::Text,
        };
        match &event {
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            _ => {}
        }
        self.out.push_back((event, reading));
    }

    /// Hands on an event the renderer made, read as `reading`.
    fn emit_as(&mut self, event: Event<'a>, reading: Reading) {
        self.out.push_back((event, reading));
    }

    /// Notes what `event`, its HTML written from byte `at`, adds to the
    /// readable text.
    fn read(&mut self, event: &Event<'a>, reading: Reading, at: usize) {
        let readable = &mut self.rendered.readable;
        match (reading, event) {
            (Reading::Edge, _) => readable.edge(),
            (Reading::AuthorHtml, Event::Html(html) | Event::InlineHtml(html)) => {
                readable.author_html(html);
            }
            (Reading::Text, Event::Text(text)) => {
                readable.text(text, at);
            }
            // Written inside `<code>`; short, and rare in prose.
            (Reading::Text, Event::Code(code)) => {
                readable.own_text(code);
            }
            (Reading::Text, Event::SoftBreak) => {
                readable.text("\n", at);
            }
            (Reading::MentionLink(index), _) => {
                if let Some(mention) = self.rendered.mentions.get_mut(index) {
                    mention.place.link(at + MENTION_LINK.len());
                }
            }
            (Reading::Mention(index), Event::Text(text)) => {
                let words = readable.text(text, at);
                if let Some(mention) = self.rendered.mentions.get_mut(index) {
                    mention.place.set_words(words);
                }
            }
            _ => {}
        }
    }

    fn position(&mut self, body_offset: usize) -> Position {
        let offset = self.input.body_offset + body_offset;
        let position = self
            .input
            .lines
            .position_after(self.input.text, offset, self.last_position);
        self.last_position = (offset, position);
        position
    }

    fn error(&mut self, code: Code, at: usize, message: String) {
        let position = self.position(at);
        self.problems
            .push(Diagnostic::error(code, self.input.path, position, message));
    }

    /// Turns the next input event (and any it needs to look at) into output
    /// events; false when the input is done.
    fn step(
        &mut self,
        events: &mut Events<'a, impl Iterator<Item = (Event<'a>, Range<usize>)>>,
    ) -> bool {
        let Some((event, range)) = events.next() else {
            return false;
        };
        if separates_words(&event) {
            self.in_word = false;
        }
        if !matches!(event, Event::Text(_) | Event::SoftBreak) {
            self.flush_text();
        }
        {
            match event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let mut inner = Vec::new();
                    while let Some((event, range)) = events.next() {
                        if matches!(event, Event::End(TagEnd::Heading(_))) {
                            break;
                        }
                        inner.push((event, range));
                    }
                    self.heading(level, id, classes, attrs, inner, range.start);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    while let Some((event, _)) = events.next() {
                        match event {
                            Event::Text(text) => code.push_str(&text),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    let language = match &kind {
                        CodeBlockKind::Fenced(info) => info
                            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                            .next()
                            .filter(|l| !l.is_empty()),
                        CodeBlockKind::Indented => None,
                    };
                    if let Some(language) = language
                        && !is_plain_text(language)
                        && !self.input.highlighter.knows(language)
                    {
                        let position = self.position(range.start);
                        self.problems.push(Diagnostic::warning(
                            Code::MarkdownUnknownLanguage,
                            self.input.path,
                            position,
                            format!(
                                "the code block's language {language:?} is not one the highlighter knows, so it is shown as plain text; name a known one (rust, toml, yaml, sh…) or `text`"
                            ),
                        ));
                    }
                    let language = language.filter(|_| self.may_highlight(code.len(), range.start));
                    let highlighted = self.input.highlighter.highlight(&code, language);
                    self.rendered.has_code = true;
                    self.emit_as(Event::Html(highlighted.into()), Reading::Edge);
                }
                Event::Start(Tag::Paragraph) if self.depth == 0 && !self.first_paragraph_done => {
                    self.first_paragraph_done = true;
                    self.emit(Event::Start(Tag::Paragraph));
                    let mut text = String::new();
                    while let Some((event, range)) = events.next() {
                        let end = matches!(event, Event::End(TagEnd::Paragraph));
                        if let Event::Text(t) | Event::Code(t) = &event {
                            text.push_str(t);
                        } else if matches!(event, Event::SoftBreak | Event::HardBreak) {
                            text.push(' ');
                        }
                        self.inline(event, range);
                        if end {
                            break;
                        }
                    }
                    self.rendered.first_paragraph =
                        text.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    self.depth += 1;
                    let pull_quote = kind.is_none() && take_pull_quote_marker(events);
                    self.blockquotes.push(pull_quote);
                    self.pull_quotes += usize::from(pull_quote);
                    if pull_quote {
                        self.emit_as(
                            Event::Html(
                                "<aside class=\"pull-quote\" aria-hidden=\"true\">\n".into(),
                            ),
                            Reading::Edge,
                        );
                    } else {
                        self.emit(Event::Start(Tag::BlockQuote(kind)));
                    }
                }
                Event::End(TagEnd::BlockQuote(kind)) => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.blockquotes.pop() == Some(true) {
                        self.pull_quotes -= 1;
                        self.emit_as(Event::Html("</aside>\n".into()), Reading::Edge);
                    } else {
                        self.emit(Event::End(TagEnd::BlockQuote(kind)));
                    }
                }
                Event::Start(Tag::Table(alignments)) => {
                    self.depth += 1;
                    // Wide tables scroll inside their own box on a phone; the box
                    // is focusable so keyboard users can scroll it too.
                    self.emit_as(
                        Event::Html(
                            "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n"
                                .into(),
                        ),
                        Reading::Edge,
                    );
                    self.emit(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.emit(Event::End(TagEnd::Table));
                    self.emit_as(Event::Html("</div>\n".into()), Reading::Edge);
                }
                Event::Start(Tag::HtmlBlock) if self.input.raw_html == RawHtml::Escape => {
                    let mut raw = String::new();
                    while let Some((event, _)) = events.next() {
                        match event {
                            Event::Html(text) => raw.push_str(&text),
                            Event::End(TagEnd::HtmlBlock) => break,
                            _ => {}
                        }
                    }
                    self.escaped_html_block(raw, range.start);
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.depth += 1;
                    let id = if self.footnotes_defined.insert(label.to_string()) {
                        self.footnote_id(&label)
                    } else {
                        // A second definition of one label: its own id, so
                        // that no id is on the page twice; references go to
                        // the first.
                        let position = self.position(range.start);
                        self.problems.push(Diagnostic::warning(
                            Code::MarkdownDuplicateFootnote,
                            self.input.path,
                            position,
                            format!("footnote [^{label}] is defined twice; its references go to the first"),
                        ));
                        self.unique_id(format!("fn-{}", slugify(&label)))
                    };
                    self.emit(Event::Start(Tag::FootnoteDefinition(id.into())));
                }
                Event::Start(tag @ (Tag::List(_) | Tag::Item | Tag::DefinitionList)) => {
                    self.depth += 1;
                    self.emit(Event::Start(tag));
                }
                Event::End(
                    tag @ (TagEnd::List(_)
                    | TagEnd::Item
                    | TagEnd::FootnoteDefinition
                    | TagEnd::DefinitionList),
                ) => {
                    self.depth = self.depth.saturating_sub(1);
                    self.emit(Event::End(tag));
                }
                other => self.inline(other, range),
            }
        }
        true
    }

    /// Events that need no look-ahead: text, links, images and inline HTML.
    fn inline(&mut self, event: Event<'a>, range: Range<usize>) {
        match &event {
            Event::Text(_) => {}
            Event::SoftBreak if !self.finding.run.is_empty() && self.finds_mentions() => {}
            _ => self.flush_text(),
        }
        match event {
            Event::Text(text) => {
                self.rendered.word_count += count_words(&text, &mut self.in_word);
                if self.finds_mentions() {
                    self.finding.run.push_str(&text);
                } else {
                    self.emit(Event::Text(text));
                }
            }
            Event::SoftBreak if !self.finding.run.is_empty() && self.finds_mentions() => {
                self.finding.run.push('\n');
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.finding.link_depth = self.finding.link_depth.saturating_sub(1);
                self.emit(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link_destination(link_type, dest_url, range.start);
                self.finding.link_depth += 1;
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link_destination(link_type, dest_url, range.start);
                self.finding.link_depth += 1;
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::FootnoteReference(label) => {
                let id = self.footnote_id(&label);
                self.emit(Event::FootnoteReference(id.into()));
            }
            Event::InlineHtml(raw) if self.input.raw_html == RawHtml::Escape => {
                if !is_html_comment(&raw) {
                    self.warn_about_html(range.start);
                    self.emit(Event::Text(raw));
                }
            }
            other => self.emit(other),
        }
    }

    fn escaped_html_block(&mut self, raw: String, at: usize) {
        if is_html_comment(&raw) {
            return;
        }
        self.warn_about_html(at);
        self.emit(Event::Start(Tag::Paragraph));
        self.emit(Event::Text(raw.trim_end().to_string().into()));
        self.emit(Event::End(TagEnd::Paragraph));
    }

    /// Whether `bytes` more code may be highlighted; the first time not, a
    /// warning at the code block.
    fn may_highlight(&mut self, bytes: usize, at: usize) -> bool {
        if self.highlighted + bytes <= HIGHLIGHT_BUDGET {
            self.highlighted += bytes;
            return true;
        }
        if self.highlighted <= HIGHLIGHT_BUDGET {
            // Past the budget for good: it warns once.
            self.highlighted = HIGHLIGHT_BUDGET + 1;
            let position = self.position(at);
            self.problems.push(Diagnostic::warning(
                Code::MarkdownHighlightLimit,
                self.input.path,
                position,
                format!(
                    "code from here on is shown without highlighting: only the first {} MiB of \
                     code in a document are highlighted",
                    HIGHLIGHT_BUDGET >> 20
                ),
            ));
        }
        false
    }

    fn warn_about_html(&mut self, at: usize) {
        if !self.warned_about_html {
            self.warned_about_html = true;
            let position = self.position(at);
            self.problems.push(Diagnostic::warning(
                Code::MarkdownRawHtml,
                self.input.path,
                position,
                "raw HTML is shown as text; set raw_html = \"allow\" under [markdown] in site.toml to render it",
            ));
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        inner: Vec<(Event<'a>, Range<usize>)>,
        at: usize,
    ) {
        // `{onfocus=…}` after a heading would put a script in the page: with
        // raw HTML escaped, only the id and classes are kept.
        let attrs = if self.input.raw_html == RawHtml::Escape && !attrs.is_empty() {
            let names: Vec<&str> = attrs.iter().map(|(name, _)| name.as_ref()).collect();
            let position = self.position(at);
            self.problems.push(Diagnostic::warning(
                Code::MarkdownHeadingAttributes,
                self.input.path,
                position,
                format!(
                    "the heading's attributes {} are left out: only an id (#…) and classes (.…) are kept unless raw_html = \"allow\"",
                    names.join(", ")
                ),
            ));
            Vec::new()
        } else {
            attrs
        };
        let text: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                Event::SoftBreak | Event::HardBreak => Some(" "),
                _ => None,
            })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let wanted = explicit_id.map_or_else(|| slugify(&text), |id| id.to_string());
        let id = self.unique_id(if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted
        });
        let level_number = heading_level_number(level);
        self.rendered.headings.push(Heading {
            level: level_number,
            id: id.clone(),
            text,
        });
        self.emit(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes,
            attrs,
        }));
        self.finding.in_heading = true;
        for (event, range) in inner {
            self.inline(event, range);
        }
        self.flush_text();
        self.finding.in_heading = false;
        self.emit(Event::End(TagEnd::Heading(level)));
    }

    /// The id of a footnote, the same for its references and its text: made
    /// unique among the page's ids like a heading's, so that a footnote
    /// called `main` or `intro` cannot take the theme's or a heading's id.
    fn footnote_id(&mut self, label: &str) -> String {
        if let Some(id) = self.footnote_ids.get(label) {
            return id.clone();
        }
        let id = self.unique_id(format!("fn-{}", slugify(label)));
        self.footnote_ids.insert(label.to_string(), id.clone());
        id
    }

    /// `wanted`, or if it is taken `wanted-1`, `wanted-2`… the first not
    /// taken. Ids are never given back, so the numbers below the last one
    /// tried for `wanted` stay taken, and the next try starts after it.
    fn unique_id(&mut self, wanted: String) -> String {
        if !self.used_ids.contains(&wanted) {
            self.used_ids.insert(wanted.clone());
            return wanted;
        }
        let mut next = self.next_suffix.get(&wanted).copied().unwrap_or(1);
        let id = loop {
            let id = format!("{wanted}-{next}");
            next += 1;
            if !self.used_ids.contains(&id) {
                break id;
            }
        };
        self.used_ids.insert(id.clone());
        self.next_suffix.insert(wanted, next);
        id
    }

    /// Checks a link or image destination and gives the URL to write in its place.
    fn link_destination(&mut self, link_type: LinkType, dest: CowStr<'a>, at: usize) -> CowStr<'a> {
        if matches!(link_type, LinkType::Email) {
            return dest;
        }
        match classify(&dest) {
            Destination::Forbidden(scheme) => {
                self.error(
                    Code::LinkForbiddenScheme,
                    at,
                    format!(
                        "link target {:?} uses the {scheme}: scheme, which is not allowed",
                        dest.as_ref()
                    ),
                );
                CowStr::Borrowed("#")
            }
            Destination::External => dest,
            Destination::RootRelative { path, anchor } => {
                let position = self.position(at);
                self.rendered.links.push(Link {
                    target: LinkTarget::Root(path),
                    anchor,
                    position,
                });
                dest
            }
            Destination::Fragment(anchor) => {
                let position = self.position(at);
                self.rendered.links.push(Link {
                    target: LinkTarget::Document(self.input.content_path.to_string()),
                    anchor: Some(anchor),
                    position,
                });
                dest
            }
            Destination::Relative { path, anchor } => self.relative(path, anchor, at),
        }
    }

    fn relative(&mut self, path: String, anchor: Option<String>, at: usize) -> CowStr<'a> {
        let resolved = match urls::resolve_relative(self.input.content_path, &path) {
            Ok(resolved) => resolved,
            Err(message) => {
                self.error(Code::LinkInvalid, at, message);
                return CowStr::Borrowed("#");
            }
        };
        let position = self.position(at);
        let is_document = resolved.len() >= 3
            && resolved.as_bytes()[resolved.len() - 3..].eq_ignore_ascii_case(b".md");
        let mut url = if is_document {
            urls::under(self.input.base_path, &urls::document_path(&resolved))
        } else {
            urls::under(self.input.base_path, &resolved)
        };
        if let Some(anchor) = &anchor {
            url.push('#');
            url.push_str(anchor);
        }
        self.rendered.links.push(Link {
            target: if is_document {
                LinkTarget::Document(resolved)
            } else {
                LinkTarget::Asset(resolved)
            },
            anchor,
            position,
        });
        url.into()
    }
}

/// Whether a tag's HTML starts or ends a block, so an edge in the text.
fn is_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

fn heading_level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whether a blockquote opens with the pull-quote marker; if so, the marker and
/// the line break after it are taken out of the events to come.
fn take_pull_quote_marker<'a>(
    events: &mut Events<'a, impl Iterator<Item = (Event<'a>, Range<usize>)>>,
) -> bool {
    if !matches!(events.peek(0), Some((Event::Start(Tag::Paragraph), _))) {
        return false;
    }
    // The parser may split `[!pullquote]` into several text events at the brackets.
    let mut text = String::new();
    let mut count = 0;
    while let Some((Event::Text(part), _)) = events.peek(1 + count) {
        text.push_str(part);
        count += 1;
        if text.len() >= PULL_QUOTE_MARKER.len() {
            break;
        }
    }
    if !text.trim().eq_ignore_ascii_case(PULL_QUOTE_MARKER) {
        return false;
    }
    events.ahead.drain(1..=count);
    if matches!(
        events.peek(1),
        Some((Event::SoftBreak | Event::HardBreak, _))
    ) {
        events.ahead.remove(1);
    }
    true
}

/// The parser's events, with look-ahead on demand: a pull quote is only known
/// by what follows the start of its blockquote. Streaming, not collecting,
/// keeps memory flat.
struct Events<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    source: I,
    ahead: VecDeque<(Event<'a>, Range<usize>)>,
    /// Where the first control character made by a character reference was.
    controls: Option<usize>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Events<'a, I> {
    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.ahead.pop_front().or_else(|| self.pull())
    }

    /// The `n`-th event still to come (0 is the next one).
    fn peek(&mut self, n: usize) -> Option<&(Event<'a>, Range<usize>)> {
        while self.ahead.len() <= n {
            let event = self.pull()?;
            self.ahead.push_back(event);
        }
        self.ahead.get(n)
    }

    /// The parser's next event, with any control character that a character
    /// reference (`&#8;`) made replaced, where the body's own were replaced
    /// before parsing; the first such place is kept for a warning.
    fn pull(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let (mut event, range) = self.source.next()?;
        let written = match &mut event {
            Event::Text(text) => Some(text),
            Event::Start(Tag::Link { title, .. } | Tag::Image { title, .. }) => Some(title),
            _ => None,
        };
        if let Some(text) = written
            && control::find(text).next().is_some()
        {
            self.controls.get_or_insert(range.start);
            *text = control::replace(text).into_owned().into();
        }
        Some((event, range))
    }
}

/// Whether an event ends any word before it: breaks and block boundaries do,
/// inline markup (emphasis, links) does not.
fn separates_words(event: &Event) -> bool {
    match event {
        Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// Whether two texts are the same words, whatever their case and spacing:
/// a mention written as the entity's name needs no title to say what it is.
fn same_words(a: &str, b: &str) -> bool {
    // Asked of every first mention: ASCII words (nearly all) are compared
    // in place; only others are lowercased into new strings.
    let same = |a: &str, b: &str| {
        if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.to_lowercase() == b.to_lowercase()
        }
    };
    let (mut a, mut b) = (a.split_whitespace(), b.split_whitespace());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if same(x, y) => {}
            _ => return false,
        }
    }
}

/// Words in running text, for reading time: runs of bytes between ASCII
/// whitespace. `in_word` carries over from the text before, so a word split
/// across inline markup counts once. Byte-wise, since it runs over every
/// character of every article.
fn count_words(text: &str, in_word: &mut bool) -> usize {
    let mut words = 0;
    for byte in text.bytes() {
        let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        if !space && !*in_word {
            words += 1;
        }
        *in_word = !space;
    }
    words
}

/// Languages that say a code block is plain text on purpose.
fn is_plain_text(language: &str) -> bool {
    ["text", "plain", "plaintext", "none"]
        .iter()
        .any(|plain| language.eq_ignore_ascii_case(plain))
}

fn is_html_comment(raw: &str) -> bool {
    let trimmed = raw.trim();
    trimmed.starts_with("<!--") && trimmed.ends_with("-->")
}

/// Where a link goes, as far as the build is concerned.
#[derive(Debug, PartialEq, Eq)]
enum Destination {
    /// A scheme that runs code or smuggles content: never written into a page.
    Forbidden(String),
    /// Another site (`https:`, `mailto:`, `//host`): left as written.
    External,
    /// `/path`, with an optional anchor: left as written, checked later.
    RootRelative {
        path: String,
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    Fragment(String),
    /// A file relative to this one, with an optional anchor.
    Relative {
        path: String,
        anchor: Option<String>,
    },
}

fn classify(dest: &str) -> Destination {
    // Browsers ignore tabs, newlines and leading spaces or controls in URLs, so
    // `java\tscript:` is `javascript:`; check the URL as the browser reads it.
    let trimmed = dest.trim_start_matches(|c: char| c.is_ascii_control() || c == ' ');
    let browser_view = if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(trimmed)
    };
    if let Some((scheme, _)) = browser_view.split_once(':') {
        let is_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            let scheme = scheme.to_ascii_lowercase();
            return if matches!(scheme.as_str(), "javascript" | "data" | "vbscript") {
                Destination::Forbidden(scheme)
            } else {
                Destination::External
            };
        }
    }
    if dest.starts_with("//") {
        return Destination::External;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(decode(anchor))),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.starts_with('/') {
        return Destination::RootRelative {
            path: decode(path),
            anchor,
        };
    }
    if path.is_empty() {
        return Destination::Fragment(anchor.unwrap_or_default());
    }
    Destination::Relative {
        path: decode(path),
        anchor,
    }
}

fn decode(text: &str) -> String {
    // Most link targets have nothing to decode: one vectorised search says so.
    if memchr::memchr(b'%', text.as_bytes()).is_none() {
        return text.to_string();
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_are_percent_decoded_only_where_they_say_so() {
        assert_eq!(decode("getting-started.md"), "getting-started.md");
        assert_eq!(decode("Getting%20Started.md"), "Getting Started.md");
        assert_eq!(decode("caf%C3%A9.md#ok"), "café.md#ok");
        assert_eq!(decode("100%.md"), "100%.md");
        assert_eq!(decode("%FF.md"), "\u{FFFD}.md");
    }

    #[test]
    fn words_are_counted_across_pieces_of_text() {
        // Against a plain count of the whole text: the pieces split words,
        // spaces and runs of spaces in every way.
        let text = "  one two\tthree\n\nfour  five\r\nsix-seven  eight ";
        let whole = text
            .split(|c: char| " \t\n\r".contains(c))
            .filter(|w| !w.is_empty())
            .count();
        for cut in 0..=text.len() {
            for second in cut..=text.len() {
                let mut in_word = false;
                let counted = count_words(&text[..cut], &mut in_word)
                    + count_words(&text[cut..second], &mut in_word)
                    + count_words(&text[second..], &mut in_word);
                assert_eq!(counted, whole, "cut at {cut} and {second}");
            }
        }
        let mut in_word = true;
        assert_eq!(count_words("on", &mut in_word), 0, "a word carried on");
        assert!(in_word);
        assert_eq!(count_words(" ", &mut in_word), 0);
        assert!(!in_word);
    }

    fn render_with(text: &str, raw_html: RawHtml) -> (Rendered, Vec<String>) {
        render_full(text, raw_html, &Entities::default())
    }

    fn render_full(text: &str, raw_html: RawHtml, entities: &Entities) -> (Rendered, Vec<String>) {
        let highlighter = Highlighter::new();
        let lines = LineIndex::new(text);
        let input = Input {
            path: "content/articles/a.md",
            content_path: "articles/a.md",
            text,
            lines: &lines,
            body_offset: 0,
            raw_html,
            base_path: "/base/",
            highlighter: &highlighter,
            entities,
        };
        let (rendered, problems) = super::render(&input);
        (rendered, problems.iter().map(ToString::to_string).collect())
    }

    fn render(text: &str) -> (Rendered, Vec<String>) {
        render_with(text, RawHtml::Escape)
    }

    #[test]
    fn headings_get_unique_slug_ids_and_avoid_reserved_ones() {
        let (r, _) =
            render("# Intro\n\n## Intro\n\n## Contents\n\n### Café & *tea* {#custom}\n\n## …\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "contents-1", "custom", "section"]);
        assert_eq!(r.headings[3].text, "Café & tea");
        assert!(
            r.html.contains("<h2 id=\"intro-1\">Intro</h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn relative_markdown_links_become_urls_and_are_recorded_with_positions() {
        let (r, problems) =
            render("Intro.\n\nSee [b](b.md#part) and [about](../about.md), [img](pic.png).\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            r.html.contains("<a href=\"/base/articles/b/#part\">b</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"/base/about/\">about</a>"));
        assert!(
            r.html
                .contains("<a href=\"/base/articles/pic.png\">img</a>")
        );
        assert_eq!(
            r.links,
            vec![
                Link {
                    target: LinkTarget::Document("articles/b.md".into()),
                    anchor: Some("part".into()),
                    position: Position::new(3, 5),
                },
                Link {
                    target: LinkTarget::Document("about.md".into()),
                    anchor: None,
                    position: Position::new(3, 24),
                },
                Link {
                    target: LinkTarget::Asset("articles/pic.png".into()),
                    anchor: None,
                    position: Position::new(3, 46),
                },
            ]
        );
    }

    #[test]
    fn external_and_root_links_are_left_as_written_and_root_links_recorded() {
        let (r, problems) = render(
            "[a](https://e.org/x) [b](/abs/) [c](mailto:x@e.org) <https://e.org>\n[d](/my%20file.pdf?x=1#Part%202) ![e](/img.png)\n",
        );
        assert!(problems.is_empty());
        assert!(r.html.contains("href=\"https://e.org/x\""));
        assert!(r.html.contains("href=\"/abs/\""));
        assert!(r.html.contains("href=\"/my%20file.pdf?x=1#Part%202\""));
        let root = |path: &str, anchor: Option<&str>, column| Link {
            target: LinkTarget::Root(path.into()),
            anchor: anchor.map(Into::into),
            position: Position::new(1, column),
        };
        assert_eq!(
            r.links,
            [
                root("/abs/", None, 22),
                Link {
                    position: Position::new(2, 1),
                    ..root("/my file.pdf", Some("Part 2"), 0)
                },
                Link {
                    position: Position::new(2, 34),
                    ..root("/img.png", None, 0)
                },
            ]
        );
    }

    #[test]
    fn same_page_anchors_are_checked_against_this_file() {
        let (r, _) = render("[up](#top-part)\n");
        assert_eq!(
            r.links[0].target,
            LinkTarget::Document("articles/a.md".into())
        );
        assert_eq!(r.links[0].anchor.as_deref(), Some("top-part"));
    }

    #[test]
    fn script_and_data_links_are_errors_and_never_written() {
        let (r, problems) = render(
            "[x](javascript:alert(1))\n\n[y](JaVa&#9;Script:alert(1))\n\n![z](data:image/png;base64,AA)\n",
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("content/articles/a.md:1:1: error: link target"));
        assert!(problems[0].contains("javascript: scheme"));
        assert!(problems[2].contains("data: scheme"));
        assert!(!r.html.to_lowercase().contains("script:"), "{}", r.html);
        assert!(!r.html.contains("data:"));
    }

    #[test]
    fn links_leaving_content_are_errors() {
        let (_, problems) = render("[x](../../secret.md)\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("points outside content/"),
            "{problems:?}"
        );
    }

    #[test]
    fn raw_html_is_escaped_by_default_with_one_warning() {
        let (r, problems) = render(
            "<div onclick=\"x()\">hi</div>\n\nText <b>bold</b> <!-- note -->\n\n<!-- a comment -->\n",
        );
        assert!(
            r.html.contains("&lt;div onclick=\"x()\"&gt;hi&lt;/div&gt;"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;b&gt;bold&lt;/b&gt;"));
        assert!(!r.html.contains("note"), "comments are dropped: {}", r.html);
        assert!(!r.html.contains("<div"));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .starts_with("content/articles/a.md:1:1: warning: raw HTML is shown as text")
        );
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let (r, problems) = render_with(
            "<div class=\"x\">hi</div>\n\nText <b>bold</b>\n",
            RawHtml::Allow,
        );
        assert!(problems.is_empty());
        assert!(r.html.contains("<div class=\"x\">hi</div>"));
        assert!(r.html.contains("<b>bold</b>"));
    }

    #[test]
    fn pull_quotes_become_asides_and_plain_quotes_stay_quotes() {
        let (r, _) = render("> [!pullquote]\n> Said once.\n\n> Plain.\n\n> [!NOTE]\n> Alert.\n");
        assert!(
            r.html.contains(
                "<aside class=\"pull-quote\" aria-hidden=\"true\">\n<p>Said once.</p>\n</aside>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<blockquote>\n<p>Plain.</p>\n</blockquote>")
        );
        assert!(!r.html.contains("[!pullquote]"));
        assert!(r.html.contains("markdown-alert-note"));
    }

    #[test]
    fn definition_lists_tables_footnotes_and_strikethrough_render() {
        let (r, _) = render(
            "Term\n: Meaning\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1] ~~old~~\n\n[^1]: The note.\n",
        );
        assert!(
            r.html.contains("<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n<table>"));
        assert!(r.html.contains("</table>\n</div>"));
        assert!(r.html.contains("footnote-reference"));
        assert!(r.html.contains("<del>old</del>"));
    }

    #[test]
    fn words_split_by_inline_markup_count_once() {
        let (r, _) = render("See [the guide](b.md). *Very* well-made**!**\n\nNext\nline.\n");
        // See, the, guide., Very, well-made!, Next, line.
        assert_eq!(r.word_count, 7);
    }

    #[test]
    fn code_is_highlighted_and_not_counted_as_words() {
        let (r, _) = render("One two three.\n\n```rust\nfn main() { let x = 1; }\n```\n");
        assert!(
            r.html
                .contains("<pre class=\"hl-code\" tabindex=\"0\" data-language=\"rust\"><code><span class=\"hl-"),
            "{}",
            r.html
        );
        assert_eq!(r.word_count, 3);
    }

    #[test]
    fn a_language_the_highlighter_does_not_know_is_warned_about_at_its_fence() {
        let (r, problems) = render(
            "Intro.\n\n```klingon\nqapla'\n```\n\n```toml\na = 1\n```\n\n```text\nplain\n```\n\n   ~~~ Rust {.x}\n   fn x() {}\n   ~~~\n",
        );
        assert_eq!(
            problems,
            [
                "content/articles/a.md:3:1: warning: the code block's language \"klingon\" is not one the highlighter knows, so it is shown as plain text; name a known one (rust, toml, yaml, sh…) or `text`"
            ]
        );
        // Shown as plain, escaped text all the same.
        assert!(
            r.html
                .contains("data-language=\"klingon\"><code>qapla&#39;\n</code>")
                || r.html
                    .contains("data-language=\"klingon\"><code>qapla'\n</code>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_attributes_beyond_id_and_classes_are_left_out_unless_raw_html_is_allowed() {
        let text = "# Hi {#top .wide onfocus=alert(1) autofocus}\n";
        let (r, problems) = render(text);
        assert!(
            r.html.contains("<h1 id=\"top-1\" class=\"wide\">Hi</h1>"),
            "{}",
            r.html
        );
        assert_eq!(
            problems,
            [
                "content/articles/a.md:1:1: warning: the heading's attributes onfocus, autofocus are left out: only an id (#…) and classes (.…) are kept unless raw_html = \"allow\""
            ]
        );
        let (r, problems) = render_with(text, RawHtml::Allow);
        assert!(r.html.contains("onfocus=\"alert(1)\""), "{}", r.html);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_footnote_defined_twice_is_warned_about_and_keeps_ids_unique() {
        let (r, problems) = render("A[^1].\n\n[^1]: One.\n\n[^1]: Again.\n");
        assert_eq!(r.html.matches("id=\"fn-1\"").count(), 1, "{}", r.html);
        assert!(r.html.contains("id=\"fn-1-1\""), "{}", r.html);
        assert_eq!(
            problems,
            [
                "content/articles/a.md:5:1: warning: footnote [^1] is defined twice; its references go to the first"
            ]
        );
    }

    #[test]
    fn control_characters_made_by_character_references_are_replaced() {
        let (r, problems) = render("Be&#8;rt and [x](y \"t&#7;\") and &#x85;.\n");
        assert!(
            !r.html.contains(['\u{8}', '\u{7}', '\u{85}']),
            "{:?}",
            r.html
        );
        assert!(r.html.contains("Be\u{FFFD}rt"), "{}", r.html);
        assert_eq!(r.first_paragraph.matches('\u{FFFD}').count(), 2);
        assert_eq!(
            problems,
            [
                "content/articles/a.md:1:3: warning: a character reference here stands for a control character, which no page may carry; it was replaced by U+FFFD"
            ]
        );
    }

    #[test]
    fn footnote_ids_are_unique_among_the_page_ids() {
        let (r, _) =
            render("## Fn note\n\nA[^note] b[^main] c[^note].\n\n[^note]: One.\n[^main]: Two.\n");
        let ids: Vec<&str> = r
            .html
            .match_indices(" id=\"")
            .map(|(at, _)| {
                let rest = &r.html[at + 5..];
                &rest[..rest.find('"').unwrap_or(0)]
            })
            .collect();
        assert_eq!(ids, ["fn-note", "fn-note-1", "fn-main"]);
        assert!(
            r.html.contains("<a href=\"#fn-note-1\">1</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#fn-main\">2</a>"), "{}", r.html);
    }

    const ENTITIES: &str = "- name: Care Quality Commission\n  kind: organisation\n  abbreviations: [CQC]\n  description: The regulator.\n- name: Association of Directors of Adult Social Services\n  kind: organisation\n  abbreviations: [ADASS]\n  description: Directors.\n- name: supervision\n  kind: concept\n  description: Regular reflective meetings.\n";

    fn render_mentions(text: &str) -> Rendered {
        let (entities, problems) = crate::parse::entities::parse(ENTITIES);
        assert!(problems.is_empty(), "{problems:?}");
        let (rendered, problems) = render_full(text, RawHtml::Escape, &entities);
        assert!(problems.is_empty(), "{problems:?}");
        rendered
    }

    #[test]
    fn the_first_mention_of_each_entity_links_to_its_page() {
        let r = render_mentions(
            "# CQC in a heading\n\nThe CQC inspects. The CQC reports.\n\nSupervision matters; so does supervision.\n",
        );
        assert!(
            r.html
                .contains("<h1 id=\"cqc-in-a-heading\">CQC in a heading</h1>"),
            "headings hold no mentions: {}",
            r.html
        );
        assert!(
            r.html.contains("<p>The <a class=\"mention\" id=\"mention-care-quality-commission\" href=\"/base/organisations/care-quality-commission/\" title=\"Care Quality Commission\">CQC</a> inspects. The CQC reports.</p>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p><a class=\"mention\" id=\"mention-supervision\" href=\"/base/glossary/supervision/\">Supervision</a> matters; so does supervision.</p>"),
            "{}",
            r.html
        );
        let found: Vec<(usize, usize)> = r.mentions.iter().map(|m| (m.entity, m.count)).collect();
        assert_eq!(found, vec![(0, 2), (2, 2)]);
        let sentence = r.mention_text(&r.mentions[0]);
        assert_eq!(
            (
                sentence.before.as_str(),
                sentence.mention.as_str(),
                sentence.after.as_str()
            ),
            ("The ", "CQC", " inspects.")
        );
        assert_eq!(sentence.anchor, "mention-care-quality-commission");
        assert_eq!(r.word_count, 15, "words are counted as before");
    }

    #[test]
    fn code_links_and_pull_quotes_hold_no_mentions() {
        let r = render_mentions(
            "Use `CQC` and [the CQC](https://cqc.org.uk).\n\n```\nCQC\n```\n\n> [!pullquote]\n> The CQC said.\n\nThen ADASSes and CQCs, not mentions.\n",
        );
        assert!(r.mentions.is_empty(), "{:?}", r.mentions);
        assert!(!r.html.contains("class=\"mention\""), "{}", r.html);
        assert!(r.matched_patterns.is_empty());
    }

    #[test]
    fn names_split_over_lines_and_markup_are_found_with_their_sentence() {
        let r = render_mentions(
            "First. Then the Care Quality\nCommission &amp; [a link](https://e.org) wrote to *ADASS* today. Last.\n",
        );
        assert!(
            r.html.contains("the <a class=\"mention\" id=\"mention-care-quality-commission\" href=\"/base/organisations/care-quality-commission/\">Care Quality\nCommission</a> &amp; "),
            "{}",
            r.html
        );
        assert!(r.html.contains("<em><a class=\"mention\""), "{}", r.html);
        let sentences: Vec<String> = r
            .mentions
            .iter()
            .map(|m| {
                let s = r.mention_text(m);
                format!("{}[{}]{}", s.before, s.mention, s.after)
            })
            .collect();
        assert_eq!(
            sentences,
            vec![
                "Then the [Care Quality Commission] & a link wrote to ADASS today.",
                "Then the Care Quality Commission & a link wrote to [ADASS] today."
            ]
        );
    }

    /// Each mention as `before[mention]after`, with its anchor.
    fn sentences(r: &Rendered) -> Vec<String> {
        r.mentions
            .iter()
            .map(|m| {
                let s = r.mention_text(m);
                format!("{}: {}[{}]{}", s.anchor, s.before, s.mention, s.after)
            })
            .collect()
    }

    #[test]
    fn the_body_reads_as_its_text_without_code_pull_quotes_or_descriptions() {
        let (r, _) = render(
            "## Leading\n\nFish &amp; chips' [link](/x/)[^1] and `a < b`.\n\n```rust\nlet x = 1;\n```\n\n> [!pullquote]\n> Repeated.\n\n- One\n- Two\n\n![A description](/p.png) Caption\n\n| a | b |\n|---|---|\n| c | d |\n\n[^1]: The note.\n",
        );
        assert_eq!(
            r.text(),
            "Leading Fish & chips' link and a < b. One Two Caption a b c d The note."
        );
    }

    #[test]
    fn raw_html_an_author_allows_reads_as_its_text() {
        let (r, _) = render_with(
            "<div class=\"box\"><p>Hello <b>there</b> &amp; you</p></div>\n\nThen <span>inline</span> &#x41;.\n",
            RawHtml::Allow,
        );
        assert_eq!(r.text(), "Hello there & you Then inline A.");
    }

    #[test]
    fn the_sentence_around_a_mention_is_cut_from_its_block() {
        let r = render_mentions(
            "First one. Then the CQC &amp; *friends* said “no.” After.\n\nNext.\n\n- *ADASS*, BASW and others help\n",
        );
        assert_eq!(
            sentences(&r),
            vec![
                "mention-care-quality-commission: Then the [CQC] & friends said “no.”",
                "mention-association-of-directors-of-adult-social-services: [ADASS], BASW and others help",
            ]
        );
    }

    #[test]
    fn long_sentences_are_cut_at_words_around_the_mention() {
        let words = "word ".repeat(200);
        let r = render_mentions(&format!("{words}the NHS and the CQC {words}end.\n"));
        let s = r.mention_text(&r.mentions[0]);
        assert!(
            s.before.starts_with("…word") && s.before.len() <= 164,
            "{}",
            s.before
        );
        assert!(
            s.after.ends_with("word…") && s.after.len() <= 164,
            "{}",
            s.after
        );
        assert_eq!(s.mention, "CQC");
    }

    #[test]
    fn links_near_a_mention_do_not_shorten_its_sentence() {
        // The sentence was once cut after so many bytes of HTML, so the long
        // addresses of the links before a mention left only its last words,
        // with no ellipsis to say so.
        let link =
            |name: &str| format!("[{name}](https://example.org/{})", "long-path/".repeat(20));
        let r = render_mentions(&format!(
            "Before. Check out what {}, {} and {} and the CQC can offer.\n",
            link("one"),
            link("two"),
            link("three")
        ));
        assert_eq!(
            sentences(&r),
            vec![
                "mention-care-quality-commission: Check out what one, two and three and the [CQC] can offer."
            ]
        );
    }

    #[test]
    fn same_words_ignore_case_and_spacing_only() {
        assert!(same_words("NHS", "nhs"));
        assert!(same_words("Care \n Act", "care act"));
        assert!(same_words("\u{c4}rzte Verband", "\u{e4}rzte verband"));
        assert!(!same_words("Care Act", "Care Act 2014"));
        assert!(!same_words("Care Act 2014", "Care Act"));
        assert!(!same_words("Bevan", "Aneurin Bevan"));
        assert!(!same_words("\u{e4}rzte", "arzte"));
    }

    #[test]
    fn deep_nesting_on_one_line_passes_but_not_text_running_on_under_it() {
        let (r, problems) = render(&("> ".repeat(10_000) + "a\n"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(r.html.contains("<p>a</p>"));
        let (r, problems) = render(
            &("Intro.\n\n".to_string()
                + &"> ".repeat(2_000)
                + "a\n"
                + &"more text\n".repeat(2_000)),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("content/articles/a.md:3:1: error: text nested 2000 levels"),
            "{}",
            problems[0]
        );
        assert!(r.html.is_empty());
    }

    #[test]
    fn code_past_the_budget_is_shown_plain_with_one_warning() {
        let block = format!(
            "```rust\n{}```\n\n",
            "let x = 1;\n".repeat(HIGHLIGHT_BUDGET / 22)
        );
        let (r, problems) = render(&block.repeat(3));
        assert_eq!(r.html.matches("data-language=\"rust\"").count(), 2);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("warning: code from here on is shown without highlighting"));
    }

    #[test]
    fn container_depth_counts_markers_and_indentation() {
        assert_eq!(container_depth(b"plain text"), (0, false));
        assert_eq!(container_depth(b"> > quoted"), (2, false));
        assert_eq!(container_depth(b"- a"), (1, false));
        assert_eq!(container_depth(b"    - nested"), (3, false));
        assert_eq!(container_depth(b"1. 2) - > x"), (4, false));
        assert_eq!(container_depth(b"> >"), (2, true));
        assert_eq!(container_depth(b"---"), (0, false));
        assert_eq!(container_depth(b"2024. was a year"), (1, false));
        assert_eq!(container_depth(b""), (0, true));
    }

    #[test]
    fn repeated_headings_take_the_next_free_number() {
        let (r, _) = render("## A\n\n## A 2\n\n## A\n\n## A\n\n## A\n\n## A 1\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-1", "a-3", "a-4", "a-1-1"]);
    }

    #[test]
    fn positions_of_links_along_one_line_are_their_columns() {
        let line = "[é](x.md) ".repeat(500);
        let (r, _) = render(&format!("First.\n\n{line}\n"));
        assert_eq!(r.links.len(), 500);
        for (i, link) in r.links.iter().enumerate() {
            assert_eq!(link.position, Position::new(3, 1 + 10 * i));
        }
    }

    #[test]
    fn the_first_top_level_paragraph_is_the_summary() {
        let (r, _) =
            render("> Quoted first.\n\n- a list\n\nThe *real* first\nparagraph.\n\nSecond.\n");
        assert_eq!(r.first_paragraph, "The real first paragraph.");
    }
}
