//! Hostile Markdown: takes each pathological input of
//! `examples/hostile_corpus.rs` at a moderate size (10,000 levels for the
//! nested ones) and gives a build of a site holding it, through the library,
//! checking that the build ends as it should (the site is made, or the
//! problems are diagnostics) and that the article's text survives: never a
//! panic, an abort or a stack overflow.
//!
//! Each build runs in a rayon pool whose threads have 2 MiB stacks, the
//! default for spawned threads (rayon's workers included), which is where a
//! user's build parses Markdown: anything that recursed once per level of
//! nesting would overflow it. The threads are named after the input, so an
//! overflow's message ("thread 'hostile-nested-blockquotes-0' has overflowed
//! its stack") says which input did it. How long the builds take is measured
//! by `benches/hostile.sh`, never here.

use tiller::{Built, Failure, Settings};

// The inputs, shared with the benchmark's generator; its `main` is unused here.
#[allow(dead_code)]
#[path = "../examples/hostile_corpus.rs"]
mod corpus;

/// A spawned thread's default stack (std's and rayon's).
const STACK: usize = 2 << 20;

/// Where the article's page is in the output.
const PAGE: &str = "articles/hostile/index.html";

/// Builds the site holding input `name` with `n` repetitions, in a pool of
/// small-stacked threads named after the input.
fn build(name: &str, n: usize) -> Result<Built, Failure> {
    let case = corpus::case(name).unwrap_or_else(|| panic!("no input called {name}"));
    let site = tempfile::tempdir().expect("temp dir");
    corpus::write_site(site.path(), case, n).expect("write the site");
    let settings = Settings {
        root: site.path().to_path_buf(),
        ..Settings::default()
    };
    let label = name.to_string();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(STACK)
        .thread_name(move |i| format!("hostile-{label}-{i}"))
        .build()
        .expect("thread pool");
    pool.install(|| tiller::compile(&settings))
}

/// The article's page, from a build that must succeed.
fn page(name: &str, n: usize) -> String {
    match build(name, n) {
        Ok(built) => {
            let bytes = built
                .output
                .get(PAGE)
                .unwrap_or_else(|| panic!("{name}: {PAGE} is missing"));
            String::from_utf8(bytes.to_vec()).expect("UTF-8")
        }
        Err(failure) => {
            let first: Vec<String> = failure
                .diagnostics()
                .iter()
                .take(5)
                .map(ToString::to_string)
                .collect();
            panic!("{name}: the build failed:\n{}", first.join("\n"));
        }
    }
}

/// How many times `what` is in `text`.
fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

/// Every heading id in a page's article body (the default theme's
/// `prose` block: the page around it has headings of its own), in order.
fn heading_ids(page: &str) -> Vec<&str> {
    let start = page
        .find("<div class=\"prose\">")
        .expect("the article body");
    let body = &page[start..];
    let body = &body[..body.find("</article>").unwrap_or(body.len())];
    body.split("<h")
        .skip(1)
        .filter(|rest| rest.starts_with(['2', '3']) && rest[1..].starts_with(" id=\""))
        .filter_map(|rest| rest[6..].split('"').next())
        .collect()
}

/// All different, so every anchor goes to one heading.
fn assert_unique(ids: &[&str]) {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "heading ids repeat");
}

// --- Nesting, 10,000 levels deep.

#[test]
fn nested_blockquotes() {
    let page = page("nested-blockquotes", 10_000);
    assert!(count(&page, "<blockquote>") >= 10_000);
    assert!(page.contains("<p>a</p>"));
}

