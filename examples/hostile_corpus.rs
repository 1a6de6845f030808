//! Hostile Markdown: takes the name of a pathological input and a size, and
//! gives a Tiller site (site.toml, the default theme, the real entities file)
//! whose one article holds that input; or, with `--list`, the names of the
//! inputs. `benches/hostile.sh` times `tiller build` on these sites at two
//! sizes, and `tests/hostile_markdown.rs` builds each of them through the
//! library, so both read the inputs from this one list.
//!
//! ```sh
//! cargo run --example hostile_corpus -- --list
//! cargo run --example hostile_corpus -- --case nested-blockquotes --scale 4 --out /tmp/h
//! cargo run --example hostile_corpus -- --case big-article --scale 20 --out /tmp/big
//! ```
//!
//! Each input is repeated `units × scale` times, where `units` is the case's
//! own count, chosen so that scale 1 is an article of roughly 1 MB (for the
//! made-up entities: 2,000 of them, and a paragraph mentioning each), and
//! `--case big-article --scale 20` makes a 20 MB article. The inputs are the
//! ones parsers are known to choke on: cmark's and md4c's
//! `test/pathological_tests.py`, the quadratic-time issues of pulldown-cmark
//! (#82, #246–#251, #255, #284, #832, #934, #1076), and Tiller's own stages
//! (heading ids, link and anchor checks, mentions, summaries, the search
//! index). The generator is run as a debug build by the benchmark: how fast
//! it writes is not measured.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One pathological input.
pub struct Case {
    pub name: &'static str,
    /// Where it comes from, for the benchmark's table.
    pub source: &'static str,
    /// How many repetitions make scale 1 (about 1 MB of Markdown).
    pub units: usize,
    /// The article body with `n` repetitions.
    pub body: fn(usize) -> String,
    /// The entities file with `n` repetitions, for cases that need their own.
    pub entities: Option<fn(usize) -> String>,
    /// How the build is meant to end.
    pub outcome: Outcome,
}

/// How a build of a hostile input is meant to end: never with a panic, an
/// abort or a stack overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The site is built.
    Builds,
    /// The build fails with diagnostics (exit code 1).
    Fails,
    /// Either: Tiller may refuse the input with a diagnostic rather than
    /// take quadratic time over it (text nested thousands of levels deep,
    /// which pulldown-cmark reads in time the depth times the lines).
    MayRefuse,
}

impl Outcome {
    /// The exit codes of `tiller build` it allows, for the benchmark.
    pub fn exit_codes(self) -> &'static str {
        match self {
            Outcome::Builds => "0",
            Outcome::Fails => "1",
            Outcome::MayRefuse => "0|1",
        }
    }
}

impl Case {
    const fn new(
        name: &'static str,
        source: &'static str,
        units: usize,
        body: fn(usize) -> String,
    ) -> Case {
        Case {
            name,
            source,
            units,
            body,
            entities: None,
            outcome: Outcome::Builds,
        }
    }
}

/// `piece` `n` times, then a new line, so the article ends cleanly.
fn times(piece: &str, n: usize) -> String {
    let mut text = piece.repeat(n);
    text.push('\n');
    text
}

/// `open` `n` times, then `rest`: containers `n` deep holding `rest`.
fn within(open: &str, n: usize, rest: &str) -> String {
    open.repeat(n) + rest
}

/// `open` `n` times, `middle`, then `close` `n` times: nesting `n` deep.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    let mut text = String::with_capacity(n * (open.len() + close.len()) + middle.len() + 1);
    text.push_str(&open.repeat(n));
    text.push_str(middle);
    text.push_str(&close.repeat(n));
    text.push('\n');
    text
}

/// `each(i)` for `i` in `0..n`, one after another.
fn each(n: usize, each: impl Fn(&mut String, usize)) -> String {
    let mut text = String::new();
    for i in 0..n {
        each(&mut text, i);
    }
    text.push('\n');
    text
}

/// The side of a square of `area` items: for inputs whose size grows as the
/// square of their depth, so that `units` still counts bytes roughly.
fn side(area: usize) -> usize {
    (area as f64).sqrt().ceil() as usize
}

