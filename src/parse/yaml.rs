//! YAML: takes the YAML of a source file (front matter, the entities file)
//! and gives it typed, or every problem found at its `path:line:col` in the
//! file, worded for an editor: a value of the wrong type names its field and
//! what was found there, a plain value holding `: ` gets a hint to quote it,
//! and control characters, written or escaped, are refused.

use std::fmt;

use serde::Deserialize;
use serde_path_to_error::Segment;
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};

use crate::control;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};

/// What each field of a kind of YAML file must be, by its path: `date`,
/// `tags[]` for each item of `tags`, `[].name` for the `name` of each item
/// of a list at the top, and `` for the whole document.
pub(crate) type Expectations = &'static [(&'static str, &'static str)];

/// What a piece of YAML is: it names the YAML in messages from the parser
/// and gives the codes of its problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    FrontMatter,
    Entities,
}

impl Subject {
    fn name(self) -> &'static str {
        match self {
            Subject::FrontMatter => "front matter",
            Subject::Entities => "entities",
        }
    }

    /// The code of YAML that is not YAML, or not the shape read.
    fn shape_code(self) -> Code {
        match self {
            Subject::FrontMatter => Code::FrontMatterYaml,
            Subject::Entities => Code::EntitiesYaml,
        }
    }

    /// The code of a value that is not accepted.
    fn value_code(self) -> Code {
        match self {
            Subject::FrontMatter => Code::FrontMatterInvalidValue,
            Subject::Entities => Code::EntitiesInvalidValue,
        }
    }
}

/// Collects the problems of one file's YAML, each placed in the file.
pub struct Checker<'a> {
    path: &'a str,
    /// The line of the file on which the YAML starts.
    yaml_line: usize,
    /// What the YAML is, for messages from the YAML parser.
    subject: Subject,
    expectations: Expectations,
    pub problems: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub fn new(
        path: &'a str,
        yaml_line: usize,
        subject: Subject,
        expectations: Expectations,
    ) -> Self {
        Checker {
            path,
            yaml_line,
            subject,
            expectations,
            problems: Vec::new(),
        }
    }

    pub fn position(&self, location: serde_saphyr::Location) -> Position {
        let line = usize::try_from(location.line()).unwrap_or(1).max(1);
        let column = usize::try_from(location.column()).unwrap_or(1);
        Position::new(self.yaml_line + line - 1, column)
    }

    /// A value that is not accepted.
    pub(crate) fn error(&mut self, location: serde_saphyr::Location, message: impl fmt::Display) {
        let position = self.position(location);
        self.error_at(self.subject.value_code(), position, message);
    }

    fn error_at(&mut self, code: Code, position: Position, message: impl fmt::Display) {
        self.problems.push(Diagnostic::error(
            code,
            self.path,
            position,
            message.to_string(),
        ));
    }

    /// A value's text, trimmed; an error if it is empty or holds a control
    /// character (which YAML lets a quoted value write as an escape: `"\0"`).
    pub(crate) fn text(&mut self, value: &Spanned<String>, what: &str) -> String {
        let text = value.value.trim();
        if self.publishable(value, what) && text.is_empty() {
            self.error(value.referenced, format!("{what} must not be empty"));
        }
        text.to_string()
    }

    /// An error if the value holds a control character; whether it is clean.
    pub(crate) fn publishable(&mut self, value: &Spanned<String>, what: &str) -> bool {
        match control::find(&value.value).next() {
            Some((_, c)) => {
                self.error(value.referenced, control::in_value(what, c));
                false
            }
            None => true,
        }
    }

    fn yaml_error(&mut self, yaml: &str, error: &serde_saphyr::Error, path: Option<&str>) {
        let error = error.without_snippet();
        let message = UserMessageFormatter.format_message(error);
        let location = error.location().unwrap_or(serde_saphyr::Location::UNKNOWN);
        let explained = path.and_then(|path| self.type_error(yaml, &message, path, location));
        let message = explained.unwrap_or_else(|| {
            let hint = quoting_hint(yaml, &message, location).unwrap_or_default();
            format!("{}: {message}{hint}", self.subject.name())
        });
        let position = self.position(location);
        self.error_at(self.subject.shape_code(), position, message);
    }

    /// `date: expected a date YYYY-MM-DD, found a list`, if the error is a
    /// value of the wrong type in a field this kind of file knows.
    fn type_error(
        &self,
        yaml: &str,
        message: &str,
        path: &str,
        location: serde_saphyr::Location,
    ) -> Option<String> {
        // Only a value of the wrong type: syntax errors, unknown and missing
        // fields are worded well by the parser, and are not about one value.
        let wrong_type = ["expected ", "invalid ", "externally tagged enum expected "];
        if !wrong_type.iter().any(|start| message.starts_with(start)) {
            return None;
        }
        let (key, shown) = path.split_once('\n')?;
        let expected = self.expectations.iter().find(|(field, _)| *field == key)?.1;
        let found = found_at(yaml, location);
        let field = if shown.is_empty() {
            self.subject.name()
        } else {
            shown
        };
        Some(format!("{field}: expected {expected}, found {found}"))
    }
}

