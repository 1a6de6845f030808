//! Theme map: takes the resolved site and gives the layout of the map that
//! `/themes/` draws as SVG: articles in rows, leadership themes in columns, a
//! mark for each theme an article is filed under, and arcs beside the rows
//! joining articles that link to each other or mention the same entities. The
//! layout is worked out here, in numbers; the theme's template draws it, so the
//! look stays the theme's. An HTML table with the same facts comes with it.

use serde::Serialize;

use crate::site::{ArticleId, Site};

/// A leadership theme the map shows, or a page it links to: its name and where it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
}

/// Most articles the map shows: the newest. Beyond this a map stops being
/// readable; every article is still on its themes' pages.
pub(crate) const MAX_ARTICLES: usize = 40;
/// Most arcs drawn between articles that mention the same entities: when more
/// pairs share some, only those sharing the most are drawn.
const MAX_SHARED_ARCS: usize = 80;

const ROW_HEIGHT: u32 = 28;
const COLUMN_WIDTH: u32 = 34;
/// Room for the arcs, left of the titles.
const GUTTER: u32 = 110;
const LABEL_WIDTH: u32 = 330;
const MARGIN: u32 = 12;
/// About how wide a character of a theme's name is drawn, in map units
/// (13px bold sans-serif), to leave room for the names slanted at 50°.
const CHAR_WIDTH: f64 = 7.6;
/// Longest title shown in a row, in characters; the full title is its tooltip.
const LABEL_CHARS: usize = 46;

/// The map and its table, as the template sees them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct ThemeMapView<'a> {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Articles shown, and in the whole site.
    pub(crate) shown: usize,
    pub(crate) total: usize,
    /// Arcs for shared entities join articles sharing at least this many.
    pub(crate) min_shared: usize,
    pub(crate) rows: Vec<MapRow<'a>>,
    pub(crate) columns: Vec<MapColumn<'a>>,
    pub(crate) marks: Vec<MapMark>,
    pub(crate) arcs: Vec<MapArc>,
    /// Where the grid and the titles start and end.
    pub(crate) label_x: u32,
    pub(crate) grid_left: u32,
    pub(crate) grid_right: u32,
    pub(crate) grid_top: u32,
    pub(crate) grid_bottom: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapRow<'a> {
    pub(crate) y: u32,
    pub(crate) label: String,
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    /// The row's themes, for the table.
    pub(crate) themes: Vec<MapLink<'a>>,
    /// Articles shown on the map that this one links to or is linked from.
    pub(crate) linked: Vec<MapLink<'a>>,
    /// Articles shown on the map that mention entities this one mentions, with them.
    pub(crate) shares: Vec<MapShare<'a>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapShare<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
    pub entities: Vec<&'a str>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapColumn<'a> {
    pub(crate) x: u32,
    pub(crate) name: &'a str,
    pub(crate) url: &'a str,
}

/// One article filed under one theme.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapMark {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) row: usize,
    pub(crate) column: usize,
}

/// A connection between two rows, drawn as a half-ellipse in the gutter.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub(crate) struct MapArc {
    /// SVG path data.
    pub(crate) d: String,
    /// `link` (written links, either way) or `shared` (shared entities only).
    pub(crate) kind: &'static str,
    /// Stroke width: more shared entities, thicker.
    pub(crate) weight: u32,
    /// What joins the two, for a tooltip.
    pub(crate) title: String,
}

