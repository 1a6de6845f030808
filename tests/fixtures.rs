//! Fixture sites: each folder under `tests/fixtures/` is a small site that the
//! library builds, and whose result is compared with what is expected:
//!
//! - `expected/`: every output file, byte for byte (a built site);
//! - `expected-diagnostics.txt`: the exit code, then every diagnostic line.
//!
//! Every fixture gets the repo's themes (`tests/themes/` and `themes/`); files
//! a fixture has under its own `themes/` are laid over them. An optional
//! `fixture.toml` sets `drafts = true`, `strict = true`, `full_output = true`
//! to compare even the theme's static files, `syntax.css` and the search
//! files, or `search_output = true` for the search files alone (other
//! fixtures only check that those are present). Run with `TILLER_BLESS=1` to write the
//! expected files from what the build gives, then review the diff before
//! committing it.

use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{copy_tree, repo};

use tiller::config::Overrides;
use tiller::{Drafts, Settings, Strictness};

const BLESS: &str = "TILLER_BLESS";

fn fixture_dir(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The fixture's site, copied into a fresh folder over the shared themes.
fn prepare(name: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("tests/themes"), &site.path().join("themes"));
    copy_tree(
        &repo().join("themes/default"),
        &site.path().join("themes/default"),
    );
    for entry in fs::read_dir(fixture_dir(name)).expect("fixture exists") {
        let entry = entry.expect("entry");
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with("expected") || file_name == "fixture.toml" {
            continue;
        }
        let target = site.path().join(&file_name);
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
    site
}

fn settings(name: &str, root: &Path) -> Settings {
    let options = fs::read_to_string(fixture_dir(name).join("fixture.toml")).unwrap_or_default();
    Settings {
        root: root.to_path_buf(),
        overrides: Overrides::default(),
        drafts: if options.contains("drafts = true") {
            Drafts::Include
        } else {
            Drafts::Leave
        },
        strictness: if options.contains("strict = true") {
            Strictness::WarningsAreErrors
        } else {
            Strictness::WarningsAllowed
        },
    }
}

fn files_under(root: &Path) -> Vec<String> {
    if !root.exists() {
        return Vec::new();
    }
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| tiller::load::relative(root, e.path()))
        .collect();
    files.sort();
    files
}

/// Builds fixture `name` and compares the result with its expected files.
fn check(name: &str) {
    let site = prepare(name);
    let result = tiller::compile(&settings(name, site.path()));
    let (exit, diagnostics, output) = match result {
        Ok(built) => (0, built.report.warnings, Some(built.output)),
        Err(failure) => (failure.exit_code(), failure.diagnostics().to_vec(), None),
    };
    let mut report = format!("exit {exit}\n");
    for diagnostic in &diagnostics {
        report.push_str(&format!("{diagnostic}\n"));
    }
    let bless = std::env::var_os(BLESS).is_some();
    let dir = fixture_dir(name);

    let diagnostics_file = dir.join("expected-diagnostics.txt");
    if bless {
        fs::write(&diagnostics_file, &report).expect("bless diagnostics");
    } else {
        let expected = fs::read_to_string(&diagnostics_file)
            .unwrap_or_else(|_| panic!("{name}: no expected-diagnostics.txt; run with {BLESS}=1"));
        assert_eq!(report, expected, "{name}: diagnostics differ");
    }

    let expected_dir = dir.join("expected");
    let Some(output) = output else {
        assert!(
            !expected_dir.exists(),
            "{name}: the build failed but an expected/ folder exists"
        );
        return;
    };
    publishable(name, &output);
    // Copies of theme files, the generated code stylesheet and the search
    // files would repeat in every fixture; they are checked for presence, and
    // in full only where a fixture asks (`fixture.toml`: `full_output = true`,
    // or `search_output = true` for the search files alone).
    let options = fs::read_to_string(dir.join("fixture.toml")).unwrap_or_default();
    let full = options.contains("full_output = true");
    let search = full || options.contains("search_output = true");
    let copied = |path: &str| {
        (!search && tiller::resolve::routes::is_search_file(path))
            || !full
                && (path == "syntax.css"
                    || site.path().join("themes/plain/static").join(path).exists()
                    || site
                        .path()
                        .join("themes/default/static")
                        .join(path)
                        .exists())
    };
    for (path, _) in output.iter().filter(|(p, _)| copied(p)) {
        assert!(
            !expected_dir.join(path).exists() || bless,
            "{name}: {path} need not be in expected/"
        );
    }
    let output: Vec<(&str, &[u8])> = output.iter().filter(|(p, _)| !copied(p)).collect();
    if bless {
        let _ = fs::remove_dir_all(&expected_dir);
        for &(path, bytes) in &output {
            let target = expected_dir.join(path);
            fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            fs::write(target, bytes).expect("bless output");
        }
        return;
    }
    let built: Vec<String> = output.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(
        built,
        files_under(&expected_dir),
        "{name}: the set of output files differs"
    );
    for &(path, bytes) in &output {
        let expected = fs::read(expected_dir.join(path)).expect("expected file");
        if bytes != expected.as_slice() {
            let got = String::from_utf8_lossy(bytes);
            let want = String::from_utf8_lossy(&expected);
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
            panic!(
                "{name}: {path} differs at line {}:\n  got:  {:?}\n  want: {:?}\n(run with {BLESS}=1 to accept)",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>"),
            );
        }
    }
}

