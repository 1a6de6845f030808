//! Config: takes the text of `site.toml` and gives a validated [`Config`], or every
//! problem in it at `site.toml:line:col`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::control;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};
use crate::highlight;
use crate::slug;

/// The config file's name, relative to the site root; also the path in diagnostics.
pub const FILE_NAME: &str = "site.toml";

/// The whole site configuration, validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Config {
    pub title: String,
    pub(crate) description: String,
    pub base_url: BaseUrl,
    pub(crate) language: String,
    /// Name of the folder under `themes/` that holds templates and static files.
    pub(crate) theme: String,
    pub(crate) theme_position: Position,
    pub markdown: MarkdownConfig,
    /// How many articles the home page lists as the latest.
    pub latest_articles: usize,
    /// How many entries each Atom feed holds.
    pub feed_entries: usize,
    /// How many articles one page of a list shows: all articles, a theme, a
    /// tag, an author.
    pub articles_per_page: usize,
    /// How many mentions one page of an entity (a person, organisation or
    /// glossary term) quotes.
    pub mentions_per_page: usize,
    /// The leadership themes: a closed list of taxonomy terms, in declared order.
    pub themes: ThemeTaxonomy,
    /// Free terms created by use in front matter.
    pub(crate) tags: TagTaxonomy,
}

/// Where the site is published. `path` is what root-relative URLs start with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// Absolute, always ending in `/`: `https://example.org/blog/`.
    pub absolute: String,
    /// The path part, always starting and ending in `/`: `/blog/`.
    pub path: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|e| format!("base_url {text:?} is not an absolute URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "base_url must start with http:// or https://, not {}:",
                url.scheme()
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("base_url must not have a query or fragment".to_string());
        }
        let mut absolute = url.to_string();
        if !absolute.ends_with('/') {
            absolute.push('/');
        }
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl { absolute, path })
    }

    /// The same path at another origin (`http://127.0.0.1:1111`).
    pub(crate) fn at(&self, origin: &str) -> BaseUrl {
        BaseUrl {
            absolute: format!("{}{}", origin.trim_end_matches('/'), self.path),
            path: self.path.clone(),
        }
    }

    /// The absolute URL of a root-relative URL made by [`BaseUrl::path`].
    pub(crate) fn permalink(&self, root_relative: &str) -> String {
        let origin_len = self.absolute.len() - self.path.len();
        format!("{}{}", &self.absolute[..origin_len], root_relative)
    }
}

/// What to do with raw HTML written inside Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Shown as text: the safe default, since content may come from many hands.
    Escape,
    /// Passed through into pages unchanged.
    Allow,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MarkdownConfig {
    pub raw_html: RawHtml,
    /// syntect colour scheme for code in light mode.
    pub(crate) highlight_light: String,
    /// syntect colour scheme for code in dark mode.
    pub(crate) highlight_dark: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThemeTaxonomy {
    pub(crate) title: String,
    pub terms: Vec<ThemeTerm>,
}

impl ThemeTaxonomy {
    pub(crate) fn position_of(&self, slug: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.slug == slug)
    }
}

/// One leadership theme declared in `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThemeTerm {
    pub slug: String,
    pub(crate) title: String,
    pub(crate) description: String,
    /// Where the term is declared, for problems found later (a theme no article uses).
    pub(crate) position: Position,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TagTaxonomy {
    pub(crate) title: String,
}

// ---- the file as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: Spanned<String>,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    home: RawHome,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    lists: RawLists,
    taxonomies: RawTaxonomies,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".to_string())
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default = "default_raw_html")]
    raw_html: RawHtml,
    #[serde(default = "default_light")]
    highlight_light: Spanned<String>,
    #[serde(default = "default_dark")]
    highlight_dark: Spanned<String>,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        RawMarkdown {
            raw_html: default_raw_html(),
            highlight_light: default_light(),
            highlight_dark: default_dark(),
        }
    }
}

fn default_raw_html() -> RawHtml {
    RawHtml::Escape
}

fn default_light() -> Spanned<String> {
    Spanned::new(0..0, highlight::DEFAULT_LIGHT.to_string())
}