/// Every input. Sizes at scale 1 are in the units column; a case is named
/// by what it repeats.
pub const CASES: &[Case] = &[
    // --- Nesting: each level is a container the parser, Tiller and the HTML
    // writer must track; anything recursive per level overflows its stack.
    Case::new("nested-blockquotes", "cmark pathological", 480_000, |n| {
        within("> ", n, "a\n")
    }),
    Case {
        outcome: Outcome::MayRefuse,
        ..Case::new(
            "nested-quotes-long-text",
            "pulldown-cmark: lazy lines",
            44_000,
            |n| {
                // Lazy continuation lines: every line of text is read `n` quotes deep.
                within("> ", n, &times("a mention of the NHS\n", n))
            },
        )
    },
    Case::new("nested-lists-bullet", "md4c pathological", 480_000, |n| {
        within("- ", n, "a\n")
    }),
    Case::new("nested-lists-ordered", "md4c pathological", 320_000, |n| {
        within("1. ", n, "a\n")
    }),
    Case::new("nested-quote-list", "mixed containers", 240_000, |n| {
        within("> - ", n, "a\n")
    }),
    Case::new(
        "nested-lists-indented",
        "cmark pathological",
        1_000_000,
        |n| {
            // Indented two spaces per level: the size is the square of the depth.
            each(side(n), |t, i| {
                t.push_str(&"  ".repeat(i));
                t.push_str("- a\n");
            })
        },
    ),
    Case::new(
        "nested-emphasis-runs",
        "swift-markdown #275",
        480_000,
        |n| nest("*", "a", "*", n),
    ),
    Case::new("nested-strong-emph", "cmark pathological", 72_000, |n| {
        nest("*a **a ", "b", " a** a*", n)
    }),
    Case::new("nested-brackets", "cmark pathological", 480_000, |n| {
        nest("[", "a", "]", n)
    }),
    Case::new("nested-images", "images in alt text", 160_000, |n| {
        nest("![", "a", "](/)", n)
    }),
    Case::new("nested-links", "links in link text", 160_000, |n| {
        nest("[", "a", "](/)", n)
    }),
    // --- Delimiters that never pair: each must not be matched against all the others.
    Case::new("emph-openers", "cmark pathological", 320_000, |n| {
        times("_a ", n)
    }),
    Case::new("emph-closers", "cmark pathological", 320_000, |n| {
        times("a_ ", n)
    }),
    Case::new("triple-emph", "pulldown-cmark #248", 240_000, |n| {
        times("a***", n)
    }),
    Case::new("mismatched-emph", "cmark pathological", 240_000, |n| {
        times("*a_ ", n)
    }),
    Case::new("emph-multiple-of-3", "cmark pathological", 320_000, |n| {
        "a**b".to_string() + &times("c* ", n)
    }),
    Case::new(
        "link-openers-emph-closers",
        "cmark pathological",
        240_000,
        |n| times("[ a_", n),
    ),
    Case::new("bracket-emph", "pulldown-cmark #255", 240_000, |n| {
        times("[*_a", n)
    }),
    Case::new("strikethrough", "GFM tildes", 160_000, |n| {
        times("~~a ~b ", n)
    }),
    // --- Links that never close, and many that do.
    Case::new("link-closers", "cmark pathological", 480_000, |n| {
        times("a]", n)
    }),
    Case::new("link-openers", "cmark pathological", 480_000, |n| {
        times("[a", n)
    }),
    Case::new("unclosed-links-a", "pulldown-cmark #82", 160_000, |n| {
        times("[a](<b", n)
    }),
    Case::new("unclosed-links-b", "cmark pathological", 200_000, |n| {
        times("[a](b", n)
    }),
    Case::new("broken-link-titles", "pulldown-cmark #251", 200_000, |n| {
        times("[ (](", n)
    }),
    Case::new("empty-link-openers", "pulldown-cmark #246", 320_000, |n| {
        times("[](", n)
    }),
    Case::new("bracket-links", "pulldown-cmark #284", 200_000, |n| {
        times("[[]()", n)
    }),
    Case::new("nested-invalid-refs", "md4c pathological", 480_000, |n| {
        nest("[", "", "]", n) + "\n[a]: /b\n"
    }),
    Case::new("bracket-lines", "md4c #236", 240_000, |n| times("]([\n", n)),
    Case::new("many-references", "cmark pathological", 40_000, |n| {
        // Definitions, uses of each, and uses of one that is not defined.
        each(n, |t, i| {
            let _ = writeln!(t, "[r{i}]: https://e.org/u{i}");
        }) + &each(n, |t, i| {
            let _ = write!(t, "[r{i}] [0] ");
        })
    }),
    Case::new("many-links-one-line", "md4c pathological", 120_000, |n| {
        // Anchor links are checked, and each one's position is found: all on one line.
        "# U\n\n".to_string() + &times("[t](#u) ", n)
    }),
    Case::new(
        "heading-anchor-links",
        "Tiller: anchor checks",
        48_000,
        |n| {
            each(n, |t, i| {
                let _ = write!(t, "## H{i}\n\n");
            }) + &each(n, |t, i| {
                let _ = writeln!(t, "[x](#h{i})");
            })
        },
    ),
    Case {
        outcome: Outcome::Fails,
        ..Case::new("many-broken-links", "Tiller: diagnostics", 60_000, |n| {
            times("[t](missing.md) ", n)
        })
    },
    Case::new("autolinks", "many links", 60_000, |n| {
        times("<https://e.org/a> ", n)
    }),
    // --- Raw HTML and `<` that never becomes HTML.
    Case::new("lt-runs", "autolink-like text", 1_000_000, |n| {
        within("<", n, "a\n")
    }),
    Case::new("html-openers-closers", "md4c pathological", 480_000, |n| {
        times("<>", n)
    }),
    Case::new("html-pi-openers", "md4c pathological", 480_000, |n| {
        "x".to_string() + &times("<?", n)
    }),
    Case::new("html-cdata-openers", "md4c pathological", 112_000, |n| {
        "x".to_string() + &times("<![CDATA[", n)
    }),
    Case::new("html-comment-starts", "pulldown-cmark #934", 200_000, |n| {
        times("!-- <", n)
    }),
    Case::new("html-decl-openers", "md4c #73", 200_000, |n| {
        times("a <!A", n)
    }),
    Case::new("html-blocks", "raw HTML shown as text", 160_000, |n| {
        times("<div>\n\n", n)
    }),
    // --- Code spans and blocks.
    Case::new("backticks", "cmark pathological", 1_000_000, |n| {
        // Runs of 1, 2, 3… backticks: the size is the square of the longest.
        each(side(2 * n), |t, i| {
            t.push('e');
            t.push_str(&"`".repeat(i + 1));
        })
    }),
    Case::new("backtick-escapes", "md4c pathological", 320_000, |n| {
        times("\\``", n)
    }),
    Case::new("escape-backticks", "pulldown-cmark #247", 320_000, |n| {
        times("``\\", n)
    }),
    Case::new("long-code-block", "syntect", 40_000, |n| {
        "```rust\n".to_string() + &times("let x = vec![1, 2]; // note\n", n) + "```\n"
    }),
    Case::new("unclosed-fence", "fence to the end", 480_000, |n| {
        "```\n".to_string() + &times("a\n", n)
    }),
    Case::new("many-code-blocks", "syntect per block", 44_000, |n| {
        times("```rust\nfn a() {}\n```\n\n", n)
    }),
    // --- Tables and footnotes (GFM).
    Case::new("table-rows", "many rows", 80_000, |n| {
        "| a | b | c |\n|---|---|---|\n".to_string() + &times("| x | y | z |\n", n)
    }),
    Case::new("table-columns", "many columns", 120_000, |n| {
        times("|x", n) + &times("|-", n) + &times("|y", n) + &times("|z", n)
    }),
    Case::new("table-missing-cells", "pulldown-cmark #832", 120_000, |n| {
        // Rows of one cell under a wide head: filling them in is quadratic.
        times("x|", n) + &times("-|", n) + &times("x|\n", n)
    }),
    Case::new("many-footnotes", "footnotes", 32_000, |n| {
        each(n, |t, i| {
            let _ = write!(t, "a[^f{i}] ");
        }) + "\n"
            + &each(n, |t, i| {
                let _ = writeln!(t, "[^f{i}]: Note {i}.\n");
            })
    }),
    Case::new("footnote-openers", "pulldown-cmark #1076", 240_000, |n| {
        times("[^a\n", n)
    }),
    // --- Text: one huge paragraph, and many small things in it.
    Case::new("long-paragraph", "summary, reading time", 200_000, |n| {
        times("word ", n)
    }),
    Case::new("long-paragraph-lines", "soft breaks", 44_000, |n| {
        times("the NHS and\nsome words\n", n)
    }),
    Case::new("many-mentions", "Tiller: mentions", 24_000, |n| {
        times("The Care Quality Commission and the NHS. ", n)
    }),
    Case {
        entities: Some(|n| {
            // Made-up concepts, each with a description, all mentioned once below.
            each(n, |t, i| {
                let _ = writeln!(
                    t,
                    "- name: Zq{i}x\n  kind: concept\n  description: Made up."
                );
            })
        }),
        ..Case::new("many-entities", "Tiller: entity pages", 2_000, |n| {
            each(n, |t, i| {
                let _ = write!(t, "Then Zq{i}x spoke. ");
            })
        })
    },
    Case::new("distinct-words", "Tiller: search index", 120_000, |n| {
        each(n, |t, i| {
            let _ = write!(t, "w{i}x ");
        })
    }),
    Case::new("entity-references", "character references", 80_000, |n| {
        times("&amp; &#169; ", n)
    }),
    // --- Headings: ids must be unique, and each must not be checked against all.
    Case::new("same-headings", "Tiller: heading ids", 100_000, |n| {
        times("## Intro\n\n", n)
    }),
    Case::new("same-explicit-ids", "Tiller: heading ids", 60_000, |n| {
        times("## a {#same}\n\n", n)
    }),
    Case::new("numbered-headings", "Tiller: heading ids", 40_000, |n| {
        // `Intro`, then `Intro 1`, `Intro 2`…, whose slugs are the ids the
        // de-duplication would give the repeats.
        times("## Intro\n\n", n)
            + &each(n, |t, i| {
                let _ = write!(t, "## Intro {i}\n\n");
            })
    }),
    Case::new(
        "distinct-headings",
        "Tiller: contents, search",
        32_000,
        |n| {
            each(n, |t, i| {
                let _ = write!(t, "## Heading {i}\n\n### Sub {i}\n\n");
            })
        },
    ),
    Case::new("setext-heading-long", "one huge heading", 240_000, |n| {
        "a b\n".repeat(n) + "===\n"
    }),
    Case::new(
        "big-article",
        "a long real-looking article",
        1_333,
        big_article,
    ),
];

