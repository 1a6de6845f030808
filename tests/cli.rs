//! The `tiller` command as publishers and editors run it: exit codes, the
//! diagnostics on stderr and in the formats for machines (JSON lines, GitHub
//! annotations), the summary line, atomic output, `new`, and a folder that is
//! not a site.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
// A small site using the default theme, in a fresh folder.
use common::default_theme_site as site;

fn tiller(args: &[&str], dir: &Path) -> Output {
    tiller_with(args, dir, &[])
}

/// Runs tiller with these environment variables set, and without
/// `GITHUB_ACTIONS` unless given (the tests may run inside GitHub Actions,
/// where it would choose the github format).
fn tiller_with(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tiller"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("tiller runs")
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

/// Names in `folder` that a build's staging or retired folders would have.
fn leftovers(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tiller-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_symlinked_output_folder_is_refused_and_what_it_points_to_is_untouched() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp");
    let served = elsewhere.path().join("www");
    fs::create_dir(&served).expect("folder");
    fs::write(served.join("keep.html"), "not Tiller's").expect("file");
    let link = site.path().join("public");
    std::os::unix::fs::symlink(&served, &link).expect("link");
    for extra in [&[][..], &["--force"][..]] {
        let run = tiller(&[&["build"][..], extra].concat(), site.path());
        assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
        let err = stderr(&run);
        assert!(
            err.contains("is a symbolic link to")
                && err.contains(&served.display().to_string())
                && err.contains("./public"),
            "the message names the link and its target: {err}"
        );
        assert!(err.contains("was left as it was"), "{err}");
    }
    assert!(fs::symlink_metadata(&link).expect("link").is_symlink());
    assert_eq!(
        snapshot(&served),
        [("keep.html".to_string(), b"not Tiller's".to_vec())]
    );
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn a_folder_tiller_did_not_make_is_replaced_only_with_force() {
    let site = site();
    let documents = tempfile::tempdir().expect("temp");
    let output = documents.path().join("site");
    fs::create_dir(&output).expect("folder");
    fs::write(output.join("letter.txt"), "mine").expect("file");
    let output_arg = output.to_str().expect("utf-8");

    let run = tiller(&["build", "--output", output_arg], site.path());
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("was not made by Tiller") && err.contains("--force"),
        "the message says how to proceed: {err}"
    );
    assert_eq!(
        snapshot(&output),
        [("letter.txt".to_string(), b"mine".to_vec())]
    );

    let run = tiller(&["build", "--output", output_arg, "--force"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!output.join("letter.txt").exists());
    assert!(output.join(tiller::write::MARKER).is_file());
    // Tiller's own folder now: replaced without --force from here on.
    let run = tiller(&["build", "--output", output_arg], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(leftovers(documents.path()), Vec::<String>::new());

    // An empty folder is anyone's to fill.
    let empty = documents.path().join("empty");
    fs::create_dir(&empty).expect("folder");
    let run = tiller(
        &["build", "--output", empty.to_str().expect("utf-8")],
        site.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(empty.join("index.html").is_file());

    // A file is never replaced.
    let file = documents.path().join("file");
    fs::write(&file, "data").expect("file");
    let run = tiller(
        &[
            "build",
            "--force",
            "--output",
            file.to_str().expect("utf-8"),
        ],
        site.path(),
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(fs::read_to_string(&file).expect("read"), "data");
}

#[test]
fn the_next_build_tidies_what_killed_builds_left_and_nothing_else() {
    let site = site();
    assert!(tiller(&["build"], site.path()).status.success());
    let marked = |name: &str| {
        let folder = site.path().join(name);
        fs::create_dir_all(folder.join("articles")).expect("folder");
        fs::write(folder.join(tiller::write::MARKER), "").expect("marker");
        fs::write(folder.join("articles/index.html"), "half").expect("file");
    };
    marked(".public.tiller-new-4000001");
    marked(".public.tiller-old-4000002");
    // Same name but not Tiller's (no marker): kept.
    let foreign = site.path().join(".public.tiller-new-4000003");
    fs::create_dir(&foreign).expect("folder");
    fs::write(foreign.join("notes.txt"), "mine").expect("file");

    let run = tiller(&["build"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run)
            .contains("note: removed ./.public.tiller-new-4000001, left by a stopped build"),
        "{}",
        stderr(&run)
    );
    assert_eq!(leftovers(site.path()), [".public.tiller-new-4000003"]);
    assert!(foreign.join("notes.txt").is_file());
}

#[test]
fn a_site_moved_aside_by_a_killed_build_is_put_back_even_if_the_next_build_fails() {
    let site = site();
    assert!(tiller(&["build"], site.path()).status.success());
    let built = snapshot(&site.path().join("public"));
    // Killed between moving the old site aside and moving the new one in
    // (only possible where folders cannot be swapped in one step).
    fs::rename(
        site.path().join("public"),
        site.path().join(".public.tiller-old-4000004"),
    )
    .expect("move aside");
    fs::write(
        site.path().join("content/articles/broken.md"),
        "---\ntitle: [\n---\n",
    )
    .expect("write");
    let run = tiller(&["build"], site.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("note: put back the site"),
        "{}",
        stderr(&run)
    );
    assert!(stderr(&run).contains("./public was left as it was"));
    assert_eq!(snapshot(&site.path().join("public")), built);
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let site = site();
    let article = site.path().join("content/articles/supervision.md");
    let texts = {
        let text = fs::read_to_string(&article).expect("read");
        [text.clone(), text.replace("Managers.", "Managers, edited.")]
    };
    assert_ne!(texts[0], texts[1]);
    // The two sites a build may leave: of each version of the article.
    let mut sites = Vec::new();
    for text in &texts {
        fs::write(&article, text).expect("write");
        let run = tiller(&["build"], site.path());
        assert!(run.status.success(), "{}", stderr(&run));
        sites.push(snapshot(&site.path().join("public")));
    }
    // How long a whole build takes here, to spread the kills over it.
    let started = std::time::Instant::now();
    assert!(tiller(&["build"], site.path()).status.success());
    let whole = started.elapsed();
    let mut current = 1;
    let mut written = 1;
    let mut seen = [0, 0];
    // From at once to well after a build would have finished; should the
    // machine be slower now than when `whole` was timed (other tests run
    // beside this one), the delays go on growing until kills have fallen
    // on both sides of publishing.
    let mut kills = 0;
    while kills < 40 || (seen.contains(&0) && kills < 400) {
        let next = 1 - current;
        fs::write(&article, &texts[next]).expect("write");
        written = next;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tiller"))
            .arg("build")
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("tiller runs");
        let delay = whole * 3 * kills / 80;
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let left = snapshot(&site.path().join("public"));
        let which = sites
            .iter()
            .position(|s| *s == left)
            .unwrap_or_else(|| panic!("killed after {delay:?}: a mix of two sites"));
        assert!(which == current || which == next);
        seen[usize::from(which == next)] += 1;
        current = which;
        kills += 1;
    }
    eprintln!(
        "a build of {whole:?} killed {kills} times: the old site left {} times, the new {} times",
        seen[0], seen[1]
    );
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "the kills fell both before and after publishing"
    );
    // The next build tidies whatever the kills left, and builds as usual.
    let run = tiller(&["build"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
    assert_eq!(snapshot(&site.path().join("public")), sites[written]);
}

#[test]
fn a_build_waits_while_another_writes_beside_the_same_output() {
    use std::io::{BufRead, BufReader};
    let site = site();
    // Hold the lock a running build holds: on the output's parent folder.
    let held = fs::File::open(site.path()).expect("open the folder");
    held.lock().expect("lock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiller"))
        .arg("build")
        .current_dir(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tiller runs");
    let mut err = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            err.read_line(&mut line).expect("read") > 0,
            "the build said it waits"
        );
        if line.starts_with("note: another build is writing beside ./public; waiting") {
            break;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(child.try_wait().expect("status").is_none(), "still waiting");
    assert!(!site.path().join("public").exists());
    held.unlock().expect("unlock");
    let status = child.wait().expect("finishes");
    assert!(status.success());
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn two_builds_started_at_once_end_as_one_clean_build() {
    let site = site();
    let out = tempfile::tempdir().expect("temp");
    let clean = out.path().join("clean");
    assert!(
        tiller(
            &["build", "--output", clean.to_str().expect("utf-8")],
            site.path()
        )
        .status
        .success()
    );
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_tiller"))
            .arg("build")
            .current_dir(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("tiller runs")
    };
    for _ in 0..5 {
        let (first, second) = (spawn(), spawn());
        for child in [first, second] {
            let run = child.wait_with_output().expect("finishes");
            assert!(run.status.success(), "{}", stderr(&run));
        }
        assert_eq!(snapshot(&site.path().join("public")), snapshot(&clean));
        assert_eq!(leftovers(site.path()), Vec::<String>::new());
    }
}

#[test]
fn links_inside_the_site_are_followed_and_links_leaving_it_are_skipped_with_a_warning() {
    use std::os::unix::fs::symlink;
    let site = site();
    let root = site.path();
    let elsewhere = tempfile::tempdir().expect("temp");
    let secret = elsewhere.path().join("secret.md");
    fs::write(
        &secret,
        "---\ntitle: Secret\nkind: blog\nthemes: [workforce]\n---\n\nOUTSIDE-TEXT\n",
    )
    .expect("write");
    fs::write(elsewhere.path().join("secret.css"), "OUTSIDE-CSS").expect("write");

    // Inside the root: followed.
    fs::create_dir_all(root.join("drafts")).expect("folder");
    fs::write(
        root.join("drafts/linked.md"),
        "---\ntitle: Linked\nkind: blog\nthemes: [workforce]\n---\n\nLINKED-TEXT\n",
    )
    .expect("write");
    symlink(
        "../../drafts/linked.md",
        root.join("content/articles/linked.md"),
    )
    .expect("link");
    fs::create_dir_all(root.join("guides")).expect("folder");
    fs::write(
        root.join("guides/start.md"),
        "---\ntitle: Start\n---\n\nGUIDE-TEXT\n",
    )
    .expect("write");
    symlink("../guides", root.join("content/guides")).expect("link");
    // Outside, to nothing, and round in a loop: skipped.
    symlink(&secret, root.join("content/articles/outside.md")).expect("link");
    symlink(elsewhere.path(), root.join("content/away")).expect("link");
    symlink("nowhere.md", root.join("content/articles/dangling.md")).expect("link");
    symlink(".", root.join("content/loop")).expect("link");
    fs::create_dir_all(root.join("static")).expect("folder");
    symlink(
        elsewhere.path().join("secret.css"),
        root.join("static/extra.css"),
    )
    .expect("link");

    let run = tiller(&["build"], root);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    for expected in [
        "content/articles/dangling.md:1:1: warning: skipped: this link leads to nothing",
        "content/articles/outside.md:1:1: warning: skipped: this leads outside the site, to ",
        "content/away:1:1: warning: skipped: this leads outside the site, to ",
        "content/loop:1:1: warning: skipped: this link leads back to a folder that holds it, round in a loop",
        "static/extra.css:1:1: warning: skipped: this leads outside the site, to ",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let public = root.join("public");
    let linked = fs::read_to_string(public.join("articles/linked/index.html")).expect("page");
    assert!(linked.contains("LINKED-TEXT"));
    let guide = fs::read_to_string(public.join("guides/start/index.html")).expect("page");
    assert!(guide.contains("GUIDE-TEXT"));
    assert!(!public.join("articles/outside").exists());
    assert!(!public.join("extra.css").exists());
    for (path, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("OUTSIDE-"),
            "{path} holds text from outside the site"
        );
    }
    let strict = tiller(&["check", "--strict"], root);
    assert_eq!(strict.status.code(), Some(1));

    // A theme folder that leads outside the site is not read either.
    copy_theme_to(elsewhere.path());
    symlink(elsewhere.path().join("other"), root.join("themes/other")).expect("link");
    let config = fs::read_to_string(root.join("site.toml")).expect("read");
    fs::write(
        root.join("site.toml"),
        format!("theme = \"other\"\n{config}"),
    )
    .expect("write");
    let run = tiller(&["check"], root);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).starts_with("site.toml:1:9: error: theme \"other\": its folder themes/other leads outside the site, to "),
        "{}",
        stderr(&run)
    );
}

/// A copy of the default theme, as `other`, in `folder`.
fn copy_theme_to(folder: &Path) {
    common::copy_tree(
        &common::repo().join("themes/default"),
        &folder.join("other"),
    );
}

/// The `errors-links` fixture (twelve broken links and a theme with no
/// articles) with the plain test theme, in a fresh folder under `parent`.
fn broken_site(parent: &Path) -> std::path::PathBuf {
    let site = parent.join("site");
    common::copy_tree(&common::repo().join("tests/fixtures/errors-links"), &site);
    fs::remove_file(site.join("expected-diagnostics.txt")).expect("remove");
    common::copy_tree(
        &common::repo().join("tests/themes/plain"),
        &site.join("themes/plain"),
    );
    site
}

/// The diagnostics the human format gives for the broken site, as in the
/// fixture's expected file.
fn expected_human_lines() -> Vec<String> {
    let expected = fs::read_to_string(
        common::repo().join("tests/fixtures/errors-links/expected-diagnostics.txt"),
    )
    .expect("read");
    expected.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn json_gives_one_object_a_line_with_codes_then_a_summary() {
    let dir = tempfile::tempdir().expect("temp");
    let site = broken_site(dir.path());
    for command in ["check", "build"] {
        let run = tiller(&[command, "--format", "json"], &site);
        assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
        let out = stdout(&run);
        let objects: Vec<serde_json::Value> = out
            .lines()
            .map(|line| serde_json::from_str(line).expect("every line is JSON"))
            .collect();
        let (summary, diagnostics) = objects.split_last().expect("lines");
        // The same problems as the human format, in the same order.
        let human: Vec<String> = diagnostics
            .iter()
            .map(|d| {
                assert_eq!(d["type"], "diagnostic");
                format!(
                    "{}:{}:{}: {}: {}",
                    d["file"].as_str().expect("file"),
                    d["line"],
                    d["column"],
                    d["severity"].as_str().expect("severity"),
                    d["message"].as_str().expect("message")
                )
            })
            .collect();
        assert_eq!(human, expected_human_lines());
        let codes: Vec<&str> = diagnostics
            .iter()
            .map(|d| d["code"].as_str().expect("code"))
            .collect();
        assert_eq!(
            codes,
            [
                "link/missing-file",
                "link/missing-anchor",
                "link/forbidden-scheme",
                "link/forbidden-scheme",
                "link/invalid",
                "link/draft",
                "link/missing-file",
                "link/missing-anchor",
                "link/missing-page",
                "link/missing-page",
                "link/missing-anchor",
                "link/missing-anchor",
                "taxonomy/empty-theme",
            ]
        );
        assert_eq!(summary["type"], "summary");
        assert_eq!(summary["command"], command);
        assert_eq!(summary["success"], false);
        assert_eq!(summary["exit_code"], 1);
        assert_eq!(summary["errors"], 12);
        assert_eq!(summary["warnings"], 1);
        assert!(summary.get("pages").is_none(), "{summary}");
        // Nothing for people on stderr but notes.
        assert!(
            stderr(&run).lines().all(|l| l.starts_with("note: ")),
            "{}",
            stderr(&run)
        );
    }
    assert!(!site.join("public").exists());
}

#[test]
fn json_summarises_a_successful_build_with_its_counts() {
    let site = site();
    let run = tiller(&["build", "--format", "json"], site.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let out = stdout(&run);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[0]["code"], "markdown/raw-html");
    assert_eq!(lines[0]["severity"], "warning");
    let summary = &lines[1];
    assert_eq!(summary["success"], true);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["pages"], 19);
    assert_eq!(summary["articles"], 2);
    assert_eq!(summary["warnings"], 1);
    assert_eq!(summary["output"], "./public");
    assert!(summary["milliseconds"].is_u64());
}

#[test]
fn github_gives_workflow_commands_and_is_chosen_inside_github_actions() {
    let dir = tempfile::tempdir().expect("temp");
    let site = broken_site(dir.path());
    let asked = tiller(&["check", "--format", "github"], &site);
    let chosen = tiller_with(&["check"], &site, &[("GITHUB_ACTIONS", "true")]);
    for run in [&asked, &chosen] {
        assert_eq!(run.status.code(), Some(1));
        let out = stdout(run);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 13, "{out}");
        assert_eq!(
            lines[0],
            "::error file=content/articles/source.md,line=7,col=1,title=tiller link/missing-file\
             ::broken link to articles/missing.md: there is no file content/articles/missing.md"
        );
        assert_eq!(
            lines[12],
            "::warning file=site.toml,line=10,col=26,title=tiller taxonomy/empty-theme\
             ::theme \"risk\" has no articles: file some under it, or remove it"
        );
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
        );
        assert_eq!(
            stderr(run).trim_end(),
            "check failed: 12 error(s), 1 warning(s)"
        );
    }
    // Asked for, another format wins over GITHUB_ACTIONS.
    let human = tiller_with(
        &["check", "--format", "human"],
        &site,
        &[("GITHUB_ACTIONS", "true")],
    );
    assert!(stdout(&human).is_empty());
    assert!(stderr(&human).starts_with("content/articles/source.md:7:1: error: broken link"));
    // Run from the repository's root with --root, paths name the file from there.
    let from_above = tiller(
        &["check", "--format", "github", "--root", "site"],
        dir.path(),
    );
    assert!(
        stdout(&from_above)
            .starts_with("::error file=site/content/articles/source.md,line=7,col=1,"),
        "{}",
        stdout(&from_above)
    );
}

#[test]
fn github_escapes_percent_signs_and_separators() {
    let site = site();
    let article = site.path().join("content/articles/supervision.md");
    let text = fs::read_to_string(&article).expect("read");
    fs::write(
        &article,
        text.replacen("\n---\n", "\n---\n\n[a](100%25,done.md)\n", 1),
    )
    .expect("write");
    let run = tiller(&["check", "--format", "github"], site.path());
    assert_eq!(run.status.code(), Some(1));
    let out = stdout(&run);
    let line = out
        .lines()
        .find(|l| l.contains("link/missing-file"))
        .expect("the broken link");
    assert!(
        line.ends_with("::broken link to articles/100%25,done.md: there is no file content/articles/100%25,done.md"),
        "{line}"
    );
}

#[test]
fn a_folder_without_site_toml_is_told_to_run_init() {
    let dir = tempfile::tempdir().expect("temp");
    for command in ["build", "check"] {
        let run = tiller(&[command], dir.path());
        assert_eq!(run.status.code(), Some(2));
        assert!(
            stderr(&run).starts_with(
                "site.toml:1:1: error: no site.toml here: run `tiller init` to start a site"
            ),
            "{}",
            stderr(&run)
        );
        let json = tiller(&[command, "--format", "json"], dir.path());
        let first: serde_json::Value =
            serde_json::from_str(stdout(&json).lines().next().expect("a line")).expect("JSON");
        assert_eq!(first["code"], "config/missing");
    }
    // serve exits rather than serving nothing.
    let run = tiller(&["serve", "--port", "0"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("no site.toml here: run `tiller init`"),
        "{}",
        stderr(&run)
    );
    let elsewhere = tiller(&["check", "--root", "nowhere"], dir.path());
    assert!(
        stderr(&elsewhere).contains("no site.toml in nowhere: run `tiller init`"),
        "{}",
        stderr(&elsewhere)
    );
    assert!(fs::read_dir(dir.path()).expect("read").next().is_none());
}

/// Every file of a site built in memory.
fn compiled(root: &Path) -> tiller::Output {
    tiller::compile(&tiller::Settings {
        root: root.to_path_buf(),
        ..tiller::Settings::default()
    })
    .expect("builds")
    .output
}

#[test]
fn init_writes_a_site_that_builds_and_checks_at_once_with_the_embedded_theme() {
    let dir = tempfile::tempdir().expect("temp");
    let run = tiller(&["init", "mysite"], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).contains("created mysite/site.toml"),
        "{}",
        stdout(&run)
    );
    assert!(stdout(&run).contains("tiller serve"), "{}", stdout(&run));
    let site = dir.path().join("mysite");
    for file in [
        "site.toml",
        "content/about.md",
        "content/articles/making-time-for-supervision.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(!site.join("themes").exists(), "no theme folder");
    for command in ["check", "build"] {
        let run = tiller(&[command, "--format", "json"], &site);
        assert!(run.status.success(), "{}", stdout(&run));
        let out = stdout(&run);
        let summary: serde_json::Value = serde_json::from_str(out.trim_end()).expect("one line");
        assert_eq!(summary["errors"], 0);
        assert_eq!(summary["warnings"], 0, "{out}");
        assert_eq!(summary["articles"], 1);
        assert_eq!(summary["themes"], 2);
    }
    assert!(
        site.join("public/articles/making-time-for-supervision/index.html")
            .is_file()
    );
    assert!(
        site.join("public/style.css").is_file(),
        "the theme's static files"
    );
}

#[test]
fn the_embedded_theme_builds_what_the_ejected_copy_builds() {
    let dir = tempfile::tempdir().expect("temp");
    assert!(tiller(&["init"], dir.path()).status.success());
    let embedded = compiled(dir.path());
    let eject = tiller(&["theme", "eject"], dir.path());
    assert!(eject.status.success(), "{}", stderr(&eject));
    assert!(
        dir.path()
            .join("themes/default/templates/base.html")
            .is_file()
    );
    let ejected = compiled(dir.path());
    assert!(embedded.iter().count() > 10);
    assert!(embedded == ejected, "the same site, byte for byte");
    // And the repository's own theme folder gives it too.
    fs::remove_dir_all(dir.path().join("themes")).expect("remove");
    common::copy_tree(
        &common::repo().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    assert!(compiled(dir.path()) == embedded);
    // Ejecting again is refused, leaving the copy as it is.
    let again = tiller(&["theme", "eject"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    // init --theme copies it out at once.
    let other = tempfile::tempdir().expect("temp");
    assert!(tiller(&["init", "--theme"], other.path()).status.success());
    assert!(
        other
            .path()
            .join("themes/default/static/style.css")
            .is_file()
    );
    assert!(compiled(other.path()).iter().count() == embedded.iter().count());
}

#[test]
fn init_refuses_a_folder_that_holds_anything_and_writes_nothing() {
    let site = site();
    let before = snapshot(site.path());
    let run = tiller(&["init"], site.path());
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).starts_with("error: . is not empty; start a site in an empty or new folder"),
        "{}",
        stderr(&run)
    );
    assert!(stdout(&run).is_empty());
    assert_eq!(snapshot(site.path()), before);
    let dir = tempfile::tempdir().expect("temp");
    fs::write(dir.path().join("notes.md"), "mine").expect("write");
    let run = tiller(&["init", "."], dir.path());
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(snapshot(dir.path()).len(), 1);
}

#[test]
fn completions_name_every_command_for_each_shell() {
    let dir = tempfile::tempdir().expect("temp");
    for shell in ["bash", "zsh", "fish"] {
        let run = tiller(&["completions", shell], dir.path());
        assert!(run.status.success(), "{shell}: {}", stderr(&run));
        let script = stdout(&run);
        assert!(script.len() > 500, "{shell}: {script}");
        for command in [
            "build",
            "check",
            "serve",
            "new",
            "import",
            "init",
            "theme",
            "completions",
            "format",
        ] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let unknown = tiller(&["completions", "cmd.exe"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
}
