//! Incremental rebuilds (what `serve` runs on every change): after each kind
//! of edit an editor makes, the rebuilt site must be byte for byte what a cold
//! build of the same files gives, and only what changed must change.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::sync::Arc;

mod common;
use common::{copy_tree, repo};

use tiller::serve::session::{Rebuilt, Session};
use tiller::serve::watch::Changes;
use tiller::{Settings, Strictness};

/// A copy of the fixture `name` with the repo's themes.
fn site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    copy_tree(&repo().join("tests/themes"), &dir.path().join("themes"));
    copy_tree(
        &repo().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    let fixture = repo().join("tests/fixtures").join(name);
    for part in ["site.toml", "content", "static"] {
        let from = fixture.join(part);
        if from.is_dir() {
            copy_tree(&from, &dir.path().join(part));
        } else if from.exists() {
            fs::copy(&from, dir.path().join(part)).expect("copy");
        }
    }
    dir
}

/// A copy of the fixture `name`, and a session that has built it once.
fn built(name: &str) -> (tempfile::TempDir, Session) {
    let dir = site(name);
    let mut session = Session::new(settings(dir.path()));
    session.rebuild(&Changes::everything());
    (dir, session)
}

fn settings(root: &Path) -> Settings {
    Settings {
        root: root.to_path_buf(),
        strictness: Strictness::WarningsAllowed,
        ..Settings::default()
    }
}

/// What a cold build of the same folder gives.
fn cold(root: &Path) -> HashMap<String, Vec<u8>> {
    let built = tiller::compile(&settings(root)).expect("cold build");
    built
        .output
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect()
}

fn files(rebuilt: &Rebuilt) -> HashMap<String, Vec<u8>> {
    let files = rebuilt.files.as_ref().unwrap_or_else(|| {
        let problems: Vec<String> = rebuilt.problems.iter().map(ToString::to_string).collect();
        panic!("rebuild failed: {problems:?}")
    });
    files
        .iter()
        .map(|(p, f)| (p.to_string(), f.bytes.to_vec()))
        .collect()
}

fn assert_same(rebuilt: &Rebuilt, root: &Path) {
    let incremental = files(rebuilt);
    let cold = cold(root);
    let mut paths: BTreeSet<&String> = incremental.keys().collect();
    paths.extend(cold.keys());
    for path in paths {
        assert_eq!(
            incremental.get(path).map(|b| String::from_utf8_lossy(b)),
            cold.get(path).map(|b| String::from_utf8_lossy(b)),
            "{path} differs from a cold build"
        );
    }
}