/// Reads `yaml` into `T`; `None` with the problems in `checker` if it cannot.
pub fn parse<'de, T: Deserialize<'de>>(yaml: &'de str, checker: &mut Checker) -> Option<T> {
    let mut clean = true;
    for (offset, c) in control::find(yaml) {
        let position = LineIndex::new(yaml).position(yaml, offset);
        let position = Position::new(checker.yaml_line + position.line - 1, position.column);
        checker.error_at(
            checker.subject.shape_code(),
            position,
            format!(
                "{}: the control character {} is not allowed; remove it",
                checker.subject.name(),
                control::name(c)
            ),
        );
        clean = false;
    }
    if !clean {
        return None;
    }
    // YAML with nothing in it is not a mapping; say what is missing instead.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    let mut path = None;
    let result = serde_saphyr::with_deserializer_from_str(yaml, |deserializer| {
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            path = field_path(error.path());
            error.into_inner()
        })
    });
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            checker.yaml_error(yaml, &error, path.as_deref());
            None
        }
    }
}

/// A field's path as the expectations name it (`tags[]`, `[].name`) and as
/// an editor reads it (`tags`, `name`), on two lines. The `value` inside a
/// spanned value is no field of the file's.
fn field_path(path: &serde_path_to_error::Path) -> Option<String> {
    let (mut key, mut shown) = (String::new(), String::new());
    for segment in path.iter() {
        match segment {
            Segment::Seq { .. } => key.push_str("[]"),
            // Somewhere the deserializer could not say: no field to name.
            Segment::Unknown => return None,
            Segment::Map { key: name } | Segment::Enum { variant: name } if name != "value" => {
                for text in [&mut key, &mut shown] {
                    if !text.is_empty() && !text.ends_with('[') {
                        text.push('.');
                    }
                    text.push_str(name);
                }
            }
            _ => {}
        }
    }
    Some(format!("{key}\n{shown}"))
}

/// What kind of value starts at `location`: `a list`, `a mapping`, `true`,
/// `the number 3`, `the text "…"`.
fn found_at(yaml: &str, location: serde_saphyr::Location) -> String {
    let line = usize::try_from(location.line()).unwrap_or(1).max(1);
    let column = usize::try_from(location.column()).unwrap_or(1).max(1);
    let mut lines = yaml.lines().skip(line - 1);
    let here: String = lines
        .next()
        .unwrap_or("")
        .chars()
        .skip(column - 1)
        .collect();
    let value = here.trim();
    // A value on the lines below its key: a block list or mapping.
    let value = if value.is_empty() {
        lines.find(|l| !l.trim().is_empty()).unwrap_or("").trim()
    } else {
        value
    };
    if value.starts_with('[') || value.starts_with("- ") || value == "-" {
        return "a list".to_string();
    }
    if value.starts_with('{') || value.contains(": ") || value.ends_with(':') {
        return "a mapping".to_string();
    }
    let scalar = value.split(" #").next().unwrap_or(value).trim();
    if matches!(scalar, "true" | "false" | "yes" | "no") {
        return scalar.to_string();
    }
    if scalar.parse::<f64>().is_ok() {
        return format!("the number {scalar}");
    }
    if scalar.is_empty() || scalar == "~" || scalar == "null" {
        return "nothing".to_string();
    }
    let short: String = scalar.chars().take(40).collect();
    format!("the text {short:?}")
}

