//! `tiller import`: scraped pages into Markdown drafts.
//!
//! - The five seeds in `tests/seeds/` (the pages the site's articles were
//!   converted from by hand) give drafts whose words, headings, lists, pull
//!   quotes and question-and-answer pairs match the hand conversions in
//!   `content/articles/`, with no clutter and no fact the page does not state.
//! - Pages of our own under `tests/import/<case>/`, each as copied text
//!   (`page.txt`) and as a saved page (`page.html`), give the drafts and
//!   reports in `expected/` (run with `TILLER_BLESS=1` to write them from what
//!   the import gives, then review the diff), the facts `fixture.toml` names,
//!   none of its clutter, and the same words from either form.
//! - Every draft passes `tiller check --drafts` as it stands.
//! - Bad input is refused with an error naming the file, exit 1, nothing written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use tiller::import::{Destination, Imported, Input, Kind, Request};
use tiller::{Drafts, Settings, Strictness};

mod common;
use common::{copy_tree, repo};

const BLESS: &str = "TILLER_BLESS";

/// Each seed and the article converted from it by hand.
const SEEDS: &[(&str, &str)] = &[
    ("000_e2f4c961eb50f1dc.txt", "liz-bruce-three-councils.md"),
    ("001_205baa4d10d64c14.txt", "dass-culture-and-leadership.md"),
    (
        "002_acaade2798fc046b.txt",
        "how-directors-can-help-social-workers.md",
    ),
    (
        "003_295d93c52d02b9d3.txt",
        "fixing-leadership-in-childrens-services.md",
    ),
    ("004_74c1a5f4d26eefda.txt", "hunt-for-good-leadership.md"),
];

/// Lines of the seeds that are page furniture (as `tests/corpus_fidelity.rs`
/// lists them): none may survive into a draft.
const SEED_CLUTTER: &[&str] = &[
    "Related articles",
    "‘Direct work is what these social workers came into the job to do’",
    "More from Community Care",
    "Comments are closed",
    "Your browser",
    "For the best possible experience",
    "cookies",
    "Learn more",
    "Comment",
    "Have your say",
    "You must sign in",
    "Terms and Conditions",
    "HTML is not permitted",
    "17/10/2017",
    "Skip to content",
    "Read more",
    "corner’.1",
];

fn import(input: Input, root: &Path, destination: Destination) -> Imported {
    let shown = format!("{input:?}");
    tiller::import::import(&Request {
        input,
        root: root.to_path_buf(),
        destination,
        kind: None,
    })
    .unwrap_or_else(|e| panic!("{shown}: {e}"))
}

/// The front matter fields a test looks at.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Front {
    title: String,
    kind: String,
    date: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    source: Option<Source>,
    themes: Vec<String>,
    tags: Vec<String>,
    draft: bool,
}

#[derive(Debug, Deserialize, Default, PartialEq)]
#[serde(default)]
struct Source {
    publication: Option<String>,
    url: Option<String>,
}

/// A Markdown file's front matter and body.
fn split(text: &str) -> (Front, String) {
    let rest = text.strip_prefix("---\n").expect("front matter opens");
    let end = rest.find("\n---\n").expect("front matter closes");
    let front: Front = serde_saphyr::from_str(&rest[..end]).expect("front matter is YAML");
    (front, rest[end + 5..].to_string())
}

/// Words, lower-cased, with typographic apostrophes made plain.
fn words(text: &str) -> Vec<String> {
    text.replace(['’', 'ʼ'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// What a Markdown body is made of, as a reader sees it.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    headings: Vec<String>,
    lists: Vec<Vec<String>>,
    pull_quotes: Vec<String>,
    quotes: Vec<String>,
    pairs: Vec<(String, String)>,
    /// Every word of the text, in order.
    words: Vec<String>,
}

/// The shape of a body, up to an editor's `## See also` section.
fn shape(body: &str) -> Shape {
    let body = body.split("\n## See also").next().unwrap_or(body);
    let mut shape = Shape::default();
    // The text of each open heading, item, quote, term and definition.
    let mut open: Vec<String> = Vec::new();
    let options = Options::ENABLE_DEFINITION_LIST | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::List(_)) => shape.lists.push(Vec::new()),
            Event::Start(
                Tag::Heading { .. }
                | Tag::Item
                | Tag::BlockQuote(_)
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition,
            ) => open.push(String::new()),
            Event::Text(t) | Event::Code(t) => {
                shape.words.extend(words(&t));
                for text in &mut open {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                for text in &mut open {
                    text.push(' ');
                }
            }
            Event::End(
                end @ (TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition),
            ) => {
                let text = open.pop().unwrap_or_default();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match end {
                    TagEnd::Heading(_) => shape.headings.push(text),
                    TagEnd::Item => shape.lists.last_mut().expect("a list").push(text),
                    TagEnd::BlockQuote(_) => match text.strip_prefix("[!pullquote]") {
                        Some(quote) => shape.pull_quotes.push(quote.trim().to_string()),
                        None => shape.quotes.push(text),
                    },
                    TagEnd::DefinitionListTitle => shape.pairs.push((text, String::new())),
                    _ => shape.pairs.last_mut().expect("a term").1 = text,
                }
            }
            _ => {}
        }
    }
    shape.words.retain(|w| w != "pullquote");
    shape
}

