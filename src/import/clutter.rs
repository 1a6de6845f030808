//! Clutter: takes one block of a page and tells whether it is page furniture
//! rather than the author's writing, and which kind. The rules go by what
//! furniture is, on any site: short lines made of the vocabulary of notices,
//! menus, buttons and prompts; longer lines that speak of the website itself
//! (cookies, the browser, signing in) in two ways or more; web addresses and
//! breadcrumb trails; reading times and copyright lines. Where a line stands
//! (before the title, after the end of the text) is for `classify` to judge.

use super::block::Block;
use super::words::words;

/// What kind of furniture a line is, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clutter {
    /// Cookie, consent and browser notices.
    Notice,
    /// Menus, breadcrumbs, "Skip to content", search boxes, bare addresses.
    Navigation,
    /// Sign-in, registration and newsletter prompts.
    SignIn,
    Share,
    Comments,
    Advert,
    /// "Related articles", "More from …", "Most read".
    Related,
    /// Copyright, terms, privacy.
    Footer,
    /// "Read more", "Learn more", "Back to top".
    CallToAction,
    Tags,
    ReadingTime,
    /// "Published", "Last updated": the label of a date that stands apart.
    DateLabel,
}

impl Clutter {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Clutter::Notice => "cookie, consent or browser notice",
            Clutter::Navigation => "navigation",
            Clutter::SignIn => "sign-in or newsletter prompt",
            Clutter::Share => "share button",
            Clutter::Comments => "comments",
            Clutter::Advert => "advertisement",
            Clutter::Related => "list of other articles",
            Clutter::Footer => "footer",
            Clutter::CallToAction => "link to elsewhere",
            Clutter::Tags => "tags line",
            Clutter::ReadingTime => "reading time",
            Clutter::DateLabel => "label of a date",
        }
    }

    /// Whether a heading of this kind starts what follows an article (its
    /// comments, its list of other articles, the page's footer), so that no
    /// line after it is the author's.
    pub(crate) fn ends_article(self) -> bool {
        matches!(
            self,
            Clutter::Comments | Clutter::Related | Clutter::Footer | Clutter::Tags
        )
    }
}

/// A line of at most this many words may be a button, a menu or a prompt.
const SHORT: usize = 10;

/// Phrases a short line of furniture starts with.
#[rustfmt::skip]
const PHRASES: &[(&str, Clutter)] = &[
    ("your browser", Clutter::Notice), ("we use cookies", Clutter::Notice),
    ("this site uses", Clutter::Notice), ("this website uses", Clutter::Notice),
    ("accept all", Clutter::Notice), ("reject all", Clutter::Notice),
    ("accept cookies", Clutter::Notice), ("manage cookies", Clutter::Notice),
    ("manage preferences", Clutter::Notice), ("cookie settings", Clutter::Notice),
    ("enable javascript", Clutter::Notice), ("hide this message", Clutter::Notice),
    ("skip to", Clutter::Navigation), ("jump to", Clutter::Navigation),
    ("you are here", Clutter::Navigation), ("main menu", Clutter::Navigation),
    ("next article", Clutter::Navigation), ("previous article", Clutter::Navigation),
    ("next post", Clutter::Navigation), ("previous post", Clutter::Navigation),
    ("search this site", Clutter::Navigation), ("back to top", Clutter::Navigation),
    ("table of contents", Clutter::Navigation), ("on this page", Clutter::Navigation),
    ("in this guide", Clutter::Navigation), ("in this section", Clutter::Navigation),
    ("sign in", Clutter::SignIn), ("log in", Clutter::SignIn), ("sign up", Clutter::SignIn),
    ("you must sign in", Clutter::SignIn), ("you must be logged in", Clutter::SignIn),
    ("create an account", Clutter::SignIn), ("already a subscriber", Clutter::SignIn),
    ("get our newsletter", Clutter::SignIn), ("follow us", Clutter::SignIn),
    ("share this", Clutter::Share), ("share on", Clutter::Share),
    ("share via", Clutter::Share), ("email this", Clutter::Share),
    ("print this", Clutter::Share), ("copy link", Clutter::Share),
    ("have your say", Clutter::Comments), ("leave a comment", Clutter::Comments),
    ("leave a reply", Clutter::Comments), ("join the discussion", Clutter::Comments),
    ("join the conversation", Clutter::Comments), ("comments are closed", Clutter::Comments),
    ("add a comment", Clutter::Comments), ("post a comment", Clutter::Comments),
    ("related articles", Clutter::Related), ("related posts", Clutter::Related),
    ("related stories", Clutter::Related), ("related content", Clutter::Related),
    ("related reading", Clutter::Related), ("related links", Clutter::Related),
    ("you may also like", Clutter::Related), ("you might also like", Clutter::Related),
    ("more from", Clutter::Related), ("more on this", Clutter::Related),
    ("most read", Clutter::Related), ("most popular", Clutter::Related),
    ("recommended for you", Clutter::Related), ("read next", Clutter::Related),
    ("more stories", Clutter::Related), ("recent posts", Clutter::Related),
    ("popular posts", Clutter::Related), ("about the author", Clutter::Related),
    ("all rights reserved", Clutter::Footer), ("terms and conditions", Clutter::Footer),
    ("terms of use", Clutter::Footer), ("privacy policy", Clutter::Footer),
    ("privacy notice", Clutter::Footer), ("accessibility statement", Clutter::Footer),
    ("contact us", Clutter::Footer), ("is this page useful", Clutter::Footer),
    ("was this page helpful", Clutter::Footer), ("report a problem", Clutter::Footer),
    ("read more", Clutter::CallToAction), ("learn more", Clutter::CallToAction),
    ("find out more", Clutter::CallToAction), ("continue reading", Clutter::CallToAction),
    ("click here", Clutter::CallToAction), ("view all", Clutter::CallToAction),
    ("see all", Clutter::CallToAction),
    ("filed under", Clutter::Tags), ("posted in", Clutter::Tags),
    ("listen to this article", Clutter::ReadingTime),
];

