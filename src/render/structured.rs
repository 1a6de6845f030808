//! Structured metadata: takes the resolved [`Site`] and gives each page's
//! JSON-LD (schema.org), ready to go inside a `<script type="application/ld+json">`
//! element. Only facts the content states go in: no date, author or publisher
//! is ever made up, and a property whose fact is missing is left out.
//!
//! Values are built with serde_json, never by pasting text into a template, and
//! [`script`] escapes `<`, `>` and `&` so that no text (a title holding
//! `</script>`, say) can end the element. The node builders take small,
//! plain descriptions of what a page is about (`ArticleFacts`, `EntityFacts`),
//! which [`Structured`] gathers from the site; the tests below feed them directly.

use serde::Serialize;
use serde_json::{Map, Value, json};
use time::Date;

use crate::parse::entities::{EntityId, EntityKind, Section};
use crate::parse::front_matter::Kind;
use crate::render::search::escape_markup;
use crate::site::{ArticleId, AuthorId, Site, Term};
use crate::urls;

const CONTEXT: &str = "https://schema.org";

/// The schema.org type of an article of a kind: a subtype of `Article` where
/// one says what the kind is, `Article` itself where none does.
pub(crate) fn article_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Blog => "BlogPosting",
        Kind::Report => "Report",
        // schema.org has no type for an interview, a briefing or guidance:
        // `NewsArticle` would claim journalism, `Guide` is for recommending
        // products, `TechArticle` is for technical how-tos. `genre` says which.
        Kind::Interview | Kind::Briefing | Kind::Guidance => "Article",
    }
}

/// The schema.org type of an entity of a kind.
pub(crate) fn entity_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organisation => "Organization",
        EntityKind::Legislation => "Legislation",
        EntityKind::Concept => "DefinedTerm",
    }
}

/// `value` as JSON that can stand inside a `<script>` element: `<`, `>` and
/// `&` (which JSON syntax never needs outside strings) are written as
/// `\u003c`, `\u003e` and `\u0026`, which a JSON parser reads back as the
/// same characters: the escape the search's script files use.
pub(crate) fn script(node: &impl Serialize) -> String {
    let mut json = serde_json::to_vec(node).unwrap_or_else(|_| b"{}".to_vec());
    escape_markup(&mut json, 0);
    let json = String::from_utf8(json).unwrap_or_default();
    // Valid JSON, but line terminators to older JavaScript parsers.
    if json.contains(['\u{2028}', '\u{2029}']) {
        return json
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
    }
    json
}

/// A person who wrote an article.
#[derive(Debug, Clone)]
pub(crate) struct AuthorFacts<'a> {
    pub(crate) name: &'a str,
    /// Absolute URL of their page of articles.
    pub(crate) url: String,
    /// Absolute URL of their entity page, when the site also lists them as a person.
    pub(crate) id: Option<String>,
}

/// What an article page says about its article.
#[derive(Debug, Clone)]
pub(crate) struct ArticleFacts<'a> {
    pub(crate) kind: Kind,
    pub(crate) kind_label: &'a str,
    pub(crate) title: &'a str,
    /// Absolute.
    pub(crate) url: String,
    pub(crate) summary: &'a str,
    pub(crate) language: &'a str,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub(crate) word_count: usize,
    pub(crate) authors: Vec<AuthorFacts<'a>>,
    /// `DefinedTerm` nodes of the leadership themes.
    pub(crate) about: Vec<&'a Value>,
    pub(crate) tags: Vec<&'a str>,
    /// Nodes of the entities it mentions.
    pub(crate) mentions: Vec<&'a Value>,
    /// Where it was first published: the publication's name, its URL.
    pub(crate) source: Option<(Option<&'a str>, Option<&'a str>)>,
    /// The `WebSite` node.
    pub(crate) website: &'a Value,
}

