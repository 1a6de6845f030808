//! Formats: takes diagnostics and a run's outcome and gives them as lines for
//! people (`path:line:col: error: message`), for programs (one JSON object a
//! line) or for GitHub Actions (workflow commands that become annotations on
//! the lines of a pull request). Each escapes what its readers require.

use serde::Serialize;

use super::Diagnostic;
use crate::Counts;

/// How `build` and `check` write their diagnostics and summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: error: message` on stderr; a summary line.
    Human,
    /// One JSON object a line on stdout: each diagnostic, then a summary.
    Json,
    /// GitHub Actions workflow commands on stdout; a summary line.
    Github,
}

impl Format {
    /// The format asked for; without one, `github` where the run is a step of
    /// GitHub Actions (which sets `GITHUB_ACTIONS=true`), else `human`.
    pub fn chosen(asked: Option<Format>, github_actions: Option<&str>) -> Format {
        match asked {
            Some(format) => format,
            None if github_actions == Some("true") => Format::Github,
            None => Format::Human,
        }
    }

    /// One diagnostic as a line of this format, without its line end; `file`
    /// is the path to name it by (see [`Format::Github`]'s use in the CLI).
    pub fn line(self, diagnostic: &Diagnostic, file: &str) -> String {
        match self {
            Format::Human => human(diagnostic),
            Format::Json => json(diagnostic, file),
            Format::Github => github(diagnostic, file),
        }
    }
}

/// `path:line:col: severity: message`: what editors and people read.
pub fn human(diagnostic: &Diagnostic) -> String {
    diagnostic.to_string()
}

/// A diagnostic as it is written in JSON, in this order.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
}

/// One JSON object on one line: `{"type":"diagnostic","file":…,"line":…,
/// "column":…,"severity":…,"code":…,"message":…}`. serde_json escapes the
/// strings; nothing in them can break the line.
pub fn json(diagnostic: &Diagnostic, file: &str) -> String {
    let object = JsonDiagnostic {
        kind: "diagnostic",
        file,
        line: diagnostic.line,
        column: diagnostic.column,
        severity: diagnostic.severity.label(),
        code: diagnostic.code.as_str(),
        message: &diagnostic.message,
    };
    serde_json::to_string(&object).expect("a diagnostic serialises")
}

/// `::error file=…,line=…,col=…,title=…::message`, or `::warning …`: a
/// workflow command GitHub Actions turns into an annotation on that line.
/// The title is the problem's code.
pub fn github(diagnostic: &Diagnostic, file: &str) -> String {
    format!(
        "::{} file={},line={},col={},title={}::{}",
        diagnostic.severity.label(),
        github_property(file),
        diagnostic.line,
        diagnostic.column,
        github_property(&format!("tiller {}", diagnostic.code)),
        github_data(&diagnostic.message),
    )
}

/// The message of a workflow command: `%`, CR and LF are percent-encoded,
/// as GitHub's own toolkit does, so that a message cannot end the command
/// or start another.
fn github_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A property of a workflow command: as its message, and `:` and `,` too,
/// which would end the property.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// What a run of `build` or `check` came to, for the JSON summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// `build` or `check`.
    pub command: &'static str,
    pub success: bool,
    /// The exit status the command ends with.
    pub exit_code: u8,
    pub errors: usize,
    pub warnings: usize,
    /// What was built, when the run succeeded.
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub counts: Option<SummaryCounts>,
    /// Where `build` wrote the site, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    pub milliseconds: u64,
}

/// The counts of a successful run, as the summary line gives them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SummaryCounts {
    pub pages: usize,
    pub articles: usize,
    pub themes: usize,
    pub tags: usize,
}

impl From<Counts> for SummaryCounts {
    fn from(c: Counts) -> Self {
        SummaryCounts {
            pages: c.pages,
            articles: c.articles,
            themes: c.themes,
            tags: c.tags,
        }
    }
}

