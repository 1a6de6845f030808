//! Front matter: takes a Markdown file's text and gives its typed metadata and the
//! body that follows, or every problem found at `path:line:col` (lines counted in
//! the whole file, not the YAML block).

use serde::Deserialize;
use serde_saphyr::Spanned;
use time::Date;
use time::macros::format_description;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position};
use crate::parse::yaml::{self, Checker, Expectations, Subject};
use crate::slug;

/// The most leadership themes one article may carry: more says nothing.
pub const MAX_THEMES: usize = 4;

/// What kind of writing an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Interview,
    Briefing,
    Guidance,
    Blog,
    Report,
}

impl Kind {
    /// The kind as front matter writes it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Interview => "interview",
            Kind::Briefing => "briefing",
            Kind::Guidance => "guidance",
            Kind::Blog => "blog",
            Kind::Report => "report",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Interview => "Interview",
            Kind::Briefing => "Briefing",
            Kind::Guidance => "Guidance",
            Kind::Blog => "Blog post",
            Kind::Report => "Report",
        }
    }
}

/// A free-text name from front matter (a tag, an author) with its slug and the
/// place it was written: the slug is made here, once, in parallel with other
/// files, and the place lets later checks (a tag's spelling) point back at it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    pub text: String,
    pub slug: String,
    pub(crate) position: Position,
}

/// Where an article was first published, as far as the source tells.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Source {
    pub(crate) publication: Option<String>,
    pub(crate) url: Option<String>,
}

/// An article's metadata, validated against `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ArticleMeta {
    pub title: String,
    pub(crate) kind: Kind,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub authors: Vec<Name>,
    pub(crate) source: Option<Source>,
    /// Indexes into the themes declared in `site.toml`, in the order written.
    pub themes: Vec<usize>,
    pub tags: Vec<Name>,
    pub(crate) summary: Option<String>,
    pub(crate) draft: bool,
}

/// A plain page's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageMeta {
    pub title: String,
    pub(crate) summary: Option<String>,
    pub(crate) draft: bool,
}

/// A file split at the end of its front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the whole file.
    pub body_offset: usize,
}

/// Splits `text` into YAML front matter and body. The front matter must open on
/// the first line with `---` and close with a line of `---`.
pub fn split(text: &str) -> Result<Split<'_>, &'static str> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = text[bom..].split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(
            "missing front matter: the file must start with a `---` line, then YAML, then `---`",
        );
    }
    let yaml_start = bom + first.len();
    let mut offset = yaml_start;
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err("front matter is not closed: add a `---` line after the YAML")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    title: Spanned<String>,
    kind: Kind,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<Spanned<String>>,
    source: Option<RawSource>,
    themes: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    publication: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Spanned<String>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

/// What each field must be, for messages about values of the wrong type.
const ARTICLE_FIELDS: Expectations = &[
    ("", "fields such as title: and kind:"),
    ("title", "a text"),
    ("kind", "one of interview, briefing, guidance, blog, report"),
    ("date", "a date YYYY-MM-DD"),
    ("updated", "a date YYYY-MM-DD"),
    ("authors", "a list of names"),
    ("authors[]", "each author to be a name"),
    ("source", "publication: and url: lines"),
    ("source.publication", "a text"),
    ("source.url", "a web address"),
    ("themes", "a list of leadership themes"),
    ("themes[]", "each theme to be a name declared in site.toml"),
    ("tags", "a list of tags"),
    ("tags[]", "each tag to be a text"),
    ("summary", "a text"),
    ("draft", "true or false"),
];

const PAGE_FIELDS: Expectations = &[
    ("", "fields such as title:"),
    ("title", "a text"),
    ("summary", "a text"),
    ("draft", "true or false"),
];

fn read_date(checker: &mut Checker, value: &Option<Spanned<String>>, what: &str) -> Option<Date> {
    let value = value.as_ref()?;
    let format = format_description!("[year]-[month]-[day]");
    match Date::parse(value.value.trim(), format) {
        Ok(date) => Some(date),
        Err(_) => {
            checker.error(
                value.referenced,
                format!(
                    "{what} {:?} is not a real date in the form YYYY-MM-DD",
                    value.value
                ),
            );
            None
        }
    }
}

