//! Corpus fidelity: the articles in `content/articles/` must keep the authors' words.
//!
//! Each article was converted by hand from a scraped source kept in `tests/seeds/`. For every
//! seed this test drops the known page clutter (an explicit list per seed), splits the rest into
//! lines and sentences, and checks that every sentence occurs, in order and character for
//! character, in the article's Markdown body once front matter, Markdown markup and the editors'
//! `## See also` section are stripped. Only whitespace may differ, so whitespace is ignored when
//! comparing; and nothing may be added, so any text between or after the sentences is reported.
//! The seed's title line must equal the front matter `title`. A second test checks that no
//! clutter phrase survives anywhere in the converted articles.
//!
//! std only: this test reads files and does not use the `tiller` library.

use std::fs;
use std::path::{Path, PathBuf};

struct Seed {
    file: &'static str,
    article: &'static str,
    /// The seed line that became the front matter `title` (not part of the body).
    title: &'static str,
    /// Whole lines (compared with whitespace normalised) that are page clutter, not the authors'.
    clutter: &'static [&'static str],
    /// In-line deletions: (text as scraped, text as kept).
    edits: &'static [(&'static str, &'static str)],
}

const SEEDS: &[Seed] = &[
    Seed {
        file: "000_e2f4c961eb50f1dc.txt",
        article: "liz-bruce-three-councils.md",
        title: "‘If I make any mistakes it will be very public’, says director taking charge of three councils",
        clutter: &[
            "Liz Bruce", // byline-like label under the title; she is named in the first sentence
            "Related articles",
            "‘Direct work is what these social workers came into the job to do’",
            "More from Community Care",
            "Comments are closed.",
        ],
        edits: &[],
    },
    Seed {
        file: "001_205baa4d10d64c14.txt",
        article: "dass-culture-and-leadership.md",
        title: "Culture and leadership",
        clutter: &[],
        edits: &[],
    },
    Seed {
        file: "002_acaade2798fc046b.txt",
        article: "how-directors-can-help-social-workers.md",
        title: "How directors can really help social workers",
        clutter: &[
            "Your browser is no longer supported",
            "For the best possible experience using our website we recommend you upgrade to a newer version or another browser.",
            "Your browser appears to have cookies disabled. For the best experience of this website, please enable cookies in your browser",
            "We'll assume we have your consent to use cookies, for example so you won't need to log in each time you visit our site.",
            "Learn more",
            "• Comment",
            "Have your say",
            "You must sign in to make a comment",
            "Please remember that the submission of any material is governed by our Terms and Conditions and by submitting material you confirm your agreement to these Terms and Conditions.",
            "Links may be included in your comments but HTML is not permitted.",
        ],
        edits: &[],
    },
    Seed {
        file: "003_295d93c52d02b9d3.txt",
        article: "fixing-leadership-in-childrens-services.md",
        title: "Fixing Leadership in Children’s Services",
        clutter: &["Date: 17/10/2017"], // kept as front matter `date: 2017-10-17`
        edits: &[],
    },
    Seed {
        file: "004_74c1a5f4d26eefda.txt",
        article: "hunt-for-good-leadership.md",
        title: "The hunt for good leadership in social care",
        clutter: &["Skip to content", "Blog", "Read more"],
        // A stray footnote marker whose note is not in the scrape.
        edits: &[(
            "‘slipping away around the corner’.1",
            "‘slipping away around the corner’.",
        )],
    },
];

/// Phrases of page clutter that must not appear anywhere in an article (case-insensitive).
#[rustfmt::skip]
const CLUTTER_PHRASES: &[&str] = &[
    "skip to content", "have your say", "cookies", "read more", "comment", "sign in",
    "learn more", "your browser", "terms and conditions", "html is not permitted",
    "related articles", "more from community care", "17/10/2017", "corner’.1",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Splits an article into its front matter and its body (the text after the closing `---`).
fn split_front_matter<'a>(text: &'a str, article: &str) -> (&'a str, &'a str) {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{article}: no front matter"));
    let end = rest
        .find("\n---\n")
        .unwrap_or_else(|| panic!("{article}: unclosed front matter"));
    (&rest[..end], &rest[end + 5..])
}

/// The value of `title:` in the front matter, without its double quotes.
fn front_matter_title(front: &str) -> Option<&str> {
    let line = front.lines().find(|l| l.starts_with("title:"))?;
    let value = line["title:".len()..].trim();
    value.strip_prefix('"')?.strip_suffix('"')
}

