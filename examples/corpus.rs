//! Benchmark corpus: takes a number of articles and a seed and gives a Tiller
//! site of that size (site.toml, content/ with the real site's entities file,
//! the default theme) whose prose is sentences of the real corpus, so that
//! benchmarks build realistic text with realistic mentions.
//!
//! ```sh
//! cargo run --release --example corpus -- --articles 10000 --seed 1 --out /tmp/corpus
//! ```
//!
//! The same seed always gives the same files. Each article has 1–3 leadership
//! themes, 2–5 tags, 3–5 headings, 3–6 links to headings of other articles, a
//! list, usually a blockquote, and on every third article a code block.
//!
//! Real sentences repeated make a small vocabulary: 10,000 articles use about
//! 1,300 distinct words, where real writing of that size uses tens of
//! thousands, and the search index grows with the vocabulary.
//! `--invented-words N` makes N words up and puts one in place of about one
//! in eight lowercase words of four letters or more in the prose; without
//! it, the files are as they always were for the seed.

use std::fs;
use std::path::{Path, PathBuf};

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const THEMES: &[(&str, &str)] = &[
    ("workforce-and-culture", "Workforce and culture"),
    ("supporting-practice", "Supporting frontline practice"),
    ("integration-and-partnership", "Integration and partnership"),
    ("co-production", "Co-production with communities"),
    ("innovation-and-risk", "Innovation and risk"),
    ("resources-and-austerity", "Resources and austerity"),
    (
        "national-and-local-leadership",
        "National and local leadership",
    ),
    ("the-directors-role", "The director's role"),
];

const TAGS: &[&str] = &[
    "social workers",
    "supervision",
    "caseloads",
    "recruitment",
    "retention",
    "appraisal",
    "wellbeing",
    "ADASS",
    "BASW",
    "CQC",
    "Care Act",
    "Mental Capacity Act",
    "NHS",
    "health and social care integration",
    "hospital discharge",
    "reablement",
    "home care",
    "care homes",
    "commissioning",
    "personal budgets",
    "personalisation",
    "prevention",
    "eligibility criteria",
    "funding cuts",
    "austerity",
    "council budgets",
    "local government",
    "directors of adult social services",
    "principal social workers",
    "chief social worker",
    "regulation",
    "inspection",
    "risk",
    "innovation",
    "technology",
    "data",
    "performance",
    "co-production",
    "communities",
    "carers",
    "voluntary sector",
    "providers",
    "workforce planning",
    "occupational therapy",
    "apprenticeships",
    "international recruitment",
    "hybrid working",
    "learning disabilities",
    "mental health",
    "safeguarding",
    "strengths-based practice",
    "80/20 campaign",
    "administrative support",
    "mentoring",
    "coaching",
    "succession planning",
    "Covid-19",
    "national leadership",
    "local leadership",
    "tri-borough",
    "Department of Health and Social Care",
];

const HEADINGS: &[&str] = &[
    "Background",
    "What the evidence says",
    "Leading through change",
    "Supervision and support",
    "Working with communities",
    "Money and resources",
    "What happens next",
    "Questions for directors",
    "Lessons from the front line",
    "Risk and innovation",
    "The national picture",
    "Local leadership",
];

const KINDS: &[&str] = &["interview", "briefing", "guidance", "blog", "report"];

const FIRST_NAMES: &[&str] = &[
    "Alex", "Bina", "Cath", "Dev", "Eilidh", "Femi", "Grace", "Hamid", "Iona", "Jas", "Kemi",
    "Liam", "Mared", "Niamh", "Owen", "Priya", "Rhys", "Sana", "Tom", "Uzma",
];
const LAST_NAMES: &[&str] = &[
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Farah", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lloyd", "Morgan", "Nowak", "Owusu", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
];

const CODE: &[(&str, &str)] = &[
    (
        "yaml",
        "title: \"A new article\"\nkind: briefing\nthemes: [supporting-practice]\ntags: [supervision, caseloads]\n",
    ),
    (
        "sh",
        "tiller new \"Title of the article\"\ntiller check\ntiller build --output public\n",
    ),
    (
        "json",
        "{\n  \"service\": \"reablement\",\n  \"referrals\": 128,\n  \"waiting\": [12, 7, 3]\n}\n",
    ),
    (
        "rust",
        "fn caseload(workers: u32, cases: u32) -> f64 {\n    f64::from(cases) / f64::from(workers.max(1))\n}\n",
    ),
    (
        "python",
        "def vacancy_rate(posts, filled):\n    return (posts - filled) / posts if posts else 0.0\n",
    ),
];