/// Words a short line may be made of, with words from `FILLERS`, and be
/// nothing but furniture ("Share", "Comments (3)", "Advertisement").
#[rustfmt::skip]
const WORDS: &[(&str, Clutter)] = &[
    ("cookie", Clutter::Notice), ("cookies", Clutter::Notice), ("browser", Clutter::Notice),
    ("javascript", Clutter::Notice), ("consent", Clutter::Notice), ("accept", Clutter::Notice),
    ("reject", Clutter::Notice), ("settings", Clutter::Notice), ("preferences", Clutter::Notice),
    ("menu", Clutter::Navigation), ("home", Clutter::Navigation),
    ("search", Clutter::Navigation), ("navigation", Clutter::Navigation),
    ("breadcrumb", Clutter::Navigation), ("contents", Clutter::Navigation),
    ("archives", Clutter::Related), ("archive", Clutter::Related),
    ("login", Clutter::SignIn), ("register", Clutter::SignIn), ("subscribe", Clutter::SignIn),
    ("newsletter", Clutter::SignIn), ("newsletters", Clutter::SignIn),
    ("share", Clutter::Share), ("tweet", Clutter::Share), ("email", Clutter::Share),
    ("print", Clutter::Share), ("facebook", Clutter::Share), ("twitter", Clutter::Share),
    ("linkedin", Clutter::Share), ("whatsapp", Clutter::Share), ("bluesky", Clutter::Share),
    ("comment", Clutter::Comments), ("comments", Clutter::Comments),
    ("reply", Clutter::Comments), ("replies", Clutter::Comments),
    ("advertisement", Clutter::Advert), ("advert", Clutter::Advert),
    ("sponsored", Clutter::Advert), ("promoted", Clutter::Advert),
    ("related", Clutter::Related),
    ("copyright", Clutter::Footer),
    ("tags", Clutter::Tags), ("tagged", Clutter::Tags), ("categories", Clutter::Tags),
    ("topics", Clutter::Tags),
];

/// Words that add nothing to a button's or a prompt's meaning.
#[rustfmt::skip]
const FILLERS: &[&str] = &[
    "a", "additional", "all", "an", "analytics", "and", "are", "article", "be", "by",
    "essential", "for", "free", "here", "in", "is", "it", "make", "manage", "me", "more",
    "must", "my", "need", "non", "now", "of", "on", "optional", "or", "our", "page", "please",
    "post", "see", "site", "story", "the", "this", "to", "up", "us", "via", "view", "website",
    "with", "you", "your",
];