/// Real-looking Markdown, `n` sections of about 750 bytes: headings, prose with
/// mentions, emphasis and links to other sections, lists, a quote, a table,
/// code and a footnote; about 1 MB per 1,333 sections.
fn big_article(n: usize) -> String {
    let mut text = String::with_capacity(n * 1100);
    for i in 0..n {
        let previous = i.saturating_sub(1);
        let _ = write!(
            text,
            "## Section {i}: leading through change\n\n\
             The Care Quality Commission asked directors of adult social services how \
             *supervision* and **caseloads** shape practice, and the NHS answered with \
             `figures`; see [the section before](#section-{previous}-leading-through-change) \
             and the note.[^n{i}]\n\n\
             - Principal social workers meet each month.\n\
             - [ ] Reablement is reviewed in the spring.\n\
             - Skills for Care publishes the workforce data.\n\n\
             1. Agree the budget.\n2. Agree the plan.\n\n\
             > Leadership is what people do when nobody is watching, said the ADASS \
             president in section {i}.\n\n\
             | Measure | Value |\n|---|---|\n| caseload | {i} |\n| vacancies | 12% |\n\n\
             ```rust\nfn section() -> usize {{\n    {i}\n}}\n```\n\n\
             [^n{i}]: Figures from the Department of Health and Social Care, table {i}.\n\n"
        );
    }
    text
}

