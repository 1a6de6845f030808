//! Scaffold: takes a title and the site's config and gives a new article file
//! with its front matter filled in (`tiller new`); takes an empty folder and
//! gives a new site that builds at once (`tiller init`); copies the embedded
//! theme out for editing (`tiller theme eject`). Never overwrites a file, and
//! never writes through a symbolic link: every file is created new.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use time::Date;

use crate::config::Config;
use crate::parse::ARTICLES_FOLDER;
use crate::slug::slugify;

/// The text of a new article: valid front matter that builds as it is, with
/// comments saying what each field takes.
pub(crate) fn article_text(title: &str, config: &Config, today: Date) -> String {
    let themes: Vec<&str> = config
        .themes
        .terms
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    let first = themes.first().copied().unwrap_or("");
    let quoted = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "---\n\
         title: \"{quoted}\"\n\
         kind: blog            # interview | briefing | guidance | blog | report\n\
         date: {today}      # YYYY-MM-DD; remove if the source gives no date\n\
         # authors: [\"Name\"]\n\
         # source:\n\
         #   publication: \"Where it was first published\"\n\
         #   url: \"https://…\"\n\
         themes: [{first}]   # 1 to 4 of: {all}\n\
         tags: []\n\
         # summary: \"One or two sentences.\"\n\
         ---\n\
         \n\
         Write the article here. Link to another article with `[its title](its-file.md)`.\n",
        all = themes.join(", "),
    )
}

/// Why a new article, site or theme could not be written.
#[derive(Debug)]
pub enum ScaffoldError {
    NoSlug,
    Exists(PathBuf),
    Io(PathBuf, io::Error),
    /// `tiller init` into a folder that holds something.
    NotEmpty(PathBuf),
    /// A path to write into is a file, or a link.
    NotAFolder(PathBuf),
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::NoSlug => write!(
                f,
                "the title needs at least one letter or digit to name the file"
            ),
            ScaffoldError::Exists(path) => {
                write!(f, "{} already exists; it was left as it is", path.display())
            }
            ScaffoldError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
            ScaffoldError::NotEmpty(path) => write!(
                f,
                "{} is not empty; start a site in an empty or new folder (nothing was written)",
                path.display()
            ),
            ScaffoldError::NotAFolder(path) => write!(
                f,
                "{} is not a folder (it is a file or a link); nothing was written",
                path.display()
            ),
        }
    }
}

/// Writes `content/articles/<slug>.md` under `root`; gives its path.
pub fn new_article(
    root: &Path,
    title: &str,
    config: &Config,
    today: Date,
) -> Result<PathBuf, ScaffoldError> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug);
    }
    let folder = root
        .join("content")
        .join(ARTICLES_FOLDER.trim_end_matches('/'));
    let path = folder.join(format!("{slug}.md"));
    std::fs::create_dir_all(&folder).map_err(|e| ScaffoldError::Io(folder.clone(), e))?;
    // create_new fails if the file exists, with no window between check and write.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(path));
        }
        Err(e) => return Err(ScaffoldError::Io(path, e)),
    };
    file.write_all(article_text(title, config, today).as_bytes())
        .map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    Ok(path)
}

/// The files of a new site, by path: a `site.toml` with two leadership
/// themes, an example article filed under both (dated `today`), and an about
/// page. No theme: the site uses the one embedded in the binary.
pub(crate) fn site_files(today: Date) -> Vec<(&'static str, String)> {
    vec![
        (".gitignore", "/public/\n".to_string()),
        (crate::config::FILE_NAME, NEW_SITE_TOML.to_string()),
        ("content/about.md", NEW_ABOUT.to_string()),
        (
            "content/articles/making-time-for-supervision.md",
            NEW_ARTICLE.replace("{today}", &today.to_string()),
        ),
    ]
}

const NEW_SITE_TOML: &str = r#"# The site's settings. Every key is described in Tiller's guide (docs/guide.md).
title = "Leading in adult social care"
description = "Writing about leadership in adult social care, organised by leadership theme."
# Where the site will be published: links in feeds and the sitemap use it.
base_url = "https://example.org/"
language = "en-GB"
# The look. "default" is built into tiller; `tiller theme eject` copies it
# to themes/default/ for editing, and that folder is used from then on.
theme = "default"