fn changed(root: &Path, paths: &[&str]) -> Changes {
    Changes {
        paths: paths.iter().map(|p| root.join(p)).collect(),
        rescan: false,
    }
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let file = root.join(path);
    let text = fs::read_to_string(&file).expect("read");
    assert!(text.contains(from), "{path} has no {from:?}");
    fs::write(&file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn the_first_rebuild_is_a_cold_build() {
    for fixture in [
        "links",
        "taxonomies",
        "markdown",
        "default-theme",
        "base-path",
        "entities",
    ] {
        let dir = site(fixture);
        let mut session = Session::new(settings(dir.path()));
        let rebuilt = session.rebuild(&Changes::everything());
        assert_same(&rebuilt, dir.path());
    }
}

#[test]
fn editing_a_body_changes_that_page_and_what_shows_it() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();
    edit(
        root,
        "content/articles/recruitment.md",
        "matters.",
        "matters a great deal.",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/articles/recruitment.md"]));
    assert_same(&rebuilt, root);
    let changed: Vec<&str> = rebuilt.changed.iter().map(String::as_str).collect();
    // Its page, and every listing that shows its summary (which is its first paragraph).
    assert!(
        changed.contains(&"articles/recruitment/index.html"),
        "{changed:?}"
    );
    assert!(!changed.contains(&"articles/supervision/index.html") || changed.len() > 1);
    assert!(!changed.contains(&"about/index.html"), "{changed:?}");
}

#[test]
fn a_change_that_moves_nothing_changes_only_its_page_and_feeds() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();
    edit(
        root,
        "content/articles/supervision.md",
        "Time to think.",
        "Time to think, together.",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/articles/supervision.md"]));
    assert_same(&rebuilt, root);
    assert_eq!(rebuilt.parsed, 1);
    let changed: Vec<&str> = rebuilt.changed.iter().map(String::as_str).collect();
    // The page, the feeds that carry its full text, and the search files
    // that hold its text and its new word; no listing shows this paragraph.
    assert_eq!(
        changed,
        [
            "articles/supervision/index.html",
            "atom.xml",
            "search/text-0.js",
            "search/words-t.js",
            "themes/practice/atom.xml",
            "themes/workforce/atom.xml"
        ]
    );
}

#[test]
fn metadata_links_templates_and_config_changes_match_a_cold_build() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();

    edit(
        root,
        "content/articles/supervision.md",
        "tags: [supervision, caseloads]",
        "tags: [supervision, workload]",
    );
    assert_same(
        &session.rebuild(&changed(root, &["content/articles/supervision.md"])),
        root,
    );

    edit(
        root,
        "content/articles/recruitment.md",
        "## Why it matters",
        "## Why it matters\n\nSee [supervision](supervision.md).",
    );
    assert_same(
        &session.rebuild(&changed(root, &["content/articles/recruitment.md"])),
        root,
    );

    edit(
        root,
        "themes/default/templates/card.html",
        "<article class=\"card\">",
        "<article class=\"card card-x\">",
    );
    let rebuilt = session.rebuild(&changed(root, &["themes/default/templates/card.html"]));
    assert_same(&rebuilt, root);
    assert!(rebuilt.changed.contains("articles/index.html"));
    assert_eq!(
        rebuilt.parsed, 0,
        "a template change parses no content again"
    );

    edit(
        root,
        "site.toml",
        "title = \"Default theme\"",
        "title = \"Renamed\"",
    );
    let rebuilt = session.rebuild(&changed(root, &["site.toml"]));
    assert_same(&rebuilt, root);
    assert_eq!(rebuilt.parsed, 3, "a config change parses everything again");

    edit(
        root,
        "themes/default/static/style.css",
        "--paper: #fdfcf9;",
        "--paper: #ffffff;",
    );
    let rebuilt = session.rebuild(&changed(root, &["themes/default/static/style.css"]));
    assert_same(&rebuilt, root);
    assert_eq!(rebuilt.changed.iter().collect::<Vec<_>>(), ["style.css"]);

    // Longer pages: the second pages of lists go, and come back.
    for (from, to, second_page) in [("= 1", "= 5", false), ("= 5", "= 1", true)] {
        edit(
            root,
            "site.toml",
            &format!("articles_per_page {from}"),
            &format!("articles_per_page {to}"),
        );
        let rebuilt = session.rebuild(&changed(root, &["site.toml"]));
        assert_same(&rebuilt, root);
        assert_eq!(
            files(&rebuilt).contains_key("articles/page/2/index.html"),
            second_page
        );
    }
}

#[test]
fn creating_deleting_and_renaming_files_match_a_cold_build() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();

    let new = "content/articles/new.md";
    fs::write(
        root.join(new),
        "---\ntitle: New\nkind: blog\ndate: 2024-01-01\nthemes: [workforce]\n---\n\nFresh.\n",
    )
    .expect("write");
    let rebuilt = session.rebuild(&changed(root, &[new]));
    assert_same(&rebuilt, root);
    assert!(rebuilt.changed.contains("articles/new/index.html"));

    fs::rename(root.join(new), root.join("content/articles/renamed.md")).expect("rename");
    let rebuilt = session.rebuild(&changed(root, &[new, "content/articles/renamed.md"]));
    assert_same(&rebuilt, root);
    assert!(
        rebuilt.changed.contains("articles/new/index.html"),
        "the old page is gone"
    );

    fs::remove_file(root.join("content/articles/renamed.md")).expect("delete");
    assert_same(
        &session.rebuild(&changed(root, &["content/articles/renamed.md"])),
        root,
    );

    fs::write(root.join("content/articles/chart.png"), b"PNG").expect("asset");
    assert_same(
        &session.rebuild(&changed(root, &["content/articles/chart.png"])),
        root,
    );

    // A folder moved in: the paths do not say what is inside, so everything is looked at.
    fs::create_dir_all(root.join("content/guides")).expect("folder");
    fs::write(
        root.join("content/guides/start.md"),
        "---\ntitle: Start\n---\nGo.\n",
    )
    .expect("write");
    assert_same(&session.rebuild(&changed(root, &["content/guides"])), root);
    fs::remove_dir_all(root.join("content/guides")).expect("remove folder");
    assert_same(&session.rebuild(&changed(root, &["content/guides"])), root);

    assert_same(&session.rebuild(&Changes::everything()), root);
}