/// An article's node, written straight from its facts: every article page
/// has one, and building it as a `Value` (a map of copies of the shared
/// nodes) cost more than writing it. The fields are in the order of their
/// names, as serde_json writes a `Value`'s keys, so every node's keys are in
/// one order.
#[derive(Serialize)]
pub(crate) struct ArticleNode<'f> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: &'f str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    about: &'f [&'f Value],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<PersonNode<'f>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'f str,
    genre: &'f str,
    headline: &'f str,
    #[serde(rename = "inLanguage")]
    in_language: &'f str,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<OriginalNode<'f>>,
    #[serde(rename = "isPartOf")]
    is_part_of: &'f Value,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    keywords: &'f [&'f str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    mentions: &'f [&'f Value],
    url: &'f str,
    #[serde(rename = "wordCount", skip_serializing_if = "is_zero")]
    word_count: usize,
}

/// Where an article was first published: its address, its publication.
#[derive(Serialize)]
struct OriginalNode<'f> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<PublicationNode<'f>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'f str>,
}

#[derive(Serialize)]
struct PublicationNode<'f> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'f str,
}

/// A person as an article's author or a profile page's subject.
#[derive(Serialize)]
struct PersonNode<'f> {
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'f str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'f str,
    url: &'f str,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// An article's node.
pub(crate) fn article_node<'f>(facts: &'f ArticleFacts) -> ArticleNode<'f> {
    ArticleNode {
        context: CONTEXT,
        id: &facts.url,
        kind: article_type(facts.kind),
        about: &facts.about,
        author: facts.authors.iter().map(person_author).collect(),
        date_modified: facts.updated.map(|d| d.to_string()),
        date_published: facts.date.map(|d| d.to_string()),
        description: facts.summary,
        genre: facts.kind_label,
        headline: facts.title,
        in_language: facts.language,
        // A source that names neither an address nor a publication says nothing.
        is_based_on: facts
            .source
            .filter(|(publication, url)| publication.is_some() || url.is_some())
            .map(|(publication, url)| OriginalNode {
                kind: "CreativeWork",
                is_part_of: publication.map(|name| PublicationNode {
                    kind: "CreativeWork",
                    name,
                }),
                url,
            }),
        is_part_of: facts.website,
        keywords: &facts.tags,
        mentions: &facts.mentions,
        url: &facts.url,
        word_count: facts.word_count,
    }
}

fn person_author<'f>(author: &'f AuthorFacts) -> PersonNode<'f> {
    PersonNode {
        id: author.id.as_deref(),
        kind: "Person",
        name: author.name,
        url: &author.url,
    }
}

/// What an entity's page says about its entity.
#[derive(Debug, Clone)]
pub(crate) struct EntityFacts<'a> {
    pub(crate) kind: EntityKind,
    pub(crate) name: &'a str,
    /// Absolute URL of its page; also its `@id`.
    pub(crate) url: String,
    pub(crate) description: &'a str,
    /// Its aliases and abbreviations.
    pub(crate) other_names: Vec<&'a str>,
    /// For a concept: the glossary's `DefinedTermSet` node.
    pub(crate) glossary: Option<Value>,
}

/// An entity's node, as its own page gives it.
pub(crate) fn entity_node(facts: &EntityFacts) -> Value {
    let mut node = Map::new();
    node.insert("@context".into(), CONTEXT.into());
    node.insert("@type".into(), entity_type(facts.kind).into());
    node.insert("@id".into(), facts.url.clone().into());
    node.insert("name".into(), facts.name.into());
    node.insert("url".into(), facts.url.clone().into());
    if !facts.description.is_empty() {
        node.insert("description".into(), facts.description.into());
    }
    if !facts.other_names.is_empty() {
        node.insert("alternateName".into(), facts.other_names.clone().into());
    }
    if let (EntityKind::Concept, Some(glossary)) = (facts.kind, &facts.glossary) {
        node.insert("inDefinedTermSet".into(), glossary.clone());
    }
    node.into()
}

/// A `DefinedTermSet` or `DefinedTerm` reference, or any node: type, id, name, url.
fn named(kind: &str, id: &str, name: &str, url: &str) -> Map<String, Value> {
    let mut node = Map::new();
    node.insert("@type".into(), kind.into());
    node.insert("@id".into(), id.into());
    node.insert("name".into(), name.into());
    node.insert("url".into(), url.into());
    node
}

/// A page listing articles: a theme's or a tag's, or the list of themes or tags.
#[derive(Debug, Clone)]
pub(crate) struct CollectionFacts<'a> {
    pub(crate) name: &'a str,
    /// Absolute URL of this page.
    pub(crate) url: String,
    pub(crate) description: Option<&'a str>,
    /// What the page collects: a `DefinedTerm` or `DefinedTermSet` node.
    pub(crate) about: Option<Value>,
    pub(crate) website: Value,
}