# The leadership themes: a closed list. Every article is filed under 1 to 4.
[taxonomies.themes]
title = "Leadership themes"

[taxonomies.themes.terms.supporting-practice]
title = "Supporting frontline practice"
description = "What leaders do so that social workers and care staff can do their best work: supervision, manageable caseloads and time to think."

[taxonomies.themes.terms.workforce-and-culture]
title = "Workforce and culture"
description = "Recruiting, developing and keeping the people who deliver social care, and the culture they work in."

# Tags: free terms, made by using them in an article's `tags`.
[taxonomies.tags]
title = "Tags"
"#;

const NEW_ABOUT: &str = r#"---
title: "About this site"
---

This site collects writing about leadership in adult social care, filed under leadership
themes and cross-linked.

## Writing for it

- `tiller new "Title of the article"` starts an article in `content/articles/`.
- `tiller serve` shows the site as you write, at the address it prints.
- `tiller build` writes the site into `public/`, ready to publish.

The leadership themes are declared in `site.toml`; an article names one to four of them.
"#;

const NEW_ARTICLE: &str = r#"---
title: "Making time for supervision"
kind: blog            # interview | briefing | guidance | blog | report
date: {today}      # YYYY-MM-DD; remove it if the source gives no date
# authors: ["Name"]
# source:
#   publication: "Where it was first published"
#   url: "https://…"
themes: [supporting-practice, workforce-and-culture]   # 1 to 4 declared in site.toml
tags: [supervision, caseloads]
summary: "An example article: why reflective supervision is where leaders support practice."
---

This is an example article: replace it with your own, or delete it. It shows the front matter
every article has, and a link to another page of the site: the [about page](../about.md).

## Why supervision matters

Supervision is where a social worker's practice is talked through, where caseloads are
weighed, and where the organisation learns what its staff see. When it is squeezed by
other demands, the first thing lost is time to think.

## What leaders can do

- Protect the time: supervision that is moved at short notice tells staff it does not count.
- Ask what gets in the way, and remove one obstacle at a time.
- Keep a record that the worker recognises as theirs.
"#;

/// Writes a new site into `folder`, which must be empty or not exist yet (it
/// may hold a `.git` folder); with `theme`, copies the embedded theme out too.
/// Gives the files written, relative to `folder`.
pub fn init(folder: &Path, today: Date, theme: bool) -> Result<Vec<PathBuf>, ScaffoldError> {
    match fs::symlink_metadata(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(folder).map_err(|e| ScaffoldError::Io(folder.to_path_buf(), e))?;
        }
        Err(e) => return Err(ScaffoldError::Io(folder.to_path_buf(), e)),
        Ok(meta) if !meta.is_dir() => return Err(ScaffoldError::NotAFolder(folder.to_path_buf())),
        Ok(_) => {
            let mut entries =
                fs::read_dir(folder).map_err(|e| ScaffoldError::Io(folder.to_path_buf(), e))?;
            if entries.any(|e| e.map_or(true, |e| e.file_name() != ".git")) {
                return Err(ScaffoldError::NotEmpty(folder.to_path_buf()));
            }
        }
    }
    let mut written = Vec::new();
    for (path, text) in site_files(today) {
        written.push(create_file(folder, path, text.as_bytes())?);
    }
    if theme {
        written.extend(eject_theme(folder)?);
    }
    Ok(written)
}

/// Copies the embedded theme into `root/themes/default/`, which must not
/// exist. Gives the files written, relative to `root`.
pub fn eject_theme(root: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let theme = format!("themes/{}", crate::embedded::NAME);
    if fs::symlink_metadata(root.join(&theme)).is_ok() {
        return Err(ScaffoldError::Exists(root.join(&theme)));
    }
    let mut written = Vec::new();
    for (path, bytes) in crate::load::embedded_files() {
        written.push(create_file(root, &format!("{theme}/{path}"), bytes)?);
    }
    Ok(written)
}