/// Signs that a sentence speaks of the website rather than of the subject:
/// two different ones in one line make it a notice, however long.
#[rustfmt::skip]
const SITE_SIGNS: &[&str] = &[
    "cookie", "cookies", "browser", "javascript", "consent", "our website", "this website",
    "our site", "this site", "terms and conditions", "privacy policy", "sign in", "log in",
    "logged in", "comment", "comments", "html", "newsletter", "subscribe", "email address",
];

/// Words of the menus sites put above an article.
#[rustfmt::skip]
const MENU_WORDS: &[&str] = &[
    "home", "news", "about", "contact", "jobs", "events", "blog", "blogs", "opinion", "search",
    "menu", "topics", "podcasts", "videos", "subscribe", "login", "sections", "resources",
    "membership", "shop", "features", "analysis", "careers", "magazine",
];

/// The words of a date's label, alone on a line when the page sets the date
/// apart from it.
const DATE_LABELS: &[&str] = &[
    "published",
    "posted",
    "last",
    "updated",
    "modified",
    "date",
    "on",
];

/// Words that, alone on a line, are a menu's item.
#[rustfmt::skip]
const MENU_ITEMS: &[&str] = &[
    "home", "about", "contact", "news", "blog", "blogs", "jobs", "events", "search", "menu",
    "login", "subscribe", "shop", "podcasts", "videos",
];

pub(crate) fn clutter(block: &Block) -> Option<Clutter> {
    let text = block.text.as_str();
    if text.contains('©') {
        return Some(Clutter::Footer);
    }
    if is_labelled_list(text) {
        return Some(Clutter::Tags);
    }
    if is_address(text) || is_breadcrumb(text) {
        return Some(Clutter::Navigation);
    }
    let words = words(text);
    if words.is_empty() {
        // Punctuation alone: a separator, an icon's leftover.
        return Some(Clutter::Navigation);
    }
    let joined = words.join(" ");
    if words.len() <= SHORT {
        if let Some(kind) = starts_with_phrase(&joined) {
            return Some(kind);
        }
        if let Some(kind) = only_furniture_words(&words) {
            return Some(kind);
        }
        if words.iter().all(|w| DATE_LABELS.contains(&w.as_str())) {
            return Some(Clutter::DateLabel);
        }
        if is_reading_time(&words) {
            return Some(Clutter::ReadingTime);
        }
        if words.len() == 1 && MENU_ITEMS.contains(&joined.as_str()) {
            return Some(Clutter::Navigation);
        }
        if is_menu(&words) {
            return Some(Clutter::Navigation);
        }
    }
    let padded = format!(" {joined} ");
    let signs = SITE_SIGNS
        .iter()
        .filter(|sign| padded.contains(&format!(" {sign} ")))
        .count();
    if signs >= 2 {
        return Some(if padded.contains(" comment") {
            Clutter::Comments
        } else {
            Clutter::Notice
        });
    }
    None
}

fn starts_with_phrase(joined: &str) -> Option<Clutter> {
    PHRASES.iter().find_map(|&(phrase, kind)| {
        let rest = joined.strip_prefix(phrase)?;
        (rest.is_empty() || rest.starts_with(' ')).then_some(kind)
    })
}

fn only_furniture_words(words: &[String]) -> Option<Clutter> {
    let mut kind = None;
    for word in words {
        if let Some(&(_, k)) = WORDS.iter().find(|(w, _)| w == word) {
            kind.get_or_insert(k);
        } else if !FILLERS.contains(&word.as_str()) && !is_count(word) {
            return None;
        }
    }
    kind
}

/// "3" in "Comments (3)", "12k" shares.
fn is_count(word: &str) -> bool {
    let digits = word.trim_end_matches('k');
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// "5 min read", "Reading time: 4 minutes".
fn is_reading_time(words: &[String]) -> bool {
    let has = |w: &str| words.iter().any(|x| x == w);
    (has("read") || has("reading") || has("listen"))
        && (has("min") || has("mins") || has("minute") || has("minutes"))
        && words.len() <= 6
}

/// Three words or more, at least half of them a menu's.
fn is_menu(words: &[String]) -> bool {
    let menu = words
        .iter()
        .filter(|w| MENU_WORDS.contains(&w.as_str()))
        .count();
    words.len() >= 3 && menu * 2 >= words.len()
}

/// "Tags: workforce, recruitment", "Filed under: News".
fn is_labelled_list(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "tags:",
        "tagged:",
        "tagged with",
        "categories:",
        "category:",
        "topics:",
        "keywords:",
    ]
    .iter()
    .any(|label| lower.starts_with(label))
}

