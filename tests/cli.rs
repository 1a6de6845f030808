//! The `tiller` command as publishers and editors run it: exit codes, the
//! diagnostics format on stderr, the summary line, atomic output and `new`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
// A small site using the default theme, in a fresh folder.
use common::default_theme_site as site;

fn tiller(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiller"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("tiller runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn snapshot(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                tiller::load::relative(folder, e.path()),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn build_prints_one_summary_line_and_writes_public() {
    let site = site();
    let run = tiller(&["build"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let summary = stdout(&run);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(
        summary.starts_with("built 19 pages (2 articles, 2 themes, 3 tags) into ./public in "),
        "{summary}"
    );
    assert!(
        summary.trim_end().ends_with("ms, 1 warning(s)"),
        "{summary}"
    );
    assert!(
        site.path()
            .join("public/articles/supervision/index.html")
            .exists()
    );
    assert!(stderr(&run).starts_with("content/articles/recruitment.md:12:8: warning: raw HTML"));
}

#[test]
fn a_broken_build_reports_every_problem_exits_1_and_keeps_the_old_site() {
    let site = site();
    assert!(tiller(&["build"], site.path()).status.success());
    let before = snapshot(&site.path().join("public"));

    let article = site.path().join("content/articles/supervision.md");
    let text = fs::read_to_string(&article).expect("read");
    let broken = text
        .replace("kind: briefing", "kind: briefing\ntagz: [oops]")
        .replace(
            "recruitment.md#why-it-matters",
            "recruitment.md#no-such-part",
        );
    fs::write(&article, broken).expect("write");
    fs::write(
        site.path().join("content/articles/other.md"),
        "---\ntitle: Other\nkind: blog\nthemes: [workforce]\n---\n\n[gone](gone.md)\n",
    )
    .expect("write");

    let run = tiller(&["build"], site.path());
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "content/articles/other.md:7:1: error: broken link to articles/gone.md: there is no file content/articles/gone.md",
            "content/articles/recruitment.md:12:8: warning: raw HTML is shown as text; set raw_html = \"allow\" under [markdown] in site.toml to render it",
            "content/articles/supervision.md:4:1: error: front matter: unknown field `tagz`, expected one of title, kind, date, updated, authors, source, themes, tags, summary, draft",
        ],
        "{err}"
    );
    assert!(lines[3].starts_with("content/articles/supervision.md:13:51: error: broken link to articles/recruitment.md#no-such-part"), "{err}");
    assert!(
        lines[4]
            .starts_with("build (./public was left as it was) failed: 3 error(s), 1 warning(s)"),
        "{err}"
    );
    assert!(stdout(&run).is_empty());
    assert_eq!(
        snapshot(&site.path().join("public")),
        before,
        "the old site is untouched"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tiller"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders are left behind: {leftovers:?}"
    );
}

#[test]
fn config_errors_exit_2() {
    let site = site();
    fs::write(
        site.path().join("site.toml"),
        "title = \"x\"\nbase_url = 3\n",
    )
    .expect("write");
    let run = tiller(&["build"], site.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run)
            .starts_with("site.toml:2:12: error: invalid type: integer `3`, expected a string"),
        "{}",
        stderr(&run)
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_missing_theme_is_a_config_error() {
    let site = site();
    let config = fs::read_to_string(site.path().join("site.toml")).expect("read");
    fs::write(
        site.path().join("site.toml"),
        format!("theme = \"nope\"\n{config}"),
    )
    .expect("write");
    let run = tiller(&["check"], site.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).starts_with("site.toml:1:9: error: theme \"nope\" not found"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = site();
    for output in [".", "content", "themes/default/out", "/"] {
        let run = tiller(&["build", "--output", output], site.path());
        assert_eq!(run.status.code(), Some(2), "{output}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("refusing to write the site"),
            "{}",
            stderr(&run)
        );
    }
    assert!(site.path().join("content/articles/supervision.md").exists());
}

#[test]
fn check_reports_but_writes_nothing() {
    let site = site();
    let run = tiller(&["check"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).starts_with("checked 19 pages (2 articles, 2 themes, 3 tags) in "));
    assert!(!site.path().join("public").exists());
    let run = tiller(&["check", "--strict"], site.path());
    assert_eq!(run.status.code(), Some(1), "warnings fail under --strict");
}

#[test]
fn output_and_base_url_can_be_chosen() {
    let site = site();
    let out = tempfile::tempdir().expect("temp");
    let target = out.path().join("site");
    let run = tiller(
        &[
            "build",
            "--output",
            target.to_str().expect("utf-8"),
            "--base-url",
            "https://example.net/sub/",
        ],
        site.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let home = fs::read_to_string(target.join("index.html")).expect("home");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.net/sub/\">"));
    assert!(home.contains("href=\"/sub/themes/\""));
}

#[test]
fn new_writes_an_article_that_builds_and_never_overwrites() {
    let site = site();
    let run = tiller(&["new", "What Directors Need: a Guide"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let path = site
        .path()
        .join("content/articles/what-directors-need-a-guide.md");
    let text = fs::read_to_string(&path).expect("created");
    assert!(
        text.starts_with("---\ntitle: \"What Directors Need: a Guide\"\nkind: blog"),
        "{text}"
    );
    assert!(text.contains("themes: [workforce]"), "{text}");
    assert!(
        tiller(&["check"], site.path()).status.success(),
        "a new article builds as it is"
    );

    fs::write(&path, "edited").expect("edit");
    let again = tiller(&["new", "What directors need: a guide"], site.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(fs::read_to_string(&path).expect("read"), "edited");
}

#[test]
fn two_builds_write_identical_trees() {
    let site = site();
    assert!(
        tiller(&["build", "--output", "one"], site.path())
            .status
            .success()
    );
    assert!(
        tiller(&["build", "--output", "two"], site.path())
            .status
            .success()
    );
    let one = snapshot(&site.path().join("one"));
    assert!(one.len() > 10);
    assert_eq!(one, snapshot(&site.path().join("two")));
}

#[test]
fn unknown_commands_exit_2() {
    let site = site();
    assert_eq!(tiller(&["publish"], site.path()).status.code(), Some(2));
}