pub(crate) fn collection_node(facts: &CollectionFacts) -> Value {
    let mut node = Map::new();
    node.insert("@context".into(), CONTEXT.into());
    node.insert("@type".into(), "CollectionPage".into());
    node.insert("@id".into(), facts.url.clone().into());
    node.insert("name".into(), facts.name.into());
    node.insert("url".into(), facts.url.clone().into());
    if let Some(description) = facts.description.filter(|d| !d.is_empty()) {
        node.insert("description".into(), description.into());
    }
    if let Some(about) = &facts.about {
        node.insert("about".into(), about.clone());
    }
    node.insert("isPartOf".into(), facts.website.clone());
    node.into()
}

/// The JSON-LD of one site's pages: the nodes many pages share are made once.
pub(crate) struct Structured<'a> {
    site: &'a Site,
    /// The `WebSite` node as other nodes name it: type, `@id`, name, URL.
    website: Value,
    /// The `WebSite` node in full, as the home page gives it.
    home: Map<String, Value>,
    /// For each leadership theme, its `DefinedTerm` as articles name it: its
    /// page gives its description and set.
    themes: Vec<Value>,
    /// For each entity, the node an article's `mentions` gives: what it is,
    /// its `@id` and name (its page gives the rest).
    mentioned: Vec<Value>,
    /// For each author, the entity page of the same person, if any.
    author_entities: Vec<Option<EntityId>>,
}