/// A web address alone on a line.
fn is_address(text: &str) -> bool {
    !text.contains(' ')
        && (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
}

/// "Home > News > Social care": three parts or more between separators, each
/// a few words.
fn is_breadcrumb(text: &str) -> bool {
    for separator in [" > ", " › ", " » ", " / ", " | ", " · "] {
        let parts: Vec<&str> = text.split(separator).collect();
        if parts.len() >= 3
            && parts
                .iter()
                .all(|p| !p.trim().is_empty() && p.split_whitespace().count() <= 5)
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::block::Shape;

    fn kind(text: &str) -> Option<Clutter> {
        clutter(&Block {
            line: None,
            text: text.to_string(),
            markdown: None,
            shape: Shape::Line,
        })
    }

    #[test]
    fn buttons_and_prompts_are_furniture() {
        assert_eq!(kind("Comment"), Some(Clutter::Comments));
        assert_eq!(kind("Comments (12)"), Some(Clutter::Comments));
        assert_eq!(kind("Share this article"), Some(Clutter::Share));
        assert_eq!(kind("Share on LinkedIn"), Some(Clutter::Share));
        assert_eq!(kind("Skip to main content"), Some(Clutter::Navigation));
        assert_eq!(kind("Back to top ↑"), Some(Clutter::Navigation));
        assert_eq!(kind("Last updated"), Some(Clutter::DateLabel));
        assert_eq!(kind("Read more"), Some(Clutter::CallToAction));
        assert_eq!(kind("Advertisement"), Some(Clutter::Advert));
        assert_eq!(kind("More from The Care Gazette"), Some(Clutter::Related));
        assert_eq!(kind("You might also like"), Some(Clutter::Related));
        assert_eq!(kind("Sign up to our newsletter"), Some(Clutter::SignIn));
        assert_eq!(kind("Tags: workforce, recruitment"), Some(Clutter::Tags));
        assert_eq!(kind("6 min read"), Some(Clutter::ReadingTime));
        assert_eq!(kind("Accept all cookies"), Some(Clutter::Notice));
    }

    #[test]
    fn links_trails_and_footers_are_furniture() {
        assert_eq!(
            kind("https://example.org/news/1"),
            Some(Clutter::Navigation)
        );
        assert_eq!(
            kind("Home > News > Adult social care"),
            Some(Clutter::Navigation)
        );
        assert_eq!(
            kind("Home News Opinion Jobs Events"),
            Some(Clutter::Navigation)
        );
        assert_eq!(kind("© 2024 Northfield Press Ltd"), Some(Clutter::Footer));
        assert_eq!(kind("* * *"), Some(Clutter::Navigation));
    }

    #[test]
    fn notices_are_furniture_at_any_length() {
        assert_eq!(
            kind(
                "For the best possible experience using our website we recommend you upgrade to a newer version or another browser."
            ),
            Some(Clutter::Notice)
        );
        assert_eq!(
            kind("Links may be included in your comments but HTML is not permitted."),
            Some(Clutter::Comments)
        );
    }

    #[test]
    fn the_authors_lines_are_not() {
        for text in [
            "How we share risk with families",
            "Nurse, social worker and teacher",
            "Leading with purpose",
            "He declined to comment on the budget, saying the council had not yet decided.",
            "Build regular opportunities for two-way conversations, through informal visits, regular briefings (online or via newsletters) and staff roadshows.",
            "Home care in the north",
            "The related question of pay",
            "Search and rescue: what councils learned",
            "2014 / 2015 figures",
        ] {
            assert_eq!(kind(text), None, "{text}");
        }
    }

    #[test]
    fn only_some_kinds_end_an_article() {
        assert!(Clutter::Related.ends_article());
        assert!(Clutter::Comments.ends_article());
        assert!(!Clutter::Share.ends_article());
        assert!(!Clutter::CallToAction.ends_article());
    }
}
