//! Highlight: takes fenced code and its language and gives HTML with CSS classes;
//! also gives the stylesheet for those classes. The only module that uses syntect.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use pulldown_cmark_escape::escape_html;
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Colour scheme used for code in light mode unless `site.toml` says otherwise.
pub const DEFAULT_LIGHT: &str = "InspiredGitHub";
/// Colour scheme used for code in dark mode unless `site.toml` says otherwise.
pub const DEFAULT_DARK: &str = "base16-ocean.dark";

/// Prefixing every class keeps syntect's scope names (`string`, `comment`…) from
/// colliding with the theme's own class names.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// WCAG AA contrast for normal text; code is read at body size.
const MINIMUM_CONTRAST: f64 = 4.5;

/// Highlights code. The syntax definitions take tens of milliseconds to load,
/// so they are loaded once, on a thread of their own started with the
/// highlighter, while the content is still being read; every parse of a run
/// (and, in `serve`, every rebuild) shares them.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    loading: Mutex<Option<JoinHandle<SyntaxSet>>>,
    memory: Memory,
}

/// Whether highlighted blocks are remembered, by language and code.
enum Memory {
    /// A build highlights each block once anyway.
    Nothing,
    /// The dev server re-parses a file on every save; its code blocks rarely
    /// change with it, and highlighting is the dearest part of parsing.
    Blocks(Mutex<HashMap<u64, Arc<str>>>),
}

/// More remembered blocks than any real site has: past it, start afresh.
const MAX_REMEMBERED: usize = 50_000;

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: OnceLock::new(),
            loading: Mutex::new(Some(std::thread::spawn(two_face::syntax::extra_newlines))),
            memory: Memory::Nothing,
        }
    }

    /// A highlighter that remembers every block it highlighted, for the dev
    /// server, whose rebuilds parse the same code again and again.
    pub fn remembering() -> Self {
        Highlighter {
            memory: Memory::Blocks(Mutex::new(HashMap::new())),
            ..Self::new()
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(|| {
            let loading = self
                .loading
                .lock()
                .ok()
                .and_then(|mut handle| handle.take());
            // If the loading thread failed, load here instead.
            loading
                .and_then(|handle| handle.join().ok())
                .unwrap_or_else(two_face::syntax::extra_newlines)
        })
    }

    /// Whether `language` (a name such as `rust` or an extension such as `rs`) is known.
    pub fn knows(&self, language: &str) -> bool {
        self.syntaxes().find_syntax_by_token(language).is_some()
    }

    /// The HTML of one code block. Unknown or absent languages give plain,
    /// escaped text in the same frame, so the page looks the same either way.
    pub fn highlight(&self, code: &str, language: Option<&str>) -> String {
        let Memory::Blocks(blocks) = &self.memory else {
            return self.highlight_now(code, language);
        };
        let key = crate::cache::fingerprint(&(code, language));
        if let Some(html) = blocks.lock().ok().and_then(|b| b.get(&key).cloned()) {
            return html.to_string();
        }
        let html = self.highlight_now(code, language);
        if let Ok(mut blocks) = blocks.lock() {
            if blocks.len() >= MAX_REMEMBERED {
                blocks.clear();
            }
            blocks.insert(key, Arc::from(html.as_str()));
        }
        html
    }

    fn highlight_now(&self, code: &str, language: Option<&str>) -> String {
        let mut html = String::with_capacity(code.len() * 2 + 64);
        // Focusable, because a long line makes the block scroll sideways and
        // keyboard users must be able to scroll it too.
        html.push_str("<pre class=\"hl-code\" tabindex=\"0\"");
        if let Some(language) = language {
            html.push_str(" data-language=\"");
            escape_html(&mut html, language).ok();
            html.push('"');
        }
        html.push_str("><code>");
        match language.and_then(|l| self.classed_lines(code, l)) {
            Some(classed) => html.push_str(&classed),
            None => {
                escape_html(&mut html, code).ok();
            }
        }
        html.push_str("</code></pre>\n");
        html
    }

    fn classed_lines(&self, code: &str, language: &str) -> Option<String> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes.find_syntax_by_token(language)?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// The names of the colour schemes that can be used in `site.toml`.
pub fn color_scheme_names() -> Vec<String> {
    ThemeSet::load_defaults().themes.into_keys().collect()
}

pub fn has_color_scheme(name: &str) -> bool {
    ThemeSet::load_defaults().themes.contains_key(name)
}

/// The stylesheet for highlighted code: the light scheme unless the reader's
/// system asks for dark. Foreground colours are darkened or lightened where
/// needed so that every token meets WCAG AA contrast on the code background.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let mut schemes = ThemeSet::load_defaults().themes;
    let mut css =
        String::from("/* Code highlighting, generated by Tiller from syntect colour schemes. */\n");
    for (name, media) in [
        (light, "not (prefers-color-scheme: dark)"),
        (dark, "(prefers-color-scheme: dark)"),
    ] {
        let mut scheme = schemes
            .remove(name)
            .ok_or_else(|| format!("unknown highlighting colour scheme {name:?}"))?;
        ensure_contrast(&mut scheme);
        let rules = css_for_theme_with_class_style(&scheme, CLASS_STYLE)
            .map_err(|e| format!("cannot make CSS for {name:?}: {e}"))?;
        css.push_str(&format!("@media {media} {{\n{rules}}}\n"));
    }
    Ok(css)
}

