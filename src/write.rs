//! Write: takes an [`Output`] and a destination folder and puts the site there
//! atomically: the new site is assembled in a sibling folder and swapped in only
//! once every file is written, so a failed build leaves the previous site whole.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::Output;

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

/// Writes `output` into `destination`, replacing what was there only when the
/// whole new site is on disk.
pub fn write_atomically(output: &Output, destination: &Path) -> io::Result<()> {
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
    let staging = parent.join(format!(".{name}.tiller-new-{pid}"));
    let retired = parent.join(format!(".{name}.tiller-old-{pid}"));
    remove_if_present(&staging)?;
    remove_if_present(&retired)?;

    if let Err(error) = write_tree(output, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    // Two renames: the old site is moved aside, then the new one moved in. Both
    // are atomic on one file system; between them the folder is briefly absent.
    if destination.exists() {
        fs::rename(destination, &retired)?;
    }
    if let Err(error) = fs::rename(&staging, destination) {
        let _ = fs::rename(&retired, destination);
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    remove_if_present(&retired)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn write_tree(output: &Output, root: &Path) -> io::Result<()> {
    fs::create_dir_all(root)?;
    let mut folders: Vec<PathBuf> = output
        .iter()
        .filter_map(|(path, _)| Path::new(path).parent().map(|p| root.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    let files: Vec<(&str, &[u8])> = output.iter().collect();
    files
        .par_iter()
        .try_for_each(|(path, bytes)| fs::write(root.join(path), bytes))
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
}
