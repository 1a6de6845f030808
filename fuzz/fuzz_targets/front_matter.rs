//! Fuzz target `front_matter`: takes any bytes as a Markdown file and gives
//! them to `front_matter::split`, then to `article` (against a fixture's
//! site.toml) and `page`, checking that the split is a true cut of the text
//! and that every problem points into the file on one line.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tiller::config::Config;
use tiller::parse::front_matter::{self, MAX_THEMES};
use tiller_fuzz::{check_diagnostics, fixture_config};

/// Two declared themes, as most sites have several.
static CONFIG: LazyLock<Config> =
    LazyLock::new(|| fixture_config(include_str!("../../tests/fixtures/default-theme/site.toml")));

const PATH: &str = "content/articles/fuzzed.md";

fuzz_target!(|data: &[u8]| {
    // Tiller reads files as UTF-8 and reports any other as unreadable.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(split) = front_matter::split(text) else {
        return;
    };
    // The body is the text's tail, and the YAML lies before it.
    assert_eq!(&text[split.body_offset..], split.body);
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    assert!(yaml_start + split.yaml.len() <= split.body_offset);
    assert_eq!(split.yaml_line, 2);

    match front_matter::article(PATH, &split, &CONFIG) {
        Ok(meta) => {
            assert!(!meta.title.is_empty() && meta.title == meta.title.trim());
            assert!((1..=MAX_THEMES).contains(&meta.themes.len()));
            for (i, theme) in meta.themes.iter().enumerate() {
                assert!(*theme < CONFIG.themes.terms.len());
                assert!(!meta.themes[..i].contains(theme), "a theme twice");
            }
            for name in meta.tags.iter().chain(&meta.authors) {
                assert!(!name.slug.is_empty(), "{name:?}");
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without saying why");
            check_diagnostics(text, PATH, &problems);
        }
    }
    match front_matter::page(PATH, &split) {
        Ok(meta) => assert!(!meta.title.is_empty() && meta.title == meta.title.trim()),
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without saying why");
            check_diagnostics(text, PATH, &problems);
        }
    }
});
