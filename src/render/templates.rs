//! Templates: takes the template files of the theme named in `site.toml` and gives
//! them compiled, ready to render; template problems come back at
//! `themes/<name>/templates/<file>:line:col`.

use std::sync::Arc;

use tera::{Context, ErrorKind, Tera};

use crate::cache::{Cache, Memo, fingerprint};
use crate::control;
use crate::diagnostics::{Code, Diagnostic, LineIndex, Position};
use crate::load::TemplateFile;

/// The templates every theme must have, one per kind of output file.
pub(crate) const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "article.html",
    "page.html",
    "articles.html",
    "themes.html",
    "theme.html",
    "tags.html",
    "tag.html",
    "authors.html",
    "author.html",
    "entities.html",
    "entity.html",
    "search.html",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
];

/// Templates in this folder are rendered once per build, with only `site` in
/// scope, and every page gets their HTML as `site.shared.<file stem>`: the place
/// for site-wide navigation, which would otherwise be rebuilt for every page.
pub(crate) const SHARED_FOLDER: &str = "shared/";

/// Room a page's bytes start with: an article page of this site's theme is
/// 20–40 KiB.
const PAGE_CAPACITY: usize = 32 * 1024;

/// The templates compiled last, with the key of what they were compiled from.
#[derive(Default)]
pub(crate) struct Memory(Memo<Result<Arc<Templates>, Vec<Diagnostic>>>);

/// The look's templates compiled, asking the cache first: compiled again
/// only when their text changed.
pub(crate) fn compiled(
    cache: &mut Cache,
    name: &str,
    templates: &[TemplateFile],
) -> Result<Arc<Templates>, Vec<Diagnostic>> {
    let key = fingerprint(&(name, templates));
    cache
        .memory::<Memory>()
        .0
        .get_or(key, || Templates::compile(name, templates).map(Arc::new))
}

/// A compiled theme: its templates, parsed once per build.
#[derive(Debug)]
pub struct Templates {
    name: String,
    tera: Tera,
    /// Identifies the templates' text: equal texts render equal pages.
    fingerprint: u64,
}