#[test]
fn text_deep_in_blockquotes_builds_or_is_refused_with_its_place() {
    // 2,000 lines of text under 2,000 quotes. pulldown-cmark reads every
    // line through every quote, in time the product of the two, so Tiller
    // may refuse such text; if it does, with one error at the line that
    // nests it, not a panic.
    match build("nested-quotes-long-text", 2_000) {
        Ok(built) => {
            let page =
                String::from_utf8(built.output.get(PAGE).expect("page").to_vec()).expect("UTF-8");
            assert!(count(&page, "<blockquote>") >= 2_000);
            assert!(count(&page, "a mention of the") >= 2_000);
            assert_eq!(count(&page, "class=\"mention\""), 1, "one mention linked");
        }
        Err(failure) => {
            let errors: Vec<String> = failure
                .diagnostics()
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect();
            assert_eq!(errors.len(), 1, "{errors:?}");
            // The body starts on line 8, with the quotes.
            assert!(
                errors[0].starts_with("content/articles/hostile.md:8:1: error: "),
                "{}",
                errors[0]
            );
        }
    }
}

#[test]
fn nested_bullet_lists() {
    let page = page("nested-lists-bullet", 10_000);
    assert!(count(&page, "<ul>") >= 10_000);
    assert!(page.contains("<li>a</li>"));
}

#[test]
fn nested_ordered_lists() {
    let page = page("nested-lists-ordered", 10_000);
    assert!(count(&page, "<ol>") >= 10_000);
    assert!(page.contains("<li>a</li>"));
}

#[test]
fn nested_quotes_and_lists() {
    let page = page("nested-quote-list", 10_000);
    assert!(count(&page, "<blockquote>") >= 10_000);
    assert!(count(&page, "<ul>") >= 10_000);
}

#[test]
fn nested_indented_lists() {
    // The size is the square of the depth: 1,000 levels, as cmark's test.
    let page = page("nested-lists-indented", 1_000_000);
    assert!(count(&page, "<ul>") >= 1_000);
}

#[test]
fn nested_emphasis_runs() {
    let page = page("nested-emphasis-runs", 10_000);
    assert!(count(&page, "<strong>") + count(&page, "<em>") >= 5_000);
}

#[test]
fn nested_strong_and_emphasis() {
    let page = page("nested-strong-emph", 10_000);
    assert!(count(&page, "<em>") >= 10_000);
    assert!(count(&page, "<strong>") >= 10_000);
}

#[test]
fn nested_brackets() {
    let page = page("nested-brackets", 10_000);
    let deep = "[".repeat(10_000) + "a" + &"]".repeat(10_000);
    assert!(page.contains(&deep));
}

#[test]
fn nested_images() {
    let page = page("nested-images", 10_000);
    assert!(page.contains("<img src=\"/\""));
}

#[test]
fn nested_links() {
    let page = page("nested-links", 10_000);
    assert!(page.contains("<a href=\"/\">a</a>"));
    assert!(count(&page, "](/)") >= 9_999);
}

// --- Delimiters that never pair, and brackets that never close.

/// Inputs whose text comes out as written, HTML-escaped: the page holds it.
#[test]
fn unpaired_delimiters_stay_text() {
    for (name, text) in [
        ("emph-openers", "_a _a _a"),
        ("emph-closers", "a_ a_ a_"),
        ("mismatched-emph", "*a_ *a_ *a_"),
        ("emph-multiple-of-3", "c* c* c*"),
        ("link-openers-emph-closers", "[ a_[ a_"),
        ("link-closers", "a]a]a]"),
        ("link-openers", "[a[a[a"),
        ("unclosed-links-a", "[a](&lt;b[a](&lt;b"),
        ("unclosed-links-b", "[a](b[a](b"),
        ("broken-link-titles", "[ (]([ (]("),
        ("empty-link-openers", "[]([]("),
        ("nested-invalid-refs", "[[[[]]]]"),
        ("bracket-lines", "]([\n]([\n"),
        ("footnote-openers", "[^a\n[^a"),
        ("lt-runs", "&lt;&lt;&lt;a"),
        ("html-openers-closers", "&lt;&gt;&lt;&gt;"),
        ("html-pi-openers", "&lt;?&lt;?"),
        ("html-cdata-openers", "&lt;![CDATA[&lt;![CDATA["),
        ("html-comment-starts", "!-- &lt;!-- &lt;"),
        ("html-decl-openers", "a &lt;!Aa &lt;!A"),
        ("entity-references", "&amp; © &amp; ©"),
        ("strikethrough", "~~a ~b ~~a ~b"),
        ("backtick-escapes", "````````"),
    ] {
        let page = page(name, 10_000);
        assert!(page.contains(text), "{name}: {text:?} is not in the page");
    }
}

