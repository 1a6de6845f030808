//! Load: takes the site root and its config and gives [`Sources`]: every
//! Markdown file under `content/` (found, to be read by parse), the theme's
//! templates, and the bytes of every file to copy as it is (content assets,
//! `static/`, the theme's `static/`). The theme is the folder
//! `themes/<name>/`, or, for a site without `themes/default/`, the default
//! theme embedded in the binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cache::Changes;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};
use crate::embedded;

/// Where the entities are defined, relative to the site root.
pub const ENTITIES_FILE: &str = "content/entities.yaml";

/// A text file, by its path relative to the site root (`content/about.md`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    /// The path relative to `content/`, for files under it.
    pub(crate) fn content_path(&self) -> &str {
        self.path.strip_prefix("content/").unwrap_or(&self.path)
    }
}

/// A Markdown file found under `content/`, not yet read: parse reads each one
/// just before parsing it, so that the texts of a large site are never all in
/// memory at once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentFile {
    /// Relative to the site root, with `/` separators: `content/about.md`.
    pub path: String,
    pub(crate) file: PathBuf,
}

impl DocumentFile {
    pub(crate) fn read(&self) -> Result<SourceFile, Diagnostic> {
        read_text(&self.path, &self.file)
    }
}

/// A template of the theme, by its name relative to `templates/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TemplateFile {
    pub(crate) name: String,
    pub path: String,
    pub text: String,
}

/// A file copied into the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Asset {
    /// Where it came from, relative to the site root.
    pub path: String,
    /// Where it goes, relative to the output root.
    pub(crate) output_path: String,
    /// Shared, so that the dev server can serve them without copying.
    pub bytes: Arc<[u8]>,
}

/// Everything a build reads from disk (but the documents' texts, which
/// parse reads), in a stable order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    pub(crate) documents: Vec<DocumentFile>,
    /// `content/entities.yaml`, if the site has one.
    pub entities: Option<SourceFile>,
    pub(crate) templates: Vec<TemplateFile>,
    /// Files copied as they are: those under `content/` that are not
    /// Markdown (served beside the pages), then the theme's and the site's
    /// `static/` files (the site's win on a clash), each in path order.
    pub(crate) assets: Vec<Arc<Asset>>,
}

/// Where the theme's templates and static files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Theme {
    /// `themes/<name>/` in the site.
    Folder(PathBuf),
    /// The default theme built into the binary: the site has no
    /// `themes/default/` folder.
    Embedded,
}

/// What load found and read last time, area by area, kept in the cache: an
/// area no change touched since is neither walked nor read again.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The theme the areas were read from.
    theme: Option<Theme>,
    content: Option<Content>,
    templates: Option<(Vec<TemplateFile>, Vec<Diagnostic>)>,
    static_files: Option<(Vec<Arc<Asset>>, Vec<Diagnostic>)>,
}

/// What `content/` holds, by path relative to the site root.
#[derive(Debug, Default)]
struct Content {
    /// The Markdown files, not read.
    documents: BTreeMap<String, DocumentFile>,
    /// The entities file, read.
    entities: Option<SourceFile>,
    /// Every other file, read.
    assets: BTreeMap<String, Arc<Asset>>,
    /// What reading each file found wrong, by its path; the walk's own under
    /// the folder's.
    problems: BTreeMap<String, Vec<Diagnostic>>,
}