/// A hint for the commonest YAML mistake: a plain value holding `: `, which
/// YAML reads as a key inside the value.
fn quoting_hint(yaml: &str, message: &str, location: serde_saphyr::Location) -> Option<String> {
    if !message.contains("mapping values are not allowed") {
        return None;
    }
    let line = usize::try_from(location.line()).ok()?;
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let (key, value) = text.split_once(": ")?;
    let value = value.trim();
    if !value.contains(": ") || value.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return None;
    }
    let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "; a value holding \": \" must be quoted: {}: \"{quoted}\"",
        key.trim_end()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Raw {
        title: Spanned<String>,
        date: Option<Spanned<String>>,
        #[serde(default)]
        tags: Vec<Spanned<String>>,
        #[serde(default)]
        draft: bool,
    }

    const EXPECTED: Expectations = &[
        ("", "a mapping"),
        ("title", "a text"),
        ("date", "a date YYYY-MM-DD"),
        ("tags", "a list of tags"),
        ("tags[]", "each tag to be a text"),
        ("draft", "true or false"),
    ];

    fn problems(yaml: &str) -> Vec<String> {
        let mut checker = Checker::new("a.md", 2, Subject::FrontMatter, EXPECTED);
        if let Some(raw) = parse::<Raw>(yaml, &mut checker) {
            checker.text(&raw.title, "title");
        }
        checker.problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn values_of_the_wrong_type_name_their_field_and_what_was_found() {
        assert_eq!(
            problems("title: x\ndate: [2017, 10]\n"),
            ["a.md:3:7: error: date: expected a date YYYY-MM-DD, found a list"]
        );
        assert_eq!(
            problems("title: x\ndate:\n  year: 2017\n"),
            ["a.md:4:3: error: date: expected a date YYYY-MM-DD, found a mapping"]
        );
        assert_eq!(
            problems("title: x\ntags: [a, [b]]\n"),
            ["a.md:3:11: error: tags: expected each tag to be a text, found a list"]
        );
        assert_eq!(
            problems("title: x\ntags: 3\n"),
            ["a.md:3:7: error: tags: expected a list of tags, found the number 3"]
        );
        assert_eq!(
            problems("title: x\ndraft: yes please\n"),
            ["a.md:3:8: error: draft: expected true or false, found the text \"yes please\""]
        );
        assert_eq!(
            problems("title:\n  - a\n"),
            ["a.md:3:3: error: title: expected a text, found a list"]
        );
        assert_eq!(
            problems("- a\n"),
            ["a.md:2:1: error: front matter: expected a mapping, found a list"]
        );
    }

    #[test]
    fn a_plain_value_holding_a_colon_gets_a_hint_to_quote_it() {
        assert_eq!(
            problems("title: Leadership: a \"guide\"\n"),
            [
                "a.md:2:18: error: front matter: mapping values are not allowed in this context; a value holding \": \" must be quoted: title: \"Leadership: a \\\"guide\\\"\""
            ]
        );
    }

    #[test]
    fn control_characters_are_refused_written_or_escaped() {
        assert_eq!(
            problems("title: x\n# note \u{7}\n"),
            [
                "a.md:3:8: error: front matter: the control character U+0007 is not allowed; remove it"
            ]
        );
        assert_eq!(
            problems("title: \"a\\0b\"\n"),
            [
                "a.md:2:8: error: title holds the control character U+0000, which no page or feed may carry; remove it"
            ]
        );
        assert_eq!(
            problems("title: \"\\x85\"\n"),
            [
                "a.md:2:8: error: title holds the control character U+0085, which no page or feed may carry; remove it"
            ]
        );
    }

    #[test]
    fn unknown_and_missing_fields_keep_their_own_words() {
        assert_eq!(
            problems("title: x\ntagz: [a]\n"),
            [
                "a.md:3:1: error: front matter: unknown field `tagz`, expected one of title, date, tags, draft"
            ]
        );
        assert_eq!(
            problems("date: 2017-01-01\n"),
            ["a.md:2:1: error: front matter: missing field `title`"]
        );
    }
}