/// What must hold of every site whatever its content holds: every feed,
/// sitemap and SVG parses as XML; no text file carries a control character;
/// no script file has a raw `<`, `>` or `&` (so none holds `</script>`); and
/// nothing content wrote as a script element survives as one.
fn publishable(name: &str, output: &tiller::Output) {
    for (path, bytes) in output.iter() {
        let Some(extension) = path.rsplit_once('.').map(|(_, e)| e) else {
            continue;
        };
        if !matches!(
            extension,
            "html" | "xml" | "svg" | "js" | "json" | "css" | "txt"
        ) {
            continue;
        }
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{name}: {path} is not UTF-8: {e}"));
        if let Some(c) = text.chars().find(|&c| tiller::control::is_forbidden(c)) {
            panic!("{name}: {path} holds the control character {c:?}");
        }
        if matches!(extension, "xml" | "svg") {
            let options = roxmltree::ParsingOptions {
                allow_dtd: false,
                ..Default::default()
            };
            if let Err(e) = roxmltree::Document::parse_with_options(text, options) {
                panic!("{name}: {path} is not well-formed XML: {e}");
            }
        }
        if tiller::resolve::routes::is_search_file(path) && path.ends_with(".js") {
            assert!(
                !text.contains(['<', '>', '&']),
                "{name}: {path} has a raw <, > or &"
            );
        }
        assert!(
            !text.contains("<script>alert"),
            "{name}: {path} runs a script from content"
        );
        if extension == "html" {
            for json in json_ld(text) {
                assert!(
                    !json.contains(['<', '>', '&']),
                    "{name}: {path} has a raw <, > or & in its JSON-LD"
                );
                if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                    panic!("{name}: {path} has JSON-LD that does not parse: {e}");
                }
            }
        }
    }
}

/// The text of each JSON-LD script element of a page.
fn json_ld(html: &str) -> Vec<&str> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    html.split(OPEN)
        .skip(1)
        .map(|rest| rest.split_once("</script>").map_or(rest, |(json, _)| json))
        .collect()
}

/// The page's JSON-LD, parsed: it has exactly one script element of it.
fn page_json_ld(output: &tiller::Output, path: &str) -> serde_json::Value {
    let bytes = output
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no {path}"));
    let html = std::str::from_utf8(bytes).expect("UTF-8");
    let scripts = json_ld(html);
    assert_eq!(
        scripts.len(),
        1,
        "{path}: {} JSON-LD scripts",
        scripts.len()
    );
    serde_json::from_str(scripts[0]).expect("JSON-LD parses")
}