#[test]
fn paired_delimiters_become_markup() {
    for (name, markup) in [
        ("triple-emph", "<strong>"),
        ("bracket-emph", "<em>_a["),
        ("bracket-links", "<a href=\"\">"),
        ("escape-backticks", "<code>"),
    ] {
        let page = page(name, 10_000);
        assert!(page.contains(markup), "{name}: no {markup:?} in the page");
    }
}

#[test]
fn backtick_runs() {
    // Runs of 1 to about 630 backticks.
    let page = page("backticks", 200_000);
    assert!(page.contains("e`e``e```"));
}

// --- Links and references.

#[test]
fn many_references() {
    let page = page("many-references", 10_000);
    assert!(page.contains("<a href=\"https://e.org/u9999\">r9999</a>"));
    assert!(count(&page, "[0]") >= 10_000);
}

#[test]
fn many_anchor_links_on_one_line() {
    let page = page("many-links-one-line", 10_000);
    assert!(count(&page, "<a href=\"#u\">t</a>") >= 10_000);
}

#[test]
fn many_headings_and_links_to_them() {
    let page = page("heading-anchor-links", 5_000);
    assert!(page.contains("<h2 id=\"h4999\">H4999</h2>"));
    assert!(page.contains("<a href=\"#h4999\">x</a>"));
}

#[test]
fn many_broken_links_are_each_reported() {
    let failure = build("many-broken-links", 5_000).expect_err("broken links fail the build");
    let broken: Vec<String> = failure
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("broken link"))
        .collect();
    assert_eq!(broken.len(), 5_000);
    // All on the article's one line of body (line 8), each at its own column.
    assert!(
        broken[0].starts_with("content/articles/hostile.md:8:1: error: broken link"),
        "{}",
        broken[0]
    );
    assert!(
        broken[4_999].starts_with("content/articles/hostile.md:8:79985: error:"),
        "{}",
        broken[4_999]
    );
}

#[test]
fn many_autolinks() {
    let page = page("autolinks", 10_000);
    assert!(count(&page, "href=\"https://e.org/a\"") >= 10_000);
}

// --- Raw HTML, code, tables, footnotes.

#[test]
fn raw_html_blocks_are_shown_with_one_warning() {
    let built = build("html-blocks", 10_000).expect("builds");
    let page = String::from_utf8(built.output.get(PAGE).expect("page").to_vec()).expect("UTF-8");
    assert!(count(&page, "&lt;div&gt;") >= 10_000);
    let html_warnings = built
        .report
        .warnings
        .iter()
        .filter(|w| w.to_string().contains("raw HTML"))
        .count();
    assert_eq!(html_warnings, 1);
}

#[test]
fn long_code_block() {
    let page = page("long-code-block", 2_000);
    assert!(page.contains("data-language=\"rust\""));
    assert!(count(&page, "note") >= 2_000);
}

#[test]
fn unclosed_fence_runs_to_the_end() {
    let page = page("unclosed-fence", 10_000);
    assert!(page.contains("<pre"));
    assert!(page.contains(&"a\n".repeat(10_000)));
}

#[test]
fn many_code_blocks() {
    let page = page("many-code-blocks", 1_000);
    assert!(count(&page, "data-language=\"rust\"") >= 1_000);
}

#[test]
fn table_with_many_rows() {
    let page = page("table-rows", 10_000);
    assert!(count(&page, "<tr>") >= 10_001);
}

#[test]
fn table_with_many_columns() {
    let page = page("table-columns", 10_000);
    assert!(count(&page, "<th>x</th>") >= 10_000);
    assert!(count(&page, "<td>z</td>") >= 10_000);
}

#[test]
fn rows_missing_cells_are_not_filled_in_quadratically() {
    // 5,000 columns and 5,000 one-cell rows: filled in whole, the page
    // would hold 25 million cells.
    let page = page("table-missing-cells", 5_000);
    assert!(count(&page, "<th>x</th>") >= 5_000);
    assert!(page.len() < 20 << 20, "the page is {} bytes", page.len());
}