impl<'a> Structured<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let config = &site.config;
        let home = &config.base_url.absolute;
        let website = named("WebSite", &format!("{home}#website"), &config.title, home);
        let mut full = website.clone();
        if !config.description.is_empty() {
            full.insert("description".into(), config.description.clone().into());
        }
        full.insert("inLanguage".into(), config.language.clone().into());
        let themes = site
            .themes
            .iter()
            .map(|theme| {
                let mut term = term_node(site, theme);
                term.remove("description");
                term.into()
            })
            .collect();
        let mut author_entities = vec![None; site.authors.len()];
        for (id, mentioned) in site.mentions.iter().enumerate() {
            if let Some(author) = mentioned.author {
                author_entities[author] = Some(id);
            }
        }
        let mut structured = Structured {
            site,
            website: website.into(),
            home: full,
            themes,
            mentioned: Vec::new(),
            author_entities,
        };
        structured.mentioned = (0..site.entities.list.len())
            .map(|id| structured.mentioned_node(id))
            .collect();
        structured
    }

    fn permalink(&self, root_relative: &str) -> String {
        self.site.config.base_url.permalink(root_relative)
    }

    /// An entity as articles mention it: its type, `@id` (its page) and name.
    fn mentioned_node(&self, id: EntityId) -> Value {
        let entity = &self.site.entities.list[id];
        json!({
            "@type": entity_type(entity.kind),
            "@id": self.permalink(&self.site.mentions[id].url),
            "name": entity.name,
        })
    }

    /// The leadership themes' `DefinedTermSet`.
    fn themes_set(&self) -> Map<String, Value> {
        term_set(&self.site.config.themes.title, &themes_url(self.site))
    }

    /// The glossary's `DefinedTermSet`, when the site has a glossary.
    fn glossary(&self) -> Option<Value> {
        let (_, url) = self
            .site
            .sections
            .iter()
            .find(|(section, _)| *section == Section::Glossary)?;
        Some(term_set(Section::Glossary.title(), &self.permalink(url)).into())
    }

    /// The home page: the `WebSite`, with its search.
    pub(crate) fn home(&self) -> Value {
        let mut node = self.home.clone();
        let search = self.permalink(&urls::under(
            &self.site.config.base_url.path,
            "search/?q={search_term_string}",
        ));
        node.insert(
            "potentialAction".into(),
            json!({
                "@type": "SearchAction",
                "target": { "@type": "EntryPoint", "urlTemplate": search },
                "query-input": "required name=search_term_string",
            }),
        );
        let mut with_context = Map::new();
        with_context.insert("@context".into(), CONTEXT.into());
        with_context.extend(node);
        with_context.into()
    }

    /// What an article's node says; [`article_node`] writes it.
    pub(crate) fn article(&self, id: ArticleId) -> ArticleFacts<'_> {
        let site = self.site;
        let article = &site.articles[id];
        ArticleFacts {
            kind: article.kind(),
            kind_label: article.kind().label(),
            title: article.title(),
            url: self.permalink(article.url()),
            summary: article.summary(),
            language: &site.config.language,
            date: article.date(),
            updated: article.updated(),
            word_count: article.word_count(),
            authors: article
                .place
                .authors
                .iter()
                .map(|&a| self.author(a))
                .collect(),
            about: article.themes().iter().map(|&t| &self.themes[t]).collect(),
            tags: article
                .place
                .tags
                .iter()
                .map(|&t| site.tags[t].name.as_str())
                .collect(),
            mentions: article
                .mentions()
                .iter()
                .map(|m| &self.mentioned[m.entity])
                .collect(),
            source: article
                .source()
                .map(|s| (s.publication.as_deref(), s.url.as_deref())),
            website: &self.website,
        }
    }

    fn author(&self, id: AuthorId) -> AuthorFacts<'a> {
        let site = self.site;
        let author = &site.authors[id];
        AuthorFacts {
            name: &author.name,
            url: self.permalink(&author.url),
            id: self.author_entities[id].map(|e| self.permalink(&site.mentions[e].url)),
        }
    }

    /// An entity's page.
    pub(crate) fn entity(&self, id: EntityId) -> Value {
        let site = self.site;
        let entity = &site.entities.list[id];
        let facts = EntityFacts {
            kind: entity.kind,
            name: &entity.name,
            url: self.permalink(&site.mentions[id].url),
            description: &entity.description,
            other_names: entity
                .aliases
                .iter()
                .chain(&entity.abbreviations)
                .map(|w| w.text.as_str())
                .collect(),
            glossary: self.glossary(),
        };
        entity_node(&facts)
    }

    /// Page `url` (absolute) of a leadership theme's articles.
    pub(crate) fn theme(&self, id: usize, name: &str, url: String) -> Value {
        let site = self.site;
        let theme = &site.themes[id];
        let mut term = term_node(site, theme);
        term.insert("inDefinedTermSet".into(), self.themes_set().into());
        collection_node(&CollectionFacts {
            name,
            url,
            description: theme.description.as_deref(),
            about: Some(term.into()),
            website: self.website.clone(),
        })
    }

    /// Page `url` (absolute) of a tag's articles.
    pub(crate) fn tag(&self, id: usize, name: &str, url: String) -> Value {
        let site = self.site;
        let mut term = term_node(site, &site.tags[id]);
        term.insert("inDefinedTermSet".into(), self.tags_set());
        collection_node(&CollectionFacts {
            name,
            url,
            description: None,
            about: Some(term.into()),
            website: self.website.clone(),
        })
    }

    fn tags_set(&self) -> Value {
        term_set(&self.site.config.tags.title, &self.tags_url()).into()
    }

    fn tags_url(&self) -> String {
        self.permalink(&urls::under(&self.site.config.base_url.path, "tags/"))
    }

    /// The list of leadership themes: the set, with every theme in it.
    pub(crate) fn themes(&self) -> Value {
        let site = self.site;
        let url = themes_url(site);
        let mut set = self.themes_set();
        let terms: Vec<Value> = site
            .themes
            .iter()
            .map(|theme| term_node(site, theme).into())
            .collect();
        if !terms.is_empty() {
            set.insert("hasDefinedTerm".into(), terms.into());
        }
        collection_node(&CollectionFacts {
            name: &site.config.themes.title,
            url,
            description: None,
            about: Some(set.into()),
            website: self.website.clone(),
        })
    }

    /// The list of tags.
    pub(crate) fn tags(&self) -> Value {
        let site = self.site;
        collection_node(&CollectionFacts {
            name: &site.config.tags.title,
            url: self.tags_url(),
            description: None,
            about: Some(self.tags_set()),
            website: self.website.clone(),
        })
    }

    /// Page `url` (absolute) of an author's articles: a profile of the person.
    pub(crate) fn author_page(&self, id: AuthorId, name: &str, url: String) -> Value {
        let author = self.author(id);
        let mut node = Map::new();
        node.insert("@context".into(), CONTEXT.into());
        node.insert("@type".into(), "ProfilePage".into());
        node.insert("@id".into(), url.clone().into());
        node.insert("name".into(), name.into());
        node.insert("url".into(), url.into());
        node.insert(
            "mainEntity".into(),
            serde_json::to_value(person_author(&author)).unwrap_or_default(),
        );
        node.insert("isPartOf".into(), self.website.clone());
        node.into()
    }
}

