//! Helpers the integration tests share: where the repository is, and copying
//! a folder of it (a fixture, a theme) into a temporary site.

// Each test file compiles this module on its own and uses only some of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies every file and folder under `from` to the same place under `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A copy of the `default-theme` fixture's site (its `site.toml` and
/// content, not its expected output) with the repository's default theme.
pub fn default_theme_site() -> tempfile::TempDir {
    fixture_site("default-theme")
}

/// A copy of fixture `name`'s site (its `site.toml` and content, not its
/// expected output) with the repository's default theme.
pub fn fixture_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = repo().join("tests/fixtures").join(name);
    fs::copy(fixture.join("site.toml"), dir.path().join("site.toml")).expect("copy");
    copy_tree(&fixture.join("content"), &dir.path().join("content"));
    copy_tree(
        &repo().join("themes/default"),
        &dir.path().join("themes/default"),
    );
    dir
}