/// The longest common subsequence of two word lists, as a share of each.
fn overlap(a: &[String], b: &[String]) -> (f64, f64) {
    let mut previous = vec![0u32; b.len() + 1];
    let mut current = vec![0u32; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let common = f64::from(previous[b.len()]);
    (
        common / a.len().max(1) as f64,
        common / b.len().max(1) as f64,
    )
}

/// A copy of this repository's site (its site.toml, content and theme).
fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("copy");
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(
        &repo().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    dir
}

/// This repository's site without its articles and pages (which name the
/// hand conversions' files): a place to write the drafts.
fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(repo().join("site.toml"), dir.path().join("site.toml")).expect("copy");
    fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    fs::copy(
        repo().join("content/entities.yaml"),
        dir.path().join("content/entities.yaml"),
    )
    .expect("copy");
    copy_tree(
        &repo().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    dir
}

#[test]
fn each_seed_gives_the_hand_conversions_words_and_structure() {
    let site = site_copy();
    let mut problems = Vec::new();
    for &(seed, article) in SEEDS {
        let imported = import(
            Input::File(repo().join("tests/seeds").join(seed)),
            site.path(),
            Destination::Print,
        );
        assert!(imported.written.is_none(), "{seed}: --print wrote a file");
        let (front, body) = split(&imported.draft);
        let hand = fs::read_to_string(repo().join("content/articles").join(article)).expect("read");
        let (hand_front, hand_body) = split(&hand);
        let (got, want) = (shape(&body), shape(&hand_body));
        let at = |what: &str| format!("{seed}: {what}");

        if front.title != hand_front.title {
            problems.push(at(&format!(
                "title {:?} ≠ {:?}",
                front.title, hand_front.title
            )));
        }
        let (kept, extra) = overlap(&want.words, &got.words);
        if kept < 0.99 || extra < 0.99 {
            problems.push(at(&format!(
                "words: {:.1}% of the article's kept, {:.1}% of the draft's are the article's",
                kept * 100.0,
                extra * 100.0
            )));
        }
        for (what, a, b) in [
            ("headings", &got.headings, &want.headings),
            ("pull quotes", &got.pull_quotes, &want.pull_quotes),
            ("quotes", &got.quotes, &want.quotes),
        ] {
            if a != b {
                problems.push(at(&format!("{what} {a:?} ≠ {b:?}")));
            }
        }
        if got.lists != want.lists {
            problems.push(at(&format!("lists {:?} ≠ {:?}", got.lists, want.lists)));
        }
        if got.pairs != want.pairs {
            problems.push(at(&format!("pairs {:?} ≠ {:?}", got.pairs, want.pairs)));
        }
        // Facts: exactly those the hand conversion has, which are exactly
        // those the page states.
        let facts = |f: &Front| {
            (
                f.date.clone(),
                f.authors.clone(),
                f.source.as_ref().and_then(|s| s.publication.clone()),
                f.source.as_ref().and_then(|s| s.url.clone()),
            )
        };
        if facts(&front) != facts(&hand_front) {
            problems.push(at(&format!(
                "facts {:?} ≠ {:?}",
                facts(&front),
                facts(&hand_front)
            )));
        }
        if front.kind != hand_front.kind {
            problems.push(at(&format!("kind {} ≠ {}", front.kind, hand_front.kind)));
        }
        // Themes are suggestions: the likeliest must be one the editors chose,
        // and most of the others too.
        let shared = front
            .themes
            .iter()
            .filter(|t| hand_front.themes.contains(t))
            .count();
        if !front
            .themes
            .first()
            .is_some_and(|t| hand_front.themes.contains(t))
            || shared * 2 < front.themes.len()
        {
            problems.push(at(&format!(
                "themes {:?} ≉ {:?}",
                front.themes, hand_front.themes
            )));
        }
        let text = words(&body).join(" ");
        for tag in &front.tags {
            if !format!(" {text} ").contains(&format!(" {} ", words(tag).join(" "))) {
                problems.push(at(&format!("tag {tag:?} is not in the text")));
            }
        }
        if !front.draft {
            problems.push(at("not a draft"));
        }
        for phrase in SEED_CLUTTER {
            if body.to_lowercase().contains(&phrase.to_lowercase()) {
                problems.push(at(&format!("clutter left: {phrase:?}")));
            }
        }
        for comment in ["kind:", "themes:"] {
            let line = imported
                .draft
                .lines()
                .find(|l| l.starts_with(comment))
                .unwrap_or_default();
            if !line.contains("# suggested") {
                problems.push(at(&format!("{comment} carries no comment: {line}")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_report_lists_every_line_of_clutter_a_seed_had() {
    let site = site_copy();
    let seed = repo().join("tests/seeds/002_acaade2798fc046b.txt");
    let report = import(Input::File(seed.clone()), site.path(), Destination::Print).report;
    let text = fs::read_to_string(&seed).expect("read");
    let draft_free: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && [
                    "browser",
                    "cookies",
                    "Learn more",
                    "Comment",
                    "Have your say",
                    "sign in",
                    "Terms",
                    "HTML",
                ]
                .iter()
                .any(|c| l.contains(c))
        })
        .collect();
    assert_eq!(draft_free.len(), 11, "{draft_free:?}");
    let removed = report
        .split("\nremoved (")
        .nth(1)
        .expect("a removed section");
    for line in draft_free {
        let shown = format!("{:?}", line.trim_start_matches("• "));
        assert!(removed.contains(&shown), "{shown} not reported:\n{report}");
    }
    assert!(report.contains("removed (11 line(s))"), "{report}");
    assert!(
        report.contains("authors: Blair McPherson (line 14"),
        "{report}"
    );
}

/// A page of our own: `tests/import/<case>/fixture.toml`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Fixture {
    title: String,
    kind: String,
    date: Option<String>,
    authors: Vec<String>,
    publication: Option<String>,
    /// Question-and-answer pairs the draft must have.
    pairs: usize,
    clutter: Vec<String>,
    /// Facts only the HTML form states (its metadata).
    html: Option<HtmlFacts>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct HtmlFacts {
    publication: Option<String>,
    url: Option<String>,
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(repo().join("tests/import"))
        .expect("tests/import")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Compares `got` with the blessed file, or writes it under `TILLER_BLESS`.
fn blessed(path: &Path, got: &str, problems: &mut Vec<String>) {
    if std::env::var_os(BLESS).is_some() {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, got).expect("bless");
        return;
    }
    let want = fs::read_to_string(path).unwrap_or_default();
    if got != want {
        let line = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
        problems.push(format!(
            "{} differs at line {}:\n  got:  {:?}\n  want: {:?}\n(run with {BLESS}=1 to accept)",
            path.display(),
            line + 1,
            got.lines().nth(line).unwrap_or("<end>"),
            want.lines().nth(line).unwrap_or("<end>"),
        ));
    }
}

#[test]
fn pages_of_our_own_give_their_blessed_drafts_and_facts() {
    let cases = cases();
    assert!(cases.len() >= 6, "{cases:?}");
    let mut problems = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let fixture: Fixture =
            toml::from_str(&fs::read_to_string(case.join("fixture.toml")).expect("fixture.toml"))
                .expect("fixture.toml parses");
        let mut bodies = BTreeMap::new();
        for form in ["txt", "html"] {
            // Relative, so that the report names the page the same way on
            // every machine.
            let page = PathBuf::from("tests/import")
                .join(&name)
                .join(format!("page.{form}"));
            let imported = import(Input::File(page), &repo(), Destination::Print);
            let expected = case.join("expected");
            blessed(
                &expected.join(format!("page.{form}.md")),
                &imported.draft,
                &mut problems,
            );
            blessed(
                &expected.join(format!("page.{form}.report")),
                &imported.report,
                &mut problems,
            );

            let at = |what: String| format!("{name}/page.{form}: {what}");
            let (front, body) = split(&imported.draft);
            if front.title != fixture.title {
                problems.push(at(format!("title {:?}", front.title)));
            }
            if front.kind != fixture.kind {
                problems.push(at(format!("kind {:?}", front.kind)));
            }
            if front.date != fixture.date {
                problems.push(at(format!("date {:?}", front.date)));
            }
            if front.authors != fixture.authors {
                problems.push(at(format!("authors {:?}", front.authors)));
            }
            let html = fixture.html.as_ref().filter(|_| form == "html");
            let publication = html
                .and_then(|h| h.publication.clone())
                .or_else(|| fixture.publication.clone());
            let url = html.and_then(|h| h.url.clone());
            let source = front.source.unwrap_or_default();
            if source.publication != publication || source.url != url {
                problems.push(at(format!("source {source:?}")));
            }
            for phrase in &fixture.clutter {
                if body.to_lowercase().contains(&phrase.to_lowercase()) {
                    problems.push(at(format!("clutter left: {phrase:?}")));
                }
                if form == "txt" && !imported.report.contains(phrase.as_str()) {
                    problems.push(at(format!("clutter not reported: {phrase:?}")));
                }
            }
            let got = shape(&body);
            if got.pairs.len() != fixture.pairs {
                problems.push(at(format!("{} question-and-answer pairs", got.pairs.len())));
            }
            // The byline is set apart in a text page's body; an HTML page's
            // readability takes it out into the metadata.
            let without_byline: String = body
                .lines()
                .filter(|l| !(l.starts_with('*') && l.ends_with('*') && !l.starts_with("**")))
                .collect::<Vec<_>>()
                .join("\n");
            bodies.insert(form, shape(&without_byline));
        }
        let (txt, html) = (&bodies["txt"], &bodies["html"]);
        let (a, b) = overlap(&txt.words, &html.words);
        if a < 0.99 || b < 0.99 {
            problems.push(format!(
                "{name}: the text and HTML forms differ in words ({:.1}%, {:.1}%)",
                a * 100.0,
                b * 100.0
            ));
        }
        if (&txt.headings, &txt.lists, &txt.pairs) != (&html.headings, &html.lists, &html.pairs) {
            problems.push(format!(
                "{name}: the text and HTML forms differ in structure:\n  {txt:?}\n  {html:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Builds the site as `tiller check --drafts` does; gives the problems found
/// in `files`.
fn check_drafts(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let settings = Settings {
        root: root.to_path_buf(),
        drafts: Drafts::Include,
        strictness: Strictness::WarningsAllowed,
        ..Settings::default()
    };
    let diagnostics =
        match tiller::build(&settings, &mut tiller::Cache::new(), &mut tiller::NullStore) {
            Ok(report) => report.warnings,
            Err(failure) => failure.diagnostics().to_vec(),
        };
    let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    diagnostics
        .iter()
        .filter(|d| d.is_error() || shown.contains(&d.path))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_draft_passes_check_drafts_as_it_stands() {
    // The text forms and the seeds in one site, the HTML forms in another:
    // both forms of a page have the same title, so the same file name.
    let text_site = empty_site();
    let html_site = empty_site();
    let mut text_files = Vec::new();
    let mut html_files = Vec::new();
    for &(seed, _) in SEEDS {
        let input = Input::File(repo().join("tests/seeds").join(seed));
        text_files.extend(import(input, text_site.path(), Destination::ArticlesFolder).written);
    }
    for case in cases() {
        let text = Input::File(case.join("page.txt"));
        text_files.extend(import(text, text_site.path(), Destination::ArticlesFolder).written);
        let html = Input::File(case.join("page.html"));
        html_files.extend(import(html, html_site.path(), Destination::ArticlesFolder).written);
    }
    assert_eq!(text_files.len(), SEEDS.len() + cases().len());
    assert_eq!(html_files.len(), cases().len());
    for file in text_files.iter().chain(&html_files) {
        assert!(file.starts_with("content/articles"), "{}", file.display());
    }
    let problems: Vec<String> = check_drafts(text_site.path(), &text_files)
        .into_iter()
        .chain(check_drafts(html_site.path(), &html_files))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_kind_given_is_the_kind_written() {
    let imported = tiller::import::import(&Request {
        input: Input::File(repo().join("tests/seeds/003_295d93c52d02b9d3.txt")),
        root: repo(),
        destination: Destination::Print,
        kind: Some(Kind::Report),
    })
    .expect("imports");
    assert!(
        imported
            .draft
            .contains("\nkind: report  # given with --kind\n"),
        "{}",
        imported.draft
    );
}

// The command line.

fn tiller(args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiller"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tiller runs");
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().expect("stdin");
    std::thread::spawn(move || {
        use std::io::Write;
        let _ = pipe.write_all(&input);
    });
    child.wait_with_output().expect("tiller ends")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `content/`, with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).expect("read")))
        .collect();
    files.sort();
    files
}

#[test]
fn the_command_writes_a_draft_that_checks_and_never_overwrites_it() {
    let site = common::default_theme_site();
    let page = repo().join("tests/import/byline-time/page.txt");
    let page = page.to_str().expect("utf-8 path");
    let run = tiller(&["import", page], site.path(), None);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(run.stdout.is_empty());
    let written = "content/articles/interview-the-director-who-moved-her-office-into-a-day.md";
    assert!(
        stderr(&run).ends_with(&format!("wrote {written} (draft: true)\n")),
        "{}",
        stderr(&run)
    );
    let draft = fs::read_to_string(site.path().join(written)).expect("written");
    assert!(draft.contains("\ndraft: true"), "{draft}");
    // This site's own themes and tags are the ones suggested.
    assert!(
        draft.contains("\nthemes: [") && !draft.contains("the-directors-role"),
        "{draft}"
    );

    let check = tiller(&["check", "--drafts"], site.path(), None);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // The site's own warning is there before and after; the draft adds none.
    assert!(!stderr(&check).contains(written), "{}", stderr(&check));

    let before = snapshot(site.path());
    let again = tiller(&["import", page], site.path(), None);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again),
        format!(
            "{written}: error: the file already exists; it was left as it is, and nothing was written\n"
        )
    );
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn print_writes_nothing_and_standard_input_is_read() {
    let site = common::default_theme_site();
    let before = snapshot(site.path());
    let text = fs::read(repo().join("tests/import/no-headings/page.txt")).expect("read");
    let run = tiller(
        &["import", "-", "--print", "--kind", "briefing"],
        site.path(),
        Some(&text),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let draft = String::from_utf8(run.stdout.clone()).expect("utf-8");
    assert!(draft.starts_with("---\ntitle: \"A letter to the next generation of care leaders\"\nkind: briefing  # given with --kind\n"), "{draft}");
    assert!(
        stderr(&run).starts_with("import: <stdin> (plain text)\n"),
        "{}",
        stderr(&run)
    );
    assert!(
        stderr(&run).contains("nothing was written"),
        "{}",
        stderr(&run)
    );
    assert_eq!(snapshot(site.path()), before);

    let html = fs::read(repo().join("tests/import/cookie-dialog/page.html")).expect("read");
    let run = tiller(&["import", "-", "--print"], site.path(), Some(&html));
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).starts_with("import: <stdin> (HTML)\n"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn bad_input_is_refused_naming_the_file_and_nothing_is_written() {
    let site = common::default_theme_site();
    let pages = tempfile::tempdir().expect("temp");
    let nav_only = "Home\nNews\nSign in\nSubscribe\nShare\n© 2024 Someone\n";
    let deep = format!(
        "<!DOCTYPE html><html><body><h1>Deep</h1>{}<p>Words.</p>",
        "<div>".repeat(5000)
    );
    let html_nav = "<!DOCTYPE html><html><head><title>Menu</title></head><body><nav><a href=\"/\">Home</a></nav></body></html>";
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty.txt: error: the file is empty"),
        (
            "blank.txt",
            b" \n\n\t\n",
            "blank.txt: error: the file is empty",
        ),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0",
            "image.txt: error: the file is binary",
        ),
        (
            "latin1.txt",
            b"A title\n\nCaf\xe9 society and care.\n",
            "latin1.txt:3:4: error: the file is not valid UTF-8 text",
        ),
        (
            "menu.txt",
            nav_only.as_bytes(),
            "menu.txt: error: no recognisable article",
        ),
        (
            "prose-only.txt",
            b"Just one sentence of prose without any heading at all above it, and nothing else.\n",
            "prose-only.txt: error: no recognisable article",
        ),
        (
            "menu.html",
            html_nav.as_bytes(),
            "menu.html: error: no recognisable article",
        ),
        (
            "deep.html",
            deep.as_bytes(),
            "deep.html:1:5041: error: the page nests its elements more than 1000 deep",
        ),
    ];
    let before = snapshot(site.path());
    for (name, bytes, wanted) in cases {
        let path = pages.path().join(name);
        fs::write(&path, bytes).expect("write");
        let run = tiller(
            &["import", path.to_str().expect("utf-8")],
            site.path(),
            None,
        );
        let message = stderr(&run);
        assert_eq!(run.status.code(), Some(1), "{name}: {message}");
        let first = message.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("{}", pages.path().join(wanted).display())),
            "{name}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{name}: {message}");
        assert!(run.stdout.is_empty(), "{name}");
    }
    let missing = pages.path().join("gone.txt");
    let run = tiller(
        &["import", missing.to_str().expect("utf-8")],
        site.path(),
        None,
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).starts_with(&format!("{}: error: cannot read:", missing.display())),
        "{}",
        stderr(&run)
    );
    assert_eq!(snapshot(site.path()), before);

    // No site: the command is wrong, as for every other command.
    let run = tiller(
        &["import", missing.to_str().expect("utf-8")],
        pages.path(),
        None,
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
}
