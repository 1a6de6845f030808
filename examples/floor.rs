//! Floor: takes a site folder and gives the least work any generator must do on
//! it: read every Markdown file under `content/` and render it with
//! pulldown-cmark, with `--highlight` also highlight each fenced code block
//! with syntect, and with `--front-matter` (which implies `--highlight`) also
//! read each file's YAML front matter with serde-saphyr into plain strings.
//! Nothing is written. Benchmarks compare Tiller with this.
//!
//! ```sh
//! cargo run --release --example floor -- /tmp/corpus [--highlight | --front-matter]
//! ```

use std::fs;
use std::path::PathBuf;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

// The converters' module, for its front matter struct: the corpus's fields as
// plain strings, with nothing checked, which is the least a generator reads.
#[allow(dead_code)]
mod convert;

use convert::Meta;

/// What is done to each file beyond reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Work {
    Render,
    RenderAndHighlight,
    /// The front matter read too: the YAML crate Tiller must use is part of
    /// the least any build of these files does, and a measurable one.
    FrontMatterRenderAndHighlight,
}

/// The bytes of the front matter values read, printed so that the work is used.
fn value_bytes(meta: &Meta) -> usize {
    let texts = [&meta.date, &meta.updated, &meta.summary];
    let lists = [&meta.authors, &meta.themes, &meta.tags];
    meta.title.len()
        + meta.kind.len()
        + texts
            .iter()
            .filter_map(|t| t.as_ref())
            .map(String::len)
            .sum::<usize>()
        + lists
            .iter()
            .flat_map(|list| list.iter())
            .map(String::len)
            .sum::<usize>()
}

fn main() {
    let mut root = PathBuf::from(".");
    let mut work = Work::Render;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--highlight" => work = Work::RenderAndHighlight,
            "--front-matter" => work = Work::FrontMatterRenderAndHighlight,
            path => root = PathBuf::from(path),
        }
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let syntaxes = (work != Work::Render).then(two_face::syntax::extra_newlines);
    let (html_bytes, front_matter_bytes) = files
        .par_iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("read");
            let mut parts = text.splitn(3, "---\n");
            let yaml = parts.nth(1).unwrap_or("");
            let body = parts.next().unwrap_or(&text);
            let front_matter_bytes = match work {
                Work::FrontMatterRenderAndHighlight => serde_saphyr::from_str::<Meta>(yaml)
                    .map(|meta| value_bytes(&meta))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                Work::Render | Work::RenderAndHighlight => 0,
            };
            (render(body, syntaxes.as_ref()).len(), front_matter_bytes)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{} files, {html_bytes} bytes of HTML, {front_matter_bytes} bytes of front matter values",
        files.len()
    );
}

fn render(body: &str, syntaxes: Option<&SyntaxSet>) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(body, Options::all()) {
        match (event, &mut code, syntaxes) {
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))), None, Some(_)) => {
                code = Some((lang.to_string(), String::new()));
            }
            (Event::Text(text), Some((_, buffer)), _) => buffer.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_), Some(syntaxes)) => {
                let (lang, buffer) = code.take().expect("in code");
                events.push(Event::Html(highlight(syntaxes, &lang, &buffer).into()));
            }
            (event, _, _) => events.push(event),
        }
    }
    let mut out = String::with_capacity(body.len() * 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn highlight(syntaxes: &SyntaxSet, lang: &str, code: &str) -> String {
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut generator =
        ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, ClassStyle::Spaced);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .expect("highlight");
    }
    format!("<pre><code>{}</code></pre>", generator.finalize())
}

// The allocator Tiller itself uses (with the same features, so Oniguruma's
// `malloc` goes to it too): with the system allocator the floor executed 10.6%
// more instructions at 1,000 articles and took 9% longer at 10,000 (0.22 s
// against 0.20 s), and the ratios to it flattered Tiller.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