/// Reads an article's front matter and checks it against `site.toml`.
pub fn article(path: &str, split: &Split, config: &Config) -> Result<ArticleMeta, Vec<Diagnostic>> {
    let mut checker = Checker::new(path, split.yaml_line, Subject::FrontMatter, ARTICLE_FIELDS);
    let Some(raw) = yaml::parse::<RawArticle>(split.yaml, &mut checker) else {
        return Err(checker.problems);
    };
    let title = checker.text(&raw.title, "title");
    let date = read_date(&mut checker, &raw.date, "date");
    let updated = read_date(&mut checker, &raw.updated, "updated");
    let authors = raw
        .authors
        .iter()
        .map(|a| {
            let text = checker.text(a, "an author's name");
            Name {
                slug: slug::slugify(&text),
                position: checker.position(a.referenced),
                text,
            }
        })
        .filter(|a| !a.slug.is_empty())
        .collect();
    let source = raw.source.map(|s| {
        if let Some(url) = &s.url
            && checker.publishable(url, "source url")
            && !(url.value.starts_with("https://") || url.value.starts_with("http://"))
        {
            checker.error(
                url.referenced,
                "source url must start with https:// or http://",
            );
        }
        if let Some(publication) = &s.publication {
            checker.publishable(publication, "source publication");
        }
        Source {
            publication: s.publication.map(|p| p.value.trim().to_string()),
            url: s.url.map(|u| u.value.trim().to_string()),
        }
    });
    let mut themes = Vec::new();
    for theme in &raw.themes.value {
        match config.themes.position_of(&theme.value) {
            Some(index) if themes.contains(&index) => {
                checker.error(
                    theme.referenced,
                    format!("theme {:?} is listed twice", theme.value),
                );
            }
            Some(index) => themes.push(index),
            None => {
                let known: Vec<&str> = config
                    .themes
                    .terms
                    .iter()
                    .map(|t| t.slug.as_str())
                    .collect();
                checker.error(
                    theme.referenced,
                    format!(
                        "theme {:?} is not declared in site.toml (declared: {})",
                        theme.value,
                        known.join(", ")
                    ),
                );
            }
        }
    }
    let count = raw.themes.value.len();
    if count == 0 || count > MAX_THEMES {
        checker.error(
            raw.themes.referenced,
            format!("an article needs 1 to {MAX_THEMES} themes, not {count}"),
        );
    }

    let mut tags = Vec::new();
    for tag in &raw.tags {
        let name = tag.value.trim();
        let slug = slug::slugify(name);
        if !checker.publishable(tag, "a tag") {
            continue;
        }
        if slug.is_empty() {
            checker.error(
                tag.referenced,
                format!("tag {:?} has no letters or digits", tag.value),
            );
        } else {
            tags.push(Name {
                text: name.to_string(),
                slug,
                position: checker.position(tag.referenced),
            });
        }
    }

    let summary = clean_summary(&mut checker, raw.summary);
    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    Ok(ArticleMeta {
        title,
        kind: raw.kind,
        date,
        updated,
        authors,
        source,
        themes,
        tags,
        summary,
        draft: raw.draft,
    })
}

/// Reads a plain page's front matter.
pub fn page(path: &str, split: &Split) -> Result<PageMeta, Vec<Diagnostic>> {
    let mut checker = Checker::new(path, split.yaml_line, Subject::FrontMatter, PAGE_FIELDS);
    let Some(raw) = yaml::parse::<RawPage>(split.yaml, &mut checker) else {
        return Err(checker.problems);
    };
    let title = checker.text(&raw.title, "title");
    let summary = clean_summary(&mut checker, raw.summary);
    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    Ok(PageMeta {
        title,
        summary,
        draft: raw.draft,
    })
}