impl Summary {
    /// Counts the errors and warnings among `diagnostics`.
    pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        (errors, diagnostics.len() - errors)
    }

    /// The summary as one line of JSON, the last a JSON run writes:
    /// `{"type":"summary","command":"check","success":false,…}`.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Tagged<'a> {
            #[serde(rename = "type")]
            kind: &'static str,
            #[serde(flatten)]
            summary: &'a Summary,
        }
        let tagged = Tagged {
            kind: "summary",
            summary: self,
        };
        serde_json::to_string(&tagged).expect("a summary serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Position};

    fn broken() -> Diagnostic {
        Diagnostic::error(
            Code::LinkMissingFile,
            "content/articles/a, b.md",
            Position::new(7, 3),
            "broken link to \"x.md\": 100% gone\n<next> \\ \u{2028} é",
        )
    }

    #[test]
    fn human_is_the_editor_format() {
        assert_eq!(
            human(&broken()),
            "content/articles/a, b.md:7:3: error: broken link to \"x.md\": 100% gone; <next> \\ \u{2028} é"
        );
        assert_eq!(Format::Human.line(&broken(), "ignored"), human(&broken()));
    }

    #[test]
    fn json_is_one_object_on_one_line_that_parses_back() {
        let line = json(&broken(), "content/articles/a, b.md");
        assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(value["type"], "diagnostic");
        assert_eq!(value["file"], "content/articles/a, b.md");
        assert_eq!(value["line"], 7);
        assert_eq!(value["column"], 3);
        assert_eq!(value["severity"], "error");
        assert_eq!(value["code"], "link/missing-file");
        assert_eq!(
            value["message"],
            "broken link to \"x.md\": 100% gone; <next> \\ \u{2028} é"
        );
        // The keys come in the documented order.
        assert!(
            line.starts_with(r#"{"type":"diagnostic","file":"#),
            "{line}"
        );
        assert!(
            line.contains(r#"\"x.md\""#) && line.contains(r"\\"),
            "{line}"
        );
        let warning = Diagnostic::warning(Code::MarkdownRawHtml, "a.md", Position::START, "w");
        let value: serde_json::Value = serde_json::from_str(&json(&warning, "a.md")).expect("JSON");
        assert_eq!(value["severity"], "warning");
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        assert_eq!(
            github(&broken(), "site/content/articles/a, b.md"),
            "::error file=site/content/articles/a%2C b.md,line=7,col=3,title=tiller link/missing-file\
             ::broken link to \"x.md\": 100%25 gone; <next> \\ \u{2028} é"
        );
        let warning = Diagnostic::warning(
            Code::TaxonomyEmptyTheme,
            "site.toml",
            Position::new(10, 26),
            "theme \"risk\" has no articles",
        );
        assert_eq!(
            github(&warning, "C:\\site.toml"),
            "::warning file=C%3A\\site.toml,line=10,col=26,title=tiller taxonomy/empty-theme\
             ::theme \"risk\" has no articles"
        );
    }

    #[test]
    fn github_escapes_what_would_end_or_start_a_command() {
        // Diagnostics keep their messages on one line already; the escaping
        // holds for any text all the same.
        assert_eq!(github_data("a%0Ab\r\nc::d"), "a%250Ab%0D%0Ac::d");
        assert_eq!(github_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        let mut odd = broken();
        odd.message = "one\r\ntwo\n::error::three".to_string();
        let line = github(&odd, "a.md");
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.ends_with("::one%0D%0Atwo%0A::error::three"), "{line}");
    }

    #[test]
    fn github_is_chosen_inside_github_actions_unless_another_is_asked_for() {
        assert_eq!(Format::chosen(None, None), Format::Human);
        assert_eq!(Format::chosen(None, Some("false")), Format::Human);
        assert_eq!(Format::chosen(None, Some("true")), Format::Github);
        assert_eq!(
            Format::chosen(Some(Format::Json), Some("true")),
            Format::Json
        );
        assert_eq!(
            Format::chosen(Some(Format::Human), Some("true")),
            Format::Human
        );
    }

    #[test]
    fn the_summary_is_one_json_object_with_counts_only_when_built() {
        let failed = Summary {
            command: "check",
            success: false,
            exit_code: 1,
            errors: 2,
            warnings: 1,
            counts: None,
            output: None,
            milliseconds: 5,
        };
        assert_eq!(
            failed.json(),
            r#"{"type":"summary","command":"check","success":false,"exit_code":1,"errors":2,"warnings":1,"milliseconds":5}"#
        );
        let built = Summary {
            command: "build",
            success: true,
            exit_code: 0,
            errors: 0,
            warnings: 0,
            counts: Some(SummaryCounts {
                pages: 19,
                articles: 2,
                themes: 2,
                tags: 3,
            }),
            output: Some("./public".to_string()),
            milliseconds: 12,
        };
        let value: serde_json::Value = serde_json::from_str(&built.json()).expect("JSON");
        assert_eq!(value["pages"], 19);
        assert_eq!(value["tags"], 3);
        assert_eq!(value["output"], "./public");
        assert_eq!(value["success"], true);
    }

    #[test]
    fn counting_tells_errors_from_warnings() {
        let warning = Diagnostic::warning(Code::MarkdownRawHtml, "a.md", Position::START, "w");
        assert_eq!(
            Summary::count(&[broken(), warning.clone(), warning]),
            (1, 2)
        );
    }
}