struct Args {
    articles: usize,
    seed: u64,
    invented_words: usize,
    out: PathBuf,
}

fn args() -> Args {
    let mut args = Args {
        articles: 1000,
        seed: 1,
        invented_words: 0,
        out: PathBuf::from("corpus"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--articles" => args.articles = value.parse().expect("--articles takes a number"),
            "--seed" => args.seed = value.parse().expect("--seed takes a number"),
            "--invented-words" => {
                args.invented_words = value.parse().expect("--invented-words takes a number")
            }
            "--out" => args.out = PathBuf::from(value),
            other => panic!(
                "unknown option {other}; use --articles N --seed S [--invented-words N] --out DIR"
            ),
        }
    }
    args
}

/// Sentences of the real articles, with Markdown markup taken out.
fn real_sentences(repo: &Path) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut files: Vec<PathBuf> = fs::read_dir(repo.join("content/articles"))
        .expect("content/articles")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(&file).expect("read article");
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        for line in body.lines() {
            let line = line
                .trim_start_matches(['#', '>', '-', ':', ' ', '*', '_'])
                .trim_end_matches(['*', '_']);
            if line.is_empty() || line.contains('[') || line.contains('`') {
                continue;
            }
            for sentence in line.split_inclusive(". ") {
                let sentence = sentence.trim();
                if sentence.split_whitespace().count() >= 5 {
                    sentences.push(sentence.to_string());
                }
            }
        }
    }
    sentences
}

/// Made-up words put in place of some real ones. It draws from its own
/// generator, so that with no words the main generator, and so every file,
/// is as it would be without it.
struct Inventor {
    vocabulary: Vec<String>,
    rng: ChaCha8Rng,
}

impl Inventor {
    fn new(seed: u64, count: usize) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let vocabulary = (0..count)
            .map(|_| {
                let length = rng.random_range(4..=10);
                (0..length)
                    .map(|_| char::from(*letters.choose(&mut rng).expect("letters")))
                    .collect()
            })
            .collect();
        Inventor { vocabulary, rng }
    }

    /// `text` with about one in eight of its lowercase words of four letters
    /// or more replaced by a made-up word.
    fn mix_into(&mut self, text: &str) -> String {
        if self.vocabulary.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_lowercase()) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..end];
            // A word must stand alone: not the tail of a capitalised word.
            let alone = !out.ends_with(|c: char| c.is_alphanumeric());
            if alone
                && word.len() >= 4
                && word.bytes().all(|b| b.is_ascii_lowercase())
                && self.rng.random_ratio(1, 8)
            {
                out.push_str(self.vocabulary.choose(&mut self.rng).expect("vocabulary"));
            } else {
                out.push_str(word);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}

fn slug(text: &str) -> String {
    tiller::slug::slugify(text)
}

/// What other articles need to know about one article to link to it.
struct Plan {
    file: String,
    headings: Vec<&'static str>,
}

fn main() {
    let args = args();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sentences = real_sentences(&repo);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut words = Inventor::new(args.seed, args.invented_words);

    let plans: Vec<Plan> = (0..args.articles)
        .map(|i| {
            let mut headings = HEADINGS.to_vec();
            headings.shuffle(&mut rng);
            headings.truncate(rng.random_range(3..=5));
            let words: Vec<&str> = sentences
                .choose(&mut rng)
                .expect("sentences")
                .split_whitespace()
                .take(6)
                .collect();
            Plan {
                file: format!("a{i:05}-{}.md", slug(&words.join(" "))),
                headings,
            }
        })
        .collect();

    let content = args.out.join("content/articles");
    fs::create_dir_all(&content).expect("create content/articles");
    for (i, plan) in plans.iter().enumerate() {
        let text = article(i, plan, &plans, &sentences, &mut rng, &mut words);
        fs::write(content.join(&plan.file), text).expect("write article");
    }
    fs::write(args.out.join("site.toml"), site_toml()).expect("write site.toml");
    // The real entities, whose names the real sentences mention.
    fs::copy(
        repo.join("content/entities.yaml"),
        args.out.join("content/entities.yaml"),
    )
    .expect("copy content/entities.yaml");
    copy_theme(
        &repo.join("themes/default"),
        &args.out.join("themes/default"),
    );
    println!("wrote {} articles to {}", args.articles, args.out.display());
}