/// Files that editors and operating systems leave beside real ones: swap files,
/// backups, temp files of atomic saves. Building them would publish junk, and
/// in `serve` would rebuild on every keystroke.
pub(crate) fn is_scratch_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Reads every source, looking again only at the areas `changes` touched
/// since what `found` holds was read (every area, when it holds nothing or
/// the changes are not known exactly). Unreadable files are reported and left
/// out; only a missing theme folder stops the load, since `site.toml` then
/// names nothing.
pub(crate) fn load(
    root: &Path,
    config: &Config,
    found: &mut Found,
    changes: &Changes,
) -> Result<(Sources, Vec<Diagnostic>), Diagnostic> {
    let theme = theme(root, config)?;
    if changes.is_everything() || found.theme.as_ref() != Some(&theme) {
        *found = Found {
            theme: Some(theme.clone()),
            ..Found::default()
        };
    }
    let theme_prefix = format!("themes/{}/", config.theme);
    if changes.touch(&format!("{theme_prefix}templates/")) {
        found.templates = None;
    }
    if changes.touch(&format!("{theme_prefix}static/")) || changes.touch("static/") {
        found.static_files = None;
    }
    if let Some(content) = &mut found.content
        && !content.update(root, changes)
    {
        found.content = None;
    }
    let content = found.content.get_or_insert_with(|| Content::walk(root));
    let templates = found.templates.get_or_insert_with(|| {
        let mut problems = Vec::new();
        (templates(root, config, &theme, &mut problems), problems)
    });
    let static_files = found.static_files.get_or_insert_with(|| {
        let mut problems = Vec::new();
        (static_files(root, &theme, &mut problems), problems)
    });
    let mut problems: Vec<Diagnostic> = content.problems.values().flatten().cloned().collect();
    problems.extend(templates.1.iter().cloned());
    problems.extend(static_files.1.iter().cloned());
    let sources = Sources {
        documents: content.documents.values().cloned().collect(),
        entities: content.entities.clone(),
        templates: templates.0.clone(),
        assets: content
            .assets
            .values()
            .chain(&static_files.0)
            .cloned()
            .collect(),
    };
    Ok((sources, problems))
}

/// The theme `site.toml` names: its folder if it has one, else the embedded
/// theme if it is the default.
pub(crate) fn theme(root: &Path, config: &Config) -> Result<Theme, Diagnostic> {
    let folder = root.join("themes").join(&config.theme);
    if folder.is_dir() {
        return match Inside::new(root).check(&folder) {
            Ok(()) => Ok(Theme::Folder(folder)),
            Err(why) => Err(Diagnostic::error(
                Code::ThemeOutsideSite,
                crate::config::FILE_NAME,
                config.theme_position,
                format!(
                    "theme {:?}: its folder themes/{} {why}",
                    config.theme, config.theme
                ),
            )),
        };
    }
    if config.theme == embedded::NAME {
        return Ok(Theme::Embedded);
    }
    Err(Diagnostic::error(
        Code::ThemeNotFound,
        crate::config::FILE_NAME,
        config.theme_position,
        format!(
            "theme {:?} not found: there is no folder themes/{}/ (only the {:?} theme is built in)",
            config.theme,
            config.theme,
            embedded::NAME
        ),
    ))
}

/// Whether a path relative to the site root is the entities file.
pub(crate) fn is_entities_file(path: &str) -> bool {
    path == ENTITIES_FILE
}

impl Content {
    /// Everything under `content/`: the Markdown files (not read), the
    /// entities file and the other files (read).
    fn walk(root: &Path) -> Content {
        let folder = root.join("content");
        let mut content = Content::default();
        let mut problems = Vec::new();
        if !folder.is_dir() {
            problems.push(Diagnostic::error(
                Code::ContentMissingFolder,
                "content",
                Position::START,
                "the content/ folder is missing",
            ));
        }
        let files = walk(root, &folder, &mut problems);
        content.problems.insert("content".to_string(), problems);
        let (markdown, other): (Vec<PathBuf>, Vec<PathBuf>) =
            files.into_iter().partition(|p| is_markdown(p));
        for file in markdown {
            let path = relative(root, &file);
            content
                .documents
                .insert(path.clone(), DocumentFile { path, file });
        }
        let read: Vec<(String, Result<ContentFile, Diagnostic>)> = other
            .par_iter()
            .map(|file| {
                let path = relative(root, file);
                let read = read_content_file(root, &path, file);
                (path, read)
            })
            .collect();
        for (path, read) in read {
            content.take(path, read);
        }
        content
    }

