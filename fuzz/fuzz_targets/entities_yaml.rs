//! Fuzz target `entities_yaml`: takes any bytes as `content/entities.yaml`
//! and gives them to `entities::parse`, checking that the entities it keeps
//! are sound (a slug, a distinct page each) and that every problem points
//! into the file on one line. The matcher it builds is run over the text too.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use tiller::parse::entities;
use tiller_fuzz::check_diagnostics;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (parsed, problems) = entities::parse(text);
    check_diagnostics(text, tiller::load::ENTITIES_FILE, &problems);
    let mut pages = HashSet::new();
    for entity in &parsed.list {
        assert!(
            !entity.name.is_empty() && !entity.slug.is_empty(),
            "{entity:?}"
        );
        assert!(!entity.description.is_empty(), "{entity:?}");
        assert!(
            pages.insert(&entity.site_path),
            "two entities at {}",
            entity.site_path
        );
    }
    for pattern in &parsed.patterns {
        assert!(pattern.entity < parsed.list.len());
        assert!(!pattern.text.is_empty());
    }
    // Its own text is as good a haystack as any: found mentions are in order,
    // apart, on character boundaries, and of a known pattern.
    let mut end = 0;
    for found in parsed.find(text) {
        assert!(found.start >= end && found.start < found.end, "{found:?}");
        assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end));
        assert!(found.pattern < parsed.patterns.len());
        end = found.end;
    }
});