/// Replaces Markdown links `[text](target)` by their text; other brackets are left alone.
fn strip_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let link = after.find(']').and_then(|close| {
            let target = after[close + 1..].strip_prefix('(')?;
            let end = target.find(')')?;
            Some((&after[..close], &target[end + 1..]))
        });
        match link {
            Some((text, tail)) => {
                out.push_str(text);
                rest = tail;
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The plain text of an article body: Markdown markup removed, `## See also` section dropped.
fn plain_body(body: &str) -> String {
    let mut out = String::new();
    for line in body.lines() {
        if line.trim() == "## See also" {
            break;
        }
        let mut l = line.trim_start();
        l = l.trim_start_matches('#').trim_start();
        for marker in ["- ", ": ", "> ", ">"] {
            if let Some(stripped) = l.strip_prefix(marker) {
                l = stripped;
            }
        }
        let l = l.replace("[!pullquote]", "").replace('*', "");
        out.push_str(&strip_links(&l));
        out.push('\n');
    }
    out
}

/// Sentences of one line: split after `.`, `?` or `!` (and any closing quotes) before a space.
fn sentences(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut result = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in words {
        current.push(word);
        let end = word.trim_end_matches(['’', '”', '\'', '"', ')']);
        if end.ends_with(['.', '?', '!']) {
            result.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        result.push(current.join(" "));
    }
    result
}

fn normalise_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks one seed against its article; returns a list of problems (empty when faithful).
fn check_seed(seed: &Seed) -> Vec<String> {
    let seed_text = read(&root().join("tests/seeds").join(seed.file));
    let article_path = root().join("content/articles").join(seed.article);
    let article_text = read(&article_path);
    let (front, body) = split_front_matter(&article_text, seed.article);
    let at = format!("seed {} / content/articles/{}", seed.file, seed.article);
    let mut problems = Vec::new();

    match front_matter_title(front) {
        Some(t) if t == seed.title => {}
        other => problems.push(format!(
            "{at}: front matter title is {other:?}, expected {:?}",
            seed.title
        )),
    }
    // Whitespace normalised: the scrape has runs of spaces and no-break spaces inside lines.
    let lines: Vec<String> = seed_text.lines().map(normalise_whitespace).collect();
    for wanted in seed.clutter.iter().chain([&seed.title]) {
        if !lines.iter().any(|l| l == wanted) {
            problems.push(format!("{at}: listed line not in the seed: {wanted:?}"));
        }
    }

    let mut expected = Vec::new();
    let mut title_seen = false;
    for line in &lines {
        let line = line.as_str();
        if line.is_empty() || seed.clutter.contains(&line) {
            continue;
        }
        if line == seed.title && !title_seen {
            title_seen = true;
            continue;
        }
        // The scrape's bullet glyph is list markup, as `- ` is in the article.
        let mut line = line.strip_prefix("• ").unwrap_or(line).to_string();
        for (from, to) in seed.edits {
            line = line.replace(from, to);
        }
        expected.extend(sentences(&line));
    }

    let plain = compact(&plain_body(body));
    let mut cursor = 0;
    for sentence in &expected {
        match plain[cursor..].find(&compact(sentence)) {
            None => problems.push(format!(
                "{at}: sentence missing or out of order: {sentence:?}"
            )),
            Some(offset) => {
                if offset > 0 {
                    let extra = &plain[cursor..cursor + offset];
                    problems.push(format!(
                        "{at}: text not in the seed before {sentence:?}: {extra:?}"
                    ));
                }
                cursor += offset + compact(sentence).len();
            }
        }
    }
    if cursor < plain.len() {
        problems.push(format!(
            "{at}: text not in the seed at the end: {:?}",
            &plain[cursor..]
        ));
    }
    problems
}

#[test]
fn every_sentence_of_every_seed_is_kept_in_order() {
    let problems: Vec<String> = SEEDS.iter().flat_map(check_seed).collect();
    assert!(
        problems.is_empty(),
        "corpus is not faithful to its seeds:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_clutter_left_in_articles() {
    let mut problems = Vec::new();
    // Only the converted articles: a later article may well use the word "comment".
    for seed in SEEDS {
        let path = root().join("content/articles").join(seed.article);
        for (n, line) in read(&path).lines().enumerate() {
            let lower = line.to_lowercase();
            for phrase in CLUTTER_PHRASES.iter().filter(|p| lower.contains(*p)) {
                problems.push(format!("{}:{}: clutter {phrase:?}", path.display(), n + 1));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "clutter left in the corpus:\n{}",
        problems.join("\n")
    );
}