impl Templates {
    pub(crate) fn compile(
        name: &str,
        templates: &[TemplateFile],
    ) -> Result<Templates, Vec<Diagnostic>> {
        let theme = Templates {
            name: name.to_string(),
            tera: Tera::new(),
            fingerprint: fingerprint(templates),
        };
        let mut problems = Vec::new();
        // Each template alone first, so that every syntax error of every file is
        // reported in one run; together, Tera would stop at the first.
        for template in templates {
            // What a template holds goes into every page it makes.
            if let Some((offset, c)) = control::find(&template.text).next() {
                let lines = LineIndex::new(&template.text);
                problems.push(Diagnostic::error(
                    Code::TemplateControlCharacter,
                    &template.path,
                    lines.position(&template.text, offset),
                    format!(
                        "the control character {} is not allowed in a template; remove it",
                        control::name(c)
                    ),
                ));
            }
            let mut alone = Tera::new();
            if let Err(error) = alone.add_raw_template(&template.name, &template.text)
                && matches!(error.kind(), ErrorKind::SyntaxError(_))
            {
                problems.push(theme.diagnostic(&template.name, &error));
            }
        }
        for required in REQUIRED_TEMPLATES {
            if !templates.iter().any(|t| t.name == *required) {
                problems.push(Diagnostic::error(
                    Code::TemplateMissing,
                    &format!("themes/{name}/templates/{required}"),
                    Position::START,
                    format!("the theme has no {required} template, which Tiller needs"),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut theme = theme;
        let all = templates.iter().map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(error) = theme.tera.add_raw_templates(all) {
            let first = templates.first().map_or("", |t| t.name.as_str());
            return Err(vec![theme.diagnostic(first, &error)]);
        }
        Ok(theme)
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// The names of the templates rendered once per build, see [`SHARED_FOLDER`].
    pub(crate) fn shared_templates(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .tera
            .get_template_names()
            .filter(|n| n.starts_with(SHARED_FOLDER))
            .collect();
        names.sort_unstable();
        names
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|error| self.diagnostic(template, &error))
    }

    /// Renders a page as the bytes to write. Tera writes only strings, so
    /// the bytes are not checked again as UTF-8 (as `render` does, over every
    /// page); they start with room for a typical page, not the template's
    /// own size, so a page with a body is not copied as it grows.
    /// `embedded` is how long the Markdown bodies the page shows may make it
    /// (see [`crate::render::views::PageView::embedded_bytes`]), so that the page's
    /// buffer is made once, not doubled and copied as a long article fills it.
    pub(crate) fn render_page(
        &self,
        template: &str,
        context: &Context,
        embedded: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut bytes = Vec::with_capacity(PAGE_CAPACITY + embedded);
        self.tera
            .render_to(template, context, &mut bytes)
            .map(|()| bytes)
            .map_err(|error| self.diagnostic(template, &error))
    }

    fn path_of(&self, template: &str) -> String {
        format!("themes/{}/templates/{template}", self.name)
    }

    /// Places a Tera error in the template it comes from, when Tera says where.
    fn diagnostic(&self, template: &str, error: &tera::Error) -> Diagnostic {
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let code = if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    Code::TemplateSyntax
                } else {
                    Code::TemplateRender
                };
                let file = if report.filename().is_empty() {
                    template
                } else {
                    report.filename()
                };
                let span = report.span();
                Diagnostic::error(
                    code,
                    &self.path_of(file),
                    Position::new(span.start_line, span.start_col + 1),
                    report.message(),
                )
            }
            _ => Diagnostic::error(
                Code::TemplateInvalid,
                &self.path_of(template),
                Position::START,
                error.to_string(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, text: &str) -> TemplateFile {
        TemplateFile {
            name: name.to_string(),
            path: format!("themes/t/templates/{name}"),
            text: text.to_string(),
        }
    }

    fn complete_set() -> Vec<TemplateFile> {
        REQUIRED_TEMPLATES
            .iter()
            .map(|n| template(n, "x"))
            .collect()
    }

    #[test]
    fn every_syntax_error_and_missing_template_is_reported() {
        let mut templates = complete_set();
        templates.retain(|t| t.name != "tag.html");
        templates[0].text = "ok\n{{ broken ".to_string();
        templates[1].text = "{% if %}".to_string();
        let problems = Templates::compile("t", &templates).expect_err("should fail");
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(
            shown[0].starts_with("themes/t/templates/index.html:2:"),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with("themes/t/templates/article.html:1:"),
            "{shown:?}"
        );
        assert!(
            shown[2]
                .starts_with("themes/t/templates/tag.html:1:1: error: the theme has no tag.html")
        );
    }

    #[test]
    fn control_characters_in_a_template_are_errors_at_their_place() {
        let mut templates = complete_set();
        templates[2].text = "<p>\n  é\u{1b}[0m</p>".to_string();
        let problems = Templates::compile("t", &templates).expect_err("refused");
        assert_eq!(
            problems[0].to_string(),
            format!(
                "themes/t/templates/{}:2:4: error: the control character U+001B is not allowed in a template; remove it",
                templates[2].name
            )
        );
    }

    #[test]
    fn rendering_errors_point_into_the_template() {
        let mut templates = complete_set();
        templates[0].text = "line one\n{{ missing.value }}".to_string();
        let theme = Templates::compile("t", &templates).expect("compiles");
        let problem = theme.render("index.html", &Context::new()).unwrap_err();
        assert_eq!(problem.path, "themes/t/templates/index.html");
        assert_eq!(problem.line, 2);
    }

    #[test]
    fn html_is_escaped_unless_the_template_says_safe() {
        let mut templates = complete_set();
        templates[0].text = "{{ a }}|{{ a | safe }}".to_string();
        let theme = Templates::compile("t", &templates).expect("compiles");
        let mut context = Context::new();
        context.insert("a", "<b>");
        assert_eq!(
            theme.render("index.html", &context).expect("renders"),
            "&lt;b&gt;|<b>"
        );
    }
}
