//! Fuzz target `serve_path`: takes any bytes as the path of an HTTP request
//! to the dev server and gives them to `serve::file_key`, checking that a
//! key it accepts names a file inside the site as a static host would serve
//! it: no empty, `.` or `..` segment, no leading `/`, no NUL or backslash,
//! and `index.html` for a folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiller::serve::file_key;

fuzz_target!(|data: &[u8]| {
    // The server is handed the path as text, so every input is made one:
    // invalid UTF-8 becomes U+FFFD rather than being skipped.
    let raw_path = String::from_utf8_lossy(data);
    let Ok(key) = file_key(&raw_path) else {
        return;
    };
    assert!(raw_path.starts_with('/'), "accepted {raw_path:?}");
    assert!(!key.starts_with('/'), "{raw_path:?} gave {key:?}");
    assert!(!key.contains(['\0', '\\']), "{raw_path:?} gave {key:?}");
    for segment in key.split('/') {
        assert!(
            !matches!(segment, "" | "." | ".."),
            "{raw_path:?} gave {key:?}, with the segment {segment:?}"
        );
    }
    // What a static host serves: the path decoded once, with `index.html`
    // for a folder.
    let decoded = tiller_fuzz::percent_decoded(&raw_path);
    let mut expected = decoded[1..].to_string();
    if decoded.ends_with('/') {
        expected.push_str("index.html");
    }
    assert_eq!(key, expected, "for {raw_path:?}");
});
