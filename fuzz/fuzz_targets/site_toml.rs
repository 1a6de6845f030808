//! Fuzz target `site_toml`: takes any bytes as a `site.toml` and gives them
//! to `config::parse`, checking that a file it accepts is valid by its own
//! rules and that every problem points into the file on one line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiller::config::{self, Overrides};
use tiller_fuzz::check_diagnostics;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match config::parse(text, &Overrides::default()) {
        Ok(config) => {
            assert!(!config.title.trim().is_empty());
            let base = &config.base_url;
            assert!(base.path.starts_with('/') && base.path.ends_with('/'));
            assert!(base.absolute.ends_with(&base.path), "{base:?}");
            assert!(!config.themes.terms.is_empty());
            for count in [
                config.latest_articles,
                config.feed_entries,
                config.articles_per_page,
                config.mentions_per_page,
            ] {
                assert!(count >= 1);
            }
            for term in &config.themes.terms {
                assert!(tiller::slug::is_slug(&term.slug), "{term:?}");
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without saying why");
            check_diagnostics(text, config::FILE_NAME, &problems);
        }
    }
});