/// The case called `name`.
pub fn case(name: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.name == name)
}

/// The repository, for its theme and entities file.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the article is, relative to the site root.
pub const ARTICLE: &str = "content/articles/hostile.md";

/// Writes a site under `root` whose one article holds `case` with `n`
/// repetitions, with the repository's default theme and entities file (or
/// the case's own).
pub fn write_site(root: &Path, case: &Case, n: usize) -> std::io::Result<()> {
    fs::create_dir_all(root.join("content/articles"))?;
    fs::write(
        root.join("site.toml"),
        "title = \"Hostile\"\nbase_url = \"https://example.org/\"\nlanguage = \"en-GB\"\n\
         theme = \"default\"\n\n[taxonomies.themes]\ntitle = \"Leadership themes\"\n\
         [taxonomies.themes.terms.workforce]\ntitle = \"Workforce\"\ndescription = \"People.\"\n",
    )?;
    let mut article = String::from(
        "---\ntitle: \"Hostile input\"\nkind: guidance\ndate: 2024-01-01\nthemes: [workforce]\n---\n\n",
    );
    article.push_str(&(case.body)(n));
    fs::write(root.join(ARTICLE), article)?;
    let entities = root.join("content/entities.yaml");
    match case.entities {
        Some(make) => fs::write(entities, make(n))?,
        None => {
            fs::copy(repo().join("content/entities.yaml"), entities)?;
        }
    }
    copy_folder(&repo().join("themes/default"), &root.join("themes/default"))
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn usage() -> ! {
    eprintln!(
        "usage: hostile_corpus --list\n       hostile_corpus --case NAME [--scale K | --units N] --out DIR"
    );
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut name, mut scale, mut units, mut out) = (None, 1, None, None);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        let number = |v: String| v.parse::<usize>().unwrap_or_else(|_| usage());
        match arg.as_str() {
            "--list" => {
                // Name, units at scale 1, exit codes allowed, where it comes from: for the script.
                for c in CASES {
                    let codes = c.outcome.exit_codes();
                    println!("{}\t{}\t{codes}\t{}", c.name, c.units, c.source);
                }
                return;
            }
            "--case" => name = Some(value()),
            "--scale" => scale = number(value()),
            "--units" => units = Some(number(value())),
            "--out" => out = Some(PathBuf::from(value())),
            _ => usage(),
        }
    }
    let (Some(name), Some(out)) = (name, out) else {
        usage()
    };
    let Some(case) = case(&name) else {
        eprintln!("hostile_corpus: no case called {name:?} (see --list)");
        std::process::exit(2)
    };
    let n = units.unwrap_or(case.units * scale);
    if let Err(e) = write_site(&out, case, n) {
        eprintln!("hostile_corpus: cannot write {}: {e}", out.display());
        std::process::exit(1)
    }
}
