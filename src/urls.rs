//! URLs: takes paths of files under `content/` and gives the site paths they are
//! served at, and resolves the relative references written between them.

use crate::slug::slugify;

/// The site path of a Markdown file, relative to the site root and ending in `/`:
/// `articles/How To.md` → `articles/how-to/`, `guides/index.md` → `guides/`,
/// `index.md` → `` (the home page, which no content file may take).
pub(crate) fn document_path(content_path: &str) -> String {
    let without_extension = content_path
        .strip_suffix(".md")
        .or_else(|| content_path.strip_suffix(".MD"))
        .unwrap_or(content_path);
    let (folders, name) = match without_extension.rsplit_once('/') {
        Some((folders, name)) => (Some(folders), name),
        None => (None, without_extension),
    };
    let mut path = String::with_capacity(without_extension.len() + 1);
    let mut push = |segment: &str| {
        if !segment.is_empty() {
            path.push_str(segment);
            path.push('/');
        }
    };
    for folder in folders.into_iter().flat_map(|f| f.split('/')) {
        push(&slugify(folder));
    }
    let name = slugify(name);
    if name != "index" {
        push(&name);
    }
    path
}

/// A site path made root-relative under the base path: (`/blog/`, `a/b/`) → `/blog/a/b/`.
pub(crate) fn under(base_path: &str, site_path: &str) -> String {
    [base_path, site_path].concat()
}

/// The output file that serves a site path: `a/b/` → `a/b/index.html`.
pub(crate) fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// Resolves `reference` (percent-decoded, relative) against the folder of the
/// content file `from`. Gives the content path it points to, or why it cannot.
pub(crate) fn resolve_relative(from: &str, reference: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("link {reference:?} points outside content/"));
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(format!("link {reference:?} points at a folder, not a file"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_served_at_folder_urls() {
        assert_eq!(
            document_path("articles/dass-culture.md"),
            "articles/dass-culture/"
        );
        assert_eq!(document_path("about.md"), "about/");
        assert_eq!(
            document_path("guides/Getting Started.md"),
            "guides/getting-started/"
        );
        assert_eq!(document_path("guides/index.md"), "guides/");
        assert_eq!(document_path("index.md"), "");
    }

    #[test]
    fn document_paths_slug_each_segment_and_drop_a_last_index() {
        // Each segment slugged on its own, empty slugs left out, and a last
        // segment that slugs to `index` dropped: the shortcut for segments
        // that are slugs already must give what slugging them gives.
        let slugged_one_by_one = |content_path: &str| {
            let stem = content_path.strip_suffix(".md").unwrap_or(content_path);
            let mut segments: Vec<String> = stem.split('/').map(crate::slug::slugify).collect();
            if segments.last().is_some_and(|s| s == "index") {
                segments.pop();
            }
            segments
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| format!("{s}/"))
                .collect::<String>()
        };
        for path in [
            "Guides/Index.md",
            "index/index.md",
            "index/a.md",
            "a/!!/b.md",
            "A Folder/Sub/x.md",
            "a/b/c/d.md",
            "-a-/b--c/Café’s.md",
            "/a.md",
            "a//b.md",
            "!!.md",
        ] {
            assert_eq!(document_path(path), slugged_one_by_one(path), "{path}");
        }
        assert_eq!(document_path("Guides/Index.md"), "guides/");
        assert_eq!(document_path("index/index.md"), "index/");
        assert_eq!(document_path("a/!!/b.md"), "a/b/");
        assert_eq!(document_path("A Folder/Sub/x.MD"), "a-folder/sub/x/");
    }

    #[test]
    fn output_files_are_index_html_in_folders() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("a/b/"), "a/b/index.html");
        assert_eq!(output_file("atom.xml"), "atom.xml");
    }

    #[test]
    fn relative_references_resolve_from_the_files_folder() {
        assert_eq!(
            resolve_relative("articles/a.md", "b.md"),
            Ok("articles/b.md".to_string())
        );
        assert_eq!(
            resolve_relative("articles/a.md", "./b.md"),
            Ok("articles/b.md".to_string())
        );
        assert_eq!(
            resolve_relative("articles/a.md", "../about.md"),
            Ok("about.md".to_string())
        );
        assert_eq!(
            resolve_relative("about.md", "articles/a.md"),
            Ok("articles/a.md".to_string())
        );
        assert!(resolve_relative("about.md", "../../etc/passwd").is_err());
        assert!(resolve_relative("articles/a.md", "..").is_err());
    }

    #[test]
    fn paths_go_under_the_base_path() {
        assert_eq!(under("/", "articles/a/"), "/articles/a/");
        assert_eq!(under("/blog/", "articles/a/"), "/blog/articles/a/");
    }
}