fn default_dark() -> Spanned<String> {
    Spanned::new(0..0, highlight::DEFAULT_DARK.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHome {
    #[serde(default = "default_latest")]
    latest_articles: Spanned<usize>,
}

impl Default for RawHome {
    fn default() -> Self {
        RawHome {
            latest_articles: default_latest(),
        }
    }
}

fn default_latest() -> Spanned<usize> {
    Spanned::new(0..0, 10)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    #[serde(default = "default_entries")]
    entries: Spanned<usize>,
}

impl Default for RawFeeds {
    fn default() -> Self {
        RawFeeds {
            entries: default_entries(),
        }
    }
}

fn default_entries() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}

/// Long lists are split into pages, so that a page stays quick to load on a
/// phone however large the site grows.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLists {
    #[serde(default = "default_articles_per_page")]
    articles_per_page: Spanned<usize>,
    #[serde(default = "default_mentions_per_page")]
    mentions_per_page: Spanned<usize>,
}

impl Default for RawLists {
    fn default() -> Self {
        RawLists {
            articles_per_page: default_articles_per_page(),
            mentions_per_page: default_mentions_per_page(),
        }
    }
}

fn default_articles_per_page() -> Spanned<usize> {
    Spanned::new(0..0, 25)
}

fn default_mentions_per_page() -> Spanned<usize> {
    Spanned::new(0..0, 50)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomies {
    themes: Spanned<RawThemes>,
    #[serde(default)]
    tags: RawTags,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThemes {
    title: String,
    #[serde(default)]
    terms: BTreeMap<Spanned<String>, Spanned<RawTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    title: Spanned<String>,
    description: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTags {
    #[serde(default = "default_tags_title")]
    title: String,
}

impl Default for RawTags {
    fn default() -> Self {
        RawTags {
            title: default_tags_title(),
        }
    }
}

fn default_tags_title() -> String {
    "Tags".to_string()
}

/// Settings from the command line that override `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// Where the site is served instead, keeping the base URL's path: the
    /// dev server's `http://127.0.0.1:1111`.
    pub origin: Option<String>,
}

/// Parses and validates `site.toml`. Every problem found is returned, not just
/// the first, so one run shows the editor everything to fix.
pub fn parse(text: &str, overrides: &Overrides) -> Result<Config, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let at = |span: Range<usize>| lines.position(text, span.start);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let position = e.span().map_or(Position::START, at);
        vec![Diagnostic::error(
            Code::ConfigSyntax,
            FILE_NAME,
            position,
            e.message(),
        )]
    })?;

    let mut problems = Vec::new();
    let mut problem = |span: Range<usize>, message: String| {
        problems.push(Diagnostic::error(
            Code::ConfigInvalidValue,
            FILE_NAME,
            at(span),
            message,
        ));
    };
    // TOML refuses control characters written in a string, but not escaped
    // (`"\u0000"`); every key and string is looked at, whatever it is for.
    if let Ok(document) = toml::de::DeTable::parse(text) {
        control_characters(document.get_ref(), &mut problem);
    }

    if raw.title.get_ref().trim().is_empty() {
        problem(raw.title.span(), "title must not be empty".to_string());
    }

    let base_url_text = overrides
        .base_url
        .clone()
        .unwrap_or_else(|| raw.base_url.get_ref().clone());
    let base_url = match BaseUrl::parse(&base_url_text) {
        Ok(url) => Some(match &overrides.origin {
            Some(origin) => url.at(origin),
            None => url,
        }),
        Err(message) => {
            problem(raw.base_url.span(), message);
            None
        }
    };

    let language = raw.language.get_ref().trim().to_string();
    if language.is_empty()
        || !language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        problem(
            raw.language.span(),
            format!("language {language:?} is not a language tag such as \"en-GB\""),
        );
    }

    let theme = raw.theme.get_ref().clone();
    if theme.is_empty() || theme.starts_with('.') || theme.contains(['/', '\\']) {
        problem(
            raw.theme.span(),
            format!("theme {theme:?} must be the name of a folder in themes/"),
        );
    }

    for scheme in [&raw.markdown.highlight_light, &raw.markdown.highlight_dark] {
        if !highlight::has_color_scheme(scheme.get_ref()) {
            problem(
                scheme.span(),
                format!(
                    "unknown highlighting colour scheme {:?}; known: {}",
                    scheme.get_ref(),
                    highlight::color_scheme_names().join(", ")
                ),
            );
        }
    }

    for (count, what) in [
        (&raw.home.latest_articles, "home.latest_articles"),
        (&raw.feeds.entries, "feeds.entries"),
        (&raw.lists.articles_per_page, "lists.articles_per_page"),
        (&raw.lists.mentions_per_page, "lists.mentions_per_page"),
    ] {
        if *count.get_ref() == 0 {
            problem(count.span(), format!("{what} must be at least 1"));
        }
    }

    let themes_span = raw.taxonomies.themes.span();
    let raw_themes = raw.taxonomies.themes.into_inner();
    if raw_themes.terms.is_empty() {
        problem(
            themes_span,
            "declare at least one leadership theme under [taxonomies.themes.terms.<slug>]"
                .to_string(),
        );
    }
    // Terms keep the order they are written in: that is the order readers see.
    let mut declared: Vec<(Spanned<String>, Spanned<RawTerm>)> =
        raw_themes.terms.into_iter().collect();
    declared.sort_by_key(|(key, _)| key.span().start);
    let mut terms = Vec::with_capacity(declared.len());
    for (key, term) in declared {
        let term_span = term.span();
        let term = term.into_inner();
        if !slug::is_slug(key.get_ref()) {
            problem(
                key.span(),
                format!(
                    "theme name {:?} must be a slug: lowercase letters, digits and single hyphens (try {:?})",
                    key.get_ref(),
                    slug::slugify(key.get_ref())
                ),
            );
        }
        for (field, name) in [(&term.title, "title"), (&term.description, "description")] {
            if field.get_ref().trim().is_empty() {
                let span = if field.span().is_empty() {
                    term_span.clone()
                } else {
                    field.span()
                };
                problem(span, format!("theme {:?} needs a {name}", key.get_ref()));
            }
        }
        terms.push(ThemeTerm {
            position: at(key.span()),
            slug: key.into_inner(),
            title: term.title.into_inner().trim().to_string(),
            description: term.description.into_inner().trim().to_string(),
        });
    }

    match base_url {
        Some(base_url) if problems.is_empty() => Ok(Config {
            title: raw.title.into_inner().trim().to_string(),
            description: raw.description.trim().to_string(),
            base_url,
            language,
            theme,
            theme_position: at(raw.theme.span()),
            markdown: MarkdownConfig {
                raw_html: raw.markdown.raw_html,
                highlight_light: raw.markdown.highlight_light.into_inner(),
                highlight_dark: raw.markdown.highlight_dark.into_inner(),
            },
            latest_articles: raw.home.latest_articles.into_inner(),
            feed_entries: raw.feeds.entries.into_inner(),
            articles_per_page: raw.lists.articles_per_page.into_inner(),
            mentions_per_page: raw.lists.mentions_per_page.into_inner(),
            themes: ThemeTaxonomy {
                title: raw_themes.title,
                terms,
            },
            tags: TagTaxonomy {
                title: raw.taxonomies.tags.title,
            },
        }),
        _ => {
            // Checked field by field, reported in the order a reader meets them.
            problems.sort();
            Err(problems)
        }
    }
}