/// A set of terms (themes, tags, the glossary) listed on page `url`: its
/// `@id` is that page's, with `#set`.
fn term_set(title: &str, url: &str) -> Map<String, Value> {
    named("DefinedTermSet", &format!("{url}#set"), title, url)
}

/// A theme or tag as a `DefinedTerm`: its `@id` is its page's, with `#term`.
fn term_node(site: &Site, term: &Term) -> Map<String, Value> {
    let url = site.config.base_url.permalink(&term.url);
    let mut node = named("DefinedTerm", &format!("{url}#term"), &term.name, &url);
    if let Some(description) = term.description.as_deref().filter(|d| !d.is_empty()) {
        node.insert("description".into(), description.into());
    }
    node
}

fn themes_url(site: &Site) -> String {
    site.config
        .base_url
        .permalink(&urls::under(&site.config.base_url.path, "themes/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn website() -> Value {
        json!({ "@type": "WebSite", "@id": "https://example.org/#website", "name": "S", "url": "https://example.org/" })
    }

    fn bare_article(website: &Value) -> ArticleFacts<'_> {
        ArticleFacts {
            kind: Kind::Guidance,
            kind_label: "Guidance",
            title: "Culture and leadership",
            url: "https://example.org/articles/culture/".into(),
            summary: "Advice.",
            language: "en-GB",
            date: None,
            updated: None,
            word_count: 0,
            authors: Vec::new(),
            about: Vec::new(),
            tags: Vec::new(),
            mentions: Vec::new(),
            source: None,
            website,
        }
    }

    /// The JSON inside the script element, parsed back.
    fn parsed(node: &impl Serialize) -> Value {
        serde_json::from_str(&script(node)).expect("the script's text is JSON")
    }

    #[test]
    fn missing_facts_give_no_property() {
        let website = website();
        let node = parsed(&article_node(&bare_article(&website)));
        let object = node.as_object().expect("an object");
        for missing in [
            "datePublished",
            "dateModified",
            "author",
            "about",
            "keywords",
            "mentions",
            "isBasedOn",
            "wordCount",
        ] {
            assert!(!object.contains_key(missing), "{missing} in {node}");
        }
        assert_eq!(node["@type"], "Article");
        assert_eq!(node["headline"], "Culture and leadership");
        assert_eq!(node["url"], "https://example.org/articles/culture/");
        assert_eq!(node["isPartOf"]["@type"], "WebSite");
    }

    #[test]
    fn stated_facts_are_given() {
        let date = Date::from_calendar_date(2017, time::Month::October, 17).expect("date");
        let website = website();
        let facts = ArticleFacts {
            kind: Kind::Blog,
            kind_label: "Blog post",
            date: Some(date),
            updated: Some(date.next_day().expect("a day")),
            word_count: 654,
            authors: vec![AuthorFacts {
                name: "Pat Writer",
                url: "https://example.org/authors/pat-writer/".into(),
                id: Some("https://example.org/people/pat-writer/".into()),
            }],
            tags: vec!["supervision"],
            source: Some((Some("A Magazine"), None)),
            ..bare_article(&website)
        };
        let node = parsed(&article_node(&facts));
        assert_eq!(node["@type"], "BlogPosting");
        assert_eq!(node["datePublished"], "2017-10-17");
        assert_eq!(node["dateModified"], "2017-10-18");
        assert_eq!(node["wordCount"], 654);
        assert_eq!(node["author"][0]["@type"], "Person");
        assert_eq!(node["author"][0]["name"], "Pat Writer");
        assert_eq!(
            node["author"][0]["@id"],
            "https://example.org/people/pat-writer/"
        );
        assert_eq!(node["keywords"], json!(["supervision"]));
        assert_eq!(
            node["isBasedOn"],
            json!({ "@type": "CreativeWork", "isPartOf": { "@type": "CreativeWork", "name": "A Magazine" } })
        );
    }

    #[test]
    fn an_article_node_writes_its_keys_in_the_order_a_map_would() {
        // serde_json writes a map's keys sorted; the struct's fields must be
        // in that order too, or pages would change with how a node is made.
        let date = Date::from_calendar_date(2017, time::Month::October, 17).expect("date");
        let website = website();
        let theme = json!({ "@type": "DefinedTerm", "name": "T" });
        let entity = json!({ "@type": "Person", "name": "P" });
        let facts = ArticleFacts {
            date: Some(date),
            updated: Some(date),
            word_count: 3,
            authors: vec![AuthorFacts {
                name: "A",
                url: "https://example.org/authors/a/".into(),
                id: Some("https://example.org/people/a/".into()),
            }],
            about: vec![&theme],
            tags: vec!["t"],
            mentions: vec![&entity],
            source: Some((Some("M"), Some("https://m.example/"))),
            ..bare_article(&website)
        };
        let written = script(&article_node(&facts));
        let as_map = serde_json::to_value(article_node(&facts)).expect("a value");
        assert_eq!(written, script(&as_map));
    }

    #[test]
    fn a_source_without_name_or_address_says_nothing() {
        let website = website();
        let facts = ArticleFacts {
            source: Some((None, None)),
            ..bare_article(&website)
        };
        assert!(parsed(&article_node(&facts)).get("isBasedOn").is_none());
    }

    #[test]
    fn kinds_map_to_schema_org_types() {
        assert_eq!(article_type(Kind::Blog), "BlogPosting");
        assert_eq!(article_type(Kind::Report), "Report");
        assert_eq!(article_type(Kind::Interview), "Article");
        assert_eq!(entity_type(EntityKind::Organisation), "Organization");
        assert_eq!(entity_type(EntityKind::Concept), "DefinedTerm");
    }

    #[test]
    fn no_text_can_end_the_script_element() {
        let hostile = "</script><script>alert(1)</script> & <!-- \u{2028}";
        let website = website();
        let facts = ArticleFacts {
            title: hostile,
            summary: hostile,
            ..bare_article(&website)
        };
        let text = script(&article_node(&facts));
        for raw in ['<', '>', '&', '\u{2028}'] {
            assert!(!text.contains(raw), "{raw:?} in {text}");
        }
        assert!(text.contains(r"\u003c/script\u003e"));
        let node: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(node["headline"], hostile);
        assert_eq!(node["description"], hostile);
    }

    #[test]
    fn concepts_are_in_the_glossary_and_others_are_not() {
        let glossary =
            json!({ "@type": "DefinedTermSet", "@id": "https://example.org/glossary/#set" });
        let concept = EntityFacts {
            kind: EntityKind::Concept,
            name: "Strengths-based practice",
            url: "https://example.org/glossary/strengths-based-practice/".into(),
            description: "Working from what people can do.",
            other_names: vec!["SBP"],
            glossary: Some(glossary.clone()),
        };
        let node = parsed(&entity_node(&concept));
        assert_eq!(node["@type"], "DefinedTerm");
        assert_eq!(
            node["@id"],
            "https://example.org/glossary/strengths-based-practice/"
        );
        assert_eq!(node["inDefinedTermSet"], glossary);
        assert_eq!(node["alternateName"], json!(["SBP"]));
        let law = EntityFacts {
            kind: EntityKind::Legislation,
            other_names: Vec::new(),
            ..concept
        };
        let node = parsed(&entity_node(&law));
        assert_eq!(node["@type"], "Legislation");
        assert!(node.get("inDefinedTermSet").is_none());
        assert!(node.get("alternateName").is_none());
    }

    #[test]
    fn collections_leave_out_an_empty_description() {
        let node = parsed(&collection_node(&CollectionFacts {
            name: "supervision",
            url: "https://example.org/tags/supervision/".into(),
            description: Some(""),
            about: None,
            website: website(),
        }));
        assert_eq!(node["@type"], "CollectionPage");
        assert!(node.get("description").is_none());
        assert!(node.get("about").is_none());
    }
}
