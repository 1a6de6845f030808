//! Embeds the default theme: takes every file under `themes/default/` and
//! gives `$OUT_DIR/embedded_theme.rs`, a table of their paths (relative to the
//! theme folder, with `/`) and `include_bytes!` of each, which `src/embedded.rs`
//! includes. The repository's `themes/default/` stays the one source of the
//! theme; a `tiller` built anywhere carries it.
//!
//! A build script rather than a crate's macro (include_dir, rust-embed):
//! cargo reruns it when anything under the folder changes, files added and
//! removed included, which those macros do not tell cargo on stable Rust; and
//! it needs no dependency.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::{env, fs};

const THEME: &str = "themes/default";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // A folder here is scanned whole for changes.
    println!("cargo:rerun-if-changed={THEME}");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let theme = manifest.join(THEME);
    let mut files = Vec::new();
    collect(&theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The default theme's files: path under `themes/default/`, bytes.\n\
         pub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let relative = file
            .strip_prefix(&theme)
            .expect("under the theme")
            .components()
            .map(|c| c.as_os_str().to_str().expect("UTF-8 names, checked"))
            .collect::<Vec<_>>()
            .join("/");
        let absolute = file.to_str().expect("UTF-8 path, checked");
        writeln!(code, "    ({relative:?}, include_bytes!({absolute:?})),").expect("write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it"));
    fs::write(out.join("embedded_theme.rs"), code).expect("write the table");
}

/// Every file under `folder`; a name that is not UTF-8 stops the build, since
/// the theme's files are named by `&str`.
fn collect(folder: &Path, files: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(folder).unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()));
    for entry in entries {
        let entry = entry.expect("read folder entry");
        let path = entry.path();
        assert!(
            path.to_str().is_some(),
            "{} is not a UTF-8 name; rename it",
            path.display()
        );
        let kind =
            fs::metadata(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if kind.is_dir() {
            collect(&path, files);
        } else if kind.is_file() {
            files.push(path);
        }
    }
}