fn article(
    i: usize,
    plan: &Plan,
    plans: &[Plan],
    sentences: &[String],
    rng: &mut ChaCha8Rng,
    words: &mut Inventor,
) -> String {
    let mut say = |rng: &mut ChaCha8Rng, n: usize| -> String {
        let said = (0..n)
            .map(|_| sentences.choose(rng).expect("sentences").as_str())
            .collect::<Vec<_>>()
            .join(" ");
        words.mix_into(&said)
    };
    let title_words: Vec<&str> = plan.file[7..plan.file.len() - 3].split('-').collect();
    let mut title = title_words.join(" ");
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let mut themes: Vec<&str> = THEMES.iter().map(|t| t.0).collect();
    themes.shuffle(rng);
    themes.truncate(rng.random_range(1..=3));
    let tag_count = rng.random_range(2..=5);
    let tags: Vec<&str> = TAGS.sample(rng, tag_count).copied().collect();

    let mut front = format!(
        "---\ntitle: \"{title} ({i})\"\nkind: {}\n",
        KINDS.choose(rng).expect("kinds")
    );
    if rng.random_ratio(9, 10) {
        front.push_str(&format!(
            "date: {}-{:02}-{:02}\n",
            rng.random_range(2005..=2024),
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        ));
    }
    let authors = rng.random_range(0..=2);
    if authors > 0 {
        let mut names: Vec<String> = (0..authors)
            .map(|_| {
                format!(
                    "\"{} {}\"",
                    FIRST_NAMES.choose(rng).expect("names"),
                    LAST_NAMES.choose(rng).expect("names")
                )
            })
            .collect();
        // A real byline names a person once.
        names.dedup();
        front.push_str(&format!("authors: [{}]\n", names.join(", ")));
    }
    front.push_str(&format!("themes: [{}]\n", themes.join(", ")));
    front.push_str(&format!(
        "tags: [{}]\n",
        tags.iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    front.push_str("---\n\n");

    let mut body = front;
    body.push_str(&say(rng, 3));
    body.push_str("\n\n");
    let mut remaining_links = rng.random_range(3..=6);
    for (h, heading) in plan.headings.iter().enumerate() {
        body.push_str(&format!("## {heading}\n\n"));
        for _ in 0..rng.random_range(1..=3) {
            let length = rng.random_range(2..=4);
            let mut paragraph = say(rng, length);
            // Spread the links over the sections; the last section takes the rest.
            let here = if h + 1 == plan.headings.len() {
                remaining_links
            } else {
                remaining_links.min(rng.random_range(0..=2))
            };
            for _ in 0..here {
                let target = &plans[rng.random_range(0..plans.len())];
                let anchor = slug(target.headings.choose(rng).expect("headings"));
                paragraph.push_str(&format!(
                    " See [{}]({}#{anchor}).",
                    target.headings[0], target.file
                ));
            }
            remaining_links -= here;
            body.push_str(&paragraph);
            body.push_str("\n\n");
        }
        if h == 0 {
            for _ in 0..rng.random_range(3..=5) {
                body.push_str(&format!("- {}\n", say(rng, 1)));
            }
            body.push('\n');
        }
        if h == 1 && rng.random_ratio(3, 4) {
            body.push_str(&format!("> {}\n\n", say(rng, 2)));
        }
    }
    if i.is_multiple_of(3) {
        let (language, code) = CODE.choose(rng).expect("code");
        body.push_str(&format!("```{language}\n{code}```\n\n"));
    }
    body
}

fn site_toml() -> String {
    let mut text = String::from(
        "title = \"Benchmark corpus\"\ndescription = \"Generated articles for benchmarking Tiller.\"\nbase_url = \"https://example.org/\"\nlanguage = \"en-GB\"\ntheme = \"default\"\n\n[taxonomies.themes]\ntitle = \"Leadership themes\"\n",
    );
    for (slug, title) in THEMES {
        text.push_str(&format!(
            "\n[taxonomies.themes.terms.{slug}]\ntitle = \"{title}\"\ndescription = \"Articles on {}.\"\n",
            title.to_lowercase()
        ));
    }
    text.push_str("\n[taxonomies.tags]\ntitle = \"Tags\"\n");
    text
}

fn copy_theme(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk theme");
        let target = to.join(entry.path().strip_prefix(from).expect("inside theme"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy theme file");
        }
    }
}
