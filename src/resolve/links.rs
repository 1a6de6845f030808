//! Root-relative links: takes the links authors wrote as `/path/#anchor` and
//! every output path of the site, and gives the problems with them: a link to
//! no page, outside the base path, or (once the pages are rendered) to an
//! anchor the page does not have. With the relative `.md` links resolve checks,
//! this verifies the whole link graph authors write.

use std::cell::OnceCell;
use std::collections::HashSet;

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::markdown::{Link, LinkTarget};
use crate::site::{Route, Site, Wanted, WantedAnchor};
use crate::urls;

/// Checks every root-relative link of the site's articles and pages against
/// the output paths `exists` knows; gives the problems, and the anchors to
/// check in the rendered pages.
pub(crate) fn check(site: &Site, routes: &[Route]) -> (Vec<Diagnostic>, Wanted) {
    // Made only if some link needs it: most sites have no root-relative links.
    let paths = OnceCell::new();
    let exists = |path: &str| {
        paths
            .get_or_init(|| {
                routes
                    .iter()
                    .map(|r| r.path.as_str())
                    .collect::<HashSet<&str>>()
            })
            .contains(path)
    };
    let base = site.config.base_url.path.as_str();
    let documents = site
        .articles
        .iter()
        .map(|a| (a.path(), &a.doc.body.links))
        .chain(site.pages.iter().map(|p| (p.path(), &p.doc.body.links)));
    let mut problems = Vec::new();
    let mut wanted = Wanted::new();
    for (from, links) in documents {
        for link in links {
            let LinkTarget::Root(target) = &link.target else {
                continue;
            };
            match output_of(base, target, &exists) {
                Ok(output) => {
                    // An anchor into a file that is not a page (`#page=2` of
                    // a PDF) is for the program that shows it.
                    let anchor = link.anchor.as_ref().filter(|a| !a.is_empty());
                    if let Some(anchor) = anchor.filter(|_| output.ends_with(".html")) {
                        wanted.entry(output).or_default().push(WantedAnchor {
                            from: from.to_string(),
                            position: link.position,
                            link: shown(link, target),
                            anchor: anchor.clone(),
                        });
                    }
                }
                Err(why) => problems.push(Diagnostic::error(
                    Code::LinkMissingPage,
                    from,
                    link.position,
                    format!("broken link to {}: {why}", shown(link, target)),
                )),
            }
        }
    }
    (problems, wanted)
}

fn shown(link: &Link, target: &str) -> String {
    match &link.anchor {
        Some(anchor) => format!("{target}#{anchor}"),
        None => target.to_string(),
    }
}

/// The output file a root-relative URL path is served from, or why there is
/// none.
fn output_of(base: &str, target: &str, exists: &dyn Fn(&str) -> bool) -> Result<String, String> {
    let Some(inside) = target.strip_prefix(base) else {
        // `/blog` on a site served under `/blog/` is its home, without the slash.
        if format!("{target}/") == base {
            return Err(format!("the page is at {base}; add the slash"));
        }
        return Err(format!(
            "the site is served under {base}, so this is outside it; write {} or a full address",
            urls::under(base, target.trim_start_matches('/'))
        ));
    };
    let output = urls::output_file(inside);
    if exists(&output) {
        return Ok(output);
    }
    let folder = format!("{inside}/index.html");
    if !inside.is_empty() && !inside.ends_with('/') && exists(&folder) {
        return Err(format!(
            "the page is at {target}/; add the slash (without it the link works only where the server adds it)"
        ));
    }
    Err("the site has no page or file there".to_string())
}

/// The anchors of one rendered page that links ask for and it lacks.
pub(crate) fn missing_anchors(page: &str, html: &[u8], wanted: &[WantedAnchor]) -> Vec<Diagnostic> {
    let ids = ids(html);
    wanted
        .iter()
        .filter(|w| !ids.contains(w.anchor.as_bytes()))
        .map(|w| {
            Diagnostic::error(
                Code::LinkMissingAnchor,
                &w.from,
                w.position,
                format!(
                    "broken link to {}: the page {page} has no element with the id {:?}",
                    w.link, w.anchor
                ),
            )
        })
        .collect()
}

/// Every `id="…"` value in a page Tiller rendered.
fn ids(html: &[u8]) -> HashSet<&[u8]> {
    let mut ids = HashSet::new();
    for start in memchr::memmem::find_iter(html, b" id=\"") {
        let value = &html[start + 5..];
        if let Some(end) = memchr::memchr(b'"', value) {
            ids.insert(&value[..end]);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Position;

    #[test]
    fn urls_map_to_the_files_that_serve_them() {
        let files = [
            "index.html",
            "about/index.html",
            "atom.xml",
            "files/my doc.pdf",
        ];
        let exists = |path: &str| files.contains(&path);
        assert_eq!(output_of("/", "/", &exists), Ok("index.html".to_string()));
        assert_eq!(
            output_of("/", "/about/", &exists),
            Ok("about/index.html".to_string())
        );
        assert_eq!(
            output_of("/", "/atom.xml", &exists),
            Ok("atom.xml".to_string())
        );
        assert_eq!(
            output_of("/", "/files/my doc.pdf", &exists),
            Ok("files/my doc.pdf".to_string())
        );
        assert!(output_of("/", "/about", &exists).is_err_and(|e| e.contains("add the slash")));
        assert!(output_of("/", "/gone/", &exists).is_err_and(|e| e.contains("no page")));
        assert_eq!(
            output_of("/blog/", "/about/", &exists),
            Err("the site is served under /blog/, so this is outside it; write /blog/about/ or a full address".to_string())
        );
        assert_eq!(
            output_of("/blog/", "/blog/about/", &exists),
            Ok("about/index.html".to_string())
        );
        assert!(output_of("/blog/", "/blog", &exists).is_err_and(|e| e.contains("add the slash")));
    }

    #[test]
    fn anchors_are_looked_for_among_the_ids_of_the_page() {
        let html = br#"<h2 id="why">Why</h2><a class="mention" id="mention-cqc" href="/x/">CQC</a><p>id="fake"</p><p>not id=&quot;escaped&quot;</p>"#;
        let want = |anchor: &str| WantedAnchor {
            from: "content/a.md".to_string(),
            position: Position::new(3, 4),
            link: format!("/b/#{anchor}"),
            anchor: anchor.to_string(),
        };
        let wanted = [
            want("why"),
            want("mention-cqc"),
            want("escaped"),
            want("nope"),
        ];
        let problems: Vec<String> = missing_anchors("/b/", html, &wanted)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "content/a.md:3:4: error: broken link to /b/#escaped: the page /b/ has no element with the id \"escaped\"",
                "content/a.md:3:4: error: broken link to /b/#nope: the page /b/ has no element with the id \"nope\"",
            ]
        );
    }
}