/// Creates `root/relative` (with `/` separators) and the folders it needs
/// under `root`; never opens an existing file, and never goes through a link.
fn create_file(root: &Path, relative: &str, bytes: &[u8]) -> Result<PathBuf, ScaffoldError> {
    let mut folder = root.to_path_buf();
    let mut parts: Vec<&str> = relative.split('/').collect();
    let name = parts.pop().expect("a file name");
    for part in parts {
        folder.push(part);
        make_folder(&folder)?;
    }
    let path = folder.join(name);
    // create_new fails on anything already there, a link included.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(path));
        }
        Err(e) => return Err(ScaffoldError::Io(path, e)),
    };
    file.write_all(bytes)
        .map_err(|e| ScaffoldError::Io(path.clone(), e))?;
    Ok(PathBuf::from(relative))
}

/// Makes a folder, or takes one that is there, but not a link to one.
fn make_folder(folder: &Path) -> Result<(), ScaffoldError> {
    match fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match fs::symlink_metadata(folder) {
            Ok(meta) if meta.is_dir() => Ok(()),
            _ => Err(ScaffoldError::NotAFolder(folder.to_path_buf())),
        },
        Err(e) => Err(ScaffoldError::Io(folder.to_path_buf(), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        time::macros::date!(2025 - 03 - 14)
    }

    fn compile(root: &Path) -> Result<crate::Built, crate::Failure> {
        crate::compile(&crate::Settings {
            root: root.to_path_buf(),
            ..crate::Settings::default()
        })
    }

    #[test]
    fn a_new_site_builds_at_once_without_a_problem() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("mysite");
        let written = init(&root, today(), false).expect("init");
        assert!(written.contains(&PathBuf::from("site.toml")));
        assert!(!root.join("themes").exists());
        let built = compile(&root).expect("builds");
        assert!(
            built.report.warnings.is_empty(),
            "{:?}",
            built.report.warnings
        );
        assert_eq!(built.report.counts.articles, 1);
        assert_eq!(built.report.counts.themes, 2);
        let article = built
            .output
            .get("articles/making-time-for-supervision/index.html")
            .expect("the article");
        let article = String::from_utf8_lossy(article);
        assert!(article.contains("2025"), "dated today");
        assert!(built.output.contains("about/index.html"));
    }

    #[test]
    fn a_folder_holding_anything_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().expect("temp");
        fs::write(dir.path().join("notes.txt"), "mine").expect("write");
        let refused = init(dir.path(), today(), false).expect_err("not empty");
        assert!(matches!(refused, ScaffoldError::NotEmpty(_)), "{refused}");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["notes.txt"]);
        // A file where the folder should be.
        let file = dir.path().join("notes.txt");
        assert!(matches!(
            init(&file, today(), false),
            Err(ScaffoldError::NotAFolder(_))
        ));
    }

    #[test]
    fn a_folder_holding_only_git_is_taken() {
        let dir = tempfile::tempdir().expect("temp");
        fs::create_dir(dir.path().join(".git")).expect("git");
        init(dir.path(), today(), false).expect("init beside .git");
        assert!(dir.path().join("site.toml").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link() {
        let dir = tempfile::tempdir().expect("temp");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("folder");
        let root = dir.path().join("site");
        fs::create_dir(&root).expect("folder");
        // themes/ is a link to a folder outside the site.
        std::os::unix::fs::symlink(&elsewhere, root.join("themes")).expect("link");
        fs::write(root.join("site.toml"), "").expect("write");
        let refused = eject_theme(&root).expect_err("through a link");
        assert!(matches!(refused, ScaffoldError::NotAFolder(_)), "{refused}");
        assert!(fs::read_dir(&elsewhere).expect("read").next().is_none());
        // The site folder itself a link: refused too.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).expect("link");
        assert!(matches!(
            init(&link, today(), false),
            Err(ScaffoldError::NotAFolder(_))
        ));
        assert!(fs::read_dir(&elsewhere).expect("read").next().is_none());
    }

    #[test]
    fn the_theme_is_ejected_once() {
        let dir = tempfile::tempdir().expect("temp");
        let written = init(dir.path(), today(), true).expect("init --theme");
        assert!(written.contains(&PathBuf::from("themes/default/templates/base.html")));
        assert!(dir.path().join("themes/default/static/style.css").is_file());
        let again = eject_theme(dir.path()).expect_err("exists");
        assert!(matches!(again, ScaffoldError::Exists(_)), "{again}");
    }
}