#[test]
fn a_large_site_keeps_the_files_an_edit_leaves_alone() {
    let dir = site("default-theme");
    let root = dir.path();
    for n in 0..150 {
        let text = format!(
            "---\ntitle: Extra {n}\nkind: blog\ndate: 2020-01-{:02}\nthemes: [workforce]\n---\n\nExtra piece {n}.\n",
            n % 28 + 1
        );
        fs::write(root.join(format!("content/articles/extra-{n:03}.md")), text).expect("write");
    }
    let mut session = Session::new(settings(root));
    let first = session
        .rebuild(&Changes::everything())
        .files
        .expect("built");

    let article = "content/articles/extra-075.md";
    edit(root, article, "Extra piece 75.", "Extra piece 75, edited.");
    let rebuilt = session.rebuild(&changed(root, &[article]));
    assert_same(&rebuilt, root);
    assert!(rebuilt.changed.contains("articles/extra-075/index.html"));
    let again = rebuilt.files.expect("built");
    let kept = first
        .iter()
        .filter(|(path, file)| {
            again
                .get(&**path)
                .is_some_and(|other| Arc::ptr_eq(&file.bytes, &other.bytes))
        })
        .count();
    assert!(
        kept > first.len() / 2 && kept < first.len(),
        "{kept} of {} files kept",
        first.len()
    );
}

#[test]
fn a_change_made_while_the_site_fails_is_told_when_it_builds_again() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();
    // One save changes a page and breaks another file: the rebuild fails,
    // but renders the changed page all the same.
    edit(
        root,
        "content/articles/supervision.md",
        "Time to think.",
        "Time to think, together.",
    );
    let recruitment = "content/articles/recruitment.md";
    let text = fs::read_to_string(root.join(recruitment)).expect("read");
    fs::write(
        root.join(recruitment),
        format!("{text}\nSee [nowhere](nowhere.md).\n"),
    )
    .expect("write");
    let broken = session.rebuild(&changed(
        root,
        &["content/articles/supervision.md", recruitment],
    ));
    assert!(broken.files.is_none());
    // The fix touches only the broken file; the page changed before is the
    // same as in the failed render, but not as in the last site served.
    fs::write(root.join(recruitment), text).expect("write");
    let fixed = session.rebuild(&changed(root, &[recruitment]));
    assert_same(&fixed, root);
    assert!(
        fixed.changed.contains("articles/supervision/index.html"),
        "{:?}",
        fixed.changed
    );
}

#[test]
fn a_broken_file_fails_the_rebuild_and_fixing_it_recovers() {
    let (dir, mut session) = built("default-theme");
    let root = dir.path();
    let article = "content/articles/supervision.md";
    edit(root, article, "kind: briefing", "kind: briefing\ntagz: [x]");
    let broken = session.rebuild(&changed(root, &[article]));
    assert!(broken.files.is_none());
    let problems: Vec<String> = broken.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.iter().any(|p| p.starts_with(
            "content/articles/supervision.md:4:1: error: front matter: unknown field `tagz`"
        )),
        "{problems:?}"
    );

    edit(root, article, "kind: briefing\ntagz: [x]", "kind: briefing");
    let fixed = session.rebuild(&changed(root, &[article]));
    assert_same(&fixed, root);

    edit(
        root,
        "themes/default/templates/article.html",
        "{{ article.title }}",
        "{{ article.title ",
    );
    let broken_theme = session.rebuild(&changed(root, &["themes/default/templates/article.html"]));
    assert!(broken_theme.files.is_none());
    let errors: Vec<String> = broken_theme
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(
        errors[0].starts_with("themes/default/templates/article.html:"),
        "{errors:?}"
    );
    edit(
        root,
        "themes/default/templates/article.html",
        "{{ article.title ",
        "{{ article.title }}",
    );
    assert_same(
        &session.rebuild(&changed(root, &["themes/default/templates/article.html"])),
        root,
    );

    fs::write(root.join("site.toml"), "nonsense = [").expect("break config");
    let broken_config = session.rebuild(&changed(root, &["site.toml"]));
    assert!(broken_config.files.is_none());
    assert_eq!(broken_config.problems[0].path, "site.toml");
}