fn ensure_contrast(scheme: &mut Theme) {
    let background = scheme.settings.background.unwrap_or(Color::WHITE);
    if let Some(foreground) = scheme.settings.foreground.as_mut() {
        *foreground = readable(*foreground, background);
    }
    for item in &mut scheme.scopes {
        let background = item.style.background.unwrap_or(background);
        if let Some(foreground) = item.style.foreground.as_mut() {
            *foreground = readable(*foreground, background);
        }
    }
}

/// The colour nearest to `foreground` (mixed towards black or white, whichever
/// the background is further from) that reaches [`MINIMUM_CONTRAST`].
fn readable(foreground: Color, background: Color) -> Color {
    if contrast(foreground, background) >= MINIMUM_CONTRAST {
        return Color {
            a: 0xff,
            ..foreground
        };
    }
    let target = if luminance(background) > 0.18 {
        Color::BLACK
    } else {
        Color::WHITE
    };
    (1..=20)
        .map(|step| mix(foreground, target, f64::from(step) / 20.0))
        .find(|c| contrast(*c, background) >= MINIMUM_CONTRAST)
        .unwrap_or(target)
}

fn mix(from: Color, to: Color, amount: f64) -> Color {
    let channel =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
    Color {
        r: channel(from.r, to.r),
        g: channel(from.g, to.g),
        b: channel(from.b, to.b),
        a: 0xff,
    }
}

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b)
}

/// WCAG 2 contrast ratio, from 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 0xff }
    }

    #[test]
    fn contrast_matches_the_wcag_examples() {
        assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(rgb(0x77, 0x77, 0x77), Color::WHITE) - 4.48).abs() < 0.01);
    }

    #[test]
    fn pale_colours_are_darkened_on_light_backgrounds_until_readable() {
        let pale = rgb(0x96, 0x98, 0x96);
        let fixed = readable(pale, Color::WHITE);
        assert!(contrast(fixed, Color::WHITE) >= MINIMUM_CONTRAST);
        assert!(fixed.r < pale.r);
        let dark_bg = rgb(0x2b, 0x30, 0x3b);
        let dim = rgb(0x65, 0x73, 0x7e);
        assert!(contrast(readable(dim, dark_bg), dark_bg) >= MINIMUM_CONTRAST);
    }

    #[test]
    fn readable_colours_are_left_alone() {
        let ink = rgb(0x11, 0x22, 0x33);
        assert_eq!(readable(ink, Color::WHITE), ink);
    }

    #[test]
    fn known_languages_get_classes_and_unknown_ones_plain_text() {
        let highlighter = Highlighter::new();
        let html = highlighter.highlight("let x = \"<b>\";\n", Some("rust"));
        assert!(
            html.starts_with("<pre class=\"hl-code\" tabindex=\"0\" data-language=\"rust\"><code>")
        );
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"));
        let plain = highlighter.highlight("a < b\n", Some("no-such-language"));
        assert_eq!(
            plain,
            "<pre class=\"hl-code\" tabindex=\"0\" data-language=\"no-such-language\"><code>a &lt; b\n</code></pre>\n"
        );
    }

    #[test]
    fn remembered_blocks_come_out_the_same() {
        let fresh = Highlighter::new();
        let remembering = Highlighter::remembering();
        let code = "fn main() {}\n";
        let first = remembering.highlight(code, Some("rust"));
        assert_eq!(first, fresh.highlight(code, Some("rust")));
        assert_eq!(remembering.highlight(code, Some("rust")), first);
        assert_ne!(remembering.highlight(code, Some("text")), first);
    }

    #[test]
    fn the_stylesheet_has_light_and_dark_rules() {
        let css = stylesheet(DEFAULT_LIGHT, DEFAULT_DARK).expect("default schemes exist");
        assert!(css.contains("@media not (prefers-color-scheme: dark)"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(".hl-code"));
        assert!(stylesheet("nope", DEFAULT_DARK).is_err());
    }

    #[test]
    fn every_colour_scheme_meets_contrast_once_adjusted() {
        for (name, mut scheme) in ThemeSet::load_defaults().themes {
            ensure_contrast(&mut scheme);
            let background = scheme.settings.background.unwrap_or(Color::WHITE);
            for item in &scheme.scopes {
                let behind = item.style.background.unwrap_or(background);
                if let Some(ink) = item.style.foreground {
                    assert!(
                        contrast(ink, behind) >= MINIMUM_CONTRAST,
                        "{name}: {:?}",
                        item.scope
                    );
                }
            }
        }
    }
}