/// Reports every key and string value of a table, at any depth, that holds a
/// control character.
fn control_characters(table: &toml::de::DeTable, problem: &mut impl FnMut(Range<usize>, String)) {
    fn value(
        item: &toml::Spanned<toml::de::DeValue>,
        problem: &mut impl FnMut(Range<usize>, String),
    ) {
        match item.get_ref() {
            toml::de::DeValue::String(text) => {
                if let Some((_, c)) = control::find(text).next() {
                    problem(item.span(), control::in_value("this value", c));
                }
            }
            toml::de::DeValue::Array(items) => {
                for item in items {
                    value(item, problem);
                }
            }
            toml::de::DeValue::Table(table) => control_characters(table, problem),
            _ => {}
        }
    }
    for (key, item) in table {
        if let Some((_, c)) = control::find(key.get_ref()).next() {
            problem(key.span(), control::in_value("this key", c));
        }
        value(item, problem);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
title = "Site"
base_url = "https://example.org/blog"

[taxonomies.themes]
title = "Leadership themes"
[taxonomies.themes.terms.zebra]
title = "Zebra"
description = "Z."
[taxonomies.themes.terms.aardvark]
title = "Aardvark"
description = "A."
"#;

    fn errors(text: &str) -> Vec<String> {
        parse(text, &Overrides::default())
            .expect_err("config should be rejected")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_a_minimal_config_with_defaults() {
        let config = parse(MINIMAL, &Overrides::default()).expect("valid");
        assert_eq!(config.base_url.absolute, "https://example.org/blog/");
        assert_eq!(config.base_url.path, "/blog/");
        assert_eq!(config.language, "en");
        assert_eq!(config.theme, "default");
        assert_eq!(config.markdown.raw_html, RawHtml::Escape);
        assert_eq!(config.latest_articles, 10);
    }

    #[test]
    fn reads_list_lengths_and_reports_problems_in_file_order() {
        let config = parse(MINIMAL, &Overrides::default()).expect("valid");
        assert_eq!(
            (config.articles_per_page, config.mentions_per_page),
            (25, 50)
        );
        let paged = format!("{MINIMAL}\n[lists]\narticles_per_page = 5\nmentions_per_page = 7\n");
        let config = parse(&paged, &Overrides::default()).expect("valid");
        assert_eq!((config.articles_per_page, config.mentions_per_page), (5, 7));
        // The page size is checked before the themes but lies after them.
        let text = format!("{MINIMAL}\n[lists]\narticles_per_page = 0\n").replacen(
            "description = \"Z.\"",
            "description = \"\"",
            1,
        );
        assert_eq!(
            errors(&text),
            [
                "site.toml:9:15: error: theme \"zebra\" needs a description",
                "site.toml:15:21: error: lists.articles_per_page must be at least 1",
            ]
        );
    }

    #[test]
    fn keeps_themes_in_declared_order() {
        let config = parse(MINIMAL, &Overrides::default()).expect("valid");
        let slugs: Vec<&str> = config
            .themes
            .terms
            .iter()
            .map(|t| t.slug.as_str())
            .collect();
        assert_eq!(slugs, ["zebra", "aardvark"]);
    }

    #[test]
    fn base_url_override_wins() {
        let overrides = Overrides {
            base_url: Some("http://127.0.0.1:1111".to_string()),
            origin: None,
        };
        let config = parse(MINIMAL, &overrides).expect("valid");
        assert_eq!(config.base_url.absolute, "http://127.0.0.1:1111/");
        assert_eq!(config.base_url.permalink("/a/"), "http://127.0.0.1:1111/a/");
        // The dev server keeps the path: links written with it still work.
        let overrides = Overrides {
            base_url: None,
            origin: Some("http://127.0.0.1:1111".to_string()),
        };
        let config = parse(MINIMAL, &overrides).expect("valid");
        assert_eq!(config.base_url.absolute, "http://127.0.0.1:1111/blog/");
        assert_eq!(config.base_url.path, "/blog/");
    }

    #[test]
    fn permalinks_join_origin_and_path() {
        let url = BaseUrl::parse("https://example.org/blog/").expect("valid");
        assert_eq!(
            url.permalink("/blog/articles/x/"),
            "https://example.org/blog/articles/x/"
        );
    }

    #[test]
    fn unknown_keys_are_reported_at_their_line() {
        let text = MINIMAL.replace("base_url", "title2 = 1\nbase_url");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("site.toml:3:1: error: unknown field `title2`"),
            "{errs:?}"
        );
    }

    #[test]
    fn every_semantic_problem_is_reported() {
        let text = MINIMAL
            .replace("https://example.org/blog", "ftp://example.org/")
            .replace("title = \"Zebra\"", "title = \"\"")
            .replace("terms.aardvark", "terms.Aardvark");
        let errs = errors(&text);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("site.toml:3:12: error: base_url must start with http"));
        assert!(
            errs[1].contains("theme \"zebra\" needs a title"),
            "{errs:?}"
        );
        assert!(
            errs[2].contains("theme name \"Aardvark\" must be a slug"),
            "{errs:?}"
        );
    }

    #[test]
    fn control_characters_in_any_string_are_errors() {
        let text = MINIMAL
            .replace(
                "title = \"Site\"",
                "title = \"Site\\u0007\"\ndescription = \"\\u0085\"",
            )
            .replace("description = \"Z.\"", "description = \"Z\\u0000\"");
        let errs = errors(&text);
        assert_eq!(
            errs,
            [
                "site.toml:2:9: error: this value holds the control character U+0007, which no page or feed may carry; remove it",
                "site.toml:3:15: error: this value holds the control character U+0085, which no page or feed may carry; remove it",
                "site.toml:10:15: error: this value holds the control character U+0000, which no page or feed may carry; remove it",
            ]
        );
    }

    #[test]
    fn a_config_without_themes_is_rejected() {
        let text =
            "title = \"S\"\nbase_url = \"https://e.org/\"\n[taxonomies.themes]\ntitle = \"T\"\n";
        let errs = errors(text);
        assert!(
            errs[0].contains("declare at least one leadership theme"),
            "{errs:?}"
        );
    }

    #[test]
    fn raw_html_takes_only_known_values() {
        let text = format!("{MINIMAL}\n[markdown]\nraw_html = \"sometimes\"\n");
        let errs = errors(&text);
        assert!(errs[0].contains("unknown variant `sometimes`"), "{errs:?}");
    }
}