#[test]
fn many_footnotes() {
    let page = page("many-footnotes", 5_000);
    assert!(count(&page, "footnote-definition") >= 5_000);
    assert!(page.contains("Note 4999."));
}

// --- Text, summaries, mentions, search.

#[test]
fn one_huge_paragraph_is_summarised() {
    let built = build("long-paragraph", 50_000).expect("builds");
    let page = String::from_utf8(built.output.get(PAGE).expect("page").to_vec()).expect("UTF-8");
    // 50,000 words at 200 a minute.
    assert!(page.contains("250 min read"), "reading time");
    let list = String::from_utf8(
        built
            .output
            .get("articles/index.html")
            .expect("list")
            .to_vec(),
    )
    .expect("UTF-8");
    assert!(list.contains("word word…</p>"), "the summary is cut");
}

#[test]
fn many_lines_of_one_paragraph() {
    let page = page("long-paragraph-lines", 10_000);
    assert_eq!(count(&page, "class=\"mention\""), 1);
    assert!(count(&page, "some words") >= 10_000);
}

#[test]
fn many_mentions_link_the_first() {
    let page = page("many-mentions", 10_000);
    assert_eq!(count(&page, "id=\"mention-care-quality-commission\""), 1);
    assert_eq!(count(&page, "id=\"mention-national-health-service\""), 1);
}

#[test]
fn many_entities_each_get_a_page() {
    let built = build("many-entities", 500).expect("builds");
    let entity = String::from_utf8(
        built
            .output
            .get("glossary/zq499x/index.html")
            .expect("the last entity's page")
            .to_vec(),
    )
    .expect("UTF-8");
    assert!(entity.contains("Zq499x"));
    assert!(entity.contains("spoke."), "the sentence of the mention");
}

#[test]
fn many_distinct_words_are_indexed() {
    let built = build("distinct-words", 10_000).expect("builds");
    let search_bytes: usize = built
        .output
        .iter()
        .filter(|(path, _)| path.starts_with("search/"))
        .map(|(_, bytes)| bytes.len())
        .sum();
    assert!(search_bytes > 10_000 * 4, "every word is in the index");
}

// --- Headings: every id unique, however the texts repeat.

#[test]
fn same_headings_get_unique_ids() {
    // 2,000: the size of the de-duplication's square is the benchmark's to find.
    let page = page("same-headings", 2_000);
    let ids = heading_ids(&page);
    assert_eq!(ids.len(), 2_000);
    assert_eq!(ids[0], "intro");
    assert_eq!(ids[1_999], "intro-1999");
    assert_unique(&ids);
}

#[test]
fn same_explicit_ids_are_made_unique() {
    let page = page("same-explicit-ids", 2_000);
    let ids = heading_ids(&page);
    assert_eq!(ids.len(), 2_000);
    assert_eq!(ids[1], "same-1");
    assert_unique(&ids);
}

#[test]
fn numbered_headings_do_not_take_the_ids_of_repeats() {
    let page = page("numbered-headings", 2_000);
    let ids = heading_ids(&page);
    assert_eq!(ids.len(), 4_000);
    assert_unique(&ids);
}

#[test]
fn many_distinct_headings() {
    let page = page("distinct-headings", 5_000);
    assert!(page.contains("id=\"heading-4999\""));
    assert!(page.contains("id=\"sub-4999\""));
}

#[test]
fn one_huge_heading() {
    let page = page("setext-heading-long", 10_000);
    assert!(page.contains("<h1 id=\"a-b-a-b-a-b"));
}

#[test]
fn a_long_ordinary_article() {
    let built = build("big-article", 200).expect("builds");
    let page = String::from_utf8(built.output.get(PAGE).expect("page").to_vec()).expect("UTF-8");
    assert!(page.contains("id=\"section-199-leading-through-change\""));
    assert!(page.contains("Figures from the Department"));
}