#[test]
fn unchanged_pages_are_shared_not_copied() {
    let dir = site("taxonomies");
    let root = dir.path();
    let mut session = Session::new(settings(root));
    let first = session.rebuild(&Changes::everything());
    let again = session.rebuild(&changed(root, &["content/articles/one.md"]));
    let (first, again) = (first.files.expect("built"), again.files.expect("built"));
    let shared = first
        .iter()
        .filter(|(path, file)| {
            again
                .get(&**path)
                .is_some_and(|other| Arc::ptr_eq(&file.bytes, &other.bytes))
        })
        .count();
    assert_eq!(
        shared,
        first.len(),
        "a rebuild with nothing changed reuses every file"
    );
}

#[test]
fn entity_edits_match_a_cold_build() {
    let (dir, mut session) = built("entities");
    let root = dir.path();

    // A new mention in one article: its page, the entity's page and the
    // search files change; the entity's page quotes the new sentence.
    edit(
        root,
        "content/articles/two.md",
        "It is what",
        "ADASS says it is what",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/articles/two.md"]));
    assert_same(&rebuilt, root);
    assert_eq!(rebuilt.parsed, 1);
    assert!(rebuilt.changed.contains("organisations/adass/index.html"));
    let adass =
        String::from_utf8_lossy(&files(&rebuilt)["organisations/adass/index.html"]).into_owned();
    assert!(
        adass.contains("[ADASS] says it is what the Guardian reported."),
        "{adass}"
    );

    // New wording around the second mention on a page of an entity's
    // mentions (two to a page here; the article above is now the first),
    // away from the summary that cards show: that page quotes it.
    edit(
        root,
        "content/articles/one.md",
        "ADASS is not DASS,",
        "ADASS is not the same as DASS,",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/articles/one.md"]));
    assert_same(&rebuilt, root);
    let adass = &files(&rebuilt)["organisations/adass/index.html"];
    assert!(String::from_utf8_lossy(adass).contains("[ADASS] is not the same as DASS,"));

    // A description: only what shows it changes, and no document is parsed again.
    edit(
        root,
        "content/entities.yaml",
        "The regulator.",
        "The regulator of care.",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/entities.yaml"]));
    assert_same(&rebuilt, root);
    assert_eq!(
        rebuilt.parsed, 0,
        "descriptions do not change how articles render"
    );

    // A new alias: every document is parsed again, since mentions may move.
    edit(
        root,
        "content/entities.yaml",
        "aliases: [Care Act]",
        "aliases: [Care Act, the Act]",
    );
    let rebuilt = session.rebuild(&changed(root, &["content/entities.yaml"]));
    assert_same(&rebuilt, root);
    assert_eq!(rebuilt.parsed, 3);

    // A broken entities file fails the rebuild; fixing it recovers.
    edit(root, "content/entities.yaml", "kind: concept", "kind: idea");
    let rebuilt = session.rebuild(&changed(root, &["content/entities.yaml"]));
    assert!(rebuilt.files.is_none());
    assert!(
        rebuilt
            .problems
            .iter()
            .any(|p| p.path == "content/entities.yaml" && p.line > 0)
    );
    edit(root, "content/entities.yaml", "kind: idea", "kind: concept");
    let rebuilt = session.rebuild(&changed(root, &["content/entities.yaml"]));
    assert_same(&rebuilt, root);

    // Removing the file removes the entity pages and the links to them.
    fs::remove_file(root.join("content/entities.yaml")).expect("remove");
    let rebuilt = session.rebuild(&changed(root, &["content/entities.yaml"]));
    assert_same(&rebuilt, root);
    assert!(!files(&rebuilt).contains_key("glossary/index.html"));
}

#[test]
fn search_files_of_a_larger_site_change_only_where_an_edit_reaches() {
    let dir = site("entities");
    let root = dir.path();
    // Enough articles for several chunks of texts, so that an edit in one
    // splices postings into words that other chunks use too.
    for n in 0..70 {
        let file = root.join(format!("content/articles/extra-{n:02}.md"));
        let body = format!(
            "---\ntitle: \"Extra {n}\"\nkind: blog\ndate: 2020-01-{day:02}\nthemes: [practice]\n---\n\n\
             Supervision week {n} brings common words, and number{n} alone.\n",
            day = n % 28 + 1
        );
        fs::write(file, body).expect("write");
    }
    let mut session = Session::new(settings(root));
    session.rebuild(&Changes::everything());

    // A word added (new shard), a word dropped, a common word used once more.
    let path = "content/articles/extra-40.md";
    edit(
        root,
        path,
        "brings common words",
        "brings common supervision zebras",
    );
    let rebuilt = session.rebuild(&changed(root, &[path]));
    assert_same(&rebuilt, root);
    let search: Vec<&str> = rebuilt
        .changed
        .iter()
        .map(String::as_str)
        .filter(|p| p.starts_with("search/"))
        .collect();
    for file in [
        "search/words-z.js",
        "search/words-s.js",
        "search/words-w.js",
        "search/index.js",
    ] {
        assert!(search.contains(&file), "{file} not in {search:?}");
    }
    assert!(
        !search.contains(&"search/words-n.js"),
        "number40 was not touched: {search:?}"
    );
    assert_eq!(
        search.iter().filter(|p| p.contains("/text-")).count(),
        1,
        "one chunk of texts: {search:?}"
    );

    // Taking the new word out again removes its shard.
    edit(root, path, "supervision zebras", "words");
    let rebuilt = session.rebuild(&changed(root, &[path]));
    assert_same(&rebuilt, root);
    assert!(!files(&rebuilt).contains_key("search/words-z.js"));
}

#[test]
fn a_tag_spelled_anew_is_spelled_anew_in_the_search_index() {
    let (dir, mut session) = built("taxonomies");
    let root = dir.path();
    // The search finds tags by their words, lowercased: a capital letter
    // changes none of its files, and a new word changes the shard of its words.
    let paths = ["content/articles/three.md", "content/articles/undated.md"];
    for path in paths {
        edit(root, path, "[regulation", "[Regulation");
    }
    let rebuilt = session.rebuild(&changed(root, &paths));
    assert_same(&rebuilt, root);
    assert!(
        !rebuilt.changed.iter().any(|p| p.starts_with("search/")),
        "{:?}",
        rebuilt.changed
    );
    for path in paths {
        edit(root, path, "[Regulation", "[Quangos");
    }
    let rebuilt = session.rebuild(&changed(root, &paths));
    assert_same(&rebuilt, root);
    assert!(rebuilt.changed.contains("search/words-q.js"));
}

#[test]
fn ejecting_the_embedded_theme_and_removing_it_again_rebuild_as_cold_builds() {
    let dir = site("default-theme");
    let root = dir.path();
    fs::remove_dir_all(root.join("themes")).expect("no theme folder");
    let mut session = Session::new(settings(root));
    let embedded = session.rebuild(&Changes::everything());
    assert_same(&embedded, root);
    // The theme copied out and edited: the folder wins from then on.
    tiller::scaffold::eject_theme(root).expect("eject");
    edit(
        root,
        "themes/default/templates/page.html",
        "{% block main %}",
        "{% block main %}<!-- ejected -->",
    );
    let ejected = session.rebuild(&changed(root, &["themes"]));
    assert_same(&ejected, root);
    let about = files(&ejected)["about/index.html"].clone();
    assert!(String::from_utf8_lossy(&about).contains("<!-- ejected -->"));
    // Removed again: back to the embedded theme.
    fs::remove_dir_all(root.join("themes")).expect("remove");
    let back = session.rebuild(&changed(root, &["themes"]));
    assert_same(&back, root);
    assert_eq!(files(&back), files(&embedded));
}