/// Lays out the map of the newest [`MAX_ARTICLES`] articles.
pub(crate) fn layout(site: &Site) -> ThemeMapView<'_> {
    let shown: Vec<ArticleId> = (0..site.articles.len().min(MAX_ARTICLES)).collect();
    let count = u32::try_from(shown.len()).unwrap_or(u32::MAX);
    let themes = u32::try_from(site.themes.len()).unwrap_or(u32::MAX);
    let label_x = MARGIN + GUTTER;
    let grid_left = label_x + LABEL_WIDTH;
    let grid_right = grid_left + themes * COLUMN_WIDTH;
    // The slanted names rise by sin 50° and reach right by cos 50° of their length.
    let longest = site
        .themes
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0) as f64
        * CHAR_WIDTH;
    let header_height = (longest * 0.77).ceil() as u32 + 16;
    let right_margin = (longest * 0.65).ceil() as u32 + 16;
    let grid_top = MARGIN + header_height;
    let grid_bottom = grid_top + count * ROW_HEIGHT;
    let row_y =
        |row: usize| grid_top + u32::try_from(row).unwrap_or(0) * ROW_HEIGHT + ROW_HEIGHT / 2;
    let column_x = |column: usize| {
        grid_left + u32::try_from(column).unwrap_or(0) * COLUMN_WIDTH + COLUMN_WIDTH / 2
    };

    let columns = site
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| MapColumn {
            x: column_x(i),
            name: &t.name,
            url: &t.url,
        })
        .collect();
    let mut marks = Vec::new();
    for (row, &id) in shown.iter().enumerate() {
        for &theme in site.articles[id].themes() {
            marks.push(MapMark {
                x: column_x(theme),
                y: row_y(row),
                row,
                column: theme,
            });
        }
    }

    // Pairs of shown articles (a < b, in row order) and what joins them.
    let linked = |a: ArticleId, b: ArticleId| {
        let place = &site.articles[a].place;
        place.links_to.binary_search(&b).is_ok() || place.backlinks.binary_search(&b).is_ok()
    };
    let entities_of = |id: ArticleId| -> Vec<usize> {
        site.articles[id]
            .mentions()
            .iter()
            .map(|m| m.entity)
            .collect()
    };
    let mentioned: Vec<Vec<usize>> = shown.iter().map(|&id| entities_of(id)).collect();
    let mut pairs: Vec<(usize, usize, bool, Vec<usize>)> = Vec::new();
    for a in 0..shown.len() {
        for b in a + 1..shown.len() {
            let shared: Vec<usize> = mentioned[a]
                .iter()
                .copied()
                .filter(|e| mentioned[b].contains(e))
                .collect();
            let link = linked(shown[a], shown[b]);
            if link || !shared.is_empty() {
                pairs.push((a, b, link, shared));
            }
        }
    }
    // The fewest shared entities an arc needs, so that at most
    // MAX_SHARED_ARCS arcs are drawn for sharing alone.
    let mut min_shared = 1;
    while pairs
        .iter()
        .filter(|(_, _, link, shared)| !link && shared.len() >= min_shared)
        .count()
        > MAX_SHARED_ARCS
    {
        min_shared += 1;
    }
    let name_of = |e: usize| site.entities.list[e].name.as_str();
    let arcs = pairs
        .iter()
        .filter(|(_, _, link, shared)| *link || shared.len() >= min_shared)
        .map(|(a, b, link, shared)| {
            let (top, bottom) = (row_y(*a), row_y(*b));
            let x = label_x - 8;
            let ry = (bottom - top) / 2;
            let rx = ry.min(GUTTER - 16);
            let mut title = format!(
                "{} and {}",
                site.articles[shown[*a]].title(),
                site.articles[shown[*b]].title()
            );
            if *link {
                title.push_str(": linked");
            }
            if !shared.is_empty() {
                let names: Vec<&str> = shared.iter().map(|&e| name_of(e)).collect();
                title.push_str(if *link {
                    "; both mention "
                } else {
                    ": both mention "
                });
                title.push_str(&names.join(", "));
            }
            MapArc {
                d: format!("M{x} {top}A{rx} {ry} 0 0 0 {x} {bottom}"),
                kind: if *link { "link" } else { "shared" },
                weight: u32::try_from(shared.len().clamp(1, 4)).unwrap_or(1),
                title,
            }
        })
        .collect();

    let rows = shown
        .iter()
        .enumerate()
        .map(|(row, &id)| {
            let article = &site.articles[id];
            let mut linked_to = Vec::new();
            let mut shares = Vec::new();
            for (a, b, link, shared) in &pairs {
                let other = if *a == row {
                    *b
                } else if *b == row {
                    *a
                } else {
                    continue;
                };
                let other_article = &site.articles[shown[other]];
                if *link {
                    linked_to.push(MapLink {
                        name: other_article.title(),
                        url: other_article.url(),
                    });
                }
                if !shared.is_empty() {
                    shares.push(MapShare {
                        name: other_article.title(),
                        url: other_article.url(),
                        entities: shared.iter().map(|&e| name_of(e)).collect(),
                    });
                }
            }
            MapRow {
                y: row_y(row),
                label: shorten(article.title()),
                title: article.title(),
                url: article.url(),
                themes: article
                    .themes()
                    .iter()
                    .map(|&t| MapLink {
                        name: &site.themes[t].name,
                        url: &site.themes[t].url,
                    })
                    .collect(),
                linked: linked_to,
                shares,
            }
        })
        .collect();

    ThemeMapView {
        width: grid_right + right_margin,
        height: grid_bottom + MARGIN,
        shown: shown.len(),
        total: site.articles.len(),
        min_shared,
        rows,
        columns,
        marks,
        arcs,
        label_x,
        grid_left,
        grid_right,
        grid_top,
        grid_bottom,
    }
}

/// A title cut to [`LABEL_CHARS`] characters at a word, with an ellipsis.
fn shorten(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let mut out = String::new();
    for word in title.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > LABEL_CHARS - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_at_a_word() {
        assert_eq!(shorten("Short"), "Short");
        let long = "‘If I make any mistakes it will be very public’, says director taking charge";
        let short = shorten(long);
        assert!(short.chars().count() <= LABEL_CHARS, "{short}");
        assert!(short.ends_with("very…"), "{short}");
    }
}
