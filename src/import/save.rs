//! Save: takes the site root, the draft's slug and its text, and writes
//! `content/articles/<slug>.md` so that nothing is overwritten and nothing
//! is written anywhere else: each folder on the way is opened without
//! following a symbolic link, and the file is created only if no file (nor
//! a link planted in its place) is there, in one step with no window between
//! looking and writing.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ImportError;

/// The folder drafts are written to, under the site root.
pub(crate) const FOLDER: [&str; 2] = ["content", "articles"];

/// Writes the draft; gives its path relative to the root.
pub(crate) fn save(root: &Path, slug: &str, text: &str) -> Result<PathBuf, ImportError> {
    let relative: PathBuf = FOLDER
        .iter()
        .collect::<PathBuf>()
        .join(format!("{slug}.md"));
    let shown = relative.display().to_string();
    let mut file = create(root, slug).map_err(|failure| match failure {
        Failure::Exists => ImportError::exists(&shown),
        Failure::Link(folder) => ImportError::write(
            &folder,
            "is a symbolic link or not a folder; drafts are written only inside the site's own content/articles/",
        ),
        Failure::Io(folder, e) => ImportError::write(&folder, &format!("cannot write: {e}")),
    })?;
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        // Nothing half-written is left behind.
        let _ = std::fs::remove_file(root.join(&relative));
        return Err(ImportError::write(&shown, &format!("cannot write: {e}")));
    }
    Ok(relative)
}

enum Failure {
    Exists,
    /// A folder on the way (named) is a link or not a folder.
    Link(String),
    Io(String, std::io::Error),
}

#[cfg(unix)]
fn create(root: &Path, slug: &str) -> Result<std::fs::File, Failure> {
    use rustix::fs::{CWD, Mode, OFlags, mkdirat, openat};
    use rustix::io::Errno;

    let folder_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let root_shown = root.display().to_string();
    let mut dir = openat(
        CWD,
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Failure::Io(root_shown, e.into()))?;
    let mut shown = String::new();
    for name in FOLDER {
        shown = if shown.is_empty() {
            name.to_string()
        } else {
            format!("{shown}/{name}")
        };
        match mkdirat(&dir, name, Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(Failure::Io(shown, e.into())),
        }
        dir = match openat(&dir, name, folder_flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::LOOP | Errno::NOTDIR) => return Err(Failure::Link(shown)),
            Err(e) => return Err(Failure::Io(shown, e.into())),
        };
    }
    let file_flags =
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    match openat(
        &dir,
        format!("{slug}.md").as_str(),
        file_flags,
        Mode::from_raw_mode(0o644),
    ) {
        Ok(fd) => Ok(std::fs::File::from(fd)),
        // EXCL refuses any name that is there, a link to nowhere included.
        Err(Errno::EXIST) => Err(Failure::Exists),
        Err(e) => Err(Failure::Io(format!("{shown}/{slug}.md"), e.into())),
    }
}

#[cfg(not(unix))]
fn create(root: &Path, slug: &str) -> Result<std::fs::File, Failure> {
    let folder: PathBuf = FOLDER.iter().fold(root.to_path_buf(), |p, n| p.join(n));
    let shown = FOLDER.join("/");
    for path in [root.join(FOLDER[0]), folder.clone()] {
        if path.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            return Err(Failure::Link(shown));
        }
    }
    std::fs::create_dir_all(&folder).map_err(|e| Failure::Io(shown.clone(), e))?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(folder.join(format!("{slug}.md")))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Failure::Exists,
            _ => Failure::Io(shown, e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_never_again() {
        let root = tempfile::tempdir().expect("temp");
        let path = save(root.path(), "a-title", "one").expect("written");
        assert_eq!(path, Path::new("content/articles/a-title.md"));
        assert_eq!(
            std::fs::read_to_string(root.path().join(&path)).expect("read"),
            "one"
        );
        let error = save(root.path(), "a-title", "two").expect_err("exists");
        assert_eq!(
            error.to_string(),
            "content/articles/a-title.md: error: the file already exists; it was left as it is, and nothing was written"
        );
        assert_eq!(
            std::fs::read_to_string(root.path().join(&path)).expect("read"),
            "one"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let root = tempfile::tempdir().expect("temp");
        let elsewhere = tempfile::tempdir().expect("temp");
        let articles = root.path().join("content/articles");
        std::fs::create_dir_all(&articles).expect("mkdir");
        // A link planted where the draft would go, pointing at a file to spoil.
        let target = elsewhere.path().join("victim.txt");
        std::os::unix::fs::symlink(&target, articles.join("planted.md")).expect("link");
        assert!(save(root.path(), "planted", "spoiled").is_err());
        assert!(!target.exists());
        // A folder on the way that is a link.
        let other = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(other.path().join("content")).expect("mkdir");
        std::os::unix::fs::symlink(elsewhere.path(), other.path().join("content/articles"))
            .expect("link");
        let error = save(other.path(), "x", "text").expect_err("refused");
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert!(!elsewhere.path().join("x.md").exists());
    }
}