    /// Brings what is known up to date with changes to the files at their
    /// paths; false if the changes touch a folder or a path reached through a
    /// link, which only a new walk sees rightly.
    fn update(&mut self, root: &Path, changes: &Changes) -> bool {
        let touched: Vec<&str> = changes
            .paths()
            .filter(|p| p.starts_with("content/"))
            .collect();
        if touched
            .iter()
            .any(|p| root.join(p).is_dir() || !is_plain(root, p))
        {
            return false;
        }
        for path in touched {
            let file = root.join(path);
            let scratch = file
                .file_name()
                .is_some_and(|n| is_scratch_file(&n.to_string_lossy()));
            if scratch {
                continue;
            }
            self.problems.remove(path);
            self.documents.remove(path);
            self.assets.remove(path);
            if is_entities_file(path) {
                self.entities = None;
            }
            if file.is_file() {
                if is_markdown(&file) {
                    let document = DocumentFile {
                        path: path.to_string(),
                        file,
                    };
                    self.documents.insert(path.to_string(), document);
                } else {
                    let read = read_content_file(root, path, &file);
                    self.take(path.to_string(), read);
                }
            } else {
                // Gone: a file, or a whole folder of them.
                let inside = format!("{path}/");
                self.documents.retain(|p, _| !p.starts_with(&inside));
                self.assets.retain(|p, _| !p.starts_with(&inside));
            }
        }
        true
    }

    fn take(&mut self, path: String, read: Result<ContentFile, Diagnostic>) {
        match read {
            Ok(ContentFile::Entities(text)) => self.entities = Some(text),
            Ok(ContentFile::Asset(asset)) => {
                self.assets.insert(path, Arc::new(asset));
            }
            Err(problem) => {
                self.problems.insert(path, vec![problem]);
            }
        }
    }
}

/// One file under `content/` that is not Markdown, read.
enum ContentFile {
    Entities(SourceFile),
    Asset(Asset),
}

fn read_content_file(root: &Path, path: &str, file: &Path) -> Result<ContentFile, Diagnostic> {
    if is_entities_file(path) {
        return read_text(ENTITIES_FILE, file).map(ContentFile::Entities);
    }
    fs::read(file)
        .map(|bytes| {
            ContentFile::Asset(Asset {
                output_path: relative(&root.join("content"), file),
                path: path.to_string(),
                bytes: Arc::from(bytes),
            })
        })
        .map_err(|e| {
            Diagnostic::error(
                Code::FileUnreadable,
                path,
                Position::START,
                format!("cannot read: {e}"),
            )
        })
}

pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// The theme's templates, by name relative to its `templates/` folder.
fn templates(
    root: &Path,
    config: &Config,
    theme: &Theme,
    problems: &mut Vec<Diagnostic>,
) -> Vec<TemplateFile> {
    let prefix = format!("themes/{}/templates/", config.theme);
    let theme = match theme {
        Theme::Folder(folder) => folder,
        Theme::Embedded => {
            let found = embedded_files_under("templates")
                .into_iter()
                .map(|(name, bytes)| {
                    let path = format!("{prefix}{name}");
                    decode(&path, bytes.to_vec()).map(|text| TemplateFile {
                        name: name.to_string(),
                        path,
                        text,
                    })
                });
            return split_results(found.collect(), problems);
        }
    };
    let files = walk(root, &theme.join("templates"), problems);
    read_texts(root, &files, problems)
        .into_iter()
        .map(|file| TemplateFile {
            name: file
                .path
                .strip_prefix(&prefix)
                .unwrap_or(&file.path)
                .to_string(),
            path: file.path,
            text: file.text,
        })
        .collect()
}

