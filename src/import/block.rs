//! Blocks: the plain data every step of the importer passes on. A block is
//! one line of a text page, or one paragraph, heading, list item or quote of
//! an HTML page, with where it was in the source.

/// One piece of the page, in the order the page has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// The source line it starts on (1-based), where known.
    pub(crate) line: Option<usize>,
    /// Its words as plain text, white space squeezed: what is classified.
    pub(crate) text: String,
    /// Its inline Markdown where the page gave markup (emphasis, links kept
    /// from HTML); plain text has none and is escaped when written.
    pub(crate) markdown: Option<String>,
    pub(crate) shape: Shape,
}

/// What the source says a block is. A text page says little (a line, or a
/// line with a bullet); an HTML page says what each element was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A line of plain text: what it is is for the classifier to tell.
    Line,
    /// An HTML paragraph.
    Paragraph,
    /// An HTML heading, with its level.
    Heading(u8),
    Item(Marker),
    /// An HTML block quote.
    Quote,
    /// A table or code, kept as the Markdown it was converted to.
    Verbatim,
}

/// How a list item was marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Marker {
    Bullet,
    /// A numbered item, with its number.
    Number(u32),
}

impl Block {
    pub(crate) fn is_item(&self) -> bool {
        matches!(self.shape, Shape::Item(_))
    }

    /// The source line, for the report: `line 12: `, or nothing.
    pub(crate) fn at(&self) -> String {
        self.line.map(|n| format!("line {n}: ")).unwrap_or_default()
    }
}