/// The `structured` fixture's metadata gives what each article states and
/// nothing it does not: the article without a date or authors has no
/// `datePublished`, `author` or `article:published_time`.
#[test]
fn structured_metadata_states_only_facts() {
    let name = "structured";
    let site = prepare(name);
    let built = tiller::compile(&settings(name, site.path())).expect("builds");
    let output = &built.output;
    let page = |path: &str| {
        let bytes = output.iter().find(|(p, _)| *p == path).expect(path).1;
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    };

    let undated = page_json_ld(output, "articles/integration/index.html");
    assert_eq!(undated["@type"], "Article");
    for missing in ["datePublished", "dateModified", "author"] {
        assert!(undated.get(missing).is_none(), "{missing}: {undated}");
    }
    assert_eq!(
        undated["isBasedOn"]["url"],
        "https://guidance.example.com/boundaries"
    );
    let html = page("articles/integration/index.html");
    assert!(!html.contains("article:published_time"));
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));

    let dated = page_json_ld(output, "articles/supervision/index.html");
    assert_eq!(dated["@type"], "BlogPosting");
    assert_eq!(
        dated["headline"],
        "Supervision that helps </script><!-- & more"
    );
    assert_eq!(dated["datePublished"], "2019-06-30");
    assert_eq!(dated["dateModified"], "2020-01-15");
    let authors: Vec<&str> = dated["author"]
        .as_array()
        .expect("authors")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(authors, ["Ann Author", "Pat Writer"]);
    // The author who is also a person the site lists is that person.
    assert_eq!(
        dated["author"][0]["@id"],
        "https://example.org/leading/people/ann-author/"
    );
    let mentioned: Vec<(&str, &str)> = dated["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .map(|m| {
            (
                m["@type"].as_str().expect("type"),
                m["@id"].as_str().expect("id"),
            )
        })
        .collect();
    assert!(mentioned.contains(&(
        "Organization",
        "https://example.org/leading/organisations/care-quality-commission/"
    )));
    assert!(mentioned.contains(&(
        "DefinedTerm",
        "https://example.org/leading/glossary/strengths-based-practice/"
    )));
    let html = page("articles/supervision/index.html");
    assert!(html.contains(r#"<meta property="article:published_time" content="2019-06-30">"#));
    assert!(html.contains(r#"<meta property="article:tag" content="caseloads">"#));

    let home = page_json_ld(output, "index.html");
    assert_eq!(
        home["potentialAction"]["target"]["urlTemplate"],
        "https://example.org/leading/search/?q={search_term_string}"
    );
    for (path, kind) in [
        ("people/ann-author/index.html", "Person"),
        (
            "organisations/care-quality-commission/index.html",
            "Organization",
        ),
        ("glossary/care-act-2014/index.html", "Legislation"),
        (
            "glossary/strengths-based-practice/index.html",
            "DefinedTerm",
        ),
        ("themes/practice/index.html", "CollectionPage"),
        ("tags/caseloads/index.html", "CollectionPage"),
    ] {
        assert_eq!(page_json_ld(output, path)["@type"], kind, "{path}");
    }
    // Every page has OpenGraph and a Twitter card, with an absolute og:url.
    for (path, bytes) in output.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).expect("UTF-8");
        for tag in [
            "og:title",
            "og:type",
            "og:description",
            "og:site_name",
            "og:locale",
        ] {
            assert!(
                html.contains(&format!(r#"<meta property="{tag}" content=""#)),
                "{path}: no {tag}"
            );
        }
        assert!(
            html.contains(r#"<meta property="og:url" content="https://example.org/leading/"#),
            "{path}: og:url"
        );
        assert!(
            html.contains(r#"<meta name="twitter:card" content="summary">"#),
            "{path}"
        );
    }
}

macro_rules! fixtures {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(#[test] fn $test() { check($name); })*

        #[test]
        fn every_fixture_folder_has_a_test() {
            let listed = [$($name),*];
            for entry in fs::read_dir(repo().join("tests/fixtures")).expect("fixtures") {
                let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test in tests/fixtures.rs");
            }
        }
    };
}

fixtures! {
    minimal_article_without_date_or_author => "minimal",
    links_backlinks_and_anchors => "links",
    themes_tags_related_and_neighbours => "taxonomies",
    markdown_features => "markdown",
    base_url_with_a_path => "base-path",
    drafts_left_out => "drafts-left-out",
    drafts_built_when_asked => "drafts-included",
    default_theme_html => "default-theme",
    front_matter_errors_all_reported => "errors-front-matter",
    link_errors_all_reported => "errors-links",
    config_errors_exit_2 => "errors-config",
    template_errors_point_into_the_theme => "errors-template",
    template_errors_while_rendering_are_reported => "errors-template-runtime",
    warnings_fail_under_strict => "errors-strict",
    url_clashes_are_errors => "errors-url-clash",
    mentions_entity_pages_map_and_search => "entities",
    entity_errors_all_reported => "errors-entities",
    entity_and_theme_warnings_fail_under_strict => "entities-strict",
    hostile_text_is_escaped_or_refused_everywhere => "hostile",
    structured_metadata_and_print => "structured",
}