/// The theme's `static/` files and the site's `static/` files, the site's
/// winning where both have one of the same name; in output path order.
fn static_files(root: &Path, theme: &Theme, problems: &mut Vec<Diagnostic>) -> Vec<Arc<Asset>> {
    let mut files = match theme {
        Theme::Folder(folder) => {
            let folder = folder.join("static");
            let found = walk(root, &folder, problems);
            read_assets(root, &found, &folder, problems)
        }
        Theme::Embedded => embedded_files_under("static")
            .into_iter()
            .map(|(path, bytes)| Asset {
                path: format!("themes/{}/static/{path}", embedded::NAME),
                output_path: path.to_string(),
                bytes: Arc::from(bytes),
            })
            .collect(),
    };
    let folder = root.join("static");
    let found = walk(root, &folder, problems);
    files.extend(read_assets(root, &found, &folder, problems));
    // Keep the last of each name: the site's.
    files.reverse();
    let mut seen = std::collections::HashSet::new();
    files.retain(|a: &Asset| seen.insert(a.output_path.clone()));
    files.sort_by(|a, b| a.output_path.cmp(&b.output_path));
    files.into_iter().map(Arc::new).collect()
}

/// Every file below `folder`, sorted, leaving out scratch files and folders.
/// Symbolic links are followed where they lead inside the site root; one that
/// leads outside it, to nothing, or round in a loop is skipped with a warning
/// naming it, so that nothing outside the root is ever read.
fn walk(root: &Path, folder: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let inside = Inside::new(root);
    let skipped = std::cell::RefCell::new(Vec::new());
    let mut files = Vec::new();
    let walker = WalkDir::new(folder)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_scratch_file(&e.file_name().to_string_lossy()) {
                return false;
            }
            // The folder walked may be reached through a link higher up
            // (`themes/default` linked elsewhere): it is checked whole.
            if !(e.depth() == 0 || e.path_is_symlink()) {
                return true;
            }
            match inside.check(e.path()) {
                Ok(()) => true,
                Err(why) => {
                    skipped.borrow_mut().push(Diagnostic::warning(
                        Code::FileSkippedLink,
                        &relative(root, e.path()),
                        Position::START,
                        format!("skipped: this {why}"),
                    ));
                    false
                }
            }
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
                let shown = relative(root, &path);
                let problem = if e.loop_ancestor().is_some() {
                    Diagnostic::warning(
                        Code::FileSkippedLink,
                        &shown,
                        Position::START,
                        "skipped: this link leads back to a folder that holds it, round in a loop",
                    )
                } else if fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink()) {
                    Diagnostic::warning(
                        Code::FileSkippedLink,
                        &shown,
                        Position::START,
                        "skipped: this link leads to nothing",
                    )
                } else {
                    Diagnostic::error(
                        Code::FileUnreadable,
                        &shown,
                        Position::START,
                        format!("cannot read: {e}"),
                    )
                };
                problems.push(problem);
            }
        }
    }
    problems.extend(skipped.into_inner());
    // Sorting whole paths (component by component) gives the order of a walk
    // sorted by name in each folder, at a fraction of the cost: walkdir's
    // sort takes each name apart again on every comparison, half the walk of
    // a large folder. So does comparing `Path`s, so each is compared as bytes
    // that keep its order.
    files.sort_by_cached_key(|path| path_order(path));
    files
}

/// Whether a path under the root (`content/a.md`) is reached without going
/// through a link: a file that is gone counts as plain.
pub(crate) fn is_plain(root: &Path, relative_path: &str) -> bool {
    let Ok(resolved) = fs::canonicalize(root.join(relative_path)) else {
        return true;
    };
    fs::canonicalize(root).is_ok_and(|root| resolved == root.join(relative_path))
}

/// Tells whether a path, links and all, stays inside the site root.
pub(crate) struct Inside {
    /// The root with its own links resolved, to compare resolved paths with.
    resolved: PathBuf,
}

