//! The embedded theme: takes nothing and gives the default theme's files as
//! they were built into the binary from the repository's `themes/default/`
//! (by `build.rs`), so that a site without a `themes/default/` folder builds
//! with the look this repository keeps, wherever `tiller` was installed. Load
//! reads them as it reads a theme on disk.

include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// The name of the theme the binary carries.
pub const NAME: &str = "default";

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The binary carries the theme as the repository has it, file for file.
    #[test]
    fn the_embedded_theme_is_the_repository_s() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .map(|e| e.expect("walk"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    crate::load::relative(&folder, e.path()),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .filter(|(path, _)| !path.split('/').any(crate::load::is_scratch_file))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<(String, Vec<u8>)> = crate::load::embedded_files()
            .into_iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect();
        embedded.sort();
        assert_eq!(
            embedded.iter().map(|f| &f.0).collect::<Vec<_>>(),
            on_disk.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        assert!(embedded == on_disk, "the bytes differ");
        assert!(embedded.iter().any(|(p, _)| p == "templates/base.html"));
        assert!(embedded.iter().any(|(p, _)| p == "static/style.css"));
    }

    #[test]
    fn files_under_a_folder_are_named_below_it() {
        let templates = crate::load::embedded_files_under("templates");
        assert!(templates.iter().any(|(p, _)| *p == "article.html"));
        assert!(templates.iter().all(|(p, _)| !p.starts_with("templates/")));
    }
}
