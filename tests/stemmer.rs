//! The search script's stemmer (`themes/default/static/search/stem.js`) and
//! the index's (rust-stemmers, English Snowball) give the same stem for every
//! word of the real site and of the docs, and for words chosen to reach each rule. Runs the
//! script with Node; without `node` on the path the test says so and passes,
//! and the browser test checks the same on the real site's words.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use rust_stemmers::{Algorithm, Stemmer};

/// Words that reach the rules and exceptions of each step.
const CHOSEN: &[&str] = &[
    "caresses",
    "ponies",
    "ties",
    "cries",
    "caress",
    "cats",
    "gas",
    "gaps",
    "kiwis",
    "bus",
    "feed",
    "agreed",
    "plastered",
    "bled",
    "motoring",
    "sing",
    "conflated",
    "troubled",
    "sized",
    "hopping",
    "tanned",
    "falling",
    "hissing",
    "fizzed",
    "failing",
    "filing",
    "hoping",
    "happy",
    "sky",
    "cry",
    "by",
    "say",
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologou",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "generous",
    "generate",
    "communication",
    "communities",
    "arsenal",
    "skis",
    "skies",
    "dying",
    "lying",
    "tying",
    "idly",
    "gently",
    "ugly",
    "early",
    "only",
    "singly",
    "news",
    "howe",
    "atlas",
    "cosmos",
    "bias",
    "andes",
    "inning",
    "innings",
    "outing",
    "outings",
    "canning",
    "herring",
    "earring",
    "proceed",
    "exceed",
    "succeed",
    "yellow",
    "youth",
    "toying",
    "sayings",
    "enjoyed",
    "eyes",
    "ayyy",
    "biology",
    "geology",
    "apology",
    "fluently",
    "quickly",
    "safely",
    "hopelessly",
    "fully",
    "carefully",
    "supervise",
    "supervising",
    "supervision",
    "supervisors",
    "appraisals",
    "warwickshire",
    "leadership",
    "ceo",
    "nhs",
    "80",
    "x2",
    "ελλάδα",
    "café",
    "naïve",
    "agreement",
    "needed",
    "bleed",
    "eed",
    "seeing",
    "being",
    "doing",
    "ring",
    "ringing",
    "hated",
    "bated",
    "rated",
    "beautifully",
    "universally",
    "embedded",
    "kneed",
    "skiing",
    "exceedingly",
    "succeeded",
];

#[test]
fn the_script_stems_as_the_index_does() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node is missing");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words: BTreeSet<String> = CHOSEN.iter().map(|w| w.to_string()).collect();
    // The real site's words, and the docs' (more English to try).
    let folders = [root.join("content"), root.join("docs")];
    for entry in folders.iter().flat_map(walkdir::WalkDir::new) {
        let entry = entry.expect("entry");
        if entry
            .path()
            .extension()
            .is_some_and(|e| e == "md" || e == "yaml")
        {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.len() > 1 {
                    words.insert(word.to_ascii_lowercase());
                }
            }
        }
    }
    assert!(words.len() > 2500, "{} words", words.len());
    let script = root.join("themes/default/static/search/stem.js");
    let program = format!(
        "require({:?}); const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean); \
         process.stdout.write(lines.map(w => globalThis.tillerStem(w)).join('\\n') + '\\n');",
        script.display().to_string()
    );
    let mut node = Command::new("node")
        .args(["-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node starts");
    let input: String = words.iter().map(|w| format!("{w}\n")).collect();
    node.stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = node.wait_with_output().expect("node runs");
    assert!(output.status.success());
    let stems = String::from_utf8(output.stdout).expect("UTF-8");
    let stemmer = Stemmer::create(Algorithm::English);
    let wrong: Vec<String> = words
        .iter()
        .zip(stems.lines())
        .filter(|(word, stem)| stemmer.stem(word) != *stem)
        .map(|(word, stem)| format!("{word}: script {stem}, index {}", stemmer.stem(word)))
        .collect();
    assert_eq!(stems.lines().count(), words.len());
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
