//! Write: takes a destination folder and gives a [`Staging`] folder beside it
//! that render streams pages into; publishing swaps it in only once every file
//! is written, so a failed build leaves the previous site whole.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::Sink;

/// Why a folder may not be used as the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeDestination(pub String);

/// Refuses destinations a build would damage: the whole output folder is
/// replaced, so it must never be a folder that holds anything else of value.
pub fn check_destination(
    root: &Path,
    destination: &Path,
    home: Option<&Path>,
) -> Result<(), UnsafeDestination> {
    let root = absolute(root);
    let destination = absolute(destination);
    let refuse = |why: &str| {
        Err(UnsafeDestination(format!(
            "refusing to write the site to {}: {why}",
            destination.display()
        )))
    };
    if destination.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if home.is_some_and(|home| absolute(home) == destination) {
        return refuse("it is the home folder");
    }
    if destination == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&destination) {
        return refuse("it contains the site");
    }
    for protected in ["content", "themes", "static"] {
        if destination.starts_with(root.join(protected)) {
            return refuse(&format!("it is inside {protected}/"));
        }
    }
    if destination.join("site.toml").exists() || destination.join(".git").exists() {
        return refuse("it holds a site.toml or a .git folder, so it is not a build output");
    }
    Ok(())
}

/// Makes a path absolute and folds `.` and `..` without touching the disk, so
/// that a destination that does not exist yet can still be compared.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    // Resolve symbolic links where the path exists, so `public -> ..` is caught.
    fs::canonicalize(&clean).unwrap_or(clean)
}

/// A new site being written beside the destination. Dropped without
/// [`Staging::publish`], it removes itself and the destination is untouched.
pub struct Staging {
    folder: PathBuf,
    destination: PathBuf,
    retired: PathBuf,
    published: bool,
}

impl Staging {
    /// Makes an empty staging folder in the destination's parent folder, so
    /// that the final renames stay on one file system.
    pub fn beside(destination: &Path) -> io::Result<Staging> {
        let parent = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let pid = std::process::id();
        let staging = Staging {
            folder: parent.join(format!(".{name}.tiller-new-{pid}")),
            destination: destination.to_path_buf(),
            retired: parent.join(format!(".{name}.tiller-old-{pid}")),
            published: false,
        };
        remove_tree(&staging.folder)?;
        remove_tree(&staging.retired)?;
        fs::create_dir(&staging.folder)?;
        Ok(staging)
    }

    /// Swaps the new site in: the old one is moved aside, the new one moved in
    /// (two renames, each atomic; between them the folder is briefly absent),
    /// and the old one deleted.
    pub fn publish(mut self) -> io::Result<()> {
        if self.destination.exists() {
            fs::rename(&self.destination, &self.retired)?;
        }
        if let Err(error) = fs::rename(&self.folder, &self.destination) {
            let _ = fs::rename(&self.retired, &self.destination);
            return Err(error);
        }
        self.published = true;
        remove_tree(&self.retired)
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.folder.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_tree(&self.folder);
        }
    }
}

/// Removes a folder tree, the top-level entries in parallel: an old site of
/// ten thousand pages is ten thousand folders.
fn remove_tree(path: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries.collect::<Result<Vec<_>, _>>()?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_tree(&path)
        } else {
            fs::remove_file(&path)
        }
    })?;
    fs::remove_dir(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_destinations_are_refused() {
        let root = Path::new("/srv/site");
        let home = Path::new("/home/editor");
        assert!(check_destination(root, Path::new("/srv/site/public"), Some(home)).is_ok());
        assert!(check_destination(root, Path::new("/srv/out"), Some(home)).is_ok());
        for bad in [
            "/",
            "/home/editor",
            "/srv/site",
            "/srv/site/.",
            "/srv",
            "/srv/site/content/out",
            "/srv/site/themes",
            "/srv/site/public/../content",
        ] {
            assert!(
                check_destination(root, Path::new(bad), Some(home)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_unpublished_staging_folder_removes_itself_and_spares_the_site() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        fs::create_dir(&destination).expect("old site");
        fs::write(destination.join("index.html"), "old").expect("old page");
        {
            let staging = Staging::beside(&destination).expect("staging");
            staging.put("a/b/index.html", b"new").expect("put");
        }
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"]);
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "old"
        );
    }

    #[test]
    fn publishing_replaces_the_old_site_whole() {
        let dir = tempfile::tempdir().expect("temp");
        let destination = dir.path().join("public");
        fs::create_dir_all(destination.join("gone")).expect("old site");
        fs::write(destination.join("gone/index.html"), "old").expect("old page");
        let staging = Staging::beside(&destination).expect("staging");
        staging.put("index.html", b"new").expect("put");
        staging.publish().expect("publish");
        assert_eq!(
            fs::read_to_string(destination.join("index.html")).expect("read"),
            "new"
        );
        assert!(!destination.join("gone").exists());
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
    }
}
