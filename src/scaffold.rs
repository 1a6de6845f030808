//! Scaffold: takes a title and the site's config and gives a new article file
//! with its front matter filled in, never overwriting one that exists.

use std::fs::OpenOptions;
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

/// Why a new article could not be written.
#[derive(Debug)]
pub enum ScaffoldError {
    NoSlug,
    Exists(PathBuf),
    Io(PathBuf, io::Error),
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