impl Inside {
    pub fn new(root: &Path) -> Self {
        Inside {
            resolved: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Nothing if `path` leads to somewhere inside the root; else where it
    /// leads instead: `leads outside the site, to /etc, …`.
    pub(crate) fn check(&self, path: &Path) -> Result<(), String> {
        match fs::canonicalize(path) {
            Ok(target) if target.starts_with(&self.resolved) => Ok(()),
            Ok(target) => Err(format!(
                "leads outside the site, to {}, and Tiller reads nothing outside the site's folder",
                target.display()
            )),
            Err(_) => Err("link leads to nothing".to_string()),
        }
    }
}

/// Bytes that compare as `path` compares with other paths: component by
/// component, a shorter name first. A separator becomes the least byte, so
/// that `a/b` (components `a`, `b`) comes before `a-b`, as `a` does.
pub(crate) fn path_order(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&byte| {
            if std::path::is_separator(char::from(byte)) {
                0
            } else {
                byte
            }
        })
        .collect()
}

/// The embedded theme's files: each path under `themes/default/` (with `/`)
/// and its bytes, in the order a walk of the folder gives them, leaving out
/// what editors leave beside real files, as for a theme on disk.
pub(crate) fn embedded_files() -> Vec<(&'static str, &'static [u8])> {
    let mut files: Vec<(&'static str, &'static [u8])> = embedded::FILES
        .iter()
        .copied()
        .filter(|(path, _)| !path.split('/').any(is_scratch_file))
        .collect();
    files.sort_by_cached_key(|(path, _)| path_order(Path::new(path)));
    files
}

/// The embedded theme's files under `folder/` (`templates`, `static`), by
/// their path below it.
pub(crate) fn embedded_files_under(folder: &str) -> Vec<(&'static str, &'static [u8])> {
    let prefix = format!("{folder}/");
    embedded_files()
        .into_iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix(prefix.as_str())?, bytes)))
        .collect()
}

/// A path relative to the site root, with `/` separators on every platform.
pub fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_texts(root: &Path, paths: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let results: Vec<Result<SourceFile, Diagnostic>> = paths
        .par_iter()
        .map(|path| read_text(&relative(root, path), path))
        .collect();
    split_results(results, problems)
}

/// Reads a text file; `shown` is its path as diagnostics name it.
fn read_text(shown: &str, path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::error(
            Code::FileUnreadable,
            shown,
            Position::START,
            format!("cannot read: {e}"),
        )
    })?;
    decode(shown, bytes).map(|text| SourceFile {
        path: shown.to_string(),
        text,
    })
}

/// A file's bytes as UTF-8 text, or an error that says what they are instead:
/// a file saved as UTF-16 or UTF-32 (as some Windows editors do) is named as
/// such, since "not valid UTF-8" does not tell the editor what to do.
pub(crate) fn decode(shown: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if let Some(encoding) = wide_encoding(&bytes) {
        return Err(Diagnostic::error(
            Code::FileEncoding,
            shown,
            Position::START,
            format!("the file is {encoding}; save it as UTF-8"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let position = LineIndex::new(before).position(before, before.len());
        Diagnostic::error(
            Code::FileEncoding,
            shown,
            position,
            "the file is not valid UTF-8 text",
        )
    })
}

/// Whether the bytes are text in UTF-16 or UTF-32: by the byte-order mark,
/// or, without one, by zero bytes between the letters of plain text, which
/// UTF-8 text never has.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => return Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => return Some("UTF-16"),
        _ => {}
    }
    let start = &bytes[..bytes.len().min(64)];
    if start.len() < 4 || !start.contains(&0) {
        return None;
    }
    // In UTF-16 every other byte of ASCII text is zero; in UTF-32, three of four.
    let zeros_at = |step: usize, offset: usize| {
        start
            .iter()
            .enumerate()
            .filter(|(i, _)| i % step == offset)
            .all(|(_, &b)| b == 0)
    };
    if (0..4).any(|offset| zeros_at(4, offset))
        && start.iter().filter(|&&b| b == 0).count() * 4 >= start.len() * 3
    {
        return Some("UTF-32");
    }
    if zeros_at(2, 0) || zeros_at(2, 1) {
        return Some("UTF-16");
    }
    None
}

fn read_assets(
    root: &Path,
    paths: &[PathBuf],
    base: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    let results: Vec<Result<Asset, Diagnostic>> = paths
        .par_iter()
        .map(|path| {
            let shown = relative(root, path);
            fs::read(path)
                .map(|bytes| Asset {
                    path: shown.clone(),
                    output_path: relative(base, path),
                    bytes: Arc::from(bytes),
                })
                .map_err(|e| {
                    Diagnostic::error(
                        Code::FileUnreadable,
                        &shown,
                        Position::START,
                        format!("cannot read: {e}"),
                    )
                })
        })
        .collect();
    split_results(results, problems)
}