fn clean_summary(checker: &mut Checker, summary: Option<Spanned<String>>) -> Option<String> {
    summary
        .filter(|s| checker.publishable(s, "summary"))
        .map(|s| s.value.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Overrides};

    fn config() -> Config {
        config::parse(
            r#"
title = "T"
base_url = "https://example.org/"
[taxonomies.themes]
title = "Themes"
[taxonomies.themes.terms.workforce]
title = "Workforce"
description = "W."
[taxonomies.themes.terms.risk]
title = "Risk"
description = "R."
"#,
            &Overrides::default(),
        )
        .expect("valid config")
    }

    fn read(text: &str) -> Result<ArticleMeta, Vec<String>> {
        let split = split(text).map_err(|e| vec![e.to_string()])?;
        article("a.md", &split, &config())
            .map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn splits_front_matter_from_body() {
        let text = "---\ntitle: x\n---\n# Body\n";
        let split = split(text).expect("has front matter");
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.body, "# Body\n");
        assert_eq!(split.body_offset, 17);
        assert!(super::split("no front matter").is_err());
        assert!(super::split("---\ntitle: x\n").is_err());
        let crlf = super::split("\u{feff}---\r\ntitle: x\r\n---\r\nBody").expect("BOM and CRLF");
        assert_eq!(crlf.body, "Body");
    }

    #[test]
    fn reads_a_full_article() {
        let meta = read(
            "---\ntitle: \"A: b\"\nkind: guidance\ndate: 2017-10-17\nauthors: [Ann Bee]\nsource:\n  publication: Community Care\nthemes: [risk, workforce]\ntags: [supervision, Social workers]\nsummary: >\n  Two\n  lines.\n---\nBody",
        )
        .expect("valid");
        assert_eq!(meta.title, "A: b");
        assert_eq!(meta.kind, Kind::Guidance);
        assert_eq!(
            meta.date.map(|d| d.to_string()),
            Some("2017-10-17".to_string())
        );
        assert_eq!(meta.themes, vec![1, 0]);
        assert_eq!(meta.tags[1].text, "Social workers");
        assert_eq!(meta.tags[1].slug, "social-workers");
        assert_eq!(meta.authors[0].slug, "ann-bee");
        assert_eq!(meta.tags[1].position, Position::new(9, 21));
        assert_eq!(meta.summary.as_deref(), Some("Two lines."));
        assert!(!meta.draft);
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let meta = read("---\ntitle: x\nkind: blog\nthemes: [risk]\n---\n").expect("valid");
        assert_eq!(meta.date, None);
        assert!(meta.authors.is_empty());
        assert_eq!(meta.source, None);
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line_in_the_file() {
        let errs = read("---\ntitle: x\nkind: blog\nthemes: [risk]\ntagz: [a]\n---\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("a.md:5:1: error: front matter: unknown field `tagz`"),
            "{errs:?}"
        );
    }

    #[test]
    fn wrong_types_and_missing_fields_are_errors() {
        let errs = read("---\ntitle: [1]\nkind: blog\nthemes: [risk]\n---\n").unwrap_err();
        assert_eq!(
            errs,
            ["a.md:2:8: error: title: expected a text, found a list"]
        );
        let errs =
            read("---\ntitle: x\nkind: blog\nthemes: [risk]\ndate: [2017]\n---\n").unwrap_err();
        assert_eq!(
            errs,
            ["a.md:5:7: error: date: expected a date YYYY-MM-DD, found a list"]
        );
        let errs = read("---\ntitle: x\nkind: blog\nthemes: risk\n---\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "a.md:4:9: error: themes: expected a list of leadership themes, found the text \"risk\""
            ]
        );
        let errs = read("---\ntitle: x\nkind: [blog]\nthemes: [risk]\n---\n").unwrap_err();
        assert!(
            errs[0].starts_with("a.md:3:7: error: kind: expected one of interview"),
            "{errs:?}"
        );
        let errs = read("---\nkind: blog\nthemes: [risk]\n---\n").unwrap_err();
        assert!(errs[0].contains("missing field `title`"), "{errs:?}");
        let errs = read("---\ntitle: x\nkind: memo\nthemes: [risk]\n---\n").unwrap_err();
        assert!(
            errs[0].starts_with("a.md:3:7: error: front matter: unknown variant `memo`"),
            "{errs:?}"
        );
        let errs = read("---\n---\n").unwrap_err();
        assert!(errs[0].contains("missing field"), "{errs:?}");
    }

    #[test]
    fn semantic_problems_are_all_reported() {
        let errs = read(
            "---\ntitle: \" \"\nkind: blog\ndate: 2017-02-30\nthemes: [risk, nope, risk]\ntags: [\"!!\"]\n---\n",
        )
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                "a.md:2:8: error: title must not be empty",
                "a.md:4:7: error: date \"2017-02-30\" is not a real date in the form YYYY-MM-DD",
                "a.md:5:16: error: theme \"nope\" is not declared in site.toml (declared: workforce, risk)",
                "a.md:5:22: error: theme \"risk\" is listed twice",
                "a.md:6:8: error: tag \"!!\" has no letters or digits",
            ]
        );
    }

    #[test]
    fn theme_count_is_bounded() {
        let errs = read("---\ntitle: x\nkind: blog\nthemes: []\n---\n").unwrap_err();
        assert_eq!(
            errs,
            vec!["a.md:4:9: error: an article needs 1 to 4 themes, not 0"]
        );
    }

    #[test]
    fn pages_need_only_a_title() {
        let text = "---\ntitle: About\n---\nHi";
        let meta = page("about.md", &split(text).expect("split")).expect("valid");
        assert_eq!(meta.title, "About");
        let text = "---\ntitle: About\nkind: blog\n---\nHi";
        assert!(page("about.md", &split(text).expect("split")).is_err());
    }
}
