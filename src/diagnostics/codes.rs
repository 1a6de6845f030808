//! Codes: a stable name for each kind of problem, given with every diagnostic
//! so that tools can match on the kind rather than on the wording, which may
//! change. Each is documented in `docs/diagnostics.md` (a test checks that
//! every code here is, and that the page names no other).

/// Defines [`Code`], its text and the list of all codes from one table, so
/// that no code can be left out of [`Code::ALL`].
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $text:literal,)*) => {
        /// What kind of problem a diagnostic is. Its text (`link/missing-file`)
        /// never changes once published; a new kind of problem gets a new code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as tools see it: `area/kind`, lower case.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// There is no `site.toml` in the site folder.
    ConfigMissing = "config/missing",
    /// `site.toml` is not TOML, or not the shape Tiller reads.
    ConfigSyntax = "config/syntax",
    /// A value in `site.toml` is not one Tiller accepts.
    ConfigInvalidValue = "config/invalid-value",
    /// A file or folder could not be read.
    FileUnreadable = "file/unreadable",
    /// A text file is not UTF-8.
    FileEncoding = "file/encoding",
    /// A symbolic link was skipped: it leads outside the site, to nothing, or round in a loop.
    FileSkippedLink = "file/skipped-link",
    /// The site has no `content/` folder.
    ContentMissingFolder = "content/missing-folder",
    /// An article is in a sub-folder of `content/articles/`.
    ContentMisplacedArticle = "content/misplaced-article",
    /// A control character in a document was replaced.
    ContentControlCharacter = "content/control-character",
    /// A document has no front matter, or it is not closed.
    FrontMatterMissing = "front-matter/missing",
    /// The front matter is not YAML, or not the shape Tiller reads.
    FrontMatterYaml = "front-matter/yaml",
    /// A value in the front matter is not one Tiller accepts.
    FrontMatterInvalidValue = "front-matter/invalid-value",
    /// `content/entities.yaml` is not YAML, or not the shape Tiller reads.
    EntitiesYaml = "entities/yaml",
    /// A value in `content/entities.yaml` is not one Tiller accepts.
    EntitiesInvalidValue = "entities/invalid-value",
    /// A name, alias or abbreviation is listed twice.
    EntitiesDuplicateName = "entities/duplicate-name",
    /// An entity is mentioned nowhere.
    EntitiesUnmentioned = "entities/unmentioned",
    /// An alias or abbreviation matches nothing in the text.
    EntitiesUnmatchedName = "entities/unmatched-name",
    /// Markdown nested too deeply for too long.
    MarkdownTooDeep = "markdown/too-deep",
    /// A code block's language is not one the highlighter knows.
    MarkdownUnknownLanguage = "markdown/unknown-language",
    /// A document has more code than is highlighted.
    MarkdownHighlightLimit = "markdown/highlight-limit",
    /// A footnote is defined twice.
    MarkdownDuplicateFootnote = "markdown/duplicate-footnote",
    /// Raw HTML is shown as text.
    MarkdownRawHtml = "markdown/raw-html",
    /// A heading's attributes were left out.
    MarkdownHeadingAttributes = "markdown/heading-attributes",
    /// A link uses a scheme that is not allowed (`javascript:`, `data:`…).
    LinkForbiddenScheme = "link/forbidden-scheme",
    /// A relative link points outside `content/` or at a folder.
    LinkInvalid = "link/invalid",
    /// A relative link points at a file that does not exist.
    LinkMissingFile = "link/missing-file",
    /// A link points at a draft that is not built.
    LinkDraft = "link/draft",
    /// A link's anchor is not an id on the page it points at.
    LinkMissingAnchor = "link/missing-anchor",
    /// A root-relative link points at no page or file of the site.
    LinkMissingPage = "link/missing-page",
    /// A declared theme has no articles.
    TaxonomyEmptyTheme = "taxonomy/empty-theme",
    /// A tag is spelt two ways.
    TaxonomyTagSpelling = "taxonomy/tag-spelling",
    /// A tag is listed twice in one article.
    TaxonomyDuplicateTag = "taxonomy/duplicate-tag",
    /// An author is listed twice in one article.
    TaxonomyDuplicateAuthor = "taxonomy/duplicate-author",
    /// The theme `site.toml` names has no folder, and is not the embedded one.
    ThemeNotFound = "theme/not-found",
    /// The theme's folder leads outside the site.
    ThemeOutsideSite = "theme/outside-site",
    /// The theme lacks a template Tiller needs.
    TemplateMissing = "template/missing",
    /// A template's syntax is wrong.
    TemplateSyntax = "template/syntax",
    /// A template failed while rendering a page.
    TemplateRender = "template/render",
    /// Another problem with the templates (a missing parent or include).
    TemplateInvalid = "template/invalid",
    /// A template holds a control character.
    TemplateControlCharacter = "template/control-character",
    /// Two things would be written at one output path.
    OutputClash = "output/clash",
    /// The output folder is refused.
    OutputRefused = "output/refused",
    /// The output could not be written.
    OutputWrite = "output/write",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes written in backticks in the first column of the tables
    /// under `## Codes` in `docs/diagnostics.md`.
    fn documented() -> Vec<String> {
        let page = include_str!("../../docs/diagnostics.md");
        let (_, codes) = page.split_once("\n## Codes\n").expect("a Codes section");
        codes
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split_once('`'))
            .map(|(code, _)| code.to_string())
            .collect()
    }

    #[test]
    fn every_code_is_documented_and_only_these() {
        let documented = documented();
        for code in Code::ALL {
            assert!(
                documented.iter().any(|d| d == code.as_str()),
                "{code} is not in docs/diagnostics.md"
            );
        }
        for code in &documented {
            assert!(
                Code::ALL.iter().any(|c| c.as_str() == code),
                "docs/diagnostics.md names {code}, which Tiller does not give"
            );
        }
        let mut sorted = documented.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), documented.len(), "a code is listed twice");
    }

    #[test]
    fn codes_are_unique_lower_case_area_slash_kind() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            let (area, kind) = text.split_once('/').expect("area/kind");
            for part in [area, kind] {
                assert!(
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{text}"
                );
            }
        }
    }

    /// Every code is given somewhere: a code no problem carries is a
    /// promise to tools that nothing keeps.
    #[test]
    fn every_code_is_given_somewhere() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut text = String::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.expect("walk src");
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("codes.rs") {
                text.push_str(&std::fs::read_to_string(path).expect("read"));
            }
        }
        for code in Code::ALL {
            let named = format!("Code::{code:?}");
            let given = text.match_indices(&named).any(|(at, _)| {
                !text[at + named.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            });
            assert!(given, "{code} ({named}) is never given");
        }
    }
}