fn split_results<T>(results: Vec<Result<T, Diagnostic>>, problems: &mut Vec<Diagnostic>) -> Vec<T> {
    let mut values = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(problem) => problems.push(problem),
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_in_name_order_folder_by_folder() {
        let root = tempfile::tempdir().expect("temp dir");
        // A folder's files come right after its name, before names that
        // extend it ("a" then "a/…" then "a-b", "a.b"), as a walk sorted by
        // name in each folder gives them.
        for file in [
            "a.b", "a-b", "a/z", "a/b/c", "a/b.c", "B", "b", "ab/x", "c.md~",
        ] {
            let path = root.path().join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            fs::write(path, "").expect("file");
        }
        let mut problems = Vec::new();
        let found: Vec<String> = walk(root.path(), root.path(), &mut problems)
            .iter()
            .map(|p| relative(root.path(), p))
            .collect();
        let walked: Vec<String> = WalkDir::new(root.path())
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("entry"))
            .filter(|e| {
                e.file_type().is_file() && !is_scratch_file(&e.file_name().to_string_lossy())
            })
            .map(|e| relative(root.path(), e.path()))
            .collect();
        assert_eq!(found, walked);
        assert_eq!(
            found,
            ["B", "a/b/c", "a/b.c", "a/z", "a-b", "a.b", "ab/x", "b"]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn scratch_files_of_editors_are_recognised() {
        for name in [".a.md.swp", "a.md~", "#a.md#", "4913", ".DS_Store", "x.tmp"] {
            assert!(is_scratch_file(name), "{name}");
        }
        for name in ["a.md", "image.png", "index.html"] {
            assert!(!is_scratch_file(name), "{name}");
        }
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_line() {
        let dir = tempfile::tempdir().expect("temp");
        let file = dir.path().join("a.md");
        fs::write(&file, b"---\ntitle: x\n\xff\n").expect("write");
        let document = DocumentFile {
            path: "content/a.md".to_string(),
            file,
        };
        let problem = document.read().expect_err("not UTF-8");
        assert_eq!(
            problem.to_string(),
            "content/a.md:3:1: error: the file is not valid UTF-8 text"
        );
    }

    #[test]
    fn wide_encodings_are_named() {
        let utf16 = |text: &str, bom: bool, big_endian: bool| {
            let mut bytes = Vec::new();
            if bom {
                bytes.extend(if big_endian {
                    [0xFE, 0xFF]
                } else {
                    [0xFF, 0xFE]
                });
            }
            for unit in text.encode_utf16() {
                bytes.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            bytes
        };
        let text = "---\ntitle: Café\n---\nBody\n";
        for (bom, big_endian) in [(true, false), (true, true), (false, false), (false, true)] {
            let problem = decode("content/a.md", utf16(text, bom, big_endian)).expect_err("UTF-16");
            assert_eq!(
                problem.to_string(),
                "content/a.md:1:1: error: the file is UTF-16; save it as UTF-8",
                "BOM {bom}, big-endian {big_endian}"
            );
        }
        let utf32: Vec<u8> = text
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        let problem =
            decode("a.md", [&[0xFF, 0xFE, 0, 0][..], &utf32].concat()).expect_err("UTF-32");
        assert!(problem.message.contains("UTF-32"), "{problem}");
        let problem = decode("a.md", utf32).expect_err("UTF-32");
        assert!(problem.message.contains("UTF-32"), "{problem}");
        // UTF-8, with a byte-order mark or a lone NUL, is read as it is.
        assert!(decode("a.md", "\u{feff}---\n".as_bytes().to_vec()).is_ok());
        assert!(decode("a.md", b"---\ntitle: x\0y\n---\n".to_vec()).is_ok());
    }

    #[test]
    fn relative_paths_use_forward_slashes() {
        let root = Path::new("/site");
        assert_eq!(
            relative(root, Path::new("/site/content/a.md")),
            "content/a.md"
        );
    }
}
